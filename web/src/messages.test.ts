import { describe, expect, it } from 'vitest';

import { MESSAGES } from './messages.ts';

/** Every sentence of a catalog by its path, e.g. `dashboard.portfolio.title`. */
function sentences(value: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'string') return found.set(path, value);
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [childPath, text] of sentences(child, path === '' ? key : `${path}.${key}`)) {
        found.set(childPath, text);
      }
    }
  }
  return found;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

describe('the console’s catalog', () => {
  const english = sentences(MESSAGES.en);
  const french = sentences(MESSAGES.fr);

  it('says everything in French that it says in English, with the same placeholders', () => {
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [path, text] of english) {
      expect(placeholders(french.get(path) ?? ''), path).toEqual(placeholders(text));
      expect(french.get(path)?.trim(), path).not.toBe('');
    }
  });

  it('is written in French for French readers, not copied from English', () => {
    const copied = [...english].filter(([path, text]) => french.get(path) === text).map(([path]) => path);
    // Names, jargon the programme keeps in English, and punctuation-only templates read the same.
    expect(copied.sort()).toEqual(
      [
        'account.score',
        'account.tier',
        'accounts.column.score',
        'accounts.column.sla',
        'accounts.column.tier',
        'accounts.segment',
        'accounts.sla',
        'approvals.column.score',
        'audit.column.action',
        'audit.outcomeWithCode',
        'common.brand',
        'common.crmName',
        'common.pages',
        'common.personWithRoles',
        'dashboard.delivery.tier',
        'dashboard.portfolio.tier',
        'dashboard.pipeline.segment',
        'dashboard.roi.roi',
        'dashboard.segment',
        'nav.label',
        'review.column.score',
        'review.column.tier',
        'session.crm.hubspot',
        'session.crm.salesforce',
        'session.tenant',
        'session.tenantOption',
      ].sort(),
    );
  });
});
