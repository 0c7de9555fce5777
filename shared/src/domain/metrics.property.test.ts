import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { TierOrNone } from '../config/vocabulary.ts';
import { COST_CATEGORIES, DECISION_ROUTES, SLA_KINDS } from '../config/vocabulary.ts';
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
    category: fc.constantFrom(...COST_CATEGORIES),
    hours: fc.integer({ max: 100, min: 0 }),
  }),
);

const slaArb: fc.Arbitrary<MetricsSlaOutcome> = fc.record({
  kind: fc.constantFrom(...SLA_KINDS),
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

/** tier_1 + tier_2 + tier_3 + non_abm = all, and tier_1 + tier_2 + tier_3 = abm. */
function expectAdditive(bySegment: BySegment<number>): void {
  expect(bySegment.tier_1 + bySegment.tier_2 + bySegment.tier_3).toBe(bySegment.abm);
  expect(bySegment.abm + bySegment.non_abm).toBe(bySegment.all);
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
  it('per-tier pipeline plus non-ABM pipeline is the total pipeline, which matches a direct sum', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { pipeline } = metricsOf(input, period, now);
        expectAdditive(segmentsOf(pipeline, (p) => p.openAmount));
        expectAdditive(segmentsOf(pipeline, (p) => p.openCount));
        expectAdditive(segmentsOf(pipeline, (p) => p.createdAmount));
        expectAdditive(segmentsOf(pipeline, (p) => p.createdCount));
        const openAtEnd = input.deals.filter(
          (d) =>
            d.createdAt < period.end &&
            (d.stage === 'open' || (d.closedAt !== null && d.closedAt >= period.end)),
        );
        const created = input.deals.filter((d) => within(d.createdAt, period));
        expect(pipeline.all.openAmount).toBe(openAtEnd.reduce((sum, d) => sum + d.amount, 0));
        expect(pipeline.all.createdAmount).toBe(created.reduce((sum, d) => sum + d.amount, 0));
      }),
    );
  });

  it('per-tier won and closed counts sum to all, which match a direct count', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { conversion, roi } = metricsOf(input, period, now);
        expectAdditive(segmentsOf(conversion, (c) => c.winRate.numerator));
        expectAdditive(segmentsOf(conversion, (c) => c.winRate.denominator));
        expectAdditive(segmentsOf(conversion, (c) => c.averageWonDealSize.numerator));
        expectAdditive(segmentsOf(conversion, (c) => c.accountToOpportunity.numerator));
        expectAdditive(segmentsOf(conversion, (c) => c.accountToOpportunity.denominator));
        const closed = input.deals.filter(
          (d) => d.stage !== 'open' && d.closedAt !== null && within(d.closedAt, period),
        );
        const won = closed.filter((d) => d.stage === 'won');
        expect(conversion.all.winRate).toMatchObject({ numerator: won.length, denominator: closed.length });
        expect(conversion.all.accountToOpportunity.denominator).toBe(
          new Set(input.accounts.map((a) => a.id)).size,
        );
        expect(roi.wonAbmRevenue).toBe(conversion.abm.averageWonDealSize.numerator);
      }),
    );
  });

  it('per-tier won deals of each quarter sum to all', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        for (const quarter of metricsOf(input, period, now).wonDealSizeByQuarter) {
          expectAdditive(segmentsOf(quarter.bySegment, (s) => s.averageWonDealSize.denominator));
          expectAdditive(segmentsOf(quarter.bySegment, (s) => s.averageWonDealSize.numerator));
        }
      }),
    );
  });

  it('SLA, first-touch, tier-change, drift and review counts add up across their breakdowns', () => {
    fc.assert(
      fc.property(inputArb, periodArb, instant, (input, period, now) => {
        const { slaCompliance, timeToFirstTouchHours, governance } = metricsOf(input, period, now);
        const { overall, byKind, byOwner, byTeam } = slaCompliance;
        for (const breakdown of [Object.values(byKind), byOwner, byTeam]) {
          expect(breakdown.reduce((sum, t) => sum + t.met, 0)).toBe(overall.met);
          expect(breakdown.reduce((sum, t) => sum + t.breached, 0)).toBe(overall.breached);
        }
        expectAdditive(segmentsOf(timeToFirstTouchHours, (m) => m.count));
        expect(Object.values(governance.tierChanges.byRoute).reduce((a, b) => a + b, 0)).toBe(
          governance.tierChanges.total,
        );
        expectAdditive(governance.drift.count);
        expectAdditive(governance.overdueForReview.count);
        expect(governance.overdueForReview.count.non_abm).toBe(0);
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
          wild(slaArb, (o, noise) => ({ ...o, dueAt: noise })),
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
