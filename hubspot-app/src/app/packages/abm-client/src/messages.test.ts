import { ApiErrorCodeSchema, fill, VOCABULARIES } from '@abm-pilot/shared';
import type { ApiFailure } from '@abm-pilot/shared/client';
import { describe, expect, it } from 'vitest';

import { failureText } from './failures.ts';
import { i18nOf, localeOfReader } from './i18n.tsx';
import type { Messages } from './messages.ts';
import { MESSAGES } from './messages.ts';

// The typecheck makes French name every sentence English names; these make the two say the same thing
// with the same blanks, so `fill` never leaves a `{name}` in view in one language only.

function sentencesOf(messages: Messages): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown, at: string) => {
    if (typeof node === 'string') found.set(at, node);
    else
      for (const [key, child] of Object.entries(node as object))
        walk(child, at === '' ? key : `${at}.${key}`);
  };
  walk(messages, '');
  return found;
}

const placeholders = (sentence: string) =>
  [...sentence.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the catalog', () => {
  const english = sentencesOf(MESSAGES.en);
  const french = sentencesOf(MESSAGES.fr);

  it('has a French sentence for every English one, none left empty', () => {
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, sentence] of french) expect(sentence.trim(), key).not.toBe('');
  });

  it('leaves the same blanks in both languages', () => {
    for (const [key, sentence] of english)
      expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(sentence));
  });

  it('is French in French: only words shared by both languages read the same', () => {
    const same = [...english].filter(([key, sentence]) => french.get(key) === sentence).map(([key]) => key);
    expect(same.sort()).toEqual([
      'card.sla.column.sla',
      'common.nothing',
      'common.personWithRoles',
      'crmName',
      'duration.hours',
      'duration.minutes',
      'home.dashboard.slaColumn.sla',
      'home.dashboard.tierAxis',
      'home.delivery.column.tier',
      'home.review.column.score',
      'home.review.column.tier',
      'settings.connection.tenant',
      'settings.costs.bookedHours',
      'settings.costs.note',
    ]);
  });
});

describe('the reader', () => {
  it("follows the HubSpot user's locale, French for any French one, English otherwise", () => {
    const reader = (locale?: string, language?: string) => ({
      user: { ...(locale === undefined ? {} : { locale }), ...(language === undefined ? {} : { language }) },
      portal: { timezone: 'Europe/Paris' },
    });
    expect(localeOfReader(reader('fr-FR'))).toBe('fr');
    expect(localeOfReader(reader('fr-CA'))).toBe('fr');
    expect(localeOfReader(reader(undefined, 'fr'))).toBe('fr');
    expect(localeOfReader(reader('de-DE'))).toBe('en');
    expect(localeOfReader(reader())).toBe('en');
  });

  it("says where the HubSpot record stands in the shared vocabulary's words", () => {
    expect(i18nOf('en', 'UTC').words.crmWrite('done')).toBe('The HubSpot record shows it now.');
    expect(i18nOf('fr', 'UTC').words.crmWrite('pending')).toBe(
      fill("{crm} ne l'a pas encore confirmé : l'enregistrement suivra d'ici quelques minutes.", {
        crm: 'HubSpot',
      }),
    );
    expect(i18nOf('fr', 'UTC').words.crmWrite(undefined)).toBe('');
  });
});

describe('failures in words', () => {
  it('names the fields of an invalid request after what the refusal means', () => {
    const failure: ApiFailure = {
      kind: 'rejected',
      code: 'invalid_request',
      message: 'The request is not valid.',
      issues: [{ path: ['body', 'reason'], message: 'Too long' }],
    };
    expect(failureText(MESSAGES.en, VOCABULARIES.en, failure)).toBe(
      'ABM Pilot could not accept this request as it was sent. The request is not valid. body.reason: Too long',
    );
    expect(failureText(MESSAGES.fr, VOCABULARIES.fr, failure)).toBe(
      'ABM Pilot n’a pas pu accepter cette demande telle qu’elle a été envoyée. Détail (en anglais) : The request is not valid. body.reason : Too long',
    );
  });

  it('tells a user the sync does not know yet from one without a role', () => {
    expect(
      failureText(MESSAGES.en, VOCABULARIES.en, { kind: 'no_permission', code: 'unknown_user', message: '' }),
    ).toContain('after the next sync');
    expect(
      failureText(MESSAGES.fr, VOCABULARIES.fr, { kind: 'no_permission', code: 'forbidden', message: '' }),
    ).toContain('Demandez un rôle');
  });

  it('has a sentence for every error code the server may answer', () => {
    for (const code of ApiErrorCodeSchema.options) {
      for (const messages of [MESSAGES.en, MESSAGES.fr])
        expect(
          failureText(messages, VOCABULARIES[messages === MESSAGES.en ? 'en' : 'fr'], {
            kind: 'rejected',
            code,
            message: '',
            issues: [],
          }),
          code,
        ).not.toBe('');
    }
  });
});
