import type { AccountSlaKind } from '../config/vocabulary.ts';
import { ACCOUNT_SLA_KINDS, AccountSlaKindSchema } from '../config/vocabulary.ts';
import type {
  MetricsAccountIndex,
  BySegment,
  MetricMedian,
  MetricRatio,
  MetricsPeriod,
} from './metricsBasics.ts';
import {
  NON_ABM_BUCKET,
  assertMetricsPeriod,
  bucketAt,
  isInPeriod,
  isInstant,
  isOptionalInstant,
  ratio,
  segmentMedians,
} from './metricsBasics.ts';
import type { SlaInstance } from './sla.ts';
import { slaVerdict } from './sla.ts';
import type { Instant } from './time.ts';
import { HOUR_MS } from './time.ts';

// SLA compliance and time to first touch.

/**
 * An account SLA instance as the metrics read it, with its owner's team; `marketing_delivery` is not one
 * (see `marketingDelivery`).
 */
export type MetricsSlaOutcome = Pick<
  SlaInstance,
  'kind' | 'ownerId' | 'startedAt' | 'dueAt' | 'stoppedAt'
> & {
  readonly team: string;
};

/**
 * The verdict of `slaVerdict` at `now`, and when it was reached, which places it in a period: a met
 * instance at its stop, a breach at its due time, even when the instance stops later. `null` while open.
 */
export function decidedSlaVerdict(
  instance: Pick<SlaInstance, 'dueAt' | 'stoppedAt'>,
  now: Instant,
): { readonly verdict: 'met' | 'breached'; readonly decidedAt: Instant } | null {
  const verdict = slaVerdict(instance, now);
  if (verdict === 'open') return null;
  return { verdict, decidedAt: verdict === 'met' ? (instance.stoppedAt ?? instance.dueAt) : instance.dueAt };
}

export interface SlaComplianceTally {
  readonly met: number;
  readonly breached: number;
  /** Met over met + breached, among instances decided in the period. */
  readonly compliance: MetricRatio;
}

export interface SlaComplianceMetrics {
  readonly overall: SlaComplianceTally;
  readonly byKind: Readonly<Record<AccountSlaKind, SlaComplianceTally>>;
  /** Sorted by owner id. */
  readonly byOwner: readonly (SlaComplianceTally & { readonly ownerId: string })[];
  /** Sorted by team. */
  readonly byTeam: readonly (SlaComplianceTally & { readonly team: string })[];
}

export function isUsableSlaOutcome(outcome: MetricsSlaOutcome): boolean {
  return (
    AccountSlaKindSchema.safeParse(outcome.kind).success &&
    typeof outcome.ownerId === 'string' &&
    typeof outcome.team === 'string' &&
    isInstant(outcome.startedAt) &&
    isInstant(outcome.dueAt) &&
    isOptionalInstant(outcome.stoppedAt)
  );
}

/** [met, breached] */
type Counts = [number, number];

/** compliance = instances met / instances met or breached, decided in the period */
const toTally = ([met, breached]: Readonly<Counts>): SlaComplianceTally => ({
  met,
  breached,
  compliance: ratio(met, met + breached),
});

function countInto(counts: Map<string, Counts>, key: string, slot: 0 | 1): void {
  const entry = counts.get(key);
  if (entry === undefined) counts.set(key, slot === 0 ? [1, 0] : [0, 1]);
  else entry[slot] += 1;
}

const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

export function tallySlaCompliance(
  outcomes: readonly MetricsSlaOutcome[],
  period: MetricsPeriod,
  now: Instant,
): { readonly compliance: SlaComplianceMetrics; readonly invalidSlaOutcomes: number } {
  const overall: Counts = [0, 0];
  const byKind = new Map<string, Counts>(ACCOUNT_SLA_KINDS.map((kind) => [kind, [0, 0]]));
  const byOwner = new Map<string, Counts>();
  const byTeam = new Map<string, Counts>();
  let invalidSlaOutcomes = 0;
  for (const outcome of outcomes) {
    if (!isUsableSlaOutcome(outcome)) {
      invalidSlaOutcomes += 1;
      continue;
    }
    const judged = decidedSlaVerdict(outcome, now);
    if (judged === null || !isInPeriod(judged.decidedAt, period)) continue;
    const slot = judged.verdict === 'met' ? 0 : 1;
    overall[slot] += 1;
    countInto(byKind, outcome.kind, slot);
    countInto(byOwner, outcome.ownerId, slot);
    countInto(byTeam, outcome.team, slot);
  }
  const kindTallies = Object.fromEntries(
    ACCOUNT_SLA_KINDS.map((kind) => [kind, toTally(byKind.get(kind) ?? [0, 0])]),
  ) as Record<AccountSlaKind, SlaComplianceTally>;
  return {
    compliance: {
      overall: toTally(overall),
      byKind: kindTallies,
      byOwner: [...byOwner].sort(byKey).map(([ownerId, counts]) => ({ ownerId, ...toTally(counts) })),
      byTeam: [...byTeam].sort(byKey).map(([team, counts]) => ({ team, ...toTally(counts) })),
    },
    invalidSlaOutcomes,
  };
}

/** SLA compliance per kind, owner and team, over instances met or breached in the period. */
export function computeSlaCompliance(
  outcomes: readonly MetricsSlaOutcome[],
  period: MetricsPeriod,
  now: Instant,
): SlaComplianceMetrics {
  assertMetricsPeriod(period);
  return tallySlaCompliance(outcomes, period, now).compliance;
}

export interface MetricsFirstTouch {
  readonly accountId: string;
  /** When the clock started: the account became MQA or entered a tier. */
  readonly startedAt: Instant;
  /** When the owner logged the first touch; null while not yet. */
  readonly touchedAt: Instant | null;
}

export function isUsableFirstTouch(touch: MetricsFirstTouch): boolean {
  return isInstant(touch.startedAt) && isOptionalInstant(touch.touchedAt);
}

export function tallyTimeToFirstTouch(
  index: MetricsAccountIndex,
  touches: readonly MetricsFirstTouch[],
  period: MetricsPeriod,
): {
  readonly hours: BySegment<MetricMedian>;
  readonly invalidFirstTouches: number;
  readonly firstTouchesWithoutAccount: number;
} {
  const samples: [number[], number[], number[], number[]] = [[], [], [], []];
  let invalidFirstTouches = 0;
  let firstTouchesWithoutAccount = 0;
  for (const touch of touches) {
    if (!isUsableFirstTouch(touch)) {
      invalidFirstTouches += 1;
      continue;
    }
    if (touch.touchedAt === null || !isInPeriod(touch.touchedAt, period)) continue;
    const position = index.positionById.get(touch.accountId);
    if (position === undefined) firstTouchesWithoutAccount += 1;
    const bucket = position === undefined ? NON_ABM_BUCKET : bucketAt(index, position);
    /** time to first touch = (touched − started) in wall-clock hours, never below 0 */
    // Wall-clock, not business, hours: the owner's calendar is not part of the record.
    samples[bucket].push(Math.max(0, touch.touchedAt - touch.startedAt) / HOUR_MS);
  }
  return { hours: segmentMedians(samples), invalidFirstTouches, firstTouchesWithoutAccount };
}

/** Median wall-clock hours to first touch per segment, over first touches logged in the period. */
export function computeTimeToFirstTouch(
  index: MetricsAccountIndex,
  touches: readonly MetricsFirstTouch[],
  period: MetricsPeriod,
): BySegment<MetricMedian> {
  assertMetricsPeriod(period);
  return tallyTimeToFirstTouch(index, touches, period).hours;
}
