import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import { calendarMonthNamed, handoverDelivery } from '../domain/deliveryMonths.ts';
import type { DeliveryOfTier } from './marketingDelivery.ts';
import { DeliveryPeriodSchema, deliveryPeriodToWire, deliveryVerdictOf } from './marketingDelivery.ts';

const tier = (overrides: Partial<DeliveryOfTier>): DeliveryOfTier => ({
  delivered: 5,
  committed: 5,
  met: true,
  accepted: 3,
  rejected: 1,
  acceptanceRate: 0.75,
  qualityMet: true,
  ...overrides,
});

describe('where a tier stands', () => {
  it('met a closed month only with enough MQAs and enough of them accepted', () => {
    expect(deliveryVerdictOf(tier({}), true)).toBe('met');
    expect(deliveryVerdictOf(tier({ delivered: 4, met: false }), true)).toBe('missed');
    expect(deliveryVerdictOf(tier({ acceptanceRate: 0.5, qualityMet: false }), true)).toBe('missed');
  });

  it('does not hold quality against a tier whose handovers sales has not answered yet', () => {
    expect(
      deliveryVerdictOf(tier({ accepted: 0, rejected: 0, acceptanceRate: null, qualityMet: null }), true),
    ).toBe('met');
  });

  it('is on track or behind in the month so far', () => {
    expect(deliveryVerdictOf(tier({}), false)).toBe('on_track');
    expect(deliveryVerdictOf(tier({ met: false }), false)).toBe('behind');
  });
});

describe('a period at the wire', () => {
  it('carries the figures of each tier, the minimum rate, and whether every tier held', () => {
    const march = calendarMonthNamed('2026-03', 'Europe/Paris');
    const wire = deliveryPeriodToWire(
      march,
      march,
      handoverDelivery([], march, DEFAULT_GOVERNANCE_CONFIG),
      0.6,
    );
    expect(DeliveryPeriodSchema.parse(wire)).toEqual(wire);
    expect(wire).toMatchObject({
      month: '2026-03',
      start: '2026-02-28T23:00:00.000Z',
      end: '2026-03-31T22:00:00.000Z',
      minAcceptanceRate: 0.6,
      met: false,
      byTier: { tier_1: { delivered: 0, committed: 5, met: false, acceptanceRate: null, qualityMet: null } },
    });
  });
});
