import { z } from 'zod';

import { RoleSchema } from '../config/vocabulary.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import {
  CARD_CALLER_QUERY,
  CardCallerQuerySchema,
  noteSchema,
  OpaqueIdSchema,
  queryIntSchema,
  TierOrNoneSchema,
} from './primitives.ts';
import { CrmWriteSchema } from './accounts.ts';
import { ApprovalViewSchema } from './views.ts';

// The approval queue of the ABM committee and the Chief ABM Officer, and its two decisions.

export const PendingApprovalsQuerySchema = z.strictObject({
  ...CARD_CALLER_QUERY,
  /** One of the acting user's roles: only approvals that role may decide. All of the user's roles when absent. */
  role: RoleSchema.optional(),
  limit: queryIntSchema(1, 200, 50),
});
export type PendingApprovalsQuery = z.infer<typeof PendingApprovalsQuerySchema>;

export const PendingApprovalsResponseSchema = z.strictObject({
  /** Earliest due first. */
  approvals: z.array(ApprovalViewSchema),
});
export type PendingApprovalsResponse = z.infer<typeof PendingApprovalsResponseSchema>;

export const pendingApprovalsContract = defineContract({
  method: 'GET',
  path: '/api/v1/approvals',
  summary: "Pending approvals the acting user's role may decide, earliest due first",
  auth: 'card',
  query: PendingApprovalsQuerySchema,
  response: PendingApprovalsResponseSchema,
  errors: [...COMMON_ERRORS.card, 'forbidden'],
});

export const ApprovalParamsSchema = z.strictObject({ id: OpaqueIdSchema });
export type ApprovalParams = z.infer<typeof ApprovalParamsSchema>;

export const ApproveBodySchema = z.strictObject({ comment: noteSchema(2000).optional() });
export type ApproveBody = z.infer<typeof ApproveBodySchema>;

/** A rejection tells the requester why. */
export const RejectBodySchema = z.strictObject({ comment: noteSchema(2000).min(1) });
export type RejectBody = z.infer<typeof RejectBodySchema>;

export const ApprovalDecisionResponseSchema = z.strictObject({
  /** The settled approval. */
  approval: ApprovalViewSchema,
  /** Whether the requested tier is now the account's assigned tier (written to the CRM at once). */
  applied: z.boolean(),
  assignedTier: TierOrNoneSchema,
  /** Revision 2, when applied: whether the CRM record holds the tier yet. */
  crmWrite: CrmWriteSchema.optional(),
});
export type ApprovalDecisionResponse = z.infer<typeof ApprovalDecisionResponseSchema>;

const DECISION_ERRORS = [
  ...COMMON_ERRORS.card,
  ...COMMON_ERRORS.body,
  'not_found',
  'not_allowed_for_role',
  'self_approval',
  'approval_expired',
  'approval_not_pending',
  'conflict',
  'tier_full',
] as const;

export const approveContract = defineContract({
  method: 'POST',
  path: '/api/v1/approvals/:id/approve',
  summary: 'Approve a pending tier change; it applies and is written back to the CRM',
  auth: 'card',
  params: ApprovalParamsSchema,
  query: CardCallerQuerySchema,
  body: ApproveBodySchema,
  response: ApprovalDecisionResponseSchema,
  errors: DECISION_ERRORS,
});

export const rejectContract = defineContract({
  method: 'POST',
  path: '/api/v1/approvals/:id/reject',
  summary: 'Reject a pending tier change with a comment for the requester',
  auth: 'card',
  params: ApprovalParamsSchema,
  query: CardCallerQuerySchema,
  body: RejectBodySchema,
  response: ApprovalDecisionResponseSchema,
  errors: DECISION_ERRORS,
});
