import { z } from 'zod';

// Every closed set of the product is declared once here, as a zod enum, and its TypeScript union is
// inferred from it, so a value that parses is exactly a value the types allow.

export const TierSchema = z.enum(['tier_1', 'tier_2', 'tier_3']);
export type Tier = z.infer<typeof TierSchema>;
export const TIERS = TierSchema.options;
/** `null` means the account is not targeted. */
export type TierOrNone = Tier | null;

/** 1 for tier_1 down to 4 for not targeted: the distance between two tiers is the difference of ranks. */
export const tierRank = (tier: TierOrNone): number =>
  tier === null ? TIERS.length + 1 : TIERS.indexOf(tier) + 1;

export const RoleSchema = z.enum([
  'chief_abm_officer',
  'abm_committee',
  'abm_manager',
  'marketer',
  'sales_manager',
  'sales_rep',
]);
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

export const AxisSchema = z.enum(['revenue_potential', 'probability_of_success', 'strategic_alignment']);
export type Axis = z.infer<typeof AxisSchema>;
export const AXES = AxisSchema.options;

export const CriterionSchema = z.enum([
  'annual_revenue',
  'headcount',
  'pipeline',
  'engagement',
  'buying_role_coverage',
  'existing_relationship',
  'win_history',
  'icp_industry',
  'icp_region',
  'strategic_flag',
]);
export type Criterion = z.infer<typeof CriterionSchema>;
export const CRITERIA = CriterionSchema.options;

/**
 * What ABM Pilot reads of an account besides the score's criteria, and names on the card when the CRM holds
 * no value for it: the intent score, which the MQA rule reads for intent surges.
 */
export const SignalSchema = z.enum(['intent']);
export type Signal = z.infer<typeof SignalSchema>;
export const SIGNALS = SignalSchema.options;

/** Which axis each criterion feeds: fixed by the product, not by configuration (product.md, "Score"). */
export const CRITERION_AXIS: Readonly<Record<Criterion, Axis>> = {
  annual_revenue: 'revenue_potential',
  headcount: 'revenue_potential',
  pipeline: 'revenue_potential',
  engagement: 'probability_of_success',
  buying_role_coverage: 'probability_of_success',
  existing_relationship: 'probability_of_success',
  win_history: 'probability_of_success',
  icp_industry: 'strategic_alignment',
  icp_region: 'strategic_alignment',
  strategic_flag: 'strategic_alignment',
};

/** HubSpot's `hs_buying_role` values, lower-cased; Salesforce contact roles map onto the same set. */
export const BuyingRoleSchema = z.enum([
  'decision_maker',
  'champion',
  'budget_holder',
  'executive_sponsor',
  'influencer',
  'end_user',
  'legal_and_compliance',
  'blocker',
  'other',
]);
export type BuyingRole = z.infer<typeof BuyingRoleSchema>;

/** What a tier change takes: a short path, or an approval by whoever has the right. */
export const DecisionRouteSchema = z.enum(['routine', 'sales_request', 'tier_1', 'over_capacity']);
export type DecisionRoute = z.infer<typeof DecisionRouteSchema>;
export const DECISION_ROUTES = DecisionRouteSchema.options;

export const TierChangeRejectionSchema = z.enum([
  'no_change',
  'reason_required',
  'capacity_exceeded',
  'not_allowed_for_role',
  'approval_pending',
]);
export type TierChangeRejection = z.infer<typeof TierChangeRejectionSchema>;

export const ApprovalStateSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type ApprovalState = z.infer<typeof ApprovalStateSchema>;

export const GovernanceModeSchema = z.enum(['audit', 'enforce']);
export type GovernanceMode = z.infer<typeof GovernanceModeSchema>;

export const SlaKindSchema = z.enum([
  'sales_follow_up',
  'sales_feedback',
  'marketing_delivery',
  'approval_decision',
]);
export type SlaKind = z.infer<typeof SlaKindSchema>;
export const SLA_KINDS = SlaKindSchema.options;
/** The SLAs that run as a clock per account; `marketing_delivery` is measured per period instead. */
export const AccountSlaKindSchema = SlaKindSchema.exclude(['marketing_delivery']);
export type AccountSlaKind = z.infer<typeof AccountSlaKindSchema>;
export const ACCOUNT_SLA_KINDS = AccountSlaKindSchema.options;

/**
 * Where a tier stands against its marketing-delivery commitment: a closed month met or missed it; the
 * month so far is on track or behind.
 */
export const DeliveryVerdictSchema = z.enum(['met', 'missed', 'on_track', 'behind']);
export type DeliveryVerdict = z.infer<typeof DeliveryVerdictSchema>;
export const DELIVERY_VERDICTS = DeliveryVerdictSchema.options;

export const SlaStatusSchema = z.enum(['on_track', 'at_risk', 'breached', 'met']);
export type SlaStatus = z.infer<typeof SlaStatusSchema>;

export const AlertKindSchema = z.enum(['reminder', 'breach', 'escalation', 'digest']);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const HandoverDecisionSchema = z.enum(['accepted', 'rejected']);
export type HandoverDecision = z.infer<typeof HandoverDecisionSchema>;

export const CostCategorySchema = z.enum([
  'programme_budget',
  'sales_time',
  'content',
  'technology',
  'training',
]);
export type CostCategory = z.infer<typeof CostCategorySchema>;
export const COST_CATEGORIES = CostCategorySchema.options;

export const DealStageSchema = z.enum(['open', 'won', 'lost']);
export type DealStage = z.infer<typeof DealStageSchema>;

/** How governance metrics are cut: each tier, all ABM (any tier), non-ABM (untargeted) and everything. */
export const MetricSegmentSchema = z.enum(['tier_1', 'tier_2', 'tier_3', 'abm', 'non_abm', 'all']);
export type MetricSegment = z.infer<typeof MetricSegmentSchema>;
export const METRIC_SEGMENTS = MetricSegmentSchema.options;
