import type {
  AccountSlaKind,
  ApprovalState,
  DealStage,
  DecisionRoute,
  MetricsAccount,
  MetricsFirstTouch,
  MetricsSlaOutcome,
  Role,
  TierOrNone,
} from '@abm-pilot/shared';
import { ROLES } from '@abm-pilot/shared';

import type { CrmOwner } from '../../model.ts';
import type {
  AccountCard,
  AccountScoped,
  CardPerson,
  MetricsSnapshot,
  ReadModelRepository,
} from '../ports.ts';
import type { Sql } from './database.ts';
import type { ApprovalRow, AuditRow, HandoverFeedbackRow, SlaInstanceRow, StateRow } from './rows.ts';
import { accountFieldsOf, approvalOf, auditOf, handoverFeedbackOf, slaInstanceOf, stateOf } from './rows.ts';

// The owner's columns share names with the account's: read under an `owner_` prefix.
const CARD = `SELECT a.*, s.*,
    o.crm_id AS owner_id, o.name AS owner_name, o.email AS owner_email, o.timezone AS owner_timezone,
    o.manager_crm_id AS owner_manager_crm_id, o.team AS owner_team, o.active AS owner_active,
    o.modified_at AS owner_modified_at, o.login_user_id AS owner_login_user_id,
    o.locale AS owner_locale
  FROM accounts a
  JOIN account_state s ON s.tenant_id = a.tenant_id AND s.account_crm_id = a.crm_id
  LEFT JOIN owners o ON o.tenant_id = a.tenant_id AND o.crm_id = a.owner_crm_id
  WHERE a.tenant_id = ? AND a.crm_id = ? AND a.deleted_at IS NULL AND s.removed_at IS NULL`;

interface CardRow extends StateRow {
  owner_id: string | null;
  owner_name: string;
  owner_email: string | null;
  owner_timezone: string | null;
  owner_manager_crm_id: string | null;
  owner_team: string | null;
  owner_active: number;
  owner_modified_at: number;
  owner_login_user_id: string | null;
  owner_locale: string | null;
}

const cardOwnerOf = (row: CardRow): CrmOwner | null =>
  row.owner_id === null
    ? null
    : {
        crmId: row.owner_id,
        name: row.owner_name,
        email: row.owner_email,
        timezone: row.owner_timezone,
        managerCrmId: row.owner_manager_crm_id,
        team: row.owner_team,
        active: row.owner_active === 1,
        modifiedAt: row.owner_modified_at,
        loginUserId: row.owner_login_user_id,
        locale: row.owner_locale,
      };

interface MetricsAccountRow {
  id: string;
  tier: string | null;
  owner_id: string;
  team: string;
  computed_at: number | null;
  recommended_tier: string | null;
  tiered_at: number | null;
  last_reviewed_at: number | null;
}

// An account never computed carries the CRM's tier, which its first computation adopts; it has no
// recommendation or review dates yet, and absent fields are what keeps the domain from assessing them.
const METRICS_ACCOUNTS = `SELECT a.crm_id AS id,
    CASE WHEN s.computed_at IS NULL THEN a.crm_tier ELSE s.assigned_tier END AS tier,
    COALESCE(a.owner_crm_id, '') AS owner_id, COALESCE(o.team, '') AS team,
    s.computed_at, s.recommended_tier, s.tiered_at, s.last_reviewed_at
  FROM accounts a
  JOIN account_state s ON s.tenant_id = a.tenant_id AND s.account_crm_id = a.crm_id
  LEFT JOIN owners o ON o.tenant_id = a.tenant_id AND o.crm_id = a.owner_crm_id
  WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND s.removed_at IS NULL
  ORDER BY a.crm_id`;

const metricsAccountOf = (row: MetricsAccountRow): MetricsAccount => {
  const base = { id: row.id, tier: row.tier as TierOrNone, ownerId: row.owner_id, team: row.team };
  if (row.computed_at === null) return base;
  return {
    ...base,
    recommendedTier: row.recommended_tier as TierOrNone,
    lastReviewedAt: row.last_reviewed_at,
    ...(row.tiered_at === null ? {} : { tieredAt: row.tiered_at }),
  };
};

interface SlaOutcomeRow {
  account_crm_id: string;
  kind: string;
  owner_id: string;
  team: string;
  started_at: number;
  due_at: number;
  stopped_at: number | null;
  stop_reason: string | null;
}

/** The read models of the API: the account card, and the governance metrics' input. */
export function readModelRepository(sql: Sql): ReadModelRepository {
  return {
    async accountCard(tenantId, crmId): Promise<AccountCard | null> {
      return sql.snapshot(() => {
        const row = sql.statement<CardRow>(CARD).get(tenantId, crmId);
        if (row === undefined) return null;
        const owner = cardOwnerOf(row);
        const rolesOf = (userId: string): Role[] =>
          sql
            .statement<Role>('SELECT role FROM user_roles WHERE tenant_id = ? AND crm_user_id = ?')
            .pluck()
            .all(tenantId, userId)
            .sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
        const personOf = (userId: string | null): CardPerson | null =>
          userId === null
            ? null
            : {
                crmId: userId,
                name:
                  sql
                    .statement<string>('SELECT name FROM owners WHERE tenant_id = ? AND crm_id = ?')
                    .pluck()
                    .get(tenantId, userId) ?? null,
                roles: rolesOf(userId),
              };
        const ownerRoles = owner === null ? [] : rolesOf(owner.crmId);
        const slaInstances = sql
          .statement<SlaInstanceRow>(
            `SELECT * FROM sla_instances INDEXED BY sla_instances_by_account
             WHERE tenant_id = ? AND account_crm_id = ? ORDER BY started_at, instance_key`,
          )
          .all(tenantId, crmId)
          .map(slaInstanceOf);
        const pending = sql
          .statement<ApprovalRow>(
            `SELECT * FROM approvals INDEXED BY approvals_one_pending
             WHERE tenant_id = ? AND account_crm_id = ? AND state = 'pending'`,
          )
          .get(tenantId, crmId);
        const feedback = sql
          .statement<HandoverFeedbackRow>(
            `SELECT id, account_crm_id, decision, reason_code, at, actor
             FROM handover_feedback INDEXED BY handover_feedback_by_account
             WHERE tenant_id = ? AND account_crm_id = ? ORDER BY at DESC, id DESC LIMIT 1`,
          )
          .get(tenantId, crmId);
        const lastReview = sql
          .statement<AuditRow>(
            `SELECT * FROM audit_log INDEXED BY audit_log_by_account
             WHERE tenant_id = ? AND account_crm_id = ? AND action = 'review' ORDER BY at DESC, id DESC LIMIT 1`,
          )
          .get(tenantId, crmId);
        const lastSyncAt = sql
          .statement<number | null>(
            `SELECT finished_at FROM sync_runs INDEXED BY sync_runs_succeeded
             WHERE tenant_id = ? AND kind = 'sync' AND status = 'succeeded' ORDER BY id DESC LIMIT 1`,
          )
          .pluck()
          .get(tenantId);
        return {
          account: accountFieldsOf(row),
          state: stateOf(row),
          owner,
          ownerRoles,
          abmOwner: personOf(row.abm_owner_crm_id),
          executiveSponsor: personOf(row.executive_sponsor_crm_id),
          slaInstances,
          pendingApproval: pending === undefined ? null : approvalOf(pending),
          lastHandoverFeedback: feedback === undefined ? null : handoverFeedbackOf(feedback),
          lastReview: lastReview === undefined ? null : auditOf(lastReview),
          lastSyncAt: lastSyncAt ?? null,
        };
      });
    },

    async listAccountsForMetrics(tenantId): Promise<MetricsSnapshot> {
      return sql.snapshot(() => {
        const accounts = sql
          .statement<MetricsAccountRow>(METRICS_ACCOUNTS)
          .all(tenantId)
          .map(metricsAccountOf);
        const deals = sql
          .statement<{
            id: string;
            accountId: string;
            amount: number;
            stage: DealStage;
            createdAt: number;
            closedAt: number | null;
          }>(
            `SELECT crm_id AS id, COALESCE(account_crm_id, '') AS accountId, COALESCE(amount, 0) AS amount,
               stage, created_at AS createdAt, closed_at AS closedAt
             FROM deals WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY crm_id`,
          )
          .all(tenantId);
        const instances = sql
          .statement<SlaOutcomeRow>(
            `SELECT i.account_crm_id, i.kind, i.owner_id, COALESCE(o.team, '') AS team, i.started_at,
               i.due_at, i.stopped_at, i.stop_reason
             FROM sla_instances i
             LEFT JOIN owners o ON o.tenant_id = i.tenant_id AND o.crm_id = i.owner_id
             WHERE i.tenant_id = ? ORDER BY i.started_at, i.instance_key`,
          )
          .all(tenantId);
        const slaOutcomes = instances.map((row): MetricsSlaOutcome & AccountScoped => ({
          accountId: row.account_crm_id,
          kind: row.kind as AccountSlaKind,
          ownerId: row.owner_id,
          team: row.team,
          startedAt: row.started_at,
          dueAt: row.due_at,
          stoppedAt: row.stopped_at,
        }));
        const firstTouches = instances
          .filter((row) => row.kind === 'sales_follow_up')
          .map(
            (row): MetricsFirstTouch => ({
              accountId: row.account_crm_id,
              startedAt: row.started_at,
              touchedAt: row.stop_reason === 'first_touch' ? row.stopped_at : null,
            }),
          );
        const approvals = sql
          .statement<{
            accountId: string;
            requestedAt: number;
            decidedAt: number | null;
            dueAt: number;
            state: ApprovalState;
            route: DecisionRoute;
          }>(
            `SELECT account_crm_id AS accountId, requested_at AS requestedAt, decided_at AS decidedAt,
                    due_at AS dueAt, state, route
             FROM approvals WHERE tenant_id = ? ORDER BY requested_at, approval_id`,
          )
          .all(tenantId);
        const tierChanges = sql
          .statement<{ accountId: string; at: number; route: DecisionRoute }>(
            `SELECT account_crm_id AS accountId, at, route FROM audit_log INDEXED BY audit_log_by_tenant
             WHERE tenant_id = ? AND route IS NOT NULL AND outcome IN ('applied', 'approved')
             ORDER BY at, id`,
          )
          .all(tenantId);
        return { accounts, deals, slaOutcomes, firstTouches, approvals, tierChanges };
      });
    },
  };
}
