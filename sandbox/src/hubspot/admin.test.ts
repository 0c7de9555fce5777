import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { TestEmulator } from './testKit.ts';
import { REFERENCE_DATE, apiError, sdkClient, startTestEmulator } from './testKit.ts';

// The /__sandbox admin routes: portals, seeds, faults through the shared FaultInjector's rule schema,
// authorization codes, reset.

let hs: TestEmulator;

beforeAll(async () => {
  hs = await startTestEmulator();
});

beforeEach(() => {
  hs.emulator.reset();
});

afterAll(async () => {
  await hs.close();
});

const admin = (path: string, method: string, body?: unknown) =>
  fetch(`${hs.url}/__sandbox${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('portals and seeds', () => {
  it('adds a portal whose token opens it, and loads a seed into it', async () => {
    const added = await admin('/portals', 'POST', { portalId: 8001, limits: { tenSecondly: 1000 } });
    expect(added.status).toBe(201);
    const { privateAppToken } = (await added.json()) as { privateAppToken: string };
    const loaded = await admin('/portals/8001/seed', 'POST', {
      seed: 11,
      accounts: 120,
      referenceDate: REFERENCE_DATE,
      engagements: false,
    });
    const report = (await loaded.json()) as { companies: number; engagements: number; contacts: number };
    expect(report.companies).toBe(120);
    expect(report.engagements).toBe(0);
    const page = await sdkClient(hs.url, privateAppToken).crm.contacts.basicApi.getPage(100);
    expect(page.results.length).toBe(Math.min(100, report.contacts));
    const state = (await (await admin('/state', 'GET')).json()) as {
      portals: Array<{ portalId: number; counts: Record<string, number> }>;
    };
    expect(state.portals.find((portal) => portal.portalId === 8001)?.counts.companies).toBe(120);
  });

  it('refuses invalid seed options with 400 and the reasons', async () => {
    const response = await admin(`/portals/${DEFAULT_PORTAL_ID}/seed`, 'POST', {
      seed: 1,
      accounts: 5,
      referenceDate: REFERENCE_DATE,
    });
    expect(response.status).toBe(400);
  });

  it('empties every portal on reset', async () => {
    await hs.client().crm.companies.basicApi.create({ properties: { name: 'Gone soon' }, associations: [] });
    expect((await admin('/reset', 'POST')).status).toBe(204);
    const page = await hs.client().crm.companies.basicApi.getPage(10);
    expect(page.results).toEqual([]);
  });
});

describe('faults', () => {
  it('injects a 503 on a route for a set count of calls, then answers normally', async () => {
    const rule = await admin('/faults', 'POST', {
      kind: 'status',
      status: 503,
      path: '^/crm/v3/objects/companies$',
      method: 'get',
      count: 1,
      body: { status: 'error', message: 'Service Unavailable' },
    });
    expect(rule.status).toBe(201);
    const error = await apiError(hs.client().crm.companies.basicApi.getPage(1));
    expect(error.code).toBe(503);
    await expect(hs.client().crm.companies.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('survives a connection reset: the call fails, the next one succeeds', async () => {
    await admin('/faults', 'POST', { kind: 'reset', path: '^/crm/v3/owners', count: 1 });
    await expect(hs.client().crm.owners.ownersApi.getPage()).rejects.toThrow();
    await expect(hs.client().crm.owners.ownersApi.getPage()).resolves.toBeDefined();
  });

  it('refuses a rule that does not fit the fault schema', async () => {
    const response = await admin('/faults', 'POST', { kind: 'status', status: 200, path: 'x' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });
});

describe('authorization codes', () => {
  it('mints a code that the token endpoint exchanges, form-encoded', async () => {
    const minted = await admin('/oauth/authorize', 'POST', {
      portalId: DEFAULT_PORTAL_ID,
      redirectUri: 'http://127.0.0.1:9/cb',
    });
    const { code } = (await minted.json()) as { code: string };
    const { clientId, clientSecret } = hs.emulator.state.auth.app;
    const response = await fetch(`${hs.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: 'http://127.0.0.1:9/cb',
        code,
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      hub_id: DEFAULT_PORTAL_ID,
      token_type: 'bearer',
      expires_in: 1800,
    });
  });
});
