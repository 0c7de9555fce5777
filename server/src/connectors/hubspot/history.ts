import { z } from 'zod';

import type { TierFieldChange } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import type { RetryPolicy } from '../retry.ts';
import { backoffDelay } from '../retry.ts';
import type { HubSpotHttp } from './http.ts';
import { parseInstant, tierOf } from './mapping.ts';
import { BatchErrorSchema } from './wire.ts';

// Who last changed an account's tier, from HubSpot's property history of `hs_ideal_customer_profile`:
// companies are read in batches with `propertiesWithHistory` (HubSpot takes at most 50 inputs when
// history is asked), and the newest entry of each names the HubSpot user who made it in
// `updatedByUserId` (absent for API writes and imports).
//
// Best effort: the editor only enriches the audit, so a batch HubSpot refuses (a 4xx) is left out and
// a failure the HTTP layer gave up on (after its retries) ends the read with what was gathered so far.

export interface HistoryContext {
  readonly http: HubSpotHttp;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** HubSpot's cap on inputs of a batch read that asks for property history. */
export const HISTORY_BATCH_SIZE = 50;
export const TIER_PROPERTY = 'hs_ideal_customer_profile';
const RETRYABLE_CATEGORIES = new Set(['INTERNAL_ERROR', 'RATE_LIMITS', 'LOCKED', 'TIMEOUT']);

const HistoryEntrySchema = z.object({
  value: z.string().nullable().optional(),
  timestamp: z.string(),
  sourceType: z.string().optional(),
  sourceId: z.string().optional(),
  updatedByUserId: z.union([z.number(), z.string()]).nullable().optional(),
});
type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const HistoryBatchSchema = z.object({
  results: z.array(
    z.object({
      id: z.coerce.string(),
      propertiesWithHistory: z.record(z.string(), z.array(HistoryEntrySchema)).optional(),
    }),
  ),
  errors: z.array(BatchErrorSchema).optional(),
});

/** The newest entry: HubSpot lists newest first, but the timestamps decide; a tie keeps list order. */
const newestOf = (entries: readonly HistoryEntry[]): { entry: HistoryEntry; at: number } | null => {
  let newest: { entry: HistoryEntry; at: number } | null = null;
  for (const entry of entries) {
    const at = parseInstant(entry.timestamp);
    if (at !== null && (newest === null || at > newest.at)) newest = { entry, at };
  }
  return newest;
};

const editorOf = (entry: HistoryEntry): string | null => {
  const id = entry.updatedByUserId;
  if (id === null || id === undefined) return null;
  const text = String(id).trim();
  return text === '' ? null : text;
};

/** One batch, its transiently failed inputs asked again; companies HubSpot cannot read are left out. */
const readBatch = async (
  ctx: HistoryContext,
  ids: readonly string[],
  found: Map<string, TierFieldChange>,
): Promise<void> => {
  const asked = new Set(ids);
  let pending = ids;
  for (let round = 1; pending.length > 0; round += 1) {
    const response = await ctx.http.send({
      method: 'POST',
      path: '/crm/v3/objects/companies/batch/read',
      query: { archived: false },
      body: {
        inputs: pending.map((id) => ({ id })),
        properties: [TIER_PROPERTY],
        propertiesWithHistory: [TIER_PROPERTY],
      },
    });
    if (response.status !== 200 && response.status !== 207) return;
    const parsed = HistoryBatchSchema.safeParse(response.body);
    if (!parsed.success) return;
    for (const result of parsed.data.results) {
      if (!asked.has(result.id)) continue;
      const newest = newestOf(result.propertiesWithHistory?.[TIER_PROPERTY] ?? []);
      if (newest === null) continue;
      found.set(result.id, {
        accountCrmId: result.id,
        value: tierOf(newest.entry.value),
        at: newest.at,
        editorId: editorOf(newest.entry),
        editorKind: 'login_user',
      });
    }
    const retry = new Set(
      (parsed.data.errors ?? [])
        .filter((error) => RETRYABLE_CATEGORIES.has(error.category ?? ''))
        .flatMap((error) => Object.values(error.context ?? {}).flat()),
    );
    pending = pending.filter((id) => retry.has(id));
    if (pending.length === 0 || round >= ctx.retry.maxAttempts) return;
    await ctx.sleep(backoffDelay(ctx.retry, ctx.random, round));
  }
};

/** The latest change of the tier of each company asked that has one, keyed by company id. */
export const readTierFieldChanges = async (
  ctx: HistoryContext,
  accountCrmIds: readonly string[],
): Promise<ReadonlyMap<string, TierFieldChange>> => {
  const found = new Map<string, TierFieldChange>();
  // HubSpot ids are decimal; anything else names no company and would fail its whole batch.
  const ids = [...new Set(accountCrmIds)].filter((id) => /^\d{1,20}$/.test(id));
  for (let start = 0; start < ids.length; start += HISTORY_BATCH_SIZE) {
    try {
      await readBatch(ctx, ids.slice(start, start + HISTORY_BATCH_SIZE), found);
    } catch (error) {
      if (error instanceof ConnectorFailure) break;
      throw error;
    }
  }
  return found;
};
