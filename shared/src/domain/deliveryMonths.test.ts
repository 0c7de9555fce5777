import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Handover } from './deliveryMonths.ts';
import {
  calendarMonthAt,
  calendarMonthNamed,
  deliveryShortfalls,
  handoverDelivery,
  monthsToRecord,
} from './deliveryMonths.ts';
import { HOUR_MS } from './time.ts';

const CONFIG = DEFAULT_GOVERNANCE_CONFIG;
const PARIS = 'Europe/Paris';
const at = (isoLocal: string, zone = PARIS): number => DateTime.fromISO(isoLocal, { zone }).toMillis();

describe('calendar months in the tenant zone', () => {
  it('names the month an instant falls in by the zone’s calendar: 23:30 UTC on 31 March is April in Paris', () => {
    const instant = Date.parse('2026-03-31T23:30:00.000Z');
    expect(calendarMonthAt(instant, PARIS)).toEqual({
      month: '2026-04',
      start: at('2026-04-01T00:00'),
      end: at('2026-05-01T00:00'),
    });
    expect(calendarMonthAt(instant, 'UTC').month).toBe('2026-03');
  });

  it('spans the whole month across a daylight-saving change (March in Paris is 743 hours)', () => {
    const march = calendarMonthNamed('2026-03', PARIS);
    expect((march.end - march.start) / HOUR_MS).toBe(743);
  });

  it('refuses a name that is not a month', () => {
    expect(() => calendarMonthNamed('2026-13', PARIS)).toThrow(RangeError);
  });
});

describe('months due to be recorded', () => {
  it('starts with the first month watched whole, not the month watching began in', () => {
    expect(
      monthsToRecord({
        watchedSince: at('2026-01-14T10:00'),
        lastRecorded: null,
        now: at('2026-03-02T08:00'),
        zone: PARIS,
      }).map((month) => month.month),
    ).toEqual(['2026-02']);
  });

  it('counts a month watched from its first instant', () => {
    expect(
      monthsToRecord({
        watchedSince: at('2026-01-01T00:00'),
        lastRecorded: null,
        now: at('2026-02-01T00:00'),
        zone: PARIS,
      }).map((month) => month.month),
    ).toEqual(['2026-01']);
  });

  it('takes every closed month after the last recorded, oldest first, and none still open', () => {
    const due = monthsToRecord({
      watchedSince: at('2025-06-14T10:00'),
      lastRecorded: '2025-11',
      now: at('2026-02-28T23:59'),
      zone: PARIS,
    });
    expect(due.map((month) => month.month)).toEqual(['2025-12', '2026-01']);
  });

  it('finds nothing to record while the month after the last recorded is open', () => {
    expect(
      monthsToRecord({
        watchedSince: at('2025-06-14T10:00'),
        lastRecorded: '2026-01',
        now: at('2026-02-10T10:00'),
        zone: PARIS,
      }),
    ).toEqual([]);
  });
});

const handover = (
  accountId: string,
  tier: Handover['tier'],
  startedAt: number,
  answer: { decision: 'accepted' | 'rejected'; at: number } | null = null,
): Handover => ({
  accountId,
  tier,
  startedAt,
  stoppedAt: answer?.at ?? null,
  handoverDecision: answer?.decision ?? null,
});

describe('a month’s delivery from its handovers', () => {
  const march = calendarMonthNamed('2026-03', PARIS);
  const inMarch = at('2026-03-10T10:00');

  it('counts the handovers started in the month as delivered MQAs of their tier, and their answers given in it', () => {
    const report = handoverDelivery(
      [
        handover('a', 'tier_1', inMarch, { decision: 'accepted', at: inMarch + HOUR_MS }),
        handover('b', 'tier_1', inMarch, { decision: 'rejected', at: inMarch + HOUR_MS }),
        handover('c', 'tier_1', inMarch),
        // Answered after the month closed: delivered in March, not yet rated.
        handover('d', 'tier_2', at('2026-03-31T20:00'), { decision: 'accepted', at: at('2026-04-01T09:00') }),
        // Another month's handovers.
        handover('e', 'tier_1', march.start - 1),
        handover('f', 'tier_1', march.end),
      ],
      march,
      CONFIG,
    );
    expect(report.byTier.tier_1).toMatchObject({
      delivered: 3,
      committed: 5,
      met: false,
      accepted: 1,
      rejected: 1,
    });
    expect(report.byTier.tier_1.acceptanceRate).toBe(0.5);
    expect(report.byTier.tier_2).toMatchObject({ delivered: 1, accepted: 0, acceptanceRate: null });
  });
});

describe('a tier committed to no MQAs', () => {
  it('commits exactly 0 (not -0) and meets it', () => {
    const config = {
      ...CONFIG,
      sla: {
        ...CONFIG.sla,
        marketingDelivery: {
          ...CONFIG.sla.marketingDelivery,
          mqasPerMonth: { tier_1: 5, tier_2: 15, tier_3: 0 },
        },
      },
    };
    const report = handoverDelivery([], calendarMonthNamed('2026-03', PARIS), config);
    expect(Object.is(report.byTier.tier_3.committed, 0)).toBe(true);
    expect(report.byTier.tier_3.met).toBe(true);
  });
});

describe('shortfalls of a month', () => {
  const march = calendarMonthNamed('2026-03', PARIS);
  const inMarch = at('2026-03-10T10:00');
  const many = (tier: Handover['tier'], count: number, accepted: number) =>
    Array.from({ length: count }, (_, i) =>
      handover(`${tier}-${i}`, tier, inMarch, {
        decision: i < accepted ? 'accepted' : 'rejected',
        at: inMarch + HOUR_MS,
      }),
    );

  it('names each tier short of MQAs with how many are missing, and each below the acceptance minimum with its rate', () => {
    const report = handoverDelivery(
      [...many('tier_1', 3, 3), ...many('tier_2', 15, 6), ...many('tier_3', 40, 30)],
      march,
      CONFIG,
    );
    expect(deliveryShortfalls(report, 0.6)).toEqual([
      { tier: 'tier_1', delivered: 3, committed: 5, missingMqas: 2, acceptance: null },
      {
        tier: 'tier_2',
        delivered: 15,
        committed: 15,
        missingMqas: 0,
        acceptance: { rate: 0.4, minimum: 0.6, accepted: 6, answered: 15 },
      },
    ]);
  });

  it('finds none when every tier delivered its commitment and sales gave no answer yet', () => {
    const report = handoverDelivery(
      [...many('tier_1', 5, 5), ...many('tier_2', 15, 15), ...many('tier_3', 40, 40)].map((one) => ({
        ...one,
        stoppedAt: null,
        handoverDecision: null,
      })),
      march,
      CONFIG,
    );
    expect(deliveryShortfalls(report, 0.6)).toEqual([]);
  });
});
