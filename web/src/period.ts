// The dashboard's period: whole UTC days picked in date inputs, sent as a half-open ISO interval, and the
// months inside it for "over time" charts.

export interface DayPeriod {
  /** First day, `YYYY-MM-DD`, included. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD`, included. */
  readonly to: string;
}

export interface IsoPeriod {
  readonly from: string;
  /** Excluded. */
  readonly to: string;
  readonly label: string;
}

const DAY_MS = 86_400_000;
const isDay = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The twelve months up to and including `today`. */
export function defaultPeriod(today: string): DayPeriod {
  const end = Date.parse(`${today}T00:00:00Z`);
  const start = new Date(end);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return { from: dayOf(start.getTime() + DAY_MS), to: today };
}

/** The API's interval for a period of days; `null` for a malformed one or one ending before it starts. */
export function isoPeriodOf(period: DayPeriod): IsoPeriod | null {
  if (!isDay(period.from) || !isDay(period.to) || period.to < period.from) return null;
  return {
    from: `${period.from}T00:00:00.000Z`,
    to: new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY_MS).toISOString(),
    label: `${period.from} – ${period.to}`,
  };
}

/** Calendar months overlapping the period, clipped to it; the last `max` of them. */
export function monthsOf(period: IsoPeriod, max = 12): IsoPeriod[] {
  const end = Date.parse(period.to);
  const months: IsoPeriod[] = [];
  let cursor = Date.parse(period.from);
  while (cursor < end) {
    const date = new Date(cursor);
    const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    const to = Math.min(next, end);
    months.push({
      from: new Date(cursor).toISOString(),
      to: new Date(to).toISOString(),
      label: new Date(cursor).toISOString().slice(0, 7),
    });
    cursor = to;
  }
  return months.slice(-max);
}
