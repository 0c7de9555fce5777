import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.ts';

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

describe('server config', () => {
  it('reads the environment and the connections file, with documented defaults', () => {
    const config = loadConfig({ ABM_CONNECTIONS_FILE: file('ok.json', [hubspot]) });
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
    const french = loadConfig({ ABM_CONNECTIONS_FILE: file('fr.json', [{ ...hubspot, language: 'fr' }]) });
    expect(french.connections[0]).toMatchObject({ language: 'fr' });
    expect(() =>
      loadConfig({ ABM_CONNECTIONS_FILE: file('de.json', [{ ...hubspot, language: 'de' }]) }),
    ).toThrow(/connections\.0\.language/);
  });

  it('refuses to start without a connections file, naming the setting', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/ABM_CONNECTIONS_FILE/);
  });

  it('names every invalid setting at once', () => {
    const attempt = () =>
      loadConfig({ ABM_CONNECTIONS_FILE: file('ok2.json', [hubspot]), PORT: 'eighty', LOG_LEVEL: 'loud' });
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
      loadConfig({ ABM_CONNECTIONS_FILE: bad });
      expect.unreachable();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('connections.0.portalId');
      expect(message).toContain('connections.0.auth.token');
      expect(message).not.toContain('short');
    }
  });

  it('says so when the connections file is not JSON', () => {
    expect(() => loadConfig({ ABM_CONNECTIONS_FILE: file('broken.json', '{ nope') })).toThrow(/cannot read/);
  });
});
