import type { OperationsRepository, OperatorLogEntry } from '../ports.ts';
import type { Sql } from './database.ts';

interface LogRow {
  at: number;
  tenant_id: string | null;
  command: string;
  detail: string;
  operator: string;
}

/** The operator's log, and the figures of a tenant's health that only the store knows. */
export function operationsRepository(sql: Sql): OperationsRepository {
  return {
    async recordOperatorCommand(entry) {
      sql
        .statement(
          'INSERT INTO operator_log (at, tenant_id, command, detail, operator) VALUES (?, ?, ?, ?, ?)',
        )
        .run(entry.at, entry.tenantId, entry.command, JSON.stringify(entry.detail), entry.operator);
    },
    async operatorLog(tenantId, limit) {
      const rows =
        tenantId === null
          ? sql.statement<LogRow>('SELECT * FROM operator_log ORDER BY id DESC LIMIT ?').all(limit)
          : sql
              .statement<LogRow>('SELECT * FROM operator_log WHERE tenant_id = ? ORDER BY id DESC LIMIT ?')
              .all(tenantId, limit);
      return rows.map(
        (row): OperatorLogEntry => ({
          at: row.at,
          tenantId: row.tenant_id,
          command: row.command,
          detail: JSON.parse(row.detail) as OperatorLogEntry['detail'],
          operator: row.operator,
        }),
      );
    },
    async backlog(tenantId) {
      return sql.snapshot(() => {
        const accountWrites = sql
          .statement<{
            n: number;
          }>(
            'SELECT COUNT(*) AS n FROM account_state WHERE tenant_id = ? AND write_pending = 1 AND removed_at IS NULL',
          )
          .get(tenantId)!.n;
        const tasks = sql
          .statement<{ n: number; failing: number }>(
            `SELECT COUNT(*) AS n, COALESCE(SUM(attempts > 0), 0) AS failing FROM task_outbox
             WHERE tenant_id = ? AND revision > sent_revision`,
          )
          .get(tenantId)!;
        return { accountWrites, tasks: tasks.n, failingTasks: tasks.failing };
      });
    },
  };
}
