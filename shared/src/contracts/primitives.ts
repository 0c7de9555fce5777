import { z } from 'zod';

import { TierSchema } from '../config/vocabulary.ts';
import type { Instant } from '../domain/time.ts';

// The small pieces every contract is built from: instants as ISO 8601 at the wire, CRM ids, query
// integers, and the caller fields a card request carries.

/**
 * An instant at the wire: ISO 8601 date and time with `Z` or an offset. The domain's epoch milliseconds
 * never cross the wire, so a client cannot mistake seconds for milliseconds.
 */
export const IsoInstantSchema = z.iso.datetime({ offset: true });
export type IsoInstant = z.infer<typeof IsoInstantSchema>;

/** `2026-04-15T09:30:00.000Z`; throws a RangeError for a number no Date can hold (a programmer error). */
export const instantToIso = (instant: Instant): IsoInstant => new Date(instant).toISOString();

/** Epoch milliseconds of an instant that `IsoInstantSchema` accepted. */
export const isoToInstant = (iso: IsoInstant): Instant => Date.parse(iso);

export const TierOrNoneSchema = TierSchema.nullable();

export const CrmSystemSchema = z.enum(['hubspot', 'salesforce']);
export type CrmSystem = z.infer<typeof CrmSystemSchema>;

/**
 * A record or user id as either CRM spells it (HubSpot digits, Salesforce 15/18 characters), bounded so
 * that no path or query parameter reaches the store unchecked.
 */
export const CrmIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a CRM id (letters, digits, _ or -, at most 64)');

/** Ids ABM Pilot issues itself (approvals); opaque to clients. */
export const OpaqueIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_:.-]{0,99}$/, 'expected an id (letters, digits, _ : . or -, at most 100)');

/** Free text a person typed: trimmed, bounded. */
export const noteSchema = (max: number) => z.string().trim().max(max);

/**
 * An integer query parameter: query values are strings at the wire, so it accepts digits only (no `1e3`,
 * no empty string turned into 0) and bounds the number.
 */
export const queryIntSchema = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.int().min(min).max(max))
    .default(fallback);

/**
 * Who acts, on every card call (HubSpot card, Salesforce LWC through Apex, governance pages). HubSpot's
 * proxy passes no headers but `Authorization`, so identity travels in the query, which the
 * `X-HubSpot-Signature-v3` covers; the server trusts it only once the signature or the org key checks
 * out, and the user only once it is found among the tenant's synced users.
 */
/**
 * The revision of `/api/v1` answers a client reads. Answers only grow, and a field or error code added after
 * revision 1 is sent only to clients that ask for its revision: cards already installed in customers' CRMs
 * parse answers strictly and never send one, so they keep getting exactly what they were built for.
 * 2: `crmWrite` on applied tier changes and approvals; `tier_full` errors.
 * 3: the SLA follow-through (handover and portfolio review on the card, marketing delivery).
 * 4: the signals besides the criteria the account has no data for (`missingSignals` of the card's score).
 */
export const API_REVISION = 4;
export const ApiRevisionSchema = queryIntSchema(1, API_REVISION, 1);

export const CARD_CALLER_QUERY = {
  /** The answers' revision the client reads (see `API_REVISION`); 1 when absent. */
  apiRevision: ApiRevisionSchema,
  /** The acting CRM user (HubSpot user id, Salesforce user id). */
  userId: CrmIdSchema,
  /** The HubSpot portal; required by the server for signed HubSpot calls, absent for Salesforce ones. */
  portalId: z
    .string()
    .regex(/^\d{1,20}$/, 'expected a portal id')
    .optional(),
  // HubSpot may append these to proxied URLs itself: known, so a strict query does not refuse them.
  userEmail: z.string().max(320).optional(),
  appId: z
    .string()
    .regex(/^\d{1,20}$/, 'expected an app id')
    .optional(),
};

export const CardCallerQuerySchema = z.strictObject(CARD_CALLER_QUERY);

/** Admin calls come with an admin token (no caller), or signed from a CRM settings page (its caller). */
export const ADMIN_CALLER_QUERY = { ...CARD_CALLER_QUERY, userId: CrmIdSchema.optional() };
export type CardCallerQuery = z.infer<typeof CardCallerQuerySchema>;

export const AccountParamsSchema = z.strictObject({ crmId: CrmIdSchema });
export type AccountParams = z.infer<typeof AccountParamsSchema>;

/** A client-chosen key that makes a retried write (HubSpot retries once) take effect once. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.-]{8,128}$/, 'expected 8 to 128 letters, digits, _ : . or -');
