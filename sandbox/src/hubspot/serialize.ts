import { associationTypeById } from './associationTypes.ts';
import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';
import type { Portal } from './portal.ts';
import type { CrmRecord, HistoryEntry } from './store.ts';
import { formatInstant } from './wire.ts';

// Records in the shape of the SDK's SimplePublicObject(WithAssociations): string ids, property values as
// strings or null, properties sorted by name, ISO instants.

export type PropertySelection =
  | { readonly kind: 'default' }
  | { readonly kind: 'all' }
  | { readonly kind: 'named'; readonly names: readonly string[] };

export interface WireOptions {
  readonly selection: PropertySelection;
  readonly withHistory?: readonly string[];
  readonly associations?: readonly ObjectType[];
}

/** Reads name the properties they want; unknown names are left out, unset ones come back as null. */
export const selectedNames = (
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  selection: PropertySelection,
) => {
  const info = OBJECT_TYPE_INFO[type];
  switch (selection.kind) {
    case 'default':
      return info.defaultProperties;
    case 'all':
      return Object.keys(record.properties).sort();
    case 'named': {
      const definitions = portal.data.properties[type];
      const names = new Set(selection.names.filter((name) => definitions.has(name)));
      names.add(info.createdProperty);
      names.add(info.lastModifiedProperty);
      names.add('hs_object_id');
      return [...names].sort();
    }
  }
};

const propertiesOf = (names: readonly string[], record: CrmRecord): Record<string, string | null> => {
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  return properties;
};

interface WireHistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

/** Newest value first, as HubSpot lists them; the user who made an edit in HubSpot is named. */
const historyOf = (portal: Portal, type: ObjectType, record: CrmRecord, names: readonly string[]) => {
  const definitions = portal.data.properties[type];
  const result: Record<string, WireHistoryEntry[]> = {};
  for (const name of names) {
    if (!definitions.has(name)) continue;
    const entries = record.history?.get(name);
    const current = record.properties[name];
    const list: HistoryEntry[] = entries
      ? [...entries]
      : current === undefined
        ? []
        : [{ value: current, timestamp: record.createdAt, sourceType: 'IMPORT' }];
    result[name] = list.reverse().map((entry) => {
      const wire: WireHistoryEntry = {
        value: entry.value,
        timestamp: formatInstant(entry.timestamp),
        sourceType: entry.sourceType,
      };
      if (entry.sourceId !== undefined) wire.sourceId = entry.sourceId;
      if (entry.updatedByUserId !== undefined) wire.updatedByUserId = entry.updatedByUserId;
      return wire;
    });
  }
  return result;
};

const associationsOf = (
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  targets: readonly ObjectType[],
) => {
  const result: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const target of targets) {
    const table = portal.data.tables[target];
    const results = portal.data.associations
      .list(type, record.id, target)
      .filter((edge) => table.live(edge.toId) !== undefined)
      .flatMap((edge) =>
        edge.typeIds.map((typeId) => ({
          id: String(edge.toId),
          type: associationTypeById(typeId)?.v3Name ?? String(typeId),
        })),
      );
    if (results.length > 0) result[target] = { results };
  }
  return result;
};

export const toWireObject = (portal: Portal, type: ObjectType, record: CrmRecord, options: WireOptions) => {
  const names = selectedNames(portal, type, record, options.selection);
  const wire: Record<string, unknown> = {
    id: String(record.id),
    properties: propertiesOf(names, record),
  };
  if (options.withHistory && options.withHistory.length > 0) {
    wire.propertiesWithHistory = historyOf(portal, type, record, options.withHistory);
  }
  wire.createdAt = formatInstant(record.createdAt);
  wire.updatedAt = formatInstant(record.updatedAt);
  wire.archived = record.archived;
  if (record.archivedAt !== null) wire.archivedAt = formatInstant(record.archivedAt);
  if (options.associations && options.associations.length > 0) {
    const associations = associationsOf(portal, type, record, options.associations);
    if (Object.keys(associations).length > 0) wire.associations = associations;
  }
  return wire;
};
