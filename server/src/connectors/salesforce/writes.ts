import { z } from 'zod';

import type { AccountWrite, TaskWrite } from '../../model.ts';
import type { TaskOutcome, WriteOutcome } from '../ports.ts';
import { SALESFORCE_RETRY } from '../retry.ts';
import { ALERT_KEY_FIELD } from './fields.ts';
import type { SalesforceApi } from './http.ts';
import { requestFailure } from './http.ts';
import { accountWriteFields, taskUpsertRecord } from './mapping.ts';

// Writes go through sObject Collections, 200 records a call with allOrNone false, so one bad record
// never holds back the other 199. Records that fail with a transient error (a row lock) are sent
// again, together, after a backoff; the others are reported as they failed.

export const COLLECTION_SIZE = 200;

/** Per-record codes that succeed when simply tried again. */
const RETRYABLE_RECORD_CODES: ReadonlySet<string> = new Set(['UNABLE_TO_LOCK_ROW']);

/** Per-record results use `statusCode` (not `errorCode`, whatever jsforce's types say). */
const SaveResultsSchema = z.array(
  z.object({
    id: z.string().nullish(),
    success: z.boolean(),
    errors: z.array(
      z.object({ statusCode: z.string().optional(), errorCode: z.string().optional(), message: z.string() }),
    ),
  }),
);

interface Item {
  /** What the caller knows the record by: the account id, or the task's key. */
  readonly id: string;
  readonly record: Readonly<Record<string, unknown>>;
}

interface Failure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

interface SaveOutcome {
  /** Caller's id → Salesforce record id. */
  readonly saved: ReadonlyMap<string, string>;
  readonly failed: readonly Failure[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

async function saveInCollections(
  api: SalesforceApi,
  url: string,
  items: readonly Item[],
): Promise<SaveOutcome> {
  const saved = new Map<string, string>();
  const failed: Failure[] = [];
  let pending = items;
  for (let round = 0; pending.length > 0; round++) {
    const retry: Failure[] = [];
    for (const chunk of chunks(pending, COLLECTION_SIZE)) {
      const result = await api.request({
        method: 'PATCH',
        url,
        body: { allOrNone: false, records: chunk.map((item) => item.record) },
      });
      if (!result.ok) {
        const stop = requestFailure(result.error, 'writing to Salesforce');
        if (stop.failure.code === 'missing_fields') throw stop;
        for (const item of chunk)
          failed.push({ id: item.id, code: result.error.errorCode, message: result.error.message });
        continue;
      }
      const results = SaveResultsSchema.parse(result.value);
      if (results.length !== chunk.length) {
        throw new Error(`Salesforce answered ${results.length} results for ${chunk.length} records`);
      }
      results.forEach((outcome, index) => {
        const item = chunk[index]!;
        if (outcome.success) {
          saved.set(item.id, outcome.id ?? item.id);
          return;
        }
        const error = outcome.errors[0];
        const failure = {
          id: item.id,
          code: error?.statusCode ?? error?.errorCode ?? 'UNKNOWN_ERROR',
          message: error?.message ?? 'Salesforce gave no reason',
        };
        (RETRYABLE_RECORD_CODES.has(failure.code) ? retry : failed).push(failure);
      });
    }
    if (retry.length === 0) break;
    if (round + 1 >= SALESFORCE_RETRY.maxAttempts) {
      failed.push(...retry);
      break;
    }
    await api.pauseBeforeRetry(round);
    const retryIds = new Set(retry.map((failure) => failure.id));
    pending = pending.filter((item) => retryIds.has(item.id));
  }
  return { saved, failed };
}

/** Later writes of one account in the same call add to (and override) earlier ones: one record per id. */
function mergeWrites(writes: readonly AccountWrite[]): Map<string, AccountWrite['fields']> {
  const merged = new Map<string, AccountWrite['fields']>();
  for (const write of writes) merged.set(write.crmId, { ...merged.get(write.crmId), ...write.fields });
  return merged;
}

export async function writeAccounts(
  api: SalesforceApi,
  writes: readonly AccountWrite[],
): Promise<WriteOutcome> {
  const items: Item[] = [];
  const nothingToWrite: string[] = [];
  for (const [crmId, fields] of mergeWrites(writes)) {
    const values = accountWriteFields({ crmId, fields });
    if (Object.keys(values).length === 0) nothingToWrite.push(crmId);
    else items.push({ id: crmId, record: { attributes: { type: 'Account' }, id: crmId, ...values } });
  }
  const { saved, failed } = await saveInCollections(api, '/composite/sobjects', items);
  return { written: [...saved.keys(), ...nothingToWrite], failed };
}

export async function upsertTasks(api: SalesforceApi, tasks: readonly TaskWrite[]): Promise<TaskOutcome> {
  const byKey = new Map(tasks.map((task) => [task.key, task] as const));
  const items = [...byKey.values()].map((task) => ({ id: task.key, record: taskUpsertRecord(task) }));
  const { saved, failed } = await saveInCollections(
    api,
    `/composite/sobjects/Task/${ALERT_KEY_FIELD}`,
    items,
  );
  return { saved, failed };
}
