import type { ConsoleAccountsQuery } from '@abm-pilot/shared';
import { ConsoleAccountsQuerySchema } from '@abm-pilot/shared';
import { describe, expect, it } from 'vitest';

import { slaInstance, T0 } from '../../store/sqlite/testSupport.ts';
import { accountRowOf, accountsPage, worstSla } from './accountsList.ts';
import { cookieValue, sessionCookie } from './cookie.ts';

const HOUR = 3_600_000;
const query = (input: Record<string, string> = {}): ConsoleAccountsQuery =>
  ConsoleAccountsQuerySchema.parse(input);

describe('worstSla', () => {
  it('reads the worst running clock, ignoring met ones, and null without a clock', () => {
    const onTrack = slaInstance('a', { startedAt: T0 });
    const breached = slaInstance('a', { startedAt: T0 - 72 * HOUR });
    const met = slaInstance('a', { startedAt: T0 - 72 * HOUR, stoppedAt: T0 - 70 * HOUR });
    expect(worstSla([onTrack, breached], T0 + HOUR)).toBe('breached');
    expect(worstSla([met, onTrack], T0 + HOUR)).toBe('on_track');
    expect(worstSla([met], T0 + HOUR)).toBeNull();
  });
});

describe('accountsPage', () => {
  const record = (crmId: string, name: string, tier: 'tier_1' | 'tier_2' | null, score: number | null) => ({
    crmId,
    name,
    tier,
    recommendedTier: score === null ? null : ('tier_2' as const),
    score,
    owner: { crmId: 'o1', name: 'Owner' },
  });
  const rows = [
    accountRowOf(record('a1', 'Beta', 'tier_1', 80), [], false, T0),
    accountRowOf(record('a2', 'alpha', 'tier_2', 60), [], true, T0),
    accountRowOf(record('a3', 'Gamma', null, null), [], false, T0),
  ];

  it('shows a never-computed account without drift and without a score', () => {
    expect(rows[2]).toMatchObject({
      score: null,
      recommendedTier: null,
      drift: { steps: 0, direction: 'none' },
    });
    expect(rows[0]).toMatchObject({ drift: { steps: 1, direction: 'above' } });
  });

  it('sorts by score (missing last) by default and by name ignoring case, ties by name', () => {
    expect(accountsPage(rows, query()).accounts.map((row) => row.crmId)).toEqual(['a1', 'a2', 'a3']);
    expect(
      accountsPage(rows, query({ sort: 'name', order: 'asc' })).accounts.map((row) => row.crmId),
    ).toEqual(['a2', 'a1', 'a3']);
    expect(
      accountsPage(rows, query({ sort: 'tier', order: 'desc' })).accounts.map((row) => row.crmId),
    ).toEqual(['a1', 'a2', 'a3']);
  });

  it('keeps only the ids asked for, whatever the page', () => {
    expect(accountsPage(rows, query({ ids: 'a3,a1,zz' })).accounts.map((row) => row.crmId)).toEqual([
      'a1',
      'a3',
    ]);
  });

  it('filters the ABM and non-ABM segments and counts every match beyond the page', () => {
    expect(accountsPage(rows, query({ segment: 'non_abm' })).accounts.map((row) => row.crmId)).toEqual([
      'a3',
    ]);
    const page = accountsPage(rows, query({ segment: 'abm', limit: '1' }));
    expect(page).toMatchObject({ total: 2 });
    expect(page.accounts.map((row) => row.crmId)).toEqual(['a1']);
  });
});

describe('the session cookie', () => {
  it('reads its own cookie among others and refuses values that are not a token', () => {
    expect(cookieValue('a=1; abm_console=abm_adm_0a.b-c_d; z=2', 'abm_console')).toBe('abm_adm_0a.b-c_d');
    expect(cookieValue('abm_console=<script>', 'abm_console')).toBeNull();
    expect(cookieValue('other=1', 'abm_console')).toBeNull();
    expect(cookieValue(undefined, 'abm_console')).toBeNull();
  });

  it('is HttpOnly, SameSite=Strict on /, Secure when asked, and cleared with Max-Age=0', () => {
    expect(sessionCookie('t0k3n', true)).toBe(
      'abm_console=t0k3n; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure',
    );
    expect(sessionCookie(null, false)).toBe('abm_console=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
