import type { Locale } from '@abm-pilot/shared';

import type { Plural } from './messages.ts';

// How the console writes numbers, money, instants and lists in the reader's language: one place, so every
// table and chart agrees. Instants stay in UTC and say so, because committee meetings span time zones.

/** The regional conventions each language of the console is written with. */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-US', fr: 'fr-FR' };

const NOTHING = '—';

export interface Formats {
  /** The BCP 47 tag handed to `Intl` and chart.js. */
  readonly intlLocale: string;
  /** A share as a percentage with one decimal; a dash when there is nothing to divide by. */
  percent(value: number | null): string;
  decimal(value: number | null, digits?: number): string;
  integer(value: number): string;
  /** Whole currency units: the dashboard reads orders of magnitude, not cents. */
  money(value: number | null, currency: string): string;
  /** Date and time of an ISO instant, in UTC, naming UTC. */
  instant(iso: string | null): string;
  /** The UTC day of an ISO instant or `YYYY-MM-DD`. */
  day(iso: string): string;
  /** The UTC month of an ISO instant, e.g. "May 2026". */
  month(iso: string): string;
  /** "A or B" in the reader's language. */
  either(items: readonly string[]): string;
  /** The wording of a count that fits `count`. */
  plural(forms: Plural, count: number): string;
}

export function formatsOf(locale: Locale): Formats {
  const intlLocale = INTL_LOCALE[locale];
  const decimals = new Map<number, Intl.NumberFormat>();
  const currencies = new Map<string, Intl.NumberFormat>();
  const percentFormat = new Intl.NumberFormat(intlLocale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const integerFormat = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 0 });
  const instantFormat = new Intl.DateTimeFormat(intlLocale, {
    timeZone: 'UTC',
    timeZoneName: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dayFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: 'UTC', dateStyle: 'medium' });
  const monthFormat = new Intl.DateTimeFormat(intlLocale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
  });
  const eitherFormat = new Intl.ListFormat(intlLocale, { type: 'disjunction' });
  const plurals = new Intl.PluralRules(intlLocale);
  const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);
  const utcDate = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

  return {
    intlLocale,
    percent: (value) => (finite(value) ? percentFormat.format(value) : NOTHING),
    decimal(value, digits = 1) {
      if (!finite(value)) return NOTHING;
      let format = decimals.get(digits);
      if (format === undefined) {
        format = new Intl.NumberFormat(intlLocale, {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
        decimals.set(digits, format);
      }
      return format.format(value);
    },
    integer: (value) => integerFormat.format(Math.round(value)),
    money(value, currency) {
      if (!finite(value)) return NOTHING;
      let format = currencies.get(currency);
      if (format === undefined) {
        format = new Intl.NumberFormat(intlLocale, { style: 'currency', currency, maximumFractionDigits: 0 });
        currencies.set(currency, format);
      }
      return format.format(value);
    },
    instant: (iso) => (iso === null ? NOTHING : instantFormat.format(utcDate(iso))),
    day: (iso) => dayFormat.format(utcDate(iso.slice(0, 10))),
    month: (iso) => monthFormat.format(utcDate(iso)),
    either: (items) => eitherFormat.format(items),
    plural: (forms, count) => (plurals.select(count) === 'one' ? forms.one : forms.other),
  };
}
