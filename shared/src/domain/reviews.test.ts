import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Role } from '../config/vocabulary.ts';
import { ROLES } from '../config/vocabulary.ts';
import { mayRecordReview, REVIEWER_ROLES, reviewAuditEntry, reviewRight, reviewStatus } from './reviews.ts';
import { DAY_MS } from './time.ts';

const policy = DEFAULT_GOVERNANCE_CONFIG.tiers;
const T0 = Date.UTC(2026, 10, 30, 9);
const person = (userId: string, ...roles: Role[]) => ({ userId, roles });
const targeted = { tier: 'tier_2' as const, abmOwnerId: 'owner-1' };

describe('who may record a portfolio review', () => {
  it('lets an ABM manager, the ABM committee and the Chief ABM Officer review any targeted account', () => {
    expect(REVIEWER_ROLES).toEqual(['chief_abm_officer', 'abm_committee', 'abm_manager']);
    for (const role of REVIEWER_ROLES) {
      expect(reviewRight(person('someone', role), targeted)).toEqual({
        ok: true,
        value: { userId: 'someone', role },
      });
    }
  });

  it("lets the account's ABM owner review it in whatever role they hold, and no one else of that role", () => {
    expect(reviewRight(person('owner-1', 'marketer'), targeted)).toEqual({
      ok: true,
      value: { userId: 'owner-1', role: 'marketer' },
    });
    expect(mayRecordReview(person('owner-1', 'sales_rep'), targeted)).toBe(true);
    for (const role of ['marketer', 'sales_manager', 'sales_rep'] as const) {
      expect(reviewRight(person('someone-else', role), targeted)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });

  it('acts in the most senior role a person holds, which the audit names', () => {
    expect(reviewRight(person('m', 'marketer', 'abm_manager'), targeted)).toMatchObject({
      value: { role: 'abm_manager' },
    });
    expect(ROLES.indexOf('abm_committee')).toBeLessThan(ROLES.indexOf('abm_manager'));
  });

  it('refuses someone without any governance role, even the ABM owner, since the log must name a role', () => {
    expect(reviewRight(person('owner-1'), targeted)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses a review of an untargeted account, which has no review cadence', () => {
    expect(reviewRight(person('m', 'abm_manager'), { tier: null, abmOwnerId: null })).toMatchObject({
      ok: false,
      error: { code: 'not_targeted' },
    });
  });

  it('does not take a missing ABM owner for anyone', () => {
    expect(mayRecordReview(person('', 'marketer'), { tier: 'tier_3', abmOwnerId: null })).toBe(false);
  });
});

describe('where the review clock of an account stands', () => {
  it('falls due a full cadence of the tier after the last review, and is overdue from that instant', () => {
    const reviewed = { tier: 'tier_1' as const, lastReviewedAt: T0 + 5 * DAY_MS, tieredAt: T0 };
    const dueAt = T0 + 35 * DAY_MS;
    expect(reviewStatus(reviewed, policy, dueAt - 1)).toEqual({
      tier: 'tier_1',
      lastReviewedAt: T0 + 5 * DAY_MS,
      dueAt,
      overdue: false,
    });
    expect(reviewStatus(reviewed, policy, dueAt)?.overdue).toBe(true);
  });

  it('counts from entering the tier while never reviewed, or when the tier changed after the review', () => {
    expect(reviewStatus({ tier: 'tier_3', lastReviewedAt: null, tieredAt: T0 }, policy, T0)).toMatchObject({
      lastReviewedAt: null,
      dueAt: T0 + 90 * DAY_MS,
    });
    expect(
      reviewStatus({ tier: 'tier_2', lastReviewedAt: T0, tieredAt: T0 + DAY_MS }, policy, T0)?.dueAt,
    ).toBe(T0 + 61 * DAY_MS);
  });

  it('has no clock for an untargeted account', () => {
    expect(reviewStatus({ tier: null, lastReviewedAt: T0, tieredAt: T0 }, policy, T0)).toBeNull();
  });
});

describe("a review's audit entry", () => {
  const review = {
    accountId: 'a1',
    actor: { userId: 'm', role: 'abm_manager' as const },
    at: T0,
    note: '  Renewal on track  ',
    tier: 'tier_2' as const,
    score: 61.5,
    recommendedTier: 'tier_3' as const,
  };

  it('names who, in what role, when, the note, and the tier, score and recommendation of that moment', () => {
    expect(reviewAuditEntry(review)).toEqual({
      at: T0,
      accountId: 'a1',
      action: 'review',
      actor: { userId: 'm', role: 'abm_manager' },
      fromTier: 'tier_2',
      toTier: 'tier_2',
      reason: null,
      route: null,
      outcome: 'recorded',
      code: null,
      score: 61.5,
      recommendedTier: 'tier_3',
      approverRoles: [],
      approvalId: null,
      comment: 'Renewal on track',
    });
  });

  it('keeps no note for a blank one', () => {
    expect(reviewAuditEntry({ ...review, note: '   ' }).comment).toBeNull();
    expect(reviewAuditEntry({ ...review, note: null }).comment).toBeNull();
  });
});
