import { API_ERROR_CODES } from 'c/abmVocabulary';
import {
  defaultDates,
  errorCodeOf,
  formatDuration,
  formatRatio,
  isServerUnreachable,
  newIdempotencyKey,
  periodOf,
  reduceErrors,
  rolesText,
  tierChangeToast,
  tierFromOption,
  tierLabel,
  timeLeft,
} from 'c/abmUtils';

const apexFailure = (code, message) => ({ body: { message: JSON.stringify({ code, message }) } });

describe('reduceErrors', () => {
  it('reads the message of the controller payload, not its JSON', () => {
    expect(reduceErrors(apexFailure('forbidden', 'Not for your role.'))).toEqual(['Not for your role.']);
  });

  it('reads LDS, Apex, JS and page errors alike', () => {
    expect(
      reduceErrors([
        { body: [{ message: 'The requested resource does not exist' }] },
        { body: { message: 'An internal server error has occurred' } },
        new Error('boom'),
        { body: { fieldErrors: { Name: [{ message: 'Required' }] }, pageErrors: [{ message: 'Locked' }] } },
        { statusText: 'Bad Request' },
        undefined,
      ]),
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
    expect(reduceErrors({ body: { message: '{not json' } })).toEqual(['{not json']);
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
});

describe('time', () => {
  it('formats the two largest units of a duration', () => {
    expect(formatDuration(3 * 86400000 + 4 * 3600000 + 59 * 60000)).toBe('3 d 4 h');
    expect(formatDuration(2 * 86400000)).toBe('2 d');
    expect(formatDuration(5 * 3600000 + 10 * 60000)).toBe('5 h 10 min');
    expect(formatDuration(3600000)).toBe('1 h');
    expect(formatDuration(59000)).toBe('0 min');
  });

  it('tells time left before the due time and overdue time after it', () => {
    const due = '2026-04-15T16:00:00.000Z';
    expect(timeLeft(due, Date.parse('2026-04-15T14:30:00.000Z'))).toEqual({
      overdue: false,
      text: '1 h 30 min left',
    });
    expect(timeLeft(due, Date.parse('2026-04-16T18:00:00.000Z'))).toEqual({
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
  it('labels tiers and the untargeted state', () => {
    expect(tierLabel('tier_3')).toBe('Tier 3');
    expect(tierLabel(null)).toBe('Not targeted');
    expect(tierFromOption('none')).toBeNull();
    expect(tierFromOption('tier_1')).toBe('tier_1');
  });

  it('labels governance roles, and says when a user has none', () => {
    expect(rolesText(['abm_committee', 'chief_abm_officer'])).toBe('ABM committee, Chief ABM Officer');
    expect(rolesText([])).toBe('No ABM role');
  });

  it('shows a ratio without denominator as a dash', () => {
    expect(formatRatio({ value: 0.625, numerator: 5, denominator: 8 })).toBe('63%');
    expect(formatRatio({ value: null, numerator: 0, denominator: 0 })).toBe('—');
  });

  it('makes idempotency keys the server accepts, different each time', () => {
    const a = newIdempotencyKey('sf-tier');
    const b = newIdempotencyKey('sf-tier');
    expect(a).toMatch(/^[A-Za-z0-9_:.-]{8,128}$/);
    expect(a).not.toBe(b);
  });

  it('says whether Salesforce holds an applied change yet', () => {
    expect(
      tierChangeToast({ outcome: 'applied', tier: 'tier_2', crmWrite: 'pending' }, 'Tier 2').message,
    ).toBe(
      'The account is now Tier 2. Salesforce has not confirmed it yet: the record follows within a few minutes.',
    );
    expect(tierChangeToast({ outcome: 'applied', tier: 'tier_2', crmWrite: 'done' }, 'Tier 2').message).toBe(
      'The account is now Tier 2. The Salesforce record shows it now.',
    );
  });

  it('toasts each tier change outcome with its own variant', () => {
    expect(tierChangeToast({ outcome: 'applied', route: 'routine', tier: null }, 'Not targeted')).toEqual({
      title: 'Tier changed',
      message: 'The account is now Not targeted.',
      variant: 'success',
    });
    expect(
      tierChangeToast({ outcome: 'needs_approval', approverRoles: ['chief_abm_officer'] }, 'Tier 1').variant,
    ).toBe('info');
    expect(
      tierChangeToast({ outcome: 'rejected', code: 'no_change', message: 'Already Tier 1.' }, 'Tier 1'),
    ).toEqual({
      title: 'Tier change refused',
      message: 'Already Tier 1.',
      variant: 'warning',
    });
  });
});
