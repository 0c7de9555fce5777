import type { GovernanceConfig } from '@abm-pilot/shared';
import type { Result } from '@abm-pilot/shared';
import { err, GovernanceConfigSchema, ok } from '@abm-pilot/shared';

import type {
  ApprovalRepository,
  AuditPage,
  AuditPageRequest,
  AuditRepository,
  ConfigRepository,
  ConfigVersion,
  ConfigVersionInfo,
  SeatsTaken,
  StaleContext,
} from '../ports.ts';
import type { Sql } from './database.ts';
import type { ApprovalRow, AuditRow } from './rows.ts';
import { approvalOf, auditOf, json } from './rows.ts';
import { writers } from './writers.ts';

const AUDIT_COLUMNS = `id, account_crm_id, at, action, actor, from_tier, to_tier, reason, route, outcome, code,
  score, recommended_tier, approver_roles, approval_id, comment`;

interface ConfigRow {
  version: number;
  config: string;
  saved_at: number;
  saved_by: string | null;
}

// A stored config is parsed on the way out: a row written by an older schema fails loudly here rather
// than as a wrong number deep inside a computation.
const configVersionOf = (row: ConfigRow): ConfigVersion => ({
  version: row.version,
  savedAt: row.saved_at,
  savedBy: row.saved_by,
  config: GovernanceConfigSchema.parse(JSON.parse(row.config)),
});

/** Approvals, the permanent audit log and the versioned governance config. */
export function governanceRepository(sql: Sql): ApprovalRepository & AuditRepository & ConfigRepository {
  const write = writers(sql);

  function auditPage(
    index: string,
    where: string,
    params: readonly unknown[],
    page: AuditPageRequest,
  ): AuditPage {
    const before = page.before ?? { at: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
    const rows = sql
      .statement<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log INDEXED BY ${index} WHERE ${where} AND (at, id) < (?, ?)
           AND action NOT IN (SELECT value FROM json_each(?))
         ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(...params, before.at, before.id, json(page.withoutActions ?? []), page.limit + 1);
    const entries = rows.slice(0, page.limit).map(auditOf);
    const last = entries.at(-1);
    return { entries, next: rows.length > page.limit && last ? { at: last.at, id: last.id } : null };
  }

  const currentVersion = (tenantId: string): number | null =>
    sql
      .statement<number | null>('SELECT max(version) FROM governance_configs WHERE tenant_id = ?')
      .pluck()
      .get(tenantId) ?? null;

  return {
    async pendingApprovals(tenantId, filter = {}) {
      return sql
        .statement<ApprovalRow>(
          `SELECT * FROM approvals INDEXED BY approvals_pending_by_due WHERE tenant_id = ? AND state = 'pending'
             AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(approver_roles) WHERE value = ?))
           ORDER BY due_at, approval_id LIMIT ?`,
        )
        .all(tenantId, filter.approverRole ?? null, filter.approverRole ?? null, filter.limit ?? -1)
        .map(approvalOf);
    },

    async getApproval(tenantId, approvalId) {
      const row = sql
        .statement<ApprovalRow>('SELECT * FROM approvals WHERE tenant_id = ? AND approval_id = ?')
        .get(tenantId, approvalId);
      return row === undefined ? null : approvalOf(row);
    },

    async decideApproval(tenantId, decision) {
      const { approval } = decision;
      if (approval.state === 'pending') throw new RangeError('decideApproval needs a settled approval');
      return sql.transaction(() => {
        const pending = sql
          .statement(`SELECT state FROM approvals WHERE tenant_id = ? AND approval_id = ?`)
          .pluck()
          .get(tenantId, approval.id) as string | undefined;
        if (pending === undefined) {
          return err({ code: 'approval_not_found' as const, message: `No approval ${approval.id}.` });
        }
        if (pending !== 'pending') {
          return err({
            code: 'approval_not_pending' as const,
            message: `Approval ${approval.id} is already decided.`,
          });
        }
        const blocked = write.blockedDecision(
          tenantId,
          approval.accountId,
          decision.basedOnRevision,
          decision.seatGuard,
        );
        if (blocked !== null) return err(blocked);
        sql
          .statement(
            `UPDATE approvals SET state = ?, decided_at = ?, decided_by = ?, comment = ?
             WHERE tenant_id = ? AND approval_id = ? AND state = 'pending'`,
          )
          .run(
            approval.state,
            approval.decidedAt,
            approval.decidedBy === null ? null : json(approval.decidedBy),
            approval.comment,
            tenantId,
            approval.id,
          );
        write.appendAudit(tenantId, [decision.audit]);
        if (decision.assignTier) write.assignTier(tenantId, approval.accountId, decision.assignTier);
        if (decision.slaInstances)
          write.replaceSlaInstances(tenantId, approval.accountId, decision.slaInstances);
        // Its pending approval is gone and its tier may have moved: the account needs a compute.
        write.bumpRevision(tenantId, approval.accountId);
        const stored = sql
          .statement<ApprovalRow>('SELECT * FROM approvals WHERE tenant_id = ? AND approval_id = ?')
          .get(tenantId, approval.id) as ApprovalRow;
        return ok(approvalOf(stored));
      });
    },

    async recordTierDecision(tenantId, decision) {
      return sql.transaction(() =>
        write.once(tenantId, decision.idempotency, (): Result<void, StaleContext | SeatsTaken> => {
          const blocked = write.blockedDecision(
            tenantId,
            decision.accountCrmId,
            decision.basedOnRevision,
            decision.seatGuard,
          );
          if (blocked !== null) return err(blocked);
          write.appendAudit(tenantId, [decision.audit]);
          if (decision.openApproval) write.insertApprovals(tenantId, [decision.openApproval]);
          if (decision.assignTier) write.assignTier(tenantId, decision.accountCrmId, decision.assignTier);
          if (decision.slaInstances) {
            write.replaceSlaInstances(tenantId, decision.accountCrmId, decision.slaInstances);
          }
          if (decision.openApproval || decision.assignTier || decision.slaInstances) {
            write.bumpRevision(tenantId, decision.accountCrmId);
          }
          return ok(undefined);
        }),
      );
    },

    async accountAudit(tenantId, accountCrmId, page) {
      return auditPage(
        'audit_log_by_account',
        'tenant_id = ? AND account_crm_id = ?',
        [tenantId, accountCrmId],
        page,
      );
    },

    async tenantAudit(tenantId, page) {
      return auditPage('audit_log_by_tenant', 'tenant_id = ?', [tenantId], page);
    },

    async saveGovernanceConfig(tenantId, config, save) {
      return sql.transaction(() => {
        const current = currentVersion(tenantId);
        if (current !== save.basedOnVersion) {
          return err({
            code: 'config_version_conflict' as const,
            message: `The config is at version ${current ?? 'none'}, not ${save.basedOnVersion ?? 'none'}.`,
          });
        }
        const version = (current ?? 0) + 1;
        const stored: GovernanceConfig = GovernanceConfigSchema.parse({ ...config, version });
        sql
          .statement(
            'INSERT INTO governance_configs (tenant_id, version, config, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)',
          )
          .run(tenantId, version, json(stored), save.savedAt, save.savedBy);
        sql
          .statement(
            'UPDATE account_state SET revision = revision + 1 WHERE tenant_id = ? AND removed_at IS NULL',
          )
          .run(tenantId);
        return ok({ version, savedAt: save.savedAt, savedBy: save.savedBy, config: stored });
      });
    },

    async currentGovernanceConfig(tenantId) {
      const row = sql
        .statement<ConfigRow>(
          'SELECT * FROM governance_configs WHERE tenant_id = ? ORDER BY version DESC LIMIT 1',
        )
        .get(tenantId);
      return row === undefined ? null : configVersionOf(row);
    },

    async governanceConfigVersion(tenantId, version) {
      const row = sql
        .statement<ConfigRow>('SELECT * FROM governance_configs WHERE tenant_id = ? AND version = ?')
        .get(tenantId, version);
      return row === undefined ? null : configVersionOf(row);
    },

    async governanceConfigVersions(tenantId): Promise<readonly ConfigVersionInfo[]> {
      return sql
        .statement<ConfigRow>(
          'SELECT version, saved_at, saved_by FROM governance_configs WHERE tenant_id = ? ORDER BY version DESC',
        )
        .all(tenantId)
        .map((row) => ({ version: row.version, savedAt: row.saved_at, savedBy: row.saved_by }));
    },
  };
}
