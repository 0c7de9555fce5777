import type { Actor, GovernanceConfig, Instant, TierCounts, TierOrNone } from '@abm-pilot/shared';
import { DAY_MS, DEFAULT_LOCALE, vocabularyOf } from '@abm-pilot/shared';

import type { CrmConnector } from '../connectors/ports.ts';
import type { AccountContext, Store } from '../store/ports.ts';
import type { AccountComputation, AccountSnapshot } from '../sync/computeAccount.ts';
import { computeAccount, tierEditedInCrm } from '../sync/computeAccount.ts';
import { approvalIdFor, ENGAGEMENT_WINDOW_MS, requesterOf } from './rules.ts';

// The compute step: accounts whose picture changed (a pull, a decision, a running clock) are scored,
// tiered and governed again from what the store holds, and saved in one transaction per batch together
// with their audit entries and approvals. The tasks their clocks call for are the alert step's.

export interface RecomputeDeps {
  readonly store: Store;
  readonly connector: CrmConnector;
  readonly clock: () => Instant;
}

export interface Recomputed {
  readonly saved: number;
  /** Accounts changed under the batch (a decision landed): nothing was saved; read them again. */
  readonly stale: readonly string[];
}

/** Recomputes `accountCrmIds` (removed or unknown ones are skipped) and saves them as one batch. */
export async function recomputeAccounts(
  deps: RecomputeDeps,
  accountCrmIds: readonly string[],
  config: GovernanceConfig,
): Promise<Recomputed> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  const now = deps.clock();
  const contexts = await store.loadAccountContexts(tenantId, accountCrmIds, now - ENGAGEMENT_WINDOW_MS);
  if (contexts.length === 0) return { saved: 0, stale: [] };
  const editors = await tierEditorsOf(deps, contexts);
  // Counted once and kept current through the batch: an edit kept in enforce mode takes a seat.
  const tierCounts: Record<keyof TierCounts, number> = { ...(await store.tierCounts(tenantId)) };
  const words = vocabularyOf(connector.tenant.language ?? DEFAULT_LOCALE);
  const results = contexts.map((context) => {
    const result = computeAccount(snapshotOf(context, config, now, editors.get(context.account.crmId)), {
      config,
      now,
      tierCounts,
      newApprovalId: (crmId) => approvalIdFor(crmId, now),
      words,
    });
    moveSeat(
      tierCounts,
      context.state.score === null ? null : context.state.assignedTier,
      result.assignedTier,
    );
    return result;
  });
  const saved = await store.saveComputation(tenantId, {
    accounts: results.map((result, i) => storedComputation(result, contexts[i]!, now)),
    audit: results.flatMap((result) => result.audit),
    approvals: results.flatMap((result) => result.approvals),
  });
  return saved.ok ? { saved: saved.value.saved, stale: [] } : { saved: 0, stale: saved.error.accountCrmIds };
}

function moveSeat(counts: Record<keyof TierCounts, number>, from: TierOrNone, to: TierOrNone): void {
  if (from === to) return;
  if (from !== null) counts[from] -= 1;
  if (to !== null) counts[to] += 1;
}

/**
 * Who changed the tier of the accounts whose CRM tier was edited outside the app, from the CRM's field
 * history, as the actors they are in ABM Pilot (their mapped role, or the least-privileged one). Only the
 * change that set the value the sync saw names its editor; without one the edit is anonymous.
 */
async function tierEditorsOf(
  deps: RecomputeDeps,
  contexts: readonly AccountContext[],
): Promise<ReadonlyMap<string, Actor>> {
  const edited = contexts.filter((context) =>
    tierEditedInCrm({ account: context.account, previous: previousOf(context, false) }),
  );
  if (edited.length === 0) return new Map();
  const tenantId = deps.connector.tenant.id;
  const changes = await deps.connector.tierFieldChanges(edited.map((context) => context.account.crmId));
  const editors = new Map<string, Actor>();
  for (const context of edited) {
    const change = changes.get(context.account.crmId);
    if (change === undefined || change.editorId === null || change.value !== context.account.crmTier)
      continue;
    const owner =
      change.editorKind === 'login_user'
        ? await deps.store.ownerOfLoginUser(tenantId, change.editorId)
        : await deps.store.getOwner(tenantId, change.editorId);
    if (owner === null) continue;
    const roles = await deps.store.rolesOf(tenantId, owner.crmId);
    editors.set(context.account.crmId, requesterOf({ userId: owner.crmId, roles }));
  }
  return editors;
}

function previousOf(context: AccountContext, mqa: boolean): AccountSnapshot['previous'] {
  const { state } = context;
  if (state.score === null) return null;
  return {
    recommendedTier: state.recommendedTier,
    assignedTier: state.assignedTier,
    tieredAt: state.tieredAt,
    mqa,
    tierLedger: state.tierLedger,
  };
}

function snapshotOf(
  context: AccountContext,
  config: GovernanceConfig,
  now: Instant,
  tierEditor: Actor | undefined,
): AccountSnapshot {
  const mqaWindowStart = now - config.mqa.windowDays * DAY_MS;
  return {
    account: context.account,
    owner: context.owner,
    buyingRoles: context.buyingRoles,
    openPipeline: context.deals.openAmount,
    wonAmount: context.deals.wonAmount,
    wonDeals: context.deals.wonCount,
    engagements: context.engagements,
    // An MQA is one handover per qualification window, not one per sync; a handover made from the card
    // in the window counts too, so sales is not asked twice about the same account.
    previous: previousOf(
      context,
      context.slaInstances.some(
        (instance) => instance.kind === 'sales_feedback' && instance.startedAt > mqaWindowStart,
      ),
    ),
    slaInstances: context.slaInstances,
    hasPendingApproval: context.pendingApproval !== null,
    tierEditor: tierEditor ?? null,
    editReason: editReasonOf(context),
  };
}

/**
 * The tier reason the CRM holds when someone other than ABM Pilot wrote it: any of ABM Pilot's own reasons
 * (written, or about to be; possibly cut to the CRM's field length) is not an editor's reason.
 */
function editReasonOf(context: AccountContext): string | null {
  const reason = context.account.crmTierReason?.trim() ?? '';
  if (reason === '') return null;
  const ours = [context.writeBack.written.tierReason, context.writeBack.desired?.tierReason];
  return ours.some((own) => typeof own === 'string' && own.startsWith(reason)) ? null : reason;
}

function storedComputation(result: AccountComputation, context: AccountContext, now: Instant) {
  const previous = context.writeBack.desired;
  const unchanged =
    previous !== null &&
    previous.tier === result.desired.tier &&
    previous.score === result.desired.score &&
    previous.slaStatus === result.desired.slaStatus &&
    previous.nextSlaDueAt === result.desired.nextSlaDueAt &&
    previous.tierReason === result.desired.tierReason;
  return {
    accountCrmId: result.accountCrmId,
    basedOnRevision: context.state.revision,
    score: result.score,
    computedAt: now,
    recommendedTier: result.recommendedTier,
    drift: result.drift,
    assignedTier: result.assignedTier,
    tieredAt: result.tieredAt,
    lastReviewedAt: context.state.lastReviewedAt,
    slaInstances: result.slaInstances,
    // The sync stamp rides along with real changes only: otherwise every sync would rewrite every account.
    desiredFields: { ...result.desired, lastSyncAt: unchanged ? previous.lastSyncAt : now },
    tierLedger: result.tierLedger,
    crmShows: result.crmShows,
  };
}
