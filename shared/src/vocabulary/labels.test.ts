import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Vocabulary } from './labels.ts';
import { fill, LOCALES, localeOf, reasonCodeLabelOf, tierLabelOf, VOCABULARIES } from './labels.ts';

/** Every string of a vocabulary by its path, e.g. `task.subject`. */
function strings(value: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'string') return found.set(path, value);
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [childPath, text] of strings(child, path === '' ? key : `${path}.${key}`)) {
        found.set(childPath, text);
      }
    }
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the vocabulary', () => {
  it('says the same things in French as in English: every entry, with the same placeholders', () => {
    const english = strings(VOCABULARIES.en);
    const french = strings(VOCABULARIES.fr);
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [path, text] of english) {
      if (path === 'locale') continue;
      expect(placeholders(french.get(path)!), path).toEqual(placeholders(text));
      expect(french.get(path)!.trim(), path).not.toBe('');
    }
  });

  it('speaks French for the French words of the programme, and keeps the shared jargon', () => {
    const fr: Vocabulary = VOCABULARIES.fr;
    expect(fr.segment.non_abm).toBe('Hors ABM');
    expect(fr.slaStatus.breached).toBe('Dépassé');
    expect(fr.role.chief_abm_officer).toBe('Chief ABM Officer');
    expect(tierLabelOf(fr, null)).toBe('Non ciblé');
    expect(tierLabelOf(VOCABULARIES.en, 'tier_2')).toBe('Tier 2');
  });

  it("names every default handover reason code in both languages, and reads a tenant's own code as written", () => {
    const { accepted, rejected } = DEFAULT_GOVERNANCE_CONFIG.sla.handoverReasonCodes;
    for (const locale of LOCALES) {
      for (const code of [...accepted, ...rejected]) {
        expect(VOCABULARIES[locale].reasonCode[code], `${locale} ${code}`).toBeDefined();
      }
    }
    expect(reasonCodeLabelOf(VOCABULARIES.fr, 'no_budget')).toBe('Pas de budget');
    expect(reasonCodeLabelOf(VOCABULARIES.fr, 'our_own_code')).toBe('our own code');
  });

  it('takes the language of a locale tag, and English for anything it does not speak', () => {
    expect(localeOf('fr')).toBe('fr');
    expect(localeOf('fr-FR')).toBe('fr');
    expect(localeOf('fr_CA')).toBe('fr');
    expect(localeOf('en-US')).toBe('en');
    expect(localeOf('de-DE')).toBe('en');
    expect(localeOf(null)).toBe('en');
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(
      fill('{title}: {todo} on {account}', { title: 'SLA breached', todo: 'call', account: 'Acme' }),
    ).toBe('SLA breached: call on Acme');
    expect(fill('Score {score}: {reasons}', { score: 72 })).toBe('Score 72: {reasons}');
  });
});
