import {
  AccountCardResponseSchema,
  AuditPageResponseSchema,
  PortfolioReviewResponseSchema,
  RecordReviewResponseSchema,
} from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { account, owner, page } from '../../store/sqlite/testSupport.ts';
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

// Recording a portfolio review over real HTTP: from the HubSpot card (signed) and the Salesforce card (org
// key), what the card, the portfolio review and the audit log then say, and what clients of earlier API
// revisions keep getting. Accounts were tiered at T0, 60 days before NOW: tier_2's cadence is over.

const DAY = 86_400_000;
const MANAGER = 'portalId=111&userId=u1';
const REP = 'portalId=111&userId=u2';
const REV3 = 'apiRevision=3';

let api: Harness;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {}, a2: {}, a3: { assignedTier: null, tieredAt: null } });
  await seedAccounts(api, TENANT_C.id, { c1: {} });
  await giveRoles(api, TENANT_A.id, { u1: ['abm_manager'], u2: ['sales_rep'] });
});
afterEach(() => api.close());

const reviewOf = (crmId: string, caller: string, body: unknown) =>
  hubspotFetch(api, 'POST', `/api/v1/accounts/${crmId}/review?${caller}&${REV3}`, body);
const cardOf = async (crmId: string, caller: string, revision = REV3) =>
  (await hubspotFetch(api, 'GET', `/api/v1/accounts/${crmId}/card?${caller}&${revision}`)).json();
const overdueOf = async (caller: string, revision = REV3) =>
  PortfolioReviewResponseSchema.parse(
    await (await hubspotFetch(api, 'GET', `/api/v1/portfolio/review?${caller}&${revision}`)).json(),
  ).overdueReviews;

describe('POST /api/v1/accounts/:crmId/review from the HubSpot card', () => {
  it('records the review: the card shows it with the next due date, and the account leaves the overdue list', async () => {
    expect((await overdueOf(MANAGER)).map((row) => [row.crmId, row.reviewAllowed])).toEqual([
      ['a1', true],
      ['a2', true],
    ]);

    const response = await reviewOf('a1', MANAGER, {
      note: 'Renewal on track',
      idempotencyKey: 'review-a1-0001',
    });

    expect(response.status).toBe(200);
    const recorded = RecordReviewResponseSchema.parse(await response.json());
    const nextDueAt = new Date(NOW + 60 * DAY).toISOString();
    expect(recorded).toMatchObject({
      reviewedBy: { userId: 'u1', role: 'abm_manager' },
      note: 'Renewal on track',
      tier: 'tier_2',
      review: { nextDueAt, overdue: false },
    });
    const card = AccountCardResponseSchema.parse(await cardOf('a1', MANAGER));
    expect(card.review).toEqual({
      lastReviewedAt: new Date(NOW).toISOString(),
      lastReviewedBy: { userId: 'u1', role: 'abm_manager', name: null },
      nextDueAt,
      overdue: false,
    });
    expect(card.actions.review).toEqual({ allowed: true });
    expect((await overdueOf(MANAGER)).map((row) => row.crmId)).toEqual(['a2']);
    const audit = AuditPageResponseSchema.parse(
      await (await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${MANAGER}&${REV3}`)).json(),
    );
    expect(audit.entries[0]).toMatchObject({
      action: 'review',
      outcome: 'recorded',
      actor: { userId: 'u1', role: 'abm_manager' },
      fromTier: 'tier_2',
      toTier: 'tier_2',
      score: 60,
      recommendedTier: 'tier_2',
      comment: 'Renewal on track',
    });
  });

  it('refuses a sales rep with 403 forbidden, shows them no review action, and records nothing', async () => {
    const response = await reviewOf('a1', REP, { idempotencyKey: 'review-a1-rep1' });

    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
    expect(AccountCardResponseSchema.parse(await cardOf('a1', REP)).actions.review).toEqual({
      allowed: false,
    });
    expect((await overdueOf(REP)).map((row) => row.reviewAllowed)).toEqual([false, false]);
    expect((await api.temp.store.accountAudit(TENANT_A.id, 'a1', { limit: 10 })).entries).toEqual([]);
  });

  it('records a request HubSpot retries once, answering the retry exactly as the first call', async () => {
    const body = { idempotencyKey: 'review-a1-retry' };
    const first = await reviewOf('a1', MANAGER, body);
    const retry = await reviewOf('a1', MANAGER, body);

    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe(await first.text());
    const entries = (await api.temp.store.accountAudit(TENANT_A.id, 'a1', { limit: 10 })).entries;
    expect(entries.filter((entry) => entry.action === 'review')).toHaveLength(1);
  });

  it('answers 409 not_targeted for an untargeted account, 404 for a neighbour portal’s, 400 for a bad body', async () => {
    const untargeted = await reviewOf('a3', MANAGER, { idempotencyKey: 'review-a3-0001' });
    expect(untargeted.status).toBe(409);
    expect((await errorOf(untargeted)).code).toBe('not_targeted');
    expect(AccountCardResponseSchema.parse(await cardOf('a3', MANAGER))).toMatchObject({
      review: null,
      actions: { review: { allowed: false } },
    });

    const neighbour = await reviewOf('c1', MANAGER, { idempotencyKey: 'review-c1-0001' });
    expect(neighbour.status).toBe(404);

    const bad = await reviewOf('a1', MANAGER, { note: 'x'.repeat(2001), extra: true });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues?.map((issue) => issue.path)).toEqual([
      ['body', 'note'],
      ['body', 'idempotencyKey'],
      ['body', 'extra'],
    ]);
  });
});

describe('POST /api/v1/accounts/:crmId/review from the Salesforce card', () => {
  it("lets the account's ABM owner record it with the org key, acting as the Salesforce user", async () => {
    const key = await salesforceKey(api, TENANT_B.id);
    await api.temp.store.savePage(
      TENANT_B.id,
      page('owners', [owner('005mk', { name: 'Marie Keller' }), owner('005rep')]),
      T0,
    );
    await seedAccounts(api, TENANT_B.id, { '001b1': {} });
    await api.temp.store.savePage(
      TENANT_B.id,
      page('accounts', [account('001b1', { abmOwnerCrmId: '005mk', modifiedAt: T0 + 1 })]),
      T0,
    );
    await giveRoles(api, TENANT_B.id, { '005mk': ['marketer'], '005rep': ['marketer'] });
    const post = (userId: string, idempotencyKey: string) =>
      bearerFetch(api, 'POST', `/api/v1/accounts/001b1/review?userId=${userId}&${REV3}`, key, {
        idempotencyKey,
      });

    const byOwner = await post('005mk', 'sf-review-0001');
    const byOtherMarketer = await post('005rep', 'sf-review-0002');

    expect(byOwner.status).toBe(200);
    expect(RecordReviewResponseSchema.parse(await byOwner.json()).reviewedBy).toEqual({
      userId: '005mk',
      role: 'marketer',
      name: 'Marie Keller',
    });
    expect(byOtherMarketer.status).toBe(403);
  });
});

describe('clients of an earlier API revision', () => {
  it('get the card, the portfolio review and the audit log exactly as before, without reviews', async () => {
    await reviewOf('a1', MANAGER, { note: 'Renewal on track', idempotencyKey: 'review-a1-0002' });

    const card = (await cardOf('a1', MANAGER, 'apiRevision=2')) as Record<string, unknown>;
    expect(Object.keys(card)).not.toContain('review');
    expect(Object.keys(card.actions as object).sort()).toEqual(['handoverFeedback', 'tierChange']);
    expect((await overdueOf(MANAGER, 'apiRevision=1')).every((row) => !('reviewAllowed' in row))).toBe(true);
    const audit = AuditPageResponseSchema.parse(
      await (await hubspotFetch(api, 'GET', `/api/v1/accounts/a1/audit?${MANAGER}`)).json(),
    );
    expect(audit.entries).toEqual([]);
    const tenantAudit = AuditPageResponseSchema.parse(
      await (await hubspotFetch(api, 'GET', `/api/v1/audit?${MANAGER}&apiRevision=2`)).json(),
    );
    expect(tenantAudit.entries.map((entry) => entry.action)).not.toContain('review');
  });
});
