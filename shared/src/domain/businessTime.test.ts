import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { BusinessHours } from '../config/schema.ts';
import {
  addBusinessDays,
  addBusinessHours,
  businessHoursBetween,
  businessHoursPerDay,
  withTimezone,
} from './businessTime.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';

const PARIS: BusinessHours = DEFAULT_GOVERNANCE_CONFIG.businessHours;
const PARIS_NO_HOLIDAYS: BusinessHours = { ...PARIS, holidays: [] };

const at = (isoLocal: string, zone = 'Europe/Paris'): number => {
  const parsed = DateTime.fromISO(isoLocal, { zone });
  if (!parsed.isValid) throw new Error(`bad test date ${isoLocal}`);
  return parsed.toMillis();
};
const show = (instant: number, zone = 'Europe/Paris'): string =>
  DateTime.fromMillis(instant, { zone }).toFormat("cccc yyyy-MM-dd'T'HH:mm ZZ");

describe('addBusinessHours', () => {
  it('lands on Monday 15:00 when 8 business hours start on Friday 16:00 in Paris', () => {
    expect(show(addBusinessHours(at('2026-02-06T16:00'), 8, PARIS))).toBe('Monday 2026-02-09T15:00 +01:00');
  });

  it('skips a Monday holiday and lands on Tuesday 15:00', () => {
    // 2026-04-06 is Easter Monday in the default French calendar.
    expect(show(addBusinessHours(at('2026-04-03T16:00'), 8, PARIS))).toBe('Tuesday 2026-04-07T15:00 +02:00');
    expect(show(addBusinessHours(at('2026-04-03T16:00'), 8, PARIS_NO_HOLIDAYS))).toBe(
      'Monday 2026-04-06T15:00 +02:00',
    );
  });

  it('counts wall-clock hours across the spring DST weekend, so the UTC gap is one hour shorter', () => {
    const friday = at('2026-03-27T16:00');
    const monday = addBusinessHours(friday, 8, PARIS);
    expect(show(monday)).toBe('Monday 2026-03-30T15:00 +02:00');
    expect(new Date(monday).toISOString()).toBe('2026-03-30T13:00:00.000Z');
  });

  it('counts wall-clock hours across the autumn DST weekend', () => {
    expect(show(addBusinessHours(at('2026-10-23T16:00'), 8, PARIS))).toBe('Monday 2026-10-26T15:00 +01:00');
  });

  it('stops at closing time rather than jumping to the next opening when the hours run out exactly', () => {
    expect(show(addBusinessHours(at('2026-02-06T16:00'), 2, PARIS))).toBe('Friday 2026-02-06T18:00 +01:00');
    expect(show(addBusinessHours(at('2026-02-09T09:00'), 18, PARIS))).toBe('Tuesday 2026-02-10T18:00 +01:00');
  });

  it('starts counting at the next opening when the start is outside business hours', () => {
    expect(show(addBusinessHours(at('2026-02-07T10:00'), 1, PARIS))).toBe('Monday 2026-02-09T10:00 +01:00');
    expect(show(addBusinessHours(at('2026-02-09T07:30'), 1, PARIS))).toBe('Monday 2026-02-09T10:00 +01:00');
    expect(show(addBusinessHours(at('2026-02-09T19:00'), 1, PARIS))).toBe('Tuesday 2026-02-10T10:00 +01:00');
    expect(show(addBusinessHours(at('2026-02-09T18:00'), 1, PARIS))).toBe('Tuesday 2026-02-10T10:00 +01:00');
    expect(show(addBusinessHours(at('2026-04-06T11:00'), 1, PARIS))).toBe('Tuesday 2026-04-07T10:00 +02:00');
  });

  it('handles fractions of an hour', () => {
    expect(show(addBusinessHours(at('2026-02-09T17:30'), 0.75, PARIS))).toBe(
      'Tuesday 2026-02-10T09:15 +01:00',
    );
  });

  it('returns the start unchanged for zero hours and refuses negative or non-finite hours', () => {
    const saturday = at('2026-02-07T10:00');
    expect(addBusinessHours(saturday, 0, PARIS)).toBe(saturday);
    expect(() => addBusinessHours(saturday, -1, PARIS)).toThrow(RangeError);
    expect(() => addBusinessHours(saturday, Number.NaN, PARIS)).toThrow(RangeError);
  });

  it('skips long stretches in whole days, weekends and holidays included', () => {
    // 2026: 261 weekdays, 9 of the default holidays fall on a weekday.
    const newYear = at('2026-01-01T00:00');
    expect(show(addBusinessHours(newYear, 252 * 9, PARIS))).toBe('Thursday 2026-12-31T18:00 +01:00');
  });

  it('counts a business day on a DST-change day by the wall clock', () => {
    const everyDay: BusinessHours = { ...PARIS_NO_HOLIDAYS, weekdays: [1, 2, 3, 4, 5, 6, 7] };
    // Sunday 2026-03-29 has 23 real hours, but 09:00-18:00 is still 9 business hours.
    expect(businessHoursBetween(at('2026-03-29T09:00'), at('2026-03-29T18:00'), everyDay)).toBe(9);
    const night: BusinessHours = { ...everyDay, dayStart: '01:00', dayEnd: '05:00' };
    // 01:00-05:00 spans the 02:00->03:00 jump: 3 real hours, 4 wall-clock business hours.
    expect(businessHoursBetween(at('2026-03-29T01:00'), at('2026-03-29T05:00'), night)).toBe(4);
    expect(show(addBusinessHours(at('2026-03-29T01:00'), 4, night))).toBe('Sunday 2026-03-29T05:00 +02:00');
    // On the autumn change 01:00-05:00 is 5 real hours, still 4 wall-clock business hours.
    expect(businessHoursBetween(at('2026-10-25T01:00'), at('2026-10-25T05:00'), night)).toBe(4);
    expect(show(addBusinessHours(at('2026-10-25T01:00'), 4, night))).toBe('Sunday 2026-10-25T05:00 +01:00');
  });

  it('resolves a wall time skipped by the spring jump forward, and an ambiguous one to its earlier instant', () => {
    const night: BusinessHours = { ...PARIS_NO_HOLIDAYS, weekdays: [7], dayStart: '01:00', dayEnd: '05:00' };
    // 02:30 does not exist on 2026-03-29: the clock reads 03:30 at that instant.
    expect(show(addBusinessHours(at('2026-03-29T01:00'), 1.5, night))).toBe('Sunday 2026-03-29T03:30 +02:00');
    // 02:30 happens twice on 2026-10-25: the first one, still in summer time.
    expect(new Date(addBusinessHours(at('2026-10-25T01:00'), 1.5, night)).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('addBusinessDays', () => {
  it('adds days of the calendar length: 2 days from Monday 10:00 is Wednesday 10:00', () => {
    expect(businessHoursPerDay(PARIS)).toBe(9);
    expect(show(addBusinessDays(at('2026-02-09T10:00'), 2, PARIS))).toBe('Wednesday 2026-02-11T10:00 +01:00');
  });

  it('pushes a 5-day approval deadline by one day for a holiday on the way', () => {
    // Friday 2026-05-08 is a holiday.
    expect(show(addBusinessDays(at('2026-05-04T10:00'), 5, PARIS))).toBe('Tuesday 2026-05-12T10:00 +02:00');
    expect(show(addBusinessDays(at('2026-05-04T10:00'), 5, PARIS_NO_HOLIDAYS))).toBe(
      'Monday 2026-05-11T10:00 +02:00',
    );
  });
});

describe('businessHoursBetween', () => {
  it('is 0 when the end is not after the start', () => {
    const monday = at('2026-02-09T10:00');
    expect(businessHoursBetween(monday, monday, PARIS)).toBe(0);
    expect(businessHoursBetween(monday + HOUR_MS, monday, PARIS)).toBe(0);
  });

  it('counts 8 hours from Friday 16:00 to Monday 15:00 and ignores time outside business hours', () => {
    expect(businessHoursBetween(at('2026-02-06T16:00'), at('2026-02-09T15:00'), PARIS)).toBe(8);
    expect(businessHoursBetween(at('2026-02-06T20:00'), at('2026-02-09T08:00'), PARIS)).toBe(0);
    expect(businessHoursBetween(at('2026-02-06T07:00'), at('2026-02-06T23:00'), PARIS)).toBe(9);
  });

  it('counts 45 hours in a plain week and 36 in a week with a weekday holiday', () => {
    expect(businessHoursBetween(at('2026-02-09T09:00'), at('2026-02-16T09:00'), PARIS)).toBe(45);
    expect(businessHoursBetween(at('2026-05-04T09:00'), at('2026-05-11T09:00'), PARIS)).toBe(36);
  });

  it('counts a whole year of the default calendar: 252 business days of 9 hours in 2026', () => {
    expect(businessHoursBetween(at('2026-01-01T00:00'), at('2027-01-01T00:00'), PARIS)).toBe(2268);
  });
});

describe('withTimezone', () => {
  it("runs the calendar on the owner's zone: Friday 16:00 in New York plus 8 hours is Monday 15:00 there", () => {
    const owner = withTimezone(PARIS, 'America/New_York');
    expect(owner.timezone).toBe('America/New_York');
    expect(owner.holidays).toBe(PARIS.holidays);
    const friday = at('2026-02-06T16:00', 'America/New_York');
    expect(show(addBusinessHours(friday, 8, owner), 'America/New_York')).toBe(
      'Monday 2026-02-09T15:00 -05:00',
    );
  });

  it('keeps the calendar when the owner has no zone, or one the time-zone database does not know', () => {
    expect(withTimezone(PARIS, null)).toBe(PARIS);
    expect(withTimezone(PARIS, 'Europe/Paris')).toBe(PARIS);
    expect(withTimezone(PARIS, 'Mars/Olympus_Mons')).toBe(PARIS);
  });

  it('returns the same calendar object for the same owner zone', () => {
    expect(withTimezone(PARIS, 'Asia/Tokyo')).toBe(withTimezone(PARIS, 'Asia/Tokyo'));
  });
});

// Calendars with different zones, DST rules (none, northern, southern, 30-minute), week shapes and holidays.
const CALENDARS: readonly BusinessHours[] = [
  PARIS,
  {
    timezone: 'America/New_York',
    weekdays: [1, 2, 3, 4, 5],
    dayStart: '08:30',
    dayEnd: '17:00',
    holidays: ['2026-07-03', '2026-11-26', '2026-12-25', '2027-01-01'],
  },
  {
    timezone: 'Asia/Kolkata',
    weekdays: [1, 2, 3, 4, 5, 6],
    dayStart: '10:00',
    dayEnd: '19:00',
    holidays: ['2026-01-26', '2026-08-15'],
  },
  { timezone: 'Asia/Dubai', weekdays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '15:30', holidays: [] },
  {
    timezone: 'Australia/Sydney',
    weekdays: [7, 1, 2, 3, 4],
    dayStart: '09:00',
    dayEnd: '17:00',
    holidays: ['2026-01-26', '2026-12-25'],
  },
  {
    timezone: 'Australia/Lord_Howe',
    weekdays: [1, 2, 3, 4, 5],
    dayStart: '09:00',
    dayEnd: '17:00',
    holidays: [],
  },
];

const calendarArb = fc.constantFrom(...CALENDARS);
const instantArb = fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 11, 31) });
/** Whole minutes, up to 3 working weeks. */
const hoursArb = fc.integer({ min: 1, max: 120 * 60 }).map((minutes) => minutes / 60);

/** Checked with luxon directly rather than the module's own conversions. */
/** Compared to the millisecond: an end one second past closing is outside business hours. */
function isWithinBusinessHours(instant: number, calendar: BusinessHours): boolean {
  const local = DateTime.fromMillis(instant, { zone: calendar.timezone });
  // Wall-clock time of day, as the calendar counts it (elapsed time since midnight differs on DST days).
  const msOfDay = local.hour * HOUR_MS + local.minute * MINUTE_MS + local.second * 1000 + local.millisecond;
  const clockMs = (clock: string) => {
    const [hours = 0, minutes = 0] = clock.split(':').map(Number);
    return hours * HOUR_MS + minutes * MINUTE_MS;
  };
  return (
    calendar.weekdays.includes(local.weekday) &&
    !calendar.holidays.includes(local.toISODate() ?? '') &&
    msOfDay >= clockMs(calendar.dayStart) &&
    msOfDay <= clockMs(calendar.dayEnd)
  );
}

describe('business time properties', () => {
  it('is monotone in the start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, hoursArb, (calendar, a, b, hours) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addBusinessHours(early, hours, calendar)).toBeLessThanOrEqual(
          addBusinessHours(late, hours, calendar),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone in the hours', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, hoursArb, (calendar, start, a, b) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        expect(addBusinessHours(start, fewer, calendar)).toBeLessThanOrEqual(
          addBusinessHours(start, more, calendar),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('never lands outside business hours, judged to the millisecond', () => {
    expect(isWithinBusinessHours(at('2026-02-09T18:00'), PARIS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-02-09T18:00:00.001'), PARIS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-02-09T08:59:59.999'), PARIS)).toBe(false);
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (calendar, start, hours) => {
        const end = addBusinessHours(start, hours, calendar);
        expect(end).toBeGreaterThan(start);
        expect(isWithinBusinessHours(end, calendar)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('measures back the hours it added', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb, (calendar, start, hours) => {
        expect(businessHoursBetween(start, addBusinessHours(start, hours, calendar), calendar)).toBeCloseTo(
          hours,
          9,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a minute-by-minute count done with luxon', () => {
    const minuteArb = instantArb.map((instant) => Math.floor(instant / MINUTE_MS) * MINUTE_MS);
    const shortHoursArb = fc.integer({ min: 1, max: 20 * 4 }).map((quarters) => quarters / 4);
    fc.assert(
      fc.property(calendarArb, minuteArb, shortHoursArb, (calendar, start, hours) => {
        expect(addBusinessHours(start, hours, calendar)).toBe(addByCountingMinutes(start, hours, calendar));
      }),
      { numRuns: 40 },
    );
  });
});

/** Reference: walks real minutes and counts those that start inside business hours. */
function addByCountingMinutes(start: number, hours: number, calendar: BusinessHours): number {
  let counted = 0;
  let minute = start;
  const target = Math.round(hours * 60);
  while (counted < target) {
    const local = DateTime.fromMillis(minute, { zone: calendar.timezone });
    const clock = local.toFormat('HH:mm');
    const open =
      calendar.weekdays.includes(local.weekday) &&
      !calendar.holidays.includes(local.toISODate() ?? '') &&
      clock >= calendar.dayStart &&
      clock < calendar.dayEnd;
    if (open) counted++;
    minute += MINUTE_MS;
  }
  return minute;
}
