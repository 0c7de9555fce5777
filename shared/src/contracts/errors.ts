import { z } from 'zod';

// Every error the API answers has one shape, `{ error: { code, message, issues? } }`, and a code from
// this closed list, so clients branch on codes and never on messages.

export const ApiErrorCodeSchema = z.enum([
  // Protocol
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'not_ready',
  // Domain
  'unknown_user',
  'not_configured',
  'idempotency_key_reused',
  'unknown_reason_code',
  'not_allowed_for_role',
  'self_approval',
  'approval_expired',
  'approval_not_pending',
  'config_version_conflict',
  'invalid_period',
  'period_too_long',
  // Revision 2 (see API_REVISION): older clients get `conflict` instead.
  'tier_full',
  // Revision 3, answered only by the endpoints new with it (a handover, a portfolio review).
  'not_targeted',
  'no_account_owner',
  'handover_pending',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;
export const API_ERROR_CODES = ApiErrorCodeSchema.options;

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/**
 * The HTTP status of each code. Domain codes map from the domain's own: `illegal_transition` and the
 * store's `approval_not_pending` are both `approval_not_pending`; `stale_context` is `conflict` (retry);
 * `invalid_config` problems come back as `invalid_request` issues; a record of another tenant is
 * `not_found`, exactly as a missing one.
 */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
  /** The acting user is not among the tenant's synced CRM users. */
  unknown_user: 403,
  /** The tenant has no governance config or no first sync yet. */
  not_configured: 409,
  /** The idempotency key was used before with a different request. */
  idempotency_key_reused: 422,
  unknown_reason_code: 422,
  not_allowed_for_role: 403,
  self_approval: 403,
  approval_expired: 409,
  approval_not_pending: 409,
  config_version_conflict: 409,
  invalid_period: 400,
  period_too_long: 400,
  /** The tier is full beyond what any approver may allow: the decision waits for a seat. */
  tier_full: 409,
  /** The account is not targeted: nothing to hand over, no portfolio review. */
  not_targeted: 409,
  no_account_owner: 409,
  /** The account was handed over and sales has not answered yet. */
  handover_pending: 409,
} as const satisfies Record<ApiErrorCode, ApiErrorStatus>;

/** One problem with the request, at its path in the parameters, query or body (`[]` for the whole). */
export const ApiIssueSchema = z.strictObject({
  path: z.array(z.union([z.string(), z.int()])),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof ApiIssueSchema>;

export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: ApiErrorCodeSchema,
    message: z.string(),
    issues: z.array(ApiIssueSchema).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export function apiError(code: ApiErrorCode, message: string, issues?: readonly ApiIssue[]): ApiError {
  return { error: { code, message, ...(issues === undefined ? {} : { issues: [...issues] }) } };
}

/**
 * zod's issues as API issues, prefixed with where the input came from (`['body']`, `['query']`...). An
 * unknown key becomes one issue at the key's own path, so the client sees which field to drop.
 */
export function issuesOfZodError(error: z.ZodError, prefix: readonly (string | number)[] = []): ApiIssue[] {
  const pathOf = (path: readonly PropertyKey[]) => [
    ...prefix,
    ...path.map((key) => (typeof key === 'number' ? key : String(key))),
  ];
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...pathOf(issue.path), key], message: 'Unrecognized key' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
