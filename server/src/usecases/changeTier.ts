import type {
  DomainError,
  GovernanceConfig,
  Instant,
  Result,
  SlaEvent,
  TierChangeDecision,
  TierChangeResponse,
  TierCounts,
  TierOrNone,
} from '@abm-pilot/shared';
import {
  approvalRequested,
  err,
  ok,
  openApproval,
  routeTierChange,
  seatLimitOfRoute,
  tierChangeResponseOf,
} from '@abm-pilot/shared';

import type { AccountContext, TierDecisionWrite } from '../store/ports.ts';
import type { CrmWrite, DecisionDeps } from './deliverDecision.ts';
import { deliverDecision } from './deliverDecision.ts';
import type { Person } from './rules.ts';
import {
  actorOf,
  approvalIdFor,
  calendarOf,
  clockStartOf,
  fingerprintOf,
  governanceConfigOf,
  loadAccount,
  requesterOf,
  withSlaEvents,
} from './rules.ts';

// A person asks for an account's tier to change (from the CRM card or the console): the decision rights
// route it (applied, sent for approval, or refused), the decision is recorded with its audit entry, its SLA
// clocks and its outbox entry in one transaction, and an applied change goes to the CRM at once.

export interface TierChangeInput {
  readonly tenantId: string;
  readonly accountCrmId: string;
  readonly person: Person;
  readonly toTier: TierOrNone;
  readonly reason: string | null;
  readonly idempotencyKey: string;
}

export interface TierChangeAnswer {
  /** The decision as first answered: a retry under the same key gets the same one. */
  readonly decision: TierChangeResponse;
  /** Where the CRM stands; `null` when the decision changes nothing there (an approval, a refusal). */
  readonly crmWrite: CrmWrite | null;
}

export type ChangeTierError = DomainError<
  'not_found' | 'not_configured' | 'conflict' | 'idempotency_key_reused'
>;

/** Seats taken or the account moved between reading and recording: route again on fresh data, a few times. */
const MAX_ATTEMPTS = 8;

export async function changeTier(
  deps: DecisionDeps,
  input: TierChangeInput,
): Promise<Result<TierChangeAnswer, ChangeTierError>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const now = deps.clock();
    const account = await loadAccount(deps.store, input.tenantId, input.accountCrmId, now);
    if (account === null) return err({ code: 'not_found', message: 'No such account.' });
    if (account.state.score === null) {
      return err({ code: 'not_configured', message: 'The account has not been synced and scored yet.' });
    }
    const config = await governanceConfigOf(deps.store, input.tenantId);
    const tierCounts = await deps.store.tierCounts(input.tenantId);
    const decided = decide(input, account, tierCounts, config, now);

    const recorded = await deps.store.recordTierDecision(input.tenantId, decided.write);
    if (!recorded.ok) {
      if (recorded.error.code === 'idempotency_key_reused') {
        return err({
          code: 'idempotency_key_reused',
          message: 'This idempotency key was used for a different request.',
        });
      }
      continue;
    }
    const decision =
      (recorded.value.replayed?.response.body as TierChangeResponse | undefined) ?? decided.response;
    const crmWrite =
      decision.outcome === 'applied' ? await deliverDecision(deps, input.tenantId, input.accountCrmId) : null;
    return ok({ decision, crmWrite });
  }
  return err({
    code: 'conflict',
    message: 'The account kept changing while the request was decided; send it again.',
  });
}

/** The rules applied to one reading of the account: the answer, and everything to record with it. */
function decide(
  input: TierChangeInput,
  account: AccountContext,
  tierCounts: TierCounts,
  config: GovernanceConfig,
  now: Instant,
): { readonly response: TierChangeResponse; readonly write: TierDecisionWrite } {
  const actor = actorOf(input.person);
  const request = {
    accountId: input.accountCrmId,
    actor: actor ?? requesterOf(input.person),
    fromTier: account.state.assignedTier,
    toTier: input.toTier,
    reason: input.reason,
  };
  const calendar = calendarOf(config, account.owner);
  const ruled = routeTierChange(
    request,
    {
      score: account.state.score?.score ?? null,
      recommendedTier: account.state.recommendedTier,
      tierCounts,
      hasPendingApproval: account.pendingApproval !== null,
      calendar,
    },
    config,
    now,
  );
  const routed = actor === null ? refusedWithoutRole(ruled) : ruled;
  const approval =
    routed.outcome === 'needs_approval'
      ? openApproval(approvalIdFor(input.accountCrmId, now), request, routed)
      : null;

  const start = clockStartOf(account, now);
  const events: SlaEvent[] = approval === null ? [] : [approvalRequested(approval)];
  if (start !== null && routed.outcome === 'applied' && input.toTier !== null) {
    events.push({ type: 'tier_entered', tier: input.toTier, ...start });
  }
  const response = tierChangeResponseOf(routed, approval);
  const seatLimit =
    routed.outcome === 'applied' ? seatLimitOfRoute(input.toTier, routed.route, config.tiers) : null;
  return {
    response,
    write: {
      accountCrmId: input.accountCrmId,
      basedOnRevision: account.state.revision,
      audit: { ...routed.audit, approvalId: approval?.id ?? null },
      ...(approval === null ? {} : { openApproval: approval }),
      ...(routed.outcome === 'applied' ? { assignTier: { tier: input.toTier, at: now } } : {}),
      ...(seatLimit !== null && input.toTier !== null
        ? { seatGuard: { tier: input.toTier, limit: seatLimit } }
        : {}),
      ...(events.length > 0
        ? { slaInstances: withSlaEvents(account.slaInstances, events, config, calendar) }
        : {}),
      idempotency: {
        key: input.idempotencyKey,
        fingerprint: fingerprintOf(
          'tier-change',
          input.accountCrmId,
          input.person.userId,
          input.toTier,
          input.reason,
        ),
        response: { status: 200, body: response },
        now,
      },
    },
  };
}

/** Someone without a governance role is refused, whatever the rules would have said of the role they lack. */
function refusedWithoutRole(ruled: TierChangeDecision): TierChangeDecision {
  return {
    outcome: 'rejected',
    code: 'not_allowed_for_role',
    message: 'You have no governance role in ABM Pilot; ask your CRM admin to map one.',
    audit: {
      ...ruled.audit,
      outcome: 'rejected',
      code: 'not_allowed_for_role',
      route: null,
      approverRoles: [],
    },
  };
}
