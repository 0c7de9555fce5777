import type { Request, Response } from 'express';
import { Router } from 'express';

import type { FaultInjector } from '../faults.ts';
import type { AssociationTypeDef } from './associationTypes.ts';
import { associationTypeById, associationTypesBetween, unlabeledTypeId } from './associationTypes.ts';
import { crmLocals, isObjectType, objectTypeParam, sendFailure, stringParam } from './http.ts';
import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';
import type { Portal } from './portal.ts';
import { associate } from './portal.ts';
import type { AssociationEdge } from './store.ts';
import { formatInstant, invalidInputJson, sendBatch, validationFailure } from './wire.ts';

// Associations v4: per-record list, default and labelled creation, removal, and the batch endpoints.

const MAX_BATCH_READ_INPUTS = 1000;
const MAX_BATCH_INPUTS = 100;
const MAX_PAGE = 500;

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

const idOf = (value: unknown): string | undefined => {
  const id = asObject(value)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};

const liveId = (portal: Portal, type: ObjectType, idText: string | undefined): number | null => {
  if (idText === undefined || !/^\d+$/.test(idText)) return null;
  return portal.data.tables[type].live(Number(idText))?.id ?? null;
};

/** Labelled types first, as HubSpot lists "Primary" before the unlabeled type. */
const edgeToWire = (edge: AssociationEdge) => ({
  toObjectId: edge.toId,
  associationTypes: edge.typeIds
    .map((typeId) => associationTypeById(typeId))
    .filter((def): def is AssociationTypeDef => def !== null)
    .sort((a, b) => (a.label === null ? 1 : 0) - (b.label === null ? 1 : 0))
    .map((def) => ({ category: 'HUBSPOT_DEFINED', typeId: def.typeId, label: def.label })),
});

const liveEdges = (portal: Portal, from: ObjectType, fromId: number, to: ObjectType): AssociationEdge[] => {
  const table = portal.data.tables[to];
  return portal.data.associations
    .list(from, fromId, to)
    .filter((edge) => table.live(edge.toId) !== undefined);
};

const invalidIds = (ids: Array<[ObjectType, string]>) =>
  validationFailure('One or more associations are invalid', {
    subCategory: 'crm.associations.INVALID_OBJECT_IDS',
    context: {
      objectId: ids.map(([, id]) => id),
      objectType: ids.map(([type]) => OBJECT_TYPE_INFO[type].objectTypeId),
    },
  });

const defaultSpec = (fromId: number, toId: number, def: AssociationTypeDef) => ({
  from: { id: String(fromId) },
  to: { id: String(toId) },
  associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId },
});

const labelsBetween = (
  from: ObjectType,
  fromId: number,
  to: ObjectType,
  toId: number,
  defs: readonly AssociationTypeDef[],
) => ({
  fromObjectTypeId: OBJECT_TYPE_INFO[from].objectTypeId,
  fromObjectId: fromId,
  toObjectTypeId: OBJECT_TYPE_INFO[to].objectTypeId,
  toObjectId: toId,
  labels: defs.flatMap((def) => (def.label === null ? [] : [def.label])),
});

export const associationRoutes = (now: () => number, faults: FaultInjector): Router => {
  const router = Router();

  const pair = (
    req: Request,
    res: Response,
    fromKey: string,
    toKey: string,
  ): [ObjectType, ObjectType] | undefined => {
    const params = req.params as Record<string, string>;
    const from = objectTypeParam(params[fromKey] ?? '');
    if (!isObjectType(from)) return void sendFailure(res, from);
    const to = objectTypeParam(params[toKey] ?? '');
    if (!isObjectType(to)) return void sendFailure(res, to);
    return [from, to];
  };

  router.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (req, res) => {
    const types = pair(req, res, 'objectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    const limit = Math.min(
      MAX_PAGE,
      Math.max(1, Number(stringParam(req.query.limit) ?? MAX_PAGE) || MAX_PAGE),
    );
    const after = Number(stringParam(req.query.after) ?? 0) || 0;
    const fromId = liveId(portal, from, req.params.objectId);
    const edges =
      fromId === null ? [] : liveEdges(portal, from, fromId, to).filter((edge) => edge.toId >= after);
    const page = edges.slice(0, limit);
    const body: Record<string, unknown> = { results: page.map(edgeToWire) };
    const next = edges[limit];
    if (next) body.paging = { next: { after: String(next.toId) } };
    res.json(body);
  });

  router.put(
    '/crm/v4/objects/:objectType/:objectId/associations/default/:toObjectType/:toObjectId',
    (req, res) => {
      const types = pair(req, res, 'objectType', 'toObjectType');
      if (!types) return;
      const [from, to] = types;
      const { portal } = crmLocals(res);
      const typeId = unlabeledTypeId(from, to);
      const def = typeId === null ? null : associationTypeById(typeId);
      if (!def) {
        return sendFailure(
          res,
          validationFailure(`No default association type exists between ${from} and ${to}`),
        );
      }
      const fromId = liveId(portal, from, req.params.objectId);
      const toId = liveId(portal, to, req.params.toObjectId);
      if (fromId === null || toId === null) {
        return sendFailure(
          res,
          invalidIds([
            [from, req.params.objectId],
            [to, req.params.toObjectId],
          ]),
        );
      }
      const startedAt = now();
      associate(portal, def, fromId, toId);
      const inverse = associationTypeById(def.inverseTypeId)!;
      res.json({
        status: 'COMPLETE',
        results: [defaultSpec(fromId, toId, def), defaultSpec(toId, fromId, inverse)],
        startedAt: formatInstant(startedAt),
        completedAt: formatInstant(now()),
      });
    },
  );

  router.put('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const types = pair(req, res, 'objectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    if (!Array.isArray(req.body) || req.body.length === 0) {
      return sendFailure(
        res,
        invalidInputJson(1, 'Cannot deserialize value of type `java.util.ArrayList` from Object value'),
      );
    }
    const defs: AssociationTypeDef[] = [];
    for (const spec of req.body as unknown[]) {
      const fields = asObject(spec);
      const def = associationTypeById(Number(fields?.associationTypeId));
      if (!def || fields?.associationCategory !== 'HUBSPOT_DEFINED' || def.from !== from || def.to !== to) {
        return sendFailure(
          res,
          validationFailure(
            `${String(fields?.associationCategory)} ${String(fields?.associationTypeId)} is not a valid association type between ${from} and ${to}`,
          ),
        );
      }
      defs.push(def);
    }
    const fromId = liveId(portal, from, req.params.objectId);
    const toId = liveId(portal, to, req.params.toObjectId);
    if (fromId === null || toId === null) {
      return sendFailure(
        res,
        invalidIds([
          [from, req.params.objectId],
          [to, req.params.toObjectId],
        ]),
      );
    }
    for (const def of defs) associate(portal, def, fromId, toId);
    res.status(201).json(labelsBetween(from, fromId, to, toId, defs));
  });

  router.delete(
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    (req, res) => {
      const types = pair(req, res, 'objectType', 'toObjectType');
      if (!types) return;
      const [from, to] = types;
      const { portal } = crmLocals(res);
      const fromId = Number(req.params.objectId);
      const toId = Number(req.params.toObjectId);
      portal.data.associations.remove(from, fromId, to, toId);
      portal.data.associations.remove(to, toId, from, fromId);
      res.status(204).end();
    },
  );

  router.get('/crm/v4/associations/:fromObjectType/:toObjectType/labels', (req, res) => {
    const types = pair(req, res, 'fromObjectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    res.json({
      results: associationTypesBetween(from, to).map((def) => ({
        category: 'HUBSPOT_DEFINED',
        typeId: def.typeId,
        label: def.label,
      })),
    });
  });

  const inputsOf = (res: Response, body: unknown, max: number): unknown[] | undefined => {
    const inputs = asObject(body)?.inputs;
    if (!Array.isArray(inputs)) {
      sendFailure(
        res,
        invalidInputJson(1, 'Cannot build BatchInput, some of required attributes are not set [inputs]'),
      );
      return undefined;
    }
    if (inputs.length > max) {
      sendFailure(
        res,
        validationFailure(
          `The maximum number of inputs supported in a batch is ${max}. Please reduce the number of items and try again`,
        ),
      );
      return undefined;
    }
    return inputs;
  };

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const types = pair(req, res, 'fromObjectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    const startedAt = now();
    const inputs = inputsOf(res, req.body, MAX_BATCH_READ_INPUTS);
    if (!inputs) return;
    const failing = faults.partialFailures(req);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const [index, input] of inputs.entries()) {
      const idText = idOf(input) ?? '';
      if (failing?.(index)) {
        errors.push({
          status: 'error',
          category: 'INTERNAL_ERROR',
          message: 'Some inputs could not be processed because of a temporary error. Retry them.',
          context: { fromObjectId: [idText] },
        });
        continue;
      }
      const fromId = liveId(portal, from, idText);
      const edges = fromId === null ? [] : liveEdges(portal, from, fromId, to);
      if (edges.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${OBJECT_TYPE_INFO[from].singular} ${idText}.`,
          context: {
            fromObjectId: [idText],
            fromObjectType: [OBJECT_TYPE_INFO[from].singular],
            toObjectType: [OBJECT_TYPE_INFO[to].singular],
          },
        });
        continue;
      }
      results.push({ from: { id: idText }, to: edges.map(edgeToWire) });
    }
    sendBatch(res, 200, results, errors, startedAt, now());
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', (req, res) => {
    const types = pair(req, res, 'fromObjectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    const startedAt = now();
    const inputs = inputsOf(res, req.body, MAX_BATCH_INPUTS);
    if (!inputs) return;
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const fields = asObject(input);
      const fromText = idOf(fields?.from) ?? '';
      const toText = idOf(fields?.to) ?? '';
      const defs = (Array.isArray(fields?.types) ? (fields.types as unknown[]) : [])
        .map((spec) => associationTypeById(Number(asObject(spec)?.associationTypeId)))
        .filter((def): def is AssociationTypeDef => def !== null && def.from === from && def.to === to);
      const fromId = liveId(portal, from, fromText);
      const toId = liveId(portal, to, toText);
      if (fromId === null || toId === null || defs.length === 0) {
        errors.push({
          status: 'error',
          category: 'VALIDATION_ERROR',
          subCategory: 'crm.associations.INVALID_OBJECT_IDS',
          message: 'One or more associations are invalid',
          context: { fromObjectId: [fromText], toObjectId: [toText] },
        });
        continue;
      }
      for (const def of defs) associate(portal, def, fromId, toId);
      results.push(labelsBetween(from, fromId, to, toId, defs));
    }
    sendBatch(res, 201, results, errors, startedAt, now());
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (req, res) => {
    const types = pair(req, res, 'fromObjectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    const startedAt = now();
    const inputs = inputsOf(res, req.body, MAX_BATCH_INPUTS);
    if (!inputs) return;
    const typeId = unlabeledTypeId(from, to);
    const def = typeId === null ? null : associationTypeById(typeId);
    if (!def)
      return sendFailure(
        res,
        validationFailure(`No default association type exists between ${from} and ${to}`),
      );
    const inverse = associationTypeById(def.inverseTypeId)!;
    const results: unknown[] = [];
    const invalid: Array<[ObjectType, string]> = [];
    const links: Array<[number, number]> = [];
    for (const input of inputs) {
      const fields = asObject(input);
      const fromText = idOf(fields?.from) ?? '';
      const toText = idOf(fields?.to) ?? '';
      const fromId = liveId(portal, from, fromText);
      const toId = liveId(portal, to, toText);
      if (fromId === null) invalid.push([from, fromText]);
      if (toId === null) invalid.push([to, toText]);
      if (fromId !== null && toId !== null) links.push([fromId, toId]);
    }
    if (invalid.length > 0) return sendFailure(res, invalidIds(invalid));
    for (const [fromId, toId] of links) {
      associate(portal, def, fromId, toId);
      results.push(defaultSpec(fromId, toId, def), defaultSpec(toId, fromId, inverse));
    }
    res.json({
      status: 'COMPLETE',
      results,
      startedAt: formatInstant(startedAt),
      completedAt: formatInstant(now()),
    });
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (req, res) => {
    const types = pair(req, res, 'fromObjectType', 'toObjectType');
    if (!types) return;
    const [from, to] = types;
    const { portal } = crmLocals(res);
    const inputs = inputsOf(res, req.body, MAX_BATCH_INPUTS);
    if (!inputs) return;
    for (const input of inputs) {
      const fields = asObject(input);
      const fromId = Number(idOf(fields?.from));
      const targets = Array.isArray(fields?.to) ? (fields.to as unknown[]) : [];
      for (const target of targets) {
        const toId = Number(idOf(target));
        portal.data.associations.remove(from, fromId, to, toId);
        portal.data.associations.remove(to, toId, from, fromId);
      }
    }
    res.status(204).end();
  });

  return router;
};
