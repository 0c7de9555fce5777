import { describe, expect, it } from 'vitest';

import { failureTextOf, sessionEnded } from './failures.ts';
import { MESSAGES } from './messages.ts';

describe('failures in words', () => {
  it('say that the session ended on `unauthorized`, and only then', () => {
    expect(sessionEnded({ kind: 'no_permission', code: 'unauthorized', message: 'Expired.' })).toBe(true);
    expect(sessionEnded({ kind: 'no_permission', code: 'not_allowed_for_role', message: 'No.' })).toBe(false);
    expect(sessionEnded({ kind: 'no_permission', code: null, message: '' })).toBe(false);
    expect(sessionEnded({ kind: 'unreachable' })).toBe(false);
  });

  it('are the console’s own sentence in the reader’s language, with the server’s words beside it', () => {
    const ended = { kind: 'no_permission', code: 'unauthorized', message: 'Session expired.' } as const;
    expect(failureTextOf(MESSAGES.en, ended)).toEqual({
      headline: 'Your session has ended: log in again.',
      detail: 'Session expired.',
    });
    expect(failureTextOf(MESSAGES.fr, ended)).toEqual({
      headline: 'Votre session a pris fin : reconnectez-vous.',
      detail: 'Session expired.',
    });
  });

  it('name a refusal by its code, and a failure without a code by its kind', () => {
    expect(
      failureTextOf(MESSAGES.fr, {
        kind: 'rejected',
        code: 'approval_expired',
        message: 'The approval expired.',
        issues: [],
      }).headline,
    ).toBe('Cette approbation a expiré.');
    expect(failureTextOf(MESSAGES.fr, { kind: 'not_found', message: 'No such account.' }).headline).toBe(
      'Introuvable : l’élément a peut-être été supprimé.',
    );
    expect(failureTextOf(MESSAGES.fr, { kind: 'unreachable' })).toEqual({
      headline: 'Le serveur ne répond pas.',
      detail: '',
    });
    expect(failureTextOf(MESSAGES.en, { kind: 'no_permission', code: null, message: '' }).headline).toBe(
      'This is not allowed.',
    );
  });
});
