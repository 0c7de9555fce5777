import type { DealStage } from '../config/vocabulary.ts';
import { DealStageSchema } from '../config/vocabulary.ts';
import type {
  MetricsAccountIndex,
  BucketTotals,
  BySegment,
  MetricRatio,
  MetricsPeriod,
  TierBucket,
} from './metricsBasics.ts';
import {
  EMPTY_RATIO,
  NON_ABM_BUCKET,
  assertMetricsPeriod,
  bucketAt,
  isInstant,
  isOptionalInstant,
  mapSegments,
  quarterIndexOf,
  quarterLabel,
  quarterStart,
  quartersOverlapping,
  ratio,
  segmentTotals,
  zeroTotals,
} from './metricsBasics.ts';
import type { Instant } from './time.ts';
import { DAY_MS } from './time.ts';

// Deal metrics: pipeline contribution, won deal size by quarter, conversion and velocity. All three come
// from one pass over the deals (`tallyDeals`), which is what `computeGovernanceMetrics` runs once.
// A deal belongs to its account's assigned tier today: the CRM holds no tier history.

export interface MetricsDeal {
  readonly id: string;
  readonly accountId: string;
  /** In the tenant currency; 0 ≤ amount ≤ MAX_DEAL_AMOUNT. */
  readonly amount: number;
  readonly stage: DealStage;
  readonly createdAt: Instant;
  /** When it was won or lost; null while open. */
  readonly closedAt: Instant | null;
}

/** Beyond any real deal; keeps sums of millions of deals finite. */
export const MAX_DEAL_AMOUNT = 1e15;

/** A deal whose amount, stage or dates cannot be summed or compared is left out (and counted). */
export function isUsableDeal(deal: MetricsDeal): boolean {
  return (
    typeof deal.amount === 'number' &&
    deal.amount >= 0 &&
    deal.amount <= MAX_DEAL_AMOUNT &&
    DealStageSchema.safeParse(deal.stage).success &&
    isInstant(deal.createdAt) &&
    isOptionalInstant(deal.closedAt)
  );
}

/** Raw per-bucket sums of one pass over the deals; every deal metric is derived from it. */
export interface DealTally {
  readonly openAmount: BucketTotals;
  readonly openCount: BucketTotals;
  readonly createdAmount: BucketTotals;
  readonly createdCount: BucketTotals;
  /** Known accounts with at least one deal created in the period. */
  readonly accountsWithNewDeal: BucketTotals;
  /** Won or lost in the period. */
  readonly closedCount: BucketTotals;
  readonly wonCount: BucketTotals;
  readonly wonAmount: BucketTotals;
  /** Σ days from creation to close of the deals won in the period. */
  readonly wonCycleDays: BucketTotals;
  /** Won count and amount per calendar quarter, from the quarter before the period's first one. */
  readonly quarters: QuarterTally | null;
  readonly invalidDeals: number;
  readonly dealsWithoutAccount: number;
  readonly closedDealsWithoutCloseDate: number;
}

export interface QuarterTally {
  readonly firstQuarter: number;
  readonly wonCount: readonly BucketTotals[];
  readonly wonAmount: readonly BucketTotals[];
}

/** One pass over the deals, one account lookup each. A deal of an unknown account counts as non-ABM. */
export function tallyDeals(
  index: MetricsAccountIndex,
  deals: readonly MetricsDeal[],
  period: MetricsPeriod,
): DealTally {
  const { start, end } = period;
  const openAmount = zeroTotals();
  const openCount = zeroTotals();
  const createdAmount = zeroTotals();
  const createdCount = zeroTotals();
  const accountsWithNewDeal = zeroTotals();
  const closedCount = zeroTotals();
  const wonCount = zeroTotals();
  const wonAmount = zeroTotals();
  const wonCycleDays = zeroTotals();
  const hasNewDeal = new Uint8Array(index.accounts.length);
  let invalidDeals = 0;
  let dealsWithoutAccount = 0;
  let closedDealsWithoutCloseDate = 0;

  const overlapped = quartersOverlapping(period);
  const firstQuarter = overlapped === null ? 0 : overlapped.first - 1;
  const quarterCount = overlapped === null ? 0 : overlapped.last - firstQuarter + 1;
  const quarterWindowStart = overlapped === null ? 0 : quarterStart(firstQuarter);
  const quarterWindowEnd = overlapped === null ? 0 : quarterStart(overlapped.last + 1);
  const quarterWonCount = Array.from({ length: quarterCount }, zeroTotals);
  const quarterWonAmount = Array.from({ length: quarterCount }, zeroTotals);

  for (const deal of deals) {
    if (!isUsableDeal(deal)) {
      invalidDeals += 1;
      continue;
    }
    const position = index.positionById.get(deal.accountId);
    if (position === undefined) dealsWithoutAccount += 1;
    const bucket: TierBucket = position === undefined ? NON_ABM_BUCKET : bucketAt(index, position);
    const { amount, stage, createdAt, closedAt } = deal;

    /** open at the end of the period = created before its end, and still open or closed at or after its end */
    if (createdAt < end && (stage === 'open' || (closedAt !== null && closedAt >= end))) {
      openAmount[bucket] += amount;
      openCount[bucket] += 1;
    }
    /** created in the period = createdAt ∈ [start, end) */
    if (createdAt >= start && createdAt < end) {
      createdAmount[bucket] += amount;
      createdCount[bucket] += 1;
      if (position !== undefined && hasNewDeal[position] === 0) {
        hasNewDeal[position] = 1;
        accountsWithNewDeal[bucket] += 1;
      }
    }
    if (stage === 'open') continue;
    if (closedAt === null) {
      closedDealsWithoutCloseDate += 1;
      continue;
    }
    /** closed in the period: won or lost, closedAt ∈ [start, end); cycle days = max(0, closed − created) / day */
    if (closedAt >= start && closedAt < end) {
      closedCount[bucket] += 1;
      if (stage === 'won') {
        wonCount[bucket] += 1;
        wonAmount[bucket] += amount;
        wonCycleDays[bucket] += Math.max(0, closedAt - createdAt) / DAY_MS;
      }
    }
    /** won in a quarter = won with closedAt in that UTC calendar quarter, whether or not inside the period */
    if (stage === 'won' && closedAt >= quarterWindowStart && closedAt < quarterWindowEnd) {
      const slot = quarterIndexOf(closedAt) - firstQuarter;
      const count = quarterWonCount[slot];
      const sum = quarterWonAmount[slot];
      if (count !== undefined && sum !== undefined) {
        count[bucket] += 1;
        sum[bucket] += amount;
      }
    }
  }

  return {
    openAmount,
    openCount,
    createdAmount,
    createdCount,
    accountsWithNewDeal,
    closedCount,
    wonCount,
    wonAmount,
    wonCycleDays,
    quarters:
      overlapped === null ? null : { firstQuarter, wonCount: quarterWonCount, wonAmount: quarterWonAmount },
    invalidDeals,
    dealsWithoutAccount,
    closedDealsWithoutCloseDate,
  };
}

export interface PipelineContribution {
  /** Deals open at the end of the period (or now, for a period not yet over). */
  readonly openAmount: number;
  readonly openCount: number;
  /** Deals created in the period. */
  readonly createdAmount: number;
  readonly createdCount: number;
  /** Share of all open pipeline, by amount. */
  readonly openShare: MetricRatio;
  /** Share of all pipeline created in the period, by amount. */
  readonly createdShare: MetricRatio;
}

export function pipelineFromTally(tally: DealTally): BySegment<PipelineContribution> {
  const openAmount = segmentTotals(tally.openAmount);
  const openCount = segmentTotals(tally.openCount);
  const createdAmount = segmentTotals(tally.createdAmount);
  const createdCount = segmentTotals(tally.createdCount);
  return mapSegments((segment) => ({
    openAmount: openAmount[segment],
    openCount: openCount[segment],
    createdAmount: createdAmount[segment],
    createdCount: createdCount[segment],
    /** open share = segment open amount / open amount of all accounts */
    openShare: ratio(openAmount[segment], openAmount.all),
    /** created share = segment amount created in the period / amount created in the period on all accounts */
    createdShare: ratio(createdAmount[segment], createdAmount.all),
  }));
}

/** Open and created pipeline per segment, and each segment's share of all pipeline. */
export function computePipelineContribution(
  index: MetricsAccountIndex,
  deals: readonly MetricsDeal[],
  period: MetricsPeriod,
): BySegment<PipelineContribution> {
  assertMetricsPeriod(period);
  return pipelineFromTally(tallyDeals(index, deals, period));
}

export interface SegmentDealSize {
  /** Currency per won deal. */
  readonly averageWonDealSize: MetricRatio;
  /** Relative change from the previous quarter's average; 0.1 is +10%. */
  readonly changeFromPreviousQuarter: MetricRatio;
}

export interface QuarterDealSize {
  /** `YYYY-Qn`, calendar quarter in UTC. */
  readonly quarter: string;
  readonly start: Instant;
  readonly end: Instant;
  readonly bySegment: BySegment<SegmentDealSize>;
}

/** The whole calendar quarters the period overlaps, each against the quarter before it. */
export function dealSizeFromTally(tally: DealTally): readonly QuarterDealSize[] {
  const quarters = tally.quarters;
  if (quarters === null) return [];
  const averages = quarters.wonCount.map((count, slot) => {
    const counts = segmentTotals(count);
    const amounts = segmentTotals(quarters.wonAmount[slot] ?? zeroTotals());
    /** average won deal size = Σ amount of deals won in the quarter / their count */
    return mapSegments((segment) => ratio(amounts[segment], counts[segment]));
  });
  const series: QuarterDealSize[] = [];
  for (let slot = 1; slot < averages.length; slot += 1) {
    const current = averages[slot];
    const previous = averages[slot - 1];
    if (current === undefined || previous === undefined) continue;
    const quarterIndex = quarters.firstQuarter + slot;
    series.push({
      quarter: quarterLabel(quarterIndex),
      start: quarterStart(quarterIndex),
      end: quarterStart(quarterIndex + 1),
      bySegment: mapSegments((segment) => {
        const average = current[segment].value;
        const previousAverage = previous[segment].value;
        return {
          averageWonDealSize: current[segment],
          /** change = (average − previous average) / previous average; empty when either quarter has no win */
          changeFromPreviousQuarter:
            average === null || previousAverage === null
              ? EMPTY_RATIO
              : ratio(average - previousAverage, previousAverage),
        };
      }),
    });
  }
  return series;
}

/** Average won deal size per UTC calendar quarter overlapping the period, and its quarter-over-quarter change. */
export function computeWonDealSizeByQuarter(
  index: MetricsAccountIndex,
  deals: readonly MetricsDeal[],
  period: MetricsPeriod,
): readonly QuarterDealSize[] {
  assertMetricsPeriod(period);
  return dealSizeFromTally(tallyDeals(index, deals, period));
}

export interface SegmentConversion {
  /** Accounts with a deal created in the period, over the accounts of the segment. */
  readonly accountToOpportunity: MetricRatio;
  /** Deals created in the period. */
  readonly opportunitiesCreated: number;
  /** Won over won + lost, among deals closed in the period. */
  readonly winRate: MetricRatio;
  /** Currency per deal won in the period. */
  readonly averageWonDealSize: MetricRatio;
  /** Mean days from creation to close of the deals won in the period. */
  readonly salesCycleDays: MetricRatio;
  /** Currency per day. */
  readonly velocityPerDay: MetricRatio;
}

export function conversionFromTally(
  tally: DealTally,
  index: MetricsAccountIndex,
): BySegment<SegmentConversion> {
  const accounts = segmentTotals(index.accountsPerBucket);
  const accountsWithNewDeal = segmentTotals(tally.accountsWithNewDeal);
  const created = segmentTotals(tally.createdCount);
  const closed = segmentTotals(tally.closedCount);
  const won = segmentTotals(tally.wonCount);
  const wonAmount = segmentTotals(tally.wonAmount);
  const cycleDays = segmentTotals(tally.wonCycleDays);
  return mapSegments((segment) => {
    /** win rate = deals won in the period / deals won or lost in the period */
    const winRate = ratio(won[segment], closed[segment]);
    /** average won deal size = Σ amount won in the period / deals won in the period */
    const averageWonDealSize = ratio(wonAmount[segment], won[segment]);
    /** sales cycle = Σ days created → closed of deals won in the period / deals won in the period */
    const salesCycleDays = ratio(cycleDays[segment], won[segment]);
    return {
      /** account → opportunity = accounts with a deal created in the period / accounts of the segment */
      accountToOpportunity: ratio(accountsWithNewDeal[segment], accounts[segment]),
      opportunitiesCreated: created[segment],
      winRate,
      averageWonDealSize,
      salesCycleDays,
      /** velocity = opportunities created × average won deal size × win rate / sales cycle days */
      velocityPerDay: ratio(
        created[segment] * (averageWonDealSize.value ?? 0) * (winRate.value ?? 0),
        salesCycleDays.value ?? 0,
      ),
    };
  });
}

/** Account → opportunity, win rate, sales cycle and velocity per segment. */
export function computeConversion(
  index: MetricsAccountIndex,
  deals: readonly MetricsDeal[],
  period: MetricsPeriod,
): BySegment<SegmentConversion> {
  assertMetricsPeriod(period);
  return conversionFromTally(tallyDeals(index, deals, period), index);
}
