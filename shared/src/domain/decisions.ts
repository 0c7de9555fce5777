import type { BusinessHours, DecisionRights, GovernanceConfig, TierPolicy } from '../config/schema.ts';
import type {
  ApprovalState,
  DecisionRoute,
  Role,
  TierChangeRejection,
  TierOrNone,
} from '../config/vocabulary.ts';
import { tierRank } from '../config/vocabulary.ts';
import { addBusinessDays } from './businessTime.ts';
import type { DomainError, Result } from './result.ts';
import { err, ok } from './result.ts';
import type { TierCounts } from './tiering.ts';
import { capacityVerdict, tierCeiling } from './tiering.ts';
import type { Instant } from './time.ts';

export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

export interface TierChangeRequest {
  readonly accountId: string;
  readonly actor: Actor;
  /** The assigned tier now. */
  readonly fromTier: TierOrNone;
  readonly toTier: TierOrNone;
  readonly reason: string | null;
}

/** What the rules need to know of the account and the portfolio at the moment of the request. */
export interface RoutingContext {
  readonly score: number | null;
  readonly recommendedTier: TierOrNone;
  /** Accounts per tier before the change. */
  readonly tierCounts: TierCounts;
  readonly hasPendingApproval: boolean;
  /** Business hours the approval SLA runs on. */
  readonly calendar: BusinessHours;
}

export type AuditOutcome =
  | 'applied'
  | 'needs_approval'
  | 'rejected'
  | 'approved'
  | 'approval_rejected'
  | 'expired'
  | 'cancelled'
  | 'audited'
  | 'reverted'
  /** A portfolio review recorded (API revision 3). */
  | 'recorded';

/** One line of the permanent audit log: who, in what role, from what to what, why, by which route, on what evidence. */
export interface AuditEntry {
  readonly at: Instant;
  readonly accountId: string;
  /** `review`: a portfolio review of the account (API revision 3). */
  readonly action: 'tier_change' | 'approval_decision' | 'out_of_app_edit' | 'review';
  /** `null` when the system acted (an expiry, an edit seen by the sync without a known author). */
  readonly actor: Actor | null;
  readonly fromTier: TierOrNone;
  readonly toTier: TierOrNone;
  readonly reason: string | null;
  readonly route: DecisionRoute | null;
  readonly outcome: AuditOutcome;
  readonly code: string | null;
  readonly score: number | null;
  readonly recommendedTier: TierOrNone;
  readonly approverRoles: readonly Role[];
  readonly approvalId: string | null;
  readonly comment: string | null;
}

export type TierChangeDecision =
  | { readonly outcome: 'applied'; readonly route: DecisionRoute; readonly audit: AuditEntry }
  | {
      readonly outcome: 'needs_approval';
      readonly route: DecisionRoute;
      readonly approverRoles: readonly Role[];
      readonly dueAt: Instant;
      readonly expiresAt: Instant;
      readonly audit: AuditEntry;
    }
  | {
      readonly outcome: 'rejected';
      readonly code: TierChangeRejection;
      readonly message: string;
      readonly audit: AuditEntry;
    };

/**
 * Routes a tier change by the decision rights of product.md: routine moves among tier_2 / tier_3 /
 * untargeted apply at once for roles allowed them; anything into or out of tier_1 goes to the committee;
 * over capacity goes to the Chief ABM Officer (beyond the hard ceiling it is refused); a role without
 * the routine right sends a request to an ABM manager; a target far from the recommendation needs a reason.
 */
export function routeTierChange(
  request: TierChangeRequest,
  context: RoutingContext,
  config: GovernanceConfig,
  now: Instant,
): TierChangeDecision {
  const rights = config.decisionRights;
  const reject = (code: TierChangeRejection, message: string): TierChangeDecision => ({
    outcome: 'rejected',
    code,
    message,
    audit: auditOf(request, context, now, { outcome: 'rejected', code, route: null, approverRoles: [] }),
  });

  if (request.fromTier === request.toTier) return reject('no_change', 'The account is already in that tier.');
  if (context.hasPendingApproval) {
    return reject('approval_pending', 'A tier change for this account is already waiting for approval.');
  }
  if (!mayRequestChanges(request.actor.role, rights)) {
    return reject('not_allowed_for_role', `The ${request.actor.role} role may not change tiers.`);
  }
  if (reasonRequired(request.toTier, context.recommendedTier, rights) && !request.reason?.trim()) {
    const steps = Math.abs(tierRank(request.toTier) - tierRank(context.recommendedTier));
    return reject(
      'reason_required',
      `The target is ${steps} tiers from the recommendation; a written reason is required.`,
    );
  }
  const capacity = capacityVerdict(context.tierCounts, request.toTier, config.tiers);
  if (capacity === 'beyond_ceiling') {
    return reject('capacity_exceeded', `${request.toTier} is full beyond its allowed overflow.`);
  }

  const route = routeOf(request, capacity === 'over_capacity', rights.roles[request.actor.role].mayApply);
  if (route.applies) {
    return {
      outcome: 'applied',
      route: route.route,
      audit: auditOf(request, context, now, {
        outcome: 'applied',
        code: null,
        route: route.route,
        approverRoles: [],
      }),
    };
  }
  const approverRoles = rights.approvers[route.route === 'routine' ? 'sales_request' : route.route];
  return {
    outcome: 'needs_approval',
    route: route.route,
    approverRoles,
    dueAt: addBusinessDays(now, rights.approvalSla.decideWithinBusinessDays, context.calendar),
    expiresAt: addBusinessDays(now, rights.approvalSla.expireAfterBusinessDays, context.calendar),
    audit: auditOf(request, context, now, {
      outcome: 'needs_approval',
      code: null,
      route: route.route,
      approverRoles,
    }),
  };
}

/** Whether `role` may ask for tier changes at all (then the route decides who applies them). */
export const mayRequestChanges = (role: Role, rights: DecisionRights): boolean =>
  rights.roles[role].mayRequest;

/** A target more than `reasonRequiredBeyondSteps` tiers from the recommendation needs a written reason. */
export const reasonRequired = (
  toTier: TierOrNone,
  recommendedTier: TierOrNone,
  rights: DecisionRights,
): boolean => Math.abs(tierRank(toTier) - tierRank(recommendedTier)) > rights.reasonRequiredBeyondSteps;

function routeOf(
  request: TierChangeRequest,
  overCapacity: boolean,
  mayApply: readonly DecisionRoute[],
): { route: DecisionRoute; applies: boolean } {
  // The most demanding route wins: over capacity needs the Chief ABM Officer even for a tier_1 move.
  const major: DecisionRoute | null = overCapacity
    ? 'over_capacity'
    : request.fromTier === 'tier_1' || request.toTier === 'tier_1'
      ? 'tier_1'
      : null;
  if (major) return { route: major, applies: mayApply.includes(major) };
  if (mayApply.includes('routine')) return { route: 'routine', applies: true };
  return { route: 'sales_request', applies: false };
}

function auditOf(
  request: TierChangeRequest,
  context: RoutingContext,
  now: Instant,
  decision: Pick<AuditEntry, 'outcome' | 'code' | 'route' | 'approverRoles'>,
): AuditEntry {
  return {
    at: now,
    accountId: request.accountId,
    action: 'tier_change',
    actor: request.actor,
    fromTier: request.fromTier,
    toTier: request.toTier,
    reason: request.reason?.trim() || null,
    score: context.score,
    recommendedTier: context.recommendedTier,
    approvalId: null,
    comment: null,
    ...decision,
  };
}

// ---------------------------------------------------------------------------------------------------
// Approvals

export interface Approval {
  readonly id: string;
  readonly accountId: string;
  readonly requestedBy: Actor;
  readonly requestedAt: Instant;
  readonly fromTier: TierOrNone;
  readonly toTier: TierOrNone;
  readonly reason: string | null;
  readonly route: DecisionRoute;
  readonly approverRoles: readonly Role[];
  readonly dueAt: Instant;
  readonly expiresAt: Instant;
  readonly score: number | null;
  readonly recommendedTier: TierOrNone;
  readonly state: ApprovalState;
  readonly decidedAt: Instant | null;
  readonly decidedBy: Actor | null;
  readonly comment: string | null;
}

/** The pending approval a `needs_approval` decision opens; the id comes from the caller's store. */
export function openApproval(
  id: string,
  request: TierChangeRequest,
  decision: Extract<TierChangeDecision, { outcome: 'needs_approval' }>,
): Approval {
  return {
    id,
    accountId: request.accountId,
    requestedBy: request.actor,
    requestedAt: decision.audit.at,
    fromTier: request.fromTier,
    toTier: request.toTier,
    reason: decision.audit.reason,
    route: decision.route,
    approverRoles: decision.approverRoles,
    dueAt: decision.dueAt,
    expiresAt: decision.expiresAt,
    score: decision.audit.score,
    recommendedTier: decision.audit.recommendedTier,
    state: 'pending',
    decidedAt: null,
    decidedBy: null,
    comment: null,
  };
}

export type ApprovalEvent =
  | { readonly type: 'approve'; readonly by: Actor; readonly comment: string | null }
  | { readonly type: 'reject'; readonly by: Actor; readonly comment: string }
  | { readonly type: 'cancel'; readonly by: Actor }
  | { readonly type: 'expire' };

export type ApprovalError = DomainError<
  | 'illegal_transition'
  | 'not_allowed_for_role'
  | 'self_approval'
  | 'comment_required'
  | 'approval_expired'
  | 'not_expired_yet'
>;

export interface ApprovalTransition {
  readonly approval: Approval;
  readonly audit: AuditEntry;
}

/**
 * The approval state machine: only a pending approval moves, to approved / rejected (by an approver
 * role other than the requester, a rejection with a comment), cancelled (by its requester or an
 * approver) or expired (from its expiry on). Anything else is an `illegal_transition`.
 */
export function transitionApproval(
  approval: Approval,
  event: ApprovalEvent,
  now: Instant,
): Result<ApprovalTransition, ApprovalError> {
  if (approval.state !== 'pending') {
    return err({ code: 'illegal_transition', message: `The approval is already ${approval.state}.` });
  }
  const isApprover = (actor: Actor) => approval.approverRoles.includes(actor.role);
  switch (event.type) {
    case 'approve':
    case 'reject': {
      if (!isApprover(event.by)) {
        return err({
          code: 'not_allowed_for_role',
          message: `Only ${approval.approverRoles.join(' or ')} may decide this request.`,
        });
      }
      if (event.by.userId === approval.requestedBy.userId) {
        return err({
          code: 'self_approval',
          message: 'A request must be decided by someone other than its requester.',
        });
      }
      if (now >= approval.expiresAt)
        return err({ code: 'approval_expired', message: 'The approval has expired.' });
      const comment = event.comment?.trim() || null;
      if (event.type === 'reject' && comment === null) {
        return err({ code: 'comment_required', message: 'A rejection needs a comment for the requester.' });
      }
      const state = event.type === 'approve' ? 'approved' : 'rejected';
      return ok(settle(approval, state, now, event.by, comment));
    }
    case 'cancel':
      if (event.by.userId !== approval.requestedBy.userId && !isApprover(event.by)) {
        return err({
          code: 'not_allowed_for_role',
          message: 'Only the requester or an approver may cancel.',
        });
      }
      return ok(settle(approval, 'cancelled', now, event.by, null));
    case 'expire':
      if (now < approval.expiresAt)
        return err({ code: 'not_expired_yet', message: 'The approval has not expired.' });
      return ok(settle(approval, 'expired', now, null, null));
  }
}

/** Pending approvals whose expiry has passed at `now`, expired. */
export function expireDueApprovals(approvals: Iterable<Approval>, now: Instant): ApprovalTransition[] {
  const expired: ApprovalTransition[] = [];
  for (const approval of approvals) {
    if (approval.state !== 'pending' || now < approval.expiresAt) continue;
    const result = transitionApproval(approval, { type: 'expire' }, now);
    if (result.ok) expired.push(result.value);
  }
  return expired;
}

const OUTCOME_OF_STATE = {
  approved: 'approved',
  rejected: 'approval_rejected',
  expired: 'expired',
  cancelled: 'cancelled',
} as const satisfies Record<Exclude<ApprovalState, 'pending'>, AuditOutcome>;

function settle(
  approval: Approval,
  state: Exclude<ApprovalState, 'pending'>,
  now: Instant,
  by: Actor | null,
  comment: string | null,
): ApprovalTransition {
  const settled: Approval = { ...approval, state, decidedAt: now, decidedBy: by, comment };
  return {
    approval: settled,
    audit: {
      at: now,
      accountId: approval.accountId,
      action: 'approval_decision',
      actor: by,
      fromTier: approval.fromTier,
      toTier: approval.toTier,
      reason: approval.reason,
      route: approval.route,
      outcome: OUTCOME_OF_STATE[state],
      code: null,
      score: approval.score,
      recommendedTier: approval.recommendedTier,
      approverRoles: approval.approverRoles,
      approvalId: approval.id,
      comment,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// What the CRM shows against what was decided

/**
 * Tiers the CRM may show for an account without anyone having edited it there: a previous tier whose
 * replacement ABM Pilot has not seen land in the CRM yet, or an edit already governed (reverted, its revert
 * not seen yet). Emptied once the CRM is seen holding the assigned tier.
 */
export type TierLedger = readonly TierOrNone[];

/**
 * `in_sync`: the CRM holds the assigned tier. `catching_up`: it holds a tier of the ledger, ABM Pilot's own
 * doing or already governed. `edited`: neither, so someone changed it outside the app.
 */
export type CrmTierReading = 'in_sync' | 'catching_up' | 'edited';

export function readCrmTier(
  crmTier: TierOrNone,
  assignedTier: TierOrNone,
  ledger: TierLedger,
): CrmTierReading {
  if (crmTier === assignedTier) return 'in_sync';
  return ledger.includes(crmTier) ? 'catching_up' : 'edited';
}

/** The ledger once `to` is assigned over `from`: the CRM may show `from` until the write of `to` lands. */
export function ledgerAfterChange(ledger: TierLedger, from: TierOrNone, to: TierOrNone): TierLedger {
  const next = ledger.includes(from) ? [...ledger] : [...ledger, from];
  return next.filter((tier) => tier !== to);
}

// ---------------------------------------------------------------------------------------------------
// Capacity at the moment a decision takes effect

/**
 * The most accounts `tier` may hold once a decision takes effect: its capacity, or its hard ceiling when the
 * decision was taken by someone who may go over capacity. `null` when leaving targeting (no limit).
 * Rules are checked when a decision is routed and again, atomically with this limit, when it takes effect:
 * the seats may have gone meanwhile.
 */
export function seatLimit(tier: TierOrNone, mayExceedCapacity: boolean, policy: TierPolicy): number | null {
  if (tier === null) return null;
  return mayExceedCapacity ? tierCeiling(tier, policy) : policy.capacity[tier];
}

/** Roles that may take an account over its tier's capacity: those who decide the `over_capacity` route. */
export const mayExceedCapacity = (roles: readonly Role[], config: GovernanceConfig): boolean =>
  roles.some(
    (role) =>
      config.decisionRights.approvers.over_capacity.includes(role) ||
      config.decisionRights.roles[role].mayApply.includes('over_capacity'),
  );

export type ApprovalCapacityError = DomainError<'capacity_exceeded' | 'over_capacity_needs_approver'> & {
  /** Roles that could still approve it now (over capacity, within the ceiling). */
  readonly approverRoles: readonly Role[];
};

/**
 * Whether approving `approval` now keeps its tier within the rules, given the tier's current count: within
 * capacity anyone of its approvers may; over capacity only an over-capacity approver; beyond the ceiling
 * no one (it waits for a seat, or is rejected).
 */
export function admitApproval(
  approval: Pick<Approval, 'toTier'>,
  deciderRoles: readonly Role[],
  counts: TierCounts,
  config: GovernanceConfig,
): Result<{ readonly seatLimit: number | null }, ApprovalCapacityError> {
  const verdict = capacityVerdict(counts, approval.toTier, config.tiers);
  const exceed = mayExceedCapacity(deciderRoles, config);
  if (verdict === 'within') return ok({ seatLimit: seatLimit(approval.toTier, exceed, config.tiers) });
  if (verdict === 'beyond_ceiling') {
    return err({
      code: 'capacity_exceeded',
      message: `${approval.toTier} is full beyond its allowed overflow; free a seat or reject the request.`,
      approverRoles: [],
    });
  }
  if (!exceed) {
    const approverRoles = config.decisionRights.approvers.over_capacity;
    return err({
      code: 'over_capacity_needs_approver',
      message: `${approval.toTier} is now full: only ${approverRoles.join(' or ')} may approve beyond its capacity.`,
      approverRoles,
    });
  }
  return ok({ seatLimit: seatLimit(approval.toTier, true, config.tiers) });
}

/** The seat limit an applied tier change must hold to: over capacity only on the over-capacity route. */
export const seatLimitOfRoute = (
  toTier: TierOrNone,
  route: DecisionRoute,
  policy: TierPolicy,
): number | null => seatLimit(toTier, route === 'over_capacity', policy);

// ---------------------------------------------------------------------------------------------------
// Tier edits made outside the app

export interface OutOfAppEdit {
  readonly accountId: string;
  /** The tier ABM Pilot knows as assigned. */
  readonly knownTier: TierOrNone;
  /** The tier now found in the CRM. */
  readonly crmTier: TierOrNone;
  /** The CRM user who edited it, when the CRM says (field history). */
  readonly editedBy: Actor | null;
  /** A reason the editor wrote in the CRM with the edit, if any. */
  readonly reason: string | null;
}

export type OutOfAppVerdict =
  /** The edit stands: audit mode, or enforce mode where its editor may make that change directly. */
  | { readonly action: 'keep'; readonly audit: AuditEntry }
  /** Enforce mode: the CRM is put back to the known tier; the edit becomes a request when the rules allow one. */
  | { readonly action: 'revert'; readonly audit: AuditEntry; readonly approval: Approval | null };

/** Who an edit without a known author is requested by: the least-privileged role, so a human decides. */
export const UNKNOWN_EDITOR: Actor = { userId: 'crm:unknown', role: 'sales_rep' };

/**
 * A tier edited in a list view or an import. In `audit` mode it stands and is logged. In `enforce` mode it
 * is a tier change request in its editor's name and takes the normal route with every rule (rights,
 * reason, capacity): applied at once when the editor could have made it in the app, otherwise the CRM is
 * put back and the request waits for approval, or is refused. Either way one audit entry says what happened.
 */
export function governOutOfAppEdit(
  edit: OutOfAppEdit,
  context: RoutingContext,
  config: GovernanceConfig,
  now: Instant,
  approvalId: string,
): OutOfAppVerdict {
  const audit = (overrides: Partial<AuditEntry>): AuditEntry => ({
    at: now,
    accountId: edit.accountId,
    action: 'out_of_app_edit',
    actor: edit.editedBy,
    fromTier: edit.knownTier,
    toTier: edit.crmTier,
    reason: edit.reason?.trim() || null,
    route: null,
    outcome: 'audited',
    code: null,
    score: context.score,
    recommendedTier: context.recommendedTier,
    approverRoles: [],
    approvalId: null,
    comment: null,
    ...overrides,
  });
  if (config.decisionRights.outOfAppEdits === 'audit') return { action: 'keep', audit: audit({}) };

  const request: TierChangeRequest = {
    accountId: edit.accountId,
    actor: edit.editedBy ?? UNKNOWN_EDITOR,
    fromTier: edit.knownTier,
    toTier: edit.crmTier,
    reason: edit.reason,
  };
  const routed = routeTierChange(request, context, config, now);
  switch (routed.outcome) {
    case 'applied':
      return { action: 'keep', audit: audit({ outcome: 'applied', route: routed.route }) };
    case 'needs_approval': {
      const approval = openApproval(approvalId, request, routed);
      return {
        action: 'revert',
        approval,
        audit: audit({
          outcome: 'reverted',
          route: routed.route,
          approverRoles: routed.approverRoles,
          approvalId,
        }),
      };
    }
    case 'rejected':
      return {
        action: 'revert',
        approval: null,
        audit: audit({ outcome: 'reverted', code: routed.code, comment: routed.message }),
      };
  }
}

/**
 * Who may run the programme's settings (governance config, role mapping, cost ledger, syncs) from inside a
 * CRM: the people who own the programme. Everyone else reads; an admin token bypasses this for the install.
 */
export const ADMINISTERING_ROLES: readonly Role[] = ['chief_abm_officer', 'abm_manager'];

export const mayAdminister = (roles: readonly Role[]): boolean =>
  roles.some((role) => ADMINISTERING_ROLES.includes(role));
