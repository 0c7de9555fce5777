import type { SlaInstance } from '@abm-pilot/shared';
import {
  GovernanceMetricsResponseSchema,
  MarketingDeliveryResponseSchema,
  PortfolioReviewResponseSchema,
} from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CrmConnector } from '../../connectors/ports.ts';
import { deal, page, slaInstance } from '../../store/sqlite/testSupport.ts';
import { checkMarketingDelivery } from '../../usecases/checkMarketingDelivery.ts';
import type { Harness } from './apiTestHarness.ts';
import {
  errorOf,
  giveRoles,
  hubspotFetch,
  NOW,
  seedAccounts,
  startApi,
  T0,
  TENANT_A,
  TENANT_C,
} from './apiTestHarness.ts';

const DAY = 86_400_000;
let api: Harness;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, {
    a1: {},
    // Assigned tier_3 while the score says tier_1: two steps of drift.
    a2: {
      assignedTier: 'tier_3',
      recommendedTier: 'tier_1',
      drift: { assigned: 'tier_3', recommended: 'tier_1', steps: 2, direction: 'below' },
    },
    // Tiered 200 days before NOW and never reviewed: past the 60-day tier_2 cadence.
    a3: { tieredAt: NOW - 200 * DAY },
  });
  await api.temp.store.savePage(TENANT_A.id, page('deals', [deal('d1', 'a1', { amount: 40_000 })]), T0);
  await seedAccounts(api, TENANT_C.id, {
    c1: {
      assignedTier: 'tier_3',
      recommendedTier: 'tier_1',
      drift: { assigned: 'tier_3', recommended: 'tier_1', steps: 2, direction: 'below' },
    },
  });
  await giveRoles(api, TENANT_A.id, { u1: ['chief_abm_officer'] });
});
afterEach(() => api.close());

const CALLER = 'portalId=111&userId=u1';
const PERIOD = `from=${new Date(T0 - 90 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`;

describe('GET /api/v1/metrics/governance', () => {
  it('counts SLA compliance of the accounts of the chosen segment only, and of every account without one', async () => {
    const clock = (key: string, accountId: string, stoppedAt: number | null) => ({
      key,
      kind: 'sales_follow_up' as const,
      accountId,
      tier: 'tier_1' as const,
      ownerId: 'o1',
      managerId: null,
      approvalId: null,
      startedAt: T0 - 10 * DAY,
      dueAt: T0 - 9 * DAY,
      atRiskAt: T0 - 9.5 * DAY,
      escalateAt: T0 - 8 * DAY,
      stoppedAt,
      stopReason: stoppedAt === null ? null : 'first_touch',
      handoverDecision: null,
    });
    await seedAccounts(api, TENANT_A.id, {
      s1: { assignedTier: 'tier_1', slaInstances: [clock('late', 's1', null)] },
      s3: { assignedTier: 'tier_3', slaInstances: [clock('kept', 's3', T0 - 9.8 * DAY)] },
    });
    const overall = async (tier: string) => {
      const response = await hubspotFetch(
        api,
        'GET',
        `/api/v1/metrics/governance?${CALLER}&${PERIOD}${tier}`,
      );
      return GovernanceMetricsResponseSchema.parse(await response.json()).metrics.slaCompliance.overall;
    };
    expect(await overall('&tier=tier_1')).toMatchObject({ met: 0, breached: 1 });
    expect(await overall('&tier=tier_3')).toMatchObject({ met: 1, breached: 0 });
    expect(await overall('&tier=abm')).toMatchObject({ met: 1, breached: 1 });
    expect(await overall('')).toMatchObject({ met: 1, breached: 1 });
  });

  it("computes the tenant's metrics for the period, as the contract's wire shape", async () => {
    const response = await hubspotFetch(
      api,
      'GET',
      `/api/v1/metrics/governance?${CALLER}&${PERIOD}&tier=tier_2`,
    );
    expect(response.status).toBe(200);
    const body = GovernanceMetricsResponseSchema.parse(await response.json());
    expect(body.tier).toBe('tier_2');
    expect(body.metrics.now).toBe(new Date(NOW).toISOString());
    expect(body.metrics.pipeline.tier_2).toMatchObject({ openCount: 1, openAmount: 40_000 });
    // Tenant C's drifting account is not counted; a2 drifts in A.
    expect(body.metrics.governance.drift.count.all).toBe(1);
  });

  it('answers period_too_long for more than a century and invalid_period outside years 0001-9999', async () => {
    const long = await hubspotFetch(
      api,
      'GET',
      `/api/v1/metrics/governance?${CALLER}&from=1900-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
    );
    expect(long.status).toBe(400);
    expect((await errorOf(long)).code).toBe('period_too_long');
    const early = await hubspotFetch(
      api,
      'GET',
      `/api/v1/metrics/governance?${CALLER}&from=0000-06-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(early.status).toBe(400);
    expect((await errorOf(early)).code).toBe('invalid_period');
  });

  it('answers 400 naming each malformed query field', async () => {
    const response = await hubspotFetch(
      api,
      'GET',
      `/api/v1/metrics/governance?${CALLER}&from=yesterday&tier=tier_9`,
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        ['query', 'from'],
        ['query', 'to'],
        ['query', 'tier'],
      ]),
    );
  });

  it('answers 403 forbidden to a user without a governance role', async () => {
    const response = await hubspotFetch(
      api,
      'GET',
      `/api/v1/metrics/governance?portalId=111&userId=u2&${PERIOD}`,
    );
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
  });
});

describe('GET /api/v1/portfolio/review', () => {
  it('lists drift largest first, overdue reviews and capacity use, of the tenant only', async () => {
    const response = await hubspotFetch(api, 'GET', `/api/v1/portfolio/review?${CALLER}`);
    expect(response.status).toBe(200);
    const body = PortfolioReviewResponseSchema.parse(await response.json());
    expect(body.drift).toEqual([
      {
        crmId: 'a2',
        name: 'Account a2',
        assigned: 'tier_3',
        recommended: 'tier_1',
        steps: 2,
        direction: 'below',
        score: 60,
      },
    ]);
    expect(body.overdueReviews.map((review) => review.crmId)).toContain('a3');
    expect(body.overdueReviews.find((review) => review.crmId === 'a3')).toMatchObject({
      tier: 'tier_2',
      overdueDays: 140,
    });
    expect(body.capacity.tier_2).toMatchObject({ count: 2, capacity: 100, over: false });
    expect(body.capacity.tier_3.count).toBe(1);
    expect(body.totals.drift).toBe(1);
  });

  it('filters by tier and cuts lists at the limit while totals count them all', async () => {
    const tier2 = PortfolioReviewResponseSchema.parse(
      await (await hubspotFetch(api, 'GET', `/api/v1/portfolio/review?${CALLER}&tier=tier_2`)).json(),
    );
    expect(tier2.drift).toEqual([]);
    const cut = PortfolioReviewResponseSchema.parse(
      await (await hubspotFetch(api, 'GET', `/api/v1/portfolio/review?${CALLER}&limit=1`)).json(),
    );
    expect(cut.overdueReviews).toHaveLength(1);
    expect(cut.totals.overdueReviews).toBeGreaterThanOrEqual(cut.overdueReviews.length);
  });

  it('answers 400 for a malformed limit, 403 without a governance role', async () => {
    const bad = await hubspotFetch(api, 'GET', `/api/v1/portfolio/review?${CALLER}&limit=0`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues?.map((issue) => issue.path)).toEqual([['query', 'limit']]);
    const noRole = await hubspotFetch(api, 'GET', '/api/v1/portfolio/review?portalId=111&userId=u2');
    expect(noRole.status).toBe(403);
  });
});

describe('GET /api/v1/metrics/marketing-delivery', () => {
  const handover = (accountId: string, tier: SlaInstance['tier'], startedAt: number, accepted?: boolean) =>
    slaInstance(accountId, {
      key: `sales_feedback:${accountId}:${startedAt}`,
      kind: 'sales_feedback',
      tier,
      startedAt,
      ...(accepted === undefined
        ? {}
        : {
            stoppedAt: startedAt + DAY,
            stopReason: accepted ? 'qualified' : 'not_a_fit',
            handoverDecision: accepted ? ('accepted' as const) : ('rejected' as const),
          }),
    });
  const DECEMBER_10 = Date.parse('2026-12-10T09:00:00.000Z');
  const JANUARY_12 = Date.parse('2027-01-12T09:00:00.000Z');

  beforeEach(async () => {
    await seedAccounts(api, TENANT_A.id, {
      h1: { slaInstances: [handover('h1', 'tier_1', DECEMBER_10, true)] },
      h2: { slaInstances: [handover('h2', 'tier_2', DECEMBER_10, false)] },
      h3: { slaInstances: [handover('h3', 'tier_1', JANUARY_12, true)] },
      h4: { slaInstances: [handover('h4', 'tier_3', JANUARY_12)] },
    });
    // Watched from T0 (30 November): December closed and was recorded by the schedule's check.
    const connector = { tenant: TENANT_A } as Partial<CrmConnector> as CrmConnector;
    await checkMarketingDelivery({ store: api.temp.store, connector, clock: () => T0 });
    await checkMarketingDelivery({ store: api.temp.store, connector, clock: () => NOW });
  });

  it('answers the month so far against its prorated commitment and the months recorded, as the contract says', async () => {
    const response = await hubspotFetch(api, 'GET', `/api/v1/metrics/marketing-delivery?${CALLER}`);
    expect(response.status).toBe(200);
    const body = MarketingDeliveryResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ asOf: new Date(NOW).toISOString(), timezone: 'Europe/Paris' });
    // 29 January 10:00 in Paris: 28.4 of January's 31 days, so 5 tier 1 MQAs a month commit 5 so far.
    expect(body.currentMonth).toMatchObject({
      month: '2027-01',
      start: '2026-12-31T23:00:00.000Z',
      end: new Date(NOW).toISOString(),
      met: false,
      byTier: {
        tier_1: { delivered: 1, committed: 5, met: false, accepted: 1, acceptanceRate: 1 },
        tier_3: { delivered: 1, committed: 37, acceptanceRate: null, qualityMet: null },
      },
    });
    expect(body.months).toHaveLength(1);
    expect(body.months[0]).toMatchObject({
      month: '2026-12',
      start: '2026-11-30T23:00:00.000Z',
      end: '2026-12-31T23:00:00.000Z',
      minAcceptanceRate: 0.6,
      met: false,
      recordedAt: new Date(NOW).toISOString(),
      byTier: {
        tier_1: { delivered: 1, committed: 5, met: false, acceptanceRate: 1 },
        tier_2: { delivered: 1, committed: 15, acceptanceRate: 0, qualityMet: false },
      },
    });
  });

  it('answers another tenant only its own months', async () => {
    await giveRoles(api, TENANT_C.id, { u1: ['abm_manager'] });
    const response = await hubspotFetch(
      api,
      'GET',
      '/api/v1/metrics/marketing-delivery?portalId=222&userId=u1',
    );
    expect(response.status).toBe(200);
    const body = MarketingDeliveryResponseSchema.parse(await response.json());
    expect(body.months).toEqual([]);
    expect(body.currentMonth?.byTier.tier_1.delivered).toBe(0);
  });

  it('answers 400 for a number of months out of range, 403 without a governance role', async () => {
    const bad = await hubspotFetch(api, 'GET', `/api/v1/metrics/marketing-delivery?${CALLER}&months=25`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues?.map((issue) => issue.path)).toEqual([['query', 'months']]);
    const noRole = await hubspotFetch(
      api,
      'GET',
      '/api/v1/metrics/marketing-delivery?portalId=111&userId=u2',
    );
    expect(noRole.status).toBe(403);
    expect((await errorOf(noRole)).code).toBe('forbidden');
  });
});
