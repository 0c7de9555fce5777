import { DAY_MS } from '@abm-pilot/shared';

// SOQL relative date literals as half-open UTC ranges [startMs, endMs). The running user of an
// emulated org works in GMT with weeks starting on Sunday (the en_US locale), so no time zone applies.
// `LAST_N_DAYS:n` includes today (n + 1 days in all); `NEXT_N_DAYS:n` starts tomorrow.

export interface DateRange {
  readonly startMs: number;
  readonly endMs: number;
}

const monthStart = (year: number, month: number): number => Date.UTC(year, month, 1);

export function dateLiteralRange(name: string, n: number | null, nowMs: number): DateRange {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarterMonth = month - (month % 3);
  const weekStart = today - now.getUTCDay() * DAY_MS;
  const count = n ?? 1;
  const days = (from: number, to: number): DateRange => ({
    startMs: today + from * DAY_MS,
    endMs: today + to * DAY_MS,
  });
  const weeks = (from: number, to: number): DateRange => ({
    startMs: weekStart + from * 7 * DAY_MS,
    endMs: weekStart + to * 7 * DAY_MS,
  });
  const months = (from: number, to: number): DateRange => ({
    startMs: monthStart(year, month + from),
    endMs: monthStart(year, month + to),
  });
  const quarters = (from: number, to: number): DateRange => ({
    startMs: monthStart(year, quarterMonth + 3 * from),
    endMs: monthStart(year, quarterMonth + 3 * to),
  });
  const years = (from: number, to: number): DateRange => ({
    startMs: Date.UTC(year + from, 0, 1),
    endMs: Date.UTC(year + to, 0, 1),
  });
  switch (name) {
    case 'YESTERDAY':
      return days(-1, 0);
    case 'TODAY':
      return days(0, 1);
    case 'TOMORROW':
      return days(1, 2);
    case 'LAST_WEEK':
      return weeks(-1, 0);
    case 'THIS_WEEK':
      return weeks(0, 1);
    case 'NEXT_WEEK':
      return weeks(1, 2);
    case 'LAST_MONTH':
      return months(-1, 0);
    case 'THIS_MONTH':
      return months(0, 1);
    case 'NEXT_MONTH':
      return months(1, 2);
    case 'LAST_90_DAYS':
      return days(-90, 1);
    case 'NEXT_90_DAYS':
      return days(1, 91);
    case 'LAST_QUARTER':
      return quarters(-1, 0);
    case 'THIS_QUARTER':
      return quarters(0, 1);
    case 'NEXT_QUARTER':
      return quarters(1, 2);
    case 'LAST_YEAR':
      return years(-1, 0);
    case 'THIS_YEAR':
      return years(0, 1);
    case 'NEXT_YEAR':
      return years(1, 2);
    case 'LAST_N_DAYS':
      return days(-count, 1);
    case 'NEXT_N_DAYS':
      return days(1, count + 1);
    case 'N_DAYS_AGO':
      return days(-count, -count + 1);
    case 'LAST_N_WEEKS':
      return weeks(-count, 0);
    case 'NEXT_N_WEEKS':
      return weeks(1, count + 1);
    case 'N_WEEKS_AGO':
      return weeks(-count, -count + 1);
    case 'LAST_N_MONTHS':
      return months(-count, 0);
    case 'NEXT_N_MONTHS':
      return months(1, count + 1);
    case 'N_MONTHS_AGO':
      return months(-count, -count + 1);
    case 'LAST_N_QUARTERS':
      return quarters(-count, 0);
    case 'NEXT_N_QUARTERS':
      return quarters(1, count + 1);
    case 'N_QUARTERS_AGO':
      return quarters(-count, -count + 1);
    case 'LAST_N_YEARS':
      return years(-count, 0);
    case 'NEXT_N_YEARS':
      return years(1, count + 1);
    case 'N_YEARS_AGO':
      return years(-count, -count + 1);
    default:
      throw new RangeError(`unknown date literal ${name}`);
  }
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The days a `YYYY-MM-DD` value can name: a range reaching past them names no date at all. */
const FIRST_DAY_MS = Date.parse('0000-01-01T00:00:00Z');
const LAST_DAY_MS = Date.parse('9999-12-31T00:00:00Z');

/** False for a range such as `LAST_N_YEARS:300000`, whose bounds are not (finite) dates. */
export const isDateRange = (range: DateRange): boolean =>
  Number.isFinite(range.startMs) &&
  Number.isFinite(range.endMs) &&
  range.startMs >= FIRST_DAY_MS &&
  range.endMs <= LAST_DAY_MS;
