import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { ApiError, RecordError } from './errors.ts';
import { apiError, recordError } from './errors.ts';
import { keyPrefixOf, makeId, normalizeId, toBase62 } from './ids.ts';
import type { FieldDef, OrgSchema, SObjectDef, SObjectType, StoredValue } from './schema.ts';
import {
  CLOSED_TASK_STATUSES,
  HISTORY_CREATED_FIELD,
  HISTORY_DATA_TYPE,
  KEY_PREFIX,
  OPPORTUNITY_STAGES,
  SOBJECT_TYPES,
  TYPE_BY_KEY_PREFIX,
  buildOrgSchema,
  requireSObject,
} from './schema.ts';
import { isoDate } from './soql/dateLiterals.ts';
import { formatDatetime, fromJsonValue } from './values.ts';

// The in-memory data of one org. Rows are immutable: every write stores a new object, so an open query
// cursor keeps the snapshot it was opened on. Deletes are soft (IsDeleted), as in the Recycle Bin.
// Committed changes of history-tracked fields add rows to the object's history (AccountHistory), as
// field history tracking does; seed loads and org setup (`insertTrusted`) add none.

export type Row = Readonly<Record<string, StoredValue>>;

export interface OrgData {
  readonly schema: OrgSchema;
  readonly pod: string;
  readonly tables: Map<SObjectType, Map<string, Row>>;
  /** `Type.Field` → lower-cased value → id, for fields that must be unique. */
  readonly uniqueIndex: Map<string, Map<string, string>>;
  readonly sequences: Map<string, number>;
  /** The run-as user of the org's connected app; owner of records created through the API. */
  integrationUserId: string;
}

export interface WriteContext {
  readonly now: number;
  readonly userId: string;
}

export type FieldValues = ReadonlyMap<string, StoredValue>;

/** Org pods are two base-62 characters derived from the org's position, so ids never collide. */
export const podFor = (orgIndex: number): string => toBase62(62 * 5 + orgIndex, 2);

export function createOrgData(orgIndex: number, omitFields: readonly string[], now: number): OrgData {
  const data: OrgData = {
    schema: buildOrgSchema(omitFields),
    pod: podFor(orgIndex),
    tables: new Map(SOBJECT_TYPES.map((type) => [type, new Map<string, Row>()])),
    uniqueIndex: new Map(),
    sequences: new Map(),
    integrationUserId: '',
  };
  resetOrgData(data, now);
  return data;
}

/** Empties the org and re-creates its integration user, whose id is the same every time. */
export function resetOrgData(data: OrgData, now: number): void {
  for (const table of data.tables.values()) table.clear();
  data.uniqueIndex.clear();
  data.sequences.clear();
  data.integrationUserId = insertTrusted(
    data,
    'User',
    {
      Username: `integration@${data.pod.toLowerCase()}.abm-pilot.example`,
      FirstName: 'Integration',
      LastName: 'User',
      Email: 'integration@abm-pilot.example',
      Alias: 'integ',
      TimeZoneSidKey: 'GMT',
      IsActive: true,
    },
    { now, userId: '' },
  );
}

export function nextId(data: OrgData, prefix: string): string {
  const sequence = (data.sequences.get(prefix) ?? 0) + 1;
  data.sequences.set(prefix, sequence);
  return makeId(prefix, data.pod, sequence);
}

export function tableOf(data: OrgData, type: SObjectType): Map<string, Row> {
  const table = data.tables.get(type);
  if (!table) throw new Error(`no table for ${type}`);
  return table;
}

export const typeOfId = (id: string): SObjectType | undefined => TYPE_BY_KEY_PREFIX.get(keyPrefixOf(id));

/** Any stored row by id, deleted or not. */
export function findRow(data: OrgData, id: string): Row | undefined {
  const type = typeOfId(id);
  return type ? data.tables.get(type)?.get(id) : undefined;
}

/** A live (not deleted) row by id: what relationship fields and references see. */
export function lookupLive(data: OrgData, id: string): Row | undefined {
  const row = findRow(data, id);
  return row && row['IsDeleted'] !== true ? row : undefined;
}

/**
 * The User a session runs as: the org's integration user by default, or the given one (15- or
 * 18-character id), which must be an active User of the org. The error says why it cannot.
 */
export function sessionUserId(data: OrgData, userId?: string): Result<string, string> {
  if (userId === undefined) return ok(data.integrationUserId);
  const id = normalizeId(userId);
  const user = id === null || typeOfId(id) !== 'User' ? undefined : tableOf(data, 'User').get(id);
  if (!id || !user) return err(`no user ${userId} in this org`);
  if (user['IsActive'] === false) return err(`user ${userId} is inactive and cannot log in`);
  return ok(id);
}

/**
 * Field values from a JSON record body. Unknown fields and values of the wrong JSON shape fail the
 * whole request, as Salesforce's JSON reader does; `attributes` and the keys in `skip` are ignored.
 */
export function parseRecordInput(
  def: SObjectDef,
  body: Readonly<Record<string, unknown>>,
  skip: ReadonlySet<string> = new Set(),
): Result<FieldValues, ApiError> {
  const values = new Map<string, StoredValue>();
  for (const [key, raw] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'attributes' || skip.has(lower)) continue;
    const field = def.fieldsByLowerName.get(lower);
    if (!field)
      return err(apiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`));
    const value = fromJsonValue(field, raw);
    if (!value.ok) return value;
    values.set(field.name, value.value);
  }
  return ok(values);
}

/** Writes staged during one request, so that allOrNone can drop them all and later records see earlier ones. */
export interface Transaction {
  readonly rows: Map<string, { readonly type: SObjectType; readonly row: Row }>;
  readonly uniqueClaims: Map<string, string>;
  readonly deletedIds: Set<string>;
}

export const newTransaction = (): Transaction => ({
  rows: new Map(),
  uniqueClaims: new Map(),
  deletedIds: new Set(),
});

function readRow(data: OrgData, tx: Transaction, id: string): Row | undefined {
  return tx.rows.get(id)?.row ?? findRow(data, id);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkValue(
  data: OrgData,
  tx: Transaction,
  field: FieldDef,
  value: StoredValue,
): Result<StoredValue, RecordError> {
  if (value === null) {
    if (field.type === 'boolean') return ok(false);
    if (!field.nillable) {
      return err(
        recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]),
      );
    }
    return ok(null);
  }
  switch (field.type) {
    case 'picklist':
      if (field.restrictedPicklist && !field.picklistValues.includes(String(value))) {
        return err(
          recordError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${String(value)}`,
            [field.name],
          ),
        );
      }
      return checkLength(field, String(value));
    case 'email':
      if (!EMAIL.test(String(value))) {
        return err(
          recordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${String(value)}`, [
            field.name,
          ]),
        );
      }
      return checkLength(field, String(value));
    case 'string':
    case 'textarea':
    case 'url':
    case 'phone':
      return checkLength(field, String(value));
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return checkNumber(field, Number(value));
    case 'reference':
      return checkReference(data, tx, field, String(value));
    default:
      return ok(value);
  }
}

function checkLength(field: FieldDef, value: string): Result<StoredValue, RecordError> {
  if (value.length <= field.length) return ok(value);
  const shown = value.length > 30 ? `${value.slice(0, 30)}...` : value;
  return err(
    recordError(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${shown} (max length=${field.length})`,
      [field.name],
    ),
  );
}

/** Numbers are rounded to the field's scale and must fit its precision: Number(3, 0) holds -999..999. */
function checkNumber(field: FieldDef, value: number): Result<StoredValue, RecordError> {
  const factor = 10 ** field.scale;
  const rounded = Math.round(value * factor) / factor;
  const integerDigits = field.type === 'int' ? field.precision || 9 : field.precision - field.scale;
  if (Math.abs(rounded) >= 10 ** integerDigits) {
    return err(
      recordError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${field.label}: value outside of valid range on numeric field: ${value}`,
        [field.name],
      ),
    );
  }
  return ok(rounded);
}

function checkReference(
  data: OrgData,
  tx: Transaction,
  field: FieldDef,
  value: string,
): Result<StoredValue, RecordError> {
  const id = normalizeId(value);
  if (id === null) {
    return err(
      recordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]),
    );
  }
  const targetType = typeOfId(id);
  if (!targetType || !field.referenceTo.includes(targetType)) {
    return err(
      recordError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [
        field.name,
      ]),
    );
  }
  const target = readRow(data, tx, id);
  if (!target || target['IsDeleted'] === true || tx.deletedIds.has(id)) {
    return err(recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]));
  }
  if (targetType === 'User' && field.name === 'OwnerId' && target['IsActive'] === false) {
    return err(
      recordError('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${id}] as owner`, [
        field.name,
      ]),
    );
  }
  return ok(id);
}

function checkWritable(def: SObjectDef, input: FieldValues, creating: boolean): RecordError | null {
  const locked = [...input.keys()].filter((name) => {
    const field = def.fieldsByLowerName.get(name.toLowerCase());
    return !field || !(creating ? field.createable : field.updateable);
  });
  if (locked.length === 0) return null;
  return recordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    locked,
  );
}

function checkedValues(
  data: OrgData,
  tx: Transaction,
  def: SObjectDef,
  input: FieldValues,
  creating: boolean,
): Result<Map<string, StoredValue>, RecordError[]> {
  const locked = checkWritable(def, input, creating);
  if (locked) return err([locked]);
  const errors: RecordError[] = [];
  const values = new Map<string, StoredValue>();
  for (const [name, raw] of input) {
    const field = def.fieldsByLowerName.get(name.toLowerCase());
    if (!field) continue;
    const checked = checkValue(data, tx, field, raw);
    if (checked.ok) values.set(name, checked.value);
    else errors.push(checked.error);
  }
  return errors.length > 0 ? err(errors) : ok(values);
}

const uniqueKey = (type: SObjectType, field: string): string => `${type}.${field}`;

function checkUnique(
  data: OrgData,
  tx: Transaction,
  def: SObjectDef,
  row: Row,
  selfId: string,
): RecordError | null {
  for (const field of uniqueFields(def)) {
    const value = row[field.name];
    if (value === null || value === undefined) continue;
    const claim = `${uniqueKey(def.name, field.name)}|${String(value).toLowerCase()}`;
    const holder =
      tx.uniqueClaims.get(claim) ??
      data.uniqueIndex.get(uniqueKey(def.name, field.name))?.get(String(value).toLowerCase());
    if (holder !== undefined && holder !== selfId) {
      const code =
        def.name === 'User' && field.name === 'Username' ? 'DUPLICATE_USERNAME' : 'DUPLICATE_VALUE';
      return recordError(
        code,
        `duplicate value found: ${field.name} duplicates value on record with id: ${holder}`,
        [field.name],
      );
    }
  }
  return null;
}

function claimUnique(tx: Transaction, def: SObjectDef, row: Row, id: string): void {
  for (const field of uniqueFields(def)) {
    const value = row[field.name];
    if (value !== null && value !== undefined) {
      tx.uniqueClaims.set(`${uniqueKey(def.name, field.name)}|${String(value).toLowerCase()}`, id);
    }
  }
}

const templates = new WeakMap<SObjectDef, Readonly<Record<string, StoredValue>>>();
const uniqueFieldCache = new WeakMap<SObjectDef, readonly FieldDef[]>();
const trackedFieldCache = new WeakMap<SObjectDef, readonly FieldDef[]>();

/** A fresh row holding every field's default; copying one template keeps all rows of a type one shape. */
function emptyRow(def: SObjectDef): Record<string, StoredValue> {
  let template = templates.get(def);
  if (!template) {
    const row: Record<string, StoredValue> = {};
    for (const field of def.fields) row[field.name] = field.defaultValue;
    template = row;
    templates.set(def, template);
  }
  return { ...template };
}

/** Fields whose changes field history tracking records. */
function trackedFields(def: SObjectDef): readonly FieldDef[] {
  let fields = trackedFieldCache.get(def);
  if (!fields) {
    fields = def.fields.filter((field) => field.trackHistory);
    trackedFieldCache.set(def, fields);
  }
  return fields;
}

function uniqueFields(def: SObjectDef): readonly FieldDef[] {
  let fields = uniqueFieldCache.get(def);
  if (!fields) {
    fields = def.fields.filter((field) => field.unique);
    uniqueFieldCache.set(def, fields);
  }
  return fields;
}

/** Fields Salesforce computes: names, opportunity stage flags, activity dates and accounts. */
function derive(
  data: OrgData,
  tx: Transaction,
  type: SObjectType,
  row: Record<string, StoredValue>,
  probabilityGiven: boolean,
  previous: Row | undefined,
  now: number,
): RecordError | null {
  switch (type) {
    case 'Contact':
    case 'User':
      row['Name'] = [row['FirstName'], row['LastName']]
        .filter((part) => part !== null && part !== '')
        .join(' ');
      return null;
    case 'Opportunity': {
      const stage = OPPORTUNITY_STAGES.find((candidate) => candidate.name === row['StageName']);
      row['IsClosed'] = stage?.closed ?? false;
      row['IsWon'] = stage?.won ?? false;
      const stageChanged = previous === undefined || previous['StageName'] !== row['StageName'];
      if (stage && stageChanged && !probabilityGiven) row['Probability'] = stage.probability;
      return null;
    }
    case 'Task': {
      const closed = CLOSED_TASK_STATUSES.has(String(row['Status']));
      const wasClosed = previous?.['IsClosed'] === true;
      row['IsClosed'] = closed;
      row['IsHighPriority'] = row['Priority'] === 'High';
      if (closed && !wasClosed) row['CompletedDateTime'] = now;
      if (!closed) row['CompletedDateTime'] = null;
      row['AccountId'] = activityAccount(data, tx, row);
      return null;
    }
    case 'Event': {
      const start = row['StartDateTime'];
      const end = row['EndDateTime'];
      if (typeof start === 'number' && typeof end === 'number') {
        if (end < start) {
          return recordError(
            'FIELD_INTEGRITY_EXCEPTION',
            'End Date Time: End time must be after start time',
            ['EndDateTime'],
          );
        }
        row['DurationInMinutes'] = Math.round((end - start) / 60_000);
        row['ActivityDateTime'] = start;
        row['ActivityDate'] = isoDate(start);
      }
      row['AccountId'] = activityAccount(data, tx, row);
      return null;
    }
    default:
      return null;
  }
}

/** An activity's account: its WhatId when that is an account, else the account of the opportunity or contact. */
function activityAccount(
  data: OrgData,
  tx: Transaction,
  row: Readonly<Record<string, StoredValue>>,
): StoredValue {
  const whatId = row['WhatId'];
  if (typeof whatId === 'string') {
    if (keyPrefixOf(whatId) === KEY_PREFIX.Account) return whatId;
    const opportunity = readRow(data, tx, whatId);
    if (opportunity) return opportunity['AccountId'] ?? null;
  }
  const whoId = row['WhoId'];
  if (typeof whoId === 'string') return readRow(data, tx, whoId)?.['AccountId'] ?? null;
  return null;
}

/** Validates a new record and stages it; the new id is allocated only when the record is valid. */
export function stageCreate(
  data: OrgData,
  tx: Transaction,
  type: SObjectType,
  input: FieldValues,
  ctx: WriteContext,
): Result<string, RecordError[]> {
  const def = requireSObject(data.schema, type);
  if (!def.createable) {
    return err([recordError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${def.label}`)]);
  }
  const values = checkedValues(data, tx, def, input, true);
  if (!values.ok) return values;
  const row = emptyRow(def);
  for (const [name, value] of values.value) row[name] = value;
  if (def.fieldsByLowerName.has('ownerid') && row['OwnerId'] === null) row['OwnerId'] = ctx.userId || null;
  const missing = def.fields
    .filter((field) => field.required && (row[field.name] === null || row[field.name] === ''))
    .map((field) => field.name);
  if (missing.length > 0) {
    return err([
      recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
    ]);
  }
  const derived = derive(data, tx, type, row, values.value.has('Probability'), undefined, ctx.now);
  if (derived) return err([derived]);
  const duplicate = checkUnique(data, tx, def, row, '');
  if (duplicate) return err([duplicate]);
  const id = nextId(data, def.keyPrefix);
  Object.assign(row, {
    Id: id,
    CreatedDate: ctx.now,
    CreatedById: ctx.userId || id,
    LastModifiedDate: ctx.now,
    LastModifiedById: ctx.userId || id,
    SystemModstamp: ctx.now,
  });
  if (def.fieldsByLowerName.has('isdeleted')) row['IsDeleted'] = false;
  claimUnique(tx, def, row, id);
  tx.rows.set(id, { type, row: Object.freeze(row) });
  return ok(id);
}

export function stageUpdate(
  data: OrgData,
  tx: Transaction,
  type: SObjectType,
  id: string,
  input: FieldValues,
  ctx: WriteContext,
): Result<string, RecordError[]> {
  const def = requireSObject(data.schema, type);
  if (!def.updateable) {
    return err([recordError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${def.label}`)]);
  }
  const previous = readRow(data, tx, id);
  if (!previous || typeOfId(id) !== type) {
    return err([recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [])]);
  }
  if (previous['IsDeleted'] === true || tx.deletedIds.has(id)) {
    return err([recordError('ENTITY_IS_DELETED', 'entity is deleted', [])]);
  }
  const values = checkedValues(data, tx, def, input, false);
  if (!values.ok) return values;
  const row: Record<string, StoredValue> = { ...previous };
  for (const [name, value] of values.value) row[name] = value;
  const derived = derive(data, tx, type, row, values.value.has('Probability'), previous, ctx.now);
  if (derived) return err([derived]);
  const duplicate = checkUnique(data, tx, def, row, id);
  if (duplicate) return err([duplicate]);
  Object.assign(row, { LastModifiedDate: ctx.now, LastModifiedById: ctx.userId, SystemModstamp: ctx.now });
  claimUnique(tx, def, row, id);
  tx.rows.set(id, { type, row: Object.freeze(row) });
  return ok(id);
}

export function stageDelete(
  data: OrgData,
  tx: Transaction,
  id: string,
  ctx: WriteContext,
): Result<string, RecordError> {
  const type = typeOfId(id);
  const row = readRow(data, tx, id);
  if (!type || !row) return err(recordError('ENTITY_IS_DELETED', 'entity is deleted', []));
  if (!requireSObject(data.schema, type).deletable) {
    return err(recordError('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted', []));
  }
  if (row['IsDeleted'] === true || tx.deletedIds.has(id)) {
    return err(recordError('ENTITY_IS_DELETED', 'entity is deleted', []));
  }
  tx.deletedIds.add(id);
  tx.rows.set(id, { type, row: Object.freeze({ ...row, ...deletionStamp(ctx) }) });
  return ok(id);
}

const deletionStamp = (ctx: WriteContext) => ({
  IsDeleted: true,
  LastModifiedDate: ctx.now,
  LastModifiedById: ctx.userId,
  SystemModstamp: ctx.now,
});

/** A row moved to the Recycle Bin, stamped only with the audit fields its object has (history rows have none). */
function deletedRow(row: Row, ctx: WriteContext): Row {
  const next: Record<string, StoredValue> = { ...row };
  for (const [name, value] of Object.entries(deletionStamp(ctx))) {
    if (name === 'IsDeleted' || Object.hasOwn(row, name)) next[name] = value;
  }
  return Object.freeze(next);
}

/** A tracked field's value as a history row holds it: what the REST API shows for the field. */
function historyValue(field: FieldDef, value: StoredValue | undefined): StoredValue {
  if (value === undefined || value === null) return null;
  return field.type === 'datetime' && typeof value === 'number' ? formatDatetime(value) : value;
}

/**
 * Field history tracking: a `created` row for a new record of a history-enabled object, then one row
 * per tracked field whose value a committed write changed, by the acting user at the write's instant.
 */
function recordHistory(
  data: OrgData,
  def: SObjectDef,
  previous: Row | undefined,
  row: Row,
  ctx: WriteContext,
): void {
  const historyDef = def.historyObject === null ? undefined : data.schema.get(def.historyObject);
  if (!historyDef || row['IsDeleted'] === true || previous?.['IsDeleted'] === true) return;
  const table = tableOf(data, historyDef.name);
  const add = (field: string, dataType: string, oldValue: StoredValue, newValue: StoredValue): void => {
    const id = nextId(data, historyDef.keyPrefix);
    table.set(
      id,
      Object.freeze({
        ...emptyRow(historyDef),
        Id: id,
        IsDeleted: false,
        [`${def.name}Id`]: row['Id'] ?? null,
        CreatedById: ctx.userId || null,
        CreatedDate: ctx.now,
        Field: field,
        DataType: dataType,
        OldValue: oldValue,
        NewValue: newValue,
      }),
    );
  };
  if (previous === undefined) {
    add(HISTORY_CREATED_FIELD, 'Text', null, null);
    return;
  }
  for (const field of trackedFields(def)) {
    const before = historyValue(field, previous[field.name]);
    const after = historyValue(field, row[field.name]);
    if (before !== after) add(field.name, HISTORY_DATA_TYPE[field.type], before, after);
  }
}

/** Writes the staged rows, maintains unique indexes, and cascades deletes from parents to children. */
export function commitTransaction(data: OrgData, tx: Transaction, ctx: WriteContext): void {
  for (const [id, { type, row }] of tx.rows) {
    const def = requireSObject(data.schema, type);
    const previous = findRow(data, id);
    for (const field of uniqueFields(def)) {
      const index = data.uniqueIndex.get(uniqueKey(type, field.name)) ?? new Map<string, string>();
      data.uniqueIndex.set(uniqueKey(type, field.name), index);
      const before = previous?.[field.name];
      if (before !== null && before !== undefined) index.delete(String(before).toLowerCase());
      const after = row[field.name];
      if (after !== null && after !== undefined && row['IsDeleted'] !== true)
        index.set(String(after).toLowerCase(), id);
    }
    tableOf(data, type).set(id, row);
    recordHistory(data, def, previous, row, ctx);
  }
  if (tx.deletedIds.size > 0) cascadeDeletes(data, tx.deletedIds, ctx);
}

/** Deleting an account deletes its contacts, opportunities and activities; deleting a contact, its activities. */
function cascadeDeletes(data: OrgData, deleted: ReadonlySet<string>, ctx: WriteContext): void {
  const parents = new Set(deleted);
  let frontier: ReadonlySet<string> = deleted;
  while (frontier.size > 0) {
    const next = new Set<string>();
    for (const parentType of new Set([...frontier].map(typeOfId))) {
      if (!parentType) continue;
      for (const child of requireSObject(data.schema, parentType).childRelationships) {
        if (!child.cascadeDelete) continue;
        const table = tableOf(data, child.childSObject);
        for (const [id, row] of table) {
          const parentId = row[child.field];
          if (row['IsDeleted'] === true || typeof parentId !== 'string' || !frontier.has(parentId)) continue;
          if (parents.has(id)) continue;
          table.set(id, deletedRow(row, ctx));
          parents.add(id);
          next.add(id);
        }
      }
    }
    frontier = next;
  }
}

const NO_TRANSACTION: Transaction = newTransaction();

/** Inserts a record without going through validation: for seed loading and org setup only. */
export function insertTrusted(
  data: OrgData,
  type: SObjectType,
  values: Readonly<Record<string, StoredValue>>,
  ctx: WriteContext,
  timestamps?: { readonly created: number; readonly modified: number },
): string {
  const def = requireSObject(data.schema, type);
  const row = emptyRow(def);
  for (const name in values) if (Object.hasOwn(row, name)) row[name] = values[name] ?? null;
  const id = nextId(data, def.keyPrefix);
  derive(data, NO_TRANSACTION, type, row, 'Probability' in values, undefined, ctx.now);
  if (Object.hasOwn(row, 'OwnerId') && row['OwnerId'] === null) row['OwnerId'] = ctx.userId || null;
  const created = timestamps?.created ?? ctx.now;
  const modified = timestamps?.modified ?? created;
  row['Id'] = id;
  row['CreatedDate'] = created;
  row['CreatedById'] = ctx.userId || id;
  row['LastModifiedDate'] = modified;
  row['LastModifiedById'] = ctx.userId || id;
  row['SystemModstamp'] = modified;
  if (Object.hasOwn(row, 'IsDeleted')) row['IsDeleted'] = false;
  tableOf(data, type).set(id, Object.freeze(row));
  for (const field of uniqueFields(def)) {
    const value = row[field.name];
    if (value === null || value === undefined) continue;
    const index = data.uniqueIndex.get(uniqueKey(type, field.name)) ?? new Map<string, string>();
    data.uniqueIndex.set(uniqueKey(type, field.name), index);
    index.set(String(value).toLowerCase(), id);
  }
  return id;
}

/**
 * Merges records the way the Salesforce merge call does: children of the merged records move to the
 * master, merged records are deleted with `MasterRecordId` pointing at the master.
 */
export function mergeRecords(
  data: OrgData,
  type: 'Account' | 'Contact',
  masterId: string,
  mergedIds: readonly string[],
  ctx: WriteContext,
): Result<void, ApiError> {
  const master = lookupLive(data, masterId);
  if (!master || typeOfId(masterId) !== type)
    return err(apiError(400, 'INVALID_ID_FIELD', `invalid master id ${masterId}`));
  const merged = new Set<string>();
  for (const id of mergedIds) {
    if (id === masterId || typeOfId(id) !== type || !lookupLive(data, id)) {
      return err(apiError(400, 'INVALID_ID_FIELD', `invalid merged id ${id}`));
    }
    merged.add(id);
  }
  const stamp = { LastModifiedDate: ctx.now, LastModifiedById: ctx.userId, SystemModstamp: ctx.now };
  for (const child of requireSObject(data.schema, type).childRelationships) {
    // History stays with the record it describes: the merged records' rows are not the master's.
    const childDef = data.schema.get(child.childSObject);
    if (childDef && childDef.historyOf !== null) continue;
    const table = tableOf(data, child.childSObject);
    for (const [id, row] of table) {
      const parentId = row[child.field];
      if (typeof parentId !== 'string' || !merged.has(parentId)) continue;
      const moved: Record<string, StoredValue> = { ...row, [child.field]: masterId, ...stamp };
      if ('AccountId' in moved && type === 'Account' && moved['AccountId'] === parentId)
        moved['AccountId'] = masterId;
      table.set(id, Object.freeze(moved));
    }
  }
  const table = tableOf(data, type);
  for (const id of merged) {
    const row = table.get(id);
    if (row) table.set(id, Object.freeze({ ...row, ...deletionStamp(ctx), MasterRecordId: masterId }));
  }
  table.set(masterId, Object.freeze({ ...master, ...stamp }));
  return ok(undefined);
}
