import type { GovernanceMetricsWire, Instant, PortfolioReviewResponse } from '@abm-pilot/shared';
import { governanceMetricsContract, portfolioReviewContract, TIERS } from '@abm-pilot/shared';

import type { CrmPerson, DemoCrm } from './crms.ts';

// The console's governance dashboard as the demo reads it, through the same API and contracts: the twelve
// months up to now, each month's SLA compliance, and the portfolio review. The demo prints one line per
// panel; its test checks that none of them is empty.

export interface DashboardData {
  readonly year: GovernanceMetricsWire;
  /** Oldest first, the current month last (cut at now). */
  readonly months: readonly { readonly month: string; readonly metrics: GovernanceMetricsWire }[];
  readonly review: PortfolioReviewResponse;
}

export async function readDashboard(crm: DemoCrm, viewer: CrmPerson, now: Instant): Promise<DashboardData> {
  const metricsOf = async (from: Instant, to: Instant) => {
    const answer = await crm.call(viewer, governanceMetricsContract, {
      query: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    });
    if (!answer.ok) throw new Error(`governance metrics: ${JSON.stringify(answer.failure)}`);
    return answer.value.metrics;
  };
  const today = new Date(now);
  const yearAgo = Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1);
  const months = [];
  for (let back = 11; back >= 0; back--) {
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1);
    const end = Math.min(now, Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back + 1, 1));
    months.push({ month: new Date(start).toISOString().slice(0, 7), metrics: await metricsOf(start, end) });
  }
  const review = await crm.call(viewer, portfolioReviewContract, { query: { limit: '20' } });
  if (!review.ok) throw new Error(`portfolio review: ${JSON.stringify(review.failure)}`);
  return { year: await metricsOf(yearAgo, now), months, review: review.value };
}

const percent = (value: number | null) => (value === null ? '-' : `${Math.round(value * 100)}%`);
const money = (amount: number | null, currency: string) =>
  amount === null
    ? '-'
    : new Intl.NumberFormat('en-GB', {
        style: 'currency',
        currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      }).format(amount);

/** One line per panel of the dashboard. */
export function dashboardLines(data: DashboardData): string[] {
  const { year, months, review } = data;
  const currency = year.roi.currency;
  const sla = year.slaCompliance.overall;
  const quarters = year.wonDealSizeByQuarter;
  const average = (segment: 'abm' | 'non_abm') => {
    const won = quarters.reduce(
      (sum, quarter) => sum + quarter.bySegment[segment].averageWonDealSize.numerator,
      0,
    );
    const count = quarters.reduce(
      (sum, quarter) => sum + quarter.bySegment[segment].averageWonDealSize.denominator,
      0,
    );
    return count === 0 ? null : won / count;
  };
  const { abm, non_abm: nonAbm } = year.conversion;
  return [
    `Portfolio       ${TIERS.map((tier) => `${tier.replace('tier_', 'Tier ')} ${review.capacity[tier].count}/${review.capacity[tier].capacity}`).join(' · ')}; ${review.totals.drift} accounts drift from their recommendation, ${review.totals.overdueReviews} reviews overdue`,
    `SLA compliance  ${percent(sla.compliance.value)} over the year (${sla.met} met, ${sla.breached} breached); by month ${months.map(({ metrics }) => percent(metrics.slaCompliance.overall.compliance.value)).join(' ')}`,
    `Pipeline        ${money(year.pipeline.all.openAmount, currency)} open, ${percent(year.pipeline.abm.openShare.value)} of it on ABM accounts; ${year.pipeline.all.createdCount.toLocaleString('en-US')} deals created`,
    `Deal size       won on ABM accounts ${money(average('abm'), currency)} on average, on the others ${money(average('non_abm'), currency)} (${quarters.length} quarters)`,
    `Funnel          win rate ${percent(abm.winRate.value)} on ABM accounts, ${percent(nonAbm.winRate.value)} on the others; ${percent(abm.accountToOpportunity.value)} of ABM accounts have an opportunity`,
    `ROI             ${percent(year.roi.roi.value)} at full cost (${money(year.roi.grossProfit, currency)} gross profit, ${money(year.roi.fullCost, currency)} full cost)`,
  ];
}
