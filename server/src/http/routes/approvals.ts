import type {
  Approval,
  ApprovalEvent,
  ApprovalDecisionResponse,
  Instant,
  SlaEvent,
  SlaInstance,
} from '@abm-pilot/shared';
import {
  approvalToView,
  approveContract,
  DAY_MS,
  pendingApprovalsContract,
  rejectContract,
  transitionApproval,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import type { CardUser } from '../auth.ts';
import type { Outcome } from '../bind.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { actorOf, calendarOf, configOf, withSlaEvents } from './caller.ts';
import type { ApiDeps } from './index.ts';

const DOMAIN_TO_API = {
  illegal_transition: 'approval_not_pending',
  not_allowed_for_role: 'not_allowed_for_role',
  self_approval: 'self_approval',
  approval_expired: 'approval_expired',
  comment_required: 'invalid_request',
  not_expired_yet: 'approval_not_pending',
} as const;

export function registerApprovalRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, pendingApprovalsContract, deps, async ({ query, caller }) => {
    const roles = query.role === undefined ? caller.user.roles : [query.role];
    if (query.role !== undefined && !caller.user.roles.includes(query.role)) {
      return failure('forbidden', `You do not hold the ${query.role} role.`);
    }
    const seen = new Map<string, Approval>();
    for (const role of roles) {
      for (const approval of await deps.store.pendingApprovals(caller.tenant.id, {
        approverRole: role,
        limit: query.limit,
      })) {
        seen.set(approval.id, approval);
      }
    }
    const approvals = [...seen.values()].sort((a, b) => a.dueAt - b.dueAt).slice(0, query.limit);
    return success({ approvals: approvals.map((approval) => approvalToView(approval)) });
  });

  bindRoute(router, approveContract, deps, async ({ params, body, caller, now }) =>
    decide(deps, caller.tenant.id, caller.user, params.id, now, (by) => ({
      type: 'approve',
      by,
      comment: body.comment ?? null,
    })),
  );

  bindRoute(router, rejectContract, deps, async ({ params, body, caller, now }) =>
    decide(deps, caller.tenant.id, caller.user, params.id, now, (by) => ({
      type: 'reject',
      by,
      comment: body.comment,
    })),
  );
}

/**
 * One decision on an approval: the state machine of `shared/` says whether it may happen; an approval
 * applies the tier (the write-back takes it to the CRM), stops the approval clock and starts the tier's.
 */
async function decide(
  deps: ApiDeps,
  tenantId: string,
  user: CardUser,
  approvalId: string,
  now: Instant,
  eventOf: (by: NonNullable<ReturnType<typeof actorOf>>) => ApprovalEvent,
): Promise<Outcome<ApprovalDecisionResponse>> {
  const approval = await deps.store.getApproval(tenantId, approvalId);
  if (!approval) return failure('not_found', 'No such approval.');
  const actor = actorOf(user, approval.approverRoles);
  if (actor === null) return failure('not_allowed_for_role', 'You have no governance role in ABM Pilot.');
  const transition = transitionApproval(approval, eventOf(actor), now);
  if (!transition.ok) return failure(DOMAIN_TO_API[transition.error.code], transition.error.message);

  const settled = transition.value.approval;
  const settledState = settled.state;
  if (settledState === 'pending') throw new Error('transitionApproval returned a pending approval');
  const applies = settled.state === 'approved';
  const [context] = await deps.store.loadAccountContexts(tenantId, [approval.accountId], now - DAY_MS);
  let slaInstances: readonly SlaInstance[] | undefined;
  if (context) {
    const config = await configOf(deps.store, tenantId);
    const calendar = calendarOf(config, context.owner);
    const ownerId = context.account.ownerCrmId;
    const events: SlaEvent[] = [
      {
        type: 'decision',
        accountId: approval.accountId,
        approvalId: approval.id,
        outcome: settledState,
        at: now,
      },
    ];
    if (applies && approval.toTier !== null && ownerId) {
      events.push({
        type: 'tier_entered',
        tier: approval.toTier,
        accountId: approval.accountId,
        ownerId,
        managerId: context.owner?.managerCrmId ?? null,
        at: now,
      });
    }
    slaInstances = withSlaEvents(context.slaInstances, events, config, calendar);
  }
  const saved = await deps.store.decideApproval(tenantId, {
    approval: settled,
    audit: transition.value.audit,
    ...(applies ? { assignTier: { tier: approval.toTier, at: now } } : {}),
    ...(slaInstances ? { slaInstances } : {}),
  });
  if (!saved.ok) {
    return saved.error.code === 'approval_not_found'
      ? failure('not_found', 'No such approval.')
      : failure('approval_not_pending', 'The approval was decided meanwhile.');
  }
  if (applies) void deps.triggerSync(tenantId).catch(() => undefined);
  return success({
    approval: approvalToView(saved.value),
    applied: applies,
    assignedTier: applies ? approval.toTier : (context?.state.assignedTier ?? approval.fromTier),
  });
}
