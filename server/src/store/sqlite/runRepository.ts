import type { RunRepository, SyncRun } from '../ports.ts';
import type { Sql } from './database.ts';
import type { RunRow } from './rows.ts';
import { json, runOf } from './rows.ts';

// Taken when free, expired, or already ours (a renewal): the one conditional upsert is the whole
// mutual exclusion, and an expiry is what frees a tenant whose holder crashed.
const ACQUIRE_LEASE = `INSERT INTO leases (tenant_id, holder, acquired_at, expires_at) VALUES (@tenant_id, @holder, @now, @expires_at)
  ON CONFLICT (tenant_id) DO UPDATE SET
    holder = excluded.holder,
    acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
    expires_at = excluded.expires_at
  WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`;

/** Sync and SLA runs per tenant, and the lease that keeps two of them from overlapping. */
export function runRepository(sql: Sql): RunRepository {
  const runById = (tenantId: string, runId: number): SyncRun | null => {
    const row = sql
      .statement<RunRow>('SELECT * FROM sync_runs WHERE tenant_id = ? AND id = ?')
      .get(tenantId, runId);
    return row === undefined ? null : runOf(row);
  };

  return {
    async tryAcquireLease(tenantId, holder, ttlMs, now) {
      if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
      const params = { tenant_id: tenantId, holder, now, expires_at: now + ttlMs };
      return sql.statement(ACQUIRE_LEASE).run(params).changes > 0;
    },

    async releaseLease(tenantId, holder) {
      return (
        sql.statement('DELETE FROM leases WHERE tenant_id = ? AND holder = ?').run(tenantId, holder).changes >
        0
      );
    },

    async startRun(tenantId, start) {
      return sql.transaction(() => {
        sql
          .statement(
            `UPDATE sync_runs SET status = 'interrupted', updated_at = ?
             WHERE tenant_id = ? AND status = 'running'`,
          )
          .run(start.startedAt, tenantId);
        const { lastInsertRowid } = sql
          .statement(
            `INSERT INTO sync_runs (tenant_id, kind, holder, status, started_at, updated_at)
             VALUES (?, ?, ?, 'running', ?, ?)`,
          )
          .run(tenantId, start.kind, start.holder, start.startedAt, start.startedAt);
        return runById(tenantId, Number(lastInsertRowid)) as SyncRun;
      });
    },

    async recordRunProgress(tenantId, runId, counts, now) {
      sql
        .statement(
          `UPDATE sync_runs SET counts = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'running'`,
        )
        .run(json(counts), now, tenantId, runId);
    },

    async finishRun(tenantId, runId, end) {
      sql
        .statement(
          `UPDATE sync_runs SET status = ?, finished_at = ?, updated_at = ?, counts = ?, error = ?
           WHERE tenant_id = ? AND id = ?`,
        )
        .run(end.status, end.finishedAt, end.finishedAt, json(end.counts), end.error, tenantId, runId);
    },

    async recentRuns(tenantId, limit) {
      return sql
        .statement<RunRow>('SELECT * FROM sync_runs WHERE tenant_id = ? ORDER BY id DESC LIMIT ?')
        .all(tenantId, limit)
        .map(runOf);
    },

    async lastSucceededRun(tenantId, kind) {
      const row = sql
        .statement<RunRow>(
          `SELECT * FROM sync_runs WHERE tenant_id = ? AND kind = ? AND status = 'succeeded'
           ORDER BY id DESC LIMIT 1`,
        )
        .get(tenantId, kind);
      return row === undefined ? null : runOf(row);
    },
  };
}
