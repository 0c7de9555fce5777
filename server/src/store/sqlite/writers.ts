import type { Approval, AuditEntry, SlaInstance } from '@abm-pilot/shared';

import type { AbmAccountFields, TaskWrite } from '../../model.ts';
import type { TierAssignment } from '../ports.ts';
import type { Sql } from './database.ts';
import { approvalParams, auditParams, slaInstanceParams, taskParams } from './rows.ts';

// The writes shared by the computation and decision repositories. Each runs inside its caller's
// transaction, which is what puts a state change and its audit entry and outbox task in one commit.

const INSERT_AUDIT = `INSERT INTO audit_log (tenant_id, account_crm_id, at, action, actor, from_tier, to_tier,
    reason, route, outcome, code, score, recommended_tier, approver_roles, approval_id, comment)
  VALUES (@tenant_id, @account_crm_id, @at, @action, @actor, @from_tier, @to_tier, @reason, @route, @outcome,
    @code, @score, @recommended_tier, @approver_roles, @approval_id, @comment)`;

const INSERT_APPROVAL = `INSERT INTO approvals (tenant_id, approval_id, account_crm_id, requested_by, requested_at,
    from_tier, to_tier, reason, route, approver_roles, due_at, expires_at, score, recommended_tier, state,
    decided_at, decided_by, comment)
  VALUES (@tenant_id, @approval_id, @account_crm_id, @requested_by, @requested_at, @from_tier, @to_tier, @reason,
    @route, @approver_roles, @due_at, @expires_at, @score, @recommended_tier, @state, @decided_at, @decided_by,
    @comment)
  ON CONFLICT (tenant_id, approval_id) DO NOTHING`;

const INSERT_SLA_INSTANCE = `INSERT INTO sla_instances (tenant_id, instance_key, account_crm_id, kind, tier,
    owner_id, manager_id, approval_id, started_at, due_at, at_risk_at, escalate_at, stopped_at, stop_reason,
    handover_decision)
  VALUES (@tenant_id, @instance_key, @account_crm_id, @kind, @tier, @owner_id, @manager_id, @approval_id,
    @started_at, @due_at, @at_risk_at, @escalate_at, @stopped_at, @stop_reason, @handover_decision)`;

const TASK_COLUMNS = [
  'account_crm_id',
  'assignee_crm_id',
  'subject',
  'body',
  'due_at',
  'priority',
  'status',
] as const;

// A changed task becomes a new version to send (and its failure count starts over); the same task again
// changes nothing, so an alert re-emitted on every sweep is sent once.
const UPSERT_TASK = `INSERT INTO task_outbox (tenant_id, task_key, ${TASK_COLUMNS.join(', ')})
  VALUES (@tenant_id, @task_key, ${TASK_COLUMNS.map((column) => `@${column}`).join(', ')})
  ON CONFLICT (tenant_id, task_key) DO UPDATE SET
    ${TASK_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')},
    revision = task_outbox.revision + 1, attempts = 0, last_error = NULL
  WHERE ${TASK_COLUMNS.map((column) => `task_outbox.${column} IS NOT excluded.${column}`).join(' OR ')}`;

export function writers(sql: Sql) {
  return {
    appendAudit(tenantId: string, entries: readonly AuditEntry[]): void {
      const insert = sql.statement(INSERT_AUDIT);
      for (const entry of entries) insert.run(auditParams(tenantId, entry));
    },

    insertApprovals(tenantId: string, approvals: readonly Approval[]): void {
      const insert = sql.statement(INSERT_APPROVAL);
      for (const approval of approvals) insert.run(approvalParams(tenantId, approval));
    },

    replaceSlaInstances(tenantId: string, accountCrmId: string, instances: readonly SlaInstance[]): void {
      sql
        .statement(
          'DELETE FROM sla_instances INDEXED BY sla_instances_by_account WHERE tenant_id = ? AND account_crm_id = ?',
        )
        .run(tenantId, accountCrmId);
      const insert = sql.statement(INSERT_SLA_INSTANCE);
      for (const instance of instances) {
        if (instance.accountId !== accountCrmId) {
          throw new RangeError(
            `SLA instance ${instance.key} belongs to ${instance.accountId}, not ${accountCrmId}`,
          );
        }
        insert.run(slaInstanceParams(tenantId, instance));
      }
    },

    enqueueTasks(tenantId: string, tasks: readonly TaskWrite[]): void {
      const upsert = sql.statement(UPSERT_TASK);
      for (const task of tasks) upsert.run(taskParams(tenantId, task));
    },

    assignTier(tenantId: string, accountCrmId: string, assignment: TierAssignment): void {
      sql
        .statement(
          'UPDATE account_state SET assigned_tier = ?, tiered_at = ? WHERE tenant_id = ? AND account_crm_id = ?',
        )
        .run(assignment.tier, assignment.at, tenantId, accountCrmId);
    },

    bumpRevision(tenantId: string, accountCrmId: string): void {
      sql
        .statement(
          'UPDATE account_state SET revision = revision + 1 WHERE tenant_id = ? AND account_crm_id = ?',
        )
        .run(tenantId, accountCrmId);
    },

    /** The revision of a live account, `null` when it is unknown or removed. */
    liveRevision(tenantId: string, accountCrmId: string): number | null {
      return (
        sql
          .statement<number>(
            `SELECT revision FROM account_state
             WHERE tenant_id = ? AND account_crm_id = ? AND removed_at IS NULL`,
          )
          .pluck()
          .get(tenantId, accountCrmId) ?? null
      );
    },
  };
}

const ABM_FIELDS: Readonly<Record<keyof AbmAccountFields, true>> = {
  tier: true,
  score: true,
  slaStatus: true,
  nextSlaDueAt: true,
  tierReason: true,
  lastSyncAt: true,
};
const ABM_FIELD_NAMES = Object.keys(ABM_FIELDS) as (keyof AbmAccountFields)[];

/** The fields of `desired` never written, or written with another value. */
export function fieldsToWrite(
  desired: AbmAccountFields,
  written: Partial<AbmAccountFields>,
): Partial<AbmAccountFields> {
  const changed: Partial<Record<keyof AbmAccountFields, unknown>> = {};
  for (const name of ABM_FIELD_NAMES) {
    // A field never written reads `undefined`, which no desired value is.
    if (written[name] !== desired[name]) changed[name] = desired[name];
  }
  return changed as Partial<AbmAccountFields>;
}

export const hasFields = (fields: Partial<AbmAccountFields>): boolean => Object.keys(fields).length > 0;
