import { z } from 'zod';

import { GovernanceConfigSchema } from '../config/schema.ts';
import { CostCategorySchema, RoleSchema } from '../config/vocabulary.ts';
import { MAX_COST_AMOUNT, MAX_COST_HOURS } from '../domain/metricsCosts.ts';
import { COMMON_ERRORS, defineContract } from './contract.ts';
import {
  ADMIN_CALLER_QUERY,
  CrmIdSchema,
  CrmSystemSchema,
  IsoInstantSchema,
  noteSchema,
} from './primitives.ts';

// The CRM admin's settings: governance config (validated, versioned), role mapping, cost ledger, sync.

const ADMIN_ERRORS = COMMON_ERRORS.admin;
/** `forbidden`: a read-only (viewer) admin token. */
const ADMIN_WRITE_ERRORS = [...COMMON_ERRORS.admin, ...COMMON_ERRORS.body, 'forbidden'] as const;

export const ConfigVersionInfoSchema = z.strictObject({
  version: z.int().positive(),
  savedAt: IsoInstantSchema,
  /** Who saved it, as the admin token names them; `null` for the defaults a tenant starts with. */
  savedBy: z.string().nullable(),
});

export const ConfigVersionViewSchema = z.strictObject({
  ...ConfigVersionInfoSchema.shape,
  /** Its `version` is the stored version. */
  config: GovernanceConfigSchema,
});
export type ConfigVersionView = z.infer<typeof ConfigVersionViewSchema>;

export const AdminConfigResponseSchema = z.strictObject({
  ...ConfigVersionViewSchema.shape,
  /** Every stored version, newest first: old versions are kept. */
  history: z.array(ConfigVersionInfoSchema),
});
export type AdminConfigResponse = z.infer<typeof AdminConfigResponseSchema>;

export const getConfigContract = defineContract({
  method: 'GET',
  path: '/api/v1/admin/config',
  summary: 'The current governance config and the list of its versions',
  auth: 'admin',
  response: AdminConfigResponseSchema,
  errors: [...ADMIN_ERRORS, 'not_configured'],
});

/**
 * A whole new config. The server numbers versions, so `version` is not sent; `basedOnVersion` is the
 * version the edit started from (`null` for a tenant's first), and a save on a stale base is refused.
 */
export const PutConfigBodySchema = GovernanceConfigSchema.omit({ version: true }).extend({
  basedOnVersion: z.int().positive().nullable(),
});
export type PutConfigBody = z.infer<typeof PutConfigBodySchema>;

export const putConfigContract = defineContract({
  method: 'PUT',
  path: '/api/v1/admin/config',
  summary: 'Replace the governance config; the old version is kept and every account is recomputed',
  auth: 'admin',
  body: PutConfigBodySchema,
  response: ConfigVersionViewSchema,
  errors: [...ADMIN_WRITE_ERRORS, 'config_version_conflict'],
});

/** CRM user id → governance roles; a user absent from the map has none. */
export const RoleAssignmentsSchema = z
  .record(
    CrmIdSchema,
    z
      .array(RoleSchema)
      .max(RoleSchema.options.length)
      .refine((roles) => new Set(roles).size === roles.length, 'a role is listed twice'),
  )
  .refine((users) => Object.keys(users).length <= 10_000, 'at most 10,000 users');
export type RoleAssignments = z.infer<typeof RoleAssignmentsSchema>;

export const RolesResponseSchema = z.strictObject({
  users: RoleAssignmentsSchema,
  /** `null` while never set. */
  updatedAt: IsoInstantSchema.nullable(),
  updatedBy: z.string().nullable(),
});
export type RolesResponse = z.infer<typeof RolesResponseSchema>;

export const getRolesContract = defineContract({
  method: 'GET',
  path: '/api/v1/admin/roles',
  summary: 'The mapping of CRM users to governance roles',
  auth: 'admin',
  response: RolesResponseSchema,
  errors: ADMIN_ERRORS,
});

export const PutRolesBodySchema = z.strictObject({ users: RoleAssignmentsSchema });
export type PutRolesBody = z.infer<typeof PutRolesBodySchema>;

export const putRolesContract = defineContract({
  method: 'PUT',
  path: '/api/v1/admin/roles',
  summary: 'Replace the mapping of CRM users to governance roles',
  auth: 'admin',
  body: PutRolesBodySchema,
  response: RolesResponseSchema,
  errors: ADMIN_WRITE_ERRORS,
});

/** A UTC calendar month, `YYYY-MM`: the grain the ledger is booked by. */
export const LedgerMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');

const costLineShape = {
  period: LedgerMonthSchema,
  category: CostCategorySchema,
  amount: z.number().min(0).max(MAX_COST_AMOUNT).optional(),
  hours: z.number().min(0).max(MAX_COST_HOURS).optional(),
  note: noteSchema(500).optional(),
};

/**
 * One ledger line: an `amount` in the tenant currency, or for `sales_time` only, `hours` valued at the
 * sales loaded hourly rate.
 */
export const CostLineSchema = z
  .strictObject(costLineShape)
  .refine((line) => (line.amount === undefined) !== (line.hours === undefined), {
    path: ['amount'],
    message: 'give either amount or hours',
  })
  .refine((line) => line.hours === undefined || line.category === 'sales_time', {
    path: ['hours'],
    message: 'hours are for sales_time lines only',
  });
export type CostLine = z.infer<typeof CostLineSchema>;

/** A line as booked. */
export const CostLedgerLineSchema = z.strictObject({
  ...costLineShape,
  id: z.string().min(1),
  enteredAt: IsoInstantSchema,
  enteredBy: z.string().nullable(),
});
export type CostLedgerLine = z.infer<typeof CostLedgerLineSchema>;

export const PostCostsBodySchema = z.strictObject({
  lines: z.array(CostLineSchema).min(1).max(1000),
  /**
   * `append` (default) books the lines beside those already there; `replace` makes each line supersede the
   * ledger's current lines of its month and category (a correction).
   */
  mode: z.enum(['append', 'replace']).optional(),
});
export type PostCostsBody = z.infer<typeof PostCostsBodySchema>;

export const PostCostsResponseSchema = z.strictObject({
  saved: z.int().nonnegative(),
  /** The lines as booked, in the order given. */
  lines: z.array(CostLedgerLineSchema),
});
export type PostCostsResponse = z.infer<typeof PostCostsResponseSchema>;

export const postCostsContract = defineContract({
  method: 'POST',
  path: '/api/v1/admin/costs',
  summary: 'Enter cost ledger lines (programme, sales time, content, technology, training)',
  auth: 'admin',
  body: PostCostsBodySchema,
  response: PostCostsResponseSchema,
  errors: ADMIN_WRITE_ERRORS,
});

export const CostLedgerQuerySchema = z.strictObject({
  ...ADMIN_CALLER_QUERY,
  /** First month, included. */
  from: LedgerMonthSchema.optional(),
  /** Last month, included. */
  to: LedgerMonthSchema.optional(),
});
export type CostLedgerQuery = z.infer<typeof CostLedgerQuerySchema>;

export const CostLedgerResponseSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Current lines (not superseded), by month, category, then entry order. */
  lines: z.array(CostLedgerLineSchema),
});
export type CostLedgerResponse = z.infer<typeof CostLedgerResponseSchema>;

export const getCostsContract = defineContract({
  method: 'GET',
  path: '/api/v1/admin/costs',
  summary: 'The cost ledger, by month',
  auth: 'admin',
  query: CostLedgerQuerySchema,
  response: CostLedgerResponseSchema,
  errors: ADMIN_ERRORS,
});

export const TriggerSyncBodySchema = z.strictObject({
  /** Forget the cursors first, so every record is pulled again. */
  full: z.boolean().optional(),
});
export type TriggerSyncBody = z.infer<typeof TriggerSyncBodySchema>;

export const TriggerSyncResponseSchema = z.strictObject({
  /** `already_running`: a run of the tenant holds the lease; nothing new was started. */
  status: z.enum(['started', 'already_running']),
  /** The run's id once it is recorded; `null` when not known at answer time. */
  runId: z.int().positive().nullable(),
});
export type TriggerSyncResponse = z.infer<typeof TriggerSyncResponseSchema>;

export const triggerSyncContract = defineContract({
  method: 'POST',
  path: '/api/v1/admin/sync',
  summary: 'Start a sync of the tenant now (answered at once; the run goes on in the background)',
  auth: 'admin',
  body: TriggerSyncBodySchema,
  successStatus: 202,
  response: TriggerSyncResponseSchema,
  errors: ADMIN_WRITE_ERRORS,
});

export const SyncRunStatusSchema = z.enum(['running', 'succeeded', 'failed', 'stopped', 'interrupted']);
export type SyncRunStatus = z.infer<typeof SyncRunStatusSchema>;

export const SyncRunViewSchema = z.strictObject({
  id: z.int().positive(),
  kind: z.enum(['sync', 'sla']),
  status: SyncRunStatusSchema,
  startedAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
  finishedAt: IsoInstantSchema.nullable(),
  /** Records pulled, computed, written..., by name. */
  counts: z.record(z.string(), z.int().nonnegative()),
  error: z.string().nullable(),
});
export type SyncRunView = z.infer<typeof SyncRunViewSchema>;

export const SyncStatusResponseSchema = z.strictObject({
  tenant: z.strictObject({ system: CrmSystemSchema, externalId: z.string().min(1), name: z.string() }),
  lastSucceededAt: IsoInstantSchema.nullable(),
  /** Newest first. */
  runs: z.array(SyncRunViewSchema),
});
export type SyncStatusResponse = z.infer<typeof SyncStatusResponseSchema>;

export const syncStatusContract = defineContract({
  method: 'GET',
  path: '/api/v1/admin/sync/status',
  summary: 'Connection and recent sync and SLA-sweep runs of the tenant',
  auth: 'admin',
  response: SyncStatusResponseSchema,
  errors: ADMIN_ERRORS,
});
