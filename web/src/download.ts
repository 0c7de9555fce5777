import type { CsvColumn } from './csv.ts';
import { csvFileName, toCsv } from './csv.ts';

/** Hands the browser a CSV file built from rows already in memory: nothing is uploaded anywhere. */
export function downloadCsv<Row>(
  name: string,
  columns: readonly CsvColumn<Row>[],
  rows: readonly Row[],
): void {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = csvFileName(name, new Date().toISOString().slice(0, 10));
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
