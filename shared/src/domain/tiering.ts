import type { TierPolicy } from '../config/schema.ts';
import type { Tier, TierOrNone } from '../config/vocabulary.ts';
import { TIERS, tierRank } from '../config/vocabulary.ts';
import type { Instant } from './time.ts';
import { DAY_MS } from './time.ts';

export type TierCounts = Readonly<Record<Tier, number>>;

/** The tier a score earns on thresholds alone: the first tier whose threshold it reaches. */
export function tierForScore(score: number, thresholds: TierPolicy['thresholds']): TierOrNone {
  for (const tier of TIERS) if (score >= thresholds[tier]) return tier;
  return null;
}

/**
 * The recommended tier. Moving up takes the full threshold; an account keeps its previous tier until it
 * falls `hysteresis` points below that tier's threshold, so a score wobbling on a line does not flap.
 */
export function recommendTier(score: number, previous: TierOrNone, policy: TierPolicy): TierOrNone {
  const earned = tierForScore(score, policy.thresholds);
  if (previous === null || tierRank(earned) <= tierRank(previous)) return earned;
  return score >= policy.thresholds[previous] - policy.hysteresis ? previous : earned;
}

export interface TierDrift {
  readonly assigned: TierOrNone;
  readonly recommended: TierOrNone;
  /** Tier steps between the two; 0 when they agree. */
  readonly steps: number;
  /** `above`: assigned a higher tier than the score supports; `below`: a lower one. */
  readonly direction: 'none' | 'above' | 'below';
}

/** Drift between the human decision and the computed recommendation, which feeds the portfolio review. */
export function tierDrift(assigned: TierOrNone, recommended: TierOrNone): TierDrift {
  const delta = tierRank(recommended) - tierRank(assigned);
  return {
    assigned,
    recommended,
    steps: Math.abs(delta),
    direction: delta === 0 ? 'none' : delta > 0 ? 'above' : 'below',
  };
}

export function countTiers(accounts: Iterable<{ readonly tier: TierOrNone }>): TierCounts {
  const counts = { tier_1: 0, tier_2: 0, tier_3: 0 };
  for (const account of accounts) if (account.tier !== null) counts[account.tier] += 1;
  return counts;
}

export interface TierCapacity {
  readonly count: number;
  readonly capacity: number;
  /** Seats left; negative when over. */
  readonly available: number;
  /** count / capacity; `null` for a tier with no capacity at all. */
  readonly usedShare: number | null;
  readonly over: boolean;
}

/** How full each tier is against the resources behind it. */
export function capacityUsage(counts: TierCounts, policy: TierPolicy): Record<Tier, TierCapacity> {
  const usage = (tier: Tier): TierCapacity => {
    const count = counts[tier];
    const capacity = policy.capacity[tier];
    return {
      count,
      capacity,
      available: capacity - count,
      usedShare: capacity > 0 ? count / capacity : null,
      over: count > capacity,
    };
  };
  return { tier_1: usage('tier_1'), tier_2: usage('tier_2'), tier_3: usage('tier_3') };
}

export type CapacityVerdict = 'within' | 'over_capacity' | 'beyond_ceiling';

/**
 * What adding one account to `tier` does to its capacity: within it, over it (the Chief ABM Officer may
 * allow that), or beyond the hard ceiling of `overCapacityCeilingPct` over capacity (refused).
 * ceiling = ⌊capacity × (100 + pct) / 100⌋, on integers as far as the inputs allow: 100 × 1.15 is
 * 114.99… in floating point, one seat short; the epsilon absorbs a fractional percentage's rounding.
 */
export function capacityVerdict(counts: TierCounts, tier: TierOrNone, policy: TierPolicy): CapacityVerdict {
  if (tier === null) return 'within';
  const after = counts[tier] + 1;
  if (after <= policy.capacity[tier]) return 'within';
  return after <= tierCeiling(tier, policy) ? 'over_capacity' : 'beyond_ceiling';
}

/** The most accounts a tier may hold with the Chief ABM Officer's say-so (see `capacityVerdict`). */
export const tierCeiling = (tier: Tier, policy: TierPolicy): number =>
  Math.floor((policy.capacity[tier] * (100 + policy.overCapacityCeilingPct)) / 100 + 1e-9);

export interface ReviewSubject {
  readonly accountId: string;
  readonly tier: TierOrNone;
  /** Last portfolio review of the account; `null` if never reviewed. */
  readonly lastReviewedAt: Instant | null;
  /** When the account entered its current tier. */
  readonly tieredAt: Instant;
}

/**
 * When an account's next portfolio review falls due: dueAt = max(lastReviewedAt, tieredAt) + the
 * cadence of its tier (30 / 60 / 90 days by default), as a review made in a previous tier says nothing
 * of the current one. The review is due, and counted overdue, from `now >= dueAt`. `null` for an
 * untargeted account, which has no review cadence.
 */
export function reviewDueAt(
  subject: Pick<ReviewSubject, 'tier' | 'lastReviewedAt' | 'tieredAt'>,
  policy: TierPolicy,
): Instant | null {
  if (subject.tier === null) return null;
  const lastLook = Math.max(subject.lastReviewedAt ?? subject.tieredAt, subject.tieredAt);
  return lastLook + policy.reviewCadenceDays[subject.tier] * DAY_MS;
}

export interface ReviewDue {
  readonly accountId: string;
  readonly tier: Tier;
  readonly dueAt: Instant;
  /** Whole days past due at `now`. */
  readonly overdueDays: number;
}

/** Tiered accounts whose review is due at `now` (see `reviewDueAt`), most overdue first. */
export function reviewsDue(subjects: Iterable<ReviewSubject>, now: Instant, policy: TierPolicy): ReviewDue[] {
  const due: ReviewDue[] = [];
  for (const subject of subjects) {
    const dueAt = reviewDueAt(subject, policy);
    if (subject.tier !== null && dueAt !== null && dueAt <= now) {
      due.push({
        accountId: subject.accountId,
        tier: subject.tier,
        dueAt,
        overdueDays: Math.floor((now - dueAt) / DAY_MS),
      });
    }
  }
  return due.sort((a, b) => a.dueAt - b.dueAt || a.accountId.localeCompare(b.accountId));
}
