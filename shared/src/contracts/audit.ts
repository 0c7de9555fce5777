import { z } from 'zod';

import type { Instant } from '../domain/time.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import { AccountParamsSchema, CARD_CALLER_QUERY, queryIntSchema } from './primitives.ts';
import type { AuditAction } from './views.ts';
import { AuditEntryViewSchema } from './views.ts';

// The permanent audit log, newest first, paged by an opaque keyset cursor on (at, id).

/** Opaque to clients: pass back the `nextCursor` of the previous page as `before`. */
export const AuditCursorSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a cursor from a page');

/** Where the next page resumes: the last entry shown. */
export interface AuditCursorPosition {
  readonly at: Instant;
  readonly id: number;
}

const CURSOR = /^v1\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})$/;

export const encodeAuditCursor = (position: AuditCursorPosition): string =>
  `v1.${position.at.toString(36)}.${position.id.toString(36)}`;

/** `null` for anything `encodeAuditCursor` did not make (answer `invalid_request` on `before`). */
export function decodeAuditCursor(cursor: string): AuditCursorPosition | null {
  const match = CURSOR.exec(cursor);
  if (match === null) return null;
  const at = parseInt(match[1] ?? '', 36);
  const id = parseInt(match[2] ?? '', 36);
  return Number.isSafeInteger(at) && Number.isSafeInteger(id) ? { at, id } : null;
}

/**
 * Actions whose entries a client of `apiRevision` cannot parse: installed cards read the log strictly, so
 * their pages leave out entries of actions added after their revision.
 */
export const hiddenAuditActions = (apiRevision: number): readonly AuditAction[] =>
  apiRevision >= 3 ? [] : ['review'];

export const AuditQuerySchema = z.strictObject({
  ...CARD_CALLER_QUERY,
  limit: queryIntSchema(1, 200, 50),
  before: AuditCursorSchema.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageResponseSchema = z.strictObject({
  /** Newest first. */
  entries: z.array(AuditEntryViewSchema),
  /** `null` on the last page. */
  nextCursor: AuditCursorSchema.nullable(),
});
export type AuditPageResponse = z.infer<typeof AuditPageResponseSchema>;

export const accountAuditContract = defineContract({
  method: 'GET',
  path: '/api/v1/accounts/:crmId/audit',
  summary: "An account's audit log, newest first",
  auth: 'card',
  params: AccountParamsSchema,
  query: AuditQuerySchema,
  response: AuditPageResponseSchema,
  errors: [...COMMON_ERRORS.card, 'not_found'],
});

export const tenantAuditContract = defineContract({
  method: 'GET',
  path: '/api/v1/audit',
  summary: "The tenant's audit log, newest first",
  auth: 'card',
  query: AuditQuerySchema,
  response: AuditPageResponseSchema,
  errors: [...COMMON_ERRORS.card, 'forbidden'],
});
