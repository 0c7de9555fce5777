import { describe, expect, it } from 'vitest';

import { formatsOf } from './format.ts';
import { MESSAGES } from './messages.ts';

const english = (timeZone = 'Europe/Paris') => formatsOf('en', timeZone, MESSAGES.en);
const french = (timeZone = 'Europe/Paris') => formatsOf('fr', timeZone, MESSAGES.fr);
/** Intl separates French thousands and the percent sign with narrow no-break spaces. */
const spaced = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('formats', () => {
  it('gives durations in their two largest units', () => {
    expect(english().duration(2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('2 d 3 h');
    expect(english().duration(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(english().duration(86_400_000 + 5 * 60_000)).toBe('1 d');
    expect(english().duration(59_000)).toBe('0 min');
    expect(french().duration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 j 3 h');
  });

  it('says how long is left, or how long overdue', () => {
    const now = Date.parse('2026-04-15T08:00:00Z');
    expect(english().timeLeft('2026-04-15T16:00:00Z', now)).toBe('8 h left');
    expect(english().timeLeft('2026-04-14T08:00:00Z', now)).toBe('overdue by 1 d');
    expect(french().timeLeft('2026-04-15T16:00:00Z', now)).toBe('encore 8 h');
    expect(french().timeLeft('2026-04-14T08:00:00Z', now)).toBe('en retard de 1 j');
  });

  it("shows instants in the portal's time zone, in the reader's language", () => {
    expect(english().instant('2026-04-21T09:12:03.000Z')).toBe('21 Apr 2026, 11:12');
    expect(english('America/New_York').instant('2026-04-21T09:12:03.000Z')).toBe('21 Apr 2026, 05:12');
    expect(french().instant('2026-04-21T09:12:03.000Z')).toBe('21 avr. 2026, 11:12');
  });

  it('names a calendar month the server names, whatever the portal’s time zone', () => {
    expect(english('Pacific/Honolulu').month('2026-12')).toBe('December 2026');
    expect(english('Pacific/Kiritimati').month('2027-01')).toBe('January 2027');
    expect(french().month('2026-03')).toBe('mars 2026');
  });

  it('writes numbers, shares and money as each language does, and nothing as a dash', () => {
    expect(english().decimal(71.44)).toBe('71.4');
    expect(french().decimal(71.44)).toBe('71,4');
    expect(english().percent(0.4567)).toBe('45.7%');
    expect(spaced(french().percent(0.4567))).toBe('45,7 %');
    expect(english().money(120_000, 'USD')).toBe('$120,000');
    expect(spaced(french().money(120_000, 'EUR'))).toBe('120 000 €');
    expect([english().percent(null), english().decimal(null), english().money(null, 'USD')]).toEqual([
      '—',
      '—',
      '—',
    ]);
  });

  it('counts in the wording that fits, French taking zero as singular', () => {
    const days = MESSAGES.en.home.review.overdueDays;
    expect(english().count(days, 1)).toBe('1 day');
    expect(english().count(days, 0)).toBe('0 days');
    expect(french().count(MESSAGES.fr.home.review.overdueDays, 0)).toBe('0 jour');
    expect(english().either(['ABM committee', 'Chief ABM Officer'])).toBe(
      'ABM committee or Chief ABM Officer',
    );
    expect(french().either(['Comité ABM', 'Chief ABM Officer'])).toBe('Comité ABM ou Chief ABM Officer');
  });
});
