import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { TestEmulator } from './testKit.ts';
import { REFERENCE_DATE, apiError, sdkClient, socketError, startTestEmulator } from './testKit.ts';

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

  it('survives a connection reset: the call gets no HTTP answer at all, the next one succeeds', async () => {
    await admin('/faults', 'POST', { kind: 'reset', path: '^/crm/v3/owners', count: 1 });
    const error = await socketError(hs.client().crm.owners.ownersApi.getPage());
    expect(error).toMatchObject({ name: 'FetchError', type: 'system', code: 'ECONNRESET' });
    expect(error.message).toMatch(/socket hang up/);
    await expect(hs.client().crm.owners.ownersApi.getPage()).resolves.toBeDefined();
  });

  it('refuses a rule that does not fit the fault schema', async () => {
    const response = await admin('/faults', 'POST', { kind: 'status', status: 200, path: 'x' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });

  it('refuses a path that is not a regular expression with 400, and keeps serving', async () => {
    const response = await admin('/faults', 'POST', { kind: 'reset', path: '(' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: 'error',
      message: 'invalid fault rule',
      issues: [expect.objectContaining({ path: ['path'] })],
    });
    expect(hs.emulator.faults.list()).toEqual([]);
    await expect(hs.client().crm.companies.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('answers an injected 429 with HubSpot’s ten-secondly body and rate-limit headers', async () => {
    await admin('/faults', 'POST', {
      kind: 'status',
      status: 429,
      path: '^/crm/v3/objects/companies$',
      count: 1,
    });
    const error = await apiError(hs.client().crm.companies.basicApi.getPage(1));
    expect(error.code).toBe(429);
    expect(error.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(error.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '1000000',
      'x-hubspot-correlation-id': error.body.correlationId,
    });
  });

  it('answers an injected 429 on search with the secondly policy the SDK retries on', async () => {
    await admin('/faults', 'POST', { kind: 'status', status: 429, path: '/search$', count: 1 });
    const error = await apiError(hs.client().crm.companies.searchApi.doSearch({ limit: 1 }));
    expect(error.body).toMatchObject({
      message: 'You have reached your secondly limit.',
      policyName: 'SECONDLY',
    });
    expect(error.headers).toMatchObject({ 'x-hubspot-ratelimit-secondly-remaining': '0' });
  });

  it('answers an injected 503 with HubSpot’s error body', async () => {
    await admin('/faults', 'POST', { kind: 'status', status: 503, path: '^/crm/v3/owners', count: 1 });
    const error = await apiError(hs.client().crm.owners.ownersApi.getPage());
    expect(error.code).toBe(503);
    expect(error.body).toEqual({
      status: 'error',
      message: 'Service Unavailable',
      correlationId: expect.any(String),
    });
  });
});

describe('faults by rate and slow responses', () => {
  it('fails the same 5 of 20 SDK calls with a 500 for fault seed 5, and serves the others', async () => {
    const failedCalls = async (): Promise<number[]> => {
      const seeded = await startTestEmulator({ faultSeed: 5 });
      try {
        seeded.emulator.faults.add({
          kind: 'status',
          status: 500,
          path: '^/crm/v3/objects/companies$',
          rate: 0.3,
        });
        const failed: number[] = [];
        for (let call = 0; call < 20; call += 1) {
          try {
            await seeded.client().crm.companies.basicApi.getPage(1);
          } catch (caught) {
            const error = await apiError(Promise.reject(caught as Error));
            expect(error.code).toBe(500);
            expect(error.body).toEqual({
              status: 'error',
              message: 'internal error',
              correlationId: expect.any(String),
            });
            failed.push(call);
          }
        }
        expect(seeded.emulator.faults.hits()[0]?.fired).toBe(failed.length);
        return failed;
      } finally {
        await seeded.close();
      }
    };
    expect(await failedCalls()).toEqual([2, 4, 9, 13, 17]);
    expect(await failedCalls()).toEqual([2, 4, 9, 13, 17]);
  });

  it('delays a response on a slow rule, which still arrives whole', async () => {
    hs.emulator.faults.add({ kind: 'slow', delayMs: 50, path: '^/crm/v3/owners', count: 1 });
    const page = await hs.client().crm.owners.ownersApi.getPage();
    expect(page.results).toBeInstanceOf(Array);
    expect(hs.emulator.faults.hits()).toEqual([expect.objectContaining({ fired: 1 })]);
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
