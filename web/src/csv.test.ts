import { describe, expect, it } from 'vitest';

import { csvCell, csvFileName, toCsv } from './csv.ts';

describe('toCsv', () => {
  it('writes a header line and one CRLF-ended line per row, in column order', () => {
    const csv = toCsv(
      [
        { header: 'Name', value: (row: { name: string; score: number | null }) => row.name },
        { header: 'Score', value: (row) => row.score },
      ],
      [
        { name: 'Northwind', score: 71.4 },
        { name: 'Contoso', score: null },
      ],
    );
    expect(csv).toBe('Name,Score\r\nNorthwind,71.4\r\nContoso,\r\n');
  });

  it('quotes cells holding commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(csvCell('The "big" one')).toBe('"The ""big"" one"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('defuses text a spreadsheet would run as a formula, but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-12.5)).toBe('-12.5');
  });

  it('writes absent values and non-finite numbers as empty cells, booleans as words', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(Number.NaN), csvCell(true)]).toEqual([
      '',
      '',
      '',
      'true',
    ]);
  });
});

describe('csvFileName', () => {
  it('names the file after the table and the day, with only safe characters', () => {
    expect(csvFileName('Audit log', '2026-11-30')).toBe('audit-log-2026-11-30.csv');
    expect(csvFileName('../../etc', '2026-11-30')).toBe('etc-2026-11-30.csv');
    expect(csvFileName('', '2026-11-30')).toBe('table-2026-11-30.csv');
  });

  it('keeps the letters of accented names, without their accents', () => {
    expect(csvFileName('Répartition des coûts', '2026-11-30')).toBe('repartition-des-couts-2026-11-30.csv');
    expect(csvFileName('Journal d’audit', '2026-11-30')).toBe('journal-d-audit-2026-11-30.csv');
  });
});
