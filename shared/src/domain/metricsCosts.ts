import type { CostPolicy } from '../config/schema.ts';
import type { CostCategory } from '../config/vocabulary.ts';
import { COST_CATEGORIES, CostCategorySchema } from '../config/vocabulary.ts';
import type { MetricRatio, MetricsPeriod } from './metricsBasics.ts';
import { assertMetricsPeriod, ratio, utcMonthStart } from './metricsBasics.ts';

// ROI at full cost, from a cost ledger booked by calendar month.

export interface MetricsCostLine {
  /**
   * Calendar month in UTC, `YYYY-MM`: the finest grain finance books by, and whole months add up to
   * quarters and years. A month that straddles the period's bounds counts pro rata of its time inside.
   * UTC, like the metric quarters, so that ledger months and quarters share their edges.
   */
  readonly period: string;
  readonly category: CostCategory;
  /** Cost in the tenant currency; when absent, `hours` are valued at the sales loaded hourly rate. */
  readonly amount?: number;
  /** Sales hours: `sales_time` lines only, as the one hourly rate known is the sales loaded rate. */
  readonly hours?: number;
}

/** Bounds of one ledger line, far above any real cost, that keep every sum finite. */
export const MAX_COST_AMOUNT = 1e15;
export const MAX_COST_HOURS = 1e9;

const LEDGER_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC bounds of a `YYYY-MM` ledger month; null when the text is not one. */
export function parseLedgerMonth(text: string): { start: number; end: number } | null {
  const match = typeof text === 'string' ? LEDGER_MONTH.exec(text) : null;
  if (match === null) return null;
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  return { start: utcMonthStart(year, monthIndex), end: utcMonthStart(year, monthIndex + 1) };
}

const isBounded = (value: unknown, max: number): value is number =>
  typeof value === 'number' && value >= 0 && value <= max;

/** A line needs a known category and month, and a bounded amount or hours; hours on `sales_time` only. */
export function isUsableCostLine(line: MetricsCostLine): boolean {
  if (!CostCategorySchema.safeParse(line.category).success) return false;
  if (line.hours !== undefined && line.category !== 'sales_time') return false;
  if (line.amount !== undefined) return isBounded(line.amount, MAX_COST_AMOUNT);
  return isBounded(line.hours, MAX_COST_HOURS);
}

export interface RoiAtFullCost {
  readonly currency: string;
  /** Deals of targeted accounts (any tier) won in the period. */
  readonly wonAbmRevenue: number;
  readonly grossMargin: number;
  readonly grossProfit: number;
  /** The sum of the categories the tenant counts (`config.costs.categories`). */
  readonly fullCost: number;
  /** Every category, counted or not, so nothing in the ledger disappears from view. */
  readonly costByCategory: Readonly<Record<CostCategory, number>>;
  readonly countedCategories: readonly CostCategory[];
  /** Ledger cost in categories the tenant does not count in full cost. */
  readonly uncountedCost: number;
  /** Sales hours valued at the loaded hourly rate (lines with hours and no amount). */
  readonly valuedSalesHours: number;
  /** (gross profit − full cost) / full cost; 0.5 is a 50% return. */
  readonly roi: MetricRatio;
}

export interface CostTally {
  readonly costByCategory: Record<CostCategory, number>;
  readonly valuedSalesHours: number;
  readonly invalidCostLines: number;
}

/** Cost per category over the period: Σ line cost × (time of its month inside the period / month length). */
export function tallyCosts(
  ledger: readonly MetricsCostLine[],
  period: MetricsPeriod,
  costs: CostPolicy,
): CostTally {
  const costByCategory = Object.fromEntries(COST_CATEGORIES.map((category) => [category, 0])) as Record<
    CostCategory,
    number
  >;
  const months = new Map<string, number | null>();
  let valuedSalesHours = 0;
  let invalidCostLines = 0;
  for (const line of ledger) {
    let share = months.get(line.period);
    if (share === undefined) {
      share = shareOfMonthInPeriod(line.period, period);
      months.set(line.period, share);
    }
    if (share === null || !isUsableCostLine(line)) {
      invalidCostLines += 1;
      continue;
    }
    if (share === 0) continue;
    /** line cost = amount, or hours × sales loaded hourly rate when no amount is given */
    const lineCost = line.amount ?? (line.hours ?? 0) * costs.salesLoadedHourlyRate;
    costByCategory[line.category] += lineCost * share;
    if (line.amount === undefined) valuedSalesHours += (line.hours ?? 0) * share;
  }
  return { costByCategory, valuedSalesHours, invalidCostLines };
}

/** Share of a ledger month's time inside the period, in [0, 1]; null when the month does not parse. */
function shareOfMonthInPeriod(month: string, period: MetricsPeriod): number | null {
  const bounds = parseLedgerMonth(month);
  if (bounds === null) return null;
  const overlap = Math.min(bounds.end, period.end) - Math.max(bounds.start, period.start);
  const length = bounds.end - bounds.start;
  if (overlap <= 0) return 0;
  return overlap >= length ? 1 : overlap / length;
}

export function roiFromTally(wonAbmRevenue: number, tally: CostTally, costs: CostPolicy): RoiAtFullCost {
  const countedCategories = COST_CATEGORIES.filter((category) => costs.categories.includes(category));
  let fullCost = 0;
  let uncountedCost = 0;
  for (const category of COST_CATEGORIES) {
    if (countedCategories.includes(category)) fullCost += tally.costByCategory[category];
    else uncountedCost += tally.costByCategory[category];
  }
  /** gross profit = won ABM revenue × gross margin */
  const grossProfit = wonAbmRevenue * costs.grossMargin;
  return {
    currency: costs.currency,
    wonAbmRevenue,
    grossMargin: costs.grossMargin,
    grossProfit,
    fullCost,
    costByCategory: tally.costByCategory,
    countedCategories,
    uncountedCost,
    valuedSalesHours: tally.valuedSalesHours,
    /** ROI = (won ABM revenue × gross margin − full cost) / full cost */
    roi: ratio(grossProfit - fullCost, fullCost),
  };
}

/** ROI at full cost of the period and its cost breakdown; `wonAbmRevenue`: ABM deals won in the period. */
export function computeRoiAtFullCost(
  wonAbmRevenue: number,
  ledger: readonly MetricsCostLine[],
  period: MetricsPeriod,
  costs: CostPolicy,
): RoiAtFullCost {
  assertMetricsPeriod(period);
  return roiFromTally(wonAbmRevenue, tallyCosts(ledger, period, costs), costs);
}
