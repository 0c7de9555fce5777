import { z } from 'zod';

import type { DeliveryVerdict, Tier } from '../config/vocabulary.ts';
import type { CalendarMonth } from '../domain/deliveryMonths.ts';
import { deliveryShortfalls } from '../domain/deliveryMonths.ts';
import type { MarketingDelivery, MarketingDeliveryOfTier } from '../domain/sla.ts';
import type { Instant } from '../domain/time.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import { CARD_CALLER_QUERY, instantToIso, IsoInstantSchema, queryIntSchema } from './primitives.ts';

// The marketing_delivery SLA: per tier, the MQAs marketing delivered against its monthly commitment and the
// share sales accepted against the minimum, for each closed month recorded and for the month so far. A
// new endpoint rather than a field of the governance metrics: it is read by month, not by the period
// those are asked for, and the answers installed cards parse strictly stay as they are.

const count = z.int().nonnegative();
const rate = z.number().min(0).max(1);

export const DeliveryOfTierSchema = z.strictObject({
  delivered: count,
  /** The commitment of the period: the monthly one, prorated for the month so far (rounded up). */
  committed: count,
  /** Quantity: delivered reached committed. */
  met: z.boolean(),
  accepted: count,
  rejected: count,
  /** accepted / (accepted + rejected); `null` when sales answered none of the period's handovers. */
  acceptanceRate: rate.nullable(),
  /** acceptanceRate reached the minimum; `null` (unknown, not failed) without any answer. */
  qualityMet: z.boolean().nullable(),
} satisfies Record<Exclude<keyof MarketingDeliveryOfTier, 'tier'>, z.ZodType>);
export type DeliveryOfTier = z.infer<typeof DeliveryOfTierSchema>;

export const DeliveryPeriodSchema = z.strictObject({
  /** The calendar month, `YYYY-MM`, in the tenant's zone. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month (YYYY-MM)'),
  /** Half-open: the handovers started from `start` (included) to `end` (excluded). */
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  minAcceptanceRate: rate,
  byTier: z.strictObject({
    tier_1: DeliveryOfTierSchema,
    tier_2: DeliveryOfTierSchema,
    tier_3: DeliveryOfTierSchema,
  } satisfies Record<Tier, z.ZodType>),
  /** Every tier delivered its commitment and none fell below the acceptance minimum. */
  met: z.boolean(),
});
export type DeliveryPeriod = z.infer<typeof DeliveryPeriodSchema>;

export const RecordedDeliveryMonthSchema = DeliveryPeriodSchema.extend({
  recordedAt: IsoInstantSchema,
  /** The governance config version whose commitments the month was measured against. */
  configVersion: z.int().positive(),
});
export type RecordedDeliveryMonth = z.infer<typeof RecordedDeliveryMonthSchema>;

export const MarketingDeliveryQuerySchema = z.strictObject({
  ...CARD_CALLER_QUERY,
  /** Closed months returned, newest first. */
  months: queryIntSchema(1, 24, 6),
});
export type MarketingDeliveryQuery = z.infer<typeof MarketingDeliveryQuerySchema>;

export const MarketingDeliveryResponseSchema = z.strictObject({
  asOf: IsoInstantSchema,
  /** The zone whose calendar months are measured. */
  timezone: z.string(),
  /**
   * The month so far, up to `asOf`, against its commitment prorated to the time gone; from when the
   * programme started watching when that is later than the month's start; `null` at its very first
   * instant, with nothing to measure yet.
   */
  currentMonth: DeliveryPeriodSchema.nullable(),
  /** Closed months as recorded when they closed, newest first. */
  months: z.array(RecordedDeliveryMonthSchema),
});
export type MarketingDeliveryResponse = z.infer<typeof MarketingDeliveryResponseSchema>;

export const marketingDeliveryContract = defineContract({
  method: 'GET',
  path: '/api/v1/metrics/marketing-delivery',
  summary: 'Marketing delivery: MQAs per tier against the monthly commitment, and sales acceptance',
  auth: 'card',
  query: MarketingDeliveryQuerySchema,
  response: MarketingDeliveryResponseSchema,
  errors: [...COMMON_ERRORS.card, 'forbidden'],
});

/** A period's delivery at the wire: `period` is the part of `month` measured. */
export function deliveryPeriodToWire(
  month: CalendarMonth,
  period: { readonly start: Instant; readonly end: Instant },
  report: MarketingDelivery,
  minAcceptanceRate: number,
): DeliveryPeriod {
  const ofTier = ({ tier: _tier, ...figures }: MarketingDeliveryOfTier): DeliveryOfTier => figures;
  return {
    month: month.month,
    start: instantToIso(period.start),
    end: instantToIso(period.end),
    minAcceptanceRate,
    byTier: {
      tier_1: ofTier(report.byTier.tier_1),
      tier_2: ofTier(report.byTier.tier_2),
      tier_3: ofTier(report.byTier.tier_3),
    },
    met: deliveryShortfalls(report, minAcceptanceRate).length === 0,
  };
}

/**
 * Where a tier stands: a closed month met or missed its commitment; the month so far is on track or
 * behind it. Quality without any answer yet is not held against it.
 */
export function deliveryVerdictOf(ofTier: DeliveryOfTier, closed: boolean): DeliveryVerdict {
  const held = ofTier.met && ofTier.qualityMet !== false;
  if (closed) return held ? 'met' : 'missed';
  return held ? 'on_track' : 'behind';
}
