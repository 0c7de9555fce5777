import type { TierPolicy } from '../config/schema.ts';
import type { ApprovalState, DecisionRoute, Tier } from '../config/vocabulary.ts';
import { ApprovalStateSchema, DECISION_ROUTES, DecisionRouteSchema, TIERS } from '../config/vocabulary.ts';
import type { Approval } from './decisions.ts';
import type {
  MetricsAccountIndex,
  BySegment,
  MetricMedian,
  MetricRatio,
  MetricsPeriod,
} from './metricsBasics.ts';
import {
  assertMetricsPeriod,
  bucketOfTier,
  isInPeriod,
  isInstant,
  isOptionalInstant,
  medianOf,
  ratio,
  segmentTotals,
  zeroTotals,
} from './metricsBasics.ts';
import { decidedSlaVerdict } from './metricsSla.ts';
import { reviewDueAt } from './tiering.ts';
import type { Instant } from './time.ts';
import { HOUR_MS } from './time.ts';

// Governance health: approvals, applied tier changes, drift and overdue portfolio reviews.

/** `decidedAt` is read for approved and rejected approvals only, where it must be set. */
export type MetricsApproval = Pick<Approval, 'requestedAt' | 'decidedAt' | 'dueAt' | 'state' | 'route'>;

export interface MetricsTierChange {
  readonly at: Instant;
  readonly route: DecisionRoute;
}

const isDecided = (state: ApprovalState) => state === 'approved' || state === 'rejected';
const isDecisionRoute = (route: unknown): boolean => DecisionRouteSchema.safeParse(route).success;

/** A decided approval must say when; an undecided one is judged by its due time alone. */
export function isUsableApproval(approval: MetricsApproval): boolean {
  return (
    ApprovalStateSchema.safeParse(approval.state).success &&
    isDecisionRoute(approval.route) &&
    isInstant(approval.requestedAt) &&
    isInstant(approval.dueAt) &&
    isOptionalInstant(approval.decidedAt) &&
    (!isDecided(approval.state) || approval.decidedAt !== null)
  );
}

export interface ApprovalHealth {
  /** Approved or rejected in the period. */
  readonly decided: number;
  /** Request → decision, in wall-clock hours, over approvals decided in the period. */
  readonly leadTimeHours: { readonly median: MetricMedian; readonly mean: MetricRatio };
  /**
   * On time over on time + late: decided by the due time (counted when decided), or late (counted at the
   * due time: decided after it, expired, or still pending past it). Cancelled requests are left out.
   */
  readonly decidedWithinSla: MetricRatio;
  /** Snapshots at `now`, whatever the period. */
  readonly pendingNow: number;
  readonly overduePendingNow: number;
}

export function tallyApprovalHealth(
  approvals: readonly MetricsApproval[],
  period: MetricsPeriod,
  now: Instant,
): { readonly health: ApprovalHealth; readonly invalidApprovals: number } {
  const leadTimes: number[] = [];
  let leadTimeTotal = 0;
  let onTime = 0;
  let late = 0;
  let pendingNow = 0;
  let overduePendingNow = 0;
  let invalidApprovals = 0;
  for (const approval of approvals) {
    if (!isUsableApproval(approval)) {
      invalidApprovals += 1;
      continue;
    }
    const { state, dueAt } = approval;
    if (state === 'cancelled') continue;
    if (state === 'pending') {
      pendingNow += 1;
      if (now > dueAt) overduePendingNow += 1;
    }
    const decidedAt = isDecided(state) ? approval.decidedAt : null;
    if (decidedAt !== null && isInPeriod(decidedAt, period)) {
      /** lead time = (decided − requested) in hours, never below 0 */
      const hours = Math.max(0, decidedAt - approval.requestedAt) / HOUR_MS;
      leadTimes.push(hours);
      leadTimeTotal += hours;
    }
    const judged = decidedSlaVerdict({ dueAt, stoppedAt: decidedAt }, now);
    if (judged === null || !isInPeriod(judged.decidedAt, period)) continue;
    if (judged.verdict === 'met') onTime += 1;
    else late += 1;
  }
  return {
    health: {
      decided: leadTimes.length,
      leadTimeHours: {
        median: medianOf(leadTimes),
        /** mean lead time = Σ lead time hours / approvals decided in the period */
        mean: ratio(leadTimeTotal, leadTimes.length),
      },
      /** within SLA = approvals decided by their due time / approvals on time or late, in the period */
      decidedWithinSla: ratio(onTime, onTime + late),
      pendingNow,
      overduePendingNow,
    },
    invalidApprovals,
  };
}

/** Approval lead time, share decided within the approval SLA, and pending approvals now. */
export function computeApprovalHealth(
  approvals: readonly MetricsApproval[],
  period: MetricsPeriod,
  now: Instant,
): ApprovalHealth {
  assertMetricsPeriod(period);
  return tallyApprovalHealth(approvals, period, now).health;
}

export interface TierChangesByRoute {
  readonly total: number;
  readonly byRoute: Readonly<Record<DecisionRoute, number>>;
}

export function tallyTierChanges(
  changes: readonly MetricsTierChange[],
  period: MetricsPeriod,
): { readonly changes: TierChangesByRoute; readonly invalidTierChanges: number } {
  const byRoute = Object.fromEntries(DECISION_ROUTES.map((route) => [route, 0])) as Record<
    DecisionRoute,
    number
  >;
  let total = 0;
  let invalidTierChanges = 0;
  for (const change of changes) {
    if (!isInstant(change.at) || !isDecisionRoute(change.route)) {
      invalidTierChanges += 1;
      continue;
    }
    if (!isInPeriod(change.at, period)) continue;
    byRoute[change.route] += 1;
    total += 1;
  }
  return { changes: { total, byRoute }, invalidTierChanges };
}

/** Tier changes applied in the period, per decision route. */
export function countTierChangesByRoute(
  changes: readonly MetricsTierChange[],
  period: MetricsPeriod,
): TierChangesByRoute {
  assertMetricsPeriod(period);
  return tallyTierChanges(changes, period).changes;
}

/** Counts per assigned tier, `non_abm` for untargeted accounts, when the caller has them already. */
export type GivenTierCounts = Readonly<Record<Tier | 'non_abm', number>>;

export interface GivenPortfolioCounts {
  /** Accounts whose assigned tier differs from the recommended one. */
  readonly drift?: GivenTierCounts;
  /** Targeted accounts not reviewed within their tier's cadence (`non_abm` should be 0). */
  readonly overdueForReview?: GivenTierCounts;
}

export interface PortfolioCount {
  /** `given`: taken from the input as is; `computed`: from the accounts. */
  readonly source: 'given' | 'computed';
  readonly count: BySegment<number>;
}

export interface PortfolioReview {
  readonly drift: PortfolioCount;
  readonly overdueForReview: PortfolioCount;
}

/** A given count must be a non-negative integer for every cell. */
export function isUsableGivenTierCounts(counts: GivenTierCounts): boolean {
  return [...TIERS, 'non_abm' as const].every(
    (cell) => Number.isSafeInteger(counts[cell]) && counts[cell] >= 0,
  );
}

const givenCount = (counts: GivenTierCounts): PortfolioCount => ({
  source: 'given',
  count: segmentTotals([counts.tier_1, counts.tier_2, counts.tier_3, counts.non_abm]),
});

/**
 * Drift: accounts carrying a recommended tier different from the assigned one, by assigned tier.
 * Overdue: targeted accounts whose review is due at `now` by `reviewDueAt` (the rule of `reviewsDue`).
 * Both are snapshots at `now`; accounts without the fields a count needs are not assessed.
 */
export function computePortfolioReview(
  index: MetricsAccountIndex,
  now: Instant,
  tiers: TierPolicy,
  given: GivenPortfolioCounts = {},
): PortfolioReview {
  const drift = zeroTotals();
  const overdue = zeroTotals();
  const needDrift = given.drift === undefined;
  const needOverdue = given.overdueForReview === undefined;
  if (needDrift || needOverdue) {
    for (const account of index.accounts) {
      const bucket = bucketOfTier(account.tier);
      if (bucket === undefined) continue;
      const recommended = account.recommendedTier;
      if (needDrift && recommended !== undefined && bucketOfTier(recommended) !== undefined) {
        if (recommended !== account.tier) drift[bucket] += 1;
      }
      const { lastReviewedAt, tieredAt } = account;
      if (
        needOverdue &&
        isInstant(tieredAt) &&
        lastReviewedAt !== undefined &&
        isOptionalInstant(lastReviewedAt)
      ) {
        const dueAt = reviewDueAt({ tier: account.tier, lastReviewedAt, tieredAt }, tiers);
        if (dueAt !== null && dueAt <= now) overdue[bucket] += 1;
      }
    }
  }
  return {
    drift:
      given.drift === undefined
        ? { source: 'computed', count: segmentTotals(drift) }
        : givenCount(given.drift),
    overdueForReview:
      given.overdueForReview === undefined
        ? { source: 'computed', count: segmentTotals(overdue) }
        : givenCount(given.overdueForReview),
  };
}

export interface GovernanceHealth extends PortfolioReview {
  readonly approvals: ApprovalHealth;
  readonly tierChanges: TierChangesByRoute;
}
