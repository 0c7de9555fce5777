import { DAY_MS, MINUTE_MS } from '@abm-pilot/shared';
import type { Express, Request, Response } from 'express';

import { describeGlobal, describeSObject, sobjectBasicInfo } from '../describe.ts';
import type { ApiError } from '../errors.ts';
import { apiError, fromRecordError, notFound, sendApiError } from '../errors.ts';
import { normalizeId } from '../ids.ts';
import type { FieldDef, SObjectDef } from '../schema.ts';
import { findSObject } from '../schema.ts';
import type { Row } from '../store.ts';
import {
  commitTransaction,
  findRow,
  newTransaction,
  parseRecordInput,
  stageCreate,
  stageDelete,
  stageUpdate,
  tableOf,
  typeOfId,
} from '../store.ts';
import { usedCalls } from '../usage.ts';
import { formatDatetime, toJsonValue } from '../values.ts';
import type { ApiSession, SalesforceEmulatorState } from './context.ts';
import { param, queryString, sessionOf, writeContext } from './context.ts';

// Single-record REST resources: describe, create, read, update, delete, getUpdated / getDeleted,
// plus the org-level /limits and the version index.

const UPDATED_WINDOW_DAYS = 30;
const DELETED_WINDOW_DAYS = 15;

export function registerRecordRoutes(app: Express, state: SalesforceEmulatorState): void {
  app.get('/services/data/:version', (_req, res) => {
    const { version } = sessionOf(res);
    const base = `/services/data/v${version}`;
    res.json({
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      limits: `${base}/limits`,
    });
  });
  app.get('/services/data/:version/limits', (_req, res) => {
    const { org } = sessionOf(res);
    const used = usedCalls(org.usage, state.clock());
    res.json({
      DailyApiRequests: { Max: org.usage.limit, Remaining: Math.max(0, org.usage.limit - used) },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
    });
  });
  app.get('/services/data/:version/sobjects', (_req, res) => {
    const { org, version } = sessionOf(res);
    res.json(describeGlobal(org.data.schema, version));
  });
  app.get('/services/data/:version/sobjects/:type', (req, res) =>
    withType(req, res, (def, session) => res.json(sobjectBasicInfo(def, session.version))),
  );
  app.get('/services/data/:version/sobjects/:type/describe', (req, res) =>
    withType(req, res, (def, session) => res.json(describeSObject(def, session.version))),
  );
  app.get('/services/data/:version/sobjects/:type/updated', (req, res) =>
    withType(req, res, (def, session) => replicationQuery(state, req, res, def, session, 'updated')),
  );
  app.get('/services/data/:version/sobjects/:type/deleted', (req, res) =>
    withType(req, res, (def, session) => replicationQuery(state, req, res, def, session, 'deleted')),
  );
  app.post('/services/data/:version/sobjects/:type', (req, res) =>
    withType(req, res, (def, session) => createOne(state, req, res, def, session)),
  );
  app.get('/services/data/:version/sobjects/:type/:id', (req, res) =>
    withType(req, res, (def, session) => readOne(req, res, def, session)),
  );
  app.patch('/services/data/:version/sobjects/:type/:id', (req, res) =>
    withType(req, res, (def, session) => updateOne(state, req, res, def, session)),
  );
  app.delete('/services/data/:version/sobjects/:type/:id', (req, res) =>
    withType(req, res, (def, session) => deleteOne(state, req, res, def, session)),
  );
}

function withType(req: Request, res: Response, handle: (def: SObjectDef, session: ApiSession) => void): void {
  const session = sessionOf(res);
  const def = findSObject(session.org.data.schema, param(req, 'type'));
  if (!def) {
    sendApiError(res, notFound());
    return;
  }
  handle(def, session);
}

/** A row in the GET shape: attributes, then the fields asked for (all by default) in order. */
export function renderRow(
  def: SObjectDef,
  row: Row,
  fields: readonly FieldDef[],
  version: string,
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    attributes: {
      type: def.name,
      url: `/services/data/v${version}/sobjects/${def.name}/${String(row['Id'])}`,
    },
  };
  for (const field of fields) record[field.name] = toJsonValue(field, row[field.name]);
  return record;
}

/** `fields=Name,OwnerId` resolved against the object; unknown names fail like SOQL does. */
export function resolveFieldList(def: SObjectDef, list: string | undefined): FieldDef[] | ApiError {
  if (list === undefined || list.trim() === '') return [...def.fields];
  const fields: FieldDef[] = [];
  for (const name of list.split(',').map((part) => part.trim())) {
    const field = def.fieldsByLowerName.get(name.toLowerCase());
    if (!field) {
      return apiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}

/** A path id of this object type that exists, or null: other cases are all 404 on single-record routes. */
function pathRow(req: Request, def: SObjectDef, session: ApiSession): { id: string; row: Row } | null {
  const id = normalizeId(param(req, 'id'));
  if (id === null || typeOfId(id) !== def.name) return null;
  const row = findRow(session.org.data, id);
  return row ? { id, row } : null;
}

const bodyObject = (req: Request): Record<string, unknown> | null => {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : null;
};

const jsonBodyRequired = (): ApiError =>
  apiError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete');

function createOne(
  state: SalesforceEmulatorState,
  req: Request,
  res: Response,
  def: SObjectDef,
  session: ApiSession,
) {
  const body = bodyObject(req);
  if (!body) return sendApiError(res, jsonBodyRequired());
  const input = parseRecordInput(def, body);
  if (!input.ok) return sendApiError(res, input.error);
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const created = stageCreate(session.org.data, tx, def.name, input.value, ctx);
  if (!created.ok) return sendRecordErrors(res, created.error);
  commitTransaction(session.org.data, tx, ctx);
  res.status(201).json({ id: created.value, success: true, errors: [] });
}

function readOne(req: Request, res: Response, def: SObjectDef, session: ApiSession) {
  const found = pathRow(req, def, session);
  if (!found || found.row['IsDeleted'] === true) return sendApiError(res, notFound());
  const fields = resolveFieldList(def, queryString(req, 'fields'));
  if (!Array.isArray(fields)) return sendApiError(res, fields);
  res.json(renderRow(def, found.row, fields, session.version));
}

function updateOne(
  state: SalesforceEmulatorState,
  req: Request,
  res: Response,
  def: SObjectDef,
  session: ApiSession,
) {
  const found = pathRow(req, def, session);
  if (!found) return sendApiError(res, notFound());
  const body = bodyObject(req);
  if (!body) return sendApiError(res, jsonBodyRequired());
  const input = parseRecordInput(def, body);
  if (!input.ok) return sendApiError(res, input.error);
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const updated = stageUpdate(session.org.data, tx, def.name, found.id, input.value, ctx);
  if (!updated.ok) return sendRecordErrors(res, updated.error);
  commitTransaction(session.org.data, tx, ctx);
  res.status(204).end();
}

function deleteOne(
  state: SalesforceEmulatorState,
  req: Request,
  res: Response,
  def: SObjectDef,
  session: ApiSession,
) {
  const found = pathRow(req, def, session);
  if (!found) return sendApiError(res, notFound());
  const ctx = writeContext(state, session);
  const tx = newTransaction();
  const deleted = stageDelete(session.org.data, tx, found.id, ctx);
  if (!deleted.ok) return sendApiError(res, fromRecordError(deleted.error));
  commitTransaction(session.org.data, tx, ctx);
  res.status(204).end();
}

function sendRecordErrors(
  res: Response,
  errors: readonly { statusCode: string; message: string; fields: readonly string[] }[],
) {
  const first = errors[0];
  const status = first?.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400;
  res
    .status(status)
    .json(
      errors.map((error) => ({ message: error.message, errorCode: error.statusCode, fields: error.fields })),
    );
}

/**
 * getUpdated / getDeleted: ids whose SystemModstamp falls in [start, end), within 30 (updated) or
 * 15 (deleted) days back; `latestDateCovered` is `end` cut to the minute, as Salesforce reports it.
 */
function replicationQuery(
  state: SalesforceEmulatorState,
  req: Request,
  res: Response,
  def: SObjectDef,
  session: ApiSession,
  kind: 'updated' | 'deleted',
) {
  const start = Date.parse(queryString(req, 'start') ?? '');
  const end = Date.parse(queryString(req, 'end') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return sendApiError(res, apiError(400, 'MISSING_ARGUMENT', 'start and end are required ISO 8601 dates'));
  }
  const now = state.clock();
  const windowDays = kind === 'updated' ? UPDATED_WINDOW_DAYS : DELETED_WINDOW_DAYS;
  if (start < now - windowDays * DAY_MS) {
    return sendApiError(
      res,
      apiError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${windowDays} days ago`),
    );
  }
  if (end <= start) {
    return sendApiError(
      res,
      apiError(400, 'INVALID_REPLICATION_DATE', 'endDate must chronologically follow the startDate'),
    );
  }
  const latestDateCovered = formatDatetime(Math.floor(Math.min(end, now) / MINUTE_MS) * MINUTE_MS);
  // History rows never change and have no SystemModstamp: their CreatedDate places them.
  const stampOf = (row: Row) => row['SystemModstamp'] ?? row['CreatedDate'];
  const inWindow = (row: Row): boolean => {
    const stamp = stampOf(row);
    return typeof stamp === 'number' && stamp >= start && stamp < end;
  };
  const rows = [...tableOf(session.org.data, def.name).values()].filter(inWindow);
  if (kind === 'updated') {
    res.json({
      ids: rows.filter((row) => row['IsDeleted'] !== true).map((row) => row['Id']),
      latestDateCovered,
    });
    return;
  }
  res.json({
    deletedRecords: rows
      .filter((row) => row['IsDeleted'] === true)
      .map((row) => ({ id: row['Id'], deletedDate: formatDatetime(Number(stampOf(row))) })),
    earliestDateAvailable: formatDatetime(now - DELETED_WINDOW_DAYS * DAY_MS),
    latestDateCovered,
  });
}
