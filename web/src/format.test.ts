import { describe, expect, it } from 'vitest';

import { instant, money, percent, tierLabel } from './format.ts';

describe('console formats', () => {
  it('writes shares as percentages and nothing-to-divide as a dash', () => {
    expect(percent(0.4137)).toBe('41.4 %');
    expect(percent(null)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
  });

  it('writes money in whole units of the tenant currency', () => {
    expect(money(1_234_567.8, 'EUR')).toBe('€1,234,568');
    expect(money(null, 'USD')).toBe('—');
  });

  it('names tiers and untargeted accounts, and says instants are UTC', () => {
    expect(tierLabel('tier_1')).toBe('Tier 1');
    expect(tierLabel(null)).toBe('Not targeted');
    expect(instant('2026-11-30T14:05:09.000Z')).toBe('2026-11-30 14:05 UTC');
    expect(instant(null)).toBe('—');
  });
});
