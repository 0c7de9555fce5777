import { IANAZone } from 'luxon';

import type { BusinessHours } from '../config/schema.ts';
import type { Instant } from './time.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';

// Business time is counted in wall-clock time of the calendar's zone: a 09:00-18:00 day holds 9 business
// hours even on the day the clocks change. Positions are handled as (local day index, ms into that day),
// where the local day index counts days since 1970-01-01 in wall-clock terms, so weekdays and holidays
// reduce to integer arithmetic and only the two conversions at the ends touch the time zone.

/**
 * Adds `hours` business hours to `start`. A start outside business hours begins counting at the next
 * opening; a result lands inside a business day, at its closing time at the latest (Friday 16:00 + 2 h is
 * Friday 18:00, not Monday 09:00). Whole business days are skipped at once.
 */
export function addBusinessHours(start: Instant, hours: number, calendar: BusinessHours): Instant {
  if (!Number.isFinite(start)) throw new RangeError(`start must be a finite instant, got ${start}`);
  if (!Number.isFinite(hours) || hours < 0)
    throw new RangeError(`hours must be a finite non-negative number, got ${hours}`);
  let budget = Math.round(hours * HOUR_MS);
  if (budget === 0) return start;

  const cal = compiled(calendar);
  let { day, msOfDay } = toLocal(cal, start);
  if (!isBusinessDay(cal, day) || msOfDay >= cal.closeMs) {
    day = nextBusinessDay(cal, day);
    msOfDay = cal.openMs;
  } else if (msOfDay < cal.openMs) {
    msOfDay = cal.openMs;
  }

  const leftToday = cal.closeMs - msOfDay;
  if (budget <= leftToday) return toInstant(cal, day, msOfDay + budget);
  budget -= leftToday;

  // An exact multiple of a day ends at the closing time of the last day, hence ceil rather than floor.
  const furtherDays = Math.ceil(budget / cal.dayMs);
  for (let skipped = 0; skipped < furtherDays; skipped++) day = nextBusinessDay(cal, day);
  return toInstant(cal, day, cal.openMs + budget - (furtherDays - 1) * cal.dayMs);
}

/** `days` business days are `days` × the calendar's business hours per day (9 for 09:00-18:00). */
export function addBusinessDays(start: Instant, days: number, calendar: BusinessHours): Instant {
  return addBusinessHours(start, days * businessHoursPerDay(calendar), calendar);
}

/** Wall-clock length of one business day, in hours (dayEnd - dayStart). */
export function businessHoursPerDay(calendar: BusinessHours): number {
  return compiled(calendar).dayMs / HOUR_MS;
}

/**
 * Business hours elapsed from `from` to `to`, 0 when `to <= from`.
 * between = businessDays[dayFrom, dayTo) × dayLength + elapsedToday(to) - elapsedToday(from), where
 * elapsedToday is the time since opening clamped to the business day (0 on a non-business day).
 */
export function businessHoursBetween(from: Instant, to: Instant, calendar: BusinessHours): number {
  if (!(to > from)) return 0;
  const cal = compiled(calendar);
  const a = toLocal(cal, from);
  const b = toLocal(cal, to);
  const ms =
    countBusinessDays(cal, a.day, b.day) * cal.dayMs +
    elapsedToday(cal, b.day, b.msOfDay) -
    elapsedToday(cal, a.day, a.msOfDay);
  // Wall-clock counting can run backwards inside a DST fall-back hour; elapsed time never does.
  return Math.max(0, ms) / HOUR_MS;
}

/**
 * The calendar as seen by an owner: their own zone replaces the calendar's (SLAs run on the owner's
 * business hours), keeping the calendar's days, hours and holiday dates. No zone, or one the time-zone
 * database does not know, keeps the calendar's: a bad profile setting in the CRM must not stop the clock.
 * The same (calendar, zone) pair returns the same object, so per-calendar caches stay warm.
 */
export function withTimezone(calendar: BusinessHours, timezone: string | null): BusinessHours {
  if (timezone === null || timezone === calendar.timezone) return calendar;
  let byZone = ownerCalendars.get(calendar);
  if (byZone === undefined) {
    byZone = new Map();
    ownerCalendars.set(calendar, byZone);
  }
  const known = byZone.get(timezone);
  if (known !== undefined) return known;
  const adjusted = IANAZone.isValidZone(timezone) ? { ...calendar, timezone } : calendar;
  byZone.set(timezone, adjusted);
  return adjusted;
}

const ownerCalendars = new WeakMap<BusinessHours, Map<string, BusinessHours>>();

interface CompiledCalendar {
  readonly zone: ZoneClock;
  readonly openMs: number;
  readonly closeMs: number;
  readonly dayMs: number;
  /** Indexed by ISO weekday 1..7 (index 0 unused). */
  readonly isWeekday: readonly boolean[];
  readonly weekdaysPerWeek: number;
  readonly holidays: ReadonlySet<number>;
  /** Holidays that fall on a business weekday, ascending, to count them in a range by binary search. */
  readonly weekdayHolidays: readonly number[];
}

const compiledCalendars = new WeakMap<BusinessHours, CompiledCalendar>();

function compiled(calendar: BusinessHours): CompiledCalendar {
  let cal = compiledCalendars.get(calendar);
  if (cal === undefined) {
    cal = compile(calendar);
    compiledCalendars.set(calendar, cal);
  }
  return cal;
}

function compile(calendar: BusinessHours): CompiledCalendar {
  const openMs = clockToMs(calendar.dayStart);
  const closeMs = clockToMs(calendar.dayEnd);
  if (!(closeMs > openMs))
    throw new RangeError(`dayEnd ${calendar.dayEnd} must be after ${calendar.dayStart}`);
  const isWeekday = Array.from(
    { length: 8 },
    (_, isoDay) => isoDay >= 1 && calendar.weekdays.includes(isoDay),
  );
  const weekdaysPerWeek = isWeekday.filter(Boolean).length;
  if (weekdaysPerWeek === 0) throw new RangeError('a business calendar needs at least one weekday');
  const holidays = new Set(calendar.holidays.map(dateToDayIndex));
  const weekdayHolidays = [...holidays].filter((day) => isWeekday[isoWeekday(day)]).sort((x, y) => x - y);
  return {
    zone: zoneClock(calendar.timezone),
    openMs,
    closeMs,
    dayMs: closeMs - openMs,
    isWeekday,
    weekdaysPerWeek,
    holidays,
    weekdayHolidays,
  };
}

function clockToMs(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (match === null) throw new RangeError(`expected HH:mm, got ${clock}`);
  return Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
}

function dateToDayIndex(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) throw new RangeError(`expected YYYY-MM-DD, got ${isoDate}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** Day 0, 1970-01-01, was a Thursday (ISO 4). */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isBusinessDay(cal: CompiledCalendar, day: number): boolean {
  return cal.isWeekday[isoWeekday(day)] === true && !cal.holidays.has(day);
}

function nextBusinessDay(cal: CompiledCalendar, day: number): number {
  let next = day + 1;
  while (!isBusinessDay(cal, next)) next++;
  return next;
}

function elapsedToday(cal: CompiledCalendar, day: number, msOfDay: number): number {
  if (!isBusinessDay(cal, day)) return 0;
  return Math.min(Math.max(msOfDay, cal.openMs), cal.closeMs) - cal.openMs;
}

/** Business days in [fromDay, toDay): whole weeks at once, then the remainder, minus weekday holidays. */
function countBusinessDays(cal: CompiledCalendar, fromDay: number, toDay: number): number {
  if (toDay <= fromDay) return 0;
  const span = toDay - fromDay;
  const weeks = Math.floor(span / 7);
  let count = weeks * cal.weekdaysPerWeek;
  for (let day = fromDay + weeks * 7; day < toDay; day++) if (cal.isWeekday[isoWeekday(day)]) count++;
  return count - (lowerBound(cal.weekdayHolidays, toDay) - lowerBound(cal.weekdayHolidays, fromDay));
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toLocal(cal: CompiledCalendar, instant: Instant): { day: number; msOfDay: number } {
  const local = instant + offsetAt(cal.zone, instant);
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

/**
 * The instant showing this wall-clock time. Offsets are taken a day either side, as no zone changes offset
 * twice within a day. An ambiguous time (fall-back overlap) resolves to its earlier instant; a time skipped
 * by a spring-forward gap moves forward by the gap, as a wall clock would read it.
 */
function toInstant(cal: CompiledCalendar, day: number, msOfDay: number): Instant {
  const local = day * DAY_MS + msOfDay;
  const before = offsetAt(cal.zone, local - DAY_MS);
  const after = offsetAt(cal.zone, local + DAY_MS);
  if (before === after) return local - before;
  const candidates = [local - before, local - after].filter((u) => u + offsetAt(cal.zone, u) === local);
  return candidates.length > 0 ? Math.min(...candidates) : local - before;
}

// Luxon's IANAZone.offset formats a date through Intl on every call (microseconds each), too slow for a
// million SLA clocks. Offsets are therefore cached per zone and UTC day: a plain number for a day with
// one offset throughout, or the switch instant found by bisection for a day on which the offset changes.
// This assumes no zone changes offset twice within one UTC day, true of the time-zone database since 1970.

interface OffsetSwitch {
  readonly before: number;
  readonly after: number;
  readonly switchAt: Instant;
}

interface ZoneClock {
  readonly zone: IANAZone;
  readonly days: Map<number, number | OffsetSwitch>;
}

/** About 270 years of days per zone; beyond that the cache restarts rather than grow without bound. */
const MAX_CACHED_DAYS = 100_000;
const zoneClocks = new Map<string, ZoneClock>();

function zoneClock(name: string): ZoneClock {
  let clock = zoneClocks.get(name);
  if (clock === undefined) {
    const zone = IANAZone.create(name);
    if (!zone.isValid) throw new RangeError(`unknown IANA time zone: ${name}`);
    clock = { zone, days: new Map() };
    zoneClocks.set(name, clock);
  }
  return clock;
}

/** Offset from UTC in ms at `instant` (local wall-clock = instant + offset). */
function offsetAt(clock: ZoneClock, instant: Instant): number {
  const utcDay = Math.floor(instant / DAY_MS);
  let entry = clock.days.get(utcDay);
  if (entry === undefined) {
    entry = describeDay(clock.zone, utcDay);
    if (clock.days.size >= MAX_CACHED_DAYS) clock.days.clear();
    clock.days.set(utcDay, entry);
  }
  if (typeof entry === 'number') return entry;
  return instant < entry.switchAt ? entry.before : entry.after;
}

function describeDay(zone: IANAZone, utcDay: number): number | OffsetSwitch {
  const offset = (instant: Instant): number => Math.round(zone.offset(instant) * MINUTE_MS);
  let lo = utcDay * DAY_MS;
  let hi = lo + DAY_MS - 1;
  const before = offset(lo);
  const after = offset(hi);
  if (before === after) return before;
  // Invariant: offset(lo) === before, offset(hi) === after; hi ends as the first instant of `after`.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { before, after, switchAt: hi };
}
