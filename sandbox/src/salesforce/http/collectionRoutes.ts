import type { Express, Request, Response } from 'express';

import type { ApiError, RecordError } from '../errors.ts';
import { apiError, notFound, recordError, sendApiError } from '../errors.ts';
import { normalizeId } from '../ids.ts';
import type { SObjectDef, SObjectType } from '../schema.ts';
import { findSObject } from '../schema.ts';
import type { FieldValues, Transaction } from '../store.ts';
import {
  commitTransaction,
  findRow,
  newTransaction,
  parseRecordInput,
  stageCreate,
  stageDelete,
  stageUpdate,
  typeOfId,
} from '../store.ts';
import type { ApiSession, SalesforceEmulatorState } from './context.ts';
import { param, queryString, sessionOf, writeContext } from './context.ts';
import { renderRow, resolveFieldList } from './recordRoutes.ts';

// sObject Collections: create, update, upsert, delete up to 200 records and retrieve up to 2,000 by id.
// A malformed request fails whole (400); a well-formed one answers 200 with one result per record, in
// order. With allOrNone, one failure rolls every record back and the others report
// ALL_OR_NONE_OPERATION_ROLLED_BACK. The `partial` fault rule fails a share of records with
// UNABLE_TO_LOCK_ROW, the transient error Salesforce gives under lock contention.

export const MAX_COLLECTION_RECORDS = 200;
export const MAX_RETRIEVE_IDS = 2000;

/** One record's outcome; `isNew` tells a create (no id to report once rolled back) from an update. */
interface Outcome {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: readonly RecordError[];
  readonly isNew: boolean;
}

type Mode = 'create' | 'update' | 'delete' | 'upsert';

interface ParsedRecord {
  readonly def: SObjectDef;
  readonly values: FieldValues;
  readonly rawId: string | null;
}

const tooMany = (limit: number): ApiError =>
  apiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${limit} records into this call`,
  );

const rolledBack = (): RecordError =>
  recordError(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  );

const lockFailure = (id: string | undefined): RecordError =>
  recordError(
    'UNABLE_TO_LOCK_ROW',
    `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`,
  );

export function registerCollectionRoutes(app: Express, state: SalesforceEmulatorState): void {
  app.post('/services/data/:version/composite/sobjects', (req, res) => save(state, req, res, 'create'));
  app.patch('/services/data/:version/composite/sobjects', (req, res) => save(state, req, res, 'update'));
  app.delete('/services/data/:version/composite/sobjects', (req, res) => destroy(state, req, res));
  app.get('/services/data/:version/composite/sobjects/:type', (req, res) =>
    retrieve(req, res, queryString(req, 'ids')?.split(',') ?? [], queryString(req, 'fields')),
  );
  app.post('/services/data/:version/composite/sobjects/:type', (req, res) => {
    const body = req.body as { ids?: unknown; fields?: unknown } | undefined;
    const ids = Array.isArray(body?.ids) ? body.ids.map(String) : [];
    const fields = Array.isArray(body?.fields) ? body.fields.map(String).join(',') : undefined;
    retrieve(req, res, ids, fields);
  });
  app.patch('/services/data/:version/composite/sobjects/:type/:externalIdField', (req, res) =>
    upsert(state, req, res),
  );
}

/** `{allOrNone, records}` with each record's type resolved and its fields parsed, or the request's error. */
function parseBody(
  req: Request,
  session: ApiSession,
  idKey: 'id' | null,
  forcedType: SObjectDef | null,
): { allOrNone: boolean; records: ParsedRecord[] } | ApiError {
  const body = req.body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || !Array.isArray(body.records)) {
    return apiError(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  }
  if (body.records.length > MAX_COLLECTION_RECORDS) return tooMany(MAX_COLLECTION_RECORDS);
  const records: ParsedRecord[] = [];
  for (const raw of body.records as unknown[]) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return apiError(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object');
    }
    const record = raw as Record<string, unknown>;
    const attributes = record['attributes'] as { type?: unknown } | undefined;
    const typeName = typeof attributes?.type === 'string' ? attributes.type : null;
    const def = typeName === null ? forcedType : findSObject(session.org.data.schema, typeName);
    if (!def) {
      return typeName === null
        ? apiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.')
        : apiError(400, 'INVALID_TYPE', `sObject type '${typeName}' is not supported.`);
    }
    const skip = new Set(idKey ? ['id'] : []);
    const values = parseRecordInput(def, record, skip);
    if (!values.ok) return values.error;
    const rawIdValue = record['id'] ?? record['Id'];
    records.push({ def, values: values.value, rawId: typeof rawIdValue === 'string' ? rawIdValue : null });
  }
  return { allOrNone: body.allOrNone === true, records };
}

function finish(
  state: SalesforceEmulatorState,
  req: Request,
  res: Response,
  session: ApiSession,
  tx: Transaction,
  outcomes: readonly Outcome[],
  allOrNone: boolean,
  mode: Mode,
): void {
  const failWithLock = state.faults.partialFailures(req);
  const final = outcomes.map((outcome, index): Outcome => {
    if (!outcome.success || !failWithLock?.(index)) return outcome;
    if (outcome.id !== undefined) {
      tx.rows.delete(outcome.id);
      tx.deletedIds.delete(outcome.id);
    }
    return failed(outcome, lockFailure(outcome.id));
  });
  if (allOrNone && final.some((outcome) => !outcome.success)) {
    res.json(
      final.map((outcome) => renderOutcome(outcome.success ? failed(outcome, rolledBack()) : outcome, mode)),
    );
    return;
  }
  commitTransaction(session.org.data, tx, writeContext(state, session));
  res.json(final.map((outcome) => renderOutcome(outcome, mode)));
}

function failed(outcome: Outcome, error: RecordError): Outcome {
  const { id, isNew } = outcome;
  return isNew || id === undefined
    ? { success: false, errors: [error], isNew }
    : { id, success: false, errors: [error], isNew };
}

/** SaveResult `{id?, success, errors}`; upserts add `created`. */
function renderOutcome(outcome: Outcome, mode: Mode): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (outcome.id !== undefined) result['id'] = outcome.id;
  result['success'] = outcome.success;
  result['errors'] = outcome.errors;
  if (mode === 'upsert') result['created'] = outcome.success && outcome.isNew;
  return result;
}

function save(state: SalesforceEmulatorState, req: Request, res: Response, mode: 'create' | 'update'): void {
  const session = sessionOf(res);
  const parsed = parseBody(req, session, mode === 'update' ? 'id' : null, null);
  if ('status' in parsed) return sendApiError(res, parsed);
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const outcomes = parsed.records.map((record): Outcome => {
    if (mode === 'create') {
      if (record.rawId !== null) {
        return {
          success: false,
          errors: [recordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id'])],
          isNew: true,
        };
      }
      const created = stageCreate(session.org.data, tx, record.def.name, record.values, ctx);
      return created.ok
        ? { id: created.value, success: true, errors: [], isNew: true }
        : { success: false, errors: created.error, isNew: true };
    }
    if (record.rawId === null) {
      return {
        success: false,
        errors: [recordError('MISSING_ARGUMENT', 'Id not specified in an update call')],
        isNew: false,
      };
    }
    const id = normalizeId(record.rawId);
    if (id === null || typeOfId(id) !== record.def.name) {
      const message = `${record.def.label} ID: id value of incorrect type: ${record.rawId}`;
      return { success: false, errors: [recordError('MALFORMED_ID', message, ['Id'])], isNew: false };
    }
    const updated = stageUpdate(session.org.data, tx, record.def.name, id, record.values, ctx);
    return updated.ok
      ? { id, success: true, errors: [], isNew: false }
      : { id, success: false, errors: updated.error, isNew: false };
  });
  finish(state, req, res, session, tx, outcomes, parsed.allOrNone, mode);
}

function destroy(state: SalesforceEmulatorState, req: Request, res: Response): void {
  const session = sessionOf(res);
  const ids = (queryString(req, 'ids') ?? '').split(',').filter((id) => id !== '');
  if (ids.length === 0)
    return sendApiError(res, apiError(400, 'MISSING_ARGUMENT', 'ids parameter is required'));
  if (ids.length > MAX_COLLECTION_RECORDS) return sendApiError(res, tooMany(MAX_COLLECTION_RECORDS));
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const outcomes = ids.map((rawId): Outcome => {
    const id = normalizeId(rawId);
    if (id === null) {
      return { success: false, errors: [recordError('MALFORMED_ID', `malformed id ${rawId}`)], isNew: false };
    }
    const deleted = stageDelete(session.org.data, tx, id, ctx);
    return deleted.ok
      ? { id, success: true, errors: [], isNew: false }
      : { id, success: false, errors: [deleted.error], isNew: false };
  });
  finish(state, req, res, session, tx, outcomes, queryString(req, 'allOrNone') === 'true', 'delete');
}

function retrieve(req: Request, res: Response, ids: readonly string[], fieldList: string | undefined): void {
  const session = sessionOf(res);
  const def = findSObject(session.org.data.schema, param(req, 'type'));
  if (!def) return sendApiError(res, notFound());
  if (ids.every((id) => id.trim() === '')) {
    return sendApiError(res, apiError(400, 'MISSING_ARGUMENT', 'ids parameter is required'));
  }
  if (ids.length > MAX_RETRIEVE_IDS) return sendApiError(res, tooMany(MAX_RETRIEVE_IDS));
  if (fieldList === undefined || fieldList.trim() === '') {
    return sendApiError(res, apiError(400, 'MISSING_ARGUMENT', 'fields parameter is required'));
  }
  const fields = resolveFieldList(def, fieldList);
  if (!Array.isArray(fields)) return sendApiError(res, fields);
  res.json(
    ids.map((rawId) => {
      const id = normalizeId(rawId.trim());
      const row = id === null || typeOfId(id) !== def.name ? undefined : findRow(session.org.data, id);
      return row && row['IsDeleted'] !== true ? renderRow(def, row, fields, session.version) : null;
    }),
  );
}

/** Upsert by an external-id field: records whose key matches are updated, the others created. */
function upsert(state: SalesforceEmulatorState, req: Request, res: Response): void {
  const session = sessionOf(res);
  const def = findSObject(session.org.data.schema, param(req, 'type'));
  if (!def) return sendApiError(res, notFound());
  const keyField = def.fieldsByLowerName.get(param(req, 'externalIdField').toLowerCase());
  if (!keyField || !keyField.externalId) {
    const name = param(req, 'externalIdField');
    return sendApiError(
      res,
      apiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`),
    );
  }
  const parsed = parseBody(req, session, null, def);
  if ('status' in parsed) return sendApiError(res, parsed);
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const outcomes = parsed.records.map((record): Outcome => {
    if (record.def.name !== def.name) {
      return {
        success: false,
        errors: [recordError('INVALID_TYPE', `Record type must be ${def.name}`)],
        isNew: true,
      };
    }
    const key = record.values.get(keyField.name);
    if (key === null || key === undefined) {
      const errors = [recordError('MISSING_ARGUMENT', `${keyField.name} not specified`, [keyField.name])];
      return { success: false, errors, isNew: true };
    }
    const existingId = findByKey(session, tx, def.name, keyField.name, String(key));
    if (existingId === null) {
      const created = stageCreate(session.org.data, tx, def.name, record.values, ctx);
      return created.ok
        ? { id: created.value, success: true, errors: [], isNew: true }
        : { success: false, errors: created.error, isNew: true };
    }
    const values = new Map(record.values);
    values.delete(keyField.name);
    const updated = stageUpdate(session.org.data, tx, def.name, existingId, values, ctx);
    return updated.ok
      ? { id: existingId, success: true, errors: [], isNew: false }
      : { id: existingId, success: false, errors: updated.error, isNew: false };
  });
  finish(state, req, res, session, tx, outcomes, parsed.allOrNone, 'upsert');
}

function findByKey(
  session: ApiSession,
  tx: Transaction,
  type: SObjectType,
  field: string,
  key: string,
): string | null {
  const lower = key.toLowerCase();
  const staged = tx.uniqueClaims.get(`${type}.${field}|${lower}`);
  return staged ?? session.org.data.uniqueIndex.get(`${type}.${field}`)?.get(lower) ?? null;
}
