import { z } from 'zod';

import type {
  AccountSlaKind,
  CostCategory,
  DecisionRoute,
  MetricSegment,
  Tier,
} from '../config/vocabulary.ts';
import { CostCategorySchema, MetricSegmentSchema, TierSchema } from '../config/vocabulary.ts';
import type { TierCapacity } from '../domain/tiering.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import {
  CARD_CALLER_QUERY,
  CrmIdSchema,
  IsoInstantSchema,
  isoToInstant,
  queryIntSchema,
  TierOrNoneSchema,
} from './primitives.ts';
import { DriftDirectionSchema } from './views.ts';

// The governance dashboard: `computeGovernanceMetrics`'s output at the wire, field for field, with its
// instants as ISO 8601; and the portfolio review list.

const count = z.int().nonnegative();
const amount = z.number().nonnegative();

export const MetricRatioSchema = z.strictObject({
  /** numerator / denominator; `null` when the denominator is 0. */
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
});
export const MetricMedianSchema = z.strictObject({ value: z.number().nullable(), count });

const bySegment = <S extends z.ZodType>(schema: S) =>
  z.strictObject({
    tier_1: schema,
    tier_2: schema,
    tier_3: schema,
    abm: schema,
    non_abm: schema,
    all: schema,
  } satisfies Record<MetricSegment, S>);

export const PipelineContributionSchema = z.strictObject({
  openAmount: amount,
  openCount: count,
  createdAmount: amount,
  createdCount: count,
  openShare: MetricRatioSchema,
  createdShare: MetricRatioSchema,
});

export const QuarterDealSizeSchema = z.strictObject({
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/),
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  bySegment: bySegment(
    z.strictObject({ averageWonDealSize: MetricRatioSchema, changeFromPreviousQuarter: MetricRatioSchema }),
  ),
});

export const SegmentConversionSchema = z.strictObject({
  accountToOpportunity: MetricRatioSchema,
  opportunitiesCreated: count,
  winRate: MetricRatioSchema,
  averageWonDealSize: MetricRatioSchema,
  salesCycleDays: MetricRatioSchema,
  velocityPerDay: MetricRatioSchema,
});

export const RoiAtFullCostSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  wonAbmRevenue: amount,
  grossMargin: z.number().min(0).max(1),
  grossProfit: amount,
  fullCost: amount,
  costByCategory: z.strictObject({
    programme_budget: amount,
    sales_time: amount,
    content: amount,
    technology: amount,
    training: amount,
  } satisfies Record<CostCategory, z.ZodType>),
  countedCategories: z.array(CostCategorySchema),
  uncountedCost: amount,
  valuedSalesHours: amount,
  roi: MetricRatioSchema,
});

const SlaComplianceTallyShape = { met: count, breached: count, compliance: MetricRatioSchema };
export const SlaComplianceTallySchema = z.strictObject(SlaComplianceTallyShape);

export const SlaComplianceMetricsSchema = z.strictObject({
  overall: SlaComplianceTallySchema,
  byKind: z.strictObject({
    sales_follow_up: SlaComplianceTallySchema,
    sales_feedback: SlaComplianceTallySchema,
    approval_decision: SlaComplianceTallySchema,
  } satisfies Record<AccountSlaKind, z.ZodType>),
  byOwner: z.array(z.strictObject({ ...SlaComplianceTallyShape, ownerId: z.string() })),
  byTeam: z.array(z.strictObject({ ...SlaComplianceTallyShape, team: z.string() })),
});

export const PortfolioCountSchema = z.strictObject({
  source: z.enum(['given', 'computed']),
  count: bySegment(count),
});

export const GovernanceHealthSchema = z.strictObject({
  approvals: z.strictObject({
    decided: count,
    leadTimeHours: z.strictObject({ median: MetricMedianSchema, mean: MetricRatioSchema }),
    decidedWithinSla: MetricRatioSchema,
    pendingNow: count,
    overduePendingNow: count,
  }),
  tierChanges: z.strictObject({
    total: count,
    byRoute: z.strictObject({
      routine: count,
      sales_request: count,
      tier_1: count,
      over_capacity: count,
    } satisfies Record<DecisionRoute, z.ZodType>),
  }),
  drift: PortfolioCountSchema,
  overdueForReview: PortfolioCountSchema,
});

export const MetricsDataQualitySchema = z.strictObject({
  excluded: z.strictObject({
    accounts: count,
    deals: count,
    costLines: count,
    slaOutcomes: count,
    firstTouches: count,
    approvals: count,
    tierChanges: count,
  }),
  duplicateAccountIds: count,
  dealsWithoutAccount: count,
  firstTouchesWithoutAccount: count,
  closedDealsWithoutCloseDate: count,
});

/** `GovernanceMetrics` at the wire. */
export const GovernanceMetricsWireSchema = z.strictObject({
  /** Half-open: `start` is in the period, `end` is not. */
  period: z.strictObject({ start: IsoInstantSchema, end: IsoInstantSchema }),
  now: IsoInstantSchema,
  configVersion: z.int().positive(),
  pipeline: bySegment(PipelineContributionSchema),
  wonDealSizeByQuarter: z.array(QuarterDealSizeSchema),
  conversion: bySegment(SegmentConversionSchema),
  roi: RoiAtFullCostSchema,
  slaCompliance: SlaComplianceMetricsSchema,
  timeToFirstTouchHours: bySegment(MetricMedianSchema),
  governance: GovernanceHealthSchema,
  dataQuality: MetricsDataQualitySchema,
});
export type GovernanceMetricsWire = z.infer<typeof GovernanceMetricsWireSchema>;

const isInstantText = (text: string) => IsoInstantSchema.safeParse(text).success;

export const GovernanceMetricsQuerySchema = z
  .strictObject({
    ...CARD_CALLER_QUERY,
    /** Period start, included. */
    from: IsoInstantSchema,
    /** Period end, excluded. */
    to: IsoInstantSchema,
    /**
     * The segment the view focuses on. Sections split by segment come whole, so shares keep their
     * denominators; sections the domain does not split (SLA compliance, governance health) count only the
     * accounts of this segment.
     */
    tier: MetricSegmentSchema.optional(),
  })
  .refine(
    // Format issues do not stop zod from running this: compare only bounds that are instants.
    ({ from, to }) => !isInstantText(from) || !isInstantText(to) || isoToInstant(from) <= isoToInstant(to),
    { path: ['to'], message: 'to must not be before from' },
  );
export type GovernanceMetricsQuery = z.infer<typeof GovernanceMetricsQuerySchema>;

export const GovernanceMetricsResponseSchema = z.strictObject({
  tier: MetricSegmentSchema.nullable(),
  metrics: GovernanceMetricsWireSchema,
});
export type GovernanceMetricsResponse = z.infer<typeof GovernanceMetricsResponseSchema>;

export const governanceMetricsContract = defineContract({
  method: 'GET',
  path: '/api/v1/metrics/governance',
  summary: 'Governance metrics of a period: pipeline, deal size, conversion, ROI at full cost, SLAs, health',
  auth: 'card',
  query: GovernanceMetricsQuerySchema,
  response: GovernanceMetricsResponseSchema,
  errors: [...COMMON_ERRORS.card, 'forbidden', 'invalid_period', 'period_too_long'],
});

export const TierCapacitySchema = z.strictObject({
  count,
  capacity: count,
  /** Seats left; negative when over. */
  available: z.int(),
  /** count / capacity; `null` for a tier without capacity. */
  usedShare: z.number().nonnegative().nullable(),
  over: z.boolean(),
} satisfies Record<keyof TierCapacity, z.ZodType>);

export const PortfolioReviewQuerySchema = z.strictObject({
  ...CARD_CALLER_QUERY,
  tier: TierSchema.optional(),
  /** Longest list returned, each of drift and overdue reviews. */
  limit: queryIntSchema(1, 500, 100),
});
export type PortfolioReviewQuery = z.infer<typeof PortfolioReviewQuerySchema>;

export const PortfolioReviewResponseSchema = z.strictObject({
  asOf: IsoInstantSchema,
  /** Accounts whose assigned tier differs from the recommendation, largest gap first. */
  drift: z.array(
    z.strictObject({
      crmId: CrmIdSchema,
      name: z.string(),
      assigned: TierOrNoneSchema,
      recommended: TierOrNoneSchema,
      steps: z.int().min(1).max(3),
      direction: DriftDirectionSchema.exclude(['none']),
      score: z.number().min(0).max(100).nullable(),
    }),
  ),
  /** Targeted accounts past their review cadence, most overdue first (`reviewsDue`). */
  overdueReviews: z.array(
    z.strictObject({
      crmId: CrmIdSchema,
      name: z.string(),
      tier: TierSchema,
      dueAt: IsoInstantSchema,
      overdueDays: count,
      /** Revision 3: whether the user may record the account's review from the list. */
      reviewAllowed: z.boolean().optional(),
    }),
  ),
  capacity: z.strictObject({
    tier_1: TierCapacitySchema,
    tier_2: TierCapacitySchema,
    tier_3: TierCapacitySchema,
  } satisfies Record<Tier, z.ZodType>),
  /** Whole counts, beyond the lists' `limit`. */
  totals: z.strictObject({ drift: count, overdueReviews: count }),
});
export type PortfolioReviewResponse = z.infer<typeof PortfolioReviewResponseSchema>;

export const portfolioReviewContract = defineContract({
  method: 'GET',
  path: '/api/v1/portfolio/review',
  summary: 'Portfolio review: drift from the recommendation, overdue reviews, capacity use per tier',
  auth: 'card',
  query: PortfolioReviewQuerySchema,
  response: PortfolioReviewResponseSchema,
  errors: [...COMMON_ERRORS.card, 'forbidden'],
});
