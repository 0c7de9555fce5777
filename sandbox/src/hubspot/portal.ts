import type { AssociationTypeDef } from './associationTypes.ts';
import { associationTypeById, unlabeledTypeId } from './associationTypes.ts';
import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';
import type { PropertyWrite, WriteContext } from './propertyValues.ts';
import type { RateLimits, RateUsage } from './rateLimits.ts';
import { createRateUsage } from './rateLimits.ts';
import type { CrmRecord, HistoryEntry, PortalData } from './store.ts';
import { createPortalData } from './store.ts';
import type { ChangeEvent, WebhookState } from './webhooks.ts';
import { recordChange } from './webhooks.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure, formatInstant } from './wire.ts';

// One portal: its data, limits and webhook queue, and the record operations every route goes through,
// so that timestamps, unique values, derived properties, history and change events stay consistent
// however a record is written.

export interface Portal {
  readonly portalId: number;
  readonly hubDomain: string;
  /** First id of this portal's range: portals never share ids, so one portal's ids are 404 in another. */
  readonly firstId: number;
  data: PortalData;
  limits: RateLimits;
  usage: RateUsage;
  webhooks: WebhookState | null;
}

export const createPortal = (
  portalId: number,
  hubDomain: string,
  firstId: number,
  limits: RateLimits,
  webhooks: WebhookState | null,
): Portal => ({
  portalId,
  hubDomain,
  firstId,
  data: createPortalData(firstId),
  limits,
  usage: createRateUsage(),
  webhooks,
});

export const writeContext = (portal: Portal, type: ObjectType, allowReadOnly = false): WriteContext => ({
  definitions: portal.data.properties[type],
  ownerExists: (ownerId) => portal.data.owners.some((owner) => String(owner.id) === ownerId),
  allowReadOnly,
});

export interface ChangeContext {
  readonly now: number;
  /** `API` for calls, `CRM_UI` for edits made "in HubSpot" through the sandbox admin routes. */
  readonly changeSource: string;
  /**
   * The HubSpot user making a `CRM_UI` edit (an owner's `userId`): property history names them in
   * `updatedByUserId` and `sourceId`. Absent for API writes, which a private app makes, not a person.
   */
  readonly userId?: number;
}

const emit = (portal: Portal, change: ChangeEvent): void => {
  if (portal.webhooks) recordChange(portal.webhooks, portal.portalId, change);
};

/** hs_lastmodifieddate must move on every change, even two changes within the same millisecond. */
const nextStamp = (record: CrmRecord, now: number): number => Math.max(now, record.updatedAt + 1);

const deriveProperties = (type: ObjectType, properties: Record<string, string>, now: number): void => {
  if (type === 'deals') {
    const stage = properties.dealstage;
    if (stage !== undefined) {
      properties.hs_is_closed = String(stage === 'closedwon' || stage === 'closedlost');
      properties.hs_is_closed_won = String(stage === 'closedwon');
    }
  }
  if (type === 'tasks') {
    properties.hs_task_status ??= 'NOT_STARTED';
    if (properties.hs_task_status === 'COMPLETED') properties.hs_task_completion_date ??= formatInstant(now);
    else delete properties.hs_task_completion_date;
  }
};

/** The history entry of a value written now, naming the user when a person made the edit. */
const historyEntry = (value: string, timestamp: number, context: ChangeContext): HistoryEntry =>
  context.userId === undefined
    ? { value, timestamp, sourceType: context.changeSource }
    : {
        value,
        timestamp,
        sourceType: context.changeSource,
        sourceId: `userId:${context.userId}`,
        updatedByUserId: context.userId,
      };

const pushHistory = (record: CrmRecord, name: string, entry: HistoryEntry): void => {
  record.history ??= new Map();
  let entries = record.history.get(name);
  if (!entries) {
    entries = [];
    const previous = record.properties[name];
    if (previous !== undefined)
      entries.push({ value: previous, timestamp: record.createdAt, sourceType: 'IMPORT' });
    record.history.set(name, entries);
  }
  entries.push(entry);
};

/** HubSpot's 409 when another live record of the type already holds a unique value being written. */
export const uniqueConflict = (
  portal: Portal,
  type: ObjectType,
  write: PropertyWrite,
  selfId: number | null,
): HubSpotFailure | null => {
  const table = portal.data.tables[type];
  for (const [name, value] of write) {
    if (value === null || !table.hasUniqueIndex(name)) continue;
    const holder = table.uniqueConflict(name, value, selfId);
    if (holder === null) continue;
    const label = OBJECT_TYPE_INFO[type].singular;
    const message =
      type === 'contacts' && name === 'email'
        ? `Contact already exists. Existing ID: ${holder}`
        : `A ${label} with ${name} "${value}" already exists. Existing ID: ${holder}`;
    return failure(409, message, { category: 'CONFLICT' });
  }
  return null;
};

export interface CreateOptions {
  /** Loads keep the creation instant of the seed; calls are created now. */
  readonly createdAt?: number;
  readonly updatedAt?: number;
  readonly recordHistory?: boolean;
}

export const createRecord = (
  portal: Portal,
  type: ObjectType,
  write: PropertyWrite,
  context: ChangeContext,
  options: CreateOptions = {},
): CrmRecord => {
  const info = OBJECT_TYPE_INFO[type];
  const id = portal.data.nextId;
  portal.data.nextId += 1;
  const createdAt = options.createdAt ?? context.now;
  const updatedAt = Math.max(options.updatedAt ?? createdAt, createdAt);
  const properties: Record<string, string> = {};
  for (const [name, value] of write) if (value !== null) properties[name] = value;
  properties.hs_object_id = String(id);
  properties[info.createdProperty] ??= formatInstant(createdAt);
  properties[info.lastModifiedProperty] = formatInstant(updatedAt);
  if (type === 'deals') properties.pipeline ??= 'default';
  deriveProperties(type, properties, context.now);
  const record: CrmRecord = {
    id,
    properties,
    createdAt,
    updatedAt,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    history: null,
  };
  if (options.recordHistory !== false) {
    for (const [name, value] of write) {
      if (value !== null) pushHistory(record, name, historyEntry(value, createdAt, context));
    }
  }
  portal.data.tables[type].insert(record);
  emit(portal, {
    kind: 'creation',
    objectType: type,
    objectId: id,
    occurredAt: createdAt,
    changeSource: context.changeSource,
  });
  return record;
};

/** Applies a validated write; returns the names of the properties whose value changed. */
export const updateRecord = (
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  write: PropertyWrite,
  context: ChangeContext,
): string[] => {
  const table = portal.data.tables[type];
  const changed: string[] = [];
  const stamp = nextStamp(record, context.now);
  table.unindexRecord(record);
  for (const [name, value] of write) {
    const previous = record.properties[name];
    if ((value ?? undefined) === previous) continue;
    pushHistory(record, name, historyEntry(value ?? '', stamp, context));
    if (value === null) delete record.properties[name];
    else record.properties[name] = value;
    changed.push(name);
  }
  if (changed.length > 0) {
    deriveProperties(type, record.properties, stamp);
    record.updatedAt = stamp;
    record.properties[OBJECT_TYPE_INFO[type].lastModifiedProperty] = formatInstant(stamp);
  }
  table.indexRecord(record);
  for (const name of changed) {
    emit(portal, {
      kind: 'propertyChange',
      objectType: type,
      objectId: record.id,
      occurredAt: stamp,
      changeSource: context.changeSource,
      propertyName: name,
      propertyValue: record.properties[name] ?? '',
    });
  }
  return changed;
};

export const archiveRecord = (
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  context: ChangeContext,
): void => {
  const table = portal.data.tables[type];
  table.unindexRecord(record);
  record.archived = true;
  record.archivedAt = nextStamp(record, context.now);
  record.updatedAt = record.archivedAt;
  record.properties[OBJECT_TYPE_INFO[type].lastModifiedProperty] = formatInstant(record.archivedAt);
  emit(portal, {
    kind: 'deletion',
    objectType: type,
    objectId: record.id,
    occurredAt: record.archivedAt,
    changeSource: context.changeSource,
  });
};

/** Adds an association and its inverse; a labelled (primary) type always comes with the unlabeled one. */
export const associate = (portal: Portal, def: AssociationTypeDef, fromId: number, toId: number): void => {
  const { associations } = portal.data;
  const types = [def];
  if (def.label !== null) {
    const unlabeled = unlabeledTypeId(def.from, def.to);
    const unlabeledDef = unlabeled === null ? null : associationTypeById(unlabeled);
    if (unlabeledDef) types.push(unlabeledDef);
  }
  for (const typeDef of types) {
    associations.add(typeDef.from, fromId, typeDef.to, toId, [typeDef.typeId]);
    associations.add(typeDef.to, toId, typeDef.from, fromId, [typeDef.inverseTypeId]);
  }
};

/**
 * Merges `secondary` into `primary`: the secondary id becomes an alias of the primary, its associations
 * move over, and `hs_merged_object_ids` records it.
 */
export const mergeRecords = (
  portal: Portal,
  type: ObjectType,
  primary: CrmRecord,
  secondary: CrmRecord,
  context: ChangeContext,
): void => {
  const table = portal.data.tables[type];
  const { associations } = portal.data;
  table.unindexRecord(secondary);
  secondary.mergedInto = primary.id;
  for (const { to, edges } of associations.outgoing(type, secondary.id)) {
    for (const edge of edges) {
      associations.remove(type, secondary.id, to, edge.toId);
      for (const typeId of edge.typeIds) {
        const def = associationTypeById(typeId);
        associations.remove(to, edge.toId, type, secondary.id);
        if (def && edge.toId !== primary.id) {
          associations.add(type, primary.id, to, edge.toId, [def.typeId]);
          associations.add(to, edge.toId, type, primary.id, [def.inverseTypeId]);
        }
      }
    }
  }
  const merged = [
    ...(primary.properties.hs_merged_object_ids?.split(';') ?? []),
    String(secondary.id),
    ...(secondary.properties.hs_merged_object_ids?.split(';') ?? []),
  ];
  const stamp = nextStamp(primary, context.now);
  primary.properties.hs_merged_object_ids = merged.join(';');
  primary.updatedAt = stamp;
  primary.properties[OBJECT_TYPE_INFO[type].lastModifiedProperty] = formatInstant(stamp);
  emit(portal, {
    kind: 'merge',
    objectType: type,
    objectId: primary.id,
    occurredAt: stamp,
    changeSource: context.changeSource,
    primaryObjectId: primary.id,
    mergedObjectIds: [secondary.id],
  });
};
