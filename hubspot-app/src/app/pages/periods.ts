import type { PeriodChoice } from '@abm-pilot/hubspot-abm-client';

// The dashboard's period filter: calendar quarters in UTC, as the server counts its metric quarters. Its
// words are in the package's catalog, which names the choices.

export type { PeriodChoice };

export const PERIOD_CHOICES = [
  'this_quarter',
  'last_quarter',
  'last_4_quarters',
  'year_to_date',
] as const satisfies readonly PeriodChoice[];

const quarterStart = (year: number, quarter: number) => Date.UTC(year, quarter * 3, 1);

/** Half-open `[from, to)` as ISO instants; a period that is still running ends at `now`. */
export function periodOf(choice: PeriodChoice, now: number): { readonly from: string; readonly to: string } {
  const today = new Date(now);
  const year = today.getUTCFullYear();
  const quarter = Math.floor(today.getUTCMonth() / 3);
  const iso = (instant: number) => new Date(instant).toISOString();
  switch (choice) {
    case 'this_quarter':
      return { from: iso(quarterStart(year, quarter)), to: iso(now) };
    case 'last_quarter':
      return { from: iso(quarterStart(year, quarter - 1)), to: iso(quarterStart(year, quarter)) };
    case 'last_4_quarters':
      return { from: iso(quarterStart(year, quarter - 4)), to: iso(quarterStart(year, quarter)) };
    case 'year_to_date':
      return { from: iso(Date.UTC(year, 0, 1)), to: iso(now) };
  }
}
