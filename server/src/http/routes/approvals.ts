import type { Approval, ApprovalDecisionResponse } from '@abm-pilot/shared';
import { approvalToView, approveContract, pendingApprovalsContract, rejectContract } from '@abm-pilot/shared';
import type { Router } from 'express';

import type { ApprovalDecisionInput } from '../../usecases/decideApproval.ts';
import { decideApproval } from '../../usecases/decideApproval.ts';
import type { CardUser } from '../auth.ts';
import type { Outcome } from '../bind.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { namesOf } from './caller.ts';
import type { ApiDeps } from './index.ts';

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
    const nameOf = await namesOf(
      deps.store,
      caller.tenant.id,
      approvals.map((approval) => approval.requestedBy),
    );
    return success({ approvals: approvals.map((approval) => approvalToView(approval, nameOf)) });
  });

  bindRoute(router, approveContract, deps, async ({ params, query, body, caller }) =>
    decide(deps, caller.tenant.id, caller.user, query.apiRevision, {
      approvalId: params.id,
      verdict: { type: 'approve', comment: body.comment ?? null },
    }),
  );

  bindRoute(router, rejectContract, deps, async ({ params, query, body, caller }) =>
    decide(deps, caller.tenant.id, caller.user, query.apiRevision, {
      approvalId: params.id,
      verdict: { type: 'reject', comment: body.comment },
    }),
  );
}

async function decide(
  deps: ApiDeps,
  tenantId: string,
  user: CardUser,
  apiRevision: number,
  input: Pick<ApprovalDecisionInput, 'approvalId' | 'verdict'>,
): Promise<Outcome<ApprovalDecisionResponse>> {
  const decided = await decideApproval(deps, { tenantId, person: user, ...input });
  if (!decided.ok) {
    const { code, message } = decided.error;
    return failure(code === 'tier_full' && apiRevision < 2 ? 'conflict' : code, message);
  }
  const { approval, applied, assignedTier, crmWrite } = decided.value;
  const nameOf = await namesOf(deps.store, tenantId, [approval.requestedBy, approval.decidedBy]);
  return success({
    approval: approvalToView(approval, nameOf),
    applied,
    assignedTier,
    ...(crmWrite !== null && apiRevision >= 2 ? { crmWrite } : {}),
  });
}
