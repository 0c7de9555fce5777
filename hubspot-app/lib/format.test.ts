import { describe, expect, it } from 'vitest';

import { durationLabel, instantLabel, percentLabel, tierLabel, timeLeftLabel } from './format.ts';

describe('words and numbers', () => {
  it('names tiers as people say them', () => {
    expect(tierLabel('tier_1')).toBe('Tier 1');
    expect(tierLabel(null)).toBe('Not targeted');
  });

  it('gives durations in their two largest units', () => {
    expect(durationLabel(2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('2 d 3 h');
    expect(durationLabel(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(durationLabel(59_000)).toBe('0 min');
  });

  it('says how long is left, or how long overdue', () => {
    const now = Date.parse('2026-04-15T08:00:00Z');
    expect(timeLeftLabel('2026-04-15T16:00:00Z', now)).toBe('8 h left');
    expect(timeLeftLabel('2026-04-14T08:00:00Z', now)).toBe('overdue by 1 d');
  });

  it("shows instants in the portal's time zone", () => {
    expect(instantLabel('2026-04-21T09:12:03.000Z', 'Europe/Paris')).toBe('21 Apr 2026, 11:12');
    expect(instantLabel('2026-04-21T09:12:03.000Z', 'America/New_York')).toBe('21 Apr 2026, 05:12');
  });

  it('shows a ratio without denominator as a dash', () => {
    expect(percentLabel(null)).toBe('—');
    expect(percentLabel(0.4567)).toBe('45.7%');
  });
});
