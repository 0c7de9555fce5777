import type {
  AccountCardResponse,
  AccountOwnerView,
  OwnershipRole,
  CardActions,
  GovernanceConfig,
  Instant,
  SlaInstance,
  TierOrNone,
} from '@abm-pilot/shared';
import {
  accountCardContract,
  approvalToView,
  handoverContract,
  handoverFeedbackContract,
  instantToIso,
  mayRecordReview,
  mayRequestChanges,
  missingSignals,
  reasonRequired,
  recordReviewContract,
  reviewStatus,
  reviewStatusToView,
  scoreToView,
  slaInstanceToView,
  tierChangeContract,
  tierDrift,
  TIERS,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import type { AccountCard, CardPerson } from '../../store/ports.ts';
import { changeTier } from '../../usecases/changeTier.ts';
import { handOver, handoverRefusal } from '../../usecases/handOver.ts';
import { recordHandoverFeedback } from '../../usecases/recordHandoverFeedback.ts';
import { recordReview } from '../../usecases/recordReview.ts';
import type { CardUser } from '../auth.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { actorOf } from '../../usecases/rules.ts';
import { configOf, namesOf } from './caller.ts';
import type { ApiDeps } from './index.ts';

export function registerAccountRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, accountCardContract, deps, async ({ params, query, caller, now }) => {
    const card = await deps.store.accountCard(caller.tenant.id, params.crmId);
    if (!card) return failure('not_found', 'No such account.');
    const config = await configOf(deps.store, caller.tenant.id);
    const revised = query.apiRevision >= 3;
    const people = [
      card.pendingApproval?.requestedBy ?? null,
      revised ? (card.lastReview?.actor ?? null) : null,
    ];
    const nameOf = people.some((person) => person !== null)
      ? await namesOf(deps.store, caller.tenant.id, people)
      : () => null;
    const view = cardView(card, caller.tenant, caller.user, config, now, nameOf, query.apiRevision);
    return success(revised ? withReview(view, card, caller.user, config, now, nameOf) : view);
  });

  bindRoute(router, tierChangeContract, deps, async ({ params, query, body, caller }) => {
    const answered = await changeTier(deps, {
      tenantId: caller.tenant.id,
      accountCrmId: params.crmId,
      person: caller.user,
      toTier: body.toTier,
      reason: body.reason ?? null,
      idempotencyKey: body.idempotencyKey,
    });
    if (!answered.ok) return failure(answered.error.code, answered.error.message);
    const { decision, crmWrite } = answered.value;
    return success(
      decision.outcome === 'applied' && crmWrite !== null && query.apiRevision >= 2
        ? { ...decision, crmWrite }
        : decision,
    );
  });

  bindRoute(router, handoverContract, deps, async ({ params, body, caller }) => {
    const handed = await handOver(deps, {
      tenantId: caller.tenant.id,
      accountCrmId: params.crmId,
      person: caller.user,
      idempotencyKey: body.idempotencyKey,
    });
    return handed.ok ? success(handed.value) : failure(handed.error.code, handed.error.message);
  });

  bindRoute(router, handoverFeedbackContract, deps, async ({ params, body, caller }) => {
    const recorded = await recordHandoverFeedback(deps, {
      tenantId: caller.tenant.id,
      accountCrmId: params.crmId,
      person: caller.user,
      decision: body.decision,
      reasonCode: body.reasonCode,
      idempotencyKey: body.idempotencyKey ?? null,
    });
    return recorded.ok ? success(recorded.value) : failure(recorded.error.code, recorded.error.message);
  });

  bindRoute(router, recordReviewContract, deps, async ({ params, body, caller }) => {
    const recorded = await recordReview(deps, {
      tenantId: caller.tenant.id,
      accountCrmId: params.crmId,
      person: caller.user,
      note: body.note ?? null,
      idempotencyKey: body.idempotencyKey,
    });
    return recorded.ok ? success(recorded.value) : failure(recorded.error.code, recorded.error.message);
  });
}

function cardView(
  card: AccountCard,
  tenant: { crm: 'hubspot' | 'salesforce'; externalId: string },
  user: CardUser,
  config: GovernanceConfig,
  now: Instant,
  nameOf: (userId: string) => string | null,
  apiRevision: number,
): AccountCardResponse {
  const computed = card.state.score !== null;
  const assigned = computed ? card.state.assignedTier : card.account.crmTier;
  const recommended = computed ? card.state.recommendedTier : null;
  const drift = tierDrift(assigned, recommended);
  const running = (instance: SlaInstance) => instance.stoppedAt === null || instance.stoppedAt > now;
  const slas = [...card.slaInstances]
    .sort(
      (a, b) =>
        Number(running(b)) - Number(running(a)) ||
        (b.stoppedAt ?? b.startedAt) - (a.stoppedAt ?? a.startedAt),
    )
    .map((instance) => slaInstanceToView(instance, now));
  return {
    crm: {
      system: tenant.crm,
      tenantExternalId: tenant.externalId,
      crmId: card.account.crmId,
      name: card.account.name,
    },
    viewer: { userId: user.userId, name: user.name, governanceRoles: [...user.roles] },
    tier: { assigned, recommended, drift: { steps: drift.steps, direction: drift.direction } },
    score: card.state.score
      ? {
          ...scoreToView(card.state.score),
          // Revision 4: installed cards of earlier revisions parse the score strictly.
          ...(apiRevision >= 4 ? { missingSignals: missingSignals(card.account) } : {}),
        }
      : null,
    slas,
    owners: ownersOf(card, assigned),
    pendingApproval: card.pendingApproval ? approvalToView(card.pendingApproval, nameOf) : null,
    lastSyncAt: card.lastSyncAt === null ? null : instantToIso(card.lastSyncAt),
    actions: actionsOf(card, user, config, assigned, recommended, now, apiRevision),
  };
}

/** The CRM owner, the ABM owner, and for a tier 1 account its executive sponsor: whoever the CRM names. */
function ownersOf(card: AccountCard, assigned: TierOrNone): AccountOwnerView[] {
  const owners: AccountOwnerView[] = [];
  if (card.owner) {
    owners.push({
      role: 'account_owner',
      userId: card.owner.crmId,
      name: card.owner.name,
      governanceRoles: [...card.ownerRoles],
    });
  }
  const person = (role: OwnershipRole, who: CardPerson): AccountOwnerView => ({
    role,
    userId: who.crmId,
    name: who.name,
    governanceRoles: [...who.roles],
  });
  if (card.abmOwner) owners.push(person('abm_owner', card.abmOwner));
  if (card.executiveSponsor && assigned === 'tier_1')
    owners.push(person('executive_sponsor', card.executiveSponsor));
  return owners;
}

function actionsOf(
  card: AccountCard,
  user: CardUser,
  config: GovernanceConfig,
  assigned: TierOrNone,
  recommended: TierOrNone,
  now: Instant,
  apiRevision: number,
): CardActions {
  const actor = actorOf(user);
  const mayRequest =
    actor !== null && mayRequestChanges(actor.role, config.decisionRights) && card.pendingApproval === null;
  const targets: TierOrNone[] = [...TIERS, null];
  return {
    tierChange: {
      allowed: mayRequest && card.state.score !== null,
      targets: targets
        .filter((tier) => tier !== assigned)
        .map((tier) => ({
          tier,
          reasonRequired: reasonRequired(tier, recommended, config.decisionRights),
        })),
    },
    handoverFeedback: {
      pending:
        card.account.ownerCrmId === user.userId &&
        card.slaInstances.some(
          (instance) =>
            instance.kind === 'sales_feedback' && (instance.stoppedAt === null || instance.stoppedAt > now),
        ),
      reasonCodes: {
        accepted: [...config.sla.handoverReasonCodes.accepted],
        rejected: [...config.sla.handoverReasonCodes.rejected],
      },
    },
    ...(apiRevision >= 3
      ? { handover: { allowed: card.state.score !== null && handoverRefusal(card, user, now) === null } }
      : {}),
  };
}

/**
 * API revision 3: the account's portfolio review clock, and whether the user may record a review. The
 * clock runs once the account is computed and targeted; before, the card shows none.
 */
function withReview(
  view: AccountCardResponse,
  card: AccountCard,
  user: CardUser,
  config: GovernanceConfig,
  now: Instant,
  nameOf: (userId: string) => string | null,
): AccountCardResponse {
  const computed = card.state.score !== null;
  const tier = card.state.assignedTier;
  const { lastReviewedAt, tieredAt } = card.state;
  const status =
    computed && tieredAt !== null
      ? reviewStatus({ tier, lastReviewedAt, tieredAt }, config.tiers, now)
      : null;
  const allowed = status !== null && mayRecordReview(user, { tier, abmOwnerId: card.account.abmOwnerCrmId });
  return {
    ...view,
    actions: { ...view.actions, review: { allowed } },
    review: status === null ? null : reviewStatusToView(status, card.lastReview?.actor ?? null, nameOf),
  };
}
