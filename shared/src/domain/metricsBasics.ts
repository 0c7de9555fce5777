import type { MetricSegment, TierOrNone } from '../config/vocabulary.ts';
import type { DomainError, Result } from './result.ts';
import { err, ok } from './result.ts';
import type { Instant } from './time.ts';

// Shared vocabulary of the governance metrics: segments, ratios, medians, periods, calendar quarters and
// the account index every metric looks tiers up in.

export type BySegment<T> = { readonly [S in MetricSegment]: T };

/** A ratio with its parts, so a dashboard can show "12 / 40" and an empty base stays visible. */
export interface MetricRatio {
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
}

/** value = numerator / denominator; null when the denominator is 0 or the quotient is not finite. */
export function ratio(numerator: number, denominator: number): MetricRatio {
  if (denominator === 0) return { value: null, numerator, denominator };
  const value = numerator / denominator;
  return { value: Number.isFinite(value) ? value : null, numerator, denominator };
}

/** A ratio that has no meaning for want of data on either side. */
export const EMPTY_RATIO: MetricRatio = Object.freeze({ value: null, numerator: 0, denominator: 0 });

export interface MetricMedian {
  readonly value: number | null;
  readonly count: number;
}

/** Median = middle value, or mean of the two middle values for an even count; null when there are none. */
export function medianOf(values: ArrayLike<number>): MetricMedian {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  if (count === 0) return { value: null, count };
  const middle = count >> 1;
  const upper = sorted[middle] ?? 0;
  const value = count % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
  return { value, count };
}

/** Half-open: `start` is in the period, `end` is not. */
export interface MetricsPeriod {
  readonly start: Instant;
  readonly end: Instant;
}

export const isInPeriod = (instant: Instant, period: MetricsPeriod): boolean =>
  instant >= period.start && instant < period.end;

/** The range of a JavaScript Date: instants outside it are data errors, and differences stay finite. */
const MAX_ABS_INSTANT = 8.64e15;

/** A number a Date can hold: the only instants a metric compares or subtracts. */
export const isInstant = (value: unknown): value is Instant =>
  typeof value === 'number' && value >= -MAX_ABS_INSTANT && value <= MAX_ABS_INSTANT;

export const isOptionalInstant = (value: unknown): value is Instant | null =>
  value === null || isInstant(value);

/** First instant of a UTC month; `setUTCFullYear` because `Date.UTC` reads years 0-99 as 1900-1999. */
export function utcMonthStart(year: number, monthIndex: number): Instant {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, 1);
  return date.getTime();
}

/** Periods are bounded to the years ISO 8601 writes with four digits. */
export const EARLIEST_PERIOD_INSTANT = utcMonthStart(1, 0);
export const LATEST_PERIOD_INSTANT = utcMonthStart(10_000, 0);
/** Bounds the quarter-by-quarter series a period yields (a century). */
export const MAX_PERIOD_QUARTERS = 400;

/** Calendar quarters in UTC, numbered year × 4 + (0..3) so that consecutive quarters differ by one. */
// UTC so a quarter names the same instants on every server and in SQL; a tenant zone would move only
// deals closed within hours of a quarter's edge.
export function quarterIndexOf(instant: Instant): number {
  const date = new Date(instant);
  return date.getUTCFullYear() * 4 + Math.floor(date.getUTCMonth() / 3);
}

export function quarterStart(quarterIndex: number): Instant {
  const year = Math.floor(quarterIndex / 4);
  return utcMonthStart(year, (quarterIndex - year * 4) * 3);
}

/** `2026-Q1` style label of a quarter index. */
export function quarterLabel(quarterIndex: number): string {
  const year = Math.floor(quarterIndex / 4);
  return `${String(year).padStart(4, '0')}-Q${quarterIndex - year * 4 + 1}`;
}

/** The calendar quarters a period overlaps, first and last inclusive; null for an empty period. */
export function quartersOverlapping(period: MetricsPeriod): { first: number; last: number } | null {
  if (period.end <= period.start) return null;
  return { first: quarterIndexOf(period.start), last: quarterIndexOf(period.end - 1) };
}

export type MetricsPeriodError = DomainError<'invalid_period' | 'period_too_long'>;

/** A period is valid when both bounds are instants of years 0001-9999, start ≤ end, within a century. */
export function checkMetricsPeriod(period: MetricsPeriod): Result<MetricsPeriod, MetricsPeriodError> {
  const { start, end } = period;
  const inRange = (t: Instant) => isInstant(t) && t >= EARLIEST_PERIOD_INSTANT && t < LATEST_PERIOD_INSTANT;
  if (!inRange(start) || !inRange(end) || end < start) {
    return err({
      code: 'invalid_period',
      message: `A period needs start ≤ end, both instants of years 0001-9999; got [${start}, ${end}).`,
    });
  }
  const quarters = quartersOverlapping(period);
  if (quarters !== null && quarters.last - quarters.first + 1 > MAX_PERIOD_QUARTERS) {
    return err({
      code: 'period_too_long',
      message: `A period may span at most ${MAX_PERIOD_QUARTERS} quarters.`,
    });
  }
  return ok(period);
}

/** For the individual metric functions, whose callers have validated the period already. */
export function assertMetricsPeriod(period: MetricsPeriod): void {
  const checked = checkMetricsPeriod(period);
  if (!checked.ok) throw new RangeError(checked.error.message);
}

export interface MetricsAccount {
  readonly id: string;
  /** The assigned tier (a human decision); null when the account is not targeted. */
  readonly tier: TierOrNone;
  readonly ownerId: string;
  readonly team: string;
  /** The tier the score recommends; drift is assessed only on accounts that carry one. */
  readonly recommendedTier?: TierOrNone;
  /** Last portfolio review; null when never reviewed; absent when unknown (then not assessed). */
  readonly lastReviewedAt?: Instant | null;
  /** When the account entered its assigned tier; absent when unknown (then review is not assessed). */
  readonly tieredAt?: Instant;
}

/** 0, 1, 2 for tier_1..tier_3 and 3 for untargeted: the four disjoint cells every segment is built from. */
export type TierBucket = 0 | 1 | 2 | 3;
export const NON_ABM_BUCKET = 3;
export type BucketTotals = [number, number, number, number];
export const zeroTotals = (): BucketTotals => [0, 0, 0, 0];

/** The bucket of an assigned tier; undefined for a value outside `TierOrNone`. */
export function bucketOfTier(tier: unknown): TierBucket | undefined {
  switch (tier) {
    case 'tier_1':
      return 0;
    case 'tier_2':
      return 1;
    case 'tier_3':
      return 2;
    case null:
      return NON_ABM_BUCKET;
    default:
      return undefined;
  }
}

/** abm = tier_1 + tier_2 + tier_3; all = abm + non_abm. Built from disjoint cells, so totals always add up. */
export function segmentTotals(totals: Readonly<BucketTotals>): BySegment<number> {
  const abm = totals[0] + totals[1] + totals[2];
  return {
    tier_1: totals[0],
    tier_2: totals[1],
    tier_3: totals[2],
    abm,
    non_abm: totals[3],
    all: abm + totals[3],
  };
}

export function mapSegments<T>(metricOf: (segment: MetricSegment) => T): BySegment<T> {
  return {
    tier_1: metricOf('tier_1'),
    tier_2: metricOf('tier_2'),
    tier_3: metricOf('tier_3'),
    abm: metricOf('abm'),
    non_abm: metricOf('non_abm'),
    all: metricOf('all'),
  };
}

/** The buckets each segment is made of, for metrics such as medians that cannot be summed. */
export const SEGMENT_BUCKETS: BySegment<readonly TierBucket[]> = {
  tier_1: [0],
  tier_2: [1],
  tier_3: [2],
  abm: [0, 1, 2],
  non_abm: [3],
  all: [0, 1, 2, 3],
};

/** Median of each segment from per-bucket samples. */
export function segmentMedians(
  samples: readonly [number[], number[], number[], number[]],
): BySegment<MetricMedian> {
  return mapSegments((segment) => medianOf(SEGMENT_BUCKETS[segment].flatMap((bucket) => samples[bucket])));
}

/** Accounts looked up by id, built once and shared by every metric of one computation. */
export interface MetricsAccountIndex {
  /** Id → position in `accounts`; positions index `buckets` and any per-account flags a metric keeps. */
  readonly positionById: ReadonlyMap<string, number>;
  /** Usable accounts, first occurrence of each id. */
  readonly accounts: readonly MetricsAccount[];
  /** The tier bucket of each account, by position. */
  readonly buckets: Uint8Array;
  readonly accountsPerBucket: Readonly<BucketTotals>;
  /** Left out: an id that is not a string or a tier outside `TierOrNone`. */
  readonly invalidAccounts: number;
  /** Later occurrences of an id already seen; the first one wins. */
  readonly duplicateAccountIds: number;
}

/** One pass over the accounts: id → position and tier bucket, and accounts per bucket. */
export function indexMetricsAccounts(accounts: readonly MetricsAccount[]): MetricsAccountIndex {
  const positionById = new Map<string, number>();
  const usable: MetricsAccount[] = [];
  const buckets = new Uint8Array(accounts.length);
  const accountsPerBucket = zeroTotals();
  let invalidAccounts = 0;
  let duplicateAccountIds = 0;
  for (const account of accounts) {
    const bucket = bucketOfTier(account.tier);
    if (bucket === undefined || typeof account.id !== 'string') {
      invalidAccounts += 1;
      continue;
    }
    if (positionById.has(account.id)) {
      duplicateAccountIds += 1;
      continue;
    }
    buckets[usable.length] = bucket;
    positionById.set(account.id, usable.length);
    usable.push(account);
    accountsPerBucket[bucket] += 1;
  }
  return {
    positionById,
    accounts: usable,
    buckets: buckets.subarray(0, usable.length),
    accountsPerBucket,
    invalidAccounts,
    duplicateAccountIds,
  };
}

/** The bucket of a known account by position. */
export const bucketAt = (index: MetricsAccountIndex, position: number): TierBucket =>
  (index.buckets[position] ?? NON_ABM_BUCKET) as TierBucket;
