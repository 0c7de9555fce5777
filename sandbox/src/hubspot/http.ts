import type { Request, Response } from 'express';

import type { Caller } from './auth.ts';
import type { ObjectType } from './objectTypes.ts';
import { resolveObjectType } from './objectTypes.ts';
import type { Portal } from './portal.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure } from './wire.ts';

// Express glue shared by the route modules. Routes are declared with full paths on routers mounted at
// the root, so `req.path` is the whole path wherever the fault injector reads it.

export const sendFailure = (res: Response, outcome: HubSpotFailure): void => {
  const body = outcome.body as { correlationId?: unknown };
  if (typeof body.correlationId === 'string') res.set('x-hubspot-correlation-id', body.correlationId);
  res
    .status(outcome.status)
    .set(outcome.headers ?? {})
    .json(outcome.body);
};

export interface CrmLocals {
  portal: Portal;
  caller: Caller;
}

/** Set by the authentication middleware before any /crm route runs. */
export const crmLocals = (res: Response): CrmLocals => res.locals as CrmLocals;

/** Query lists arrive repeated (`properties=a&properties=b`, as the SDK sends) or comma-separated. */
export const listParam = (value: unknown): string[] | undefined => {
  if (value === undefined) return undefined;
  const raw = Array.isArray(value) ? value : [value];
  const names = raw
    .filter((entry): entry is string => typeof entry === 'string')
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return names;
};

export const stringParam = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
};

export const booleanParam = (value: unknown): boolean => stringParam(value)?.toLowerCase() === 'true';

/** HubSpot's answer to a path naming no object type it knows. */
export const objectTypeParam = (segment: string): ObjectType | HubSpotFailure =>
  resolveObjectType(segment) ?? failure(400, `Unable to infer object type from: ${segment}`);

export const isObjectType = (value: ObjectType | HubSpotFailure): value is ObjectType =>
  typeof value === 'string';

/** Base URL of the emulator as the client reached it, for `paging.next.link` and `Location`. */
export const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;

export const pathParam = (req: Request, name: string): string => {
  const value = (req.params as Record<string, string | undefined>)[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
};
