import { z } from 'zod';

import {
  DecisionRouteSchema,
  HandoverDecisionSchema,
  RoleSchema,
  TierChangeRejectionSchema,
  TierSchema,
} from '../config/vocabulary.ts';
import type { TierChangeDecision } from '../domain/decisions.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import {
  AccountParamsSchema,
  CardCallerQuerySchema,
  CrmSystemSchema,
  IdempotencyKeySchema,
  IsoInstantSchema,
  noteSchema,
  TierOrNoneSchema,
} from './primitives.ts';
import {
  AccountReviewViewSchema,
  AccountSlaViewSchema,
  ActorViewSchema,
  ApprovalViewSchema,
  DriftViewSchema,
  ScoreViewSchema,
} from './views.ts';

// The account card (HubSpot company card, Salesforce Account LWC) and the writes made from it.

export const OwnershipRoleSchema = z.enum(['account_owner', 'abm_owner', 'executive_sponsor']);
export type OwnershipRole = z.infer<typeof OwnershipRoleSchema>;

export const AccountOwnerViewSchema = z.strictObject({
  /** `executive_sponsor` appears on tier_1 accounts. */
  role: OwnershipRoleSchema,
  userId: z.string().min(1),
  name: z.string().nullable(),
  governanceRoles: z.array(RoleSchema),
});
export type AccountOwnerView = z.infer<typeof AccountOwnerViewSchema>;

/**
 * What the acting user may do from the card, decided by the server with the decision rights, so the card
 * shows a select only with reachable targets and asks for a reason when the rules will.
 */
export const CardActionsSchema = z.strictObject({
  tierChange: z.strictObject({
    allowed: z.boolean(),
    targets: z.array(z.strictObject({ tier: TierOrNoneSchema, reasonRequired: z.boolean() })),
  }),
  handoverFeedback: z.strictObject({
    /** A `sales_feedback` clock is running and the user owns the account. */
    pending: z.boolean(),
    reasonCodes: z.strictObject({ accepted: z.array(z.string()), rejected: z.array(z.string()) }),
  }),
  /**
   * API revision 3: whether the user may hand the account over to sales now (a marketing role, a targeted
   * account with an owner, no handover waiting for an answer).
   */
  handover: z.strictObject({ allowed: z.boolean() }).optional(),
  /** Revision 3: whether the user may record a portfolio review (the ABM owner, an ABM manager or above). */
  review: z.strictObject({ allowed: z.boolean() }).optional(),
});
export type CardActions = z.infer<typeof CardActionsSchema>;

export const AccountCardResponseSchema = z.strictObject({
  crm: z.strictObject({
    system: CrmSystemSchema,
    /** HubSpot portal id or Salesforce org id. */
    tenantExternalId: z.string().min(1),
    crmId: z.string().min(1),
    name: z.string(),
  }),
  /** The acting user as the server knows them. */
  viewer: z.strictObject({
    userId: z.string().min(1),
    name: z.string().nullable(),
    governanceRoles: z.array(RoleSchema),
  }),
  tier: z.strictObject({
    /** The human decision; `null` when the account is not targeted. */
    assigned: TierOrNoneSchema,
    /** What the score recommends; `null` when not computed yet or below every threshold. */
    recommended: TierOrNoneSchema,
    drift: DriftViewSchema,
  }),
  /** `null` until the account's first computation. */
  score: ScoreViewSchema.nullable(),
  /** Running clocks first, then the most recently stopped. */
  slas: z.array(AccountSlaViewSchema),
  owners: z.array(AccountOwnerViewSchema),
  pendingApproval: ApprovalViewSchema.nullable(),
  /** End of the last successful sync of the tenant. */
  lastSyncAt: IsoInstantSchema.nullable(),
  actions: CardActionsSchema,
  /** Revision 3: the portfolio review's clock; `null` for an untargeted account or before its first computation. */
  review: AccountReviewViewSchema.nullable().optional(),
});
export type AccountCardResponse = z.infer<typeof AccountCardResponseSchema>;

export const accountCardContract = defineContract({
  method: 'GET',
  path: '/api/v1/accounts/:crmId/card',
  summary: 'Account card: tier, score and reasons, SLAs, owners, pending approval, last sync',
  auth: 'card',
  params: AccountParamsSchema,
  query: CardCallerQuerySchema,
  response: AccountCardResponseSchema,
  errors: [...COMMON_ERRORS.card, 'not_found'],
});

export const TierChangeBodySchema = z.strictObject({
  /** `null` takes the account out of targeting. */
  toTier: TierOrNoneSchema,
  /** Required by the rules when the target is far from the recommendation; blank counts as none. */
  reason: noteSchema(2000).optional(),
  idempotencyKey: IdempotencyKeySchema,
});
export type TierChangeBody = z.infer<typeof TierChangeBodySchema>;

const TIER_CHANGE_OUTCOMES = {
  applied: 'applied',
  needs_approval: 'needs_approval',
  rejected: 'rejected',
} as const satisfies { [K in TierChangeDecision['outcome']]: K };

/**
 * Whether the CRM record already holds a decision when its answer leaves: `done`, or `pending` when the
 * CRM has not confirmed it within a couple of seconds (it follows within the next sync). API revision 2.
 */
export const CrmWriteSchema = z.enum(['done', 'pending']);
export type CrmWriteStatus = z.infer<typeof CrmWriteSchema>;

export const TierChangeAppliedSchema = z.strictObject({
  outcome: z.literal(TIER_CHANGE_OUTCOMES.applied),
  route: DecisionRouteSchema,
  /** The account's tier now. */
  tier: TierOrNoneSchema,
  /** Revision 2: whether the CRM record holds it yet. */
  crmWrite: CrmWriteSchema.optional(),
});

export const TierChangeNeedsApprovalSchema = z.strictObject({
  outcome: z.literal(TIER_CHANGE_OUTCOMES.needs_approval),
  route: DecisionRouteSchema,
  approvalId: z.string().min(1),
  /** Who decides. */
  approverRoles: z.array(RoleSchema).min(1),
  /** Decision due by (the approval SLA). */
  dueAt: IsoInstantSchema,
  expiresAt: IsoInstantSchema,
});

export const TierChangeRejectedSchema = z.strictObject({
  outcome: z.literal(TIER_CHANGE_OUTCOMES.rejected),
  code: TierChangeRejectionSchema,
  message: z.string().min(1),
});

/** A business outcome, answered 200 whichever it is: only malformed or unauthorised requests are errors. */
export const TierChangeResponseSchema = z.discriminatedUnion('outcome', [
  TierChangeAppliedSchema,
  TierChangeNeedsApprovalSchema,
  TierChangeRejectedSchema,
]);
export type TierChangeResponse = z.infer<typeof TierChangeResponseSchema>;

export const tierChangeContract = defineContract({
  method: 'POST',
  path: '/api/v1/accounts/:crmId/tier-change',
  summary: 'Request a tier change: applied, sent for approval, or rejected by the decision rights',
  auth: 'card',
  params: AccountParamsSchema,
  query: CardCallerQuerySchema,
  body: TierChangeBodySchema,
  response: TierChangeResponseSchema,
  errors: [...COMMON_ERRORS.card, ...COMMON_ERRORS.body, 'not_found', 'conflict', 'idempotency_key_reused'],
});

export const HandoverBodySchema = z.strictObject({
  /** A retried handover is recorded once and the first response replayed. */
  idempotencyKey: IdempotencyKeySchema,
});
export type HandoverBody = z.infer<typeof HandoverBodySchema>;

export const HandoverResponseSchema = z.strictObject({
  handedOverAt: IsoInstantSchema,
  /**
   * The owner's clocks running after the handover: a first touch (one already running stays as it is) and
   * an answer to the handover.
   */
  slas: z.array(AccountSlaViewSchema),
});
export type HandoverResponse = z.infer<typeof HandoverResponseSchema>;

export const handoverContract = defineContract({
  method: 'POST',
  path: '/api/v1/accounts/:crmId/handover',
  summary: 'A marketer hands a targeted account over to sales: first-touch and feedback clocks start',
  auth: 'card',
  params: AccountParamsSchema,
  query: CardCallerQuerySchema,
  body: HandoverBodySchema,
  response: HandoverResponseSchema,
  errors: [
    ...COMMON_ERRORS.card,
    ...COMMON_ERRORS.body,
    'not_found',
    'not_allowed_for_role',
    'not_targeted',
    'no_account_owner',
    'handover_pending',
    'conflict',
    'idempotency_key_reused',
  ],
});

export const HandoverFeedbackBodySchema = z.strictObject({
  decision: HandoverDecisionSchema,
  /** One of the tenant's reason codes for that decision (`sla.handoverReasonCodes`). */
  reasonCode: z.string().trim().min(1).max(100),
  /** When given, a retried answer is recorded once and the first response replayed. */
  idempotencyKey: IdempotencyKeySchema.optional(),
});
export type HandoverFeedbackBody = z.infer<typeof HandoverFeedbackBodySchema>;

export const HandoverFeedbackResponseSchema = z.strictObject({
  decision: HandoverDecisionSchema,
  reasonCode: z.string(),
  recordedAt: IsoInstantSchema,
  /** The `sales_feedback` clock the answer stopped; `null` when none was running. */
  sla: AccountSlaViewSchema.nullable(),
});
export type HandoverFeedbackResponse = z.infer<typeof HandoverFeedbackResponseSchema>;

export const handoverFeedbackContract = defineContract({
  method: 'POST',
  path: '/api/v1/accounts/:crmId/handover-feedback',
  summary: 'A sales rep accepts or rejects a handed-over account, with a reason code',
  auth: 'card',
  params: AccountParamsSchema,
  query: CardCallerQuerySchema,
  body: HandoverFeedbackBodySchema,
  response: HandoverFeedbackResponseSchema,
  errors: [
    ...COMMON_ERRORS.card,
    ...COMMON_ERRORS.body,
    'not_found',
    'forbidden',
    'conflict',
    'unknown_reason_code',
    'idempotency_key_reused',
  ],
});

export const RecordReviewBodySchema = z.strictObject({
  /** What the reviewer wants the log to keep; blank counts as none. */
  note: noteSchema(2000).optional(),
  idempotencyKey: IdempotencyKeySchema,
});
export type RecordReviewBody = z.infer<typeof RecordReviewBodySchema>;

export const RecordReviewResponseSchema = z.strictObject({
  recordedAt: IsoInstantSchema,
  reviewedBy: ActorViewSchema,
  note: z.string().nullable(),
  /** The tier reviewed. */
  tier: TierSchema,
  /** The review clock restarted: next due a full cadence of the tier from now. */
  review: AccountReviewViewSchema,
});
export type RecordReviewResponse = z.infer<typeof RecordReviewResponseSchema>;

export const recordReviewContract = defineContract({
  method: 'POST',
  path: '/api/v1/accounts/:crmId/review',
  summary:
    "Record a portfolio review of the account, with an optional note: restarts its tier's review cadence",
  auth: 'card',
  params: AccountParamsSchema,
  query: CardCallerQuerySchema,
  body: RecordReviewBodySchema,
  response: RecordReviewResponseSchema,
  errors: [
    ...COMMON_ERRORS.card,
    ...COMMON_ERRORS.body,
    'not_found',
    'forbidden',
    'not_targeted',
    'not_configured',
    'conflict',
    'idempotency_key_reused',
  ],
});
