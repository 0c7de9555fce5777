import type {
  ConsoleSession,
  GovernanceMetricsWire,
  MetricSegment,
  PortfolioReviewResponse,
} from '@abm-pilot/shared';
import {
  governanceMetricsContract,
  METRIC_SEGMENTS,
  portfolioReviewContract,
  TIERS,
} from '@abm-pilot/shared';
import type { ChartConfiguration } from 'chart.js';
import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';

import type { Remote } from '../api.ts';
import { allOf, callApi, useRemote } from '../api.ts';
import { ChartCanvas, PALETTE } from '../components/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { decimal, integer, money, percent, TIER_LABELS } from '../format.ts';
import type { DayPeriod } from '../period.ts';
import { defaultPeriod, isoPeriodOf, monthsOf } from '../period.ts';
import { accountsHref } from '../route.ts';

interface DashboardData {
  readonly metrics: GovernanceMetricsWire;
  readonly review: PortfolioReviewResponse;
}

type MonthlyMetrics = readonly { readonly label: string; readonly metrics: GovernanceMetricsWire }[];

const SEGMENT_ROWS: readonly MetricSegment[] = ['tier_1', 'tier_2', 'tier_3', 'abm', 'non_abm', 'all'];

/** The link that lists the accounts behind a figure: every number on the dashboard has one. */
function AccountsLink({ segment, children }: { readonly segment: MetricSegment; readonly children: string }) {
  return <a href={accountsHref(segment === 'all' ? {} : { segment })}>{children}</a>;
}

export function Dashboard({ session }: { readonly session: ConsoleSession }) {
  const [period, setPeriod] = useState<DayPeriod>(() => defaultPeriod(new Date().toISOString().slice(0, 10)));
  const [segment, setSegment] = useState<MetricSegment>('all');
  const iso = isoPeriodOf(period);
  const userId = session.cardUserId;

  const key = `${period.from}|${period.to}|${segment}|${userId}`;
  const open = iso !== null && session.mayViewGovernance;
  const tier = segment === 'all' ? {} : { tier: segment };
  const { state, reload } = useRemote<DashboardData>(
    !open
      ? null
      : async () => {
          const [metrics, review] = await Promise.all([
            callApi(governanceMetricsContract, { query: { userId, from: iso.from, to: iso.to, ...tier } }),
            callApi(portfolioReviewContract, { query: { userId, limit: '20' } }),
          ]);
          if (!metrics.ok) return metrics;
          if (!review.ok) return review;
          return { ok: true, data: { metrics: metrics.data.metrics, review: review.data } };
        },
    key,
  );
  // The month-by-month series costs one computation per month: it loads after, and apart from, the rest.
  const months = useRemote<MonthlyMetrics>(
    !open
      ? null
      : async () => {
          const periods = monthsOf(iso);
          const answers = await allOf(
            periods.map((month) =>
              callApi(governanceMetricsContract, {
                query: { userId, from: month.from, to: month.to, ...tier },
              }),
            ),
          );
          if (!answers.ok) return answers;
          return {
            ok: true,
            data: answers.data.map((answer, i) => ({
              label: periods[i]?.label ?? '',
              metrics: answer.metrics,
            })),
          };
        },
    key,
  );

  return (
    <main id="main" className="dashboard">
      <h1>Governance dashboard</h1>
      <form className="filters" aria-label="Dashboard filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          From
          <input
            type="date"
            value={period.from}
            max={period.to}
            onChange={(event) => setPeriod({ ...period, from: event.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={period.to}
            min={period.from}
            onChange={(event) => setPeriod({ ...period, to: event.target.value })}
          />
        </label>
        <label>
          Segment
          <select value={segment} onChange={(event) => setSegment(event.target.value as MetricSegment)}>
            {METRIC_SEGMENTS.map((value) => (
              <option key={value} value={value}>
                {TIER_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {!session.mayViewGovernance ? (
        <p className="notice" role="note">
          The dashboard is for people with a governance role. This token is not bound to a CRM user who holds
          one; ask your ABM Pilot admin to bind it, or browse the <a href={accountsHref()}>accounts</a>.
        </p>
      ) : iso === null ? (
        <p className="error" role="alert">
          Choose a period whose end is not before its start.
        </p>
      ) : state.status === 'loading' ? (
        <Loading what="the dashboard" />
      ) : state.status === 'failed' ? (
        <ErrorPanel error={state.error} onRetry={reload} />
      ) : (
        <DashboardSections
          data={state.data}
          months={months.state}
          onRetryMonths={months.reload}
          segment={segment}
        />
      )}
    </main>
  );
}

function DashboardSections({
  data,
  months,
  onRetryMonths,
  segment,
}: {
  readonly data: DashboardData;
  readonly months: Remote<MonthlyMetrics>;
  readonly onRetryMonths: () => void;
  readonly segment: MetricSegment;
}) {
  const { metrics, review } = data;
  const currency = metrics.roi.currency;
  return (
    <div className="sections">
      <p className="asof">
        Period {metrics.period.start.slice(0, 10)} to {metrics.period.end.slice(0, 10)} (end excluded),
        computed {metrics.now.slice(0, 16).replace('T', ' ')} UTC with governance config v
        {metrics.configVersion}.
      </p>
      <Portfolio review={review} />
      {months.status === 'ready' ? (
        <SlaOverTime months={months.data} segment={segment} />
      ) : (
        <Section id="sla" title="SLA compliance over time">
          {months.status === 'loading' ? (
            <Loading what="month by month compliance" />
          ) : (
            <ErrorPanel error={months.error} onRetry={onRetryMonths} />
          )}
        </Section>
      )}
      <Pipeline metrics={metrics} currency={currency} />
      <DealSize metrics={metrics} currency={currency} />
      <Funnel metrics={metrics} />
      <Roi metrics={metrics} />
    </div>
  );
}

function Section({
  id,
  title,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Portfolio({ review }: { readonly review: PortfolioReviewResponse }) {
  const rows = TIERS.map((tier) => ({ tier, ...review.capacity[tier] }));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => TIER_LABELS[row.tier]),
        datasets: [
          { label: 'Accounts', data: rows.map((row) => row.count), backgroundColor: PALETTE[0] },
          { label: 'Capacity', data: rows.map((row) => row.capacity), backgroundColor: PALETTE[1] },
        ],
      },
    }),
    [review],
  );
  return (
    <Section id="portfolio" title="Portfolio by tier against capacity">
      <ChartCanvas config={config} label="Bar chart: accounts per tier against each tier's capacity" />
      <DataTable
        caption="Portfolio by tier (now)"
        name="portfolio by tier"
        rows={rows}
        rowKey={(row) => row.tier}
        columns={[
          {
            header: 'Tier',
            value: (row) => TIER_LABELS[row.tier],
            render: (row) => <AccountsLink segment={row.tier}>{TIER_LABELS[row.tier]}</AccountsLink>,
          },
          { header: 'Accounts', numeric: true, value: (row) => row.count },
          { header: 'Capacity', numeric: true, value: (row) => row.capacity },
          { header: 'Seats left', numeric: true, value: (row) => row.available },
          { header: 'Used', numeric: true, value: (row) => percent(row.usedShare) },
          { header: 'Over capacity', value: (row) => (row.over ? 'yes' : 'no') },
        ]}
      />
      <p>
        Drift from the recommendation: {integer(review.totals.drift)} accounts (
        <a href={accountsHref({ drift: 'drifting' })}>list them</a>); overdue reviews:{' '}
        {integer(review.totals.overdueReviews)}.
      </p>
    </Section>
  );
}

function SlaOverTime({
  months,
  segment,
}: {
  readonly months: MonthlyMetrics;
  readonly segment: MetricSegment;
}) {
  const rows = months.map(({ label, metrics }) => ({ label, ...metrics.slaCompliance.overall }));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: rows.map((row) => row.label),
        datasets: [
          {
            label: 'SLA compliance (%)',
            data: rows.map((row) => (row.compliance.value === null ? null : row.compliance.value * 100)),
            borderColor: PALETTE[0],
            backgroundColor: PALETTE[0],
          },
        ],
      },
      options: { scales: { y: { min: 0, max: 100 } } },
    }),
    [months],
  );
  return (
    <Section id="sla" title="SLA compliance over time">
      <ChartCanvas config={config} label="Line chart: share of SLA clocks met, month by month" />
      <DataTable
        caption="SLA compliance by month"
        name="sla compliance"
        rows={rows}
        rowKey={(row) => row.label}
        columns={[
          { header: 'Month', value: (row) => row.label },
          { header: 'Met', numeric: true, value: (row) => row.met },
          { header: 'Breached', numeric: true, value: (row) => row.breached },
          { header: 'Compliance', numeric: true, value: (row) => percent(row.compliance.value) },
        ]}
      />
      <p>
        Accounts behind the clocks:{' '}
        <a href={accountsHref({ sla: 'breached', ...(segment === 'all' ? {} : { segment }) })}>
          breached now
        </a>
        ,{' '}
        <a href={accountsHref({ sla: 'at_risk', ...(segment === 'all' ? {} : { segment }) })}>at risk now</a>.
      </p>
    </Section>
  );
}

function Pipeline({
  metrics,
  currency,
}: {
  readonly metrics: GovernanceMetricsWire;
  readonly currency: string;
}) {
  const rows = SEGMENT_ROWS.map((segment) => ({ segment, ...metrics.pipeline[segment] }));
  const charted = rows.filter((row) => row.segment !== 'abm' && row.segment !== 'all');
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: charted.map((row) => TIER_LABELS[row.segment]),
        datasets: [
          {
            label: `Open pipeline (${currency})`,
            data: charted.map((row) => row.openAmount),
            backgroundColor: PALETTE[0],
          },
          {
            label: `Created in period (${currency})`,
            data: charted.map((row) => row.createdAmount),
            backgroundColor: PALETTE[2],
          },
        ],
      },
    }),
    [metrics],
  );
  return (
    <Section id="pipeline" title="Pipeline contribution">
      <ChartCanvas
        config={config}
        label="Bar chart: open and created pipeline per tier and for non-ABM accounts"
      />
      <DataTable
        caption="Pipeline by segment"
        name="pipeline contribution"
        rows={rows}
        rowKey={(row) => row.segment}
        columns={[
          {
            header: 'Segment',
            value: (row) => TIER_LABELS[row.segment],
            render: (row) => <AccountsLink segment={row.segment}>{TIER_LABELS[row.segment]}</AccountsLink>,
          },
          {
            header: 'Open amount',
            numeric: true,
            value: (row) => row.openAmount,
            render: (row) => money(row.openAmount, currency),
          },
          { header: 'Open deals', numeric: true, value: (row) => row.openCount },
          { header: 'Share of open', numeric: true, value: (row) => percent(row.openShare.value) },
          {
            header: 'Created amount',
            numeric: true,
            value: (row) => row.createdAmount,
            render: (row) => money(row.createdAmount, currency),
          },
          { header: 'Created deals', numeric: true, value: (row) => row.createdCount },
          { header: 'Share of created', numeric: true, value: (row) => percent(row.createdShare.value) },
        ]}
      />
    </Section>
  );
}

function DealSize({
  metrics,
  currency,
}: {
  readonly metrics: GovernanceMetricsWire;
  readonly currency: string;
}) {
  const rows = metrics.wonDealSizeByQuarter.map((quarter) => ({
    quarter: quarter.quarter,
    abm: quarter.bySegment.abm.averageWonDealSize,
    nonAbm: quarter.bySegment.non_abm.averageWonDealSize,
  }));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => row.quarter),
        datasets: [
          { label: 'ABM', data: rows.map((row) => row.abm.value), backgroundColor: PALETTE[0] },
          { label: 'Non-ABM', data: rows.map((row) => row.nonAbm.value), backgroundColor: PALETTE[1] },
        ],
      },
    }),
    [metrics],
  );
  return (
    <Section id="deal-size" title="Average won deal size by quarter, ABM against non-ABM">
      <ChartCanvas
        config={config}
        label="Grouped bar chart: average won deal size per quarter, ABM and non-ABM"
      />
      <DataTable
        caption="Average won deal size by quarter"
        name="deal size by quarter"
        rows={rows}
        rowKey={(row) => row.quarter}
        columns={[
          { header: 'Quarter', value: (row) => row.quarter },
          {
            header: 'ABM average',
            numeric: true,
            value: (row) => row.abm.value,
            render: (row) => money(row.abm.value, currency),
          },
          { header: 'ABM won deals', numeric: true, value: (row) => row.abm.denominator },
          {
            header: 'Non-ABM average',
            numeric: true,
            value: (row) => row.nonAbm.value,
            render: (row) => money(row.nonAbm.value, currency),
          },
          { header: 'Non-ABM won deals', numeric: true, value: (row) => row.nonAbm.denominator },
        ]}
      />
      <p>
        Accounts behind: <AccountsLink segment="abm">ABM accounts</AccountsLink>,{' '}
        <AccountsLink segment="non_abm">non-ABM accounts</AccountsLink>.
      </p>
    </Section>
  );
}

function Funnel({ metrics }: { readonly metrics: GovernanceMetricsWire }) {
  const stages = (segment: 'abm' | 'non_abm') => {
    const conversion = metrics.conversion[segment];
    return [
      conversion.accountToOpportunity.denominator,
      conversion.accountToOpportunity.numerator,
      conversion.opportunitiesCreated,
      conversion.winRate.numerator,
    ];
  };
  const labels = ['Accounts', 'With an opportunity', 'Opportunities created', 'Deals won'];
  const abm = stages('abm');
  const nonAbm = stages('non_abm');
  const rows = labels.map((stage, i) => ({ stage, abm: abm[i] ?? 0, nonAbm: nonAbm[i] ?? 0 }));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'ABM', data: abm, backgroundColor: PALETTE[0] },
          { label: 'Non-ABM', data: nonAbm, backgroundColor: PALETTE[1] },
        ],
      },
      options: { indexAxis: 'y' },
    }),
    [metrics],
  );
  const rate = (segment: 'abm' | 'non_abm') => metrics.conversion[segment];
  return (
    <Section id="funnel" title="Conversion funnel">
      <ChartCanvas config={config} label="Horizontal bar chart: the conversion funnel, ABM against non-ABM" />
      <DataTable
        caption="Conversion funnel"
        name="conversion funnel"
        rows={rows}
        rowKey={(row) => row.stage}
        columns={[
          { header: 'Stage', value: (row) => row.stage },
          { header: 'ABM', numeric: true, value: (row) => row.abm },
          { header: 'Non-ABM', numeric: true, value: (row) => row.nonAbm },
        ]}
      />
      <p>
        Account to opportunity: ABM {percent(rate('abm').accountToOpportunity.value)}, non-ABM{' '}
        {percent(rate('non_abm').accountToOpportunity.value)}. Win rate: ABM{' '}
        {percent(rate('abm').winRate.value)}, non-ABM {percent(rate('non_abm').winRate.value)}. Sales cycle
        (days): ABM {decimal(rate('abm').salesCycleDays.value)}, non-ABM{' '}
        {decimal(rate('non_abm').salesCycleDays.value)}.{' '}
        <AccountsLink segment="abm">ABM accounts</AccountsLink>,{' '}
        <AccountsLink segment="non_abm">non-ABM accounts</AccountsLink>.
      </p>
    </Section>
  );
}

const COST_LABELS = {
  programme_budget: 'Programme budget',
  sales_time: 'Sales time',
  content: 'Content',
  technology: 'Technology',
  training: 'Training',
} as const;

function Roi({ metrics }: { readonly metrics: GovernanceMetricsWire }) {
  const { roi } = metrics;
  const rows = (Object.keys(COST_LABELS) as (keyof typeof COST_LABELS)[]).map((category) => ({
    category,
    amount: roi.costByCategory[category],
    counted: roi.countedCategories.includes(category),
  }));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'doughnut',
      data: {
        labels: rows.map((row) => COST_LABELS[row.category]),
        datasets: [{ label: 'Cost', data: rows.map((row) => row.amount), backgroundColor: [...PALETTE] }],
      },
    }),
    [metrics],
  );
  return (
    <Section id="roi" title="ROI at full cost">
      <dl className="figures">
        <div>
          <dt>Won ABM revenue</dt>
          <dd>
            <AccountsLink segment="abm">{money(roi.wonAbmRevenue, roi.currency)}</AccountsLink>
          </dd>
        </div>
        <div>
          <dt>Gross margin</dt>
          <dd>{percent(roi.grossMargin)}</dd>
        </div>
        <div>
          <dt>Gross profit</dt>
          <dd>{money(roi.grossProfit, roi.currency)}</dd>
        </div>
        <div>
          <dt>Full cost</dt>
          <dd>{money(roi.fullCost, roi.currency)}</dd>
        </div>
        <div>
          <dt>ROI</dt>
          <dd>{percent(roi.roi.value)}</dd>
        </div>
      </dl>
      {roi.fullCost > 0 ? (
        <ChartCanvas config={config} label="Doughnut chart: the programme's full cost by category" />
      ) : (
        <p className="notice" role="note">
          No cost is booked for this period: ROI needs the cost ledger (Admin, costs).
        </p>
      )}
      <DataTable
        caption="Cost breakdown"
        name="cost breakdown"
        rows={rows}
        rowKey={(row) => row.category}
        columns={[
          { header: 'Category', value: (row) => COST_LABELS[row.category] },
          {
            header: 'Amount',
            numeric: true,
            value: (row) => row.amount,
            render: (row) => money(row.amount, roi.currency),
          },
          { header: 'Counted in full cost', value: (row) => (row.counted ? 'yes' : 'no') },
        ]}
      />
      <p>
        Sales hours valued: {integer(roi.valuedSalesHours)}; cost not counted:{' '}
        {money(roi.uncountedCost, roi.currency)}.
      </p>
    </Section>
  );
}
