import { describe, expect, it } from 'vitest';

import { defaultPeriod, isoPeriodOf, monthsOf } from './period.ts';

describe('dashboard period', () => {
  it('defaults to the twelve months ending today, today included', () => {
    expect(defaultPeriod('2026-11-30')).toEqual({ from: '2025-12-01', to: '2026-11-30' });
  });

  it('turns days into a half-open interval that includes the last day', () => {
    expect(isoPeriodOf({ from: '2026-01-01', to: '2026-03-31' })).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      label: '2026-01-01 – 2026-03-31',
    });
  });

  it('refuses malformed days and a period ending before it starts', () => {
    expect(isoPeriodOf({ from: '2026-13-01', to: '2026-12-31' })).toBeNull();
    expect(isoPeriodOf({ from: '2026-03-01', to: '2026-02-28' })).toBeNull();
    expect(isoPeriodOf({ from: '', to: '2026-02-28' })).toBeNull();
  });

  it('splits a period into calendar months clipped to it, keeping the last ones', () => {
    const period = isoPeriodOf({ from: '2026-01-15', to: '2026-03-10' });
    if (period === null) throw new Error('period expected');
    expect(monthsOf(period).map((month) => [month.label, month.from, month.to])).toEqual([
      ['2026-01', '2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03', '2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ]);
    expect(monthsOf(period, 2).map((month) => month.label)).toEqual(['2026-02', '2026-03']);
  });
});
