import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { GovernanceConfig } from '../config/schema.ts';
import type {
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
import {
  computeApprovalHealth,
  computeConversion,
  computeGovernanceMetrics,
  computePipelineContribution,
  computePortfolioReview,
  computeRoiAtFullCost,
  computeSlaCompliance,
  computeTimeToFirstTouch,
  computeWonDealSizeByQuarter,
  countTierChangesByRoute,
  indexMetricsAccounts,
} from './metrics.ts';
import { medianOf, quarterIndexOf, quarterLabel, ratio } from './metricsBasics.ts';
import { DAY_MS, HOUR_MS } from './time.ts';

const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const Q1_2026: MetricsPeriod = { start: at('2026-01-01'), end: at('2026-04-01') };
const NOW = at('2026-04-15');
const config = DEFAULT_GOVERNANCE_CONFIG;

const account = (id: string, tier: MetricsAccount['tier'], extra: Partial<MetricsAccount> = {}) => ({
  id,
  tier,
  ownerId: 'owner',
  team: 'team',
  ...extra,
});

const ACCOUNTS: MetricsAccount[] = [
  account('a1', 'tier_1'),
  account('a2', 'tier_1'),
  account('a3', 'tier_2'),
  account('a4', 'tier_3'),
  account('a5', null),
  account('a6', null),
];

const deal = (
  id: string,
  accountId: string,
  amount: number,
  stage: MetricsDeal['stage'],
  created: string,
  closed: string | null = null,
): MetricsDeal => ({
  id,
  accountId,
  amount,
  stage,
  createdAt: at(created),
  closedAt: closed === null ? null : at(closed),
});

const DEALS: MetricsDeal[] = [
  deal('d1', 'a1', 100, 'won', '2025-12-01', '2026-01-31'),
  deal('d2', 'a1', 50, 'open', '2026-02-01'),
  deal('d3', 'a2', 200, 'lost', '2026-01-10', '2026-03-10'),
  deal('d4', 'a3', 300, 'won', '2026-01-05', '2026-02-04'),
  deal('d5', 'a3', 80, 'open', '2025-11-01'),
  deal('d6', 'a4', 40, 'won', '2026-03-01', '2026-04-10'),
  deal('d7', 'a5', 500, 'won', '2026-02-01', '2026-03-03'),
  deal('d8', 'a5', 120, 'lost', '2025-10-01', '2026-01-15'),
  deal('d9', 'ghost', 70, 'open', '2026-03-15'),
  deal('d10', 'a6', 60, 'won', '2025-09-01', '2025-12-20'),
  deal('d11', 'a2', 90, 'won', '2025-10-01', '2025-11-15'),
];

const index = indexMetricsAccounts(ACCOUNTS);

describe('ratio', () => {
  it('divides the numerator by the denominator and keeps both', () => {
    expect(ratio(3, 4)).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
  });

  it('is empty (null), not NaN or Infinity, when the denominator is 0', () => {
    expect(ratio(0, 0)).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(ratio(5, 0)).toEqual({ value: null, numerator: 5, denominator: 0 });
  });

  it('is empty when the quotient overflows', () => {
    expect(ratio(Number.MAX_VALUE, 1e-300).value).toBeNull();
  });
});

describe('medianOf', () => {
  it('takes the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(medianOf([9, 1, 5])).toEqual({ value: 5, count: 3 });
    expect(medianOf([10, 4, 1, 6])).toEqual({ value: 5, count: 4 });
  });

  it('is null with a count of 0 when there are no values', () => {
    expect(medianOf([])).toEqual({ value: null, count: 0 });
  });
});

describe('calendar quarters', () => {
  it('numbers UTC quarters consecutively across a year end, labelled YYYY-Qn', () => {
    const q4 = quarterIndexOf(at('2025-12-31T23:59:59.999Z'));
    const q1 = quarterIndexOf(at('2026-01-01'));
    expect(q1 - q4).toBe(1);
    expect(quarterLabel(q4)).toBe('2025-Q4');
    expect(quarterLabel(q1)).toBe('2026-Q1');
  });
});

describe('indexMetricsAccounts', () => {
  it('keeps the first of duplicate ids and leaves out accounts with an unknown tier', () => {
    const indexed = indexMetricsAccounts([
      account('x', 'tier_1'),
      account('x', 'tier_3'),
      { ...account('y', null), tier: 'tier_9' as never },
      account('z', null),
    ]);
    expect(indexed.accounts.map((a) => a.id)).toEqual(['x', 'z']);
    expect(indexed.accountsPerBucket).toEqual([1, 0, 0, 1]);
    expect(indexed.duplicateAccountIds).toBe(1);
    expect(indexed.invalidAccounts).toBe(1);
  });
});

describe('computePipelineContribution', () => {
  const pipeline = computePipelineContribution(index, DEALS, Q1_2026);

  it('sums deals open at the end of the period, including those closed only after it', () => {
    expect(pipeline.tier_1.openAmount).toBe(50);
    expect(pipeline.tier_2.openAmount).toBe(80);
    expect(pipeline.tier_3.openAmount).toBe(40);
    expect(pipeline.abm.openAmount).toBe(170);
    expect(pipeline.non_abm.openAmount).toBe(70);
    expect(pipeline.all).toMatchObject({ openAmount: 240, openCount: 4 });
  });

  it('sums deals created in the period, whatever their stage', () => {
    expect(pipeline.tier_1).toMatchObject({ createdAmount: 250, createdCount: 2 });
    expect(pipeline.abm).toMatchObject({ createdAmount: 590, createdCount: 4 });
    expect(pipeline.non_abm).toMatchObject({ createdAmount: 570, createdCount: 2 });
    expect(pipeline.all).toMatchObject({ createdAmount: 1160, createdCount: 6 });
  });

  it('gives each segment its share of all pipeline', () => {
    expect(pipeline.tier_1.openShare).toEqual({ value: 50 / 240, numerator: 50, denominator: 240 });
    expect(pipeline.abm.createdShare).toEqual({ value: 590 / 1160, numerator: 590, denominator: 1160 });
    expect(pipeline.all.openShare.value).toBe(1);
  });

  it('counts a deal closed exactly at the end of the period as still open in it', () => {
    const closingAtEnd = { ...deal('e', 'a1', 25, 'won', '2026-02-01'), closedAt: Q1_2026.end };
    expect(computePipelineContribution(index, [closingAtEnd], Q1_2026).tier_1.openAmount).toBe(25);
  });

  it('counts a deal of an account missing from the list as non-ABM', () => {
    const onlyGhost = computePipelineContribution(
      index,
      [deal('g', 'ghost', 70, 'open', '2026-03-15')],
      Q1_2026,
    );
    expect(onlyGhost.non_abm.openAmount).toBe(70);
    expect(onlyGhost.abm.openAmount).toBe(0);
  });

  it('leaves shares empty when there is no pipeline at all', () => {
    const empty = computePipelineContribution(index, [], Q1_2026);
    expect(empty.abm.openShare).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(empty.abm.createdShare.value).toBeNull();
  });

  it('leaves out deals with an unusable amount or date instead of summing NaN', () => {
    const noisy = [
      ...DEALS,
      deal('bad1', 'a1', Number.NaN, 'open', '2026-02-01'),
      deal('bad2', 'a1', -5, 'open', '2026-02-01'),
      { ...deal('bad3', 'a1', 5, 'open', '2026-02-01'), createdAt: Number.POSITIVE_INFINITY },
    ];
    expect(computePipelineContribution(index, noisy, Q1_2026)).toEqual(pipeline);
  });

  it('throws on a period that ends before it starts, a caller error', () => {
    expect(() =>
      computePipelineContribution(index, DEALS, { start: Q1_2026.end, end: Q1_2026.start }),
    ).toThrow(RangeError);
  });
});

describe('computeConversion', () => {
  const conversion = computeConversion(index, DEALS, Q1_2026);

  it('divides accounts with a deal created in the period by the accounts of the segment', () => {
    expect(conversion.tier_1.accountToOpportunity).toEqual({ value: 1, numerator: 2, denominator: 2 });
    expect(conversion.non_abm.accountToOpportunity).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(conversion.all.accountToOpportunity).toEqual({ value: 5 / 6, numerator: 5, denominator: 6 });
  });

  it('counts an account once however many deals it opened', () => {
    const twoDeals = [deal('x1', 'a1', 1, 'open', '2026-01-02'), deal('x2', 'a1', 1, 'open', '2026-01-03')];
    expect(computeConversion(index, twoDeals, Q1_2026).tier_1.accountToOpportunity.numerator).toBe(1);
  });

  it('takes the win rate among deals won or lost in the period', () => {
    expect(conversion.tier_1.winRate).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(conversion.tier_2.winRate).toEqual({ value: 1, numerator: 1, denominator: 1 });
    expect(conversion.abm.winRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(conversion.all.winRate).toEqual({ value: 0.6, numerator: 3, denominator: 5 });
  });

  it('leaves the win rate, deal size, cycle and velocity empty for a segment with nothing closed', () => {
    expect(conversion.tier_3.winRate).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(conversion.tier_3.averageWonDealSize.value).toBeNull();
    expect(conversion.tier_3.salesCycleDays.value).toBeNull();
    expect(conversion.tier_3.velocityPerDay.value).toBeNull();
  });

  it('averages the won amount and the days from creation to close of deals won in the period', () => {
    expect(conversion.abm.averageWonDealSize).toEqual({ value: 200, numerator: 400, denominator: 2 });
    expect(conversion.tier_1.salesCycleDays.value).toBeCloseTo(61, 10);
    expect(conversion.abm.salesCycleDays.value).toBeCloseTo(45.5, 10);
    expect(conversion.all.salesCycleDays.value).toBeCloseTo(121 / 3, 10);
  });

  it('counts a won deal closed before its recorded creation as a cycle of 0 days, not a negative one', () => {
    const backdated = [
      deal('b', 'a1', 10, 'won', '2026-03-01', '2026-02-01'),
      deal('c', 'a1', 10, 'won', '2026-01-01', '2026-01-03'),
    ];
    expect(computeConversion(index, backdated, Q1_2026).tier_1.salesCycleDays).toEqual({
      value: 1,
      numerator: 2,
      denominator: 2,
    });
  });

  it('computes velocity as opportunities × average deal × win rate / cycle days', () => {
    expect(conversion.tier_1.opportunitiesCreated).toBe(2);
    expect(conversion.tier_1.velocityPerDay.value).toBeCloseTo((2 * 100 * 0.5) / 61, 10);
    expect(conversion.abm.velocityPerDay.value).toBeCloseTo((4 * 200 * (2 / 3)) / 45.5, 10);
    expect(conversion.all.velocityPerDay.value).toBeCloseTo((6 * 300 * 0.6) / (121 / 3), 10);
  });

  it('leaves velocity empty rather than infinite when every win closed the instant it was created', () => {
    const instant = [deal('i', 'a1', 10, 'won', '2026-02-01', '2026-02-01')];
    expect(computeConversion(index, instant, Q1_2026).tier_1.velocityPerDay).toMatchObject({
      value: null,
      denominator: 0,
    });
  });

  it('leaves account → opportunity empty for a segment without accounts', () => {
    const none = computeConversion(indexMetricsAccounts([]), DEALS, Q1_2026);
    expect(none.abm.accountToOpportunity).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});

describe('computeWonDealSizeByQuarter', () => {
  it('averages won deals per calendar quarter and compares with the quarter before', () => {
    const [q1, ...rest] = computeWonDealSizeByQuarter(index, DEALS, Q1_2026);
    expect(rest).toEqual([]);
    expect(q1).toMatchObject({ quarter: '2026-Q1', start: at('2026-01-01'), end: at('2026-04-01') });
    const bySegment = q1!.bySegment;
    expect(bySegment.tier_1.averageWonDealSize).toEqual({ value: 100, numerator: 100, denominator: 1 });
    expect(bySegment.tier_1.changeFromPreviousQuarter.value).toBeCloseTo(10 / 90, 12);
    expect(bySegment.abm.averageWonDealSize.value).toBe(200);
    expect(bySegment.abm.changeFromPreviousQuarter).toEqual({
      value: 110 / 90,
      numerator: 110,
      denominator: 90,
    });
    expect(bySegment.non_abm.changeFromPreviousQuarter.value).toBeCloseTo(440 / 60, 12);
    expect(bySegment.all.changeFromPreviousQuarter).toEqual({ value: 3, numerator: 225, denominator: 75 });
  });

  it('leaves the change empty when the previous quarter had no win in the segment', () => {
    const [q1] = computeWonDealSizeByQuarter(index, DEALS, Q1_2026);
    expect(q1!.bySegment.tier_2.averageWonDealSize.value).toBe(300);
    expect(q1!.bySegment.tier_2.changeFromPreviousQuarter).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
    expect(q1!.bySegment.tier_3.averageWonDealSize.value).toBeNull();
  });

  it('lists every quarter the period overlaps, each one whole', () => {
    const twoQuarters = computeWonDealSizeByQuarter(index, DEALS, {
      start: at('2025-11-10'),
      end: at('2026-02-15'),
    });
    expect(twoQuarters.map((q) => q.quarter)).toEqual(['2025-Q4', '2026-Q1']);
    expect(twoQuarters[0]!.bySegment.all.averageWonDealSize).toEqual({
      value: 75,
      numerator: 150,
      denominator: 2,
    });
    // Q3 2025 had no win: nothing to compare the first quarter with.
    expect(twoQuarters[0]!.bySegment.all.changeFromPreviousQuarter.value).toBeNull();
    // d6 closes in Q2 and d1 on 31 January: the whole of Q1 counts even though the period ends mid-February.
    expect(twoQuarters[1]!.bySegment.all.averageWonDealSize.denominator).toBe(3);
  });

  it('yields no quarter for an empty period', () => {
    expect(computeWonDealSizeByQuarter(index, DEALS, { start: Q1_2026.start, end: Q1_2026.start })).toEqual(
      [],
    );
  });
});

const costLine = (
  period: string,
  category: MetricsCostLine['category'],
  cost: { amount?: number; hours?: number },
) => ({
  period,
  category,
  ...cost,
});

const LEDGER: MetricsCostLine[] = [
  costLine('2026-01', 'programme_budget', { amount: 100 }),
  costLine('2026-02', 'sales_time', { hours: 2 }),
  costLine('2026-03', 'content', { amount: 30 }),
  costLine('2026-03', 'technology', { amount: 20 }),
  costLine('2026-02', 'training', { amount: 10 }),
  costLine('2025-12', 'content', { amount: 999 }),
  costLine('2026-04', 'programme_budget', { amount: 999 }),
];

describe('computeRoiAtFullCost', () => {
  it('returns (won ABM revenue × gross margin − full cost) / full cost with the cost by category', () => {
    const roi = computeRoiAtFullCost(400, LEDGER, Q1_2026, config.costs);
    expect(roi.costByCategory).toEqual({
      programme_budget: 100,
      sales_time: 190,
      content: 30,
      technology: 20,
      training: 10,
    });
    expect(roi.fullCost).toBe(350);
    expect(roi.grossProfit).toBeCloseTo(280, 10);
    expect(roi.roi.value).toBeCloseTo(-0.2, 10);
    expect(roi.roi.denominator).toBe(350);
    expect(roi.valuedSalesHours).toBe(2);
    expect(roi.currency).toBe('EUR');
  });

  it('takes an amount as given even on a line that also has hours', () => {
    const roi = computeRoiAtFullCost(
      0,
      [costLine('2026-01', 'sales_time', { amount: 40, hours: 3 })],
      Q1_2026,
      config.costs,
    );
    expect(roi.costByCategory.sales_time).toBe(40);
    expect(roi.valuedSalesHours).toBe(0);
  });

  it('counts a month that straddles the period pro rata of its days inside', () => {
    const secondHalfOfFebruary = { start: at('2026-02-15'), end: at('2026-03-01') };
    const roi = computeRoiAtFullCost(0, LEDGER, secondHalfOfFebruary, config.costs);
    expect(roi.costByCategory.sales_time).toBeCloseTo(95, 10);
    expect(roi.costByCategory.training).toBeCloseTo(5, 10);
    expect(roi.costByCategory.programme_budget).toBe(0);
    expect(roi.valuedSalesHours).toBeCloseTo(1, 10);
  });

  it('keeps categories the tenant does not count out of full cost, but in view', () => {
    const costs = { ...config.costs, categories: config.costs.categories.filter((c) => c !== 'training') };
    const roi = computeRoiAtFullCost(400, LEDGER, Q1_2026, costs);
    expect(roi.fullCost).toBe(340);
    expect(roi.uncountedCost).toBe(10);
    expect(roi.costByCategory.training).toBe(10);
    expect(roi.countedCategories).not.toContain('training');
  });

  it('leaves ROI empty when there is no cost in the period', () => {
    expect(computeRoiAtFullCost(400, [], Q1_2026, config.costs).roi).toMatchObject({
      value: null,
      denominator: 0,
    });
  });

  it('leaves out hours on any category but sales_time, counting the line as unusable', () => {
    const ledger = [
      costLine('2026-01', 'content', { hours: 10 }),
      costLine('2026-01', 'training', { amount: 50, hours: 2 }),
      costLine('2026-01', 'sales_time', { hours: 1 }),
    ];
    const roi = computeRoiAtFullCost(0, ledger, Q1_2026, config.costs);
    expect(roi.costByCategory).toMatchObject({ content: 0, training: 0, sales_time: 95 });
    const input: MetricsInput = {
      accounts: [],
      deals: [],
      costLedger: ledger,
      slaOutcomes: [],
      firstTouches: [],
      approvals: [],
      tierChanges: [],
    };
    const result = computeGovernanceMetrics(input, Q1_2026, NOW, config);
    expect(result.ok && result.value.dataQuality.excluded.costLines).toBe(2);
  });

  it('leaves out lines with an unparseable month, a negative amount or nothing to cost', () => {
    const roi = computeRoiAtFullCost(
      0,
      [
        costLine('2026-Q1', 'content', { amount: 5 }),
        costLine('2026-13', 'content', { amount: 5 }),
        costLine('2026-01', 'content', { amount: -5 }),
        costLine('2026-01', 'content', {}),
        costLine('2026-01', 'content', { amount: 7 }),
      ],
      Q1_2026,
      config.costs,
    );
    expect(roi.fullCost).toBe(7);
  });
});

const outcome = (
  kind: MetricsSlaOutcome['kind'],
  ownerId: string,
  team: string,
  due: string,
  stopped: string | null,
): MetricsSlaOutcome => ({
  kind,
  ownerId,
  team,
  startedAt: at(due) - DAY_MS,
  dueAt: at(due),
  stoppedAt: stopped === null ? null : at(stopped),
});

const SLA_OUTCOMES: MetricsSlaOutcome[] = [
  outcome('sales_follow_up', 'u1', 'east', '2026-01-10', '2026-01-09'),
  outcome('sales_follow_up', 'u1', 'east', '2026-01-20', '2026-01-25'),
  outcome('sales_feedback', 'u2', 'west', '2026-02-10', null),
  outcome('sales_feedback', 'u2', 'west', '2026-05-01', null),
  outcome('sales_feedback', 'u3', 'west', '2026-03-31T23:00:00Z', '2026-03-31T22:00:00Z'),
  outcome('approval_decision', 'u1', 'east', '2025-12-30', '2026-01-02'),
  outcome('sales_follow_up', 'u3', 'west', '2026-03-31', '2026-03-31'),
];

describe('computeSlaCompliance', () => {
  const sla = computeSlaCompliance(SLA_OUTCOMES, Q1_2026, NOW);

  it('divides instances met by instances met or breached in the period, leaving out open ones', () => {
    expect(sla.overall).toEqual({
      met: 3,
      breached: 2,
      compliance: { value: 0.6, numerator: 3, denominator: 5 },
    });
  });

  it('counts a breach in the period of its due time even when the instance stopped later', () => {
    const lateAcrossYearEnd = computeSlaCompliance(
      SLA_OUTCOMES,
      { start: at('2025-12-01'), end: at('2026-01-01') },
      NOW,
    );
    expect(lateAcrossYearEnd.byKind.approval_decision).toMatchObject({ met: 0, breached: 1 });
  });

  it('splits compliance per SLA kind, with an empty ratio for a kind without decided instances', () => {
    expect(sla.byKind.sales_follow_up.compliance).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(sla.byKind.sales_feedback.compliance).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(sla.byKind.approval_decision.compliance).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(Object.keys(sla.byKind)).not.toContain('marketing_delivery');
  });

  it('judges as slaStatus does: a stop recorded after now is not known yet at now', () => {
    const answeredLater = outcome('sales_follow_up', 'u1', 'east', '2026-03-10', '2026-03-05');
    expect(computeSlaCompliance([answeredLater], Q1_2026, at('2026-03-01')).overall).toMatchObject({
      met: 0,
      breached: 0,
    });
    expect(computeSlaCompliance([answeredLater], Q1_2026, at('2026-03-06')).overall).toMatchObject({
      met: 1,
      breached: 0,
    });
  });

  it('leaves out marketing_delivery outcomes, which have their own report, and counts them as unusable', () => {
    const marketing = { ...SLA_OUTCOMES[0]!, kind: 'marketing_delivery' as never };
    const input: MetricsInput = {
      accounts: [],
      deals: [],
      costLedger: [],
      slaOutcomes: [...SLA_OUTCOMES, marketing],
      firstTouches: [],
      approvals: [],
      tierChanges: [],
    };
    const result = computeGovernanceMetrics(input, Q1_2026, NOW, config);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.slaCompliance).toEqual(sla);
    expect(result.value.dataQuality.excluded.slaOutcomes).toBe(1);
  });

  it('splits compliance per owner and per team, sorted by key', () => {
    expect(sla.byOwner.map((o) => [o.ownerId, o.met, o.breached])).toEqual([
      ['u1', 1, 1],
      ['u2', 0, 1],
      ['u3', 2, 0],
    ]);
    expect(sla.byTeam.map((t) => [t.team, t.compliance.value])).toEqual([
      ['east', 0.5],
      ['west', 2 / 3],
    ]);
  });
});

describe('computeTimeToFirstTouch', () => {
  const touch = (accountId: string, started: string, hours: number | null): MetricsFirstTouch => ({
    accountId,
    startedAt: at(started),
    touchedAt: hours === null ? null : at(started) + hours * HOUR_MS,
  });
  const touches = [
    touch('a1', '2026-01-01', 4),
    touch('a2', '2026-01-02', 10),
    touch('a3', '2026-01-03', 20),
    touch('a5', '2026-01-04', 2),
    touch('ghost', '2026-01-05', 6),
    touch('a4', '2026-01-06', null),
    touch('a4', '2026-03-31T20:00:00Z', 6),
  ];
  const medians = computeTimeToFirstTouch(index, touches, Q1_2026);

  it('takes the median wall-clock hours of first touches logged in the period, per segment', () => {
    expect(medians.tier_1).toEqual({ value: 7, count: 2 });
    expect(medians.tier_2).toEqual({ value: 20, count: 1 });
    expect(medians.abm).toEqual({ value: 10, count: 3 });
    expect(medians.non_abm).toEqual({ value: 4, count: 2 });
    expect(medians.all).toEqual({ value: 6, count: 5 });
  });

  it('is null for a segment without first touches, untouched accounts and later touches left out', () => {
    expect(medians.tier_3).toEqual({ value: null, count: 0 });
  });
});

const approval = (
  state: MetricsApproval['state'],
  requested: string,
  due: string,
  decided: string | null,
  route: MetricsApproval['route'] = 'tier_1',
): MetricsApproval => ({
  state,
  route,
  requestedAt: at(requested),
  dueAt: at(due),
  decidedAt: decided === null ? null : at(decided),
});

const APPROVALS: MetricsApproval[] = [
  approval('approved', '2026-01-05', '2026-01-12', '2026-01-06'),
  approval('rejected', '2026-02-01', '2026-02-08', '2026-02-11'),
  approval('pending', '2026-03-01', '2026-03-08', null),
  approval('pending', '2026-04-10', '2026-04-17', null),
  approval('cancelled', '2026-01-15', '2026-01-22', '2026-01-16'),
  approval('expired', '2026-01-01', '2026-01-08', null),
  approval('approved', '2026-03-20', '2026-03-27', '2026-03-21T12:00:00Z'),
];

describe('computeApprovalHealth', () => {
  const health = computeApprovalHealth(APPROVALS, Q1_2026, NOW);

  it('measures lead time in hours over approvals decided in the period, median and mean', () => {
    expect(health.decided).toBe(3);
    expect(health.leadTimeHours.median).toEqual({ value: 36, count: 3 });
    expect(health.leadTimeHours.mean).toEqual({ value: 100, numerator: 300, denominator: 3 });
  });

  it('counts late decisions, expiries and overdue pending requests against the SLA, not cancellations', () => {
    expect(health.decidedWithinSla).toEqual({ value: 0.4, numerator: 2, denominator: 5 });
  });

  it('reports pending and overdue requests as of now', () => {
    expect(health).toMatchObject({ pendingNow: 2, overduePendingNow: 1 });
  });

  it('leaves lead time and SLA share empty when nothing was decided or due in the period', () => {
    const empty = computeApprovalHealth([], Q1_2026, NOW);
    expect(empty.leadTimeHours.median).toEqual({ value: null, count: 0 });
    expect(empty.leadTimeHours.mean.value).toBeNull();
    expect(empty.decidedWithinSla.value).toBeNull();
  });
});

describe('countTierChangesByRoute', () => {
  it('counts tier changes applied in the half-open period by route', () => {
    const changes: MetricsTierChange[] = [
      { at: at('2026-01-10'), route: 'routine' },
      { at: at('2026-02-01'), route: 'routine' },
      { at: at('2026-03-05'), route: 'tier_1' },
      { at: at('2025-12-31'), route: 'over_capacity' },
      { at: Q1_2026.end, route: 'sales_request' },
    ];
    expect(countTierChangesByRoute(changes, Q1_2026)).toEqual({
      total: 3,
      byRoute: { routine: 2, sales_request: 0, tier_1: 1, over_capacity: 0 },
    });
  });
});

describe('computePortfolioReview', () => {
  const longAgo = at('2025-01-01');
  const reviewed = indexMetricsAccounts([
    account('a1', 'tier_1', {
      recommendedTier: 'tier_1',
      lastReviewedAt: at('2026-04-01'),
      tieredAt: longAgo,
    }),
    account('a2', 'tier_1', {
      recommendedTier: 'tier_2',
      lastReviewedAt: at('2026-03-01'),
      tieredAt: longAgo,
    }),
    account('a3', 'tier_2', { recommendedTier: 'tier_2', lastReviewedAt: null, tieredAt: NOW - 61 * DAY_MS }),
    account('a4', 'tier_3', { recommendedTier: null }),
    account('a5', null, { recommendedTier: 'tier_3', lastReviewedAt: at('2020-01-01'), tieredAt: longAgo }),
    account('a6', null),
    account('a7', 'tier_2', { lastReviewedAt: NOW - 60 * DAY_MS + 1, tieredAt: longAgo }),
    account('a8', 'tier_3', { lastReviewedAt: null, tieredAt: NOW - 10 * DAY_MS }),
    account('a9', 'tier_3', { lastReviewedAt: NOW - 90 * DAY_MS, tieredAt: longAgo }),
    account('a10', 'tier_1', { lastReviewedAt: null }),
    account('a11', 'tier_1', { lastReviewedAt: at('2025-06-01'), tieredAt: NOW - 5 * DAY_MS }),
  ]);

  it('counts drift by assigned tier among accounts that carry a recommendation', () => {
    const { drift } = computePortfolioReview(reviewed, NOW, config.tiers);
    expect(drift.source).toBe('computed');
    expect(drift.count).toEqual({ tier_1: 1, tier_2: 0, tier_3: 1, abm: 2, non_abm: 1, all: 3 });
  });

  it('counts targeted accounts whose review is due by the rule of reviewsDue', () => {
    const { overdueForReview } = computePortfolioReview(reviewed, NOW, config.tiers);
    // Overdue: a2 (reviewed 45 days ago, tier_1), a3 (never reviewed, tiered 61 days ago), a9 (exactly
    // at its 90-day cadence). Not yet: a7 (a millisecond short of 60 days), a8 (never reviewed but
    // tiered 10 days ago), a11 (reviewed long ago, but re-tiered 5 days ago). a10 has no tiering date.
    expect(overdueForReview.count).toEqual({ tier_1: 1, tier_2: 1, tier_3: 1, abm: 3, non_abm: 0, all: 3 });
  });

  it('takes given counts as they are when the caller has them', () => {
    const given = { tier_1: 4, tier_2: 3, tier_3: 2, non_abm: 1 };
    const review = computePortfolioReview(reviewed, NOW, config.tiers, { drift: given });
    expect(review.drift).toEqual({
      source: 'given',
      count: { tier_1: 4, tier_2: 3, tier_3: 2, abm: 9, non_abm: 1, all: 10 },
    });
    expect(review.overdueForReview.source).toBe('computed');
  });
});

describe('computeGovernanceMetrics', () => {
  const input: MetricsInput = {
    accounts: ACCOUNTS,
    deals: DEALS,
    costLedger: LEDGER,
    slaOutcomes: SLA_OUTCOMES,
    firstTouches: [],
    approvals: APPROVALS,
    tierChanges: [],
  };

  it('returns every metric of the period, the same as the individual functions', () => {
    const result = computeGovernanceMetrics(input, Q1_2026, NOW, config);
    if (!result.ok) throw new Error(result.error.message);
    const metrics = result.value;
    expect(metrics.pipeline).toEqual(computePipelineContribution(index, DEALS, Q1_2026));
    expect(metrics.conversion).toEqual(computeConversion(index, DEALS, Q1_2026));
    expect(metrics.wonDealSizeByQuarter).toEqual(computeWonDealSizeByQuarter(index, DEALS, Q1_2026));
    expect(metrics.slaCompliance).toEqual(computeSlaCompliance(SLA_OUTCOMES, Q1_2026, NOW));
    expect(metrics.governance.approvals).toEqual(computeApprovalHealth(APPROVALS, Q1_2026, NOW));
    expect(metrics).toMatchObject({ period: Q1_2026, now: NOW, configVersion: config.version });
  });

  it('computes ROI from the deals won in the period on targeted accounts', () => {
    const result = computeGovernanceMetrics(input, Q1_2026, NOW, config);
    expect(result.ok && result.value.roi).toMatchObject({ wonAbmRevenue: 400, fullCost: 350 });
  });

  it('reports what it left out or attributed by default', () => {
    const noisy: MetricsInput = {
      ...input,
      accounts: [...ACCOUNTS, account('a1', 'tier_3')],
      deals: [
        ...DEALS,
        deal('bad', 'a1', Number.NaN, 'open', '2026-01-01'),
        deal('c', 'a1', 5, 'won', '2026-01-01'),
      ],
      costLedger: [...LEDGER, costLine('someday', 'content', { amount: 1 })],
    };
    const result = computeGovernanceMetrics(noisy, Q1_2026, NOW, config);
    expect(result.ok && result.value.dataQuality).toEqual({
      excluded: {
        accounts: 0,
        deals: 1,
        costLines: 1,
        slaOutcomes: 0,
        firstTouches: 0,
        approvals: 0,
        tierChanges: 0,
      },
      duplicateAccountIds: 1,
      dealsWithoutAccount: 1,
      firstTouchesWithoutAccount: 0,
      closedDealsWithoutCloseDate: 1,
    });
  });

  it('gives empty ratios, not NaN, when there is no data at all', () => {
    const empty: MetricsInput = {
      accounts: [],
      deals: [],
      costLedger: [],
      slaOutcomes: [],
      firstTouches: [],
      approvals: [],
      tierChanges: [],
    };
    const result = computeGovernanceMetrics(empty, Q1_2026, NOW, config);
    if (!result.ok) throw new Error(result.error.message);
    const { conversion, pipeline, roi, slaCompliance, wonDealSizeByQuarter } = result.value;
    expect(conversion.all.winRate.value).toBeNull();
    expect(conversion.all.velocityPerDay.value).toBeNull();
    expect(pipeline.abm.openShare.value).toBeNull();
    expect(roi.roi.value).toBeNull();
    expect(slaCompliance.overall.compliance.value).toBeNull();
    expect(wonDealSizeByQuarter[0]!.bySegment.all.averageWonDealSize.value).toBeNull();
  });

  it('refuses a period that ends before it starts or that is not made of instants', () => {
    const backwards = computeGovernanceMetrics(
      input,
      { start: Q1_2026.end, end: Q1_2026.start },
      NOW,
      config,
    );
    expect(!backwards.ok && backwards.error.code).toBe('invalid_period');
    const notANumber = computeGovernanceMetrics(input, { start: Number.NaN, end: Q1_2026.end }, NOW, config);
    expect(!notANumber.ok && notANumber.error.code).toBe('invalid_period');
  });

  it('refuses a period longer than a century of quarters', () => {
    const result = computeGovernanceMetrics(
      input,
      { start: at('1900-01-01'), end: at('2026-01-01') },
      NOW,
      config,
    );
    expect(!result.ok && result.error.code).toBe('period_too_long');
  });

  it('refuses a now that is not an instant', () => {
    const result = computeGovernanceMetrics(input, Q1_2026, Number.NaN, config);
    expect(!result.ok && result.error.code).toBe('invalid_now');
  });

  it('refuses given counts that are not non-negative integers', () => {
    const givenCounts = { overdueForReview: { tier_1: -1, tier_2: 0, tier_3: 0, non_abm: 0 } };
    const result = computeGovernanceMetrics({ ...input, givenCounts }, Q1_2026, NOW, config);
    expect(!result.ok && result.error.code).toBe('invalid_given_counts');
  });

  it('reads the gross margin and loaded rate from the config', () => {
    const costs = { ...config.costs, grossMargin: 0.5, salesLoadedHourlyRate: 100 };
    const tuned: GovernanceConfig = { ...config, costs };
    const result = computeGovernanceMetrics(input, Q1_2026, NOW, tuned);
    // full cost = 100 + 2 h × 100 + 30 + 20 + 10 = 360; gross profit = 400 × 0.5 = 200.
    expect(result.ok && result.value.roi.roi).toEqual({
      value: (200 - 360) / 360,
      numerator: -160,
      denominator: 360,
    });
  });
});
