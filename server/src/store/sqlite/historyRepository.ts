import type { HistoryRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import { slaInstanceParams } from './rows.ts';
import { writers } from './writers.ts';

const INSERT_SLA_INSTANCE_ONCE = `INSERT INTO sla_instances (tenant_id, instance_key, account_crm_id, kind, tier,
    owner_id, manager_id, approval_id, started_at, due_at, at_risk_at, escalate_at, stopped_at, stop_reason,
    handover_decision)
  VALUES (@tenant_id, @instance_key, @account_crm_id, @kind, @tier, @owner_id, @manager_id, @approval_id,
    @started_at, @due_at, @at_risk_at, @escalate_at, @stopped_at, @stop_reason, @handover_decision)
  ON CONFLICT (tenant_id, instance_key) DO NOTHING`;

/** Settled records from before the store held them (see `HistoryRepository`). */
export function historyRepository(sql: Sql): HistoryRepository {
  const write = writers(sql);

  return {
    async importHistory(tenantId, history) {
      return sql.transaction(() => {
        const live = new Map<string, boolean>();
        const isLive = (accountCrmId: string): boolean => {
          let known = live.get(accountCrmId);
          if (known === undefined) {
            known = write.liveRevision(tenantId, accountCrmId) !== null;
            live.set(accountCrmId, known);
          }
          return known;
        };
        const touched = new Set<string>();
        const audit = history.audit.filter((entry) => isLive(entry.accountId));
        write.appendAudit(tenantId, audit);

        const insertApproval = sql.statement(
          `SELECT count(*) FROM approvals WHERE tenant_id = ? AND approval_id = ?`,
        );
        const approvals = history.approvals.filter(
          (approval) => isLive(approval.accountId) && insertApproval.pluck().get(tenantId, approval.id) === 0,
        );
        write.insertApprovals(tenantId, approvals);

        const insertInstance = sql.statement(INSERT_SLA_INSTANCE_ONCE);
        let slaInstances = 0;
        for (const instance of history.slaInstances) {
          if (!isLive(instance.accountId)) continue;
          slaInstances += insertInstance.run(slaInstanceParams(tenantId, instance)).changes;
          touched.add(instance.accountId);
        }

        const setTieredAt = sql.statement(
          'UPDATE account_state SET tiered_at = ? WHERE tenant_id = ? AND account_crm_id = ?',
        );
        for (const { accountCrmId, at } of history.tieredSince) {
          if (!isLive(accountCrmId)) continue;
          setTieredAt.run(at, tenantId, accountCrmId);
          touched.add(accountCrmId);
        }
        for (const approval of approvals) touched.add(approval.accountId);
        for (const accountCrmId of touched) write.bumpRevision(tenantId, accountCrmId);
        return { audit: audit.length, approvals: approvals.length, slaInstances };
      });
    },
  };
}
