import { randomUUID } from 'node:crypto';

import type {
  AccountCardResponse,
  AccountOwnerView,
  OwnershipRole,
  Approval,
  CardActions,
  GovernanceConfig,
  Instant,
  SlaInstance,
  TierChangeDecision,
  TierOrNone,
} from '@abm-pilot/shared';
import {
  accountCardContract,
  applySlaEvent,
  approvalToView,
  DAY_MS,
  handoverFeedbackContract,
  instantToIso,
  openApproval,
  routeTierChange,
  scoreToView,
  slaInstanceToView,
  tierChangeContract,
  tierChangeResponseOf,
  tierDrift,
  tierRank,
  TIERS,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import type { AccountCard, CardPerson } from '../../store/ports.ts';
import type { CardUser } from '../auth.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { actorOf, calendarOf, configOf, fingerprintOf, withSlaEvents } from './caller.ts';
import type { ApiDeps } from './index.ts';

const ENGAGEMENT_WINDOW_MS = 90 * DAY_MS;

export function registerAccountRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, accountCardContract, deps, async ({ params, caller, now }) => {
    const card = await deps.store.accountCard(caller.tenant.id, params.crmId);
    if (!card) return failure('not_found', 'No such account.');
    const config = await configOf(deps.store, caller.tenant.id);
    return success(cardView(card, caller.tenant, caller.user, config, now));
  });

  bindRoute(router, tierChangeContract, deps, async ({ params, body, caller, now }) => {
    const tenantId = caller.tenant.id;
    const [context] = await deps.store.loadAccountContexts(
      tenantId,
      [params.crmId],
      now - ENGAGEMENT_WINDOW_MS,
    );
    if (!context) return failure('not_found', 'No such account.');
    if (context.state.score === null)
      return failure('not_configured', 'The account has not been synced and scored yet.');
    const config = await configOf(deps.store, tenantId);
    const actor = actorOf(caller.user);
    const request = {
      accountId: params.crmId,
      // A user without a mapped governance role is refused by the rules, as the least-privileged role would be.
      actor: actor ?? { userId: caller.user.userId, role: 'sales_rep' as const },
      fromTier: context.state.assignedTier,
      toTier: body.toTier,
      reason: body.reason ?? null,
    };
    const calendar = calendarOf(config, context.owner);
    const routingContext = {
      score: context.state.score.score,
      recommendedTier: context.state.recommendedTier,
      tierCounts: await deps.store.tierCounts(tenantId),
      hasPendingApproval: context.pendingApproval !== null,
      calendar,
    };
    const ruled = routeTierChange(request, routingContext, config, now);
    const routed: TierChangeDecision =
      actor === null
        ? {
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
          }
        : ruled;

    let approval: Approval | null = null;
    let slaInstances: readonly SlaInstance[] | undefined;
    const ownerId = context.account.ownerCrmId;
    const start = {
      accountId: params.crmId,
      ownerId: ownerId ?? '',
      managerId: context.owner?.managerCrmId ?? null,
      at: now,
    };
    if (routed.outcome === 'needs_approval') {
      approval = openApproval(`apr_${randomUUID()}`, request, routed);
      if (ownerId)
        slaInstances = withSlaEvents(
          context.slaInstances,
          { type: 'approval_requested', approvalId: approval.id, tier: approval.toTier, ...start },
          config,
          calendar,
        );
    }
    if (routed.outcome === 'applied' && body.toTier !== null && ownerId) {
      slaInstances = withSlaEvents(
        context.slaInstances,
        { type: 'tier_entered', tier: body.toTier, ...start },
        config,
        calendar,
      );
    }
    const response = tierChangeResponseOf(routed, approval);
    const recorded = await deps.store.recordTierDecision(tenantId, {
      accountCrmId: params.crmId,
      basedOnRevision: context.state.revision,
      audit: { ...routed.audit, approvalId: approval?.id ?? null },
      ...(approval ? { openApproval: approval } : {}),
      ...(routed.outcome === 'applied' ? { assignTier: { tier: body.toTier, at: now } } : {}),
      ...(slaInstances ? { slaInstances } : {}),
      idempotency: {
        key: body.idempotencyKey,
        fingerprint: fingerprintOf(
          'tier-change',
          params.crmId,
          caller.user.userId,
          body.toTier,
          body.reason ?? null,
        ),
        response: { status: 200, body: response },
        now,
      },
    });
    if (!recorded.ok) {
      return recorded.error.code === 'idempotency_key_reused'
        ? failure('idempotency_key_reused', 'This idempotency key was used for a different request.')
        : failure('conflict', 'The account changed while the request was decided; send it again.');
    }
    if (recorded.value.replayed) return success(recorded.value.replayed.response.body as typeof response);
    // An applied change reaches the CRM with the next write-back; start it now rather than at the next tick.
    if (routed.outcome === 'applied') void deps.triggerSync(tenantId).catch(() => undefined);
    return success(response);
  });

  bindRoute(router, handoverFeedbackContract, deps, async ({ params, body, caller, now }) => {
    const tenantId = caller.tenant.id;
    const [context] = await deps.store.loadAccountContexts(
      tenantId,
      [params.crmId],
      now - ENGAGEMENT_WINDOW_MS,
    );
    if (!context) return failure('not_found', 'No such account.');
    if (context.account.ownerCrmId !== caller.user.userId) {
      return failure('forbidden', 'Only the account owner answers a handover.');
    }
    const config = await configOf(deps.store, tenantId);
    const applyResult = applySlaEvent(
      context.slaInstances,
      {
        type: 'feedback',
        accountId: params.crmId,
        decision: body.decision,
        reasonCode: body.reasonCode,
        at: now,
      },
      config,
      () => calendarOf(config, context.owner),
    );
    if (!applyResult.ok) return failure('unknown_reason_code', applyResult.error.message);
    const stopped = applyResult.value.find(
      (instance) =>
        instance.kind === 'sales_feedback' &&
        instance.stoppedAt === now &&
        !context.slaInstances.includes(instance),
    );
    const response = {
      decision: body.decision,
      reasonCode: body.reasonCode,
      recordedAt: instantToIso(now),
      sla: stopped ? slaInstanceToView(stopped, now) : null,
    };
    const recorded = await deps.store.recordHandoverFeedback(tenantId, {
      feedback: {
        accountCrmId: params.crmId,
        decision: body.decision,
        reasonCode: body.reasonCode,
        at: now,
        actor: { userId: caller.user.userId, role: actorOf(caller.user)?.role ?? 'sales_rep' },
      },
      basedOnRevision: context.state.revision,
      slaInstances: applyResult.value,
      ...(body.idempotencyKey
        ? {
            idempotency: {
              key: body.idempotencyKey,
              fingerprint: fingerprintOf(
                'handover',
                params.crmId,
                caller.user.userId,
                body.decision,
                body.reasonCode,
              ),
              response: { status: 200, body: response },
              now,
            },
          }
        : {}),
    });
    if (!recorded.ok) {
      return recorded.error.code === 'idempotency_key_reused'
        ? failure('idempotency_key_reused', 'This idempotency key was used for a different request.')
        : failure('conflict', 'The account changed meanwhile; send the answer again.');
    }
    if (recorded.value.replayed) return success(recorded.value.replayed.response.body as typeof response);
    return success(response);
  });
}

function cardView(
  card: AccountCard,
  tenant: { crm: 'hubspot' | 'salesforce'; externalId: string },
  user: CardUser,
  config: GovernanceConfig,
  now: Instant,
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
    score: card.state.score ? scoreToView(card.state.score) : null,
    slas,
    owners: ownersOf(card, assigned),
    pendingApproval: card.pendingApproval ? approvalToView(card.pendingApproval) : null,
    lastSyncAt: card.lastSyncAt === null ? null : instantToIso(card.lastSyncAt),
    actions: actionsOf(card, user, config, assigned, recommended, now),
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
): CardActions {
  const actor = actorOf(user);
  const mayRequest =
    actor !== null && config.decisionRights.roles[actor.role].mayRequest && card.pendingApproval === null;
  const targets: TierOrNone[] = [...TIERS, null];
  return {
    tierChange: {
      allowed: mayRequest && card.state.score !== null,
      targets: targets
        .filter((tier) => tier !== assigned)
        .map((tier) => ({
          tier,
          reasonRequired:
            Math.abs(tierRank(tier) - tierRank(recommended)) >
            config.decisionRights.reasonRequiredBeyondSteps,
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
  };
}
