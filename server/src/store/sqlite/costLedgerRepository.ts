import type { CostLedgerRepository, StoredCostLine } from '../ports.ts';
import type { Sql } from './database.ts';
import type { CostLineRow } from './rows.ts';
import { costLineOf } from './rows.ts';

// Months are compared as text, which orders `YYYY-MM` correctly only when every one is spelled so.
const LEDGER_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function assertMonth(month: string, what: string): void {
  if (!LEDGER_MONTH.test(month)) throw new RangeError(`${what} must be a YYYY-MM month, got "${month}"`);
}

/** The cost ledger behind ROI at full cost: lines booked per calendar month; a replaced line is kept. */
export function costLedgerRepository(sql: Sql): CostLedgerRepository {
  return {
    async appendCostLines(tenantId, lines, entry) {
      for (const line of lines) assertMonth(line.period, 'A cost line period');
      const insert = sql.statement(
        `INSERT INTO cost_ledger (tenant_id, period, category, amount, hours, note, entered_at, entered_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const supersede = sql.statement(
        `UPDATE cost_ledger INDEXED BY cost_ledger_by_period SET superseded_at = ?
         WHERE tenant_id = ? AND period = ? AND category = ? AND superseded_at IS NULL`,
      );
      return sql.transaction(() =>
        lines.map((line): StoredCostLine => {
          if (entry.mode === 'replace') supersede.run(entry.at, tenantId, line.period, line.category);
          const row: Omit<CostLineRow, 'id'> = {
            period: line.period,
            category: line.category,
            amount: line.amount ?? null,
            hours: line.hours ?? null,
            note: line.note ?? null,
            entered_at: entry.at,
            entered_by: entry.by,
          };
          const { lastInsertRowid } = insert.run(
            tenantId,
            row.period,
            row.category,
            row.amount,
            row.hours,
            row.note,
            row.entered_at,
            row.entered_by,
          );
          return costLineOf({ ...row, id: Number(lastInsertRowid) });
        }),
      );
    },

    async costLines(tenantId, range = {}) {
      if (range.from !== undefined) assertMonth(range.from, 'from');
      if (range.to !== undefined) assertMonth(range.to, 'to');
      return sql
        .statement<CostLineRow>(
          `SELECT id, period, category, amount, hours, note, entered_at, entered_by
           FROM cost_ledger INDEXED BY cost_ledger_by_period
           WHERE tenant_id = ? AND period >= ? AND period <= ? AND superseded_at IS NULL
           ORDER BY period, category, id`,
        )
        .all(tenantId, range.from ?? '0000-01', range.to ?? '9999-12')
        .map(costLineOf);
    },
  };
}
