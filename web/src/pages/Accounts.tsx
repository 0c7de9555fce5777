import type { ConsoleAccountRow } from '@abm-pilot/shared';
import { consoleAccountsContract, fill, METRIC_SEGMENTS, tierLabelOf } from '@abm-pilot/shared';
import { useEffect, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callContract, useApi } from '../api.ts';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { downloadCsv } from '../download.ts';
import { driftLabelOf } from '../sentences.ts';
import type { I18n } from '../i18n.tsx';
import { useI18n } from '../i18n.tsx';
import type { AccountFilters } from '../route.ts';
import { accountsHref, hrefOf } from '../route.ts';

const PAGE_SIZE = 50;

/** The list's columns, on screen and in its CSV files, in the reader's language. */
function columnsOf({ messages, vocabulary, format }: I18n): readonly Column<ConsoleAccountRow>[] {
  const header = messages.accounts.column;
  const { yes, no } = messages.common;
  return [
    {
      header: header.account,
      sortKey: 'name',
      value: (row) => row.name,
      render: (row) => <a href={hrefOf({ page: 'account', crmId: row.crmId })}>{row.name}</a>,
    },
    { header: header.crmId, value: (row) => row.crmId },
    { header: header.tier, sortKey: 'tier', value: (row) => tierLabelOf(vocabulary, row.tier) },
    {
      header: header.recommended,
      value: (row) =>
        row.recommendedTier === null && row.score === null
          ? '—'
          : tierLabelOf(vocabulary, row.recommendedTier),
    },
    {
      header: header.score,
      sortKey: 'score',
      numeric: true,
      value: (row) => row.score,
      render: (row) => format.decimal(row.score),
    },
    { header: header.drift, sortKey: 'drift', value: (row) => driftLabelOf(messages, row.drift) },
    {
      header: header.sla,
      sortKey: 'sla',
      value: (row) => (row.sla === null ? vocabulary.noSla : vocabulary.slaStatus[row.sla]),
    },
    { header: header.owner, sortKey: 'owner', value: (row) => row.owner?.name ?? row.owner?.userId ?? '' },
    { header: header.pendingApproval, value: (row) => (row.pendingApproval ? yes : no) },
  ];
}

const EXPORT_PAGE = 500;

/** Every account matching the filters, fetched a page of 500 at a time, as one CSV file. */
function ExportAll({
  query,
  total,
  columns,
}: {
  readonly query: Record<string, string>;
  readonly total: number;
  readonly columns: readonly Column<ConsoleAccountRow>[];
}) {
  const { messages, format } = useI18n();
  const [state, setState] = useState<
    { status: 'idle' } | { status: 'fetching' } | { status: 'failed'; failure: ApiFailure }
  >({
    status: 'idle',
  });
  const run = async () => {
    setState({ status: 'fetching' });
    const rows: ConsoleAccountRow[] = [];
    for (let offset = 0; offset < total; offset += EXPORT_PAGE) {
      const page = await callContract(consoleAccountsContract, {
        query: { ...query, offset: String(offset), limit: String(EXPORT_PAGE) },
      });
      if (!page.ok) return setState({ status: 'failed', failure: page.failure });
      rows.push(...page.value.accounts);
      if (page.value.accounts.length < EXPORT_PAGE) break;
    }
    downloadCsv(messages.accounts.fileAll, columns, rows);
    setState({ status: 'idle' });
  };
  return (
    <div className="table-tools">
      <button type="button" onClick={() => void run()} disabled={state.status === 'fetching'}>
        {state.status === 'fetching'
          ? messages.accounts.preparingCsv
          : fill(messages.accounts.exportAll, { count: format.integer(total) })}
      </button>
      {state.status === 'failed' ? <ErrorPanel failure={state.failure} /> : null}
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
  const i18n = useI18n();
  const { messages, vocabulary, format } = i18n;
  const text = messages.accounts;
  const columns = columnsOf(i18n);
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
      <h1>{text.title}</h1>
      <form
        className="filters"
        role="search"
        aria-label={text.find}
        onSubmit={(event) => {
          event.preventDefault();
          const q = search.trim();
          const rest = changed(filters, 'q');
          go(q ? { ...rest, q } : rest);
        }}
      >
        <label>
          {text.nameContains}
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <button type="submit">{text.search}</button>
        <label>
          {text.segment}
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
                {vocabulary.segment[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text.sla}
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
            <option value="">{text.any}</option>
            <option value="breached">{vocabulary.slaStatus.breached}</option>
            <option value="at_risk">{vocabulary.slaStatus.at_risk}</option>
            <option value="on_track">{vocabulary.slaStatus.on_track}</option>
            <option value="none">{vocabulary.noSla}</option>
          </select>
        </label>
        <label>
          {text.drift}
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
            <option value="">{text.any}</option>
            <option value="drifting">{text.driftFilter.drifting}</option>
            <option value="above">{text.driftFilter.above}</option>
            <option value="below">{text.driftFilter.below}</option>
            <option value="none">{text.driftFilter.none}</option>
          </select>
        </label>
      </form>
      {state.status === 'loading' ? (
        <Loading text={text.loading} />
      ) : state.status === 'failed' ? (
        <ErrorPanel failure={state.failure} onRetry={reload} />
      ) : (
        <>
          <p role="status">
            {fill(
              format.plural(state.data.total > PAGE_SIZE ? text.totalPaged : text.total, state.data.total),
              {
                count: format.integer(state.data.total),
                page: format.integer(page),
                pages: format.integer(Math.ceil(state.data.total / PAGE_SIZE)),
              },
            )}
          </p>
          {state.data.total > state.data.accounts.length ? (
            <ExportAll query={query} total={state.data.total} columns={columns} />
          ) : null}
          <DataTable
            caption={text.caption}
            name={text.file}
            columns={columns}
            rows={state.data.accounts}
            rowKey={(row) => row.crmId}
            empty={text.empty}
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
          <nav className="pager" aria-label={messages.common.pages}>
            <button type="button" disabled={page <= 1} onClick={() => go({ ...filters, page: page - 1 })}>
              {messages.common.previousPage}
            </button>
            <button
              type="button"
              disabled={page * PAGE_SIZE >= state.data.total}
              onClick={() => go({ ...filters, page: page + 1 })}
            >
              {messages.common.nextPage}
            </button>
          </nav>
        </>
      )}
    </main>
  );
}
