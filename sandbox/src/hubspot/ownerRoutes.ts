import { Router } from 'express';

import { baseUrl, booleanParam, crmLocals, sendFailure, stringParam } from './http.ts';
import { lowerBound } from './store.ts';
import type { Owner } from './store.ts';
import { resourceNotFound, validationFailure, formatInstant } from './wire.ts';

// CRM v3 Owners: the users records are assigned to. Owner ids (not user ids) go in `hubspot_owner_id`.

const MAX_OWNER_LIMIT = 500;

const ownerToWire = (owner: Owner) => ({
  id: String(owner.id),
  email: owner.email,
  type: 'PERSON',
  firstName: owner.firstName,
  lastName: owner.lastName,
  userId: owner.archived ? null : owner.userId,
  userIdIncludingInactive: owner.userId,
  createdAt: formatInstant(owner.createdAt),
  updatedAt: formatInstant(owner.updatedAt),
  archived: owner.archived,
  teams: owner.teams.map((team) => ({ ...team })),
});

export const ownerRoutes = (): Router => {
  const router = Router();

  router.get('/crm/v3/owners', (req, res) => {
    const { portal } = crmLocals(res);
    const limitText = stringParam(req.query.limit);
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1)
      return sendFailure(res, validationFailure('Must be greater than or equal to 1'));
    if (limit > MAX_OWNER_LIMIT) {
      return sendFailure(res, validationFailure(`Must be less than or equal to ${MAX_OWNER_LIMIT}`));
    }
    const afterText = stringParam(req.query.after) ?? '';
    if (afterText !== '' && !/^\d+$/.test(afterText)) {
      return sendFailure(res, validationFailure(`Invalid value for query parameter after: ${afterText}`));
    }
    const email = stringParam(req.query.email)?.toLowerCase();
    const archived = booleanParam(req.query.archived);
    const owners = [...portal.data.owners]
      .sort((a, b) => a.id - b.id)
      .filter(
        (owner) =>
          owner.archived === archived && (email === undefined || owner.email.toLowerCase() === email),
      );
    const start = lowerBound(
      owners.map((owner) => owner.id),
      Number(afterText || 0),
    );
    const page = owners.slice(start, start + limit);
    const next = owners[start + limit];
    const body: Record<string, unknown> = { results: page.map(ownerToWire) };
    if (next) {
      const after = String(next.id);
      body.paging = { next: { after, link: `${baseUrl(req)}/crm/v3/owners/?limit=${limit}&after=${after}` } };
    }
    res.json(body);
  });

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    const { portal } = crmLocals(res);
    const byUserId = stringParam(req.query.idProperty) === 'userId';
    const archived = booleanParam(req.query.archived);
    const wanted = Number(req.params.ownerId);
    const owner = portal.data.owners.find(
      (candidate) =>
        (byUserId ? candidate.userId : candidate.id) === wanted && candidate.archived === archived,
    );
    if (!owner) return sendFailure(res, resourceNotFound());
    res.json(ownerToWire(owner));
  });

  return router;
};
