import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { AccountFilters } from './route.ts';
import { hrefOf, parseRoute } from './route.ts';

describe('parseRoute', () => {
  it('opens the dashboard for an empty, unknown or malformed hash', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#/accounts/%E0%A4%A', '#/accounts/..%2F..']) {
      expect(parseRoute(hash)).toEqual({ page: 'dashboard' });
    }
  });

  it('reads an account page and the accounts list with its filters', () => {
    expect(parseRoute('#/accounts/001A000001')).toEqual({ page: 'account', crmId: '001A000001' });
    expect(parseRoute('#/accounts?q=north&segment=tier_1&sla=breached&sort=tier&order=asc&page=3')).toEqual({
      page: 'accounts',
      filters: { q: 'north', segment: 'tier_1', sla: 'breached', sort: 'tier', order: 'asc', page: 3 },
    });
  });

  it('reads the portfolio review and gives it back', () => {
    expect(parseRoute('#/review')).toEqual({ page: 'review' });
    expect(hrefOf({ page: 'review' })).toBe('#/review');
  });

  it('drops filter values it does not know instead of failing', () => {
    expect(parseRoute('#/accounts?segment=tier_9&sort=revenue&order=up&page=-2&drift=sideways')).toEqual({
      page: 'accounts',
      filters: {},
    });
  });

  it('gives back any accounts route it wrote', () => {
    const filters = fc.record(
      {
        q: fc.string({ minLength: 1, maxLength: 20 }).filter((q) => q.trim() === q && q.length > 0),
        segment: fc.constantFrom('tier_1', 'tier_2', 'tier_3', 'abm', 'non_abm', 'all'),
        sla: fc.constantFrom('breached', 'at_risk', 'on_track', 'none'),
        drift: fc.constantFrom('drifting', 'above', 'below', 'none'),
        sort: fc.constantFrom('name', 'tier', 'score', 'drift', 'sla', 'owner'),
        order: fc.constantFrom('asc', 'desc'),
        page: fc.integer({ min: 2, max: 500 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(filters, (value) => {
        const route = { page: 'accounts' as const, filters: value as AccountFilters };
        expect(parseRoute(hrefOf(route))).toEqual(route);
      }),
    );
  });
});
