import { z } from 'zod';

import type { RecordOfKind, SyncCursor, SyncKind } from '../../model.ts';
import type { PullPage } from '../ports.ts';
import type { DescribedFields, Describer } from './describe.ts';
import { hasField } from './describe.ts';
import type { DescribedSObject } from './fields.ts';
import { ALERT_KEY_FIELD, OPTIONAL_READ_FIELDS } from './fields.ts';
import type { SalesforceApi } from './http.ts';
import { requestFailure } from './http.ts';
import type { ActivitySObject, SalesforceRecord } from './mapping.ts';
import { keyOf, toAccount, toContact, toDeal, toEngagement, toOwner } from './mapping.ts';
import type { KeysetBound, Keyed } from './soql.ts';
import { compareKeyed, resumeBound, selectByIdsSoql, selectSoql } from './soql.ts';

// Pulls read each object in (SystemModstamp, Id) order with query + queryMore, 2,000 records a batch,
// and yield one page per batch, so the caller saves a page and its cursor before the next call.
//
// An incremental pull reads through queryAll: deleted records come in the same ordered stream as
// changed ones, so one cursor covers both and a deletion can never fall behind a saved cursor.
// Merged-away accounts carry MasterRecordId and become `mergedFromCrmIds` of the survivor.
//
// Locators are followed by hand rather than with jsforce's autoFetch: autoFetch gathers every batch
// before returning (and stops at maxFetch, 10,000 by default), which would hold a whole org in memory
// and leave nothing saved if the run stopped halfway.

const QueryResultSchema = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

interface ObjectSpec {
  readonly sobject: string;
  readonly fields: readonly string[];
  /** Custom fields read only where the org has them. */
  readonly optional: readonly string[];
  readonly filters: (fields: DescribedFields | null) => readonly string[];
  /** Has IsDeleted, so an incremental pull also sees deletions. */
  readonly deletable: boolean;
  /** Has MasterRecordId, and merges matter downstream. */
  readonly tracksMerges: boolean;
}

const noFilters = (): readonly string[] => [];

const USER: ObjectSpec = {
  sobject: 'User',
  fields: [
    'Id',
    'Name',
    'Email',
    'TimeZoneSidKey',
    'LanguageLocaleKey',
    'ManagerId',
    'Department',
    'IsActive',
    'SystemModstamp',
  ],
  optional: [],
  filters: noFilters,
  deletable: false,
  tracksMerges: false,
};

const ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'Website',
  'Industry',
  'NumberOfEmployees',
  'AnnualRevenue',
  'OwnerId',
  'SystemModstamp',
];

const ACCOUNT: ObjectSpec = {
  sobject: 'Account',
  fields: ACCOUNT_FIELDS,
  optional: OPTIONAL_READ_FIELDS.Account,
  filters: noFilters,
  deletable: true,
  tracksMerges: true,
};

const CONTACT: ObjectSpec = {
  sobject: 'Contact',
  fields: ['Id', 'AccountId', 'SystemModstamp'],
  optional: OPTIONAL_READ_FIELDS.Contact,
  filters: noFilters,
  deletable: true,
  tracksMerges: false,
};

const OPPORTUNITY: ObjectSpec = {
  sobject: 'Opportunity',
  fields: [
    'Id',
    'AccountId',
    'OwnerId',
    'Amount',
    'IsClosed',
    'IsWon',
    'CreatedDate',
    'CloseDate',
    'SystemModstamp',
  ],
  optional: [],
  filters: noFilters,
  deletable: true,
  tracksMerges: false,
};

const TASK: ObjectSpec = {
  sobject: 'Task',
  fields: [
    'Id',
    'AccountId',
    'WhoId',
    'OwnerId',
    'ActivityDate',
    'CompletedDateTime',
    'IsClosed',
    'CreatedDate',
    'Type',
    'TaskSubtype',
    'SystemModstamp',
  ],
  optional: OPTIONAL_READ_FIELDS.Task,
  // ABM Pilot's own alert tasks are not engagements.
  filters: (fields) => [
    'AccountId != null',
    ...(fields !== null && hasField(fields, ALERT_KEY_FIELD) ? [`${ALERT_KEY_FIELD} = null`] : []),
  ],
  deletable: true,
  tracksMerges: false,
};

const EVENT: ObjectSpec = {
  sobject: 'Event',
  fields: [
    'Id',
    'AccountId',
    'WhoId',
    'OwnerId',
    'ActivityDateTime',
    'ActivityDate',
    'CreatedDate',
    'Type',
    'SystemModstamp',
  ],
  optional: OPTIONAL_READ_FIELDS.Event,
  filters: () => ['AccountId != null'],
  deletable: true,
  tracksMerges: false,
};

export interface PullContext {
  readonly api: SalesforceApi;
  readonly describe: Describer;
  readonly overlapMs: number;
}

const isDescribed = (sobject: string): sobject is DescribedSObject =>
  Object.hasOwn(OPTIONAL_READ_FIELDS, sobject);

/** Ids per `SELECT … WHERE Id IN (…)`: keeps the query far below SOQL's length limit. */
const IDS_PER_QUERY = 200;

const describedFields = (context: PullContext, spec: ObjectSpec): Promise<DescribedFields | null> =>
  isDescribed(spec.sobject) ? context.describe(spec.sobject) : Promise.resolve(null);

const selectedFields = (spec: ObjectSpec, described: DescribedFields | null): readonly string[] => [
  ...spec.fields,
  ...spec.optional.filter((field) => described !== null && hasField(described, field)),
];

/** One object's records in (SystemModstamp, Id) order, a batch at a time, resuming if a locator expires. */
async function* batches(
  context: PullContext,
  spec: ObjectSpec,
  start: KeysetBound | null,
  includeDeleted: boolean,
): AsyncGenerator<readonly SalesforceRecord[]> {
  const described = await describedFields(context, spec);
  const fields = [
    ...selectedFields(spec, described),
    ...(includeDeleted ? ['IsDeleted'] : []),
    ...(includeDeleted && spec.tracksMerges ? ['MasterRecordId'] : []),
  ];
  const resource = includeDeleted ? 'queryAll' : 'query';
  let from = start;
  let next: string | null = null;
  let last: Keyed | null = null;
  for (;;) {
    const url: string =
      next ??
      `/${resource}?q=${encodeURIComponent(selectSoql({ sobject: spec.sobject, fields, filters: spec.filters(described), from }))}`;
    const result = await context.api.request({ method: 'GET', url });
    if (!result.ok) {
      // A locator dies after 15 idle minutes or when newer cursors evict it: the keyset resumes
      // exactly after the last record received, which the open query had not passed either.
      if (next !== null && last !== null && result.error.errorCode === 'INVALID_QUERY_LOCATOR') {
        from = { modifiedAt: last.modifiedAt, afterId: last.crmId };
        next = null;
        continue;
      }
      throw requestFailure(result.error, `reading ${spec.sobject}`);
    }
    const batch = QueryResultSchema.parse(result.value);
    const tail = batch.records.at(-1);
    if (tail !== undefined) last = keyOf(tail);
    yield batch.records;
    if (batch.done || batch.nextRecordsUrl === undefined) return;
    next = batch.nextRecordsUrl;
  }
}

interface Tagged {
  readonly sobject: string;
  readonly record: SalesforceRecord;
  readonly key: Keyed;
}

/**
 * Several objects' batches merged into one (SystemModstamp, Id) order. A merged batch is yielded
 * whenever one source needs its next batch, so everything up to the batch's last record has been
 * yielded from every source: its cursor is safe to save.
 */
async function* mergedBatches(
  sources: readonly {
    readonly sobject: string;
    readonly batches: AsyncGenerator<readonly SalesforceRecord[]>;
  }[],
): AsyncGenerator<readonly Tagged[]> {
  const state = sources.map((source) => ({ ...source, buffer: [] as Tagged[], position: 0, done: false }));
  let out: Tagged[] = [];
  let yielded = false;
  for (;;) {
    const starving = state.find((entry) => !entry.done && entry.position >= entry.buffer.length);
    if (starving) {
      if (out.length > 0) {
        yield out;
        yielded = true;
        out = [];
      }
      const next = await starving.batches.next();
      if (next.done) starving.done = true;
      else {
        starving.buffer = next.value.map((record) => ({
          sobject: starving.sobject,
          record,
          key: keyOf(record),
        }));
        starving.position = 0;
      }
      continue;
    }
    let smallest: (typeof state)[number] | null = null;
    for (const entry of state) {
      const head = entry.buffer[entry.position];
      if (head === undefined) continue;
      const best = smallest?.buffer[smallest.position];
      if (best === undefined || compareKeyed(head.key, best.key) < 0) smallest = entry;
    }
    if (smallest === null) break;
    out.push(smallest.buffer[smallest.position]!);
    smallest.position += 1;
  }
  // An empty pull still yields one page, so the caller sees the pull happened.
  if (out.length > 0 || !yielded) yield out;
}

const isDeleted = (record: SalesforceRecord): boolean => record['IsDeleted'] === true;

const later = (cursor: SyncCursor | null, key: Keyed): SyncCursor =>
  cursor === null || compareKeyed(key, cursor) > 0
    ? { modifiedAt: key.modifiedAt, crmId: key.crmId }
    : cursor;

/** The page's resume point: its last record, never behind where the pull started. */
function cursorAfter(records: readonly Tagged[], since: SyncCursor | null): SyncCursor | null {
  const tail = records.at(-1);
  return tail === undefined ? since : later(since, tail.key);
}

function startOf(since: SyncCursor | null, overlapMs: number): KeysetBound | null {
  return since === null ? null : resumeBound(since, overlapMs);
}

async function* pullObjects<K extends SyncKind>(
  context: PullContext,
  kind: K,
  specs: readonly ObjectSpec[],
  since: SyncCursor | null,
  toPage: (records: readonly Tagged[]) => Promise<Pick<PullPage<K>, 'records' | 'deletedCrmIds'>>,
): AsyncGenerator<PullPage<K>> {
  const start = startOf(since, context.overlapMs);
  const sources = specs.map((spec) => ({
    sobject: spec.sobject,
    batches: batches(context, spec, start, since !== null && spec.deletable),
  }));
  let cursor = since;
  for await (const records of mergedBatches(sources)) {
    const page = await toPage(records);
    cursor = cursorAfter(records, cursor);
    yield { kind, ...page, cursor };
  }
}

const liveAndDeleted = (records: readonly Tagged[]) => ({
  live: records.filter((entry) => !isDeleted(entry.record)),
  deletedCrmIds: records.filter((entry) => isDeleted(entry.record)).map((entry) => entry.key.crmId),
});

/**
 * Accounts of a batch, with the ids merged into each survivor. A survivor outside the batch (the merge
 * straddles a batch boundary) is read again by id so it can carry them; one already deleted takes its
 * merged-away ids down with it.
 */
async function accountsPage(
  context: PullContext,
  records: readonly Tagged[],
): Promise<Pick<PullPage<'accounts'>, 'records' | 'deletedCrmIds'>> {
  const live = new Map<string, SalesforceRecord>();
  const deletedCrmIds: string[] = [];
  const mergedInto = new Map<string, string[]>();
  for (const { record, key } of records) {
    if (!isDeleted(record)) live.set(key.crmId, record);
    else if (typeof record['MasterRecordId'] === 'string') {
      const masterId = record['MasterRecordId'];
      mergedInto.set(masterId, [...(mergedInto.get(masterId) ?? []), key.crmId]);
    } else deletedCrmIds.push(key.crmId);
  }
  const absent = [...mergedInto.keys()].filter((masterId) => !live.has(masterId));
  const fields = absent.length > 0 ? selectedFields(ACCOUNT, await describedFields(context, ACCOUNT)) : [];
  for (let index = 0; index < absent.length; index += IDS_PER_QUERY) {
    const soql = selectByIdsSoql('Account', fields, absent.slice(index, index + IDS_PER_QUERY));
    const result = await context.api.request({ method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` });
    if (!result.ok) throw requestFailure(result.error, 'reading merged accounts');
    for (const record of QueryResultSchema.parse(result.value).records) live.set(keyOf(record).crmId, record);
  }
  for (const [masterId, mergedIds] of mergedInto) if (!live.has(masterId)) deletedCrmIds.push(...mergedIds);
  return {
    records: [...live.entries()].map(([crmId, record]) => toAccount(record, mergedInto.get(crmId) ?? [])),
    deletedCrmIds,
  };
}

function simplePage<K extends Exclude<SyncKind, 'accounts' | 'engagements'>>(
  map: (record: SalesforceRecord) => RecordOfKind[K],
) {
  return (records: readonly Tagged[]): Promise<Pick<PullPage<K>, 'records' | 'deletedCrmIds'>> => {
    const { live, deletedCrmIds } = liveAndDeleted(records);
    return Promise.resolve({ records: live.map((entry) => map(entry.record)), deletedCrmIds });
  };
}

function engagementsPage(
  records: readonly Tagged[],
): Promise<Pick<PullPage<'engagements'>, 'records' | 'deletedCrmIds'>> {
  const { live, deletedCrmIds } = liveAndDeleted(records);
  return Promise.resolve({
    records: live.flatMap((entry) => toEngagement(entry.sobject as ActivitySObject, entry.record) ?? []),
    deletedCrmIds,
  });
}

/** Pages of `kind` changed at or after `since` (less the overlap), oldest first; everything when null. */
export function pullKind<K extends SyncKind>(
  context: PullContext,
  kind: K,
  since: SyncCursor | null,
): AsyncGenerator<PullPage<K>> {
  const pullers: { readonly [Kind in SyncKind]: () => AsyncGenerator<PullPage<Kind>> } = {
    owners: () => pullObjects(context, 'owners', [USER], since, simplePage<'owners'>(toOwner)),
    accounts: () =>
      pullObjects(context, 'accounts', [ACCOUNT], since, (records) => accountsPage(context, records)),
    contacts: () => pullObjects(context, 'contacts', [CONTACT], since, simplePage<'contacts'>(toContact)),
    deals: () => pullObjects(context, 'deals', [OPPORTUNITY], since, simplePage<'deals'>(toDeal)),
    engagements: () => pullObjects(context, 'engagements', [TASK, EVENT], since, engagementsPage),
  };
  return pullers[kind]() as AsyncGenerator<PullPage<K>>;
}
