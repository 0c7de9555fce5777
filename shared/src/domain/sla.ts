import { DateTime } from 'luxon';

import type { BusinessHours, GovernanceConfig } from '../config/schema.ts';
import type {
  AccountSlaKind,
  ApprovalState,
  HandoverDecision,
  Role,
  SlaStatus,
  Tier,
  TierOrNone,
} from '../config/vocabulary.ts';
import { ROLES } from '../config/vocabulary.ts';
import { addBusinessHours, businessHoursPerDay } from './businessTime.ts';
import type { Approval } from './decisions.ts';
import type { DomainError, Result } from './result.ts';
import { err, ok } from './result.ts';
import type { Instant } from './time.ts';

/**
 * One running or stopped SLA clock on one account. Its deadlines are fixed when it starts, on the
 * responsible person's business hours, so a later config change does not move clocks already running.
 */
export interface SlaInstance {
  /** `${kind}:${accountId}:${startedAt}`: the same start always yields the same key. */
  readonly key: string;
  readonly kind: AccountSlaKind;
  readonly accountId: string;
  /** The account's tier when the clock started; an approval may concern an untargeted account. */
  readonly tier: TierOrNone;
  /** Who must act: the account owner, or the approver for an approval. */
  readonly ownerId: string;
  /** Who is escalated to; without one a breach stays with the owner. */
  readonly managerId: string | null;
  /** Set for `approval_decision` only: the approval whose decision stops the clock. */
  readonly approvalId: string | null;
  readonly startedAt: Instant;
  readonly dueAt: Instant;
  readonly atRiskAt: Instant;
  readonly escalateAt: Instant;
  readonly stoppedAt: Instant | null;
  /** `first_touch`, the handover reason code, or the approval outcome. */
  readonly stopReason: string | null;
  /** Set when a `sales_feedback` clock is stopped: feeds the marketing-side acceptance rate. */
  readonly handoverDecision: HandoverDecision | null;
}

export interface ClockStart {
  readonly accountId: string;
  readonly ownerId: string;
  readonly managerId: string | null;
  readonly at: Instant;
}

/** What starts or stops SLA clocks. Each is an occurrence with its own time `at`. */
export type SlaEvent =
  | (ClockStart & { readonly type: 'mqa_raised'; readonly tier: Tier })
  | (ClockStart & { readonly type: 'tier_entered'; readonly tier: Tier })
  | (ClockStart & { readonly type: 'handover'; readonly tier: Tier })
  | {
      readonly type: 'approval_requested';
      readonly accountId: string;
      readonly approvalId: string;
      readonly tier: TierOrNone;
      /** Who may decide it (see `approvalParties`): the account's owner need not be one of them. */
      readonly approverRoles: readonly Role[];
      readonly at: Instant;
    }
  | { readonly type: 'first_touch'; readonly accountId: string; readonly at: Instant }
  | {
      readonly type: 'feedback';
      readonly accountId: string;
      readonly decision: HandoverDecision;
      readonly reasonCode: string;
      readonly at: Instant;
    }
  | {
      readonly type: 'decision';
      readonly accountId: string;
      readonly approvalId: string;
      readonly outcome: Exclude<ApprovalState, 'pending'>;
      readonly at: Instant;
    };

export type UnknownReasonCode = DomainError<'unknown_reason_code'> & {
  readonly decision: HandoverDecision;
  readonly reasonCode: string;
  readonly allowed: readonly string[];
};
export type SlaEventError = UnknownReasonCode;

/**
 * Applies one event to the instances of its account (instances of other accounts pass through
 * untouched; the scan is linear, so callers pass one account's instances). A start changes nothing when
 * a clock of its account and kind is still running, or when its own instance exists already, even
 * stopped, so replays are harmless. A stop only stops a clock started at or before it: a touch that
 * predates an MQA does not answer it. When nothing changes the input array itself is returned.
 */
export function applySlaEvent(
  instances: readonly SlaInstance[],
  event: SlaEvent,
  config: GovernanceConfig,
  calendarFor: (ownerId: string) => BusinessHours,
): Result<readonly SlaInstance[], SlaEventError> {
  switch (event.type) {
    case 'mqa_raised':
      return ok(start(instances, 'sales_follow_up', event, event.tier, null, config, calendarFor));
    case 'tier_entered':
      return ok(
        tighten(
          start(instances, 'sales_follow_up', event, event.tier, null, config, calendarFor),
          event,
          config,
          calendarFor,
        ),
      );
    case 'handover':
      return ok(start(instances, 'sales_feedback', event, event.tier, null, config, calendarFor));
    case 'approval_requested': {
      const parties = { accountId: event.accountId, at: event.at, ...approvalParties(event.approverRoles) };
      return ok(
        start(instances, 'approval_decision', parties, event.tier, event.approvalId, config, calendarFor),
      );
    }
    case 'first_touch':
      return ok(stop(instances, 'sales_follow_up', event.accountId, null, event.at, 'first_touch', null));
    case 'feedback': {
      const allowed = config.sla.handoverReasonCodes[event.decision];
      if (!allowed.includes(event.reasonCode)) {
        return err({
          code: 'unknown_reason_code',
          message: `"${event.reasonCode}" is not a reason code for ${event.decision} (expected one of ${allowed.join(', ')})`,
          decision: event.decision,
          reasonCode: event.reasonCode,
          allowed,
        });
      }
      return ok(
        stop(instances, 'sales_feedback', event.accountId, null, event.at, event.reasonCode, event.decision),
      );
    }
    case 'decision':
      return ok(
        stop(
          instances,
          'approval_decision',
          event.accountId,
          event.approvalId,
          event.at,
          event.outcome,
          null,
        ),
      );
  }
}

function start(
  instances: readonly SlaInstance[],
  kind: AccountSlaKind,
  event: ClockStart,
  tier: TierOrNone,
  approvalId: string | null,
  config: GovernanceConfig,
  calendarFor: (ownerId: string) => BusinessHours,
): readonly SlaInstance[] {
  const key = slaInstanceKey(kind, event.accountId, event.at);
  const startedAlready = instances.some(
    (instance) =>
      instance.key === key ||
      (instance.kind === kind && instance.accountId === event.accountId && instance.stoppedAt === null),
  );
  if (startedAlready) return instances;
  const opened = openSlaInstance(
    {
      kind,
      accountId: event.accountId,
      tier,
      ownerId: event.ownerId,
      managerId: event.managerId,
      approvalId,
      startedAt: event.at,
    },
    config,
    calendarFor(event.ownerId),
  );
  return [...instances, opened];
}

/**
 * An account entering a tier while its follow-up clock runs owes that tier's first touch: a clock started
 * for a lower tier (or an MQA) is held to the new tier's deadline from the entry when that comes sooner.
 * The clock keeps its key, so its tasks are updated rather than doubled, and a replayed entry changes nothing.
 */
function tighten(
  instances: readonly SlaInstance[],
  event: ClockStart & { readonly tier: Tier },
  config: GovernanceConfig,
  calendarFor: (ownerId: string) => BusinessHours,
): readonly SlaInstance[] {
  const index = instances.findIndex(
    (instance) =>
      instance.kind === 'sales_follow_up' &&
      instance.accountId === event.accountId &&
      instance.stoppedAt === null &&
      instance.startedAt < event.at,
  );
  if (index < 0) return instances;
  const running = instances[index] as SlaInstance;
  const entry = openSlaInstance(
    { ...running, tier: event.tier, startedAt: event.at },
    config,
    calendarFor(running.ownerId),
  );
  if (entry.dueAt >= running.dueAt) return instances;
  const tightened = instances.slice();
  tightened[index] = {
    ...running,
    tier: event.tier,
    dueAt: entry.dueAt,
    atRiskAt: Math.min(running.atRiskAt, entry.atRiskAt),
    escalateAt: Math.min(running.escalateAt, entry.escalateAt),
  };
  return tightened;
}

function stop(
  instances: readonly SlaInstance[],
  kind: AccountSlaKind,
  accountId: string,
  approvalId: string | null,
  at: Instant,
  reason: string,
  handoverDecision: HandoverDecision | null,
): readonly SlaInstance[] {
  const index = instances.findIndex(
    (instance) =>
      instance.kind === kind &&
      instance.accountId === accountId &&
      instance.stoppedAt === null &&
      instance.startedAt <= at &&
      (approvalId === null || instance.approvalId === approvalId),
  );
  if (index < 0) return instances;
  const stopped = instances.slice();
  stopped[index] = {
    ...(instances[index] as SlaInstance),
    stoppedAt: at,
    stopReason: reason,
    handoverDecision,
  };
  return stopped;
}

/**
 * An approval is answered by roles, not by one person: its clock names them as a role group
 * (`roles:abm_committee,chief_abm_officer`), which becomes the people holding those roles when alerts fall
 * due, so a role granted after the request still receives them.
 */
export const roleGroupOf = (roles: readonly Role[]): string =>
  `roles:${ROLES.filter((role) => roles.includes(role)).join(',')}`;

/** The roles a role group names; `null` for a person's id. */
export function rolesOfGroup(id: string): readonly Role[] | null {
  if (!id.startsWith('roles:')) return null;
  const named = id.slice('roles:'.length).split(',');
  return ROLES.filter((role) => named.includes(role));
}

/**
 * Who an approval's clock holds to account: those who may decide it act; a long overdue approval goes up
 * to the Chief ABM Officer, or to the whole committee when the Chief ABM Officer alone decides it.
 */
export function approvalParties(approverRoles: readonly Role[]): {
  readonly ownerId: string;
  readonly managerId: string;
} {
  const chiefAlone = approverRoles.length > 0 && approverRoles.every((role) => role === 'chief_abm_officer');
  return {
    ownerId: roleGroupOf(approverRoles),
    managerId: roleGroupOf(chiefAlone ? ['abm_committee'] : ['chief_abm_officer']),
  };
}

/**
 * Handing an account over to sales (it became marketing-qualified, or a marketer handed it over): sales
 * owes a first touch and an answer to the handover, so both clocks start.
 */
export const handoverEvents = (start: ClockStart & { readonly tier: Tier }): readonly SlaEvent[] => [
  { type: 'mqa_raised', ...start },
  { type: 'handover', ...start },
];

/** The event that starts an approval's clock, from the approval itself. */
export const approvalRequested = (
  approval: Pick<Approval, 'id' | 'accountId' | 'toTier' | 'approverRoles' | 'requestedAt'>,
): SlaEvent => ({
  type: 'approval_requested',
  accountId: approval.accountId,
  approvalId: approval.id,
  tier: approval.toTier,
  approverRoles: approval.approverRoles,
  at: approval.requestedAt,
});

export type SlaStart = Pick<
  SlaInstance,
  'kind' | 'accountId' | 'tier' | 'ownerId' | 'managerId' | 'approvalId' | 'startedAt'
>;

/** The same start always yields the same key, which is what makes replayed events harmless. */
export const slaInstanceKey = (kind: AccountSlaKind, accountId: string, startedAt: Instant): string =>
  `${kind}:${accountId}:${startedAt}`;

/**
 * A new running instance, its deadlines on `calendar` (the owner's business hours):
 * due = start + allowed; atRisk = start + allowed × atRiskRatio; escalate = due + allowed × escalationRatio,
 * all in business time.
 */
export function openSlaInstance(
  input: SlaStart,
  config: GovernanceConfig,
  calendar: BusinessHours,
): SlaInstance {
  const allowed = allowedBusinessHours(input.kind, input.tier, config, calendar);
  const dueAt = addBusinessHours(input.startedAt, allowed, calendar);
  return {
    key: slaInstanceKey(input.kind, input.accountId, input.startedAt),
    kind: input.kind,
    accountId: input.accountId,
    tier: input.tier,
    ownerId: input.ownerId,
    managerId: input.managerId,
    approvalId: input.approvalId,
    startedAt: input.startedAt,
    dueAt,
    atRiskAt: addBusinessHours(input.startedAt, allowed * config.sla.atRiskRatio, calendar),
    escalateAt: addBusinessHours(dueAt, allowed * config.sla.escalationRatio, calendar),
    stoppedAt: null,
    stopReason: null,
    handoverDecision: null,
  };
}

/**
 * Business hours an instance allows: follow-up hours by tier; feedback days by tier and approval days,
 * each day being the calendar's business hours per day.
 */
export function allowedBusinessHours(
  kind: AccountSlaKind,
  tier: TierOrNone,
  config: GovernanceConfig,
  calendar: BusinessHours,
): number {
  switch (kind) {
    case 'sales_follow_up':
      return config.sla.followUpBusinessHours[requireTier(kind, tier)];
    case 'sales_feedback':
      return config.sla.feedbackBusinessDays[requireTier(kind, tier)] * businessHoursPerDay(calendar);
    case 'approval_decision':
      return config.decisionRights.approvalSla.decideWithinBusinessDays * businessHoursPerDay(calendar);
  }
}

function requireTier(kind: AccountSlaKind, tier: TierOrNone): Tier {
  if (tier === null) throw new RangeError(`${kind} runs on tiered accounts only`);
  return tier;
}

/** `open`: neither met nor breached yet. */
export type SlaVerdict = 'met' | 'breached' | 'open';

/**
 * The verdict at `now`, by comparisons only: met when stopped at or before the due time; breached once
 * now is past due without a stop in time (a late stop stays breached); else open. A stop later than
 * `now` is not yet known at `now`. A met verdict is reached at the stop, a breach at the due time.
 * The one rule behind both `slaStatus` and the SLA compliance metrics.
 */
export function slaVerdict(instance: Pick<SlaInstance, 'dueAt' | 'stoppedAt'>, now: Instant): SlaVerdict {
  const stoppedAt = instance.stoppedAt;
  if (stoppedAt !== null && stoppedAt <= now) return stoppedAt <= instance.dueAt ? 'met' : 'breached';
  return now > instance.dueAt ? 'breached' : 'open';
}

/** Status at `now`: the verdict, with an open instance at risk from `atRiskAt` and on track before. */
export function slaStatus(instance: SlaInstance, now: Instant): SlaStatus {
  const verdict = slaVerdict(instance, now);
  if (verdict !== 'open') return verdict;
  return now >= instance.atRiskAt ? 'at_risk' : 'on_track';
}

export interface MarketingDeliveryInput {
  readonly mqas: readonly { readonly accountId: string; readonly tier: Tier; readonly raisedAt: Instant }[];
  /**
   * Sales' answers to handovers. Those given in the period count, one per account (the latest; on equal
   * times the later in the list), for the tier of its account's latest MQA in the period.
   */
  readonly feedback: readonly {
    readonly accountId: string;
    readonly decision: HandoverDecision;
    readonly answeredAt: Instant;
  }[];
  readonly periodStart: Instant;
  /** Exclusive. */
  readonly periodEnd: Instant;
}

export interface MarketingDeliveryOfTier {
  readonly tier: Tier;
  /** MQAs raised in [periodStart, periodEnd). */
  readonly delivered: number;
  /** mqasPerMonth × months in the period, rounded up: "at least N" of a partial month. */
  readonly committed: number;
  /** Quantity: delivered >= committed. */
  readonly met: boolean;
  readonly accepted: number;
  readonly rejected: number;
  /** accepted / (accepted + rejected); `null` when sales gave no feedback, so there is nothing to rate. */
  readonly acceptanceRate: number | null;
  /** acceptanceRate >= minAcceptanceRate; `null` (unknown, not failed) when there was no feedback. */
  readonly qualityMet: boolean | null;
}

export interface MarketingDelivery {
  /** Calendar months in the period, in the tenant's zone, fractional for partial months. */
  readonly months: number;
  readonly byTier: Readonly<Record<Tier, MarketingDeliveryOfTier>>;
}

/** The marketing side of the SLAs: enough MQAs per tier (quantity), accepted often enough by sales (quality). */
export function marketingDelivery(
  input: MarketingDeliveryInput,
  config: GovernanceConfig,
): MarketingDelivery {
  if (!(input.periodEnd > input.periodStart)) throw new RangeError('periodEnd must be after periodStart');
  // The commitment is "N a month" as the team's calendar reads it, so months are the tenant zone's.
  const zone = config.businessHours.timezone;
  const months = DateTime.fromMillis(input.periodEnd, { zone })
    .diff(DateTime.fromMillis(input.periodStart, { zone }), 'months')
    .as('months');

  const delivered: Record<Tier, number> = { tier_1: 0, tier_2: 0, tier_3: 0 };
  const latestMqa = new Map<string, { tier: Tier; raisedAt: Instant }>();
  for (const mqa of input.mqas) {
    if (mqa.raisedAt < input.periodStart || mqa.raisedAt >= input.periodEnd) continue;
    delivered[mqa.tier]++;
    const latest = latestMqa.get(mqa.accountId);
    if (latest === undefined || mqa.raisedAt >= latest.raisedAt) latestMqa.set(mqa.accountId, mqa);
  }

  const answers: Record<Tier, Record<HandoverDecision, number>> = {
    tier_1: { accepted: 0, rejected: 0 },
    tier_2: { accepted: 0, rejected: 0 },
    tier_3: { accepted: 0, rejected: 0 },
  };
  const latestAnswer = new Map<string, { decision: HandoverDecision; answeredAt: Instant }>();
  for (const answer of input.feedback) {
    if (answer.answeredAt < input.periodStart || answer.answeredAt >= input.periodEnd) continue;
    const latest = latestAnswer.get(answer.accountId);
    if (latest === undefined || answer.answeredAt >= latest.answeredAt)
      latestAnswer.set(answer.accountId, answer);
  }
  for (const [accountId, answer] of latestAnswer) {
    const mqa = latestMqa.get(accountId);
    if (mqa !== undefined) answers[mqa.tier][answer.decision]++;
  }

  const policy = config.sla.marketingDelivery;
  const ofTier = (tier: Tier): MarketingDeliveryOfTier => {
    // The epsilon keeps float noise in the month count from adding a whole MQA to the commitment; the floor
    // at 0 keeps a tier committed to none from reading -0.
    const committed = Math.max(0, Math.ceil(policy.mqasPerMonth[tier] * months - 1e-9));
    const { accepted, rejected } = answers[tier];
    const acceptanceRate = accepted + rejected === 0 ? null : accepted / (accepted + rejected);
    return {
      tier,
      delivered: delivered[tier],
      committed,
      met: delivered[tier] >= committed,
      accepted,
      rejected,
      acceptanceRate,
      qualityMet: acceptanceRate === null ? null : acceptanceRate >= policy.minAcceptanceRate,
    };
  };
  return { months, byTier: { tier_1: ofTier('tier_1'), tier_2: ofTier('tier_2'), tier_3: ofTier('tier_3') } };
}
