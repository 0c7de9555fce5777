import { describe, expect, it } from 'vitest';

import { formatsOf } from './format.ts';

const en = formatsOf('en');
const fr = formatsOf('fr');

// French groups digits and sets % and € apart with no-break spaces (which ones depends on the ICU
// version), so French expectations read any space there.

describe('console formats', () => {
  it('writes shares as percentages with one decimal, and nothing-to-divide as a dash', () => {
    expect(en.percent(0.4137)).toBe('41.4%');
    expect(fr.percent(0.4137)).toMatch(/^41,4\s%$/);
    expect(en.percent(null)).toBe('—');
    expect(fr.percent(Number.NaN)).toBe('—');
  });

  it('writes money in whole units of the tenant currency, the reader’s way', () => {
    expect(en.money(1_234_567.8, 'EUR')).toBe('€1,234,568');
    expect(fr.money(1_234_567.8, 'EUR')).toMatch(/^1\s234\s568\s€$/);
    expect(en.money(null, 'USD')).toBe('—');
  });

  it('writes decimals and counts with the reader’s separators', () => {
    expect(en.decimal(71.44)).toBe('71.4');
    expect(fr.decimal(71.44)).toBe('71,4');
    expect(fr.decimal(null)).toBe('—');
    expect(en.integer(12_345.6)).toBe('12,346');
    expect(fr.integer(12_345.6)).toMatch(/^12\s346$/);
  });

  it('writes instants in UTC and says so, and days and months in the reader’s language', () => {
    expect(en.instant('2026-11-30T14:05:09.000Z')).toMatch(/^Nov 30, 2026.*02:05\sPM UTC$/);
    expect(fr.instant('2026-11-30T14:05:09.000Z')).toMatch(/^30 nov\. 2026.*14:05 UTC$/);
    // Midnight UTC is still the same day wherever the browser is.
    expect(fr.day('2026-06-01T00:00:00.000Z')).toBe('1 juin 2026');
    expect(en.day('2026-06-01')).toBe('Jun 1, 2026');
    expect(fr.month('2026-05-01T00:00:00.000Z')).toBe('mai 2026');
    expect(en.instant(null)).toBe('—');
  });

  it('joins alternatives with the reader’s “or”, and picks the wording that fits a count', () => {
    expect(en.either(['ABM manager', 'Chief ABM Officer'])).toBe('ABM manager or Chief ABM Officer');
    expect(fr.either(['Responsable ABM', 'Chief ABM Officer'])).toBe('Responsable ABM ou Chief ABM Officer');
    const forms = { one: 'one', other: 'other' };
    expect([en.plural(forms, 0), en.plural(forms, 1), en.plural(forms, 2)]).toEqual([
      'other',
      'one',
      'other',
    ]);
    // French counts zero as singular.
    expect([fr.plural(forms, 0), fr.plural(forms, 1), fr.plural(forms, 2)]).toEqual(['one', 'one', 'other']);
  });
});
