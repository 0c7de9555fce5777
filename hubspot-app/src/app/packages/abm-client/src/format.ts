import type { Locale } from '@abm-pilot/shared';
import { fill } from '@abm-pilot/shared';

import type { Messages, Plural } from './messages.ts';

// How the extensions write instants, numbers, money and durations in the reader's language: one place, so
// the card, the home page and the settings page agree. Instants show in the portal's time zone, as HubSpot
// shows its own.

/**
 * The regional conventions each language is written with. English keeps what the app has always shown:
 * day-month-year instants and US-style amounts.
 */
const INTL: Readonly<Record<Locale, { readonly dates: string; readonly numbers: string }>> = {
  en: { dates: 'en-GB', numbers: 'en-US' },
  fr: { dates: 'fr-FR', numbers: 'fr-FR' },
};

export interface Formats {
  /** "21 Apr 2026, 11:12" in the portal's time zone. */
  instant(iso: string): string;
  /** A calendar month named `2026-12` by the server, as "December 2026". */
  month(month: string): string;
  /** One decimal unless told; a dash when there is no value. */
  decimal(value: number | null, digits?: number): string;
  /** A ratio as a percentage with one decimal; a dash when it has no denominator. */
  percent(ratio: number | null): string;
  /** Whole currency units: the dashboard reads orders of magnitude, not cents. */
  money(amount: number | null, currency: string): string;
  /** "2 d 3 h", "3 h 20 min", "12 min": the two largest units, rounded down. */
  duration(ms: number): string;
  /** Time left to an instant, or how long it is overdue. */
  timeLeft(dueAt: string, now: number): string;
  /** "A or B" in the reader's language. */
  either(items: readonly string[]): string;
  /** A count in the wording that fits it, `{count}` filled. */
  count(forms: Plural, count: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatsOf(
  locale: Locale,
  timeZone: string,
  words: Pick<Messages, 'duration' | 'common'>,
): Formats {
  const { dates, numbers } = INTL[locale];
  const nothing = words.common.nothing;
  const instantFormat = new Intl.DateTimeFormat(dates, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  });
  // A month the server names is a calendar month already: read in UTC, it names the same month anywhere.
  const monthFormat = new Intl.DateTimeFormat(dates, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const decimals = new Map<number, Intl.NumberFormat>();
  const currencies = new Map<string, Intl.NumberFormat>();
  const percentFormat = new Intl.NumberFormat(numbers, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const eitherFormat = new Intl.ListFormat(numbers, { type: 'disjunction' });
  const plurals = new Intl.PluralRules(numbers);
  const cached = <K>(cache: Map<K, Intl.NumberFormat>, key: K, make: () => Intl.NumberFormat) => {
    const found = cache.get(key) ?? make();
    cache.set(key, found);
    return found;
  };
  const duration = (ms: number) => {
    const abs = Math.abs(ms);
    const parts = [
      [Math.floor(abs / DAY), words.duration.days],
      [Math.floor((abs % DAY) / HOUR), words.duration.hours],
      [Math.floor((abs % HOUR) / MINUTE), words.duration.minutes],
    ] as const;
    const largest = parts.findIndex(([count]) => count > 0);
    // Less than a minute still reads as a duration.
    if (largest === -1) return fill(words.duration.minutes, { count: 0 });
    return parts
      .slice(largest, largest + 2)
      .filter(([count], index) => index === 0 || count > 0)
      .map(([count, unit]) => fill(unit, { count }))
      .join(' ');
  };
  return {
    instant: (iso) => instantFormat.format(new Date(iso)),
    month: (month) => monthFormat.format(new Date(`${month}-01T00:00:00.000Z`)),
    decimal: (value, digits = 1) =>
      value === null || !Number.isFinite(value)
        ? nothing
        : cached(
            decimals,
            digits,
            () =>
              new Intl.NumberFormat(numbers, {
                minimumFractionDigits: digits,
                maximumFractionDigits: digits,
              }),
          ).format(value),
    percent: (ratio) => (ratio === null || !Number.isFinite(ratio) ? nothing : percentFormat.format(ratio)),
    money: (amount, currency) =>
      amount === null || !Number.isFinite(amount)
        ? nothing
        : cached(
            currencies,
            currency,
            () => new Intl.NumberFormat(numbers, { style: 'currency', currency, maximumFractionDigits: 0 }),
          ).format(amount),
    duration,
    timeLeft(dueAt, now) {
      const left = Date.parse(dueAt) - now;
      return fill(left >= 0 ? words.duration.left : words.duration.overdue, { duration: duration(left) });
    },
    either: (items) => eitherFormat.format(items),
    count: (forms, count) => fill(plurals.select(count) === 'one' ? forms.one : forms.other, { count }),
  };
}
