import type {
  Approval,
  ApprovalError,
  ApprovalEvent,
  DomainError,
  Instant,
  Result,
  SlaEvent,
  TierOrNone,
} from '@abm-pilot/shared';
import { admitApproval, err, expireDueApprovals, ok, transitionApproval } from '@abm-pilot/shared';

import type { Store } from '../store/ports.ts';
import type { CrmWrite, DecisionDeps } from './deliverDecision.ts';
import { deliverDecision } from './deliverDecision.ts';
import type { Person } from './rules.ts';
import {
  actorOf,
  calendarOf,
  clockStartOf,
  governanceConfigOf,
  loadAccount,
  withSlaEvents,
} from './rules.ts';

// The committee, the Chief ABM Officer or an ABM manager decides a pending tier change. The approval state
// machine says whether the decision may happen; an approval must also still fit the tier's capacity at the
// moment it takes effect (checked again in the transaction that applies it); an applied tier goes to the
// CRM at once, the approval clock stops and the tier's follow-up clock starts.

export type ApprovalVerdict =
  | { readonly type: 'approve'; readonly comment: string | null }
  | { readonly type: 'reject'; readonly comment: string };

export interface ApprovalDecisionInput {
  readonly tenantId: string;
  readonly approvalId: string;
  readonly person: Person;
  readonly verdict: ApprovalVerdict;
}

export interface ApprovalDecisionAnswer {
  readonly approval: Approval;
  /** Whether the requested tier is now the account's assigned tier. */
  readonly applied: boolean;
  readonly assignedTier: TierOrNone;
  /** Where the CRM stands; `null` when nothing changes there (a rejection). */
  readonly crmWrite: CrmWrite | null;
}

export type DecideApprovalError = DomainError<
  | 'not_found'
  | 'not_allowed_for_role'
  | 'self_approval'
  | 'approval_expired'
  | 'approval_not_pending'
  | 'invalid_request'
  | 'tier_full'
  | 'conflict'
>;

const FROM_STATE_MACHINE: Readonly<Record<ApprovalError['code'], DecideApprovalError['code']>> = {
  illegal_transition: 'approval_not_pending',
  not_allowed_for_role: 'not_allowed_for_role',
  self_approval: 'self_approval',
  approval_expired: 'approval_expired',
  comment_required: 'invalid_request',
  not_expired_yet: 'approval_not_pending',
};

const MAX_ATTEMPTS = 8;

export async function decideApproval(
  deps: DecisionDeps,
  input: ApprovalDecisionInput,
): Promise<Result<ApprovalDecisionAnswer, DecideApprovalError>> {
  const { store } = deps;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const now = deps.clock();
    const approval = await store.getApproval(input.tenantId, input.approvalId);
    if (approval === null) return err({ code: 'not_found', message: 'No such approval.' });
    const config = await governanceConfigOf(store, input.tenantId);
    const approves = input.verdict.type === 'approve';
    const admitted = approves
      ? admitApproval(approval, input.person.roles, await store.tierCounts(input.tenantId), config)
      : ok({ seatLimit: null });
    if (!admitted.ok) {
      return err({
        code: admitted.error.code === 'capacity_exceeded' ? 'tier_full' : 'not_allowed_for_role',
        message: admitted.error.message,
      });
    }
    // Over capacity only an over-capacity approver may approve, and acts in that role.
    const overCapacity =
      admitted.value.seatLimit !== null &&
      approval.toTier !== null &&
      admitted.value.seatLimit > config.tiers.capacity[approval.toTier];
    const actor = actorOf(
      input.person,
      overCapacity ? config.decisionRights.approvers.over_capacity : approval.approverRoles,
    );
    if (actor === null)
      return err({ code: 'not_allowed_for_role', message: 'You have no governance role in ABM Pilot.' });
    const transition = transitionApproval(approval, eventOf(input.verdict, actor), now);
    if (!transition.ok) {
      return err({ code: FROM_STATE_MACHINE[transition.error.code], message: transition.error.message });
    }

    const account = await loadAccount(store, input.tenantId, approval.accountId, now);
    const events: SlaEvent[] = [
      {
        type: 'decision',
        accountId: approval.accountId,
        approvalId: approval.id,
        outcome: transition.value.approval.state as 'approved' | 'rejected',
        at: now,
      },
    ];
    const start = account === null ? null : clockStartOf(account, now);
    if (approves && approval.toTier !== null && start !== null) {
      events.push({ type: 'tier_entered', tier: approval.toTier, ...start });
    }
    const saved = await store.decideApproval(input.tenantId, {
      approval: transition.value.approval,
      audit: transition.value.audit,
      ...(approves ? { assignTier: { tier: approval.toTier, at: now } } : {}),
      ...(approves && approval.toTier !== null && admitted.value.seatLimit !== null
        ? { seatGuard: { tier: approval.toTier, limit: admitted.value.seatLimit } }
        : {}),
      ...(account === null
        ? {}
        : {
            basedOnRevision: account.state.revision,
            slaInstances: withSlaEvents(
              account.slaInstances,
              events,
              config,
              calendarOf(config, account.owner),
            ),
          }),
    });
    if (!saved.ok) {
      if (saved.error.code === 'approval_not_found')
        return err({ code: 'not_found', message: 'No such approval.' });
      if (saved.error.code === 'approval_not_pending') {
        return err({ code: 'approval_not_pending', message: 'The approval was decided meanwhile.' });
      }
      continue;
    }
    const crmWrite = approves ? await deliverDecision(deps, input.tenantId, approval.accountId) : null;
    return ok({
      approval: saved.value,
      applied: approves,
      assignedTier: approves ? approval.toTier : (account?.state.assignedTier ?? approval.fromTier),
      crmWrite,
    });
  }
  return err({
    code: 'conflict',
    message: 'The account kept changing while the approval was decided; decide again.',
  });
}

function eventOf(verdict: ApprovalVerdict, by: NonNullable<ReturnType<typeof actorOf>>): ApprovalEvent {
  return verdict.type === 'approve'
    ? { type: 'approve', by, comment: verdict.comment }
    : { type: 'reject', by, comment: verdict.comment };
}

/**
 * Approvals left undecided past their expiry expire (the approval SLA's end): audited, their clock stopped.
 * One that changed meanwhile is left for the next sweep.
 */
export async function expireApprovals(
  deps: { readonly store: Store; readonly clock: () => Instant },
  tenantId: string,
): Promise<number> {
  const { store } = deps;
  const now = deps.clock();
  const config = await governanceConfigOf(store, tenantId);
  let expired = 0;
  for (const transition of expireDueApprovals(await store.pendingApprovals(tenantId), now)) {
    const { approval } = transition;
    const account = await loadAccount(store, tenantId, approval.accountId, now);
    const saved = await store.decideApproval(tenantId, {
      approval,
      audit: transition.audit,
      ...(account === null
        ? {}
        : {
            basedOnRevision: account.state.revision,
            slaInstances: withSlaEvents(
              account.slaInstances,
              [
                {
                  type: 'decision',
                  accountId: approval.accountId,
                  approvalId: approval.id,
                  outcome: 'expired',
                  at: now,
                },
              ],
              config,
              calendarOf(config, account.owner),
            ),
          }),
    });
    if (saved.ok) expired += 1;
  }
  return expired;
}
