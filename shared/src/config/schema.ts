import { z } from 'zod';

import type { DomainError, Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { deepFreeze } from './deepFreeze.ts';
import {
  BuyingRoleSchema,
  CostCategorySchema,
  DecisionRouteSchema,
  GovernanceModeSchema,
  RoleSchema,
} from './vocabulary.ts';

const perTier = <T extends z.ZodType>(value: T) =>
  z.strictObject({ tier_1: value, tier_2: value, tier_3: value });

/**
 * A rule across fields of one object. zod skips an object's refinements as soon as anything inside it
 * is invalid, which would hide these problems behind unrelated ones; so each rule runs whenever the
 * fields it reads parse with `reads`, however invalid the rest of the object is.
 */
function crossField<R>(
  reads: z.ZodType<R>,
  path: readonly PropertyKey[],
  holds: (fields: R) => boolean,
  message: string | ((fields: R) => string),
) {
  const fieldsOf = (value: unknown) => reads.safeParse(value);
  return z.refine(
    (value: unknown) => {
      const fields = fieldsOf(value);
      return !fields.success || holds(fields.data);
    },
    {
      path: [...path],
      when: (payload) => fieldsOf(payload.value).success,
      error: (issue) => {
        if (typeof message === 'string') return message;
        const fields = fieldsOf(issue.input);
        return fields.success ? message(fields.data) : undefined;
      },
    },
  );
}

const weight = z.number().min(0).max(100);
const positive = z.number().positive();
const nonEmptyLabel = z.string().trim().min(1);
/** Industry and region keys, normalised at the edge: accounts are matched on them exactly. */
const snakeCaseKey = z.string().regex(/^[a-z0-9]+(?:_[a-z0-9]+)*$/, 'expected a lower-case snake_case key');

const logBandBounds = z.object({ floor: positive, ceiling: positive });
/** A numeric criterion scored on a log scale between `floor` (0) and `ceiling` (1). */
const logBand = z
  .strictObject({ weight, ...logBandBounds.shape })
  .check(
    crossField(
      logBandBounds,
      ['ceiling'],
      (band) => band.ceiling > band.floor,
      'ceiling must be above floor',
    ),
  );

const AxesSchema = z.strictObject({
  revenue_potential: z.strictObject({ weight }),
  probability_of_success: z.strictObject({ weight }),
  strategic_alignment: z.strictObject({ weight }),
});

export const ScoringModelSchema = z
  .strictObject({
    version: nonEmptyLabel,
    axes: AxesSchema,
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
      icp_industry: z.strictObject({ weight, industries: z.array(snakeCaseKey) }),
      icp_region: z.strictObject({ weight, regions: z.array(snakeCaseKey) }),
      strategic_flag: z.strictObject({ weight }),
    }),
  })
  .check(
    crossField(
      z.object({ axes: AxesSchema }),
      ['axes'],
      ({ axes }) => Object.values(axes).reduce((sum, axis) => sum + axis.weight, 0) > 0,
      'axis weights must not all be zero',
    ),
  );
export type ScoringModel = z.infer<typeof ScoringModelSchema>;

const ThresholdsSchema = perTier(z.number().min(0).max(100));
const HysteresisSchema = z.number().min(0).max(50);
const narrowestGap = ({ tier_1, tier_2, tier_3 }: z.infer<typeof ThresholdsSchema>): number =>
  Math.min(tier_1 - tier_2, tier_2 - tier_3);

export const TierPolicySchema = z
  .strictObject({
    /** Minimum score for each recommended tier. */
    thresholds: ThresholdsSchema,
    /** Points below its threshold that a tier is kept, so recommendations do not flap. */
    hysteresis: HysteresisSchema,
    capacity: perTier(z.int().nonnegative()),
    /** Beyond capacity a change needs the Chief ABM Officer; beyond this share over capacity it is refused. */
    overCapacityCeilingPct: z.number().min(0).max(1000),
    reviewCadenceDays: perTier(z.int().positive()),
  })
  .check(
    crossField(
      z.object({ thresholds: ThresholdsSchema }),
      ['thresholds'],
      ({ thresholds: t }) => t.tier_1 > t.tier_2 && t.tier_2 > t.tier_3,
      'thresholds must fall strictly from tier_1 to tier_3',
    ),
    crossField(
      z.object({ thresholds: ThresholdsSchema, hysteresis: HysteresisSchema }),
      ['hysteresis'],
      (policy) => policy.hysteresis < narrowestGap(policy.thresholds),
      (policy) =>
        `hysteresis must be below the narrowest gap between thresholds (${narrowestGap(policy.thresholds)})`,
    ),
  );
export type TierPolicy = z.infer<typeof TierPolicySchema>;

const RoleRightsSchema = z.strictObject({
  /** May ask for a tier change at all. */
  mayRequest: z.boolean(),
  /** Routes this role may apply without asking anyone (`sales_request` is the route of a role without `routine`). */
  mayApply: z.array(DecisionRouteSchema.exclude(['sales_request'])),
});

const RolesSchema = z.strictObject({
  chief_abm_officer: RoleRightsSchema,
  abm_committee: RoleRightsSchema,
  abm_manager: RoleRightsSchema,
  marketer: RoleRightsSchema,
  sales_manager: RoleRightsSchema,
  sales_rep: RoleRightsSchema,
});

const ApproversSchema = z.strictObject({
  sales_request: z.array(RoleSchema).min(1),
  tier_1: z.array(RoleSchema).min(1),
  over_capacity: z.array(RoleSchema).min(1),
});
type ApprovalRoute = keyof z.infer<typeof ApproversSchema>;

/**
 * The right an approver must hold itself on each route: no one approves what they could not do. A sales
 * request asks for a routine move, so approving one takes the routine right.
 */
const RIGHT_TO_APPROVE = {
  sales_request: 'routine',
  tier_1: 'tier_1',
  over_capacity: 'over_capacity',
} as const satisfies Record<ApprovalRoute, z.infer<typeof RoleRightsSchema>['mayApply'][number]>;

const RolesAndApprovers = z.object({ roles: RolesSchema, approvers: ApproversSchema });

const approverRule = (route: ApprovalRoute) => {
  const right = RIGHT_TO_APPROVE[route];
  const lacking = ({ roles, approvers }: z.infer<typeof RolesAndApprovers>) =>
    approvers[route].filter((role) => !roles[role].mayApply.includes(right));
  return crossField(
    RolesAndApprovers,
    ['approvers', route],
    (rights) => lacking(rights).length === 0,
    (rights) => `${lacking(rights).join(', ')} may not approve the ${route} route without the ${right} right`,
  );
};

const approvalSlaDays = z.object({ decideWithinBusinessDays: positive, expireAfterBusinessDays: positive });

export const DecisionRightsSchema = z
  .strictObject({
    roles: RolesSchema,
    /** Who decides a request on each route that needs approval. */
    approvers: ApproversSchema,
    /** A target tier more than this many steps from the recommendation needs a written reason. */
    reasonRequiredBeyondSteps: z.int().nonnegative(),
    approvalSla: z
      .strictObject(approvalSlaDays.shape)
      .check(
        crossField(
          approvalSlaDays,
          ['expireAfterBusinessDays'],
          (sla) => sla.expireAfterBusinessDays >= sla.decideWithinBusinessDays,
          'an approval cannot expire before it is due',
        ),
      ),
    /** What the sync does with a tier edited outside the app. */
    outOfAppEdits: GovernanceModeSchema,
  })
  .check(approverRule('sales_request'), approverRule('tier_1'), approverRule('over_capacity'));
export type DecisionRights = z.infer<typeof DecisionRightsSchema>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');
const isoDate = z.iso.date();
const workingDay = z.object({ dayStart: clock, dayEnd: clock });

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
  .check(
    crossField(workingDay, ['dayEnd'], (day) => day.dayEnd > day.dayStart, 'dayEnd must be after dayStart'),
  );
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

const HandoverReasonCodesSchema = z.strictObject({
  accepted: z.array(nonEmptyLabel).min(1),
  rejected: z.array(nonEmptyLabel).min(1),
});
const ambiguousReasonCodes = (codes: z.infer<typeof HandoverReasonCodesSchema>): string[] =>
  codes.accepted.filter((code) => codes.rejected.includes(code));

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
    handoverReasonCodes: HandoverReasonCodesSchema,
  })
  .check(
    crossField(
      z.object({ handoverReasonCodes: HandoverReasonCodesSchema }),
      ['handoverReasonCodes'],
      ({ handoverReasonCodes }) => ambiguousReasonCodes(handoverReasonCodes).length === 0,
      ({ handoverReasonCodes }) =>
        `reason codes listed both as accepted and as rejected: ${ambiguousReasonCodes(handoverReasonCodes).join(', ')}`,
    ),
  );
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

/**
 * Validates a whole config, naming every problem by its path rather than stopping at the first. The
 * config returned is deeply frozen: the domain caches work per config object, which a later mutation
 * would leave stale.
 */
export function parseGovernanceConfig(input: unknown): Result<GovernanceConfig, InvalidConfig> {
  const parsed = GovernanceConfigSchema.safeParse(input);
  if (parsed.success) return ok(deepFreeze(parsed.data));
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
