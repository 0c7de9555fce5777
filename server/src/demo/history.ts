import type {
  Actor,
  Approval,
  AuditEntry,
  BusinessHours,
  CostCategory,
  GovernanceConfig,
  Instant,
  SlaEvent,
  SlaInstance,
  Tier,
  TierOrNone,
} from '@abm-pilot/shared';
import {
  addBusinessHours,
  allowedBusinessHours,
  applySlaEvent,
  approvalRequested,
  DAY_MS,
  HOUR_MS,
  openApproval,
  routeTierChange,
  transitionApproval,
} from '@abm-pilot/shared';

import type { CrmOwner } from '../model.ts';
import type { CostLineEntry, ImportedHistory } from '../store/ports.ts';
import { approvalIdFor, calendarOf } from '../usecases/rules.ts';

// The demo's year before today, drawn from a seed and replayed through the domain's own rules: tier changes
// are routed by `routeTierChange` and decided through the approval state machine, SLA clocks are started and
// stopped by `applySlaEvent` on each owner's business hours. Only the people's choices are drawn: which
// accounts moved when, who asked, how long the approver and the rep took. Everything is settled before
// today, so the live engine finds nothing to alert on, and the costs of running the programme are booked
// month by month. Same input, same history.

export interface HistoryAccount {
  readonly crmId: string;
  /** The tier it holds today. */
  readonly tier: TierOrNone;
  readonly recommendedTier: TierOrNone;
  readonly score: number | null;
  readonly ownerCrmId: string | null;
}

export interface HistoryInput {
  readonly accounts: readonly HistoryAccount[];
  readonly owners: ReadonlyMap<string, CrmOwner>;
  /** Who asks for tier changes (marketers) and who decides them (the committee, the Chief ABM Officer). */
  readonly requesters: readonly Actor[];
  readonly deciders: readonly Actor[];
  readonly config: GovernanceConfig;
  readonly now: Instant;
  readonly seed: number;
  /** Revenue won on targeted accounts over the last twelve months: the programme is budgeted on it. */
  readonly wonAbmRevenue: number;
}

export interface DemoHistory extends ImportedHistory {
  readonly costLines: readonly CostLineEntry[];
}

const YEAR_MS = 365 * DAY_MS;
/** Nothing is drawn in the last days: what starts then would not be settled by today. */
const QUIET_DAYS = 3;
/** Share of today's tiered accounts that entered their tier during the year. */
const ENTERED_THIS_YEAR: Readonly<Record<Tier, number>> = { tier_1: 0.7, tier_2: 0.5, tier_3: 0.3 };
/** Mean marketing-qualified moments per account over the year. */
const MQAS_PER_YEAR: Readonly<Record<Tier, number>> = { tier_1: 4, tier_2: 2.5, tier_3: 1.2 };
/** Share of tier 2 accounts a sales rep asked to see in tier 1, which the committee refused. */
const REFUSED_PROMOTIONS = 0.12;
/** Sales got faster at first touches over the year: the share of late ones falls from the first to the last. */
const LATE_TOUCHES = { first: 0.35, last: 0.1 } as const;
const LATE_DECISIONS = 0.15;

const REASONS = [
  'Buying committee engaged at the user conference',
  'Expansion opportunity with the new CIO',
  'Strategic partner in the region',
  'Competitive displacement in play',
  'Board-level sponsor confirmed',
] as const;
const REFUSALS = [
  'Not enough engagement yet: revisit next quarter',
  'Tier 1 seats go to accounts with a mapped buying group',
] as const;

export function demoHistory(input: HistoryInput): DemoHistory {
  const { config, now } = input;
  const random = mulberry32(input.seed);
  const draw = {
    float: random,
    pick: <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T,
    chance: (probability: number) => random() < probability,
  };
  const start = now - YEAR_MS;
  const end = now - QUIET_DAYS * DAY_MS;
  const settledBy = now - HOUR_MS;

  const audit: AuditEntry[] = [];
  const approvals: Approval[] = [];
  const slaInstances: SlaInstance[] = [];
  const tieredSince: { accountCrmId: string; at: Instant }[] = [];

  for (const account of [...input.accounts].sort((a, b) => (a.crmId < b.crmId ? -1 : 1))) {
    const tier = account.tier;
    const owner = account.ownerCrmId === null ? undefined : input.owners.get(account.ownerCrmId);
    if (tier === null || owner === undefined) continue;
    const calendar = calendarOf(config, owner);
    const clock = { accountId: account.crmId, ownerId: owner.crmId, managerId: owner.managerCrmId };
    /** A moment of the owner's business day, drawn in [from, to). */
    const businessMoment = (from: Instant, to: Instant) =>
      addBusinessHours(from + draw.float() * (to - from), 0.01 + draw.float() * 0.5, calendar);
    const lateShare = (at: Instant) =>
      LATE_TOUCHES.first + ((at - start) / (end - start)) * (LATE_TOUCHES.last - LATE_TOUCHES.first);
    /** When the owner first touched an account whose clock started at `at`: late with the year's odds. */
    const touchAfter = (at: Instant, clockTier: Tier) => {
      const allowed = allowedBusinessHours('sales_follow_up', clockTier, config, calendar);
      const share = draw.chance(lateShare(at)) ? 1.05 + draw.float() * 2 : 0.1 + draw.float() * 0.85;
      return addBusinessHours(at, allowed * share, calendar);
    };
    const events: { readonly at: Instant; readonly event: SlaEvent }[] = [];
    const changes: TierChange[] = [];

    let enteredAt: Instant | null = null;
    const fromTier = lowerTier(tier);
    if (input.requesters.length > 0 && draw.chance(ENTERED_THIS_YEAR[tier])) {
      const change = tierChange(
        {
          accountId: account.crmId,
          actor: draw.pick(input.requesters),
          fromTier,
          toTier: tier,
          reason: draw.pick(REASONS),
        },
        businessMoment(start, end),
      );
      if (change !== null) {
        changes.push(change);
        enteredAt = change.effectiveAt;
        events.push({ at: enteredAt, event: { type: 'tier_entered', tier, ...clock, at: enteredAt } });
        events.push({ at: enteredAt, event: { type: 'first_touch', accountId: account.crmId, at: 0 } });
      }
    }
    if (tier === 'tier_2' && enteredAt === null && draw.chance(REFUSED_PROMOTIONS)) {
      const change = tierChange(
        {
          accountId: account.crmId,
          actor: { userId: owner.crmId, role: 'sales_rep' },
          fromTier: tier,
          toTier: 'tier_1',
          reason: draw.pick(REASONS),
        },
        businessMoment(start, end),
        draw.pick(REFUSALS),
      );
      if (change !== null) changes.push(change);
    }

    const mqas = Math.floor(MQAS_PER_YEAR[tier] * 2 * draw.float() + 0.5);
    for (let k = 0; k < mqas; k++) {
      const at = businessMoment(start, end);
      const mqaTier = enteredAt !== null && at < enteredAt ? fromTier : tier;
      if (mqaTier === null) continue;
      events.push({ at, event: { type: 'mqa_raised', tier: mqaTier, ...clock, at } });
      events.push({ at, event: { type: 'first_touch', accountId: account.crmId, at: 0 } });
    }

    for (const change of changes) {
      events.push(...change.events);
      approvals.push(...change.approvals);
      audit.push(...change.audit);
    }
    let instances: readonly SlaInstance[] = [];
    // Each follow-up start is followed by the touch that answers it, placed once the clock's tier is known;
    // a start while an earlier clock was still running (its touch came later) starts none, as live.
    events.sort((a, b) => a.at - b.at);
    let touchedUntil = Number.NEGATIVE_INFINITY;
    let skipTouch = false;
    for (const { event } of events) {
      let applied: SlaEvent = event;
      if (event.type === 'mqa_raised' || event.type === 'tier_entered') {
        skipTouch = event.at < touchedUntil;
        if (skipTouch) continue;
      }
      if (event.type === 'first_touch') {
        const running = instances.find(
          (instance) => instance.kind === 'sales_follow_up' && instance.stoppedAt === null,
        );
        if (skipTouch || running === undefined || running.tier === null) continue;
        touchedUntil = touchAfter(running.startedAt, running.tier);
        applied = { ...event, at: touchedUntil };
      }
      const result = applySlaEvent(instances, applied, config, () => calendar);
      if (result.ok) instances = result.value;
    }
    // Only what settled before today: a clock still running would be the live engine's to alert on.
    if (instances.some((instance) => instance.stoppedAt === null || instance.stoppedAt > settledBy)) {
      continue;
    }
    slaInstances.push(...instances);
    if (enteredAt !== null) tieredSince.push({ accountCrmId: account.crmId, at: enteredAt });
  }

  return {
    audit: audit.sort((a, b) => a.at - b.at),
    approvals,
    slaInstances,
    tieredSince,
    costLines: costLedger(input.wonAbmRevenue, config.costs.salesLoadedHourlyRate, now),
  };

  /**
   * A tier change asked at `at`, routed by the rules as if seats were free: applied at once, or decided by
   * someone other than its requester in the approval's time (late now and then), approved unless `refusal`.
   */
  function tierChange(
    request: Parameters<typeof routeTierChange>[0],
    at: Instant,
    refusal?: string,
  ): TierChange | null {
    const account = input.accounts.find((candidate) => candidate.crmId === request.accountId);
    const owner = account?.ownerCrmId ? input.owners.get(account.ownerCrmId) : undefined;
    if (account === undefined || owner === undefined) return null;
    const calendar: BusinessHours = calendarOf(config, owner);
    const routed = routeTierChange(
      request,
      {
        score: account.score,
        recommendedTier: account.recommendedTier,
        tierCounts: { tier_1: 0, tier_2: 0, tier_3: 0 },
        hasPendingApproval: false,
        calendar,
      },
      config,
      at,
    );
    if (routed.outcome === 'rejected') return null;
    if (routed.outcome === 'applied') {
      return refusal === undefined
        ? { effectiveAt: at, audit: [routed.audit], approvals: [], events: [] }
        : null;
    }
    const pending = openApproval(approvalIdFor(request.accountId, at), request, routed);
    const decider = input.deciders.find(
      (person) => pending.approverRoles.includes(person.role) && person.userId !== request.actor.userId,
    );
    if (decider === undefined) return null;
    const withinSla = allowedBusinessHours('approval_decision', pending.toTier, config, calendar);
    const late = draw.chance(LATE_DECISIONS);
    const decidedAt = Math.min(
      addBusinessHours(
        at,
        withinSla * (late ? 1.1 + draw.float() * 0.4 : 0.1 + draw.float() * 0.8),
        calendar,
      ),
      pending.expiresAt - HOUR_MS,
    );
    const decided = transitionApproval(
      pending,
      refusal === undefined
        ? { type: 'approve', by: decider, comment: null }
        : { type: 'reject', by: decider, comment: refusal },
      decidedAt,
    );
    if (!decided.ok) return null;
    return {
      effectiveAt: decidedAt,
      audit: [{ ...routed.audit, approvalId: pending.id }, decided.value.audit],
      approvals: [decided.value.approval],
      events: [
        {
          at,
          event: approvalRequested(pending),
        },
        {
          at: decidedAt,
          event: {
            type: 'decision',
            accountId: request.accountId,
            approvalId: pending.id,
            outcome: decided.value.approval.state === 'approved' ? 'approved' : 'rejected',
            at: decidedAt,
          },
        },
      ],
    };
  }
}

/** A tier change of the past: its records, and the SLA events it caused. */
interface TierChange {
  /** When the account entered its new tier (when applied or approved). */
  readonly effectiveAt: Instant;
  readonly audit: readonly AuditEntry[];
  readonly approvals: readonly Approval[];
  readonly events: readonly { readonly at: Instant; readonly event: SlaEvent }[];
}

const lowerTier = (tier: Tier): TierOrNone =>
  tier === 'tier_1' ? 'tier_2' : tier === 'tier_2' ? 'tier_3' : null;

/**
 * The programme's full cost over a year, as a share of what its accounts won: about a sixth, which puts the
 * return at full cost near 3.4 at a 70% gross margin, and how it splits between the categories.
 */
const COST_OF_WON_REVENUE = 0.16;
const COST_SPLIT: Readonly<Record<CostCategory, number>> = {
  programme_budget: 0.45,
  sales_time: 0.3,
  content: 0.12,
  technology: 0.08,
  training: 0.05,
};

/**
 * What running the programme cost, booked month by month over the twelve months up to this one: sales time
 * in hours (valued at the loaded rate), the rest in money, training once a quarter.
 */
function costLedger(wonAbmRevenue: number, hourlyRate: number, now: Instant): CostLineEntry[] {
  const yearly = Math.max(120_000, wonAbmRevenue * COST_OF_WON_REVENUE);
  const monthly = (category: CostCategory) => (yearly * COST_SPLIT[category]) / 12;
  const lines: CostLineEntry[] = [];
  const today = new Date(now);
  for (let back = 11; back >= 0; back--) {
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1));
    const period = month.toISOString().slice(0, 7);
    // A season's swing, so the months do not all read the same.
    const season = 1 + 0.15 * Math.sin((month.getUTCMonth() / 12) * 2 * Math.PI);
    lines.push(
      { period, category: 'programme_budget', amount: Math.round(monthly('programme_budget') * season) },
      { period, category: 'sales_time', hours: Math.round((monthly('sales_time') * season) / hourlyRate) },
      { period, category: 'content', amount: Math.round(monthly('content') * season) },
      { period, category: 'technology', amount: Math.round(monthly('technology')) },
    );
    // Training comes once a quarter.
    if (month.getUTCMonth() % 3 === 0) {
      lines.push({ period, category: 'training', amount: Math.round(monthly('training') * 3) });
    }
  }
  return lines;
}

/** mulberry32: a small seeded generator, so the same seed draws the same year. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
