import type { Instant } from '@abm-pilot/shared';

import type { RecordOfKind, SyncCursor, SyncKind } from '../../model.ts';
import type { PullPage } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import type { RetryPolicy } from '../retry.ts';
import { backoffDelay } from '../retry.ts';
import type { HubSpotHttp } from './http.ts';
import type { Associated, EngagementObjectType, PulledObjectType } from './mapping.ts';
import {
  LAST_MODIFIED,
  NO_ASSOCIATIONS,
  PULL_PROPERTIES,
  compareIds,
  inlineAssociations,
  laterCursor,
  mergedAwayIds,
  modifiedAtOf,
  parseInstant,
  toAccount,
  toContact,
  toDeal,
  toEngagement,
  toOwner,
} from './mapping.ts';
import type { HubSpotObject } from './wire.ts';
import { AssociationBatchReadSchema, ObjectPageSchema, OwnerPageSchema, SearchPageSchema } from './wire.ts';

// Pulls, with the fewest calls HubSpot allows.
//
// First sync (no cursor): GET list pages of 100 with only the needed properties and, where a record
// needs its company, `associations=` inline, so a page is one call. List pages run in id order, not in
// modification order, so no page before the last is a safe resume point (cursor null); the last page
// carries min(latest modification seen, start of the pull): anything changed while the list ran is
// dated after the start and is read again by the next incremental pull.
//
// Incremental: CRM search on the last-modified property, ascending, 200 a page, from the cursor minus an
// overlap window (search lags writes; clocks drift). Pages are chained by keyset rather than by `after`
// offsets, which shift when a record is modified mid-pull and cap at 10,000: the next page is
// "modified after T, or modified at T and not one of the ids already read at T". When too many records
// share T to list their ids, they are drained in id order (`hs_object_id > last`) before moving past T,
// so ties never loop and never skip. Search returns no associations: one v4 batch read per page fetches
// them for deals and engagements (contacts carry `associatedcompanyid`). Deletions: archived records
// listed with `archived=true`, kept when archived within the window; merged-away deals and contacts
// (named by the survivor's `hs_merged_object_ids`) are deletions too, merged-away companies go to
// `mergedFromCrmIds`. An incremental pull that finds nothing yields one empty page.

export interface PullContext {
  readonly http: HubSpotHttp;
  readonly clock: () => Instant;
  readonly overlapMs: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const LIST_LIMIT = 100;
const OWNER_LIMIT = 500;
const SEARCH_LIMIT = 200;
/** Ids listed in one NOT_IN filter; a search body must stay under 3,000 characters. */
const MAX_EXCLUDED_IDS = 100;
const ASSOCIATION_READ_LIMIT = 1_000;
const RETRYABLE_CATEGORIES = new Set(['INTERNAL_ERROR', 'RATE_LIMITS', 'LOCKED', 'TIMEOUT']);

type AssociationTarget = 'companies' | 'contacts';

interface ObjectSource<R> {
  readonly types: readonly PulledObjectType[];
  /** Associations inlined on GET list pages (first sync). */
  readonly listAssociations: readonly AssociationTarget[];
  /** Associations fetched with a v4 batch read after each search page (incremental). */
  readonly searchAssociations: readonly AssociationTarget[];
  readonly toRecord: (type: PulledObjectType, object: HubSpotObject, associated: Associated) => R;
  /**
   * Whether a record's `hs_merged_object_ids` names records that are gone: merged-away deals and
   * contacts are neither live nor archived, so they leave through `deletedCrmIds`. Companies keep them
   * in `mergedFromCrmIds`, which the model asks for.
   */
  readonly mergedAwayAreDeleted: boolean;
}

/** Records of one page, and ids the page tells us are gone. */
interface Batch<R> {
  readonly records: R[];
  readonly gone: readonly string[];
}

type Timestamped = { readonly crmId: string; readonly modifiedAt: Instant };

const asEngagementType = (type: PulledObjectType): EngagementObjectType => {
  if (type === 'meetings' || type === 'calls' || type === 'emails') return type;
  throw new Error(`${type} is not an engagement object`);
};

const SOURCES: { readonly [K in Exclude<SyncKind, 'owners'>]: ObjectSource<RecordOfKind[K]> } = {
  accounts: {
    types: ['companies'],
    listAssociations: [],
    searchAssociations: [],
    toRecord: (_type, object) => toAccount(object),
    mergedAwayAreDeleted: false,
  },
  contacts: {
    types: ['contacts'],
    listAssociations: ['companies'],
    searchAssociations: [],
    toRecord: (_type, object, associated) => toContact(object, associated),
    mergedAwayAreDeleted: true,
  },
  deals: {
    types: ['deals'],
    listAssociations: ['companies'],
    searchAssociations: ['companies'],
    toRecord: (_type, object, associated) => toDeal(object, associated),
    mergedAwayAreDeleted: true,
  },
  engagements: {
    types: ['meetings', 'calls', 'emails'],
    listAssociations: ['companies', 'contacts'],
    searchAssociations: ['companies', 'contacts'],
    toRecord: (type, object, associated) => toEngagement(asEngagementType(type), object, associated),
    mergedAwayAreDeleted: false,
  },
};

async function* listObjects(
  ctx: PullContext,
  type: PulledObjectType,
  associations: readonly AssociationTarget[],
): AsyncGenerator<HubSpotObject[]> {
  let after: string | undefined;
  do {
    const page = await ctx.http.expect(
      {
        method: 'GET',
        path: `/crm/v3/objects/${type}`,
        query: {
          limit: LIST_LIMIT,
          after,
          properties: PULL_PROPERTIES[type],
          associations: associations.length > 0 ? associations.join(',') : undefined,
          archived: false,
        },
      },
      ObjectPageSchema,
    );
    if (page.results.length > 0) yield page.results;
    after = page.paging?.next?.after;
  } while (after !== undefined);
}

interface Filter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'GT' | 'GTE' | 'NOT_IN';
  readonly value?: string;
  readonly values?: readonly string[];
}

const searchPage = (
  ctx: PullContext,
  type: PulledObjectType,
  groups: readonly (readonly Filter[])[],
  sortBy: string,
) =>
  ctx.http.expect(
    {
      method: 'POST',
      path: `/crm/v3/objects/${type}/search`,
      lane: 'search',
      body: {
        filterGroups: groups.map((filters) => ({ filters })),
        sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }],
        properties: PULL_PROPERTIES[type],
        limit: SEARCH_LIMIT,
      },
    },
    SearchPageSchema,
  );

/** Every record modified at instant `at` not already read, in id order. */
async function* drainInstant(
  ctx: PullContext,
  type: PulledObjectType,
  at: Instant,
  seen: ReadonlySet<string>,
): AsyncGenerator<HubSpotObject[]> {
  const lastModified = LAST_MODIFIED[type];
  let afterId: string | null = null;
  for (;;) {
    const filters: Filter[] = [{ propertyName: lastModified, operator: 'EQ', value: String(at) }];
    if (afterId !== null) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: afterId });
    const page = await searchPage(ctx, type, [filters], 'hs_object_id');
    const fresh = page.results.filter((object) => !seen.has(object.id));
    if (fresh.length > 0) yield fresh;
    const last = page.results.at(-1);
    if (page.paging?.next === undefined || last === undefined) return;
    afterId = last.id;
  }
}

/** Records modified at or after `from`, oldest first, by keyset pages (see the file comment). */
async function* searchModified(
  ctx: PullContext,
  type: PulledObjectType,
  from: Instant,
): AsyncGenerator<HubSpotObject[]> {
  const lastModified = LAST_MODIFIED[type];
  let groups: Filter[][] = [[{ propertyName: lastModified, operator: 'GTE', value: String(from) }]];
  type Edge = { readonly at: Instant; readonly ids: Set<string> };
  let edge = null as Edge | null;
  for (;;) {
    const page = await searchPage(ctx, type, groups, lastModified);
    const known: Edge | null = edge;
    // NOT_IN already leaves these out; the check keeps a server that ignored it from looping us.
    const fresh = known
      ? page.results.filter(
          (object) => !(known.ids.has(object.id) && modifiedAtOf(object, lastModified) === known.at),
        )
      : page.results;
    if (fresh.length > 0) yield fresh;
    const last = page.results.at(-1);
    if (page.paging?.next === undefined || last === undefined) return;
    const at = modifiedAtOf(last, lastModified);
    const tied = page.results
      .filter((object) => modifiedAtOf(object, lastModified) === at)
      .map((object) => object.id);
    edge =
      known && known.at === at ? { at, ids: new Set([...known.ids, ...tied]) } : { at, ids: new Set(tied) };
    if (edge.ids.size <= MAX_EXCLUDED_IDS && fresh.length > 0) {
      groups = [
        [{ propertyName: lastModified, operator: 'GT', value: String(at) }],
        [
          { propertyName: lastModified, operator: 'EQ', value: String(at) },
          {
            propertyName: 'hs_object_id',
            operator: 'NOT_IN',
            values: [...edge.ids].sort(compareIds),
          },
        ],
      ];
      continue;
    }
    yield* drainInstant(ctx, type, at, edge.ids);
    groups = [[{ propertyName: lastModified, operator: 'GT', value: String(at) }]];
    edge = null;
  }
}

/** Target ids per source id, from a v4 batch read; labelled (primary) associations first. */
const readAssociations = async (
  ctx: PullContext,
  from: PulledObjectType,
  to: AssociationTarget,
  ids: readonly string[],
): Promise<Map<string, string[]>> => {
  const found = new Map<string, string[]>();
  for (let start = 0; start < ids.length; start += ASSOCIATION_READ_LIMIT) {
    let pending = ids.slice(start, start + ASSOCIATION_READ_LIMIT);
    for (let round = 1; pending.length > 0; round += 1) {
      const body = await ctx.http.expect(
        {
          method: 'POST',
          path: `/crm/v4/associations/${from}/${to}/batch/read`,
          body: { inputs: pending.map((id) => ({ id })) },
        },
        AssociationBatchReadSchema,
      );
      for (const result of body.results) {
        const ordered = [...result.to].sort(
          (a, b) =>
            Number(!a.associationTypes?.some((type) => type.label)) -
            Number(!b.associationTypes?.some((type) => type.label)),
        );
        found.set(result.from.id, [...new Set(ordered.map((entry) => entry.toObjectId))]);
      }
      // "No associations found" is an answer; only transient errors are asked again.
      const retry = new Set(
        (body.errors ?? [])
          .filter((error) => RETRYABLE_CATEGORIES.has(error.category ?? ''))
          .flatMap((error) => Object.values(error.context ?? {}).flat()),
      );
      pending = pending.filter((id) => retry.has(id));
      if (pending.length === 0) break;
      if (round >= ctx.retry.maxAttempts) {
        throw new ConnectorFailure({
          code: 'crm_unavailable',
          message: `HubSpot kept failing to read the ${to} of ${pending.length} ${from} after ${round} rounds`,
        });
      }
      await ctx.sleep(backoffDelay(ctx.retry, ctx.random, round));
    }
  }
  return found;
};

const associationsOf = async (
  ctx: PullContext,
  type: PulledObjectType,
  objects: readonly HubSpotObject[],
  targets: readonly AssociationTarget[],
): Promise<(object: HubSpotObject) => Associated> => {
  if (targets.length === 0) return () => NO_ASSOCIATIONS;
  const ids = objects.map((object) => object.id);
  const companies = targets.includes('companies')
    ? await readAssociations(ctx, type, 'companies', ids)
    : new Map<string, string[]>();
  const contacts = targets.includes('contacts')
    ? await readAssociations(ctx, type, 'contacts', ids)
    : new Map<string, string[]>();
  return (object) => ({
    companies: companies.get(object.id) ?? [],
    contacts: contacts.get(object.id) ?? [],
  });
};

/** Ids of records archived at or after `from`; archived records are out of search, so they are listed. */
const archivedSince = async (ctx: PullContext, type: PulledObjectType, from: Instant): Promise<string[]> => {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await ctx.http.expect(
      {
        method: 'GET',
        path: `/crm/v3/objects/${type}`,
        query: { limit: LIST_LIMIT, after, archived: true, properties: ['hs_object_id'] },
      },
      ObjectPageSchema,
    );
    for (const object of page.results) {
      const archivedAt = parseInstant(object.archivedAt) ?? parseInstant(object.updatedAt);
      if (archivedAt === null || archivedAt >= from) ids.push(object.id);
    }
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return ids;
};

const cursorOf = (record: Timestamped): SyncCursor => ({
  modifiedAt: record.modifiedAt,
  crmId: record.crmId,
});

/** The latest of these records, or `null` for none. */
const latest = (records: readonly Timestamped[], from: SyncCursor | null): SyncCursor | null =>
  records.reduce<SyncCursor | null>((cursor, record) => laterCursor(cursor, cursorOf(record)), from);

/** Where a pull that could not order its records by modification may resume (see the file comment). */
const watermark = (seen: SyncCursor | null, startedAt: Instant, floor: SyncCursor | null): SyncCursor => {
  const capped = seen !== null && seen.modifiedAt <= startedAt ? seen : { modifiedAt: startedAt, crmId: '' };
  return laterCursor(floor, capped) ?? capped;
};

/**
 * Yields each batch as a page whose cursor is `interim`, except the last, which gets the watermark:
 * holding one batch back is how the last one is known.
 */
async function* heldBack<K extends SyncKind>(
  kind: K,
  batches: AsyncIterable<Batch<RecordOfKind[K]>>,
  interim: SyncCursor | null,
  startedAt: Instant,
): AsyncGenerator<PullPage<K>> {
  let pending: Batch<RecordOfKind[K]> | null = null;
  let seen: SyncCursor | null = null;
  for await (const batch of batches) {
    if (pending !== null) {
      yield { kind, records: pending.records, deletedCrmIds: pending.gone, cursor: interim };
    }
    pending = batch;
    seen = latest(batch.records, seen);
  }
  yield {
    kind,
    records: pending?.records ?? [],
    deletedCrmIds: pending?.gone ?? [],
    cursor: watermark(seen, startedAt, interim),
  };
}

const batchOf = <R>(
  source: ObjectSource<R>,
  type: PulledObjectType,
  objects: readonly HubSpotObject[],
  associated: (object: HubSpotObject) => Associated,
): Batch<R> => ({
  records: objects.map((object) => source.toRecord(type, object, associated(object))),
  gone: source.mergedAwayAreDeleted ? objects.flatMap(mergedAwayIds) : [],
});

async function* fullBatches<R>(ctx: PullContext, source: ObjectSource<R>): AsyncGenerator<Batch<R>> {
  for (const type of source.types) {
    for await (const objects of listObjects(ctx, type, source.listAssociations)) {
      yield batchOf(source, type, objects, inlineAssociations);
    }
  }
}

async function* changedBatches<R>(
  ctx: PullContext,
  source: ObjectSource<R>,
  type: PulledObjectType,
  from: Instant,
): AsyncGenerator<Batch<R>> {
  for await (const objects of searchModified(ctx, type, from)) {
    yield batchOf(source, type, objects, await associationsOf(ctx, type, objects, source.searchAssociations));
  }
}

async function* pullObjects<K extends Exclude<SyncKind, 'owners'>>(
  ctx: PullContext,
  kind: K,
  since: SyncCursor | null,
): AsyncGenerator<PullPage<K>> {
  const source: ObjectSource<RecordOfKind[K]> = SOURCES[kind];
  const startedAt = ctx.clock();
  if (since === null) {
    yield* heldBack(kind, fullBatches(ctx, source), null, startedAt);
    return;
  }
  const from = since.modifiedAt - ctx.overlapMs;
  const deleted: string[] = [];
  for (const type of source.types) deleted.push(...(await archivedSince(ctx, type, from)));
  if (deleted.length > 0) yield { kind, records: [], deletedCrmIds: deleted, cursor: since };
  const [only, ...others] = source.types;
  if (only !== undefined && others.length === 0) {
    // One ordered stream: every page is a safe resume point.
    let cursor: SyncCursor = since;
    let yielded = deleted.length > 0;
    for await (const { records, gone } of changedBatches(ctx, source, only, from)) {
      cursor = latest(records as readonly Timestamped[], cursor) ?? cursor;
      yielded = true;
      yield { kind, records, deletedCrmIds: gone, cursor };
    }
    // Like the Salesforce connector, a pull that found nothing still says so with one empty page.
    if (!yielded) yield { kind, records: [], deletedCrmIds: [], cursor: since };
    return;
  }
  // Several object types share one cursor: only the end of all of them is a safe resume point.
  async function* allTypes(): AsyncGenerator<Batch<RecordOfKind[K]>> {
    for (const type of source.types) yield* changedBatches(ctx, source, type, from);
  }
  yield* heldBack(kind, allTypes(), since, startedAt);
}

/** Owners have no modification filter: the whole list each time (a call or two), archived ones inactive. */
async function* pullOwners(ctx: PullContext): AsyncGenerator<PullPage<'owners'>> {
  const startedAt = ctx.clock();
  async function* batches(): AsyncGenerator<Batch<RecordOfKind['owners']>> {
    for (const archived of [false, true]) {
      let after: string | undefined;
      do {
        const page = await ctx.http.expect(
          { method: 'GET', path: '/crm/v3/owners', query: { limit: OWNER_LIMIT, after, archived } },
          OwnerPageSchema,
        );
        if (page.results.length > 0) yield { records: page.results.map(toOwner), gone: [] };
        after = page.paging?.next?.after;
      } while (after !== undefined);
    }
  }
  yield* heldBack('owners', batches(), null, startedAt);
}

export function pullKind<K extends SyncKind>(
  ctx: PullContext,
  kind: K,
  since: SyncCursor | null,
): AsyncIterable<PullPage<K>> {
  const pullers: { readonly [P in SyncKind]: () => AsyncIterable<PullPage<P>> } = {
    owners: () => pullOwners(ctx),
    accounts: () => pullObjects(ctx, 'accounts', since),
    contacts: () => pullObjects(ctx, 'contacts', since),
    deals: () => pullObjects(ctx, 'deals', since),
    engagements: () => pullObjects(ctx, 'engagements', since),
  };
  return pullers[kind]();
}
