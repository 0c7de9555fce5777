import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Engagement, MqaInput } from './mqa.ts';
import { isMqa, missingSignals } from './mqa.ts';
import { DAY_MS } from './time.ts';

// Defaults: 30-day window, 60 points from at least 2 contacts, or an intent score of 80.
const RULE = DEFAULT_GOVERNANCE_CONFIG.mqa;
const NOW = Date.UTC(2026, 1, 9, 10);
const daysAgo = (days: number): number => NOW - days * DAY_MS;
const touch = (contactId: string, days: number, points: number): Engagement => ({
  contactId,
  occurredAt: daysAgo(days),
  points,
});
const account = (overrides: Partial<MqaInput>): MqaInput => ({
  tier: 'tier_2',
  engagements: [],
  intentScore: null,
  ...overrides,
});

describe('isMqa', () => {
  it('qualifies a tiered account with 70 points from two contacts in the last 30 days', () => {
    const engagements = [touch('ann', 2, 40), touch('bob', 10, 30)];
    expect(isMqa(account({ engagements }), NOW, RULE)).toEqual({
      qualified: true,
      because: 'engagement',
      points: 70,
      engagedContacts: 2,
    });
  });

  it('does not qualify 100 points that all come from one contact', () => {
    const verdict = isMqa(account({ engagements: [touch('ann', 1, 60), touch('ann', 3, 40)] }), NOW, RULE);
    expect(verdict).toEqual({ qualified: false, because: null, points: 100, engagedContacts: 1 });
  });

  it('does not qualify two contacts short of the 60 points', () => {
    expect(
      isMqa(account({ engagements: [touch('ann', 1, 30), touch('bob', 1, 29)] }), NOW, RULE).qualified,
    ).toBe(false);
  });

  it('counts only the last 30 days: an engagement exactly 30 days old has left the window', () => {
    const engagements = [
      touch('ann', 1, 40),
      touch('bob', 29.9, 30),
      touch('cid', 30, 500),
      touch('dan', 45, 500),
    ];
    expect(isMqa(account({ engagements }), NOW, RULE)).toMatchObject({ points: 70, engagedContacts: 2 });
  });

  it('ignores engagements dated after now', () => {
    const engagements = [touch('ann', 1, 40), touch('bob', -1, 30)];
    expect(isMqa(account({ engagements }), NOW, RULE)).toMatchObject({
      qualified: false,
      points: 40,
      engagedContacts: 1,
    });
  });

  it('does not count a contact whose only engagement scores no points', () => {
    const engagements = [touch('ann', 1, 60), touch('bob', 1, 0)];
    expect(isMqa(account({ engagements }), NOW, RULE)).toMatchObject({
      qualified: false,
      engagedContacts: 1,
    });
  });

  it('qualifies on an intent surge alone from a score of 80', () => {
    expect(isMqa(account({ intentScore: 80 }), NOW, RULE)).toMatchObject({
      qualified: true,
      because: 'intent_surge',
    });
    expect(isMqa(account({ intentScore: 79 }), NOW, RULE)).toMatchObject({ qualified: false, because: null });
    expect(isMqa(account({ intentScore: null }), NOW, RULE).qualified).toBe(false);
  });

  it('names engagement as the reason when both engagement and intent qualify', () => {
    const engagements = [touch('ann', 2, 40), touch('bob', 10, 30)];
    expect(isMqa(account({ engagements, intentScore: 95 }), NOW, RULE).because).toBe('engagement');
  });

  it('never qualifies an untargeted account, but still reports its engagement', () => {
    const engagements = [touch('ann', 2, 40), touch('bob', 10, 30)];
    expect(isMqa(account({ tier: null, engagements, intentScore: 99 }), NOW, RULE)).toEqual({
      qualified: false,
      because: null,
      points: 70,
      engagedContacts: 2,
    });
  });

  it('follows the configured thresholds', () => {
    const strict = { ...RULE, minEngagementPoints: 100, minEngagedContacts: 3, windowDays: 7 };
    const engagements = [touch('ann', 1, 40), touch('bob', 2, 40), touch('cid', 3, 40), touch('dan', 8, 40)];
    expect(isMqa(account({ engagements }), NOW, strict)).toMatchObject({ qualified: true, points: 120 });
    expect(isMqa(account({ engagements: engagements.slice(1) }), NOW, strict).qualified).toBe(false);
  });
});

describe('missing signals', () => {
  it('names the intent score when the account has none, so the card can say so', () => {
    expect(missingSignals({ intentScore: null })).toEqual(['intent']);
    expect(missingSignals({ intentScore: Number.NaN })).toEqual(['intent']);
  });

  it('names nothing when the account has an intent score, zero included', () => {
    expect(missingSignals({ intentScore: 0 })).toEqual([]);
    expect(missingSignals({ intentScore: 93 })).toEqual([]);
  });
});
