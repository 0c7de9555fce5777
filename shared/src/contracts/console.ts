import { z } from 'zod';

import { MetricSegmentSchema, RoleSchema, SlaStatusSchema } from '../config/vocabulary.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import {
  CrmIdSchema,
  CrmSystemSchema,
  IsoInstantSchema,
  queryIntSchema,
  TierOrNoneSchema,
} from './primitives.ts';
import { DriftViewSchema } from './views.ts';

// The web console served by the server: a login that turns an admin or viewer token into an HttpOnly
// cookie (the token never travels in a URL), one per tenant with a switch between them, who the session acts
// as, and the searchable accounts list.
// Everything else the console shows comes from the card and admin endpoints themselves.

/** The header every cookie-authenticated request carries: a cross-site form cannot set it (CSRF guard). */
export const CONSOLE_HEADER = 'x-abm-console';

export const ConsoleLoginBodySchema = z.strictObject({
  /** An admin or viewer token (`abm_adm_…`), as issued to the tenant's admin. */
  token: z.string().trim().min(10).max(512),
});
export type ConsoleLoginBody = z.infer<typeof ConsoleLoginBodySchema>;

export const ConsoleTenantSchema = z.strictObject({
  system: CrmSystemSchema,
  externalId: z.string().min(1),
  name: z.string(),
});
export type ConsoleTenant = z.infer<typeof ConsoleTenantSchema>;

export const ConsoleSessionSchema = z.strictObject({
  tenant: ConsoleTenantSchema,
  /**
   * Every tenant this browser holds a token for (the session's first), one token per tenant: the console
   * switches between them without asking for a token again.
   */
  tenants: z.array(ConsoleTenantSchema).min(1),
  /** `viewer` reads only; `admin` also acts, when bound to a CRM user with a governance role. */
  role: z.enum(['admin', 'viewer']),
  /** The token's public id. */
  credentialId: z.string().min(1),
  /** The CRM user the token acts as (its audit identity and roles), `null` when the token is bound to none. */
  actingAs: z
    .strictObject({ userId: z.string().min(1), name: z.string().nullable(), roles: z.array(RoleSchema) })
    .nullable(),
  /** What the console sends as `userId` to the card endpoints: the bound user, else the token's id. */
  cardUserId: CrmIdSchema,
  /** Whether tier changes and approval decisions may be made from this session. */
  mayAct: z.boolean(),
  /** Whether the dashboard, audit log and approval queue (governance views) are open to this session. */
  mayViewGovernance: z.boolean(),
});
export type ConsoleSession = z.infer<typeof ConsoleSessionSchema>;

export const consoleLoginContract = defineContract({
  method: 'POST',
  path: '/api/v1/console/session',
  summary: 'Console login: checks an admin or viewer token and sets the HttpOnly session cookie',
  auth: 'public',
  body: ConsoleLoginBodySchema,
  response: ConsoleSessionSchema,
  errors: [...COMMON_ERRORS.public, ...COMMON_ERRORS.body, 'invalid_request', 'unauthorized'],
});

export const consoleSessionContract = defineContract({
  method: 'GET',
  path: '/api/v1/console/session',
  summary: 'The console session: tenant, token role, and the CRM user it acts as',
  auth: 'admin',
  response: ConsoleSessionSchema,
  errors: [...COMMON_ERRORS.admin],
});

export const ConsoleSwitchBodySchema = z.strictObject({
  system: CrmSystemSchema,
  externalId: z.string().min(1).max(64),
});
export type ConsoleSwitchBody = z.infer<typeof ConsoleSwitchBodySchema>;

export const consoleSwitchContract = defineContract({
  method: 'POST',
  path: '/api/v1/console/switch',
  summary: 'Console tenant switch: the session moves to another tenant this browser logged in to',
  auth: 'admin',
  body: ConsoleSwitchBodySchema,
  response: ConsoleSessionSchema,
  errors: [...COMMON_ERRORS.admin, ...COMMON_ERRORS.body, 'not_found'],
});

export const ConsoleLogoutBodySchema = z.strictObject({});
export const ConsoleLogoutResponseSchema = z.strictObject({ loggedOut: z.literal(true) });

export const consoleLogoutContract = defineContract({
  method: 'POST',
  path: '/api/v1/console/logout',
  summary: 'Console logout: clears the session cookie',
  auth: 'public',
  body: ConsoleLogoutBodySchema,
  response: ConsoleLogoutResponseSchema,
  errors: [...COMMON_ERRORS.public, ...COMMON_ERRORS.body, 'invalid_request', 'unauthorized'],
});

export const ConsoleAccountSortSchema = z.enum(['name', 'tier', 'score', 'drift', 'sla', 'owner']);
export type ConsoleAccountSort = z.infer<typeof ConsoleAccountSortSchema>;

/** An account's SLA summary in the list: its worst running clock, `none` when no clock runs. */
export const ConsoleSlaFilterSchema = z.enum(['breached', 'at_risk', 'on_track', 'none']);
export type ConsoleSlaFilter = z.infer<typeof ConsoleSlaFilterSchema>;

export const ConsoleAccountsQuerySchema = z.strictObject({
  /** Part of the account's name, any case. */
  q: z.string().trim().max(100).optional(),
  /** The accounts of one dashboard segment: a tier, all ABM, non-ABM, or all. */
  segment: MetricSegmentSchema.optional(),
  sla: ConsoleSlaFilterSchema.optional(),
  /** Only these accounts, as comma-separated CRM ids (at most 200): names for the ids a queue or log lists. */
  ids: z
    .string()
    .max(13_000)
    .transform((text) => text.split(','))
    .pipe(z.array(CrmIdSchema).min(1).max(200))
    .optional(),
  /** `drifting`: the assigned tier differs from the recommendation. */
  drift: z.enum(['drifting', 'above', 'below', 'none']).optional(),
  sort: ConsoleAccountSortSchema.default('score'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: queryIntSchema(0, 10_000_000, 0),
  limit: queryIntSchema(1, 500, 50),
});
export type ConsoleAccountsQuery = z.infer<typeof ConsoleAccountsQuerySchema>;

export const ConsoleAccountRowSchema = z.strictObject({
  crmId: z.string().min(1),
  name: z.string(),
  /** Assigned tier (the CRM's tier before the first computation), `null` when not targeted. */
  tier: TierOrNoneSchema,
  recommendedTier: TierOrNoneSchema,
  score: z.number().min(0).max(100).nullable(),
  drift: DriftViewSchema,
  /** Worst running SLA clock, `null` when none runs. */
  sla: SlaStatusSchema.exclude(['met']).nullable(),
  owner: z.strictObject({ userId: z.string().min(1), name: z.string().nullable() }).nullable(),
  pendingApproval: z.boolean(),
});
export type ConsoleAccountRow = z.infer<typeof ConsoleAccountRowSchema>;

export const ConsoleAccountsResponseSchema = z.strictObject({
  asOf: IsoInstantSchema,
  /** Accounts matching the filters, beyond this page. */
  total: z.int().nonnegative(),
  offset: z.int().nonnegative(),
  limit: z.int().positive(),
  accounts: z.array(ConsoleAccountRowSchema),
});
export type ConsoleAccountsResponse = z.infer<typeof ConsoleAccountsResponseSchema>;

export const consoleAccountsContract = defineContract({
  method: 'GET',
  path: '/api/v1/console/accounts',
  summary: 'Accounts list: search by name, filter by segment, SLA and drift, sort, page',
  auth: 'admin',
  query: ConsoleAccountsQuerySchema,
  response: ConsoleAccountsResponseSchema,
  errors: [...COMMON_ERRORS.admin],
});
