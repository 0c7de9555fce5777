import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPES } from './objectTypes.ts';
import type { PropertyDefinition, PropertyGroup } from './propertyCatalog.ts';
import { defaultGroups, defaultProperties } from './propertyCatalog.ts';

// The in-memory data of one portal. Ids are numeric and handed out in increasing order, so each table
// keeps its ids in an array that is sorted by construction: paging is a binary search plus a slice, and
// 100,000 records load and list without any O(n²) step.

export interface HistoryEntry {
  readonly value: string;
  readonly timestamp: number;
  readonly sourceType: string;
  /** `userId:<id>` for an edit made by a user in HubSpot; absent for API writes and loads. */
  readonly sourceId?: string;
  /** The HubSpot user (an owner's `userId`, not its owner id) who made the edit in HubSpot. */
  readonly updatedByUserId?: number;
}

export interface CrmRecord {
  readonly id: number;
  /** Wire-form values; an absent key is a null value. */
  properties: Record<string, string>;
  readonly createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /** Set when the record was merged into another one; it then lives on only as an alias. */
  mergedInto: number | null;
  /** Values written after the record was loaded, oldest first; allocated on the first write. */
  history: Map<string, HistoryEntry[]> | null;
}

/** First index in an ascending array whose value is at least `target`. */
export const lowerBound = (sorted: readonly number[], target: number): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
};

const uniqueKey = (value: string): string => value.toLowerCase();

export class ObjectTable {
  private readonly records = new Map<number, CrmRecord>();
  private readonly ids: number[] = [];
  /** property name → lower-cased value → id of the live record holding it. */
  private readonly unique = new Map<string, Map<string, number>>();

  constructor(uniqueProperties: Iterable<string>) {
    for (const name of uniqueProperties) this.unique.set(name, new Map());
  }

  get size(): number {
    return this.ids.length;
  }

  insert(record: CrmRecord): void {
    const last = this.ids[this.ids.length - 1];
    if (last !== undefined && record.id <= last) throw new Error(`ids must grow: ${record.id} after ${last}`);
    this.ids.push(record.id);
    this.records.set(record.id, record);
    this.indexRecord(record);
  }

  /** The record stored under this id, whatever its state. */
  raw(id: number): CrmRecord | undefined {
    return this.records.get(id);
  }

  /** The live record answering to this id, following merges. */
  live(id: number): CrmRecord | undefined {
    let record = this.records.get(id);
    for (let hops = 0; record !== undefined && record.mergedInto !== null && hops < 16; hops += 1) {
      record = this.records.get(record.mergedInto);
    }
    return record && !record.archived && record.mergedInto === null ? record : undefined;
  }

  findByUnique(property: string, value: string): CrmRecord | undefined {
    const id = this.unique.get(property)?.get(uniqueKey(value));
    return id === undefined ? undefined : this.live(id);
  }

  hasUniqueIndex(property: string): boolean {
    return this.unique.has(property);
  }

  addUniqueIndex(property: string): void {
    if (this.unique.has(property)) return;
    const index = new Map<string, number>();
    for (const record of this.liveRecords()) {
      const value = record.properties[property];
      if (value !== undefined) index.set(uniqueKey(value), record.id);
    }
    this.unique.set(property, index);
  }

  /** Which live record other than `selfId` already holds this unique value, if any. */
  uniqueConflict(property: string, value: string, selfId: number | null): number | null {
    const holder = this.unique.get(property)?.get(uniqueKey(value));
    return holder !== undefined && holder !== selfId && this.live(holder) ? holder : null;
  }

  /** Must be called around every change of a record's properties or liveness. */
  unindexRecord(record: CrmRecord): void {
    for (const [property, index] of this.unique) {
      const value = record.properties[property];
      if (value !== undefined && index.get(uniqueKey(value)) === record.id) index.delete(uniqueKey(value));
    }
  }

  indexRecord(record: CrmRecord): void {
    if (record.archived || record.mergedInto !== null) return;
    for (const [property, index] of this.unique) {
      const value = record.properties[property];
      if (value !== undefined) index.set(uniqueKey(value), record.id);
    }
  }

  /**
   * One page of records in id order, starting at the first id not below `fromId`: live records, or
   * archived ones when asked (merged records are neither).
   */
  page(fromId: number, limit: number, archived: boolean): { records: CrmRecord[]; nextId: number | null } {
    const records: CrmRecord[] = [];
    let index = lowerBound(this.ids, fromId);
    for (; index < this.ids.length && records.length < limit; index += 1) {
      const record = this.records.get(this.ids[index]!)!;
      if (record.mergedInto === null && record.archived === archived) records.push(record);
    }
    for (; index < this.ids.length; index += 1) {
      const record = this.records.get(this.ids[index]!)!;
      if (record.mergedInto === null && record.archived === archived) return { records, nextId: record.id };
    }
    return { records, nextId: null };
  }

  *liveRecords(): IterableIterator<CrmRecord> {
    for (const id of this.ids) {
      const record = this.records.get(id)!;
      if (!record.archived && record.mergedInto === null) yield record;
    }
  }

  countLive(): number {
    let count = 0;
    for (const record of this.records.values())
      if (!record.archived && record.mergedInto === null) count += 1;
    return count;
  }
}

export interface AssociationEdge {
  readonly toId: number;
  readonly typeIds: number[];
}

/**
 * Associations in both directions, each keyed by (from type, to type) and then by the source id. Edge
 * lists are short (a company has tens of deals), so a linear scan within one is cheaper than maps.
 */
export class AssociationStore {
  private readonly edges = new Map<string, Map<number, AssociationEdge[]>>();

  private bucket(from: ObjectType, to: ObjectType): Map<number, AssociationEdge[]> {
    const key = `${from}|${to}`;
    let bucket = this.edges.get(key);
    if (!bucket) {
      bucket = new Map();
      this.edges.set(key, bucket);
    }
    return bucket;
  }

  /** Adds types to one direction only; callers add the inverse types through a second call. */
  add(from: ObjectType, fromId: number, to: ObjectType, toId: number, typeIds: readonly number[]): void {
    const bucket = this.bucket(from, to);
    let list = bucket.get(fromId);
    if (!list) {
      list = [];
      bucket.set(fromId, list);
    }
    let edge = list.find((candidate) => candidate.toId === toId);
    if (!edge) {
      edge = { toId, typeIds: [] };
      list.push(edge);
    }
    for (const typeId of typeIds) if (!edge.typeIds.includes(typeId)) edge.typeIds.push(typeId);
  }

  /** Removes the given types (all when none are given) from one direction. */
  remove(from: ObjectType, fromId: number, to: ObjectType, toId: number, typeIds?: readonly number[]): void {
    const bucket = this.bucket(from, to);
    const list = bucket.get(fromId);
    if (!list) return;
    const index = list.findIndex((candidate) => candidate.toId === toId);
    if (index < 0) return;
    const edge = list[index]!;
    if (typeIds) {
      const kept = edge.typeIds.filter((typeId) => !typeIds.includes(typeId));
      edge.typeIds.splice(0, edge.typeIds.length, ...kept);
    }
    if (!typeIds || edge.typeIds.length === 0) list.splice(index, 1);
    if (list.length === 0) bucket.delete(fromId);
  }

  /** Edges from one record to a type, by ascending target id. */
  list(from: ObjectType, fromId: number, to: ObjectType): AssociationEdge[] {
    const list = this.edges.get(`${from}|${to}`)?.get(fromId);
    return list ? [...list].sort((a, b) => a.toId - b.toId) : [];
  }

  /** Every (target type, edges) pair of one record, for merges and deletions. */
  outgoing(from: ObjectType, fromId: number): Array<{ to: ObjectType; edges: AssociationEdge[] }> {
    return OBJECT_TYPES.flatMap((to) => {
      const edges = this.edges.get(`${from}|${to}`)?.get(fromId);
      return edges && edges.length > 0 ? [{ to, edges: [...edges] }] : [];
    });
  }
}

export interface Owner {
  readonly id: number;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly userId: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly archived: boolean;
  readonly teams: ReadonlyArray<{ readonly id: string; readonly name: string; readonly primary: boolean }>;
}

export interface PortalData {
  readonly tables: Readonly<Record<ObjectType, ObjectTable>>;
  readonly properties: Readonly<Record<ObjectType, Map<string, PropertyDefinition>>>;
  readonly groups: Readonly<Record<ObjectType, Map<string, PropertyGroup>>>;
  readonly owners: Owner[];
  readonly associations: AssociationStore;
  /** Seed ids (companies and owners) to the HubSpot ids they were loaded under. */
  readonly seedIds: Map<string, string>;
  nextId: number;
}

const perType = <T>(make: (type: ObjectType) => T): Record<ObjectType, T> =>
  Object.fromEntries(OBJECT_TYPES.map((type) => [type, make(type)])) as Record<ObjectType, T>;

export const createPortalData = (firstId: number): PortalData => {
  const properties = perType((type) => new Map(defaultProperties(type).map((def) => [def.name, def])));
  return {
    tables: perType(
      (type) =>
        new ObjectTable(
          [...properties[type].values()].filter((def) => def.hasUniqueValue).map((def) => def.name),
        ),
    ),
    properties,
    groups: perType((type) => new Map(defaultGroups(type).map((group) => [group.name, group]))),
    owners: [],
    associations: new AssociationStore(),
    seedIds: new Map(),
    nextId: firstId,
  };
};
