import type {
  Actor,
  Approval,
  ApprovalState,
  AuditEntry,
  Axis,
  CostCategory,
  Criterion,
  CriterionContribution,
  DecisionRoute,
  HandoverDecision,
  Role,
  SlaInstance,
  TierDrift,
  TierOrNone,
} from '@abm-pilot/shared';

import type { CrmAccount, CrmEngagement, CrmOwner, EngagementKind, TaskWrite } from '../../model.ts';
import type {
  AccountState,
  OutboxTask,
  RunCounts,
  RunKind,
  RunStatus,
  StoredAuditEntry,
  StoredCostLine,
  StoredHandoverFeedback,
  SyncRun,
} from '../ports.ts';

// Row shapes as SQLite returns them, and their mapping to and from the domain. SQLite has no booleans
// (0 / 1) and better-sqlite3 binds no `undefined`, so every value crossing here is explicit.

export const toFlag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);
export const fromFlag = (value: number | null): boolean | null => (value === null ? null : value === 1);
export const json = (value: unknown): string => JSON.stringify(value);
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;
const tierOf = (value: string | null): TierOrNone => value as TierOrNone;

export interface OwnerRow {
  crm_id: string;
  name: string;
  email: string | null;
  timezone: string | null;
  manager_crm_id: string | null;
  team: string | null;
  active: number;
  modified_at: number;
  login_user_id: string | null;
  locale: string | null;
}

export const ownerParams = (tenantId: string, owner: CrmOwner) => ({
  tenant_id: tenantId,
  crm_id: owner.crmId,
  name: owner.name,
  email: owner.email,
  timezone: owner.timezone,
  manager_crm_id: owner.managerCrmId,
  team: owner.team,
  active: toFlag(owner.active),
  modified_at: owner.modifiedAt,
  login_user_id: owner.loginUserId,
  locale: owner.locale,
});

export const ownerOf = (row: OwnerRow): CrmOwner => ({
  crmId: row.crm_id,
  name: row.name,
  email: row.email,
  timezone: row.timezone,
  managerCrmId: row.manager_crm_id,
  team: row.team,
  active: row.active === 1,
  modifiedAt: row.modified_at,
  loginUserId: row.login_user_id,
  locale: row.locale,
});

export interface AccountRow {
  crm_id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  region: string | null;
  employees: number | null;
  annual_revenue: number | null;
  owner_crm_id: string | null;
  abm_owner_crm_id: string | null;
  executive_sponsor_crm_id: string | null;
  crm_tier: string | null;
  crm_tier_reason: string | null;
  strategic: number | null;
  intent_score: number | null;
  modified_at: number;
}

export const accountParams = (tenantId: string, account: CrmAccount) => ({
  tenant_id: tenantId,
  crm_id: account.crmId,
  name: account.name,
  domain: account.domain,
  industry: account.industry,
  region: account.region,
  employees: account.employees,
  annual_revenue: account.annualRevenue,
  owner_crm_id: account.ownerCrmId,
  abm_owner_crm_id: account.abmOwnerCrmId,
  executive_sponsor_crm_id: account.executiveSponsorCrmId,
  crm_tier: account.crmTier,
  crm_tier_reason: account.crmTierReason,
  strategic: toFlag(account.strategic),
  intent_score: account.intentScore,
  modified_at: account.modifiedAt,
});

export const accountFieldsOf = (row: AccountRow): Omit<CrmAccount, 'mergedFromCrmIds'> => ({
  crmId: row.crm_id,
  name: row.name,
  domain: row.domain,
  industry: row.industry,
  region: row.region,
  employees: row.employees,
  annualRevenue: row.annual_revenue,
  ownerCrmId: row.owner_crm_id,
  abmOwnerCrmId: row.abm_owner_crm_id,
  executiveSponsorCrmId: row.executive_sponsor_crm_id,
  crmTier: tierOf(row.crm_tier),
  crmTierReason: row.crm_tier_reason,
  strategic: fromFlag(row.strategic),
  intentScore: row.intent_score,
  modifiedAt: row.modified_at,
});

export const accountOf = (row: AccountRow, mergedFromCrmIds: readonly string[]): CrmAccount => ({
  ...accountFieldsOf(row),
  mergedFromCrmIds,
});

export interface EngagementRow {
  crm_id: string;
  account_crm_id: string | null;
  contact_crm_id: string | null;
  owner_crm_id: string | null;
  kind: string;
  occurred_at: number;
  done: number;
  modified_at: number;
}

export const engagementOf = (row: EngagementRow): CrmEngagement => ({
  crmId: row.crm_id,
  accountCrmId: row.account_crm_id,
  contactCrmId: row.contact_crm_id,
  ownerCrmId: row.owner_crm_id,
  kind: row.kind as EngagementKind,
  occurredAt: row.occurred_at,
  done: row.done === 1,
  modifiedAt: row.modified_at,
});

export interface SlaInstanceRow {
  instance_key: string;
  account_crm_id: string;
  kind: string;
  tier: string | null;
  owner_id: string;
  manager_id: string | null;
  approval_id: string | null;
  started_at: number;
  due_at: number;
  at_risk_at: number;
  escalate_at: number;
  stopped_at: number | null;
  stop_reason: string | null;
  handover_decision: string | null;
}

export const slaInstanceParams = (tenantId: string, instance: SlaInstance) => ({
  tenant_id: tenantId,
  instance_key: instance.key,
  account_crm_id: instance.accountId,
  kind: instance.kind,
  tier: instance.tier,
  owner_id: instance.ownerId,
  manager_id: instance.managerId,
  approval_id: instance.approvalId,
  started_at: instance.startedAt,
  due_at: instance.dueAt,
  at_risk_at: instance.atRiskAt,
  escalate_at: instance.escalateAt,
  stopped_at: instance.stoppedAt,
  stop_reason: instance.stopReason,
  handover_decision: instance.handoverDecision,
});

export const slaInstanceOf = (row: SlaInstanceRow): SlaInstance => ({
  key: row.instance_key,
  kind: row.kind as SlaInstance['kind'],
  accountId: row.account_crm_id,
  tier: tierOf(row.tier),
  ownerId: row.owner_id,
  managerId: row.manager_id,
  approvalId: row.approval_id,
  startedAt: row.started_at,
  dueAt: row.due_at,
  atRiskAt: row.at_risk_at,
  escalateAt: row.escalate_at,
  stoppedAt: row.stopped_at,
  stopReason: row.stop_reason,
  handoverDecision: row.handover_decision as SlaInstance['handoverDecision'],
});

export interface ApprovalRow {
  approval_id: string;
  account_crm_id: string;
  requested_by: string;
  requested_at: number;
  from_tier: string | null;
  to_tier: string | null;
  reason: string | null;
  route: string;
  approver_roles: string;
  due_at: number;
  expires_at: number;
  score: number | null;
  recommended_tier: string | null;
  state: string;
  decided_at: number | null;
  decided_by: string | null;
  comment: string | null;
}

export const approvalParams = (tenantId: string, approval: Approval) => ({
  tenant_id: tenantId,
  approval_id: approval.id,
  account_crm_id: approval.accountId,
  requested_by: json(approval.requestedBy),
  requested_at: approval.requestedAt,
  from_tier: approval.fromTier,
  to_tier: approval.toTier,
  reason: approval.reason,
  route: approval.route,
  approver_roles: json(approval.approverRoles),
  due_at: approval.dueAt,
  expires_at: approval.expiresAt,
  score: approval.score,
  recommended_tier: approval.recommendedTier,
  state: approval.state,
  decided_at: approval.decidedAt,
  decided_by: approval.decidedBy === null ? null : json(approval.decidedBy),
  comment: approval.comment,
});

export const approvalOf = (row: ApprovalRow): Approval => ({
  id: row.approval_id,
  accountId: row.account_crm_id,
  requestedBy: parseJson<Actor>(row.requested_by),
  requestedAt: row.requested_at,
  fromTier: tierOf(row.from_tier),
  toTier: tierOf(row.to_tier),
  reason: row.reason,
  route: row.route as DecisionRoute,
  approverRoles: parseJson<Role[]>(row.approver_roles),
  dueAt: row.due_at,
  expiresAt: row.expires_at,
  score: row.score,
  recommendedTier: tierOf(row.recommended_tier),
  state: row.state as ApprovalState,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by === null ? null : parseJson<Actor>(row.decided_by),
  comment: row.comment,
});

export interface AuditRow {
  id: number;
  account_crm_id: string;
  at: number;
  action: string;
  actor: string | null;
  from_tier: string | null;
  to_tier: string | null;
  reason: string | null;
  route: string | null;
  outcome: string;
  code: string | null;
  score: number | null;
  recommended_tier: string | null;
  approver_roles: string;
  approval_id: string | null;
  comment: string | null;
}

export const auditParams = (tenantId: string, entry: AuditEntry) => ({
  tenant_id: tenantId,
  account_crm_id: entry.accountId,
  at: entry.at,
  action: entry.action,
  actor: entry.actor === null ? null : json(entry.actor),
  from_tier: entry.fromTier,
  to_tier: entry.toTier,
  reason: entry.reason,
  route: entry.route,
  outcome: entry.outcome,
  code: entry.code,
  score: entry.score,
  recommended_tier: entry.recommendedTier,
  approver_roles: json(entry.approverRoles),
  approval_id: entry.approvalId,
  comment: entry.comment,
});

export const auditOf = (row: AuditRow): StoredAuditEntry => ({
  id: row.id,
  at: row.at,
  accountId: row.account_crm_id,
  action: row.action as AuditEntry['action'],
  actor: row.actor === null ? null : parseJson<Actor>(row.actor),
  fromTier: tierOf(row.from_tier),
  toTier: tierOf(row.to_tier),
  reason: row.reason,
  route: row.route as DecisionRoute | null,
  outcome: row.outcome as AuditEntry['outcome'],
  code: row.code,
  score: row.score,
  recommendedTier: tierOf(row.recommended_tier),
  approverRoles: parseJson<Role[]>(row.approver_roles),
  approvalId: row.approval_id,
  comment: row.comment,
});

export interface TaskRow {
  task_key: string;
  account_crm_id: string;
  assignee_crm_id: string;
  subject: string;
  body: string;
  due_at: number;
  priority: string;
  status: string;
  crm_task_id: string | null;
  attempts: number;
  last_error: string | null;
  opened_at: number | null;
}

// `task_outbox.account_crm_id` is NOT NULL since migration 1, and dropping that takes a table rebuild; a
// task about no account (the programme's own) is stored with '', which no CRM id ever is.
const NO_ACCOUNT = '';

export const taskParams = (tenantId: string, task: TaskWrite) => ({
  tenant_id: tenantId,
  task_key: task.key,
  account_crm_id: task.accountCrmId ?? NO_ACCOUNT,
  assignee_crm_id: task.assigneeCrmId,
  subject: task.subject,
  body: task.body,
  due_at: task.dueAt,
  priority: task.priority,
  status: task.status,
});

export const taskOf = (row: TaskRow): OutboxTask => ({
  key: row.task_key,
  accountCrmId: row.account_crm_id === NO_ACCOUNT ? null : row.account_crm_id,
  assigneeCrmId: row.assignee_crm_id,
  subject: row.subject,
  body: row.body,
  dueAt: row.due_at,
  priority: row.priority as TaskWrite['priority'],
  status: row.status as TaskWrite['status'],
  crmTaskId: row.crm_task_id,
  attempts: row.attempts,
  lastError: row.last_error,
  openedAt: row.opened_at,
});

export interface RunRow {
  id: number;
  kind: string;
  holder: string;
  status: string;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  counts: string;
  error: string | null;
}

export const runOf = (row: RunRow): SyncRun => ({
  id: row.id,
  kind: row.kind as RunKind,
  holder: row.holder,
  status: row.status as RunStatus,
  startedAt: row.started_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
  counts: parseJson<RunCounts>(row.counts),
  error: row.error,
});

export interface StateRow extends AccountRow {
  revision: number;
  computed_revision: number;
  score: number | null;
  axes: string | null;
  contributions: string | null;
  missing: string | null;
  model_version: string | null;
  computed_at: number | null;
  recommended_tier: string | null;
  drift_steps: number | null;
  drift_direction: string | null;
  assigned_tier: string | null;
  tiered_at: number | null;
  last_reviewed_at: number | null;
  desired_fields: string | null;
  written_fields: string;
  tier_ledger: string;
}

export function stateOf(row: StateRow): AccountState {
  const recommendedTier = row.recommended_tier as TierOrNone;
  const assignedTier = row.assigned_tier as TierOrNone;
  const score =
    row.computed_at === null || row.score === null
      ? null
      : {
          score: row.score,
          axes: parseJson<Record<Axis, number>>(row.axes ?? '{}'),
          contributions: parseJson<CriterionContribution[]>(row.contributions ?? '[]'),
          missing: parseJson<Criterion[]>(row.missing ?? '[]'),
          modelVersion: row.model_version ?? '',
          computedAt: row.computed_at,
        };
  const drift: TierDrift | null =
    row.drift_steps === null
      ? null
      : {
          assigned: assignedTier,
          recommended: recommendedTier,
          steps: row.drift_steps,
          direction: row.drift_direction as TierDrift['direction'],
        };
  return {
    revision: row.revision,
    computedRevision: row.computed_revision,
    score,
    recommendedTier,
    drift,
    assignedTier,
    tieredAt: row.tiered_at,
    lastReviewedAt: row.last_reviewed_at,
    tierLedger: parseJson<TierOrNone[]>(row.tier_ledger),
  };
}

export interface HandoverFeedbackRow {
  id: number;
  account_crm_id: string;
  decision: string;
  reason_code: string;
  at: number;
  actor: string;
}

export const handoverFeedbackOf = (row: HandoverFeedbackRow): StoredHandoverFeedback => ({
  id: row.id,
  accountCrmId: row.account_crm_id,
  decision: row.decision as HandoverDecision,
  reasonCode: row.reason_code,
  at: row.at,
  actor: parseJson<Actor>(row.actor),
});

export interface CostLineRow {
  id: number;
  period: string;
  category: string;
  amount: number | null;
  hours: number | null;
  note: string | null;
  entered_at: number;
  entered_by: string | null;
}

// The ledger's optional fields are absent, not undefined, when unset (exactOptionalPropertyTypes).
export const costLineOf = (row: CostLineRow): StoredCostLine => ({
  id: row.id,
  period: row.period,
  category: row.category as CostCategory,
  ...(row.amount === null ? {} : { amount: row.amount }),
  ...(row.hours === null ? {} : { hours: row.hours }),
  ...(row.note === null ? {} : { note: row.note }),
  enteredAt: row.entered_at,
  enteredBy: row.entered_by,
});

/** Splits ids for set-based queries; each chunk travels as one JSON array parameter (`json_each`). */
export function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
