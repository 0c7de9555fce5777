// CSV export of any table the console shows, built in the browser from the rows on screen: RFC 4180
// quoting, CRLF line ends, and a guard against spreadsheet formulas in text cells.

export interface CsvColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number | boolean | null | undefined;
}

/** Text that a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are, text defused and quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'boolean' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: a header line, then one line per row, each ended by CRLF. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const line = (cells: readonly string[]) => `${cells.join(',')}\r\n`;
  return (
    line(columns.map((column) => csvCell(column.header))) +
    rows.map((row) => line(columns.map((column) => csvCell(column.value(row))))).join('')
  );
}

/**
 * A file name safe on every OS: the table's name and the day, e.g. `accounts-2026-11-30.csv`. Accents are
 * dropped rather than the letters that carry them, so a French table keeps a readable name.
 */
export const csvFileName = (table: string, isoDay: string): string =>
  `${
    table
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'table'
  }-${isoDay}.csv`;
