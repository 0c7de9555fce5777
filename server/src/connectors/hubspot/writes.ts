import type { AccountWrite, TaskWrite } from '../../model.ts';
import type { TaskOutcome, WriteOutcome } from '../ports.ts';
import type { RetryPolicy } from '../retry.ts';
import { backoffDelay } from '../retry.ts';
import type { HubSpotHttp } from './http.ts';
import { ALERT_KEY_PROPERTY, accountProperties, taskProperties } from './mapping.ts';
import type { BatchError, HubSpotObject } from './wire.ts';
import { AssociationBatchCreateSchema, BatchObjectsSchema, ErrorBodySchema } from './wire.ts';

// Write-back in full batches of 100. A 207 names the inputs that failed: transient ones (HubSpot's
// INTERNAL_ERROR, locks, rate limits) are sent again, alone, after a backoff; the others are reported.
// A 400 listing invalid property values refuses a whole batch for one bad input without saying which, so
// the batch is halved until the bad inputs stand alone; errors every input shares fail the batch at once.

export interface WriteContext {
  readonly http: HubSpotHttp;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface Failed {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

interface BatchInput {
  readonly id: string;
}

interface BatchOutcome {
  readonly results: HubSpotObject[];
  readonly failed: Failed[];
}

const BATCH_SIZE = 100;
const RETRYABLE_CATEGORIES = new Set(['INTERNAL_ERROR', 'RATE_LIMITS', 'LOCKED', 'TIMEOUT']);
/** Errors that hold for every input of the batch, so halving it would only repeat them. */
const BATCH_WIDE_CODES = new Set(['PROPERTY_DOESNT_EXIST', 'READ_ONLY_VALUE']);
/** HubSpot task → company association type. */
export const TASK_TO_COMPANY = 192;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

const codeOf = (category: string | undefined): string => {
  switch (category) {
    case 'OBJECT_NOT_FOUND':
      return 'not_found';
    case 'VALIDATION_ERROR':
      return 'invalid_request';
    case 'CONFLICT':
      return 'conflict';
    default:
      return (category ?? 'unknown_error').toLowerCase();
  }
};

const idsOf = (error: BatchError): string[] => Object.values(error.context ?? {}).flat();

const runBatch = async <I extends BatchInput>(
  ctx: WriteContext,
  path: string,
  inputs: readonly I[],
): Promise<BatchOutcome> => {
  const results: HubSpotObject[] = [];
  const failed: Failed[] = [];
  let pending: readonly I[] = inputs;
  for (let round = 1; pending.length > 0; round += 1) {
    const request = { method: 'POST', path, body: { inputs: pending } } as const;
    const response = await ctx.http.send(request);
    if (response.status === 400 || response.status === 409) {
      const body = ErrorBodySchema.parse(response.body);
      const issues = body.errors ?? [];
      // Only property-value issues can belong to some inputs; anything else holds for the whole batch.
      const perInput = issues.length > 0 && !issues.some((issue) => BATCH_WIDE_CODES.has(issue.code ?? ''));
      if (pending.length > 1 && perInput) {
        const middle = Math.ceil(pending.length / 2);
        for (const half of [pending.slice(0, middle), pending.slice(middle)]) {
          const outcome = await runBatch(ctx, path, half);
          results.push(...outcome.results);
          failed.push(...outcome.failed);
        }
        return { results, failed };
      }
      const message = ctx.http.describe(request, response);
      const code = response.status === 409 ? 'conflict' : 'invalid_request';
      failed.push(...pending.map((input) => ({ id: input.id, code, message })));
      return { results, failed };
    }
    if (response.status !== 200 && response.status !== 201 && response.status !== 207) {
      const message = ctx.http.describe(request, response);
      failed.push(...pending.map((input) => ({ id: input.id, code: codeOf(undefined), message })));
      return { results, failed };
    }
    const parsed = BatchObjectsSchema.safeParse(response.body);
    if (!parsed.success) {
      const message = `HubSpot answered POST ${path} with an unexpected body`;
      failed.push(...pending.map((input) => ({ id: input.id, code: 'unexpected_response', message })));
      return { results, failed };
    }
    results.push(...parsed.data.results);
    const again = new Set<string>();
    for (const error of parsed.data.errors ?? []) {
      const ids = idsOf(error);
      if (RETRYABLE_CATEGORIES.has(error.category ?? '')) {
        for (const id of ids) again.add(id);
        continue;
      }
      const message = error.message ?? 'HubSpot refused this record';
      failed.push(...ids.map((id) => ({ id, code: codeOf(error.category), message })));
    }
    pending = pending.filter((input) => again.has(input.id));
    if (pending.length === 0) break;
    if (round >= ctx.retry.maxAttempts) {
      const message = `HubSpot kept failing these records with a transient error after ${round} attempts`;
      failed.push(...pending.map((input) => ({ id: input.id, code: 'retries_exhausted', message })));
      break;
    }
    await ctx.sleep(backoffDelay(ctx.retry, ctx.random, round));
  }
  return { results, failed };
};

/** Later writes of the same record add to (and override) earlier ones, so each id is sent once. */
const mergeWrites = (writes: readonly AccountWrite[]): AccountWrite[] => {
  const merged = new Map<string, AccountWrite>();
  for (const write of writes) {
    const previous = merged.get(write.crmId);
    merged.set(write.crmId, { crmId: write.crmId, fields: { ...previous?.fields, ...write.fields } });
  }
  return [...merged.values()];
};

export const writeAccountBatches = async (
  ctx: WriteContext,
  writes: readonly AccountWrite[],
): Promise<WriteOutcome> => {
  const inputs = mergeWrites(writes).map((write) => ({
    id: write.crmId,
    properties: accountProperties(write.fields),
  }));
  const nothingToSend = inputs.filter((input) => Object.keys(input.properties).length === 0);
  const toSend = inputs.filter((input) => Object.keys(input.properties).length > 0);
  const failed: Failed[] = [];
  for (const chunk of chunks(toSend, BATCH_SIZE)) {
    failed.push(...(await runBatch(ctx, '/crm/v3/objects/companies/batch/update', chunk)).failed);
  }
  const failedIds = new Set(failed.map((entry) => entry.id));
  return {
    written: [...nothingToSend, ...toSend].map((input) => input.id).filter((id) => !failedIds.has(id)),
    failed,
  };
};

/**
 * Upserts by the unique `abm_alert_key`, so a task sent twice (a retry, a crash before the outbox was
 * marked) is one task; then associates every upserted task about an account to its company, which is
 * idempotent too.
 * A task saved but not associated is reported in both `saved` and `failed`, so the outbox sends it again.
 */
export const upsertTaskBatches = async (
  ctx: WriteContext,
  tasks: readonly TaskWrite[],
): Promise<TaskOutcome> => {
  const byKey = new Map<string, TaskWrite>();
  for (const task of tasks) byKey.set(task.key, task);
  const saved = new Map<string, string>();
  const failed: Failed[] = [];
  for (const chunk of chunks([...byKey.values()], BATCH_SIZE)) {
    const inputs = chunk.map((task) => ({
      id: task.key,
      idProperty: ALERT_KEY_PROPERTY,
      properties: { ...taskProperties(task), [ALERT_KEY_PROPERTY]: task.key },
    }));
    const outcome = await runBatch(ctx, '/crm/v3/objects/tasks/batch/upsert', inputs);
    failed.push(...outcome.failed);
    const links: { key: string; taskId: string; companyId: string }[] = [];
    for (const result of outcome.results) {
      const key = result.properties[ALERT_KEY_PROPERTY];
      const task = key === null || key === undefined ? undefined : byKey.get(key);
      if (!task) continue;
      saved.set(task.key, result.id);
      // A task about the whole programme stays unattached: HubSpot tasks need no record.
      if (task.accountCrmId !== null) {
        links.push({ key: task.key, taskId: result.id, companyId: task.accountCrmId });
      }
    }
    failed.push(...(await associateTasks(ctx, links)));
  }
  return { saved, failed };
};

const associateTasks = async (
  ctx: WriteContext,
  links: readonly { key: string; taskId: string; companyId: string }[],
): Promise<Failed[]> => {
  if (links.length === 0) return [];
  const request = {
    method: 'POST',
    path: '/crm/v4/associations/tasks/companies/batch/create',
    body: {
      inputs: links.map((link) => ({
        from: { id: link.taskId },
        to: { id: link.companyId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_COMPANY }],
      })),
    },
  } as const;
  const response = await ctx.http.send(request);
  if (response.status !== 200 && response.status !== 201 && response.status !== 207) {
    const message = ctx.http.describe(request, response);
    return links.map((link) => ({ id: link.key, code: 'association_failed', message }));
  }
  const body = AssociationBatchCreateSchema.catch({}).parse(response.body);
  const keyOfTask = new Map(links.map((link) => [link.taskId, link.key]));
  return (body.errors ?? []).flatMap((error) =>
    (error.context?.fromObjectId ?? []).flatMap((taskId) => {
      const key = keyOfTask.get(taskId);
      return key === undefined
        ? []
        : [{ id: key, code: 'association_failed', message: error.message ?? 'association refused' }];
    }),
  );
};
