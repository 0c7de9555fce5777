import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import { runCli } from '../../server/src/cli.ts';
import type { AbmPilot } from '../../server/src/compose.ts';
import { startAbmPilot } from '../../server/src/compose.ts';
import { loadConfig } from '../../server/src/config.ts';
import { generateSecretKey } from '../../server/src/secrets.ts';
import { virtualTime } from '../../server/src/time.ts';
import { JOURNEY_START } from './world.ts';

// A Salesforce admin connects the org from the connect link: Salesforce's authorize page (the emulator's,
// where the admin named by login_hint signs in and approves), back to the callback with a code exchanged
// under PKCE; the page shows the org key for the Named Credential, once. A request exactly as the Apex
// controller sends it then works; the operator revokes the key from the CLI, and once the hot-read TTL
// passes the next call answers 401. Connect links are single use.

const PUBLIC_URL = 'https://abm.journey.test';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connectWorld() {
  const time = virtualTime(JOURNEY_START);
  const org = createSalesforceEmulator({ clock: time.now });
  org.loadSeed(
    createSeedDataset({ seed: 7, accounts: 100, referenceDate: new Date(JOURNEY_START).toISOString() }),
  );
  const server: Server = await new Promise((resolve) => {
    const listening = org.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const orgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = {
    ABM_DB_PATH: join(mkdtempSync(join(tmpdir(), 'abm-sf-connect-')), 'abm.db'),
    ABM_SECRET_KEY: generateSecretKey(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    PUBLIC_URL,
    SALESFORCE_APP_CLIENT_ID: org.org.clientId,
    SALESFORCE_APP_CLIENT_SECRET: org.org.clientSecret,
    SALESFORCE_LOGIN_URL: orgUrl,
  };
  const abm: AbmPilot = await startAbmPilot(loadConfig(env), { log: pino({ level: 'silent' }), time });
  closers.push(() => abm.stop());

  const soql = async <T>(query: string): Promise<T[]> => {
    const answer = await fetch(`${orgUrl}/services/data/v66.0/query?q=${encodeURIComponent(query)}`, {
      headers: { authorization: `Bearer ${org.issueAccessToken()}` },
    });
    return ((await answer.json()) as { records: T[] }).records;
  };
  /** The connect link followed through Salesforce's approval by `admin`: the callback URL it sends back. */
  const approve = async (admin: string) => {
    const connect = await fetch(`${abm.url}/oauth/salesforce/connect?login_hint=${admin}`, {
      redirect: 'manual',
    });
    expect(connect.status).toBe(302);
    const authorizeUrl = new URL(connect.headers.get('location') ?? '');
    const approved = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location') ?? '');
    // Salesforce redirects to the public URL; here that is the server on its port.
    return { authorizeUrl, callback: `${abm.url}${back.pathname}${back.search}` };
  };
  const page = async (url: string) => {
    const response = await fetch(url);
    return {
      status: response.status,
      text: await response.text(),
      cache: response.headers.get('cache-control'),
    };
  };
  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      env,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      stderrIsTty: false,
      now: time.now,
      operator: 'ops-jo',
    });
    return { code, stdout, stderr };
  };
  return { time, org, abm, soql, approve, page, cli };
}

describe('connecting a Salesforce org by the web server flow with PKCE', () => {
  it('connects the org, shows its org key once, serves Apex with it, and stops serving it once revoked', async () => {
    const world = await connectWorld();
    const [admin] = await world.soql<{ Id: string }>(
      'SELECT Id FROM User WHERE IsActive = true ORDER BY Id LIMIT 1',
    );
    const { authorizeUrl, callback } = await world.approve(admin!.Id);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: world.org.org.clientId,
      redirect_uri: `${PUBLIC_URL}/oauth/salesforce/callback`,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const forged = await world.page(`${world.abm.url}/oauth/salesforce/callback?code=stolen&state=sf.forged`);
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('invalid_state');

    const connected = await world.page(callback);
    expect(connected.status).toBe(200);
    expect(connected.cache).toBe('no-store');
    expect(connected.text).toContain(`Org ${world.org.org.orgId} is connected`);
    expect(connected.text).toContain('Named Credentials');
    const orgKey = /<pre id="org-key">([^<]+)<\/pre>/.exec(connected.text)?.[1] ?? '';
    expect(orgKey).toMatch(/^abm_sf_/);
    const replayed = await world.page(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('invalid_state');

    // The org is a tenant, its refresh token sealed in the store, and its first sync has run.
    await world.abm.scheduler.idle();
    const tenantId = `salesforce:${world.org.org.orgId}`;
    expect(await world.abm.store.listConnections()).toEqual([
      expect.objectContaining({ tenantId, authKind: 'refresh_token', disabledAt: null }),
    ]);
    expect(await world.abm.store.lastSucceededRun(tenantId, 'sync')).not.toBeNull();

    // Exactly what AbmPilotController sends through the Named Credential.
    const [account] = await world.soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Id LIMIT 1');
    const apex = () =>
      fetch(`${world.abm.url}/api/v1/accounts/${account!.Id}/card?userId=${admin!.Id}&apiRevision=4`, {
        headers: { authorization: `Bearer ${orgKey}`, accept: 'application/json' },
      });
    expect((await apex()).status).toBe(200);

    const listed = JSON.parse(
      (await world.cli('credential', 'list', '--tenant', tenantId, '--json')).stdout,
    ) as { id: string; kind: string }[];
    const [key] = listed.filter((credential) => credential.kind === 'org-key');
    expect(orgKey.startsWith(key!.id)).toBe(true);
    expect((await world.cli('credential', 'revoke', '--tenant', tenantId, '--id', key!.id)).code).toBe(0);
    // A key read a moment ago may serve until the hot-read TTL (5 s) passes, no longer.
    world.time.advance(6_000);
    expect((await apex()).status).toBe(401);
  });

  it('refuses a connect link that expired before Salesforce sent the admin back, and connects nothing', async () => {
    const world = await connectWorld();
    const { callback } = await world.approve('');
    world.time.advance(11 * 60_000);
    const late = await world.page(callback);
    expect(late.status).toBe(400);
    expect(late.text).toContain('expired_state');
    expect(await world.abm.store.listConnections()).toEqual([]);
  });
});
