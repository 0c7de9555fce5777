import type { TierPolicy } from '../config/schema.ts';
import type { Role, Tier, TierOrNone } from '../config/vocabulary.ts';
import { ROLES } from '../config/vocabulary.ts';
import type { Actor, AuditEntry } from './decisions.ts';
import type { DomainError, Result } from './result.ts';
import { err, ok } from './result.ts';
import { reviewDueAt } from './tiering.ts';
import type { Instant } from './time.ts';

// The portfolio review of one account: who may record it, what it leaves in the audit log, and where the
// account's review clock stands. Each targeted account is reviewed on its tier's cadence (product.md,
// "governance health"); a review restarts its clock.

/**
 * Roles that may review any account: the ABM manager runs the portfolio day to day, and the ABM committee
 * and the Chief ABM Officer sit above it (`ROLES` runs from the most senior down).
 */
export const REVIEWER_ROLES = ROLES.slice(0, ROLES.indexOf('abm_manager') + 1) as readonly Role[];

export interface ReviewerPerson {
  readonly userId: string;
  readonly roles: readonly Role[];
}

/** What the rights look at of the account reviewed. */
export interface ReviewedAccount {
  readonly tier: TierOrNone;
  /** The ABM owner named in the CRM, who runs the account's plan; `null` when none is. */
  readonly abmOwnerId: string | null;
}

export type ReviewRefusal = DomainError<'forbidden' | 'not_targeted'>;

/**
 * Who may record a review of an account, and in which role: the account's ABM owner, or anyone holding a
 * reviewer role. They act in their most senior role, which the audit names, so a person without any
 * governance role is refused even as ABM owner: the log would have no role to say they acted in. An
 * untargeted account has no review cadence, so nothing to review.
 */
export function reviewRight(person: ReviewerPerson, account: ReviewedAccount): Result<Actor, ReviewRefusal> {
  if (account.tier === null) {
    return err({ code: 'not_targeted', message: 'The account is not targeted: it has no portfolio review.' });
  }
  const role = ROLES.find((candidate) => person.roles.includes(candidate)) ?? null;
  if (role === null) {
    return err({
      code: 'forbidden',
      message: 'You have no governance role in ABM Pilot; ask your CRM admin to map one.',
    });
  }
  const isAbmOwner = account.abmOwnerId !== null && account.abmOwnerId === person.userId;
  if (!isAbmOwner && !REVIEWER_ROLES.includes(role)) {
    return err({
      code: 'forbidden',
      message: "Only the account's ABM owner or an ABM manager records its portfolio review.",
    });
  }
  return ok({ userId: person.userId, role });
}

export const mayRecordReview = (person: ReviewerPerson, account: ReviewedAccount): boolean =>
  reviewRight(person, account).ok;

/** What the review clock of an account reads at `now`; `null` for an untargeted account. */
export interface ReviewStatus {
  readonly tier: Tier;
  /** `null` when never reviewed. */
  readonly lastReviewedAt: Instant | null;
  /** max(last review, entering the tier) + the tier's cadence (`reviewDueAt`). */
  readonly dueAt: Instant;
  /** Due at or before `now`, as the portfolio review counts it. */
  readonly overdue: boolean;
}

export function reviewStatus(
  account: { readonly tier: TierOrNone; readonly lastReviewedAt: Instant | null; readonly tieredAt: Instant },
  policy: TierPolicy,
  now: Instant,
): ReviewStatus | null {
  if (account.tier === null) return null;
  const dueAt = reviewDueAt(account, policy);
  if (dueAt === null) return null;
  return { tier: account.tier, lastReviewedAt: account.lastReviewedAt, dueAt, overdue: dueAt <= now };
}

export interface RecordedReview {
  readonly accountId: string;
  readonly actor: Actor;
  readonly at: Instant;
  /** Trimmed; blank counts as none. */
  readonly note: string | null;
  /** The account as it stood when reviewed. */
  readonly tier: Tier;
  readonly score: number | null;
  readonly recommendedTier: TierOrNone;
}

/** The audit entry of a review: who, in what role, when, the note, and the account's tier, score and recommendation. */
export function reviewAuditEntry(review: RecordedReview): AuditEntry {
  return {
    at: review.at,
    accountId: review.accountId,
    action: 'review',
    actor: review.actor,
    // A review changes no tier: from and to both say which tier was reviewed.
    fromTier: review.tier,
    toTier: review.tier,
    reason: null,
    route: null,
    outcome: 'recorded',
    code: null,
    score: review.score,
    recommendedTier: review.recommendedTier,
    approverRoles: [],
    approvalId: null,
    comment: review.note?.trim() || null,
  };
}
