import type {
  ConsoleSession,
  GovernanceMetricsWire,
  MetricSegment,
  PortfolioReviewResponse,
} from '@abm-pilot/shared';
import {
  COST_CATEGORIES,
  fill,
  governanceMetricsContract,
  METRIC_SEGMENTS,
  portfolioReviewContract,
  TIERS,
} from '@abm-pilot/shared';
import type { ChartConfiguration } from 'chart.js';
import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';

import type { Remote } from '../api.ts';
import { allOf, callContract, useRemote } from '../api.ts';
import { ChartCanvas, PALETTE } from '../components/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import type { I18n } from '../i18n.tsx';
import { fillNodes, useI18n } from '../i18n.tsx';
import type { DayPeriod } from '../period.ts';
import { defaultPeriod, isoPeriodOf, monthsOf } from '../period.ts';
import { accountsHref, hrefOf } from '../route.ts';
import { MarketingDeliverySection } from './MarketingDelivery.tsx';

interface DashboardData {
  readonly metrics: GovernanceMetricsWire;
  readonly review: PortfolioReviewResponse;
}

/** `from` is the month's first instant: its label is written in the reader's language when shown. */
type MonthlyMetrics = readonly { readonly from: string; readonly metrics: GovernanceMetricsWire }[];

const SEGMENT_ROWS: readonly MetricSegment[] = ['tier_1', 'tier_2', 'tier_3', 'abm', 'non_abm', 'all'];

/** The link that lists the accounts behind a figure: every number on the dashboard has one. */
function AccountsLink({ segment, children }: { readonly segment: MetricSegment; readonly children: string }) {
  return <a href={accountsHref(segment === 'all' ? {} : { segment })}>{children}</a>;
}

/** `2026-Q2`, as the metrics name quarters, in the reader's words; anything else as written. */
function quarterLabelOf(i18n: I18n, quarter: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return match
    ? fill(i18n.messages.dashboard.dealSize.quarterLabel, { year: match[1] ?? '', quarter: match[2] ?? '' })
    : quarter;
}

export function Dashboard({ session }: { readonly session: ConsoleSession }) {
  const { messages, vocabulary } = useI18n();
  const text = messages.dashboard;
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
            callContract(governanceMetricsContract, {
              query: { userId, from: iso.from, to: iso.to, ...tier },
            }),
            callContract(portfolioReviewContract, { query: { userId, limit: '20' } }),
          ]);
          if (!metrics.ok) return metrics;
          if (!review.ok) return review;
          return { ok: true, value: { metrics: metrics.value.metrics, review: review.value } };
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
              callContract(governanceMetricsContract, {
                query: { userId, from: month.from, to: month.to, ...tier },
              }),
            ),
          );
          if (!answers.ok) return answers;
          return {
            ok: true,
            value: answers.value.map((answer, i) => ({
              from: periods[i]?.from ?? answer.metrics.period.start,
              metrics: answer.metrics,
            })),
          };
        },
    key,
  );

  return (
    <main id="main" className="dashboard">
      <h1>{text.title}</h1>
      <form className="filters" aria-label={text.filters} onSubmit={(event) => event.preventDefault()}>
        <label>
          {text.from}
          <input
            type="date"
            value={period.from}
            max={period.to}
            onChange={(event) => setPeriod({ ...period, from: event.target.value })}
          />
        </label>
        <label>
          {text.to}
          <input
            type="date"
            value={period.to}
            min={period.from}
            onChange={(event) => setPeriod({ ...period, to: event.target.value })}
          />
        </label>
        <label>
          {text.segment}
          <select value={segment} onChange={(event) => setSegment(event.target.value as MetricSegment)}>
            {METRIC_SEGMENTS.map((value) => (
              <option key={value} value={value}>
                {vocabulary.segment[value]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {!session.mayViewGovernance ? (
        <p className="notice" role="note">
          {fillNodes(text.noGovernanceRole, { accounts: <a href={accountsHref()}>{text.accountsLink}</a> })}
        </p>
      ) : iso === null ? (
        <p className="error" role="alert">
          {text.invalidPeriod}
        </p>
      ) : state.status === 'loading' ? (
        <Loading text={text.loading} />
      ) : state.status === 'failed' ? (
        <ErrorPanel failure={state.failure} onRetry={reload} />
      ) : (
        <DashboardSections
          data={state.data}
          months={months.state}
          onRetryMonths={months.reload}
          segment={segment}
          userId={userId}
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
  userId,
}: {
  readonly data: DashboardData;
  readonly months: Remote<MonthlyMetrics>;
  readonly onRetryMonths: () => void;
  readonly segment: MetricSegment;
  readonly userId: string;
}) {
  const { messages, format } = useI18n();
  const { metrics, review } = data;
  const currency = metrics.roi.currency;
  return (
    <div className="sections">
      <p className="asof">
        {fill(messages.dashboard.asOf, {
          from: format.day(metrics.period.start),
          to: format.day(metrics.period.end),
          computed: format.instant(metrics.now),
          version: metrics.configVersion,
        })}
      </p>
      <Portfolio review={review} />
      {months.status === 'ready' ? (
        <SlaOverTime months={months.data} segment={segment} />
      ) : (
        <Section id="sla" title={messages.dashboard.sla.title}>
          {months.status === 'loading' ? (
            <Loading text={messages.dashboard.sla.loading} />
          ) : (
            <ErrorPanel failure={months.failure} onRetry={onRetryMonths} />
          )}
        </Section>
      )}
      <MarketingDeliverySection userId={userId} />
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

/** "Accounts behind: ABM accounts, non-ABM accounts." with both links. */
function AbmAccountsLinks() {
  const text = useI18n().messages.dashboard;
  return fillNodes(text.accountsBehind, {
    abm: <AccountsLink segment="abm">{text.abmAccounts}</AccountsLink>,
    nonAbm: <AccountsLink segment="non_abm">{text.nonAbmAccounts}</AccountsLink>,
  });
}

function Portfolio({ review }: { readonly review: PortfolioReviewResponse }) {
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.portfolio;
  const { yes, no } = i18n.messages.common;
  const rows = useMemo(() => TIERS.map((tier) => ({ tier, ...review.capacity[tier] })), [review]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => vocabulary.tier[row.tier]),
        datasets: [
          { label: text.accounts, data: rows.map((row) => row.count), backgroundColor: PALETTE[0] },
          { label: text.capacity, data: rows.map((row) => row.capacity), backgroundColor: PALETTE[1] },
        ],
      },
    }),
    [rows, text, vocabulary],
  );
  const drifting = review.totals.drift;
  return (
    <Section id="portfolio" title={text.title}>
      <ChartCanvas config={config} label={text.chart} />
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.tier}
        columns={[
          {
            header: text.tier,
            value: (row) => vocabulary.tier[row.tier],
            render: (row) => <AccountsLink segment={row.tier}>{vocabulary.tier[row.tier]}</AccountsLink>,
          },
          { header: text.accounts, numeric: true, value: (row) => row.count },
          { header: text.capacity, numeric: true, value: (row) => row.capacity },
          { header: text.seatsLeft, numeric: true, value: (row) => row.available },
          { header: text.used, numeric: true, value: (row) => format.percent(row.usedShare) },
          { header: text.overCapacity, value: (row) => (row.over ? yes : no) },
        ]}
      />
      <p>
        {fillNodes(text.drift, {
          accounts: fill(format.plural(text.driftAccounts, drifting), { count: format.integer(drifting) }),
          list: <a href={accountsHref({ drift: 'drifting' })}>{text.listThem}</a>,
          overdue: <a href={hrefOf({ page: 'review' })}>{format.integer(review.totals.overdueReviews)}</a>,
        })}
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
  const i18n = useI18n();
  const { format } = i18n;
  const text = i18n.messages.dashboard.sla;
  const rows = useMemo(
    () =>
      months.map(({ from, metrics }) => ({
        month: format.month(from),
        ...metrics.slaCompliance.overall,
      })),
    [months, format],
  );
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: rows.map((row) => row.month),
        datasets: [
          {
            label: text.series,
            data: rows.map((row) => (row.compliance.value === null ? null : row.compliance.value * 100)),
            borderColor: PALETTE[0],
            backgroundColor: PALETTE[0],
          },
        ],
      },
      options: { scales: { y: { min: 0, max: 100 } } },
    }),
    [rows, text],
  );
  const inSegment = segment === 'all' ? {} : { segment };
  return (
    <Section id="sla" title={text.title}>
      <ChartCanvas config={config} label={text.chart} />
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.month}
        columns={[
          { header: text.month, value: (row) => row.month },
          { header: text.met, numeric: true, value: (row) => row.met },
          { header: text.breached, numeric: true, value: (row) => row.breached },
          { header: text.compliance, numeric: true, value: (row) => format.percent(row.compliance.value) },
        ]}
      />
      <p>
        {fillNodes(text.accountsBehind, {
          breached: <a href={accountsHref({ sla: 'breached', ...inSegment })}>{text.breachedNow}</a>,
          atRisk: <a href={accountsHref({ sla: 'at_risk', ...inSegment })}>{text.atRiskNow}</a>,
        })}
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
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.pipeline;
  const rows = useMemo(
    () => SEGMENT_ROWS.map((segment) => ({ segment, ...metrics.pipeline[segment] })),
    [metrics],
  );
  const config = useMemo<ChartConfiguration>(() => {
    const charted = rows.filter((row) => row.segment !== 'abm' && row.segment !== 'all');
    return {
      type: 'bar',
      data: {
        labels: charted.map((row) => vocabulary.segment[row.segment]),
        datasets: [
          {
            label: fill(text.openSeries, { currency }),
            data: charted.map((row) => row.openAmount),
            backgroundColor: PALETTE[0],
          },
          {
            label: fill(text.createdSeries, { currency }),
            data: charted.map((row) => row.createdAmount),
            backgroundColor: PALETTE[2],
          },
        ],
      },
    };
  }, [rows, text, vocabulary, currency]);
  return (
    <Section id="pipeline" title={text.title}>
      <ChartCanvas config={config} label={text.chart} />
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.segment}
        columns={[
          {
            header: text.segment,
            value: (row) => vocabulary.segment[row.segment],
            render: (row) => (
              <AccountsLink segment={row.segment}>{vocabulary.segment[row.segment]}</AccountsLink>
            ),
          },
          {
            header: text.openAmount,
            numeric: true,
            value: (row) => row.openAmount,
            render: (row) => format.money(row.openAmount, currency),
          },
          { header: text.openDeals, numeric: true, value: (row) => row.openCount },
          { header: text.openShare, numeric: true, value: (row) => format.percent(row.openShare.value) },
          {
            header: text.createdAmount,
            numeric: true,
            value: (row) => row.createdAmount,
            render: (row) => format.money(row.createdAmount, currency),
          },
          { header: text.createdDeals, numeric: true, value: (row) => row.createdCount },
          {
            header: text.createdShare,
            numeric: true,
            value: (row) => format.percent(row.createdShare.value),
          },
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
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.dealSize;
  const rows = useMemo(
    () =>
      metrics.wonDealSizeByQuarter.map((quarter) => ({
        quarter: quarterLabelOf(i18n, quarter.quarter),
        abm: quarter.bySegment.abm.averageWonDealSize,
        nonAbm: quarter.bySegment.non_abm.averageWonDealSize,
      })),
    [metrics, i18n],
  );
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => row.quarter),
        datasets: [
          {
            label: vocabulary.segment.abm,
            data: rows.map((row) => row.abm.value),
            backgroundColor: PALETTE[0],
          },
          {
            label: vocabulary.segment.non_abm,
            data: rows.map((row) => row.nonAbm.value),
            backgroundColor: PALETTE[1],
          },
        ],
      },
    }),
    [rows, vocabulary],
  );
  return (
    <Section id="deal-size" title={text.title}>
      <ChartCanvas config={config} label={text.chart} />
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.quarter}
        columns={[
          { header: text.quarter, value: (row) => row.quarter },
          {
            header: text.abmAverage,
            numeric: true,
            value: (row) => row.abm.value,
            render: (row) => format.money(row.abm.value, currency),
          },
          { header: text.abmWon, numeric: true, value: (row) => row.abm.denominator },
          {
            header: text.nonAbmAverage,
            numeric: true,
            value: (row) => row.nonAbm.value,
            render: (row) => format.money(row.nonAbm.value, currency),
          },
          { header: text.nonAbmWon, numeric: true, value: (row) => row.nonAbm.denominator },
        ]}
      />
      <p>
        <AbmAccountsLinks />
      </p>
    </Section>
  );
}

function Funnel({ metrics }: { readonly metrics: GovernanceMetricsWire }) {
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.funnel;
  const rows = useMemo(() => {
    const stages = (segment: 'abm' | 'non_abm') => {
      const conversion = metrics.conversion[segment];
      return [
        conversion.accountToOpportunity.denominator,
        conversion.accountToOpportunity.numerator,
        conversion.opportunitiesCreated,
        conversion.winRate.numerator,
      ];
    };
    const abm = stages('abm');
    const nonAbm = stages('non_abm');
    return [text.accounts, text.withOpportunity, text.opportunitiesCreated, text.dealsWon].map(
      (stage, i) => ({
        stage,
        abm: abm[i] ?? 0,
        nonAbm: nonAbm[i] ?? 0,
      }),
    );
  }, [metrics, text]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => row.stage),
        datasets: [
          { label: vocabulary.segment.abm, data: rows.map((row) => row.abm), backgroundColor: PALETTE[0] },
          {
            label: vocabulary.segment.non_abm,
            data: rows.map((row) => row.nonAbm),
            backgroundColor: PALETTE[1],
          },
        ],
      },
      options: { indexAxis: 'y' },
    }),
    [rows, vocabulary],
  );
  const { abm: abmRates, non_abm: nonAbmRates } = metrics.conversion;
  return (
    <Section id="funnel" title={text.title}>
      <ChartCanvas config={config} label={text.chart} />
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.stage}
        columns={[
          { header: text.stage, value: (row) => row.stage },
          { header: vocabulary.segment.abm, numeric: true, value: (row) => row.abm },
          { header: vocabulary.segment.non_abm, numeric: true, value: (row) => row.nonAbm },
        ]}
      />
      <p>
        {fill(text.rates, {
          abmConversion: format.percent(abmRates.accountToOpportunity.value),
          nonAbmConversion: format.percent(nonAbmRates.accountToOpportunity.value),
          abmWinRate: format.percent(abmRates.winRate.value),
          nonAbmWinRate: format.percent(nonAbmRates.winRate.value),
          abmCycle: format.decimal(abmRates.salesCycleDays.value),
          nonAbmCycle: format.decimal(nonAbmRates.salesCycleDays.value),
        })}{' '}
        <AbmAccountsLinks />
      </p>
    </Section>
  );
}

function Roi({ metrics }: { readonly metrics: GovernanceMetricsWire }) {
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.roi;
  const { yes, no } = i18n.messages.common;
  const { roi } = metrics;
  const rows = useMemo(
    () =>
      COST_CATEGORIES.map((category) => ({
        category,
        amount: roi.costByCategory[category],
        counted: roi.countedCategories.includes(category),
      })),
    [roi],
  );
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'doughnut',
      data: {
        labels: rows.map((row) => vocabulary.costCategory[row.category]),
        datasets: [
          { label: text.costSeries, data: rows.map((row) => row.amount), backgroundColor: [...PALETTE] },
        ],
      },
    }),
    [rows, text, vocabulary],
  );
  return (
    <Section id="roi" title={text.title}>
      <dl className="figures">
        <div>
          <dt>{text.wonAbmRevenue}</dt>
          <dd>
            <AccountsLink segment="abm">{format.money(roi.wonAbmRevenue, roi.currency)}</AccountsLink>
          </dd>
        </div>
        <div>
          <dt>{text.grossMargin}</dt>
          <dd>{format.percent(roi.grossMargin)}</dd>
        </div>
        <div>
          <dt>{text.grossProfit}</dt>
          <dd>{format.money(roi.grossProfit, roi.currency)}</dd>
        </div>
        <div>
          <dt>{text.fullCost}</dt>
          <dd>{format.money(roi.fullCost, roi.currency)}</dd>
        </div>
        <div>
          <dt>{text.roi}</dt>
          <dd>{format.percent(roi.roi.value)}</dd>
        </div>
      </dl>
      {roi.fullCost > 0 ? (
        <ChartCanvas config={config} label={text.chart} />
      ) : (
        <p className="notice" role="note">
          {text.noCost}
        </p>
      )}
      <DataTable
        caption={text.caption}
        name={text.file}
        rows={rows}
        rowKey={(row) => row.category}
        columns={[
          { header: text.category, value: (row) => vocabulary.costCategory[row.category] },
          {
            header: text.amount,
            numeric: true,
            value: (row) => row.amount,
            render: (row) => format.money(row.amount, roi.currency),
          },
          { header: text.counted, value: (row) => (row.counted ? yes : no) },
        ]}
      />
      <p>
        {fill(text.footer, {
          hours: format.integer(roi.valuedSalesHours),
          uncounted: format.money(roi.uncountedCost, roi.currency),
        })}
      </p>
    </Section>
  );
}
