import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Harness } from './apiTestHarness.ts';
import {
  bearerFetch,
  errorOf,
  hubspotFetch,
  NOW,
  salesforceKey,
  startApi,
  TENANT_A,
  TENANT_B,
  TENANT_C,
} from './apiTestHarness.ts';

let api: Harness;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

const event = (overrides: Record<string, unknown> = {}) => ({
  eventId: 100,
  subscriptionId: 7,
  portalId: 111,
  appId: 5,
  occurredAt: NOW - 1_000,
  subscriptionType: 'company.propertyChange',
  attemptNumber: 0,
  objectId: 501,
  propertyName: 'name',
  propertyValue: 'Acme',
  changeSource: 'CRM_UI',
  ...overrides,
});

const hints = (tenantId: string) => api.temp.store.takeSyncHints(tenantId, 100);
const HOOK = '/api/v1/webhooks/hubspot';

describe('POST /api/v1/webhooks/hubspot', () => {
  it('persists signed events as sync hints before answering, and records a redelivery once', async () => {
    const batch = [
      event(),
      event({ eventId: 101, subscriptionType: 'deal.creation', objectId: 601 }),
      event({ eventId: 102, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: 701 }),
      event({
        eventId: 103,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-999',
        objectId: 801,
      }),
    ];
    const first = await hubspotFetch(api, 'POST', HOOK, batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 3, duplicates: 0 });
    const again = await hubspotFetch(api, 'POST', HOOK, batch);
    expect(await again.json()).toEqual({ received: 0, duplicates: 3 });
    const pending = await hints(TENANT_A.id);
    expect(pending.map((hint) => `${hint.kind}:${hint.crmId}`).sort()).toEqual([
      'accounts:501',
      'contacts:701',
      'deals:601',
    ]);
  });

  it('files each event under its own portal and ignores portals not connected', async () => {
    const response = await hubspotFetch(api, 'POST', HOOK, [
      event({ portalId: 222, objectId: 9 }),
      event({ portalId: 999, eventId: 55, objectId: 10 }),
    ]);
    expect(await response.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await hints(TENANT_C.id)).map((hint) => hint.crmId)).toEqual(['9']);
    expect(await hints(TENANT_A.id)).toEqual([]);
  });

  it('answers 401 to a wrong or expired signature and records nothing', async () => {
    const wrong = await hubspotFetch(api, 'POST', HOOK, [event()], { secret: 'guess' });
    expect(wrong.status).toBe(401);
    const expired = await hubspotFetch(api, 'POST', HOOK, [event()], { timestamp: NOW - 10 * 60_000 });
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).code).toBe('unauthorized');
    expect(await hints(TENANT_A.id)).toEqual([]);
  });

  it('answers 401 to an org key on the HubSpot endpoint', async () => {
    const key = await salesforceKey(api, TENANT_B.id);
    expect((await bearerFetch(api, 'POST', HOOK, key, [event()])).status).toBe(401);
  });

  it('answers 400 naming the malformed event field, recording nothing', async () => {
    const response = await hubspotFetch(api, 'POST', HOOK, [event(), event({ portalId: 'abc' })]);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.map((issue) => issue.path)).toEqual([['body', 1, 'portalId']]);
    expect(await hints(TENANT_A.id)).toEqual([]);
  });
});

describe('POST /api/v1/webhooks/salesforce', () => {
  const SF = '/api/v1/webhooks/salesforce';

  it("turns a Flow's records into hints of the key's org, a record named twice once", async () => {
    const key = await salesforceKey(api, TENANT_B.id);
    const records = [
      { sobject: 'Account', id: '001000000000001AAA' },
      { sobject: 'Account', id: '001000000000001AAA' },
      { sobject: 'Opportunity', id: '006000000000001' },
    ];
    const response = await bearerFetch(api, 'POST', SF, key, { records });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 2, duplicates: 1 });
    expect((await hints(TENANT_B.id)).map((hint) => `${hint.kind}:${hint.crmId}`).sort()).toEqual([
      'accounts:001000000000001AAA',
      'deals:006000000000001',
    ]);
  });

  it('answers 401 without the org key or with a HubSpot signature, 400 for a malformed id', async () => {
    const body = { records: [{ sobject: 'Account', id: '001000000000001' }] };
    expect((await bearerFetch(api, 'POST', SF, null, body)).status).toBe(401);
    expect((await hubspotFetch(api, 'POST', SF, body)).status).toBe(401);
    const key = await salesforceKey(api, TENANT_B.id);
    const bad = await bearerFetch(api, 'POST', SF, key, { records: [{ sobject: 'Account', id: 'x' }] });
    expect((await errorOf(bad)).issues?.map((issue) => issue.path)).toEqual([['body', 'records', 0, 'id']]);
    expect(await hints(TENANT_B.id)).toEqual([]);
  });
});
