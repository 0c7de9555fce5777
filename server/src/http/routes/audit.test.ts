import { AuditPageResponseSchema } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { audit, owner, page } from '../../store/sqlite/testSupport.ts';
import type { Harness } from './apiTestHarness.ts';
import {
  bearerFetch,
  errorOf,
  giveRoles,
  hubspotFetch,
  NOW,
  salesforceKey,
  seedAccounts,
  startApi,
  T0,
  TENANT_A,
  TENANT_B,
  TENANT_C,
} from './apiTestHarness.ts';

let api: Harness;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {}, a2: {} }, [
    audit('a1', T0 + 1, { comment: 'first' }),
    audit('a1', T0 + 2, { comment: 'second' }),
    audit('a1', T0 + 3, { comment: 'third' }),
    audit('a2', T0 + 4, { comment: 'other account' }),
  ]);
  await seedAccounts(api, TENANT_C.id, { c1: {} }, [audit('c1', T0 + 5, { comment: 'neighbour' })]);
  await giveRoles(api, TENANT_A.id, { u1: ['abm_manager'] });
});
afterEach(() => api.close());

const CALLER = 'portalId=111&userId=u1';
const page1 = async (path: string) =>
  AuditPageResponseSchema.parse(await (await hubspotFetch(api, 'GET', path)).json());

describe('GET /api/v1/accounts/:crmId/audit', () => {
  it("pages an account's log newest first with an opaque cursor, ending with a null cursor", async () => {
    const first = await page1(`/api/v1/accounts/a1/audit?${CALLER}&limit=2`);
    expect(first.entries.map((entry) => entry.comment)).toEqual(['third', 'second']);
    expect(first.nextCursor).not.toBeNull();
    const second = await page1(`/api/v1/accounts/a1/audit?${CALLER}&limit=2&before=${first.nextCursor}`);
    expect(second.entries.map((entry) => entry.comment)).toEqual(['first']);
    expect(second.nextCursor).toBeNull();
    expect(second.entries[0]).toMatchObject({ accountId: 'a1', actor: { userId: 'u1', role: 'marketer' } });
  });

  it("answers another tenant's account exactly as a missing one: 404 not_found", async () => {
    const neighbours = await hubspotFetch(api, 'GET', `/api/v1/accounts/c1/audit?${CALLER}`);
    const missing = await hubspotFetch(api, 'GET', `/api/v1/accounts/zz9/audit?${CALLER}`);
    expect(neighbours.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await neighbours.json()).toEqual(await missing.json());
  });

  it('refuses a cursor it did not make and a limit out of range with 400 naming the query field', async () => {
    const forged = await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${CALLER}&before=abc`);
    expect(forged.status).toBe(400);
    expect((await errorOf(forged)).issues).toEqual([
      { path: ['query', 'before'], message: expect.any(String) },
    ]);
    const tooMany = await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${CALLER}&limit=500&x=1`);
    expect(tooMany.status).toBe(400);
    const paths = (await errorOf(tooMany)).issues?.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['query', 'limit'],
        ['query', 'x'],
      ]),
    );
  });

  it('answers 401 for a wrong or expired HubSpot signature', async () => {
    const wrong = await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${CALLER}`, undefined, {
      secret: 'not-the-secret',
    });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).code).toBe('unauthorized');
    const expired = await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${CALLER}`, undefined, {
      timestamp: NOW - 6 * 60_000,
    });
    expect(expired.status).toBe(401);
  });

  it("serves a Salesforce org's account with its API key, and refuses a user the org does not have", async () => {
    await seedAccounts(api, TENANT_B.id, { '001000000000001': {} }, [audit('001000000000001', T0 + 9)]);
    await api.temp.store.savePage(TENANT_B.id, page('owners', [owner('005000000000001')]), T0);
    const key = await salesforceKey(api, TENANT_B.id);
    const ok = await bearerFetch(
      api,
      'GET',
      '/api/v1/accounts/001000000000001/audit?userId=005000000000001',
      key,
    );
    expect(ok.status).toBe(200);
    expect(AuditPageResponseSchema.parse(await ok.json()).entries).toHaveLength(1);
    const stranger = await bearerFetch(
      api,
      'GET',
      '/api/v1/accounts/001000000000001/audit?userId=005999',
      key,
    );
    expect(stranger.status).toBe(403);
    expect((await errorOf(stranger)).code).toBe('unknown_user');
  });
});

describe('GET /api/v1/audit', () => {
  it("lists the tenant's own entries only, to a user with a governance role", async () => {
    const response = await page1(`/api/v1/audit?${CALLER}`);
    expect(response.entries.map((entry) => entry.comment)).toEqual([
      'other account',
      'third',
      'second',
      'first',
    ]);
  });

  it('answers 403 forbidden to a user without a governance role', async () => {
    const response = await hubspotFetch(api, 'GET', '/api/v1/audit?portalId=111&userId=u2');
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
  });

  it('answers 401 when the signed call names no user, or a portal not connected', async () => {
    expect((await hubspotFetch(api, 'GET', '/api/v1/audit?portalId=111')).status).toBe(401);
    expect((await hubspotFetch(api, 'GET', '/api/v1/audit?portalId=999&userId=u1')).status).toBe(401);
  });
});
