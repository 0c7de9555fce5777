import type { MqaRule } from '../config/schema.ts';
import type { Signal, TierOrNone } from '../config/vocabulary.ts';
import type { Instant } from './time.ts';
import { DAY_MS } from './time.ts';

export interface Engagement {
  readonly contactId: string;
  readonly occurredAt: Instant;
  readonly points: number;
}

export interface MqaInput {
  readonly tier: TierOrNone;
  readonly engagements: readonly Engagement[];
  /** 0-100 from the intent provider; `null` when the account has no intent data. */
  readonly intentScore: number | null;
}

export type MqaReason = 'engagement' | 'intent_surge';

export interface MqaVerdict {
  readonly qualified: boolean;
  /** Engagement wins when both hold: first-party behaviour is the stronger signal to hand to sales. */
  readonly because: MqaReason | null;
  /** Raw points in the window (not recency-weighted: the threshold is about this month's activity). */
  readonly points: number;
  /** Distinct contacts with at least one positive engagement in the window. */
  readonly engagedContacts: number;
}

/**
 * Marketing-qualified account: a tiered account whose engagement over (now - windowDays, now] reaches
 * minEngagementPoints from at least minEngagedContacts contacts, or whose intent score is at or above
 * intentSurgeScore. Points and contacts are reported for untargeted accounts too, which never qualify.
 */
export function isMqa(input: MqaInput, now: Instant, rule: MqaRule): MqaVerdict {
  const windowStart = now - rule.windowDays * DAY_MS;
  let points = 0;
  const contacts = new Set<string>();
  for (const engagement of input.engagements) {
    if (engagement.occurredAt <= windowStart || engagement.occurredAt > now) continue;
    points += engagement.points;
    if (engagement.points > 0) contacts.add(engagement.contactId);
  }
  const engagedContacts = contacts.size;
  const because: MqaReason | null =
    input.tier === null
      ? null
      : points >= rule.minEngagementPoints && engagedContacts >= rule.minEngagedContacts
        ? 'engagement'
        : input.intentScore !== null && input.intentScore >= rule.intentSurgeScore
          ? 'intent_surge'
          : null;
  return { qualified: because !== null, because, points, engagedContacts };
}

/**
 * The signals besides the score's criteria that the account has no data for, named on the card beside the
 * criteria scored neutral: without an intent score, no intent surge can make the account an MQA.
 */
export function missingSignals(input: Pick<MqaInput, 'intentScore'>): Signal[] {
  const intent = input.intentScore;
  return intent === null || !Number.isFinite(intent) ? ['intent'] : [];
}
