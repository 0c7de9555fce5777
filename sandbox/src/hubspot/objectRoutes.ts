import type { Request, Response } from 'express';
import { Router } from 'express';

import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { FaultInjector } from '../faults.ts';
import type { AssociationTypeDef } from './associationTypes.ts';
import { associationTypeById } from './associationTypes.ts';
import {
  baseUrl,
  booleanParam,
  crmLocals,
  isObjectType,
  listParam,
  objectTypeParam,
  sendFailure,
  stringParam,
} from './http.ts';
import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO, resolveObjectType } from './objectTypes.ts';
import type { Portal } from './portal.ts';
import {
  archiveRecord,
  associate,
  createRecord,
  mergeRecords,
  uniqueConflict,
  updateRecord,
  writeContext,
} from './portal.ts';
import type { PropertyIssue, PropertyWrite } from './propertyValues.ts';
import { propertyIssuesFailure, validateWrite } from './propertyValues.ts';
import { parseSearchRequest, runSearch } from './search.ts';
import type { SearchLimits } from './search.ts';
import type { PropertySelection } from './serialize.ts';
import { toWireObject } from './serialize.ts';
import type { CrmRecord } from './store.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure, invalidInputJson, resourceNotFound, sendBatch, validationFailure } from './wire.ts';

// CRM v3 object endpoints: list, get, create, update, archive, the batch family, search and merge.

export interface ObjectRouteEnv {
  readonly now: () => number;
  readonly faults: FaultInjector;
  readonly searchLimits: SearchLimits;
}

const MAX_BATCH_INPUTS = 100;
/** HubSpot halves the batch size when histories are asked for. */
const MAX_HISTORY_BATCH_INPUTS = 50;
const MAX_LIST_LIMIT = 100;

const API = 'API';

type Lookup = Result<CrmRecord, HubSpotFailure>;

/** Finds the live record an id (or a unique property value) names, following merges. */
const findRecord = (
  portal: Portal,
  type: ObjectType,
  idText: string,
  idProperty: string | undefined,
  archived = false,
): Lookup => {
  const table = portal.data.tables[type];
  if (idProperty !== undefined && idProperty !== 'hs_object_id') {
    if (!table.hasUniqueIndex(idProperty)) {
      return err(validationFailure(`Property ${idProperty} is not a unique identifier property`));
    }
    const record = table.findByUnique(idProperty, idText);
    return record ? ok(record) : err(resourceNotFound());
  }
  if (!/^\d+$/.test(idText)) {
    return err(
      failure(404, 'Object not found.  objectId are usually numeric.', {
        context: { id: [idText] },
        category: 'OBJECT_NOT_FOUND',
      }),
    );
  }
  const id = Number(idText);
  if (archived) {
    const record = table.raw(id);
    return record && record.archived && record.mergedInto === null ? ok(record) : err(resourceNotFound());
  }
  const record = table.live(id);
  return record ? ok(record) : err(resourceNotFound());
};

const selectionOf = (names: readonly string[] | undefined): PropertySelection =>
  names === undefined || names.length === 0 ? { kind: 'default' } : { kind: 'named', names };

const associationTargets = (value: unknown): ObjectType[] =>
  (listParam(value) ?? []).flatMap((segment) => {
    const type = resolveObjectType(segment);
    return type ? [type] : [];
  });

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

const validateProperties = (
  portal: Portal,
  type: ObjectType,
  properties: unknown,
): Result<PropertyWrite, HubSpotFailure> => {
  const written = validateWrite(properties, writeContext(portal, type));
  if (written.ok) return written;
  return err(
    Array.isArray(written.error) ? propertyIssuesFailure(written.error, portal.portalId) : written.error,
  );
};

const ACTIVITY_TYPES: ReadonlySet<ObjectType> = new Set(['tasks', 'meetings', 'calls', 'emails']);

/** Activities need a timestamp; a meeting falls back to its start time, as HubSpot does. */
const withActivityTimestamp = (
  portal: Portal,
  type: ObjectType,
  write: PropertyWrite,
): Result<PropertyWrite, HubSpotFailure> => {
  if (!ACTIVITY_TYPES.has(type) || (write.get('hs_timestamp') ?? null) !== null) return ok(write);
  const start = write.get('hs_meeting_start_time') ?? null;
  if (type === 'meetings' && start !== null) return ok(new Map([...write, ['hs_timestamp', start]]));
  const missing: PropertyIssue = {
    name: 'hs_timestamp',
    error: 'MISSING_REQUIRED_PROPERTY',
    message: 'hs_timestamp is required',
  };
  return err(propertyIssuesFailure([missing], portal.portalId));
};

interface InlineAssociation {
  readonly def: AssociationTypeDef;
  readonly toId: number;
}

/** `associations` of a create: `[{to: {id}, types: [{associationCategory, associationTypeId}]}]`. */
const parseInlineAssociations = (
  portal: Portal,
  type: ObjectType,
  raw: unknown,
): Result<InlineAssociation[], HubSpotFailure> => {
  if (raw === undefined || raw === null) return ok([]);
  if (!Array.isArray(raw)) {
    return err(
      invalidInputJson(1, 'Cannot deserialize value of type `java.util.ArrayList` from Object value'),
    );
  }
  const links: InlineAssociation[] = [];
  for (const entry of raw) {
    const fields = asObject(entry);
    const to = asObject(fields?.to);
    const idText = to?.id === undefined ? undefined : String(to.id);
    const types = fields?.types;
    if (!fields || idText === undefined || !Array.isArray(types)) {
      return err(
        invalidInputJson(
          1,
          'Cannot build PublicAssociationsForObject, some of required attributes are not set [to, types]',
        ),
      );
    }
    for (const spec of types) {
      const typeFields = asObject(spec);
      const def = associationTypeById(Number(typeFields?.associationTypeId));
      if (!def || typeFields?.associationCategory !== 'HUBSPOT_DEFINED') {
        return err(
          validationFailure(`${String(typeFields?.associationTypeId)} is not a valid association type`),
        );
      }
      if (def.from !== type) {
        return err(
          validationFailure(
            `invalid from object type ${OBJECT_TYPE_INFO[type].objectTypeId} for associations to be created. expected: ${OBJECT_TYPE_INFO[def.from].objectTypeId}`,
          ),
        );
      }
      const target = /^\d+$/.test(idText) ? portal.data.tables[def.to].live(Number(idText)) : undefined;
      if (!target) {
        return err(
          validationFailure('One or more associations are invalid', {
            subCategory: 'crm.associations.INVALID_OBJECT_IDS',
            context: { objectId: [idText], objectType: [OBJECT_TYPE_INFO[def.to].objectTypeId] },
          }),
        );
      }
      links.push({ def, toId: target.id });
    }
  }
  return ok(links);
};

const batchInputs = (body: unknown, max = MAX_BATCH_INPUTS): Result<unknown[], HubSpotFailure> => {
  const inputs = asObject(body)?.inputs;
  if (!Array.isArray(inputs)) {
    return err(
      invalidInputJson(1, 'Cannot build BatchInput, some of required attributes are not set [inputs]'),
    );
  }
  if (inputs.length > max) {
    return err(
      validationFailure(
        `The maximum number of inputs supported in a batch is ${max}. Please reduce the number of items and try again`,
      ),
    );
  }
  return ok(inputs);
};

interface BatchError {
  readonly status: 'error';
  readonly category: string;
  readonly message: string;
  readonly context: Record<string, string[]>;
}

const notFoundError = (type: ObjectType, ids: string[]): BatchError => ({
  status: 'error',
  category: 'OBJECT_NOT_FOUND',
  message: `Could not get some ${OBJECT_TYPE_INFO[type].label} objects, they may be deleted or not exist. Check that ids are valid.`,
  context: { ids },
});

/** What a `partial` fault rule makes of the inputs it picks: a transient server-side failure. */
const injectedError = (ids: string[]): BatchError => ({
  status: 'error',
  category: 'INTERNAL_ERROR',
  message: 'Some inputs could not be processed because of a temporary error. Retry them.',
  context: { ids },
});

const inputId = (input: unknown): string | undefined => {
  const id = asObject(input)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

export const objectRoutes = (env: ObjectRouteEnv): Router => {
  const router = Router();

  /** Resolves the type segment or answers the request; undefined means "answered". */
  const typeOf = (req: Request, res: Response): ObjectType | undefined => {
    const type = objectTypeParam(String(req.params.objectType));
    if (isObjectType(type)) return type;
    sendFailure(res, type);
    return undefined;
  };

  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const limitText = stringParam(req.query.limit);
    const afterText = stringParam(req.query.after);
    if (limitText !== undefined && !/^\d+$/.test(limitText)) {
      return sendFailure(res, validationFailure(`Unable to parse query parameter limit: ${limitText}`));
    }
    if (afterText !== undefined && afterText !== '' && !/^\d+$/.test(afterText)) {
      return sendFailure(res, validationFailure(`Invalid value for query parameter after: ${afterText}`));
    }
    // HubSpot caps list pages at 100 without complaint.
    const limit = Math.min(MAX_LIST_LIMIT, Math.max(1, Number(limitText ?? 10)));
    const page = portal.data.tables[type].page(
      Number(afterText || 0),
      limit,
      booleanParam(req.query.archived),
    );
    const options = {
      selection: selectionOf(listParam(req.query.properties)),
      withHistory: listParam(req.query.propertiesWithHistory) ?? [],
      associations: associationTargets(req.query.associations),
    };
    const body: Record<string, unknown> = {
      results: page.records.map((record) => toWireObject(portal, type, record, options)),
    };
    if (page.nextId !== null) {
      const after = String(page.nextId);
      body.paging = {
        next: {
          after,
          link: `${baseUrl(req)}/crm/v3/objects/${req.params.objectType}?limit=${limit}&after=${after}`,
        },
      };
    }
    res.json(body);
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const found = findRecord(
      portal,
      type,
      req.params.objectId,
      stringParam(req.query.idProperty),
      booleanParam(req.query.archived),
    );
    if (!found.ok) return sendFailure(res, found.error);
    res.json(
      toWireObject(portal, type, found.value, {
        selection: selectionOf(listParam(req.query.properties)),
        withHistory: listParam(req.query.propertiesWithHistory) ?? [],
        associations: associationTargets(req.query.associations),
      }),
    );
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const body = asObject(req.body);
    if (!body) return sendFailure(res, invalidInputJson(1, 'No content to map due to end-of-input'));
    const written = validateProperties(portal, type, body.properties);
    if (!written.ok) return sendFailure(res, written.error);
    const stamped = withActivityTimestamp(portal, type, written.value);
    if (!stamped.ok) return sendFailure(res, stamped.error);
    const conflict = uniqueConflict(portal, type, stamped.value, null);
    if (conflict) return sendFailure(res, conflict);
    const links = parseInlineAssociations(portal, type, body.associations);
    if (!links.ok) return sendFailure(res, links.error);
    const record = createRecord(portal, type, stamped.value, { now: env.now(), changeSource: API });
    for (const link of links.value) associate(portal, link.def, record.id, link.toId);
    res
      .status(201)
      .location(`${baseUrl(req)}/crm/v3/objects/${type}/${record.id}`)
      .json(toWireObject(portal, type, record, { selection: { kind: 'all' } }));
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const found = findRecord(portal, type, req.params.objectId, stringParam(req.query.idProperty));
    if (!found.ok) return sendFailure(res, found.error);
    const body = asObject(req.body);
    if (!body) return sendFailure(res, invalidInputJson(1, 'No content to map due to end-of-input'));
    const written = validateProperties(portal, type, body.properties);
    if (!written.ok) return sendFailure(res, written.error);
    const conflict = uniqueConflict(portal, type, written.value, found.value.id);
    if (conflict) return sendFailure(res, conflict);
    updateRecord(portal, type, found.value, written.value, { now: env.now(), changeSource: API });
    res.json(toWireObject(portal, type, found.value, { selection: { kind: 'all' } }));
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const found = findRecord(portal, type, req.params.objectId, undefined);
    // Archiving what is already gone succeeds, so a retried DELETE is harmless.
    if (found.ok) archiveRecord(portal, type, found.value, { now: env.now(), changeSource: API });
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const parsed = parseSearchRequest(req.body, env.searchLimits);
    if (!parsed.ok) return sendFailure(res, parsed.error);
    const outcome = runSearch(
      type,
      portal.data.tables[type],
      portal.data.properties[type],
      parsed.value,
      env.searchLimits,
    );
    if (!outcome.ok) return sendFailure(res, outcome.failure);
    const selection = selectionOf(parsed.value.properties ?? undefined);
    const body: Record<string, unknown> = {
      total: outcome.total,
      results: outcome.records.map((record) => toWireObject(portal, type, record, { selection })),
    };
    if (outcome.nextAfter !== null) body.paging = { next: { after: String(outcome.nextAfter) } };
    res.json(body);
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const startedAt = env.now();
    const inputs = batchInputs(req.body);
    if (!inputs.ok) return sendFailure(res, inputs.error);
    const body = asObject(req.body)!;
    const withHistory = Array.isArray(body.propertiesWithHistory)
      ? body.propertiesWithHistory.filter((name): name is string => typeof name === 'string')
      : [];
    if (withHistory.length > 0 && inputs.value.length > MAX_HISTORY_BATCH_INPUTS) {
      return sendFailure(
        res,
        validationFailure(
          `The maximum number of inputs supported in a batch request for property histories is ${MAX_HISTORY_BATCH_INPUTS}. Please reduce the number of items and try again`,
        ),
      );
    }
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const properties = Array.isArray(body.properties)
      ? body.properties.filter((name): name is string => typeof name === 'string')
      : undefined;
    const archived = booleanParam(req.query.archived);
    const failing = env.faults.partialFailures(req);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    for (const [index, input] of inputs.value.entries()) {
      const id = inputId(input);
      if (id === undefined) {
        return sendFailure(
          res,
          invalidInputJson(
            1,
            'Cannot build SimplePublicObjectId, some of required attributes are not set [id]',
          ),
        );
      }
      if (failing?.(index)) {
        injected.push(id);
        continue;
      }
      const found = findRecord(portal, type, id, idProperty, archived);
      if (!found.ok) {
        if (found.error.status !== 404) return sendFailure(res, found.error);
        missing.push(id);
        continue;
      }
      results.push(
        toWireObject(portal, type, found.value, { selection: selectionOf(properties), withHistory }),
      );
    }
    const errors = [
      ...(missing.length > 0 ? [notFoundError(type, missing)] : []),
      ...(injected.length > 0 ? [injectedError(injected)] : []),
    ];
    sendBatch(res, 200, results, errors, startedAt, env.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const startedAt = env.now();
    const inputs = batchInputs(req.body);
    if (!inputs.ok) return sendFailure(res, inputs.error);
    const ids = inputs.value.map(inputId);
    if (ids.some((id) => id === undefined)) {
      return sendFailure(
        res,
        invalidInputJson(
          1,
          'Cannot build SimplePublicObjectBatchInput, some of required attributes are not set [id]',
        ),
      );
    }
    const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    if (duplicates.length > 0) {
      return sendFailure(
        res,
        validationFailure(
          `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`,
        ),
      );
    }
    const issues: PropertyIssue[] = [];
    const writes: PropertyWrite[] = [];
    for (const input of inputs.value) {
      const written = validateWrite(asObject(input)?.properties, writeContext(portal, type));
      if (written.ok) writes.push(written.value);
      else if (Array.isArray(written.error)) issues.push(...written.error);
      else return sendFailure(res, written.error);
    }
    if (issues.length > 0) return sendFailure(res, propertyIssuesFailure(issues, portal.portalId));
    const failing = env.faults.partialFailures(req);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    const conflicts: BatchError[] = [];
    const now = env.now();
    for (const [index, input] of inputs.value.entries()) {
      const id = ids[index]!;
      if (failing?.(index)) {
        injected.push(id);
        continue;
      }
      const idProperty = asObject(input)?.idProperty;
      const found = findRecord(portal, type, id, typeof idProperty === 'string' ? idProperty : undefined);
      if (!found.ok) {
        if (found.error.status !== 404) return sendFailure(res, found.error);
        missing.push(id);
        continue;
      }
      const write = writes[index]!;
      const conflict = uniqueConflict(portal, type, write, found.value.id);
      if (conflict) {
        conflicts.push({
          status: 'error',
          category: 'CONFLICT',
          message: String((conflict.body as { message: unknown }).message),
          context: { ids: [id] },
        });
        continue;
      }
      updateRecord(portal, type, found.value, write, { now, changeSource: API });
      results.push(toWireObject(portal, type, found.value, { selection: { kind: 'all' } }));
    }
    const errors = [
      ...(missing.length > 0 ? [notFoundError(type, missing)] : []),
      ...conflicts,
      ...(injected.length > 0 ? [injectedError(injected)] : []),
    ];
    sendBatch(res, 200, results, errors, startedAt, env.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const startedAt = env.now();
    const inputs = batchInputs(req.body);
    if (!inputs.ok) return sendFailure(res, inputs.error);
    const issues: PropertyIssue[] = [];
    const prepared: Array<{ write: PropertyWrite; links: InlineAssociation[] }> = [];
    for (const input of inputs.value) {
      const written = validateWrite(asObject(input)?.properties, writeContext(portal, type));
      if (!written.ok) {
        if (Array.isArray(written.error)) issues.push(...written.error);
        else return sendFailure(res, written.error);
        continue;
      }
      const stamped = withActivityTimestamp(portal, type, written.value);
      if (!stamped.ok) return sendFailure(res, stamped.error);
      const links = parseInlineAssociations(portal, type, asObject(input)?.associations);
      if (!links.ok) return sendFailure(res, links.error);
      prepared.push({ write: stamped.value, links: links.value });
    }
    if (issues.length > 0) return sendFailure(res, propertyIssuesFailure(issues, portal.portalId));
    // A unique value taken before, or twice within the batch, fails the whole batch.
    const claimed = new Map<string, number>();
    for (const [index, { write }] of prepared.entries()) {
      const conflict = uniqueConflict(portal, type, write, null);
      if (conflict) return sendFailure(res, conflict);
      for (const [name, value] of write) {
        if (value === null || !portal.data.tables[type].hasUniqueIndex(name)) continue;
        const key = `${name}\u0000${value.toLowerCase()}`;
        if (claimed.has(key)) {
          return sendFailure(
            res,
            failure(409, `Duplicate ${name} "${value}" in batch input`, { category: 'CONFLICT' }),
          );
        }
        claimed.set(key, index);
      }
    }
    const failing = env.faults.partialFailures(req);
    const results: unknown[] = [];
    const injected: string[] = [];
    const now = env.now();
    for (const [index, { write, links }] of prepared.entries()) {
      if (failing?.(index)) {
        injected.push(String(index));
        continue;
      }
      const record = createRecord(portal, type, write, { now, changeSource: API });
      for (const link of links) associate(portal, link.def, record.id, link.toId);
      results.push(toWireObject(portal, type, record, { selection: { kind: 'all' } }));
    }
    const errors = injected.length > 0 ? [{ ...injectedError([]), context: { inputIndexes: injected } }] : [];
    sendBatch(res, 201, results, errors, startedAt, env.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/upsert', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const startedAt = env.now();
    const inputs = batchInputs(req.body);
    if (!inputs.ok) return sendFailure(res, inputs.error);
    const table = portal.data.tables[type];
    const topLevelIdProperty = asObject(req.body)?.idProperty;
    const issues: PropertyIssue[] = [];
    const prepared: Array<{ id: string; idProperty: string | undefined; write: PropertyWrite }> = [];
    for (const input of inputs.value) {
      const fields = asObject(input);
      const id = inputId(input);
      if (!fields || id === undefined) {
        return sendFailure(
          res,
          invalidInputJson(
            1,
            'Cannot build SimplePublicObjectBatchInputUpsert, some of required attributes are not set [id]',
          ),
        );
      }
      const rawIdProperty = fields.idProperty ?? topLevelIdProperty;
      const idProperty =
        typeof rawIdProperty === 'string' && rawIdProperty !== 'hs_object_id' ? rawIdProperty : undefined;
      if (idProperty !== undefined && !table.hasUniqueIndex(idProperty)) {
        return sendFailure(
          res,
          validationFailure(`Property ${idProperty} is not a unique identifier property`),
        );
      }
      const written = validateWrite(fields.properties, writeContext(portal, type));
      if (!written.ok) {
        if (Array.isArray(written.error)) issues.push(...written.error);
        else return sendFailure(res, written.error);
        continue;
      }
      prepared.push({ id, idProperty, write: written.value });
    }
    if (issues.length > 0) return sendFailure(res, propertyIssuesFailure(issues, portal.portalId));
    const failing = env.faults.partialFailures(req);
    const results: unknown[] = [];
    const missing: string[] = [];
    const injected: string[] = [];
    const now = env.now();
    for (const [index, { id, idProperty, write }] of prepared.entries()) {
      if (failing?.(index)) {
        injected.push(id);
        continue;
      }
      const existing =
        idProperty === undefined
          ? /^\d+$/.test(id)
            ? table.live(Number(id))
            : undefined
          : table.findByUnique(idProperty, id);
      if (existing) {
        updateRecord(portal, type, existing, write, { now, changeSource: API });
        results.push({ ...toWireObject(portal, type, existing, { selection: { kind: 'all' } }), new: false });
        continue;
      }
      if (idProperty === undefined) {
        missing.push(id);
        continue;
      }
      const creation = new Map(write);
      creation.set(idProperty, id);
      const stamped = withActivityTimestamp(portal, type, creation);
      if (!stamped.ok) return sendFailure(res, stamped.error);
      const record = createRecord(portal, type, stamped.value, { now, changeSource: API });
      results.push({ ...toWireObject(portal, type, record, { selection: { kind: 'all' } }), new: true });
    }
    const errors = [
      ...(missing.length > 0 ? [notFoundError(type, missing)] : []),
      ...(injected.length > 0 ? [injectedError(injected)] : []),
    ];
    sendBatch(res, 200, results, errors, startedAt, env.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const inputs = batchInputs(req.body);
    if (!inputs.ok) return sendFailure(res, inputs.error);
    const now = env.now();
    for (const input of inputs.value) {
      const id = inputId(input);
      if (id === undefined) continue;
      const found = findRecord(portal, type, id, undefined);
      if (found.ok) archiveRecord(portal, type, found.value, { now, changeSource: API });
    }
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const body = asObject(req.body);
    const primaryId = body?.primaryObjectId;
    const mergedId = body?.objectIdToMerge;
    if (primaryId === undefined || mergedId === undefined) {
      return sendFailure(
        res,
        invalidInputJson(
          1,
          'Cannot build PublicMergeInput, some of required attributes are not set [primaryObjectId, objectIdToMerge]',
        ),
      );
    }
    if (String(primaryId) === String(mergedId)) {
      return sendFailure(res, validationFailure('Cannot merge an object with itself'));
    }
    const primary = findRecord(portal, type, String(primaryId), undefined);
    if (!primary.ok) return sendFailure(res, primary.error);
    const secondary = findRecord(portal, type, String(mergedId), undefined);
    if (!secondary.ok) return sendFailure(res, secondary.error);
    mergeRecords(portal, type, primary.value, secondary.value, { now: env.now(), changeSource: API });
    res.json(toWireObject(portal, type, primary.value, { selection: { kind: 'all' } }));
  });

  return router;
};
