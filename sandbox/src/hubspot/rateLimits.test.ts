import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testKit.ts';
import { apiError, manualClock, startTestEmulator } from './testKit.ts';

// Per-portal rate limits with HubSpot's 429 bodies and X-HubSpot-RateLimit-* headers. The clock is moved
// by hand, so windows open and close without waiting.

const PORTAL = 5001;
const OTHER = 5002;
const clock = manualClock();
let hs: TestEmulator;

beforeAll(async () => {
  hs = await startTestEmulator({ now: clock.now, portals: [{ portalId: PORTAL }, { portalId: OTHER }] });
});

beforeEach(() => {
  hs.emulator.reset();
  clock.advance(60_000);
});

afterAll(async () => {
  await hs.close();
});

describe('the ten-secondly rolling limit', () => {
  it('answers the call over the limit with 429 TEN_SECONDLY_ROLLING and its headers', async () => {
    hs.emulator.setLimits(PORTAL, { tenSecondly: 3 });
    for (let call = 0; call < 3; call += 1) await hs.client().crm.companies.basicApi.getPage(1);
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
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '1000000',
    });
  });

  it('counts down Remaining on each call and lets calls through again once the window has rolled', async () => {
    hs.emulator.setLimits(PORTAL, { tenSecondly: 2 });
    const first = await hs.call('/crm/v3/objects/companies?limit=1');
    const second = await hs.call('/crm/v3/objects/companies?limit=1');
    expect([first, second].map((response) => response.headers.get('x-hubspot-ratelimit-remaining'))).toEqual([
      '1',
      '0',
    ]);
    expect((await hs.call('/crm/v3/objects/companies?limit=1')).status).toBe(429);
    clock.advance(10_001);
    expect((await hs.call('/crm/v3/objects/companies?limit=1')).status).toBe(200);
  });

  it('keeps the limits of each portal apart', async () => {
    hs.emulator.setLimits(PORTAL, { tenSecondly: 1 });
    await hs.call('/crm/v3/objects/companies');
    expect((await hs.call('/crm/v3/objects/companies')).status).toBe(429);
    const otherToken = hs.emulator.privateAppToken(OTHER)!;
    expect((await hs.call('/crm/v3/objects/companies', { token: otherToken })).status).toBe(200);
  });

  it('refuses with policy DAILY once the daily allowance of a private app is spent', async () => {
    hs.emulator.setLimits(PORTAL, { daily: 2 });
    await hs.call('/crm/v3/objects/companies');
    const last = await hs.call('/crm/v3/objects/companies');
    expect(last.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    const refused = await hs.call('/crm/v3/objects/companies');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
  });
});

describe('the search per-second limit', () => {
  it('answers the search over the limit with the exact message the SDK retries on', async () => {
    hs.emulator.setLimits(PORTAL, { searchPerSecond: 2 });
    const search = () => hs.client().crm.companies.searchApi.doSearch({ limit: 1 });
    await search();
    await search();
    const error = await apiError(search());
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
    });
    expect(error.headers['x-hubspot-ratelimit-secondly']).toBe('2');
    clock.advance(1_001);
    await expect(search()).resolves.toBeDefined();
  });

  it('does not spend the ten-secondly allowance on searches', async () => {
    hs.emulator.setLimits(PORTAL, { tenSecondly: 1, searchPerSecond: 10 });
    for (let call = 0; call < 3; call += 1) await hs.client().crm.companies.searchApi.doSearch({ limit: 1 });
    expect((await hs.call('/crm/v3/objects/companies')).status).toBe(200);
  });
});

describe('limits set through the admin routes', () => {
  it('applies limits PUT on /__sandbox/portals/{id}/limits', async () => {
    const response = await fetch(`${hs.url}/__sandbox/portals/${PORTAL}/limits`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenSecondly: 1 }),
    });
    expect(await response.json()).toMatchObject({ tenSecondly: 1, searchPerSecond: 5 });
    await hs.call('/crm/v3/objects/companies');
    expect((await hs.call('/crm/v3/objects/companies')).status).toBe(429);
  });
});
