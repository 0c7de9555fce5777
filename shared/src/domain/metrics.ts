import type { GovernanceConfig } from '../config/schema.ts';
import type {
  BySegment,
  MetricMedian,
  MetricsAccount,
  MetricsPeriod,
  MetricsPeriodError,
} from './metricsBasics.ts';
import { checkMetricsPeriod, indexMetricsAccounts, isInstant, segmentTotals } from './metricsBasics.ts';
import type { MetricsCostLine, RoiAtFullCost } from './metricsCosts.ts';
import { roiFromTally, tallyCosts } from './metricsCosts.ts';
import type {
  SegmentConversion,
  MetricsDeal,
  PipelineContribution,
  QuarterDealSize,
} from './metricsDeals.ts';
import { conversionFromTally, dealSizeFromTally, pipelineFromTally, tallyDeals } from './metricsDeals.ts';
import type {
  GivenPortfolioCounts,
  GovernanceHealth,
  MetricsApproval,
  MetricsTierChange,
} from './metricsGovernance.ts';
import {
  computePortfolioReview,
  isUsableGivenTierCounts,
  tallyApprovalHealth,
  tallyTierChanges,
} from './metricsGovernance.ts';
import type { MetricsFirstTouch, MetricsSlaOutcome, SlaComplianceMetrics } from './metricsSla.ts';
import { tallySlaCompliance, tallyTimeToFirstTouch } from './metricsSla.ts';
import type { DomainError, Result } from './result.ts';
import { err, ok } from './result.ts';
import type { Instant } from './time.ts';

// The public surface, named one by one: `index.ts` re-exports every domain module with `export *`, so a
// generic helper name here could clash with another module's.
export type {
  BySegment,
  MetricMedian,
  MetricRatio,
  MetricsAccount,
  MetricsAccountIndex,
  MetricsPeriod,
  MetricsPeriodError,
} from './metricsBasics.ts';
export { MAX_PERIOD_QUARTERS, checkMetricsPeriod, indexMetricsAccounts } from './metricsBasics.ts';
export type {
  MetricsDeal,
  PipelineContribution,
  QuarterDealSize,
  SegmentConversion,
  SegmentDealSize,
} from './metricsDeals.ts';
export {
  MAX_DEAL_AMOUNT,
  computeConversion,
  computePipelineContribution,
  computeWonDealSizeByQuarter,
} from './metricsDeals.ts';
export type { MetricsCostLine, RoiAtFullCost } from './metricsCosts.ts';
export { MAX_COST_AMOUNT, MAX_COST_HOURS, computeRoiAtFullCost } from './metricsCosts.ts';
export type {
  MetricsFirstTouch,
  MetricsSlaOutcome,
  SlaComplianceMetrics,
  SlaComplianceTally,
} from './metricsSla.ts';
export { computeSlaCompliance, computeTimeToFirstTouch } from './metricsSla.ts';
export type {
  ApprovalHealth,
  GivenPortfolioCounts,
  GivenTierCounts,
  GovernanceHealth,
  MetricsApproval,
  MetricsTierChange,
  PortfolioCount,
  PortfolioReview,
  TierChangesByRoute,
} from './metricsGovernance.ts';
export {
  computeApprovalHealth,
  computePortfolioReview,
  countTierChangesByRoute,
} from './metricsGovernance.ts';

/** Everything the governance dashboard reads, as plain records (the server maps its store onto them). */
export interface MetricsInput {
  readonly accounts: readonly MetricsAccount[];
  readonly deals: readonly MetricsDeal[];
  readonly costLedger: readonly MetricsCostLine[];
  readonly slaOutcomes: readonly MetricsSlaOutcome[];
  readonly firstTouches: readonly MetricsFirstTouch[];
  readonly approvals: readonly MetricsApproval[];
  readonly tierChanges: readonly MetricsTierChange[];
  /** Drift and overdue-review counts computed elsewhere (e.g. in SQL); otherwise taken from the accounts. */
  readonly givenCounts?: GivenPortfolioCounts;
}

/** What was left out or guessed, so a surprising figure can be traced to its data. */
export interface MetricsDataQuality {
  /** Records left out because an id, amount, month, date or enum value was unusable. */
  readonly excluded: {
    readonly accounts: number;
    readonly deals: number;
    readonly costLines: number;
    readonly slaOutcomes: number;
    readonly firstTouches: number;
    readonly approvals: number;
    readonly tierChanges: number;
  };
  /** Later records with an account id already seen; the first one is kept. */
  readonly duplicateAccountIds: number;
  /** Deals whose account is not in the account list: counted as non-ABM, as nothing shows them targeted. */
  readonly dealsWithoutAccount: number;
  readonly firstTouchesWithoutAccount: number;
  /** Won or lost without a close date: in created pipeline, in no close-based metric. */
  readonly closedDealsWithoutCloseDate: number;
}

export interface GovernanceMetrics {
  readonly period: MetricsPeriod;
  readonly now: Instant;
  readonly configVersion: number;
  readonly pipeline: BySegment<PipelineContribution>;
  readonly wonDealSizeByQuarter: readonly QuarterDealSize[];
  readonly conversion: BySegment<SegmentConversion>;
  readonly roi: RoiAtFullCost;
  readonly slaCompliance: SlaComplianceMetrics;
  readonly timeToFirstTouchHours: BySegment<MetricMedian>;
  readonly governance: GovernanceHealth;
  readonly dataQuality: MetricsDataQuality;
}

export type GovernanceMetricsError =
  | MetricsPeriodError
  | DomainError<'invalid_now'>
  | DomainError<'invalid_given_counts'>;

/**
 * Every governance metric of the period, per tier, ABM and non-ABM. One pass over each input list; a record
 * that cannot be used is left out and counted in `dataQuality`, never turned into NaN.
 */
export function computeGovernanceMetrics(
  input: MetricsInput,
  period: MetricsPeriod,
  now: Instant,
  config: GovernanceConfig,
): Result<GovernanceMetrics, GovernanceMetricsError> {
  const checkedPeriod = checkMetricsPeriod(period);
  if (!checkedPeriod.ok) return checkedPeriod;
  if (!isInstant(now))
    return err({ code: 'invalid_now', message: `now must be a finite instant, got ${now}.` });
  const given = input.givenCounts ?? {};
  for (const counts of [given.drift, given.overdueForReview]) {
    if (counts !== undefined && !isUsableGivenTierCounts(counts)) {
      return err({
        code: 'invalid_given_counts',
        message: 'Given drift and overdue-review counts must be non-negative integers for every tier.',
      });
    }
  }

  const index = indexMetricsAccounts(input.accounts);
  const deals = tallyDeals(index, input.deals, period);
  const costs = tallyCosts(input.costLedger, period, config.costs);
  const sla = tallySlaCompliance(input.slaOutcomes, period, now);
  const firstTouch = tallyTimeToFirstTouch(index, input.firstTouches, period);
  const approvals = tallyApprovalHealth(input.approvals, period, now);
  const tierChanges = tallyTierChanges(input.tierChanges, period);

  return ok({
    period,
    now,
    configVersion: config.version,
    pipeline: pipelineFromTally(deals),
    wonDealSizeByQuarter: dealSizeFromTally(deals),
    conversion: conversionFromTally(deals, index),
    roi: roiFromTally(segmentTotals(deals.wonAmount).abm, costs, config.costs),
    slaCompliance: sla.compliance,
    timeToFirstTouchHours: firstTouch.hours,
    governance: {
      approvals: approvals.health,
      tierChanges: tierChanges.changes,
      ...computePortfolioReview(index, now, config.tiers, given),
    },
    dataQuality: {
      excluded: {
        accounts: index.invalidAccounts,
        deals: deals.invalidDeals,
        costLines: costs.invalidCostLines,
        slaOutcomes: sla.invalidSlaOutcomes,
        firstTouches: firstTouch.invalidFirstTouches,
        approvals: approvals.invalidApprovals,
        tierChanges: tierChanges.invalidTierChanges,
      },
      duplicateAccountIds: index.duplicateAccountIds,
      dealsWithoutAccount: deals.dealsWithoutAccount,
      firstTouchesWithoutAccount: firstTouch.firstTouchesWithoutAccount,
      closedDealsWithoutCloseDate: deals.closedDealsWithoutCloseDate,
    },
  });
}
