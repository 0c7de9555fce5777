import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import {
  capacityUsage,
  capacityVerdict,
  countTiers,
  recommendTier,
  reviewDueAt,
  reviewsDue,
  tierDrift,
  tierForScore,
} from './tiering.ts';
import { DAY_MS } from './time.ts';

const policy = DEFAULT_GOVERNANCE_CONFIG.tiers;

describe('recommended tier', () => {
  it('follows the 75 / 55 / 35 thresholds for an account with no previous tier', () => {
    expect(tierForScore(75, policy.thresholds)).toBe('tier_1');
    expect(tierForScore(74.9, policy.thresholds)).toBe('tier_2');
    expect(tierForScore(55, policy.thresholds)).toBe('tier_2');
    expect(tierForScore(35, policy.thresholds)).toBe('tier_3');
    expect(tierForScore(34.9, policy.thresholds)).toBeNull();
    expect(recommendTier(60, null, policy)).toBe('tier_2');
  });

  it('keeps a tier_1 account in tier_1 while it stays within the 5-point hysteresis band', () => {
    expect(recommendTier(72, 'tier_1', policy)).toBe('tier_1');
    expect(recommendTier(70, 'tier_1', policy)).toBe('tier_1');
    expect(recommendTier(69.9, 'tier_1', policy)).toBe('tier_2');
  });

  it('drops straight to the earned tier once the band is left, however far', () => {
    expect(recommendTier(40, 'tier_1', policy)).toBe('tier_3');
    expect(recommendTier(10, 'tier_3', policy)).toBeNull();
    expect(recommendTier(31, 'tier_3', policy)).toBe('tier_3');
  });

  it('moves up as soon as the higher threshold is reached', () => {
    expect(recommendTier(75, 'tier_2', policy)).toBe('tier_1');
    expect(recommendTier(36, null, policy)).toBe('tier_3');
  });

  it('does not flap when a score wobbles around a threshold', () => {
    const path = [76, 74, 72, 75, 71, 73].reduce<string[]>((tiers, score) => {
      const previous = (tiers.at(-1) ?? null) as Parameters<typeof recommendTier>[1];
      return [...tiers, String(recommendTier(score, previous, policy))];
    }, []);
    expect(new Set(path)).toEqual(new Set(['tier_1']));
  });
});

describe('drift', () => {
  it('is none when assigned and recommended agree', () => {
    expect(tierDrift('tier_2', 'tier_2')).toMatchObject({ steps: 0, direction: 'none' });
  });

  it('says an account assigned above what its score supports is above, by how many steps', () => {
    expect(tierDrift('tier_1', 'tier_3')).toMatchObject({ steps: 2, direction: 'above' });
    expect(tierDrift(null, 'tier_2')).toMatchObject({ steps: 2, direction: 'below' });
  });
});

describe('capacity', () => {
  const counts = countTiers([
    ...Array.from({ length: 25 }, () => ({ tier: 'tier_1' as const })),
    ...Array.from({ length: 40 }, () => ({ tier: 'tier_2' as const })),
    { tier: null },
  ]);

  it('counts accounts per tier, ignoring untargeted ones', () => {
    expect(counts).toEqual({ tier_1: 25, tier_2: 40, tier_3: 0 });
  });

  it('reports use against the 25 / 100 / 500 capacities', () => {
    const usage = capacityUsage(counts, policy);
    expect(usage.tier_1).toEqual({ count: 25, capacity: 25, available: 0, usedShare: 1, over: false });
    expect(usage.tier_2.usedShare).toBeCloseTo(0.4);
  });

  it('sees a 26th tier_1 account as over capacity and one beyond the 20% ceiling as refused', () => {
    expect(capacityVerdict(counts, 'tier_2', policy)).toBe('within');
    expect(capacityVerdict(counts, 'tier_1', policy)).toBe('over_capacity');
    expect(capacityVerdict({ ...counts, tier_1: 30 }, 'tier_1', policy)).toBe('beyond_ceiling');
    expect(capacityVerdict(counts, null, policy)).toBe('within');
  });

  it('allows exactly the ceiling over capacity: 100 seats at 15% take a 115th account, not a 116th', () => {
    const tight = { ...policy, capacity: { ...policy.capacity, tier_2: 100 }, overCapacityCeilingPct: 15 };
    expect(capacityVerdict({ tier_1: 0, tier_2: 113, tier_3: 0 }, 'tier_2', tight)).toBe('over_capacity');
    expect(capacityVerdict({ tier_1: 0, tier_2: 114, tier_3: 0 }, 'tier_2', tight)).toBe('over_capacity');
    expect(capacityVerdict({ tier_1: 0, tier_2: 115, tier_3: 0 }, 'tier_2', tight)).toBe('beyond_ceiling');
  });
});

describe('reviews due', () => {
  const now = Date.UTC(2026, 10, 30);

  it('lists tiered accounts past their 30 / 60 / 90-day cadence, most overdue first', () => {
    const due = reviewsDue(
      [
        { accountId: 'a', tier: 'tier_1', lastReviewedAt: now - 31 * DAY_MS, tieredAt: now - 400 * DAY_MS },
        { accountId: 'b', tier: 'tier_2', lastReviewedAt: now - 59 * DAY_MS, tieredAt: now - 400 * DAY_MS },
        { accountId: 'c', tier: 'tier_3', lastReviewedAt: null, tieredAt: now - 100 * DAY_MS },
        { accountId: 'd', tier: null, lastReviewedAt: null, tieredAt: now - 999 * DAY_MS },
      ],
      now,
      policy,
    );
    expect(due).toEqual([
      { accountId: 'c', tier: 'tier_3', dueAt: now - 10 * DAY_MS, overdueDays: 10 },
      { accountId: 'a', tier: 'tier_1', dueAt: now - DAY_MS, overdueDays: 1 },
    ]);
  });

  it('is due exactly at the end of the cadence, counted from the later of the last review and tiering', () => {
    const subject = {
      accountId: 'a',
      tier: 'tier_2' as const,
      lastReviewedAt: null,
      tieredAt: now - 60 * DAY_MS,
    };
    expect(reviewDueAt(subject, policy)).toBe(now);
    expect(reviewsDue([subject], now, policy).map((d) => d.accountId)).toEqual(['a']);
    expect(reviewsDue([subject], now - 1, policy)).toEqual([]);
    // Reviewed 200 days ago, but re-tiered 10 days ago: the old review says nothing of the new tier.
    const retiered = { ...subject, lastReviewedAt: now - 200 * DAY_MS, tieredAt: now - 10 * DAY_MS };
    expect(reviewDueAt(retiered, policy)).toBe(now + 50 * DAY_MS);
    expect(reviewDueAt({ ...subject, tier: null }, policy)).toBeNull();
  });
});
