import type { Actor, Approval, AuditEntry, TierChangeDecision } from '../domain/decisions.ts';
import type { GovernanceMetrics } from '../domain/metrics.ts';
import type { ReviewStatus } from '../domain/reviews.ts';
import type { AccountScore } from '../domain/scoring.ts';
import { topReasons } from '../domain/scoring.ts';
import type { SlaInstance } from '../domain/sla.ts';
import { slaStatus } from '../domain/sla.ts';
import type { Instant } from '../domain/time.ts';
import type { TierChangeResponse } from './accounts.ts';
import type { GovernanceMetricsWire } from './metrics.ts';
import { instantToIso } from './primitives.ts';
import type {
  AccountReviewView,
  AccountSlaView,
  ActorView,
  ApprovalView,
  AuditEntryView,
  ScoreView,
} from './views.ts';
import { CRITERION_LABELS } from './views.ts';

// Domain records into their wire views, for the server. Kept apart from the schemas, which clients bundle
// without the domain's engine. Each converter spreads the domain record, so a field added to the domain
// reaches the strict schema and fails the contract tests until the contract says what to do with it.

/** Looks up a CRM user's display name; `null` when unknown. */
export type NameOf = (userId: string) => string | null;
const noNames: NameOf = () => null;

export const actorToView = (actor: Actor, nameOf: NameOf = noNames): ActorView => ({
  userId: actor.userId,
  role: actor.role,
  name: nameOf(actor.userId),
});

export const approvalToView = (approval: Approval, nameOf: NameOf = noNames): ApprovalView => ({
  ...approval,
  approverRoles: [...approval.approverRoles],
  requestedBy: actorToView(approval.requestedBy, nameOf),
  requestedAt: instantToIso(approval.requestedAt),
  dueAt: instantToIso(approval.dueAt),
  expiresAt: instantToIso(approval.expiresAt),
  decidedAt: approval.decidedAt === null ? null : instantToIso(approval.decidedAt),
  decidedBy: approval.decidedBy === null ? null : actorToView(approval.decidedBy, nameOf),
});

export const auditEntryToView = (
  entry: AuditEntry & { readonly id: string | number },
  nameOf: NameOf = noNames,
): AuditEntryView => ({
  ...entry,
  id: String(entry.id),
  at: instantToIso(entry.at),
  actor: entry.actor === null ? null : actorToView(entry.actor, nameOf),
  approverRoles: [...entry.approverRoles],
});

export const slaInstanceToView = (instance: SlaInstance, now: Instant): AccountSlaView => ({
  key: instance.key,
  kind: instance.kind,
  status: slaStatus(instance, now),
  dueAt: instantToIso(instance.dueAt),
  startedAt: instantToIso(instance.startedAt),
  stoppedAt: instance.stoppedAt === null ? null : instantToIso(instance.stoppedAt),
});

/** An account's review clock; `lastReviewedBy` is who recorded the last review, when the log says. */
export const reviewStatusToView = (
  status: ReviewStatus,
  lastReviewedBy: Actor | null,
  nameOf: NameOf = noNames,
): AccountReviewView => ({
  lastReviewedAt: status.lastReviewedAt === null ? null : instantToIso(status.lastReviewedAt),
  lastReviewedBy:
    status.lastReviewedAt === null || lastReviewedBy === null ? null : actorToView(lastReviewedBy, nameOf),
  nextDueAt: instantToIso(status.dueAt),
  overdue: status.overdue,
});

export const scoreToView = (score: AccountScore, reasons = 3): ScoreView => ({
  value: score.score,
  axes: { ...score.axes },
  topReasons: topReasons(score, reasons).map((reason) => ({
    criterion: reason.criterion,
    label: CRITERION_LABELS[reason.criterion],
    points: reason.points,
    maxPoints: reason.maxPoints,
  })),
  missing: [...score.missing],
  modelVersion: score.modelVersion,
});

/**
 * The answer to a routed tier change; `approval` is the one `openApproval` made from a `needs_approval`
 * decision (the store gives its id).
 */
export function tierChangeResponseOf(
  decision: TierChangeDecision,
  approval: Approval | null,
): TierChangeResponse {
  switch (decision.outcome) {
    case 'applied':
      return { outcome: 'applied', route: decision.route, tier: decision.audit.toTier };
    case 'needs_approval':
      if (approval === null) throw new TypeError('A needs_approval answer needs the opened approval.');
      return {
        outcome: 'needs_approval',
        route: decision.route,
        approvalId: approval.id,
        approverRoles: [...decision.approverRoles],
        dueAt: instantToIso(decision.dueAt),
        expiresAt: instantToIso(decision.expiresAt),
      };
    case 'rejected':
      return { outcome: 'rejected', code: decision.code, message: decision.message };
  }
}

/** The domain's metrics with ISO instants; every other field passes through as computed. */
export const governanceMetricsToWire = (metrics: GovernanceMetrics): GovernanceMetricsWire => ({
  ...metrics,
  period: { start: instantToIso(metrics.period.start), end: instantToIso(metrics.period.end) },
  now: instantToIso(metrics.now),
  wonDealSizeByQuarter: metrics.wonDealSizeByQuarter.map((quarter) => ({
    ...quarter,
    start: instantToIso(quarter.start),
    end: instantToIso(quarter.end),
  })),
  roi: { ...metrics.roi, countedCategories: [...metrics.roi.countedCategories] },
  slaCompliance: {
    ...metrics.slaCompliance,
    byOwner: [...metrics.slaCompliance.byOwner],
    byTeam: [...metrics.slaCompliance.byTeam],
  },
});
