import type { DeliveryOfTier, DeliveryPeriod, MarketingDeliveryResponse, Tier } from '@abm-pilot/shared';
import { deliveryVerdictOf, fill, marketingDeliveryContract, TIERS } from '@abm-pilot/shared';
import { useMemo } from 'react';

import { useApi } from '../api.ts';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import type { I18n } from '../i18n.tsx';
import { useI18n } from '../i18n.tsx';

// The marketing_delivery SLA on the dashboard: per tier, the MQAs marketing delivered against its monthly
// commitment and the share sales accepted against the minimum, for the month so far and each closed month.
// It reads by calendar month, whatever period the rest of the dashboard is filtered on.

/** One tier of one period, as a table row. */
interface TierRow extends DeliveryOfTier {
  readonly key: string;
  readonly month: string;
  readonly tier: Tier;
  readonly minAcceptanceRate: number;
  readonly closed: boolean;
}

const rowsOf = (period: DeliveryPeriod, closed: boolean): TierRow[] =>
  TIERS.map((tier) => ({
    ...period.byTier[tier],
    key: `${period.month}:${tier}`,
    month: period.month,
    tier,
    minAcceptanceRate: period.minAcceptanceRate,
    closed,
  }));

/** `2026-12` as the reader writes a month. */
const monthLabelOf = (i18n: I18n, month: string): string => i18n.format.month(`${month}-01T00:00:00.000Z`);

export function MarketingDeliverySection({ userId }: { readonly userId: string }) {
  const text = useI18n().messages.dashboard.delivery;
  const { state, reload } = useApi(marketingDeliveryContract, { query: { userId } }, userId);
  return (
    <section aria-labelledby="delivery" className="card">
      <h2 id="delivery">{text.title}</h2>
      {state.status === 'loading' ? (
        <Loading text={text.loading} />
      ) : state.status === 'failed' ? (
        <ErrorPanel failure={state.failure} onRetry={reload} />
      ) : (
        <MarketingDeliveryView report={state.data} />
      )}
    </section>
  );
}

export function MarketingDeliveryView({ report }: { readonly report: MarketingDeliveryResponse }) {
  const i18n = useI18n();
  const { vocabulary, format } = i18n;
  const text = i18n.messages.dashboard.delivery;
  const columns = useMemo<readonly Column<TierRow>[]>(
    () => [
      { header: text.tier, value: (row) => vocabulary.tier[row.tier] },
      { header: vocabulary.delivery.delivered, numeric: true, value: (row) => row.delivered },
      { header: vocabulary.delivery.committed, numeric: true, value: (row) => row.committed },
      {
        header: vocabulary.delivery.acceptanceRate,
        numeric: true,
        value: (row) => format.percent(row.acceptanceRate),
        render: (row) => (
          <span
            title={fill(text.answered, { accepted: row.accepted, answered: row.accepted + row.rejected })}
          >
            {format.percent(row.acceptanceRate)}
          </span>
        ),
      },
      {
        header: vocabulary.delivery.minimumRate,
        numeric: true,
        value: (row) => format.percent(row.minAcceptanceRate),
      },
      {
        header: text.verdict,
        value: (row) => vocabulary.delivery.verdict[deliveryVerdictOf(row, row.closed)],
        render: (row) => {
          const verdict = deliveryVerdictOf(row, row.closed);
          return <span className={`verdict ${verdict}`}>{vocabulary.delivery.verdict[verdict]}</span>;
        },
      },
    ],
    [text, vocabulary, format],
  );
  const current = useMemo(
    () => (report.currentMonth === null ? [] : rowsOf(report.currentMonth, false)),
    [report],
  );
  const closed = useMemo(() => report.months.flatMap((month) => rowsOf(month, true)), [report]);
  const monthColumn: Column<TierRow> = {
    header: text.month,
    value: (row) => monthLabelOf(i18n, row.month),
  };
  return (
    <>
      {report.currentMonth === null ? (
        <p className="notice" role="note">
          {text.notStarted}
        </p>
      ) : (
        <>
          <p>
            {fill(text.soFar, {
              month: monthLabelOf(i18n, report.currentMonth.month),
              to: format.instant(report.currentMonth.end),
              zone: report.timezone,
            })}
          </p>
          <DataTable
            caption={text.currentCaption}
            name={text.currentFile}
            rows={current}
            rowKey={(row) => row.key}
            columns={columns}
          />
        </>
      )}
      {closed.length === 0 ? (
        <p className="notice" role="note">
          {text.noMonth}
        </p>
      ) : (
        <>
          <DataTable
            caption={text.monthsCaption}
            name={text.monthsFile}
            rows={closed}
            rowKey={(row) => row.key}
            columns={[monthColumn, ...columns]}
          />
          <p>{text.recorded}</p>
        </>
      )}
    </>
  );
}
