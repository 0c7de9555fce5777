import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import { createHubSpotEmulator, DEFAULT_PORTAL_ID } from '../../sandbox/src/hubspot/index.ts';
import { runCli } from '../../server/src/cli.ts';
import type { AbmPilot } from '../../server/src/compose.ts';
import { startAbmPilot } from '../../server/src/compose.ts';
import { loadConfig } from '../../server/src/config.ts';
import { signV3 } from '../../server/src/http/hubspotSignature.ts';
import { generateSecretKey } from '../../server/src/secrets.ts';
import { virtualTime } from '../../server/src/time.ts';
import { JOURNEY_START } from './world.ts';

// A HubSpot admin installs ABM Pilot from the install link: HubSpot's authorize page (the emulator's, which
// grants at once), back to the callback, and the portal is a tenant with its ABM properties, synced, whose
// installer runs the programme. Install links are single use; revoking the app disables the tenant.

const PUBLIC_URL = 'https://abm.journey.test';
const CLIENT_ID = 'sandbox-client-id';
const CLIENT_SECRET = 'sandbox-client-secret';
const TENANT = `hubspot:${DEFAULT_PORTAL_ID}`;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function installWorld() {
  const time = virtualTime(JOURNEY_START);
  const hub = createHubSpotEmulator({ now: time.now });
  hub.loadSeed(
    DEFAULT_PORTAL_ID,
    createSeedDataset({ seed: 7, accounts: 120, referenceDate: new Date(JOURNEY_START).toISOString() }),
  );
  hub.setLimits(DEFAULT_PORTAL_ID, { tenSecondly: 100_000, searchPerSecond: 100_000 });
  const server: Server = await new Promise((resolve) => {
    const listening = hub.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const operatorEnv = {
    ABM_DB_PATH: join(mkdtempSync(join(tmpdir(), 'abm-install-')), 'abm.db'),
    ABM_SECRET_KEY: generateSecretKey(),
  };
  const abm: AbmPilot = await startAbmPilot(
    loadConfig({
      ...operatorEnv,
      ABM_SYNC_INTERVAL_SECONDS: '300',
      ABM_SLA_SWEEP_INTERVAL_SECONDS: '60',
      PORT: '0',
      LOG_LEVEL: 'silent',
      PUBLIC_URL,
      HUBSPOT_APP_CLIENT_ID: CLIENT_ID,
      HUBSPOT_APP_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_AUTHORIZE_URL: `${hubUrl}/oauth/authorize`,
      HUBSPOT_API_BASE_URL: hubUrl,
    }),
    { log: pino({ level: 'silent' }), time },
  );
  closers.push(() => abm.stop());

  /** The install link, followed through HubSpot's authorize page: the callback URL HubSpot sends back. */
  const authorize = async (): Promise<{ readonly authorizeUrl: URL; readonly callback: string }> => {
    const install = await fetch(`${abm.url}/oauth/hubspot/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const authorizeUrl = new URL(install.headers.get('location') ?? '');
    const granted = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(granted.status).toBe(302);
    const back = new URL(granted.headers.get('location') ?? '');
    // HubSpot redirects to the public URL; here that is the server on its port.
    return { authorizeUrl, callback: `${abm.url}${back.pathname}${back.search}` };
  };
  const page = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  };
  const signedGet = async (hubspotUserId: string, path: string) => {
    const pathAndQuery = `/api/v1${path}?userId=${hubspotUserId}&portalId=${DEFAULT_PORTAL_ID}`;
    const timestamp = String(time.now());
    const signature = signV3(CLIENT_SECRET, 'GET', `${PUBLIC_URL}${pathAndQuery}`, '', timestamp);
    const response = await fetch(`${abm.url}${pathAndQuery}`, {
      headers: {
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signature.toString('base64'),
      },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const hubGet = async (path: string, token: string) =>
    fetch(`${hubUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const refreshToken = async () => {
    const [stored] = await abm.store.loadConnections();
    return stored?.connection.auth.kind === 'oauth' ? stored.connection.auth.refreshToken : '';
  };
  /** `npm run abm-pilot -- …` on the server's store. */
  const operator = async (...args: string[]) => {
    let stderr = '';
    const code = await runCli(args, {
      env: operatorEnv,
      stdout: () => undefined,
      stderr: (text) => void (stderr += text),
      stderrIsTty: false,
    });
    return { code, stderr };
  };
  return { time, hub, hubUrl, abm, authorize, page, signedGet, hubGet, refreshToken, operator };
}

describe('installing ABM Pilot in a HubSpot portal', () => {
  it('makes the portal a tenant with its properties and first sync, run by the user who installed it', async () => {
    const world = await installWorld();
    const { authorizeUrl, callback } = await world.authorize();
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${PUBLIC_URL}/oauth/hubspot/callback`,
      scope: expect.stringContaining('crm.schemas.companies.write'),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    // A callback with a state this server never issued is refused before any code is exchanged.
    const forged = await world.page(`${world.abm.url}/oauth/hubspot/callback?code=stolen&state=forged-state`);
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('invalid_state');

    const installed = await world.page(callback);
    expect(installed.status).toBe(200);
    expect(installed.text).toContain(`Portal ${DEFAULT_PORTAL_ID} is connected`);
    // The same callback again (a replay) is refused: the state was used.
    const replayed = await world.page(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toContain('invalid_state');

    await world.abm.scheduler.idle();
    expect(await world.abm.store.listConnections()).toEqual([
      expect.objectContaining({ tenantId: TENANT, authKind: 'oauth', disabledAt: null }),
    ]);
    expect(await world.abm.store.lastSucceededRun(TENANT, 'sync')).not.toBeNull();
    const token = world.hub.privateAppToken(DEFAULT_PORTAL_ID) ?? '';
    expect((await world.hubGet('/crm/v3/properties/companies/abm_score', token)).status).toBe(200);

    // Who installed it, as HubSpot's token metadata says.
    const refresh = await world.refreshToken();
    const metadata = (await (await world.hubGet(`/oauth/v1/refresh-tokens/${refresh}`, '')).json()) as {
      user_id: number;
    };
    const installer = String(metadata.user_id);
    const roles = await world.signedGet(installer, '/admin/roles');
    expect(roles.status).toBe(200);
    const owner = await world.abm.store.ownerOfLoginUser(TENANT, installer);
    expect(roles.body.users).toEqual({ [owner?.crmId ?? '']: ['chief_abm_officer'] });

    // Anyone else in the portal does not administer the programme.
    const someoneElse = (await world.abm.store.listOwners(TENANT)).find(
      (candidate) =>
        candidate.loginUserId !== undefined &&
        candidate.loginUserId !== null &&
        candidate.loginUserId !== installer,
    );
    expect(someoneElse).toBeDefined();
    expect((await world.signedGet(String(someoneElse?.loginUserId), '/admin/roles')).status).toBe(403);
  });

  it('refuses an install link that expired before HubSpot sent the admin back', async () => {
    const world = await installWorld();
    const { callback } = await world.authorize();
    world.time.advance(11 * 60_000);
    const late = await world.page(callback);
    expect(late.status).toBe(400);
    expect(late.text).toContain('expired_state');
    expect(await world.abm.store.listConnections()).toEqual([]);
  });

  it('disables the tenant and deletes its tokens once HubSpot refuses them (the app was uninstalled)', async () => {
    const world = await installWorld();
    expect((await world.page((await world.authorize()).callback)).status).toBe(200);
    await world.abm.scheduler.idle();
    const refresh = await world.refreshToken();

    // Uninstalling the app revokes its refresh token in HubSpot.
    expect(
      (await fetch(`${world.hubUrl}/oauth/v1/refresh-tokens/${refresh}`, { method: 'DELETE' })).status,
    ).toBe(204);
    // The access token lives 30 minutes; the next refresh is refused.
    for (let minute = 0; minute < 35; minute += 1) {
      world.time.advance(60_000);
      await world.abm.scheduler.idle();
    }
    expect(await world.abm.store.listConnections()).toEqual([
      expect.objectContaining({ tenantId: TENANT, disabledAt: expect.any(Number), keyId: null }),
    ]);
    expect(await world.abm.store.loadConnections()).toEqual([]);

    const runs = (await world.abm.store.recentRuns(TENANT, 500)).length;
    for (let minute = 0; minute < 30; minute += 1) world.time.advance(60_000);
    await world.abm.scheduler.idle();
    expect(await world.abm.store.recentRuns(TENANT, 500)).toHaveLength(runs);

    // Its data is kept 30 days in case the app is reinstalled; the operator may purge it sooner.
    expect(await world.abm.store.getTenant(TENANT)).not.toBeNull();
    expect(await world.operator('connection', 'purge', '--tenant', TENANT)).toEqual({ code: 0, stderr: '' });
    expect(await world.abm.store.recentRuns(TENANT, 500)).toEqual([]);
    expect(await world.operator('connection', 'purge', '--tenant', TENANT)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error unknown_tenant:/),
    });
  });
});
