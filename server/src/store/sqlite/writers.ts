import type {
  Approval,
  AuditEntry,
  Instant,
  Result,
  SlaInstance,
  TierCounts,
  TierOrNone,
} from '@abm-pilot/shared';
import { err, ledgerAfterChange, ok } from '@abm-pilot/shared';

import type { AbmAccountFields, TaskWrite } from '../../model.ts';
import type {
  DecisionRecorded,
  IdempotencyKeyReused,
  IdempotencyWrite,
  RememberedResponse,
  SeatGuard,
  SeatsTaken,
  StaleContext,
  TierAssignment,
} from '../ports.ts';
import { IDEMPOTENCY_TTL_MS } from '../ports.ts';
import type { Sql } from './database.ts';
import { approvalParams, auditParams, json, parseJson, slaInstanceParams, taskParams } from './rows.ts';

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
// A new task records when it was opened, which the alert cap counts per person and day.
const UPSERT_TASK = `INSERT INTO task_outbox (tenant_id, task_key, opened_at, ${TASK_COLUMNS.join(', ')})
  VALUES (@tenant_id, @task_key, @opened_at, ${TASK_COLUMNS.map((column) => `@${column}`).join(', ')})
  ON CONFLICT (tenant_id, task_key) DO UPDATE SET
    ${TASK_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')},
    revision = task_outbox.revision + 1, attempts = 0, last_error = NULL
  WHERE ${TASK_COLUMNS.map((column) => `task_outbox.${column} IS NOT excluded.${column}`).join(' OR ')}`;

interface IdempotencyRow {
  idempotency_key: string;
  fingerprint: string;
  status: number;
  body: string;
  stored_at: number;
}

const rememberedOf = (row: IdempotencyRow): RememberedResponse => ({
  key: row.idempotency_key,
  fingerprint: row.fingerprint,
  response: { status: row.status, body: parseJson<unknown>(row.body) },
  storedAt: row.stored_at,
});

// An expired row is overwritten in place: the key is free again once its 24 hours are over.
const REMEMBER = `INSERT INTO idempotency_keys (tenant_id, idempotency_key, fingerprint, status, body, stored_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint,
    status = excluded.status, body = excluded.body, stored_at = excluded.stored_at`;

export function writers(sql: Sql) {
  /** The answer under a key still remembered at `now`: stored less than `IDEMPOTENCY_TTL_MS` before it. */
  const recall = (tenantId: string, key: string, now: Instant): RememberedResponse | null => {
    const row = sql
      .statement<IdempotencyRow>(
        `SELECT idempotency_key, fingerprint, status, body, stored_at FROM idempotency_keys
         WHERE tenant_id = ? AND idempotency_key = ? AND stored_at > ?`,
      )
      .get(tenantId, key, now - IDEMPOTENCY_TTL_MS);
    return row === undefined ? null : rememberedOf(row);
  };

  /** The first answer to the same request under the key, `null` when the key is free, or a conflict. */
  const priorAnswer = (
    tenantId: string,
    write: IdempotencyWrite,
  ): Result<RememberedResponse | null, IdempotencyKeyReused> => {
    const prior = recall(tenantId, write.key, write.now);
    if (prior === null || prior.fingerprint === write.fingerprint) return ok(prior);
    return err({
      code: 'idempotency_key_reused' as const,
      message: `Idempotency key "${write.key}" was used for another request.`,
      key: write.key,
    });
  };

  const remember = (tenantId: string, write: IdempotencyWrite): void => {
    sql
      .statement(REMEMBER)
      .run(
        tenantId,
        write.key,
        write.fingerprint,
        write.response.status,
        json(write.response.body),
        write.now,
      );
  };

  /** Live accounts per assigned tier. */
  const tierCounts = (tenantId: string): TierCounts => {
    const counts = { tier_1: 0, tier_2: 0, tier_3: 0 };
    const rows = sql
      .statement<{ tier: keyof typeof counts; accounts: number }>(
        `SELECT assigned_tier AS tier, count(*) AS accounts FROM account_state INDEXED BY account_state_by_tier
         WHERE tenant_id = ? AND assigned_tier IS NOT NULL AND removed_at IS NULL
         GROUP BY assigned_tier`,
      )
      .all(tenantId);
    for (const row of rows) if (row.tier in counts) counts[row.tier] = row.accounts;
    return counts;
  };

  /** The revision of a live account, `null` when it is unknown or removed. */
  const liveRevision = (tenantId: string, accountCrmId: string): number | null =>
    sql
      .statement<number>(
        `SELECT revision FROM account_state
         WHERE tenant_id = ? AND account_crm_id = ? AND removed_at IS NULL`,
      )
      .pluck()
      .get(tenantId, accountCrmId) ?? null;

  return {
    recall,
    priorAnswer,
    remember,

    /**
     * Runs `work` unless the key replays a request already answered (its answer is returned, nothing done)
     * or belongs to another request; remembers the answer when `work` succeeds. `work` must write nothing
     * before it fails, since the caller's transaction commits whatever was written.
     */
    once<E>(
      tenantId: string,
      idempotency: IdempotencyWrite | undefined,
      work: () => Result<void, E>,
    ): Result<DecisionRecorded, E | IdempotencyKeyReused> {
      if (idempotency !== undefined) {
        const prior = priorAnswer(tenantId, idempotency);
        if (!prior.ok) return prior;
        if (prior.value !== null) return ok({ replayed: prior.value });
      }
      const done = work();
      if (!done.ok) return done;
      if (idempotency !== undefined) remember(tenantId, idempotency);
      return ok({ replayed: null });
    },

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

    enqueueTasks(tenantId: string, tasks: readonly TaskWrite[], openedAt: Instant): void {
      const upsert = sql.statement(UPSERT_TASK);
      for (const task of tasks) upsert.run({ ...taskParams(tenantId, task), opened_at: openedAt });
    },

    /**
     * The decided tier, and with it what the CRM must show (an outbox entry the write-back sends) and the
     * tier the CRM may keep showing until that write lands, which is then no edit made outside the app.
     */
    assignTier(tenantId: string, accountCrmId: string, assignment: TierAssignment): void {
      const row = sql
        .statement<{
          assigned_tier: string | null;
          tier_ledger: string;
          desired_fields: string | null;
          written_fields: string;
        }>(
          `SELECT assigned_tier, tier_ledger, desired_fields, written_fields FROM account_state
           WHERE tenant_id = ? AND account_crm_id = ?`,
        )
        .get(tenantId, accountCrmId);
      if (row === undefined) return;
      const ledger = ledgerAfterChange(
        parseJson<TierOrNone[]>(row.tier_ledger),
        row.assigned_tier as TierOrNone,
        assignment.tier,
      );
      const desired =
        row.desired_fields === null
          ? null
          : { ...parseJson<AbmAccountFields>(row.desired_fields), tier: assignment.tier };
      const pending =
        desired !== null &&
        hasFields(fieldsToWrite(desired, parseJson<Partial<AbmAccountFields>>(row.written_fields)));
      sql
        .statement(
          `UPDATE account_state SET assigned_tier = ?, tiered_at = ?, tier_ledger = ?, desired_fields = ?,
             write_pending = ?
           WHERE tenant_id = ? AND account_crm_id = ?`,
        )
        .run(
          assignment.tier,
          assignment.at,
          json(ledger),
          desired === null ? null : json(desired),
          pending ? 1 : 0,
          tenantId,
          accountCrmId,
        );
    },

    tierCounts,
    liveRevision,

    bumpRevision(tenantId: string, accountCrmId: string): void {
      sql
        .statement(
          'UPDATE account_state SET revision = revision + 1 WHERE tenant_id = ? AND account_crm_id = ?',
        )
        .run(tenantId, accountCrmId);
    },

    /**
     * Why a decision made on `basedOnRevision` (unchecked when absent) may not take effect now: the account
     * changed since, or its tier's seats went (the counts come with it, to route again). `null` when it may.
     */
    blockedDecision(
      tenantId: string,
      accountCrmId: string,
      basedOnRevision: number | undefined,
      guard: SeatGuard | undefined,
    ): StaleContext | SeatsTaken | null {
      if (basedOnRevision !== undefined && liveRevision(tenantId, accountCrmId) !== basedOnRevision) {
        return {
          code: 'stale_context',
          message: 'The account changed since it was read; decide again on what it is now.',
          accountCrmIds: [accountCrmId],
        };
      }
      if (guard === undefined) return null;
      const others = sql
        .statement<number>(
          `SELECT count(*) FROM account_state INDEXED BY account_state_by_tier
           WHERE tenant_id = ? AND assigned_tier = ? AND removed_at IS NULL AND account_crm_id <> ?`,
        )
        .pluck()
        .get(tenantId, guard.tier, accountCrmId) as number;
      if (others + 1 <= guard.limit) return null;
      return {
        code: 'seats_taken',
        message: `${guard.tier} holds ${others} other account(s); at most ${guard.limit} may be in it.`,
        counts: tierCounts(tenantId),
      };
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
