import type {
  AccountFacts,
  AccountScore,
  Actor,
  Approval,
  AuditEntry,
  BusinessHours,
  BuyingRole,
  GovernanceConfig,
  Instant,
  SlaEvent,
  SlaInstance,
  SlaStatus,
  TierCounts,
  TierDrift,
  TierLedger,
  TierOrNone,
  Vocabulary,
} from '@abm-pilot/shared';
import {
  applySlaEvent,
  approvalRequested,
  handoverEvents,
  fill,
  governOutOfAppEdit,
  isMqa,
  readCrmTier,
  recommendTier,
  scoreAccount,
  slaStatus,
  tierDrift,
  topReasons,
  weighEngagement,
} from '@abm-pilot/shared';

import type { AbmAccountFields, CrmAccount, CrmEngagement, CrmOwner, EngagementKind } from '../model.ts';
import { calendarOf } from '../usecases/rules.ts';

// One account's whole recomputation after a sync, as a pure function: score, recommended tier, drift, the
// governance of a tier edited in the CRM, SLA clocks started or stopped by what the sync saw, the alerts
// due, and the ABM field values the CRM should show. The sync use case loads the snapshot, calls this, and
// saves the result in one transaction.

export interface AccountSnapshot {
  readonly account: CrmAccount;
  readonly owner: CrmOwner | null;
  readonly buyingRoles: readonly BuyingRole[];
  readonly openPipeline: number;
  readonly wonAmount: number;
  readonly wonDeals: number;
  /** Engagements of the last 90 days. */
  readonly engagements: readonly CrmEngagement[];
  /** What ABM Pilot computed and decided before this sync; `null` for an account it has never seen. */
  readonly previous: {
    readonly recommendedTier: TierOrNone;
    /** The tier ABM Pilot last knew as assigned (what it wrote, or adopted, or applied). */
    readonly assignedTier: TierOrNone;
    readonly tieredAt: Instant | null;
    readonly mqa: boolean;
    readonly tierLedger: TierLedger;
  } | null;
  readonly slaInstances: readonly SlaInstance[];
  readonly hasPendingApproval: boolean;
  /** Who set the CRM's tier, when it was edited outside the app and the CRM's field history tells. */
  readonly tierEditor: Actor | null;
  /** A reason someone wrote in the CRM's tier reason field (ABM Pilot's own reasons are not theirs). */
  readonly editReason: string | null;
}

export interface ComputeContext {
  readonly config: GovernanceConfig;
  readonly now: Instant;
  /** Accounts per assigned tier across the tenant, for routing out-of-app edits in enforce mode. */
  readonly tierCounts: TierCounts;
  /** Id for an approval this computation opens; the caller's store issues it. */
  readonly newApprovalId: (accountCrmId: string) => string;
  /** The tenant's language: the tier reason is written in the CRM for everyone. */
  readonly words: Vocabulary;
}

export interface AccountComputation {
  readonly accountCrmId: string;
  readonly score: AccountScore;
  readonly recommendedTier: TierOrNone;
  readonly assignedTier: TierOrNone;
  readonly tieredAt: Instant | null;
  readonly drift: TierDrift;
  readonly mqa: boolean;
  readonly slaInstances: readonly SlaInstance[];
  readonly audit: readonly AuditEntry[];
  readonly approvals: readonly Approval[];
  /** What the CRM should show; `lastSyncAt` is stamped by the write-back, not compared. */
  readonly desired: Omit<AbmAccountFields, 'lastSyncAt'>;
  readonly tierLedger: TierLedger;
  /** What the CRM was seen holding, which replaces what ABM Pilot last wrote there. */
  readonly crmShows: Partial<AbmAccountFields>;
}

/** Engagement points by kind: a meeting says more about intent than an opened email. */
export const ENGAGEMENT_POINTS: Readonly<Record<EngagementKind, number>> = {
  email_open: 1,
  email_click: 3,
  web_visit: 2,
  form_submit: 10,
  email: 3,
  call: 8,
  meeting: 15,
};

/** Activities a seller logs: the first one after an MQA or a tier entry is the "first touch". */
const SALES_TOUCHES: ReadonlySet<EngagementKind> = new Set(['meeting', 'call', 'email']);

export function computeAccount(snapshot: AccountSnapshot, context: ComputeContext): AccountComputation {
  const { config, now } = context;
  const { account, owner } = snapshot;
  const calendar = calendarOf(config, owner);
  const happened = snapshot.engagements.filter((e) => e.done && e.occurredAt <= now);

  const score = scoreAccount(factsOf(snapshot, happened, config, now), config.scoring);
  const recommendedTier = recommendTier(
    score.score,
    snapshot.previous?.recommendedTier ?? null,
    config.tiers,
  );

  const governed = governTier(snapshot, score.score, recommendedTier, context, calendar);
  const mqa = isMqa(
    {
      tier: governed.assignedTier,
      engagements: happened.map((e) => ({
        contactId: e.contactCrmId ?? e.crmId,
        occurredAt: e.occurredAt,
        points: ENGAGEMENT_POINTS[e.kind],
      })),
      intentScore: account.intentScore,
    },
    now,
    config.mqa,
  ).qualified;

  const events = slaEvents(snapshot, governed, mqa, happened, now);
  let instances: readonly SlaInstance[] = snapshot.slaInstances;
  for (const event of events) {
    const applied = applySlaEvent(instances, event, config, () => calendar);
    // Only feedback events can fail (unknown reason code), and the sync never makes those.
    if (applied.ok) instances = applied.value;
  }

  return {
    accountCrmId: account.crmId,
    score,
    recommendedTier,
    assignedTier: governed.assignedTier,
    tieredAt: governed.tieredAt,
    drift: tierDrift(governed.assignedTier, recommendedTier),
    mqa,
    slaInstances: instances,
    audit: governed.audit,
    approvals: governed.approvals,
    tierLedger: governed.tierLedger,
    crmShows: governed.crmShows,
    desired: {
      tier: governed.assignedTier,
      score: Math.round(score.score * 10) / 10,
      slaStatus: worstStatus(instances, now),
      nextSlaDueAt: nextDue(instances, now),
      tierReason: governed.reason ?? reasonOf(score, context.words),
    },
  };
}

function factsOf(
  snapshot: AccountSnapshot,
  happened: readonly CrmEngagement[],
  config: GovernanceConfig,
  now: Instant,
): AccountFacts {
  const { account } = snapshot;
  return {
    annualRevenue: account.annualRevenue,
    employees: account.employees,
    pipelineAmount: snapshot.openPipeline + snapshot.wonAmount,
    engagementPoints: weighEngagement(
      happened.map((e) => ({ occurredAt: e.occurredAt, points: ENGAGEMENT_POINTS[e.kind] })),
      now,
      config.scoring.criteria.engagement,
    ),
    buyingRoles: snapshot.buyingRoles,
    existingCustomer: snapshot.wonDeals > 0,
    wonDeals: snapshot.wonDeals,
    industry: account.industry,
    region: account.region,
    strategic: account.strategic,
  };
}

interface GovernedTier {
  readonly assignedTier: TierOrNone;
  readonly tieredAt: Instant | null;
  /** Set when the tier changed in this sync: it entered a tier and its SLA clock starts. */
  readonly enteredTier: boolean;
  readonly audit: readonly AuditEntry[];
  readonly approvals: readonly Approval[];
  readonly reason: string | null;
  readonly tierLedger: TierLedger;
  readonly crmShows: Partial<AbmAccountFields>;
}

/** Whether the CRM's tier was changed outside the app since ABM Pilot last looked: the sync then asks who. */
export function tierEditedInCrm(snapshot: Pick<AccountSnapshot, 'account' | 'previous'>): boolean {
  const { account, previous } = snapshot;
  return (
    previous !== null && readCrmTier(account.crmTier, previous.assignedTier, previous.tierLedger) === 'edited'
  );
}

/**
 * The assigned tier after this sync. An account seen for the first time adopts the CRM's tier (nothing was
 * decided in ABM Pilot yet). Afterwards the CRM's tier is read against the decision and the ledger of what
 * ABM Pilot put there: its own decisions on their way to the CRM are no edits. A real edit is governed by
 * the mode: kept and audited, or (enforce) routed as its editor's request and put back unless it applies.
 */
function governTier(
  snapshot: AccountSnapshot,
  score: number,
  recommendedTier: TierOrNone,
  context: ComputeContext,
  calendar: BusinessHours,
): GovernedTier {
  const { account, previous } = snapshot;
  const { now, config } = context;
  if (previous === null) {
    return {
      assignedTier: account.crmTier,
      tieredAt: account.crmTier === null ? null : now,
      enteredTier: false,
      audit: [],
      approvals: [],
      reason: null,
      tierLedger: [],
      crmShows: {},
    };
  }
  const known = previous.assignedTier;
  const unchanged = {
    assignedTier: known,
    tieredAt: previous.tieredAt,
    enteredTier: false,
    audit: [],
    approvals: [],
    reason: null,
  };
  switch (readCrmTier(account.crmTier, known, previous.tierLedger)) {
    case 'in_sync':
      return { ...unchanged, tierLedger: [], crmShows: { tier: known } };
    case 'catching_up':
      return { ...unchanged, tierLedger: previous.tierLedger, crmShows: {} };
    case 'edited':
      break;
  }
  const verdict = governOutOfAppEdit(
    {
      accountId: account.crmId,
      knownTier: known,
      crmTier: account.crmTier,
      editedBy: snapshot.tierEditor,
      reason: snapshot.editReason,
    },
    {
      score,
      recommendedTier,
      tierCounts: context.tierCounts,
      hasPendingApproval: snapshot.hasPendingApproval,
      calendar,
    },
    config,
    now,
    context.newApprovalId(account.crmId),
  );
  const crmShows = { tier: account.crmTier };
  if (verdict.action === 'keep') {
    return {
      assignedTier: account.crmTier,
      tieredAt: account.crmTier === null ? null : now,
      enteredTier: account.crmTier !== null,
      audit: [verdict.audit],
      approvals: [],
      reason:
        verdict.audit.outcome === 'applied'
          ? context.words.tierReason.editWithinRules
          : context.words.tierReason.editAudited,
      tierLedger: [],
      crmShows,
    };
  }
  return {
    ...unchanged,
    audit: [verdict.audit],
    approvals: verdict.approval === null ? [] : [verdict.approval],
    reason:
      verdict.approval === null
        ? fill(context.words.tierReason.editRefused, {
            why: verdict.audit.comment ?? verdict.audit.code ?? '',
          })
        : context.words.tierReason.editReverted,
    // The CRM shows the edit until the revert lands: seeing it again meanwhile is no second edit.
    tierLedger: previous.tierLedger.includes(account.crmTier)
      ? previous.tierLedger
      : [...previous.tierLedger, account.crmTier],
    crmShows,
  };
}

function slaEvents(
  snapshot: AccountSnapshot,
  governed: GovernedTier,
  mqa: boolean,
  happened: readonly CrmEngagement[],
  now: Instant,
): SlaEvent[] {
  const ownerId = snapshot.account.ownerCrmId;
  const tier = governed.assignedTier;
  const events: SlaEvent[] = [];
  if (ownerId !== null && tier !== null) {
    const start = {
      accountId: snapshot.account.crmId,
      ownerId,
      managerId: snapshot.owner?.managerCrmId ?? null,
      at: now,
    };
    if (governed.enteredTier) events.push({ type: 'tier_entered', tier, ...start });
    // Becoming marketing-qualified is the handover: sales owes a first touch and an answer to it.
    if (mqa && !(snapshot.previous?.mqa ?? false)) events.push(...handoverEvents({ tier, ...start }));
  }
  events.push(...governed.approvals.map(approvalRequested));
  // Every touch that took place answers the follow-up clock running when it did, in the order they took
  // place, however late they were logged: the SLA engine ignores a touch older than a clock's start.
  const touches = happened
    .filter((e) => SALES_TOUCHES.has(e.kind))
    .map((e) => e.occurredAt)
    .sort((a, b) => a - b);
  for (const at of touches) events.push({ type: 'first_touch', accountId: snapshot.account.crmId, at });
  return events;
}

const SEVERITY: Readonly<Record<SlaStatus, number>> = { breached: 3, at_risk: 2, on_track: 1, met: 0 };

/**
 * The status a rep should see first: the worst of the account's running clocks; when none runs, how the
 * last one to stop ended (a clock breached a year ago must not mark the account for good); `null` when
 * none ever ran.
 */
function worstStatus(instances: readonly SlaInstance[], now: Instant): SlaStatus | null {
  let worst: SlaStatus | null = null;
  let lastStopped: SlaInstance | null = null;
  for (const instance of instances) {
    if (instance.stoppedAt !== null && instance.stoppedAt <= now) {
      if (lastStopped === null || instance.stoppedAt > lastStopped.stoppedAt!) lastStopped = instance;
      continue;
    }
    const status = slaStatus(instance, now);
    if (worst === null || SEVERITY[status] > SEVERITY[worst]) worst = status;
  }
  return worst ?? (lastStopped === null ? null : slaStatus(lastStopped, now));
}

function nextDue(instances: readonly SlaInstance[], now: Instant): Instant | null {
  let next: Instant | null = null;
  for (const instance of instances) {
    if (instance.stoppedAt !== null && instance.stoppedAt <= now) continue;
    if (next === null || instance.dueAt < next) next = instance.dueAt;
  }
  return next;
}

function reasonOf(score: AccountScore, words: Vocabulary): string {
  const reasons = topReasons(score, 3).map((c) => words.criterionReason[c.criterion]);
  const rounded = Math.round(score.score);
  return reasons.length === 0
    ? fill(words.tierReason.score, { score: rounded })
    : fill(words.tierReason.scoreWithReasons, { score: rounded, reasons: reasons.join(', ') });
}
