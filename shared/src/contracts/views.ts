import { z } from 'zod';

import type { Axis, Criterion } from '../config/vocabulary.ts';
import {
  AccountSlaKindSchema,
  ApprovalStateSchema,
  CriterionSchema,
  DecisionRouteSchema,
  RoleSchema,
  SignalSchema,
  SlaStatusSchema,
} from '../config/vocabulary.ts';
import type { AuditEntry, AuditOutcome } from '../domain/decisions.ts';
import type { TierDrift } from '../domain/tiering.ts';
import { VOCABULARIES } from '../vocabulary/labels.ts';
import { IsoInstantSchema, TierOrNoneSchema } from './primitives.ts';

// The domain's records as the wire shows them: the same fields, instants as ISO 8601, people with a
// display name. Schemas only: `toWire.ts` converts domain records into them.

export const ActorViewSchema = z.strictObject({
  /** CRM user id; `crm:unknown` for an edit the CRM did not attribute. */
  userId: z.string().min(1),
  role: RoleSchema,
  name: z.string().nullable(),
});
export type ActorView = z.infer<typeof ActorViewSchema>;

const scorePoints = z.number().min(0).max(100);

export const ApprovalViewSchema = z.strictObject({
  id: z.string().min(1),
  /** The account's CRM id. */
  accountId: z.string().min(1),
  requestedBy: ActorViewSchema,
  requestedAt: IsoInstantSchema,
  fromTier: TierOrNoneSchema,
  toTier: TierOrNoneSchema,
  reason: z.string().nullable(),
  route: DecisionRouteSchema,
  approverRoles: z.array(RoleSchema),
  dueAt: IsoInstantSchema,
  expiresAt: IsoInstantSchema,
  score: scorePoints.nullable(),
  recommendedTier: TierOrNoneSchema,
  state: ApprovalStateSchema,
  decidedAt: IsoInstantSchema.nullable(),
  decidedBy: ActorViewSchema.nullable(),
  comment: z.string().nullable(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;

export const AuditActionSchema = z.enum({
  tier_change: 'tier_change',
  approval_decision: 'approval_decision',
  out_of_app_edit: 'out_of_app_edit',
  /** Revision 3: a client of an earlier revision gets pages without these entries (`hiddenAuditActions`). */
  review: 'review',
} as const satisfies { [K in AuditEntry['action']]: K });
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditOutcomeSchema = z.enum({
  applied: 'applied',
  needs_approval: 'needs_approval',
  rejected: 'rejected',
  approved: 'approved',
  approval_rejected: 'approval_rejected',
  expired: 'expired',
  cancelled: 'cancelled',
  audited: 'audited',
  reverted: 'reverted',
  /** Revision 3, with the `review` action. */
  recorded: 'recorded',
} as const satisfies { [K in AuditOutcome]: K });

export const AuditEntryViewSchema = z.strictObject({
  /** Stable id of the entry in the log. */
  id: z.string().min(1),
  at: IsoInstantSchema,
  accountId: z.string().min(1),
  action: AuditActionSchema,
  /** `null` when the system acted (an expiry, an unattributed CRM edit). */
  actor: ActorViewSchema.nullable(),
  fromTier: TierOrNoneSchema,
  toTier: TierOrNoneSchema,
  reason: z.string().nullable(),
  route: DecisionRouteSchema.nullable(),
  outcome: AuditOutcomeSchema,
  /** The rejection code of a rejected change. */
  code: z.string().nullable(),
  score: scorePoints.nullable(),
  recommendedTier: TierOrNoneSchema,
  approverRoles: z.array(RoleSchema),
  approvalId: z.string().nullable(),
  comment: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

/**
 * Where an account's portfolio review stands (API revision 3): the last review, and when the next falls
 * due, i.e. the last review (or entering the tier, if later) plus the tier's cadence.
 */
export const AccountReviewViewSchema = z.strictObject({
  /** `null` while never reviewed. */
  lastReviewedAt: IsoInstantSchema.nullable(),
  /** Who recorded the last review, in the role they acted in; `null` while never reviewed. */
  lastReviewedBy: ActorViewSchema.nullable(),
  nextDueAt: IsoInstantSchema,
  /** Due at or before the server's `now`: the account is on the portfolio review's overdue list. */
  overdue: z.boolean(),
});
export type AccountReviewView = z.infer<typeof AccountReviewViewSchema>;

/** One SLA clock on the card: `status` as of the server's `now`, time left = `dueAt` − now. */
export const AccountSlaViewSchema = z.strictObject({
  key: z.string().min(1),
  kind: AccountSlaKindSchema,
  status: SlaStatusSchema,
  dueAt: IsoInstantSchema,
  startedAt: IsoInstantSchema,
  stoppedAt: IsoInstantSchema.nullable(),
});
export type AccountSlaView = z.infer<typeof AccountSlaViewSchema>;

export const DriftDirectionSchema = z.enum({
  none: 'none',
  above: 'above',
  below: 'below',
} as const satisfies { [K in TierDrift['direction']]: K });

/** How far the assigned tier sits from the recommendation. */
export const DriftViewSchema = z.strictObject({
  steps: z.int().min(0).max(3),
  direction: DriftDirectionSchema,
});

/** The criterion's English name, which the answers carried before clients named criteria themselves. */
export const CRITERION_LABELS: Readonly<Record<Criterion, string>> = VOCABULARIES.en.criterion;

export const ScoreReasonSchema = z.strictObject({
  criterion: CriterionSchema,
  label: z.string().min(1),
  points: scorePoints,
  maxPoints: scorePoints,
});

export const ScoreViewSchema = z.strictObject({
  value: scorePoints,
  axes: z.strictObject({
    revenue_potential: scorePoints,
    probability_of_success: scorePoints,
    strategic_alignment: scorePoints,
  } satisfies Record<Axis, z.ZodType>),
  /** The criteria that lifted the score most above neutral, best first. */
  topReasons: z.array(ScoreReasonSchema).max(10),
  /** Criteria without data, scored neutral. */
  missing: z.array(CriterionSchema),
  /** Revision 4: signals besides the criteria (the intent score) the account has no data for. */
  missingSignals: z.array(SignalSchema).optional(),
  modelVersion: z.string().min(1),
});
export type ScoreView = z.infer<typeof ScoreViewSchema>;
