import type { SlaKind } from '../config/vocabulary.ts';
import { SLA_KINDS } from '../config/vocabulary.ts';
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
import type { Instant } from './time.ts';
import { HOUR_MS } from './time.ts';

// SLA compliance and time to first touch.

export interface MetricsSlaOutcome {
  readonly kind: SlaKind;
  readonly ownerId: string;
  readonly team: string;
  readonly startedAt: Instant;
  readonly dueAt: Instant;
  /** When the commitment was fulfilled (first touch logged, feedback given...); null while it is not. */
  readonly stoppedAt: Instant | null;
}

/** `open`: neither met nor past due yet, so not decided either way. */
export type SlaVerdict = 'met' | 'breached' | 'open';

/**
 * Met when stopped by the due time; breached when stopped later or still running after it. A breach
 * happens at the due time, so that is when it is counted, even when the instance stops later.
 */
export function judgeSlaInstance(
  dueAt: Instant,
  stoppedAt: Instant | null,
  now: Instant,
): { readonly verdict: SlaVerdict; readonly decidedAt: Instant | null } {
  if (stoppedAt !== null && stoppedAt <= dueAt) return { verdict: 'met', decidedAt: stoppedAt };
  if (stoppedAt !== null || now > dueAt) return { verdict: 'breached', decidedAt: dueAt };
  return { verdict: 'open', decidedAt: null };
}

export interface SlaComplianceTally {
  readonly met: number;
  readonly breached: number;
  /** Met over met + breached, among instances decided in the period. */
  readonly compliance: MetricRatio;
}

export interface SlaComplianceMetrics {
  readonly overall: SlaComplianceTally;
  readonly byKind: Readonly<Record<SlaKind, SlaComplianceTally>>;
  /** Sorted by owner id. */
  readonly byOwner: readonly (SlaComplianceTally & { readonly ownerId: string })[];
  /** Sorted by team. */
  readonly byTeam: readonly (SlaComplianceTally & { readonly team: string })[];
}

const isSlaKind = (kind: unknown): kind is SlaKind => (SLA_KINDS as readonly unknown[]).includes(kind);

export function isUsableSlaOutcome(outcome: MetricsSlaOutcome): boolean {
  return (
    isSlaKind(outcome.kind) &&
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
  const byKind = new Map<string, Counts>(SLA_KINDS.map((kind) => [kind, [0, 0]]));
  const byOwner = new Map<string, Counts>();
  const byTeam = new Map<string, Counts>();
  let invalidSlaOutcomes = 0;
  for (const outcome of outcomes) {
    if (!isUsableSlaOutcome(outcome)) {
      invalidSlaOutcomes += 1;
      continue;
    }
    const { verdict, decidedAt } = judgeSlaInstance(outcome.dueAt, outcome.stoppedAt, now);
    if (verdict === 'open' || decidedAt === null || !isInPeriod(decidedAt, period)) continue;
    const slot = verdict === 'met' ? 0 : 1;
    overall[slot] += 1;
    countInto(byKind, outcome.kind, slot);
    countInto(byOwner, outcome.ownerId, slot);
    countInto(byTeam, outcome.team, slot);
  }
  const kindTallies = Object.fromEntries(
    SLA_KINDS.map((kind) => [kind, toTally(byKind.get(kind) ?? [0, 0])]),
  ) as Record<SlaKind, SlaComplianceTally>;
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
