import { VOCABULARIES } from '@abm-pilot/shared';
import { describe, expect, it } from 'vitest';

import { failureTextOf, sessionEnded } from './failures.ts';
import { MESSAGES } from './messages.ts';

const en = { messages: MESSAGES.en, vocabulary: VOCABULARIES.en };
const fr = { messages: MESSAGES.fr, vocabulary: VOCABULARIES.fr };

describe('failures in words', () => {
  it('say that the session ended on `unauthorized`, and only then', () => {
    expect(sessionEnded({ kind: 'no_permission', code: 'unauthorized', message: 'Expired.' })).toBe(true);
    expect(sessionEnded({ kind: 'no_permission', code: 'not_allowed_for_role', message: 'No.' })).toBe(false);
    expect(sessionEnded({ kind: 'no_permission', code: null, message: '' })).toBe(false);
    expect(sessionEnded({ kind: 'unreachable' })).toBe(false);
  });

  it('are the console’s own sentence in the reader’s language, with the server’s words beside it', () => {
    const ended = { kind: 'no_permission', code: 'unauthorized', message: 'Session expired.' } as const;
    expect(failureTextOf(en, ended)).toEqual({
      headline: 'Your session has ended: log in again.',
      detail: 'Session expired.',
    });
    expect(failureTextOf(fr, ended)).toEqual({
      headline: 'Votre session a pris fin : reconnectez-vous.',
      detail: 'Session expired.',
    });
  });

  it("name a refusal by its code in the programme's words, and a failure without a code by its kind", () => {
    expect(
      failureTextOf(fr, {
        kind: 'rejected',
        code: 'approval_expired',
        message: 'The approval expired.',
        issues: [],
      }).headline,
    ).toBe('Cette approbation a expiré : le changement doit être redemandé.');
    expect(failureTextOf(fr, { kind: 'not_configured', message: 'No config.' }).headline).toBe(
      'ABM Pilot n’est pas encore configuré pour ce compte CRM : il lui faut ses réglages de gouvernance et une première synchronisation.',
    );
    expect(failureTextOf(fr, { kind: 'unreachable' })).toEqual({
      headline: 'Le serveur ne répond pas.',
      detail: '',
    });
    expect(failureTextOf(en, { kind: 'no_permission', code: null, message: '' }).headline).toBe(
      'This is not allowed.',
    );
  });
});
