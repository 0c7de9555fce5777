import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_OAUTH_APP } from '../../../../sandbox/src/hubspot/index.ts';
import { ConnectorFailure } from '../ports.ts';
import type { TestPortal } from './testKit.ts';
import { UNLIMITED, drain, hubspotTenant, recordingFetch, seedDataset, startPortal } from './testKit.ts';

// OAuth access tokens renewed before they expire and after a 401; and tenant isolation: one portal's
// credentials read and write nothing of another.

const PORTAL_A = 4_242_101;
const PORTAL_B = 4_242_102;
const MINUTE = 60_000;
const REDIRECT = 'http://localhost/oauth/callback';
let portal: TestPortal;

beforeAll(async () => {
  portal = await startPortal({
    portals: [
      { portalId: PORTAL_A, limits: UNLIMITED },
      { portalId: PORTAL_B, limits: UNLIMITED },
    ],
    accessTokenLifetimeS: 1_800,
  });
  portal.emulator.loadSeed(PORTAL_A, seedDataset(120, 1), { contacts: false, engagements: false });
  portal.emulator.loadSeed(PORTAL_B, seedDataset(130, 2), { contacts: false, engagements: false });
});

afterAll(async () => {
  await portal.close();
});

/** Installs the app in a portal the way HubSpot's OAuth flow does, and returns the refresh token. */
const install = async (portalId: number): Promise<string> => {
  const code = portal.emulator.issueAuthorizationCode(portalId, REDIRECT);
  const response = await fetch(`${portal.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEFAULT_OAUTH_APP.clientId,
      client_secret: DEFAULT_OAUTH_APP.clientSecret,
      redirect_uri: REDIRECT,
      code,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { refresh_token: string }).refresh_token;
};

const oauthConnector = (portalId: number, refreshToken: string, fetchImpl: typeof fetch) =>
  portal.connector({
    tenant: hubspotTenant(portalId),
    auth: {
      kind: 'oauth',
      clientId: DEFAULT_OAUTH_APP.clientId,
      clientSecret: DEFAULT_OAUTH_APP.clientSecret,
      refreshToken,
    },
    fetch: fetchImpl,
  });

const failureOf = async (work: Promise<unknown>): Promise<ConnectorFailure> => {
  try {
    await work;
  } catch (caught) {
    if (caught instanceof ConnectorFailure) return caught;
    throw caught;
  }
  throw new Error('expected a ConnectorFailure');
};

describe('OAuth', () => {
  it('renews the access token shortly before it expires, before HubSpot ever answers 401', async () => {
    const recorder = recordingFetch();
    const connector = oauthConnector(PORTAL_A, await install(PORTAL_A), recorder.fetch);
    const tokenCalls = () => recorder.requests.filter((request) => request.path === '/oauth/v1/token').length;

    await drain(connector, 'owners', null);
    expect(tokenCalls()).toBe(1);
    portal.clock.advance(20 * MINUTE);
    await drain(connector, 'owners', null);
    expect(tokenCalls()).toBe(1);
    // 26 minutes into a 30-minute token: inside the 5-minute margin.
    portal.clock.advance(6 * MINUTE);
    await drain(connector, 'owners', null);
    expect(tokenCalls()).toBe(2);
    portal.clock.advance(29 * MINUTE);
    await drain(connector, 'accounts', null);
    expect(tokenCalls()).toBe(3);
    expect(recorder.requests.some((request) => request.status === 401)).toBe(false);
    expect(connector.usage().retries).toBe(0);
  });

  it('renews once and retries when HubSpot answers 401 to a token it revoked', async () => {
    const recorder = recordingFetch();
    const connector = oauthConnector(PORTAL_A, await install(PORTAL_A), recorder.fetch);
    await drain(connector, 'owners', null);
    portal.emulator.state.auth.accessTokens.clear();
    const pulled = await drain(connector, 'accounts', null);
    expect(pulled.records.length).toBe(120);
    expect(recorder.requests.filter((request) => request.status === 401).length).toBe(1);
    expect(recorder.requests.filter((request) => request.path === '/oauth/v1/token').length).toBe(2);
    expect(connector.usage().retries).toBe(1);
  });

  it('stops with auth_failed when the refresh token is revoked, and names none of the secrets', async () => {
    const refreshToken = await install(PORTAL_A);
    const recorder = recordingFetch();
    const connector = oauthConnector(PORTAL_A, refreshToken, recorder.fetch);
    await drain(connector, 'owners', null);
    const accessToken = [...portal.emulator.state.auth.accessTokens.keys()].at(-1)!;
    expect(
      (await fetch(`${portal.url}/oauth/v1/refresh-tokens/${refreshToken}`, { method: 'DELETE' })).status,
    ).toBe(204);
    portal.emulator.state.auth.accessTokens.clear();
    const failure = await failureOf(drain(connector, 'owners', null));
    expect(failure.failure.code).toBe('auth_failed');
    for (const secret of [refreshToken, accessToken, DEFAULT_OAUTH_APP.clientSecret]) {
      expect(failure.message).not.toContain(secret);
      expect(failure.failure.message).not.toContain(secret);
    }
  });

  it("refuses credentials installed in another portal than the tenant's", async () => {
    const connector = oauthConnector(PORTAL_B, await install(PORTAL_A), fetch);
    const failure = await failureOf(drain(connector, 'accounts', null));
    expect(failure.failure.code).toBe('auth_failed');
    expect(failure.message).toContain(`belong to portal ${PORTAL_A}`);
  });
});

describe('tenant isolation', () => {
  const privateConnector = (portalId: number) =>
    portal.connector({
      tenant: hubspotTenant(portalId),
      auth: { kind: 'private_app', token: portal.emulator.privateAppToken(portalId)! },
    });
  const liveIds = (portalId: number) =>
    [...portal.emulator.portal(portalId).data.tables.companies.liveRecords()].map((record) =>
      String(record.id),
    );

  it("reads only its own portal's records", async () => {
    const a = await drain(privateConnector(PORTAL_A), 'accounts', null);
    const b = await drain(privateConnector(PORTAL_B), 'accounts', null);
    expect(a.records.map((record) => record.crmId).sort()).toEqual(liveIds(PORTAL_A).sort());
    expect(b.records.map((record) => record.crmId).sort()).toEqual(liveIds(PORTAL_B).sort());
    const bIds = new Set(liveIds(PORTAL_B));
    expect(a.records.some((record) => bIds.has(record.crmId))).toBe(false);
  });

  it("cannot write to another portal's companies, which stay as they were", async () => {
    const target = liveIds(PORTAL_B).slice(0, 5);
    const before = target.map((id) => ({
      ...portal.emulator.portal(PORTAL_B).data.tables.companies.live(Number(id))!.properties,
    }));
    const connectorA = privateConnector(PORTAL_A);
    const outcome = await connectorA.writeAccounts(
      target.map((crmId) => ({ crmId, fields: { tier: 'tier_1' } })),
    );
    expect(outcome.written).toEqual([]);
    expect(outcome.failed.map((entry) => entry.code)).toEqual(target.map(() => 'not_found'));
    const after = target.map(
      (id) => portal.emulator.portal(PORTAL_B).data.tables.companies.live(Number(id))!.properties,
    );
    expect(after).toEqual(before);
  });

  it('keeps calls and limits per portal: one connector counts only its own calls', async () => {
    const a = privateConnector(PORTAL_A);
    const b = privateConnector(PORTAL_B);
    await drain(a, 'accounts', null);
    expect(a.usage().calls).toBe(2);
    expect(b.usage().calls).toBe(0);
  });
});
