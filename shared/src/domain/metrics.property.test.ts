import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { MetricSegment, TierOrNone } from '../config/vocabulary.ts';
import {
  ACCOUNT_SLA_KINDS,
  COST_CATEGORIES,
  DECISION_ROUTES,
  METRIC_SEGMENTS,
} from '../config/vocabulary.ts';
import type {
  BySegment,
  GovernanceMetrics,
  MetricRatio,
  MetricsAccount,
  MetricsApproval,
  MetricsCostLine,
  MetricsDeal,
  MetricsFirstTouch,
  MetricsInput,
  MetricsPeriod,
  MetricsSlaOutcome,
  MetricsTierChange,
} from './metrics.ts';
import { computeGovernanceMetrics } from './metrics.ts';
import { DAY_MS } from './time.ts';

const config = DEFAULT_GOVERNANCE_CONFIG;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2027, 0, 1);
/** Ten account ids exist; deals and touches also point at two that do not. */
const ACCOUNT_IDS = Array.from({ length: 10 }, (_, i) => `acc${i}`);
const REFERENCED_IDS = [...ACCOUNT_IDS, 'ghost1', 'ghost2'];

const instant = fc.integer({ min: FROM, max: TO });
const tierOrNone = fc.constantFrom<TierOrNone>('tier_1', 'tier_2', 'tier_3', null);
const periodArb: fc.Arbitrary<MetricsPeriod> = fc
  .tuple(instant, instant)
  .map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));

const accountArb: fc.Arbitrary<MetricsAccount> = fc.record(
  {
    id: fc.constantFrom(...ACCOUNT_IDS),
    tier: tierOrNone,
    ownerId: fc.constantFrom('u1', 'u2'),
    team: fc.constantFrom('east', 'west'),
    recommendedTier: tierOrNone,
    lastReviewedAt: fc.option(instant),
    tieredAt: instant,
  },
  { requiredKeys: ['id', 'tier', 'ownerId', 'team'] },
);

const dealArb: fc.Arbitrary<MetricsDeal> = fc.record({
  id: fc.string(),
  accountId: fc.constantFrom(...REFERENCED_IDS),
  amount: fc.integer({ min: 0, max: 1_000_000 }),
  stage: fc.constantFrom('open', 'won', 'lost'),
  createdAt: instant,
  closedAt: fc.option(instant),
});

const monthArb = fc
  .tuple(fc.integer({ min: 2024, max: 2027 }), fc.integer({ min: 1, max: 12 }))
  .map(([year, month]) => `${year}-${String(month).padStart(2, '0')}`);

const costLineArb: fc.Arbitrary<MetricsCostLine> = fc.oneof(
  fc.record({
    period: monthArb,
    category: fc.constantFrom(...COST_CATEGORIES),
    amount: fc.integer({ max: 10_000, min: 0 }),
  }),
  fc.record({
    period: monthArb,
    category: fc.constant('sales_time' as const),
    hours: fc.integer({ max: 100, min: 0 }),
  }),
);

const slaArb: fc.Arbitrary<MetricsSlaOutcome> = fc.record({
  kind: fc.constantFrom(...ACCOUNT_SLA_KINDS),
  ownerId: fc.constantFrom('u1', 'u2', 'u3'),
  team: fc.constantFrom('east', 'west'),
  startedAt: instant,
  dueAt: instant,
  stoppedAt: fc.option(instant),
});

const firstTouchArb: fc.Arbitrary<MetricsFirstTouch> = fc.record({
  accountId: fc.constantFrom(...REFERENCED_IDS),
  startedAt: instant,
  touchedAt: fc.option(instant),
});

const approvalArb: fc.Arbitrary<MetricsApproval> = fc.record({
  requestedAt: instant,
  decidedAt: fc.option(instant),
  dueAt: instant,
  state: fc.constantFrom('pending', 'approved', 'rejected', 'expired', 'cancelled'),
  route: fc.constantFrom(...DECISION_ROUTES),
});

const tierChangeArb: fc.Arbitrary<MetricsTierChange> = fc.record({
  at: instant,
  route: fc.constantFrom(...DECISION_ROUTES),
});

const inputArb: fc.Arbitrary<MetricsInput> = fc.record({
  accounts: fc.array(accountArb, { maxLength: 14 }),
  deals: fc.array(dealArb, { maxLength: 40 }),
  costLedger: fc.array(costLineArb, { maxLength: 10 }),
  slaOutcomes: fc.array(slaArb, { maxLength: 20 }),
  firstTouches: fc.array(firstTouchArb, { maxLength: 20 }),
  approvals: fc.array(approvalArb, { maxLength: 15 }),
  tierChanges: fc.array(tierChangeArb, { maxLength: 15 }),
});

function metricsOf(input: MetricsInput, period: MetricsPeriod, now: number): GovernanceMetrics {
  const result = computeGovernanceMetrics(input, period, now, config);
  if (!result.ok) throw new Error(`unexpected ${result.error.code}`);
  return result.value;
}

const within = (t: number, period: MetricsPeriod) => t >= period.start && t < period.end;

// The oracle: per-segment expectations computed straight from the input records, without the tier
// buckets and segment sums the implementation uses, so that a misattributed record shows up per tier.

/** The segments a record of an account with this assigned tier counts in. */
const segmentsOfTier = (tier: TierOrNone): readonly MetricSegment[] =>
  tier === null ? ['non_abm', 'all'] : [tier, 'abm', 'all'];

/** Assigned tier by account id, from the first account with that id; `undefined` for unknown ids. */
function firstTiers(accounts: readonly MetricsAccount[]): Map<string, TierOrNone> {
  const tiers = new Map<string, TierOrNone>();
  for (const account of accounts) if (!tiers.has(account.id)) tiers.set(account.id, account.tier);
  return tiers;
}

/** Σ value(record) per segment; a record of an unknown account counts as non-ABM. */
function expectedBySegment<T>(
  records: Iterable<T>,
  tierOf: (record: T) => TierOrNone | undefined,
  value: (record: T) => number = () => 1,
): BySegment<number> {
  const totals = Object.fromEntries(METRIC_SEGMENTS.map((segment) => [segment, 0])) as Record<
    MetricSegment,
    number
  >;
  for (const record of records)
    for (const segment of segmentsOfTier(tierOf(record) ?? null)) totals[segment] += value(record);
  return totals;
}

const segmentsOf = <T>(bySegment: BySegment<T>, pick: (value: T) => number): BySegment<number> => ({
  tier_1: pick(bySegment.tier_1),
  tier_2: pick(bySegment.tier_2),
  tier_3: pick(bySegment.tier_3),
  abm: pick(bySegment.abm),
  non_abm: pick(bySegment.non_abm),
  all: pick(bySegment.all),
});

const isRatio = (value: object): value is MetricRatio =>
  'value' in value && 'numerator' in value && 'denominator' in value;

/** Every number anywhere in the result, with its path. */
function* numbersIn(value: unknown, path = ''): Generator<[string, number]> {
  if (typeof value === 'number') yield [path, value];
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* numbersIn(inner, `${path}.${key}`);
  }
}

function* ratiosIn(value: unknown, path = ''): Generator<[string, MetricRatio]> {
  if (value === null || typeof value !== 'object') return;
  if (isRatio(value)) yield [path, value];
  for (const [key, inner] of Object.entries(value)) yield* ratiosIn(inner, `${path}.${key}`);
}

describe('governance metrics, properties', () => {
  it('gives each segment the pipeline of its own accounts, open at the end and created in the period', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { pipeline } = metricsOf(input, period, now);
        const tiers = firstTiers(input.accounts);
        const tierOfDeal = (deal: MetricsDeal) => tiers.get(deal.accountId);
        const openAtEnd = input.deals.filter(
          (d) =>
            d.createdAt < period.end &&
            (d.stage === 'open' || (d.closedAt !== null && d.closedAt >= period.end)),
        );
        const created = input.deals.filter((d) => within(d.createdAt, period));
        expect(segmentsOf(pipeline, (p) => p.openAmount)).toEqual(
          expectedBySegment(openAtEnd, tierOfDeal, (d) => d.amount),
        );
        expect(segmentsOf(pipeline, (p) => p.openCount)).toEqual(expectedBySegment(openAtEnd, tierOfDeal));
        expect(segmentsOf(pipeline, (p) => p.createdAmount)).toEqual(
          expectedBySegment(created, tierOfDeal, (d) => d.amount),
        );
        expect(segmentsOf(pipeline, (p) => p.createdCount)).toEqual(expectedBySegment(created, tierOfDeal));
      }),
    );
  });

  it('gives each segment the won and closed deals and the converted accounts of its own accounts', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { conversion, roi } = metricsOf(input, period, now);
        const tiers = firstTiers(input.accounts);
        const tierOfDeal = (deal: MetricsDeal) => tiers.get(deal.accountId);
        const closed = input.deals.filter(
          (d) => d.stage !== 'open' && d.closedAt !== null && within(d.closedAt, period),
        );
        const won = closed.filter((d) => d.stage === 'won');
        const wonAmount = expectedBySegment(won, tierOfDeal, (d) => d.amount);
        expect(segmentsOf(conversion, (c) => c.winRate.numerator)).toEqual(
          expectedBySegment(won, tierOfDeal),
        );
        expect(segmentsOf(conversion, (c) => c.winRate.denominator)).toEqual(
          expectedBySegment(closed, tierOfDeal),
        );
        expect(segmentsOf(conversion, (c) => c.averageWonDealSize.numerator)).toEqual(wonAmount);
        const converted = new Set(
          input.deals
            .filter((d) => within(d.createdAt, period) && tiers.has(d.accountId))
            .map((d) => d.accountId),
        );
        expect(segmentsOf(conversion, (c) => c.accountToOpportunity.numerator)).toEqual(
          expectedBySegment(converted, (id) => tiers.get(id)),
        );
        expect(segmentsOf(conversion, (c) => c.accountToOpportunity.denominator)).toEqual(
          expectedBySegment(tiers.keys(), (id) => tiers.get(id)),
        );
        expect(roi.wonAbmRevenue).toBe(wonAmount.abm);
      }),
    );
  });

  it('gives each segment, in each quarter, the deals of its own accounts won in that quarter', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const tiers = firstTiers(input.accounts);
        const tierOfDeal = (deal: MetricsDeal) => tiers.get(deal.accountId);
        for (const quarter of metricsOf(input, period, now).wonDealSizeByQuarter) {
          const won = input.deals.filter(
            (d) => d.stage === 'won' && d.closedAt !== null && within(d.closedAt, quarter),
          );
          expect(segmentsOf(quarter.bySegment, (s) => s.averageWonDealSize.denominator)).toEqual(
            expectedBySegment(won, tierOfDeal),
          );
          expect(segmentsOf(quarter.bySegment, (s) => s.averageWonDealSize.numerator)).toEqual(
            expectedBySegment(won, tierOfDeal, (d) => d.amount),
          );
        }
      }),
    );
  });

  it('counts first touches, drift and overdue reviews in the segment of their own account', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { timeToFirstTouchHours, governance } = metricsOf(input, period, now);
        const tiers = firstTiers(input.accounts);
        const touched = input.firstTouches.filter((t) => t.touchedAt !== null && within(t.touchedAt, period));
        expect(segmentsOf(timeToFirstTouchHours, (m) => m.count)).toEqual(
          expectedBySegment(touched, (t) => tiers.get(t.accountId)),
        );
        const firsts = input.accounts.filter((a, i) => input.accounts.findIndex((b) => b.id === a.id) === i);
        const drifting = firsts.filter(
          (a) => a.recommendedTier !== undefined && a.recommendedTier !== a.tier,
        );
        expect(governance.drift.count).toEqual(expectedBySegment(drifting, (a) => a.tier));
        const overdue = firsts.filter((a) => {
          if (a.tier === null || a.tieredAt === undefined || a.lastReviewedAt === undefined) return false;
          const lastLook = Math.max(a.lastReviewedAt ?? a.tieredAt, a.tieredAt);
          return lastLook + config.tiers.reviewCadenceDays[a.tier] * DAY_MS <= now;
        });
        expect(governance.overdueForReview.count).toEqual(expectedBySegment(overdue, (a) => a.tier));
      }),
    );
  });

  it('counts tier changes per route and SLA outcomes per kind, owner and team straight from the records', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { slaCompliance, governance } = metricsOf(input, period, now);
        const changes = input.tierChanges.filter((c) => within(c.at, period));
        expect(governance.tierChanges).toEqual({
          total: changes.length,
          byRoute: Object.fromEntries(
            DECISION_ROUTES.map((route) => [route, changes.filter((c) => c.route === route).length]),
          ),
        });

        const judged = input.slaOutcomes.flatMap((o) => {
          const known = o.stoppedAt !== null && o.stoppedAt <= now ? o.stoppedAt : null;
          if (known !== null && known <= o.dueAt) return within(known, period) ? [{ o, met: true }] : [];
          if (known !== null || now > o.dueAt) return within(o.dueAt, period) ? [{ o, met: false }] : [];
          return [];
        });
        const tally = (rows: typeof judged) => ({
          met: rows.filter((r) => r.met).length,
          breached: rows.filter((r) => !r.met).length,
        });
        expect(slaCompliance.overall).toMatchObject(tally(judged));
        for (const kind of ACCOUNT_SLA_KINDS)
          expect(slaCompliance.byKind[kind]).toMatchObject(tally(judged.filter((r) => r.o.kind === kind)));
        const owners = [...new Set(judged.map((r) => r.o.ownerId))].sort();
        expect(slaCompliance.byOwner.map((t) => [t.ownerId, t.met, t.breached])).toEqual(
          owners.map((ownerId) => {
            const { met, breached } = tally(judged.filter((r) => r.o.ownerId === ownerId));
            return [ownerId, met, breached];
          }),
        );
        const teams = [...new Set(judged.map((r) => r.o.team))].sort();
        expect(slaCompliance.byTeam.map((t) => [t.team, t.met, t.breached])).toEqual(
          teams.map((team) => {
            const { met, breached } = tally(judged.filter((r) => r.o.team === team));
            return [team, met, breached];
          }),
        );
      }),
    );
  });

  it('full cost is the sum of the counted categories, each non-negative', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { roi } = metricsOf(input, period, now);
        const counted = roi.countedCategories.reduce((sum, c) => sum + roi.costByCategory[c], 0);
        expect(roi.fullCost).toBeCloseTo(counted, 6);
        for (const category of COST_CATEGORIES)
          expect(roi.costByCategory[category]).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('keeps shares, conversion rates and compliance rates within [0, 1], empty only on an empty base', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const metrics = metricsOf(input, period, now);
        const bounded: MetricRatio[] = [
          ...Object.values(metrics.pipeline).flatMap((p) => [p.openShare, p.createdShare]),
          ...Object.values(metrics.conversion).flatMap((c) => [c.accountToOpportunity, c.winRate]),
          metrics.slaCompliance.overall.compliance,
          ...Object.values(metrics.slaCompliance.byKind).map((t) => t.compliance),
          ...metrics.slaCompliance.byOwner.map((t) => t.compliance),
          ...metrics.slaCompliance.byTeam.map((t) => t.compliance),
          metrics.governance.approvals.decidedWithinSla,
        ];
        for (const share of bounded) {
          if (share.denominator === 0) expect(share.value).toBeNull();
          else {
            expect(share.value).not.toBeNull();
            expect(share.value).toBeGreaterThanOrEqual(0);
            expect(share.value).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('leaves every tier untouched when deals of untargeted or unknown accounts are added', () => {
    const extraArb = fc.array(
      dealArb.map((d) => ({ ...d, accountId: 'ghost1' })),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(inputArb, extraArb, periodArb, instant, (input, extra, period, now) => {
        const before = metricsOf(input, period, now);
        const after = metricsOf({ ...input, deals: [...input.deals, ...extra] }, period, now);
        for (const tier of ['tier_1', 'tier_2', 'tier_3', 'abm'] as const) {
          expect(after.conversion[tier]).toEqual(before.conversion[tier]);
          expect(after.pipeline[tier].openAmount).toBe(before.pipeline[tier].openAmount);
          expect(after.pipeline[tier].createdAmount).toBe(before.pipeline[tier].createdAmount);
        }
        expect(after.roi).toEqual(before.roi);
      }),
    );
  });

  it('never yields NaN or Infinity, and every ratio is its numerator over its denominator, for any input', () => {
    const anyNumber = fc.oneof(instant, fc.double(), fc.integer({ min: -10, max: 1_000_000 }));
    const wild = <T>(arb: fc.Arbitrary<T>, spoil: (value: T, noise: number) => T) =>
      fc
        .tuple(arb, fc.boolean(), anyNumber)
        .map(([value, spoilt, noise]) => (spoilt ? spoil(value, noise) : value));
    const wildInput: fc.Arbitrary<MetricsInput> = fc.record(
      {
        accounts: fc.array(
          wild(accountArb, (a, noise) => ({
            ...a,
            lastReviewedAt: noise,
            tieredAt: -noise,
            tier: (noise > 0 ? 'tier_9' : a.tier) as never,
          })),
          { maxLength: 14 },
        ),
        deals: fc.array(
          wild(dealArb, (d, noise) => ({ ...d, amount: noise, closedAt: noise > 0 ? noise : d.closedAt })),
          { maxLength: 40 },
        ),
        costLedger: fc.array(
          wild(costLineArb, (l, noise) => ({ ...l, period: String(noise), amount: noise, hours: noise })),
          { maxLength: 10 },
        ),
        slaOutcomes: fc.array(
          wild(slaArb, (o, noise) => ({
            ...o,
            dueAt: noise,
            kind: (noise > 0 ? 'marketing_delivery' : o.kind) as never,
          })),
          { maxLength: 20 },
        ),
        firstTouches: fc.array(
          wild(firstTouchArb, (t, noise) => ({ ...t, startedAt: noise })),
          { maxLength: 20 },
        ),
        approvals: fc.array(
          wild(approvalArb, (a, noise) => ({ ...a, decidedAt: noise, requestedAt: -noise })),
          { maxLength: 15 },
        ),
        tierChanges: fc.array(
          wild(tierChangeArb, (c, noise) => ({ ...c, at: noise })),
          { maxLength: 15 },
        ),
        givenCounts: fc.record({
          drift: fc.record({
            tier_1: fc.nat(50),
            tier_2: fc.nat(50),
            tier_3: fc.nat(50),
            non_abm: fc.nat(50),
          }),
        }),
      },
      {
        requiredKeys: [
          'accounts',
          'deals',
          'costLedger',
          'slaOutcomes',
          'firstTouches',
          'approvals',
          'tierChanges',
        ],
      },
    );

    fc.assert(
      fc.property(wildInput, periodArb, anyNumber, (input, period, now) => {
        const result = computeGovernanceMetrics(input, period, now, config);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid_now');
          return;
        }
        for (const [path, number] of numbersIn(result.value)) {
          expect(Number.isFinite(number), `${path} = ${number}`).toBe(true);
        }
        for (const [path, share] of ratiosIn(result.value)) {
          if (share.value === null) continue;
          expect(share.denominator, path).not.toBe(0);
          expect(share.value, path).toBeCloseTo(share.numerator / share.denominator, 9);
        }
      }),
    );
  });
});
