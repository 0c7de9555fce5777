import { describe, expect, it } from 'vitest';

import type { BusinessHours } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, MINUTE_MS } from '@abm-pilot/shared';

import { simulatedTime, virtualTime } from './time.ts';

// The simulated clock reads real time through a source the test moves by hand: a virtual clock standing in
// for the process's own.

const PARIS: BusinessHours = DEFAULT_GOVERNANCE_CONFIG.businessHours;
/** Monday 7 December 2026, 10:00 in Paris. */
const MONDAY_10 = Date.parse('2026-12-07T09:00:00.000Z');
const SECOND = 1_000;

function clockAt(start: number, businessHoursPerMinute: number) {
  const real = virtualTime(0);
  const time = simulatedTime({ start, businessHoursPerMinute, calendar: PARIS, real });
  return { real, time };
}

const paris = (instant: number) =>
  new Date(instant).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' }).slice(0, 16);

describe('simulatedTime', () => {
  it('runs the given business hours per real minute inside business hours', () => {
    const { real, time } = clockAt(MONDAY_10, 6);
    expect(time.now()).toBe(MONDAY_10);
    real.advance(30 * SECOND);
    expect(paris(time.now())).toBe('2026-12-07 13:00');
    real.advance(30 * SECOND);
    expect(paris(time.now())).toBe('2026-12-07 16:00');
  });

  it('skips nights and weekends: Friday 17:00 plus two business hours is Monday 10:00', () => {
    const friday17 = Date.parse('2026-12-11T16:00:00.000Z');
    const { real, time } = clockAt(friday17, 6);
    real.advance(10 * SECOND);
    expect(paris(time.now())).toBe('2026-12-11 18:00');
    real.advance(10 * SECOND);
    expect(paris(time.now())).toBe('2026-12-14 10:00');
  });

  it('skips the calendar’s holidays, and starts counting at the next opening when started at night', () => {
    const christmasEve22 = Date.parse('2026-12-24T21:00:00.000Z');
    const { real, time } = clockAt(christmasEve22, 6);
    expect(time.now()).toBe(christmasEve22);
    real.advance(10 * SECOND);
    // The 25th is a holiday, then a weekend.
    expect(paris(time.now())).toBe('2026-12-28 10:00');
  });

  it('loses no time to many reads close together, and never goes backwards', () => {
    const { real, time } = clockAt(MONDAY_10, 7);
    const other = clockAt(MONDAY_10, 7);
    let previous = time.now();
    for (let step = 0; step < 5_000; step++) {
      real.advance(0.013);
      const read = time.now();
      expect(read).toBeGreaterThanOrEqual(previous);
      previous = read;
    }
    other.real.advance(5_000 * 0.013);
    expect(Math.abs(time.now() - other.time.now())).toBeLessThanOrEqual(1);
  });

  it('runs intervals at their simulated length in real time, never more often than once a real second', () => {
    const { real, time } = clockAt(MONDAY_10, 10);
    const fired = { syncs: 0, sweeps: 0 };
    // 10 business hours a minute: 30 simulated minutes are 3 real seconds; 1 simulated minute would be 0.1.
    time.every(30 * MINUTE_MS, () => (fired.syncs += 1));
    time.every(MINUTE_MS, () => (fired.sweeps += 1));
    real.advance(9 * SECOND);
    expect(fired).toEqual({ syncs: 3, sweeps: 9 });
  });

  it('ends a pause once its simulated length has passed in real time', async () => {
    // 60 business hours a minute: two simulated minutes are 33⅓ real milliseconds.
    const { real, time } = clockAt(MONDAY_10, 60);
    let done = false;
    const pause = time.sleep(2 * MINUTE_MS).then(() => (done = true));
    real.advance(33);
    await Promise.resolve();
    expect(done).toBe(false);
    real.advance(1);
    await pause;
    expect(done).toBe(true);
  });

  it('tells how much real time is left before an instant, nights not counted', () => {
    const { real, time } = clockAt(Date.parse('2026-12-11T16:00:00.000Z'), 6);
    // Friday 17:00 to Monday 11:00: three business hours, 30 real seconds at six an hour.
    expect(time.realMsUntil(Date.parse('2026-12-14T10:00:00.000Z'))).toBe(30 * SECOND);
    real.advance(40 * SECOND);
    expect(time.realMsUntil(Date.parse('2026-12-14T10:00:00.000Z'))).toBe(0);
  });

  it('refuses a speed that is not a positive number', () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        simulatedTime({ start: MONDAY_10, businessHoursPerMinute: speed, calendar: PARIS }),
      ).toThrow(RangeError);
    }
  });
});
