import { fill } from '@abm-pilot/shared';
import type { ReactNode } from 'react';

import type { CsvColumn } from '../csv.ts';
import { downloadCsv } from '../download.ts';
import { useI18n } from '../i18n.tsx';

export interface Column<Row> extends CsvColumn<Row> {
  /** What the cell shows; the CSV keeps `value`. */
  readonly render?: (row: Row) => ReactNode;
  readonly numeric?: boolean;
  /** The server sort this header toggles, when sortable. */
  readonly sortKey?: string;
}

export interface SortState {
  readonly key: string;
  readonly order: 'asc' | 'desc';
  readonly onSort: (key: string) => void;
}

/** A table with a caption, optional sortable headers, and a CSV export of exactly the rows it shows. */
export function DataTable<Row>({
  caption,
  name,
  columns,
  rows,
  rowKey,
  sort,
  empty,
}: {
  readonly caption: string;
  /** Names the CSV file, in the reader's language like its headers. */
  readonly name: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  readonly sort?: SortState;
  readonly empty?: string;
}) {
  const { messages } = useI18n();
  const exportCsv = () => downloadCsv(name, columns, rows);
  return (
    <div className="table-block">
      <div className="table-tools">
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          {messages.table.exportCsv}
          <span className="visually-hidden">{fill(messages.table.exportCsvOf, { caption })}</span>
        </button>
      </div>
      <div className="table-scroll">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => {
                const sorted = sort && column.sortKey === sort.key;
                return (
                  <th
                    key={column.header}
                    scope="col"
                    className={column.numeric ? 'num' : undefined}
                    aria-sort={sorted ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {sort && column.sortKey ? (
                      <button
                        type="button"
                        className="sort"
                        onClick={() => sort.onSort(column.sortKey ?? '')}
                      >
                        {column.header}
                        <span aria-hidden="true">{sorted ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length}>{empty ?? messages.table.nothingToShow}</td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column) => (
                    <td key={column.header} className={column.numeric ? 'num' : undefined}>
                      {column.render ? column.render(row) : String(column.value(row) ?? '—')}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
