import { z } from 'zod';

import type { TierFieldChange } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import { SALESFORCE_ABM_ACCOUNT_FIELDS } from './fields.ts';
import type { SalesforceApi } from './http.ts';
import type { SalesforceRecord } from './mapping.ts';
import { parseSalesforceDatetime, tierOf } from './mapping.ts';
import { isSalesforceId, soqlId } from './soql.ts';

// Who last changed an account's tier, from field history tracking: the package tracks the history of
// the tier field, so each change is an AccountHistory row naming the User whose session made it
// (CreatedById). Rows are read newest first, 200 accounts a query (the Ids keep the URL far below
// its limit), following queryMore only until every account asked has its latest row.
//
// Best effort: the editor only enriches the audit, so a query Salesforce refuses (history not enabled,
// INVALID_TYPE, any 4xx) leaves its accounts out, and a failure the HTTP layer gave up on (after its
// retries, or a spent budget) ends the read with what was gathered so far.

/** Accounts per AccountHistory query. */
export const ACCOUNTS_PER_HISTORY_QUERY = 200;

const QueryResultSchema = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

/** The tier's history rows of the accounts, newest first (same-second rows by Id, the order they were made). */
export const tierHistorySoql = (accountIds: readonly string[]): string =>
  `SELECT AccountId, Field, OldValue, NewValue, CreatedById, CreatedDate FROM AccountHistory WHERE Field = '${SALESFORCE_ABM_ACCOUNT_FIELDS.tier}' AND AccountId IN (${accountIds.map(soqlId).join(', ')}) ORDER BY CreatedDate DESC, Id DESC`;

const text = (record: SalesforceRecord, field: string): string | null => {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** The change a history row records: NewValue is the picklist label set, null when the tier was cleared. */
const changeOf = (accountCrmId: string, record: SalesforceRecord): TierFieldChange | null => {
  const at = parseSalesforceDatetime(record['CreatedDate']);
  if (at === null) return null;
  return {
    accountCrmId,
    value: tierOf(text(record, 'NewValue')),
    at,
    editorId: text(record, 'CreatedById'),
    editorKind: 'owner',
  };
};

/** 15- and 18-character forms name one record: rows are matched to the id as it was asked. */
const key = (id: string): string => id.slice(0, 15);

async function readChunk(
  api: SalesforceApi,
  asked: ReadonlyMap<string, string>,
  found: Map<string, TierFieldChange>,
): Promise<void> {
  const pending = new Map(asked);
  let url = `/query?q=${encodeURIComponent(tierHistorySoql([...asked.values()]))}`;
  for (;;) {
    const result = await api.request({ method: 'GET', url });
    if (!result.ok) return;
    const batch = QueryResultSchema.safeParse(result.value);
    if (!batch.success) return;
    for (const record of batch.data.records) {
      const accountId = text(record, 'AccountId');
      const askedId = accountId === null ? undefined : pending.get(key(accountId));
      if (askedId === undefined) continue;
      const change = changeOf(askedId, record);
      if (change === null) continue;
      found.set(askedId, change);
      pending.delete(key(askedId));
    }
    if (pending.size === 0 || batch.data.done || batch.data.nextRecordsUrl === undefined) return;
    url = batch.data.nextRecordsUrl;
  }
}

/** The latest change of the tier of each account asked that has one, keyed by the id as asked. */
export async function readTierFieldChanges(
  api: SalesforceApi,
  accountCrmIds: readonly string[],
): Promise<ReadonlyMap<string, TierFieldChange>> {
  const found = new Map<string, TierFieldChange>();
  const asked = new Map<string, string>();
  for (const id of accountCrmIds) if (isSalesforceId(id) && !asked.has(key(id))) asked.set(key(id), id);
  const entries = [...asked];
  for (let start = 0; start < entries.length; start += ACCOUNTS_PER_HISTORY_QUERY) {
    try {
      await readChunk(api, new Map(entries.slice(start, start + ACCOUNTS_PER_HISTORY_QUERY)), found);
    } catch (error) {
      if (error instanceof ConnectorFailure) break;
      throw error;
    }
  }
  return found;
}
