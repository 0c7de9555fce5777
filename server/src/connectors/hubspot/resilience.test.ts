import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ConnectorFailure } from '../ports.ts';
import type { TestPortal } from './testKit.ts';
import { drain, recordingFetch, seedDataset, startPortal } from './testKit.ts';

// The connector survives what HubSpot and networks do: 429s (honouring Retry-After), 5xx, dropped
// connections and timeouts, with bounded, jittered retries; and it stops cleanly when it must.

let portal: TestPortal;
let companyIds: string[];

beforeAll(async () => {
  portal = await startPortal();
  portal.emulator.loadSeed(portal.portalId, seedDataset(250), { contacts: false, engagements: false });
  const hub = portal.emulator.portal(portal.portalId);
  companyIds = [...hub.data.tables.companies.liveRecords()].map((record) => String(record.id));
});

afterEach(() => {
  portal.emulator.faults.clear();
});

afterAll(async () => {
  await portal.close();
});

const addFault = async (rule: Record<string, unknown>): Promise<void> => {
  const response = await fetch(`${portal.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(response.status).toBe(201);
};

const sleeps = () => {
  const slept: number[] = [];
  return { slept, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
};

const failureOf = async (work: Promise<unknown>): Promise<ConnectorFailure> => {
  try {
    await work;
  } catch (caught) {
    if (caught instanceof ConnectorFailure) return caught;
    throw caught;
  }
  throw new Error('expected a ConnectorFailure');
};

describe('rate limits', () => {
  it('waits as long as Retry-After asks after a 429, then carries on', async () => {
    await addFault({
      kind: 'status',
      status: 429,
      method: 'GET',
      path: '^/crm/v3/objects/companies$',
      headers: { 'Retry-After': '3' },
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
      count: 2,
    });
    const { slept, sleep } = sleeps();
    const connector = portal.connector({ sleep });
    const pulled = await drain(connector, 'accounts', null);
    expect(pulled.records.length).toBe(250);
    expect(slept).toEqual([3_000, 3_000]);
    expect(connector.usage()).toEqual({
      calls: 3 + 2,
      rateLimited: 2,
      retries: 2,
      dailyRemaining: expect.any(Number),
    });
  });

  it('backs off at least a second on a 429 that gives no Retry-After', async () => {
    await addFault({ kind: 'status', status: 429, method: 'GET', path: '^/crm/v3/owners', count: 1 });
    const { slept, sleep } = sleeps();
    await drain(portal.connector({ sleep }), 'owners', null);
    expect(slept.length).toBe(1);
    expect(slept[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('stops at once with api_budget_exhausted when the daily limit is reached', async () => {
    await addFault({
      kind: 'status',
      status: 429,
      path: '^/crm/v3/owners',
      body: {
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      },
    });
    const connector = portal.connector();
    const failure = await failureOf(drain(connector, 'owners', null));
    expect(failure.failure.code).toBe('api_budget_exhausted');
    expect(connector.usage()).toMatchObject({ calls: 1, rateLimited: 1, retries: 0 });
  });
});

describe('server errors and broken connections', () => {
  it('retries 5xx with exponential backoff whose jitter comes from the injected source', async () => {
    await addFault({ kind: 'status', status: 503, path: '/search$', count: 3 });
    const { slept, sleep } = sleeps();
    const connector = portal.connector({ sleep, random: () => 0.5 });
    const pulled = await drain(connector, 'accounts', { modifiedAt: 0, crmId: '' });
    expect(pulled.records.length).toBe(250);
    // base 500 ms doubling, three quarters of each with random() = 0.5.
    expect(slept).toEqual([375, 750, 1_500]);
    expect(connector.usage().retries).toBe(3);
  });

  it('survives connection resets in the middle of a write-back, and every value lands', async () => {
    await addFault({ kind: 'reset', path: '/crm/v3/objects/companies/batch/update', count: 2 });
    const connector = portal.connector();
    const outcome = await connector.writeAccounts(
      companyIds.slice(0, 150).map((crmId) => ({ crmId, fields: { tier: 'tier_3' } })),
    );
    expect(outcome.failed).toEqual([]);
    expect(outcome.written.length).toBe(150);
    expect(connector.usage()).toMatchObject({ calls: 4, retries: 2 });
    const read = await portal.api(
      `/crm/v3/objects/companies/${companyIds[120]}?properties=hs_ideal_customer_profile`,
    );
    expect(
      ((await read.json()) as { properties: Record<string, string> }).properties.hs_ideal_customer_profile,
    ).toBe('tier_3');
  });

  it('gives up on a request that outlives its timeout and sends it again', async () => {
    await addFault({ kind: 'slow', delayMs: 2_000, method: 'GET', path: '^/crm/v3/owners', count: 1 });
    const connector = portal.connector({ retry: { requestTimeoutMs: 200 } });
    const pulled = await drain(connector, 'owners', null);
    expect(pulled.records.length).toBeGreaterThan(0);
    expect(connector.usage().retries).toBe(1);
  });

  it('stops with crm_unavailable after the bounded attempts, naming no credential', async () => {
    await addFault({ kind: 'status', status: 500, path: '^/crm/v3/owners' });
    const recorder = recordingFetch();
    const connector = portal.connector({ retry: { maxAttempts: 3 }, fetch: recorder.fetch });
    const failure = await failureOf(drain(connector, 'owners', null));
    expect(failure.failure.code).toBe('crm_unavailable');
    expect(failure.message).toContain('gave up after 3 attempts');
    expect(failure.message).not.toContain(portal.token);
    expect(recorder.requests.length).toBe(3);
  });
});

describe("the portal's real limits", () => {
  it('meets no 429 at 5 searches a second when the limiter is set to them, where a looser one does', async () => {
    const real = await startPortal({
      clock: null,
      portals: [{ portalId: 4_242_077, limits: { tenSecondly: 190, searchPerSecond: 5 } }],
    });
    try {
      real.emulator.loadSeed(real.portalId, seedDataset(2_000, 3), {
        contacts: false,
        deals: false,
        engagements: false,
      });
      const paced = real.connector({ limits: { tenSecondly: 190, searchPerSecond: 5 } });
      const pulled = await drain(paced, 'accounts', { modifiedAt: 0, crmId: '' });
      expect(pulled.records.length).toBe(2_000);
      // HubSpot tells the daily allowance left on every answer: 11 calls of the portal's million.
      expect(paced.usage()).toEqual({
        calls: 11,
        rateLimited: 0,
        retries: 0,
        dailyRemaining: 1_000_000 - 11,
      });

      const loose = real.connector({ limits: { tenSecondly: 190, searchPerSecond: 1_000 } });
      const again = await drain(loose, 'accounts', { modifiedAt: 0, crmId: '' });
      expect(again.records.length).toBe(2_000);
      expect(loose.usage().rateLimited).toBeGreaterThan(0);
    } finally {
      await real.close();
    }
  });
});
