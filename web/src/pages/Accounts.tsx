import type { ConsoleAccountRow } from '@abm-pilot/shared';
import { consoleAccountsContract, METRIC_SEGMENTS } from '@abm-pilot/shared';
import { useEffect, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callApi, useApi } from '../api.ts';
import { downloadCsv } from '../download.ts';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { decimal, SLA_LABELS, TIER_LABELS, tierLabel } from '../format.ts';
import type { AccountFilters } from '../route.ts';
import { accountsHref, hrefOf } from '../route.ts';

const PAGE_SIZE = 50;

const COLUMNS: readonly Column<ConsoleAccountRow>[] = [
  {
    header: 'Account',
    sortKey: 'name',
    value: (row) => row.name,
    render: (row) => <a href={hrefOf({ page: 'account', crmId: row.crmId })}>{row.name}</a>,
  },
  { header: 'CRM id', value: (row) => row.crmId },
  { header: 'Tier', sortKey: 'tier', value: (row) => tierLabel(row.tier) },
  {
    header: 'Recommended',
    value: (row) =>
      row.recommendedTier === null && row.score === null ? '—' : tierLabel(row.recommendedTier),
  },
  {
    header: 'Score',
    sortKey: 'score',
    numeric: true,
    value: (row) => row.score,
    render: (row) => decimal(row.score),
  },
  {
    header: 'Drift',
    sortKey: 'drift',
    value: (row) => (row.drift.direction === 'none' ? 'none' : `${row.drift.steps} ${row.drift.direction}`),
  },
  { header: 'SLA', sortKey: 'sla', value: (row) => SLA_LABELS[row.sla ?? 'none'] },
  { header: 'Owner', sortKey: 'owner', value: (row) => row.owner?.name ?? row.owner?.userId ?? '' },
  { header: 'Pending approval', value: (row) => (row.pendingApproval ? 'yes' : 'no') },
];

const EXPORT_PAGE = 500;

/** Every account matching the filters, fetched a page of 500 at a time, as one CSV file. */
function ExportAll({ query, total }: { readonly query: Record<string, string>; readonly total: number }) {
  const [state, setState] = useState<
    { status: 'idle' } | { status: 'fetching' } | { status: 'failed'; error: ApiFailure }
  >({
    status: 'idle',
  });
  const run = async () => {
    setState({ status: 'fetching' });
    const rows: ConsoleAccountRow[] = [];
    for (let offset = 0; offset < total; offset += EXPORT_PAGE) {
      const page = await callApi(consoleAccountsContract, {
        query: { ...query, offset: String(offset), limit: String(EXPORT_PAGE) },
      });
      if (!page.ok) return setState({ status: 'failed', error: page.error });
      rows.push(...page.data.accounts);
      if (page.data.accounts.length < EXPORT_PAGE) break;
    }
    downloadCsv('accounts all', COLUMNS, rows);
    setState({ status: 'idle' });
  };
  return (
    <div className="table-tools">
      <button type="button" onClick={() => void run()} disabled={state.status === 'fetching'}>
        {state.status === 'fetching'
          ? 'Preparing CSV…'
          : `Export all ${total.toLocaleString('en-US')} as CSV`}
      </button>
      {state.status === 'failed' ? <ErrorPanel error={state.error} /> : null}
    </div>
  );
}

/** The filters without `key`, back on the first page: any change of filter or sort starts the list over. */
function changed(filters: AccountFilters, key: keyof AccountFilters): AccountFilters {
  const copy: Record<string, unknown> = { ...filters };
  delete copy[key];
  delete copy.page;
  return copy as AccountFilters;
}

/** Filters live in the URL, so the dashboard's links open this list already narrowed to a figure's accounts. */
export function Accounts({ filters }: { readonly filters: AccountFilters }) {
  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);
  const sort = filters.sort ?? 'score';
  const order = filters.order ?? 'desc';
  const page = filters.page ?? 1;
  const go = (next: AccountFilters) => {
    window.location.hash = accountsHref(next);
  };
  const query = {
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.segment ? { segment: filters.segment } : {}),
    ...(filters.sla ? { sla: filters.sla } : {}),
    ...(filters.drift ? { drift: filters.drift } : {}),
    sort,
    order,
    offset: String((page - 1) * PAGE_SIZE),
    limit: String(PAGE_SIZE),
  };
  const { state, reload } = useApi(consoleAccountsContract, { query }, JSON.stringify(query));

  return (
    <main id="main">
      <h1>Accounts</h1>
      <form
        className="filters"
        role="search"
        aria-label="Find accounts"
        onSubmit={(event) => {
          event.preventDefault();
          const q = search.trim();
          const rest = changed(filters, 'q');
          go(q ? { ...rest, q } : rest);
        }}
      >
        <label>
          Name contains
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <button type="submit">Search</button>
        <label>
          Segment
          <select
            value={filters.segment ?? 'all'}
            onChange={(event) => {
              const rest = changed(filters, 'segment');
              go(
                event.target.value === 'all'
                  ? rest
                  : { ...rest, segment: event.target.value as AccountFilters['segment'] },
              );
            }}
          >
            {METRIC_SEGMENTS.map((value) => (
              <option key={value} value={value}>
                {TIER_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          SLA
          <select
            value={filters.sla ?? ''}
            onChange={(event) => {
              const rest = changed(filters, 'sla');
              go(
                event.target.value === ''
                  ? rest
                  : { ...rest, sla: event.target.value as AccountFilters['sla'] },
              );
            }}
          >
            <option value="">Any</option>
            <option value="breached">Breached</option>
            <option value="at_risk">At risk</option>
            <option value="on_track">On track</option>
            <option value="none">No clock</option>
          </select>
        </label>
        <label>
          Drift
          <select
            value={filters.drift ?? ''}
            onChange={(event) => {
              const rest = changed(filters, 'drift');
              go(
                event.target.value === ''
                  ? rest
                  : { ...rest, drift: event.target.value as AccountFilters['drift'] },
              );
            }}
          >
            <option value="">Any</option>
            <option value="drifting">Drifting</option>
            <option value="above">Above recommendation</option>
            <option value="below">Below recommendation</option>
            <option value="none">In line</option>
          </select>
        </label>
      </form>
      {state.status === 'loading' ? (
        <Loading what="accounts" />
      ) : state.status === 'failed' ? (
        <ErrorPanel error={state.error} onRetry={reload} />
      ) : (
        <>
          <p role="status">
            {state.data.total.toLocaleString('en-US')} accounts
            {state.data.total > PAGE_SIZE
              ? `, page ${page} of ${Math.ceil(state.data.total / PAGE_SIZE)}`
              : ''}
            .
          </p>
          {state.data.total > state.data.accounts.length ? (
            <ExportAll query={query} total={state.data.total} />
          ) : null}
          <DataTable
            caption="Accounts"
            name="accounts"
            columns={COLUMNS}
            rows={state.data.accounts}
            rowKey={(row) => row.crmId}
            empty="No account matches these filters."
            sort={{
              key: sort,
              order,
              onSort: (key) =>
                go({
                  ...changed(filters, 'page'),
                  sort: key as AccountFilters['sort'] & string,
                  order: key === sort && order === 'desc' ? 'asc' : 'desc',
                }),
            }}
          />
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => go({ ...filters, page: page - 1 })}>
              Previous page
            </button>
            <button
              type="button"
              disabled={page * PAGE_SIZE >= state.data.total}
              onClick={() => go({ ...filters, page: page + 1 })}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </main>
  );
}
