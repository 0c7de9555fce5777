import { API_ERROR_CODES } from 'c/abmVocabulary';
import {
  capacityRows,
  crmWriteNote,
  decisionToast,
  defaultDates,
  deliveryVerdict,
  deliveryView,
  errorCodeOf,
  fill,
  formatDateTime,
  formatDuration,
  formatHours,
  formatMonth,
  formatRatio,
  isServerUnreachable,
  localeOf,
  newIdempotencyKey,
  periodOf,
  reasonCodeLabel,
  reduceErrors,
  reviewClockView,
  reviewToast,
  rolesText,
  sectionErrorMessage,
  segmentOptions,
  staleView,
  tierChangeToast,
  tierFromOption,
  tierLabel,
  timeLeft,
} from 'c/abmUtils';

const apexFailure = (code, message) => ({ body: { message: JSON.stringify({ code, message }) } });

// French typography's narrow no-break spaces (`63 %`, `1 234`) read as plain spaces in assertions.
const spaced = (value) => value.replace(/[\u202f\u00a0]/g, ' ');

describe('the language', () => {
  it('is French for any French tag Salesforce gives, and English for anything else', () => {
    expect(localeOf('fr')).toBe('fr');
    expect(localeOf('fr-CA')).toBe('fr');
    expect(localeOf('fr_FR')).toBe('fr');
    expect(localeOf('en-US')).toBe('en');
    expect(localeOf('de')).toBe('en');
    expect(localeOf(undefined)).toBe('en');
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(fill('{tier} awaits {approvers}.', { tier: 'Tier 1', approvers: 'ABM committee' })).toBe(
      'Tier 1 awaits ABM committee.',
    );
    expect(fill('Score {score}: {reasons}', { score: 72 })).toBe('Score 72: {reasons}');
  });
});

describe('reduceErrors', () => {
  it("reads a controller payload as its code's sentence in the user's language, not its JSON", () => {
    const failure = apexFailure('not_allowed_for_role', 'Role marketer may not approve.');
    expect(reduceErrors(failure, 'en')).toEqual(['Your ABM role does not allow this.']);
    expect(reduceErrors(failure, 'fr')).toEqual(['Votre rôle ABM ne le permet pas.']);
  });

  it("keeps the server's text for a code this package does not know yet", () => {
    expect(reduceErrors(apexFailure('brand_new_code', 'Something new.'), 'fr')).toEqual(['Something new.']);
  });

  it('reads LDS, Apex, JS and page errors alike', () => {
    expect(
      reduceErrors(
        [
          { body: [{ message: 'The requested resource does not exist' }] },
          { body: { message: 'An internal server error has occurred' } },
          new Error('boom'),
          { body: { fieldErrors: { Name: [{ message: 'Required' }] }, pageErrors: [{ message: 'Locked' }] } },
          { statusText: 'Bad Request' },
          undefined,
        ],
        'en',
      ),
    ).toEqual([
      'The requested resource does not exist',
      'An internal server error has occurred',
      'boom',
      'Locked',
      'Required',
      'Bad Request',
    ]);
  });

  it('keeps a message that merely starts like JSON', () => {
    expect(reduceErrors({ body: { message: '{not json' } }, 'en')).toEqual(['{not json']);
  });
});

describe('error codes', () => {
  it('reads the server code from the controller payload and nothing from other errors', () => {
    expect(errorCodeOf(apexFailure('self_approval', 'x'))).toBe('self_approval');
    expect(errorCodeOf({ body: { message: 'plain' } })).toBeNull();
    expect(errorCodeOf(undefined)).toBeNull();
  });

  it("names only codes the server has, besides the controller's own server_unreachable", () => {
    expect(API_ERROR_CODES).toEqual(
      expect.arrayContaining(['not_ready', 'forbidden', 'not_allowed_for_role']),
    );
    expect(API_ERROR_CODES).not.toContain('server_unreachable');
  });

  it('treats an unreachable or starting server as unreachable, and nothing else', () => {
    expect(isServerUnreachable(apexFailure('server_unreachable', 'x'))).toBe(true);
    expect(isServerUnreachable(apexFailure('not_ready', 'x'))).toBe(true);
    expect(isServerUnreachable(apexFailure('unauthorized', 'x'))).toBe(false);
    expect(isServerUnreachable(new Error('x'))).toBe(false);
  });

  it("tells a role refusal from a failure, per section of the governance page, in the user's language", () => {
    expect(sectionErrorMessage(apexFailure('forbidden', 'x'), 'review', 'en')).toBe(
      'Your ABM role does not give access to the portfolio review.',
    );
    expect(sectionErrorMessage(apexFailure('internal_error', 'x'), 'approvals', 'fr')).toBe(
      "ABM Pilot n'a pas pu charger la file d'approbation.",
    );
  });
});

describe('time', () => {
  it('formats the two largest units of a duration', () => {
    expect(formatDuration(3 * 86400000 + 4 * 3600000 + 59 * 60000, 'en')).toBe('3 d 4 h');
    expect(formatDuration(2 * 86400000, 'en')).toBe('2 d');
    expect(formatDuration(5 * 3600000 + 10 * 60000, 'en')).toBe('5 h 10 min');
    expect(formatDuration(3600000, 'en')).toBe('1 h');
    expect(formatDuration(59000, 'en')).toBe('0 min');
  });

  it('writes durations with French units for a French user', () => {
    expect(formatDuration(3 * 86400000 + 4 * 3600000, 'fr')).toBe('3 j 4 h');
    expect(timeLeft('2026-04-15T16:00:00.000Z', Date.parse('2026-04-15T08:00:00.000Z'), 'fr').text).toBe(
      'encore 8 h',
    );
  });

  it('tells time left before the due time and overdue time after it', () => {
    const due = '2026-04-15T16:00:00.000Z';
    expect(timeLeft(due, Date.parse('2026-04-15T14:30:00.000Z'), 'en')).toEqual({
      overdue: false,
      text: '1 h 30 min left',
    });
    expect(timeLeft(due, Date.parse('2026-04-16T18:00:00.000Z'), 'en')).toEqual({
      overdue: true,
      text: 'overdue by 1 d 2 h',
    });
  });

  it('turns inclusive dates into the half-open period the server takes', () => {
    expect(periodOf('2026-01-01', '2026-03-31')).toEqual({
      from: '2026-01-01T00:00:00Z',
      to: '2026-04-01T00:00:00.000Z',
    });
    expect(defaultDates(Date.parse('2026-04-15T23:59:00.000Z'))).toEqual({
      fromDate: '2026-01-16',
      toDate: '2026-04-15',
    });
  });
});

describe('labels and values', () => {
  it("labels tiers and the untargeted state with shared's words", () => {
    expect(tierLabel('tier_3', 'en')).toBe('Tier 3');
    expect(tierLabel(null, 'en')).toBe('Not targeted');
    expect(tierLabel(null, 'fr')).toBe('Non ciblé');
    expect(tierFromOption('none')).toBeNull();
    expect(tierFromOption('tier_1')).toBe('tier_1');
  });

  it('labels governance roles, and says when a user has none', () => {
    expect(rolesText(['abm_committee', 'chief_abm_officer'], 'en')).toBe('ABM committee, Chief ABM Officer');
    expect(rolesText([], 'en')).toBe('No ABM role');
    expect(rolesText(['abm_manager'], 'fr')).toBe('Responsable ABM');
    expect(rolesText([], 'fr')).toBe('Aucun rôle ABM');
  });

  it("offers the segments in shared's order, and names default reason codes while reading a tenant's own", () => {
    expect(segmentOptions('fr').map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 2',
      'Tier 3',
      'Tous les comptes ABM',
      'Hors ABM',
      'Tous les comptes',
    ]);
    expect(reasonCodeLabel('no_budget', 'fr')).toBe('Pas de budget');
    expect(reasonCodeLabel('our_own_code', 'fr')).toBe('our own code');
  });

  it('shows a ratio without denominator as a dash', () => {
    expect(formatRatio({ value: 0.625, numerator: 5, denominator: 8 }, 'en')).toBe('63%');
    expect(formatRatio({ value: null, numerator: 0, denominator: 0 }, 'en')).toBe('—');
  });

  it('writes numbers, percentages and dates as the language writes them', () => {
    expect(spaced(formatRatio({ value: 0.625, numerator: 5, denominator: 8 }, 'fr'))).toBe('63 %');
    expect(formatHours({ value: 25.4 }, 'fr')).toBe('25 h');
    const seats = (count, capacity) => ({ count, capacity, usedShare: count / capacity, over: false });
    const capacity = { tier_1: seats(24, 25), tier_2: seats(90, 100), tier_3: seats(1234, 2000) };
    expect(capacityRows(capacity, 'fr').map((row) => spaced(row.text))).toEqual([
      'Tier 1 : 24 sur 25',
      'Tier 2 : 90 sur 100',
      'Tier 3 : 1 234 sur 2 000',
    ]);
    expect(formatDateTime('2026-04-15T07:55:12.000Z', 'en', 'Europe/Paris')).toBe('Apr 15, 2026, 09:55 AM');
    expect(formatDateTime('2026-04-15T07:55:12.000Z', 'fr', 'Europe/Paris')).toMatch(
      /^15 avr\. 2026.*09:55$/,
    );
  });

  it('reads the last synced tier by its picklist value, and says which values the user may not read', () => {
    const stale = staleView(
      { tier: 'Tier 1', score: 64.25, slaStatus: undefined, lastSyncAt: null },
      'fr',
      'UTC',
    );
    expect(stale).toEqual({
      tierText: 'Tier : Tier 1',
      scoreText: 'Score : 64,3',
      slaText: 'SLA : Non disponible',
      lastSyncText: null,
    });
    expect(staleView({ tier: null, score: null, slaStatus: null }, 'en', 'UTC')).toMatchObject({
      tierText: 'Tier: Not targeted',
      scoreText: 'Score: Not scored yet',
      slaText: 'SLA: No clock',
    });
  });

  it('makes idempotency keys the server accepts, different each time', () => {
    const a = newIdempotencyKey('sf-tier');
    const b = newIdempotencyKey('sf-tier');
    expect(a).toMatch(/^[A-Za-z0-9_:.-]{8,128}$/);
    expect(a).not.toBe(b);
  });

  it("says whether Salesforce holds an applied change yet, with shared's CRM-write notes", () => {
    expect(
      tierChangeToast({ outcome: 'applied', tier: 'tier_2', crmWrite: 'pending' }, 'Tier 2', 'en').message,
    ).toBe(
      'The account is now Tier 2. Salesforce has not confirmed it yet: the record follows within a few minutes.',
    );
    expect(
      tierChangeToast({ outcome: 'applied', tier: 'tier_2', crmWrite: 'done' }, 'Tier 2', 'en').message,
    ).toBe('The account is now Tier 2. The Salesforce record shows it now.');
    expect(crmWriteNote('pending', 'fr')).toBe(
      "Salesforce ne l'a pas encore confirmé : l'enregistrement suivra d'ici quelques minutes.",
    );
    expect(crmWriteNote(undefined, 'fr')).toBe('');
  });

  it('toasts each tier change outcome with its own variant', () => {
    expect(
      tierChangeToast({ outcome: 'applied', route: 'routine', tier: null }, 'Not targeted', 'en'),
    ).toEqual({
      title: 'Tier changed',
      message: 'The account is now Not targeted.',
      variant: 'success',
    });
    expect(
      tierChangeToast({ outcome: 'needs_approval', approverRoles: ['chief_abm_officer'] }, 'Tier 1', 'en')
        .variant,
    ).toBe('info');
    expect(
      tierChangeToast({ outcome: 'rejected', code: 'no_change', message: 'Already Tier 1.' }, 'Tier 1', 'en'),
    ).toEqual({
      title: 'Tier change refused',
      message: 'The account is already Tier 1.',
      variant: 'warning',
    });
  });

  it("says a refusal in words of its code, and keeps the server's text for a refusal it does not know", () => {
    const full = { outcome: 'rejected', code: 'capacity_exceeded', message: 'Tier 1 is full (25 of 25).' };
    expect(tierChangeToast(full, 'Tier 1', 'fr')).toEqual({
      title: 'Changement de tier refusé',
      message: 'Tier 1 est plein au-delà de ce que quiconque peut autoriser.',
      variant: 'warning',
    });
    const unknown = { outcome: 'rejected', code: 'brand_new_rule', message: 'A new rule says no.' };
    expect(tierChangeToast(unknown, 'Tier 1', 'fr').message).toBe('A new rule says no.');
  });

  it('says where a review clock stands, from never reviewed to overdue, and nothing without a clock', () => {
    const never = {
      lastReviewedAt: null,
      lastReviewedBy: null,
      nextDueAt: '2026-05-01T08:00:00Z',
      overdue: false,
    };
    expect(reviewClockView(never, 'en', 'UTC')).toEqual({
      overdue: false,
      lastText: 'Not reviewed yet.',
      dueText: 'Next review due May 1, 2026, 08:00 AM.',
    });
    expect(reviewClockView({ ...never, overdue: true }, 'fr', 'UTC').dueText).toMatch(
      /^Revue en retard depuis le 1 mai 2026.*08:00\.$/,
    );
    expect(reviewClockView(null, 'en', 'UTC')).toBeNull();
    expect(reviewClockView(undefined, 'en', 'UTC')).toBeNull();
    expect(reviewToast({ review: never }, 'fr', 'UTC')).toMatchObject({
      title: 'Revue du portefeuille',
      variant: 'success',
    });
  });

  it('toasts a decision in the queue with the tier the account keeps or takes', () => {
    expect(decisionToast('rejected', { applied: false, assignedTier: 'tier_2' }, 'fr')).toEqual({
      title: 'Changement refusé',
      message: 'Le compte reste Tier 2.',
      variant: 'success',
    });
    expect(
      decisionToast('approved', { applied: true, assignedTier: 'tier_1', crmWrite: 'done' }, 'fr').message,
    ).toBe("Le compte est désormais Tier 1. L'enregistrement Salesforce l'affiche déjà.");
  });
});

describe('marketing delivery', () => {
  const DELIVERY = require('../../abmGovernance/__tests__/data/getMarketingDelivery.json');
  const figures = (overrides) => ({ delivered: 5, committed: 5, met: true, qualityMet: true, ...overrides });

  it('names a calendar month the server names, in the language', () => {
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatMonth('2026-03', 'fr')).toBe('mars 2026');
  });

  it('holds a tier to its MQAs and its acceptance, not to answers sales has not given', () => {
    expect(deliveryVerdict(figures({}), true)).toBe('met');
    expect(deliveryVerdict(figures({ met: false }), true)).toBe('missed');
    expect(deliveryVerdict(figures({ qualityMet: false }), true)).toBe('missed');
    expect(deliveryVerdict(figures({ qualityMet: null }), true)).toBe('met');
    expect(deliveryVerdict(figures({}), false)).toBe('on_track');
    expect(deliveryVerdict(figures({ met: false }), false)).toBe('behind');
  });

  it('lays out the month so far and each closed month per tier, with their verdicts', () => {
    const view = deliveryView(DELIVERY, 'en');
    expect(view.soFarText).toBe(
      'April 2026 so far: each tier’s monthly commitment prorated to the time gone (Europe/Paris calendar).',
    );
    expect(view.current[1]).toEqual({
      key: '2026-04:tier_2',
      tier: 'Tier 2',
      delivered: '7',
      committed: '8',
      acceptance: '50%',
      minimum: '60%',
      verdict: 'Behind',
      verdictClass: 'slds-theme_error',
    });
    expect(view.months.map((month) => month.label)).toEqual(['March 2026']);
    expect(view.months[0].rows.map((row) => [row.tier, row.verdict])).toEqual([
      ['Tier 1', 'Missed'],
      ['Tier 2', 'Met'],
      ['Tier 3', 'Met'],
    ]);
    expect(view.noMonth).toBe(false);
  });

  it('has no month so far at its very start, and says when no month has closed', () => {
    const view = deliveryView({ ...DELIVERY, currentMonth: null, months: [] }, 'fr');
    expect(view.soFarText).toBeNull();
    expect(view.current).toBeNull();
    expect(view.noMonth).toBe(true);
  });
});
