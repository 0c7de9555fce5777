import { DateTime } from 'luxon';

import type { GovernanceConfig } from '../config/schema.ts';
import type { Tier } from '../config/vocabulary.ts';
import { TIERS } from '../config/vocabulary.ts';
import type { MarketingDelivery, SlaInstance } from './sla.ts';
import { marketingDelivery } from './sla.ts';
import type { Instant } from './time.ts';

// The marketing_delivery SLA month by month: which calendar months (in the tenant's zone) are measured,
// what a month's handovers delivered, and by how much a missed month fell short. Becoming marketing-
// qualified is the handover, so a month's delivered MQAs are the sales_feedback clocks started in it, and
// sales' answers are those clocks' stops.

/** A calendar month of the tenant's zone: `2026-03`, from its first instant (included) to the next's. */
export interface CalendarMonth {
  readonly month: string;
  readonly start: Instant;
  readonly end: Instant;
}

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The calendar month `instant` falls in, in `zone`. */
export function calendarMonthAt(instant: Instant, zone: string): CalendarMonth {
  return monthFrom(DateTime.fromMillis(instant, { zone }).startOf('month'));
}

/** The calendar month `2026-03` in `zone`; throws a RangeError for anything else. */
export function calendarMonthNamed(month: string, zone: string): CalendarMonth {
  const match = MONTH_KEY.exec(month);
  if (match === null) throw new RangeError(`"${month}" is not a month (YYYY-MM)`);
  return monthFrom(DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]) }, { zone }));
}

/** The month after `month`, in `zone`. */
export const nextCalendarMonth = (month: CalendarMonth, zone: string): CalendarMonth =>
  calendarMonthAt(month.end, zone);

function monthFrom(start: DateTime): CalendarMonth {
  return {
    month: start.toFormat('yyyy-MM'),
    start: start.toMillis(),
    end: start.plus({ months: 1 }).toMillis(),
  };
}

/**
 * The months closed at `now` that are due to be recorded, oldest first: those after the last one recorded
 * or, before any, the first month watched whole (a month the programme saw only the end of would be judged
 * on part of its handovers against a whole month's commitment).
 */
export function monthsToRecord(input: {
  readonly watchedSince: Instant;
  readonly lastRecorded: string | null;
  readonly now: Instant;
  readonly zone: string;
}): CalendarMonth[] {
  const { watchedSince, lastRecorded, now, zone } = input;
  let month: CalendarMonth;
  if (lastRecorded !== null) {
    month = nextCalendarMonth(calendarMonthNamed(lastRecorded, zone), zone);
  } else {
    const watched = calendarMonthAt(watchedSince, zone);
    month = watched.start === watchedSince ? watched : nextCalendarMonth(watched, zone);
  }
  const due: CalendarMonth[] = [];
  while (month.end <= now) {
    due.push(month);
    month = nextCalendarMonth(month, zone);
  }
  return due;
}

/** What a sales_feedback clock says of a handover: when it was made, for which tier, and sales' answer. */
export type Handover = Pick<SlaInstance, 'accountId' | 'startedAt' | 'stoppedAt' | 'handoverDecision'> & {
  readonly tier: Tier;
};

/**
 * Marketing delivery over [start, end) from the handovers started in it: each is a delivered MQA of its
 * tier, and its answer counts when sales gave it within the period.
 */
export function handoverDelivery(
  handovers: readonly Handover[],
  period: { readonly start: Instant; readonly end: Instant },
  config: GovernanceConfig,
): MarketingDelivery {
  const inPeriod = handovers.filter(
    (handover) => handover.startedAt >= period.start && handover.startedAt < period.end,
  );
  return marketingDelivery(
    {
      periodStart: period.start,
      periodEnd: period.end,
      mqas: inPeriod.map(({ accountId, tier, startedAt }) => ({ accountId, tier, raisedAt: startedAt })),
      feedback: inPeriod.flatMap(({ accountId, stoppedAt, handoverDecision }) =>
        stoppedAt === null || handoverDecision === null
          ? []
          : [{ accountId, decision: handoverDecision, answeredAt: stoppedAt }],
      ),
    },
    config,
  );
}

/** A tier that missed its commitment, and by how much. */
export interface DeliveryShortfall {
  readonly tier: Tier;
  readonly delivered: number;
  readonly committed: number;
  /** MQAs short of the commitment; 0 when the quantity was met. */
  readonly missingMqas: number;
  /** Set when sales accepted fewer handovers than the minimum rate; `null` when quality held or is unknown. */
  readonly acceptance: {
    readonly rate: number;
    readonly minimum: number;
    readonly accepted: number;
    readonly answered: number;
  } | null;
}

/**
 * The tiers whose commitment was missed, in tier order: too few MQAs, or an acceptance rate below the
 * minimum. Quality without any answer is unknown, not missed.
 */
export function deliveryShortfalls(
  report: MarketingDelivery,
  minAcceptanceRate: number,
): DeliveryShortfall[] {
  return TIERS.flatMap((tier) => {
    const ofTier = report.byTier[tier];
    const rate = ofTier.qualityMet === false ? ofTier.acceptanceRate : null;
    if (ofTier.met && rate === null) return [];
    return [
      {
        tier,
        delivered: ofTier.delivered,
        committed: ofTier.committed,
        missingMqas: Math.max(0, ofTier.committed - ofTier.delivered),
        acceptance:
          rate === null
            ? null
            : {
                rate,
                minimum: minAcceptanceRate,
                accepted: ofTier.accepted,
                answered: ofTier.accepted + ofTier.rejected,
              },
      },
    ];
  });
}
