import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.ts';
import { generateSecretKey, parseSecretKey } from './secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'abm-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const hubspot = {
  crm: 'hubspot',
  portalId: '1234567',
  name: 'Sandbox portal',
  baseUrl: 'http://127.0.0.1:4010',
  auth: { kind: 'private_app', token: 'pat-na1-secret-token-value' },
};

const KEY = generateSecretKey();

describe('server config', () => {
  it('reads the environment and the connections file, with documented defaults', () => {
    const config = loadConfig({ ABM_SECRET_KEY: KEY, ABM_CONNECTIONS_FILE: file('ok.json', [hubspot]) });
    expect(config).toMatchObject({
      dbPath: './data/abm-pilot.db',
      port: 3000,
      host: '127.0.0.1',
      syncIntervalMs: 300_000,
      connections: [{ crm: 'hubspot', portalId: '1234567', language: 'en' }],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("takes a tenant's language from its connection, and refuses one ABM Pilot does not speak", () => {
    const french = loadConfig({
      ABM_SECRET_KEY: KEY,
      ABM_CONNECTIONS_FILE: file('fr.json', [{ ...hubspot, language: 'fr' }]),
    });
    expect(french.connections[0]).toMatchObject({ language: 'fr' });
    expect(() =>
      loadConfig({
        ABM_SECRET_KEY: KEY,
        ABM_CONNECTIONS_FILE: file('de.json', [{ ...hubspot, language: 'de' }]),
      }),
    ).toThrow(/connections\.0\.language/);
  });

  it('starts without a connections file or a key: the store holds the connections', () => {
    expect(loadConfig({})).toMatchObject({ connections: [], secretKeys: null });
  });

  it('refuses to import a connections file without a key to seal its secrets with', () => {
    expect(() => loadConfig({ ABM_CONNECTIONS_FILE: file('nokey.json', [hubspot]) })).toThrow(
      /ABM_SECRET_KEY: required to import ABM_CONNECTIONS_FILE/,
    );
  });

  it('reads the secret key and the previous one, and names a key of the wrong size without echoing it', () => {
    const previous = generateSecretKey();
    const config = loadConfig({ ABM_SECRET_KEY: KEY, ABM_SECRET_KEY_PREVIOUS: previous });
    expect(config.secretKeys?.current.id).toBe((parseSecretKey(KEY) as { id: string }).id);
    expect(config.secretKeys?.previous?.id).toBe((parseSecretKey(previous) as { id: string }).id);
    const short = Buffer.from('sixteen byte key').toString('base64');
    expect(() => loadConfig({ ABM_SECRET_KEY: short })).toThrow(/ABM_SECRET_KEY: must be the base64 of 32/);
    try {
      loadConfig({ ABM_SECRET_KEY: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => loadConfig({ ABM_SECRET_KEY_PREVIOUS: previous })).toThrow(
      /required with ABM_SECRET_KEY_PREVIOUS/,
    );
  });

  it('names every invalid setting at once', () => {
    const attempt = () =>
      loadConfig({
        ABM_SECRET_KEY: KEY,
        ABM_CONNECTIONS_FILE: file('ok2.json', [hubspot]),
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL']);
    }
  });

  it('names the bad field of a connection without echoing its secrets', () => {
    const bad = file('bad.json', [
      { ...hubspot, portalId: 'abc', auth: { kind: 'private_app', token: 'short' } },
    ]);
    try {
      loadConfig({ ABM_SECRET_KEY: KEY, ABM_CONNECTIONS_FILE: bad });
      expect.unreachable();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('connections.0.portalId');
      expect(message).toContain('connections.0.auth.token');
      expect(message).not.toContain('short');
    }
  });

  it('says so when the connections file is not JSON', () => {
    const attempt = () =>
      loadConfig({
        ABM_SECRET_KEY: KEY,
        ABM_CONNECTIONS_FILE: file('broken.json', '{ "token": pat-na1-secret'),
      });
    expect(attempt).toThrow(/cannot read .*: not valid JSON/);
    // JSON.parse quotes the text near the error, which may be a token.
    expect(attempt).not.toThrow(/pat-na1/);
  });

  it("turns on the HubSpot install with the app's client id, its redirect on the public URL", () => {
    const base = { PUBLIC_URL: 'https://abm.example.com', HUBSPOT_APP_CLIENT_SECRET: 'app-client-secret' };
    expect(loadConfig(base).hubspotInstall).toBeNull();
    expect(loadConfig({ ...base, HUBSPOT_APP_CLIENT_ID: 'client-id' }).hubspotInstall).toMatchObject({
      clientId: 'client-id',
      redirectUri: 'https://abm.example.com/oauth/hubspot/callback',
      authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      apiBaseUrl: 'https://api.hubapi.com',
      scopes: expect.arrayContaining(['oauth', 'crm.schemas.companies.write']),
    });
    expect(() => loadConfig({ HUBSPOT_APP_CLIENT_ID: 'client-id' })).toThrow(
      /HUBSPOT_APP_CLIENT_SECRET: required when HUBSPOT_APP_CLIENT_ID is set/,
    );
  });
});
