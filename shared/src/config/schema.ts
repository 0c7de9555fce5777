import { z } from 'zod';

import type { DomainError, Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import {
  BuyingRoleSchema,
  CostCategorySchema,
  DecisionRouteSchema,
  GovernanceModeSchema,
  RoleSchema,
} from './vocabulary.ts';

const perTier = <T extends z.ZodType>(value: T) =>
  z.strictObject({ tier_1: value, tier_2: value, tier_3: value });

const weight = z.number().min(0).max(100);
const positive = z.number().positive();
const nonEmptyLabel = z.string().trim().min(1);

/** A numeric criterion scored on a log scale between `floor` (0) and `ceiling` (1). */
const logBand = z
  .strictObject({ weight, floor: positive, ceiling: positive })
  .refine((band) => band.ceiling > band.floor, { message: 'ceiling must be above floor', path: ['ceiling'] });

export const ScoringModelSchema = z
  .strictObject({
    version: nonEmptyLabel,
    axes: z.strictObject({
      revenue_potential: z.strictObject({ weight }),
      probability_of_success: z.strictObject({ weight }),
      strategic_alignment: z.strictObject({ weight }),
    }),
    criteria: z.strictObject({
      annual_revenue: logBand,
      headcount: logBand,
      pipeline: logBand,
      /** Recency-weighted engagement points: half-life in days, and the points that score one half. */
      engagement: z.strictObject({ weight, halfLifeDays: positive, halfSaturationPoints: positive }),
      buying_role_coverage: z.strictObject({ weight, requiredRoles: z.array(BuyingRoleSchema).min(1) }),
      existing_relationship: z.strictObject({ weight }),
      /** Won deals to date; `saturationWins` or more scores the full criterion. */
      win_history: z.strictObject({ weight, saturationWins: z.int().positive() }),
      icp_industry: z.strictObject({ weight, industries: z.array(nonEmptyLabel) }),
      icp_region: z.strictObject({ weight, regions: z.array(nonEmptyLabel) }),
      strategic_flag: z.strictObject({ weight }),
    }),
  })
  .superRefine((model, ctx) => {
    const axisTotal = Object.values(model.axes).reduce((sum, axis) => sum + axis.weight, 0);
    if (axisTotal <= 0)
      ctx.addIssue({ code: 'custom', path: ['axes'], message: 'axis weights must not all be zero' });
  });
export type ScoringModel = z.infer<typeof ScoringModelSchema>;

export const TierPolicySchema = z
  .strictObject({
    /** Minimum score for each recommended tier. */
    thresholds: perTier(z.number().min(0).max(100)),
    /** Points below its threshold that a tier is kept, so recommendations do not flap. */
    hysteresis: z.number().min(0).max(50),
    capacity: perTier(z.int().nonnegative()),
    /** Beyond capacity a change needs the Chief ABM Officer; beyond this share over capacity it is refused. */
    overCapacityCeilingPct: z.number().min(0).max(1000),
    reviewCadenceDays: perTier(z.int().positive()),
  })
  .superRefine((policy, ctx) => {
    const { tier_1, tier_2, tier_3 } = policy.thresholds;
    if (!(tier_1 > tier_2 && tier_2 > tier_3)) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds'],
        message: 'thresholds must fall strictly from tier_1 to tier_3',
      });
    }
    const narrowestGap = Math.min(tier_1 - tier_2, tier_2 - tier_3);
    if (policy.hysteresis >= narrowestGap) {
      ctx.addIssue({
        code: 'custom',
        path: ['hysteresis'],
        message: `hysteresis must be below the narrowest gap between thresholds (${narrowestGap})`,
      });
    }
  });
export type TierPolicy = z.infer<typeof TierPolicySchema>;

const RoleRightsSchema = z.strictObject({
  /** May ask for a tier change at all. */
  mayRequest: z.boolean(),
  /** Routes this role may apply without asking anyone (`sales_request` is the route of a role without `routine`). */
  mayApply: z.array(DecisionRouteSchema.exclude(['sales_request'])),
});

export const DecisionRightsSchema = z.strictObject({
  roles: z.strictObject({
    chief_abm_officer: RoleRightsSchema,
    abm_committee: RoleRightsSchema,
    abm_manager: RoleRightsSchema,
    marketer: RoleRightsSchema,
    sales_manager: RoleRightsSchema,
    sales_rep: RoleRightsSchema,
  }),
  /** Who decides a request on each route that needs approval. */
  approvers: z.strictObject({
    sales_request: z.array(RoleSchema).min(1),
    tier_1: z.array(RoleSchema).min(1),
    over_capacity: z.array(RoleSchema).min(1),
  }),
  /** A target tier more than this many steps from the recommendation needs a written reason. */
  reasonRequiredBeyondSteps: z.int().nonnegative(),
  approvalSla: z
    .strictObject({ decideWithinBusinessDays: positive, expireAfterBusinessDays: positive })
    .refine((sla) => sla.expireAfterBusinessDays >= sla.decideWithinBusinessDays, {
      message: 'an approval cannot expire before it is due',
      path: ['expireAfterBusinessDays'],
    }),
  /** What the sync does with a tier edited outside the app. */
  outOfAppEdits: GovernanceModeSchema,
});
export type DecisionRights = z.infer<typeof DecisionRightsSchema>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');
const isoDate = z.iso.date();

export const BusinessHoursSchema = z
  .strictObject({
    /** IANA zone of the calendar when the owner has none of their own. */
    timezone: z.string().refine(isKnownTimeZone, { message: 'unknown IANA time zone' }),
    /** ISO weekdays: 1 is Monday, 7 is Sunday. */
    weekdays: z.array(z.int().min(1).max(7)).min(1),
    dayStart: clock,
    dayEnd: clock,
    holidays: z.array(isoDate),
  })
  .refine((hours) => hours.dayEnd > hours.dayStart, {
    message: 'dayEnd must be after dayStart',
    path: ['dayEnd'],
  });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const SlaPolicySchema = z
  .strictObject({
    followUpBusinessHours: perTier(positive),
    feedbackBusinessDays: perTier(positive),
    /** Share of the allowed time after which an instance is at risk. */
    atRiskRatio: z.number().gt(0).lt(1),
    /** A breach escalates once it has lasted this share of the allowed time again. */
    escalationRatio: z.number().positive(),
    marketingDelivery: z.strictObject({
      mqasPerMonth: perTier(z.int().nonnegative()),
      minAcceptanceRate: z.number().min(0).max(1),
    }),
    /** Open alert tasks one person receives per day before the rest fold into one digest task. */
    alertCapPerPersonPerDay: z.int().positive(),
    handoverReasonCodes: z.strictObject({
      accepted: z.array(nonEmptyLabel).min(1),
      rejected: z.array(nonEmptyLabel).min(1),
    }),
  })
  .refine((policy) => policy.atRiskRatio < 1, { path: ['atRiskRatio'], message: 'must be below 1' });
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

export const MqaRuleSchema = z.strictObject({
  windowDays: z.int().positive(),
  minEngagementPoints: z.number().nonnegative(),
  minEngagedContacts: z.int().nonnegative(),
  /** An intent score at or above this marks a surge, which qualifies the account on its own. */
  intentSurgeScore: z.number().min(0).max(100),
});
export type MqaRule = z.infer<typeof MqaRuleSchema>;

export const CostPolicySchema = z.strictObject({
  categories: z.array(CostCategorySchema).min(1),
  /** Gross margin applied to won revenue in ROI at full cost. */
  grossMargin: z.number().min(0).max(1),
  /** Hourly cost of sales time, salary plus overhead, when a ledger line gives hours. */
  salesLoadedHourlyRate: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
});
export type CostPolicy = z.infer<typeof CostPolicySchema>;

export const GovernanceConfigSchema = z.strictObject({
  version: z.int().positive(),
  scoring: ScoringModelSchema,
  tiers: TierPolicySchema,
  decisionRights: DecisionRightsSchema,
  businessHours: BusinessHoursSchema,
  sla: SlaPolicySchema,
  mqa: MqaRuleSchema,
  costs: CostPolicySchema,
});
export type GovernanceConfig = z.infer<typeof GovernanceConfigSchema>;

export interface ConfigProblem {
  /** Dotted path into the config, `''` for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type InvalidConfig = DomainError<'invalid_config'> & { readonly problems: readonly ConfigProblem[] };

/** Validates a whole config, naming every problem by its path rather than stopping at the first. */
export function parseGovernanceConfig(input: unknown): Result<GovernanceConfig, InvalidConfig> {
  const parsed = GovernanceConfigSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return err({
    code: 'invalid_config',
    message: `Invalid governance config: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
    problems,
  });
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
