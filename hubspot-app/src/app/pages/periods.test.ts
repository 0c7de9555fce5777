import { GovernanceMetricsQuerySchema } from '@abm-pilot/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { PERIOD_CHOICES, periodOf } from './periods.ts';

describe('dashboard periods', () => {
  it('takes whole UTC quarters, across a year boundary too', () => {
    const january = Date.parse('2026-01-20T10:00:00Z');
    expect(periodOf('last_quarter', january)).toEqual({
      from: '2025-10-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
    expect(periodOf('last_4_quarters', january)).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
    expect(periodOf('year_to_date', january)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-20T10:00:00.000Z',
    });
  });

  it('always makes a period the metrics contract accepts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        fc.constantFrom(...PERIOD_CHOICES),
        (now, choice) => {
          const period = periodOf(choice, now);
          expect(GovernanceMetricsQuerySchema.safeParse({ userId: '1', ...period }).success).toBe(true);
        },
      ),
    );
  });
});
