import type { Request, Response } from 'express';

import type { FaultInjector } from '../../faults.ts';
import type { SeedDataset, SeedOptions } from '../../seed/types.ts';
import type { AuthState } from '../auth.ts';
import type { CursorRegistry } from '../cursors.ts';
import type { SalesforceOrg } from '../org.ts';
import type { WriteContext } from '../store.ts';

// What every route handler shares: the emulator's state and, for API routes, the caller's session.

export interface SalesforceEmulatorState {
  readonly orgs: readonly SalesforceOrg[];
  readonly auth: AuthState;
  readonly cursors: CursorRegistry;
  readonly faults: FaultInjector;
  readonly clock: () => number;
  readonly createDataset: ((options: SeedOptions) => SeedDataset) | null;
}

export interface ApiSession {
  readonly org: SalesforceOrg;
  readonly userId: string;
  /** The API version of the request path, e.g. `66.0`. */
  readonly version: string;
}

const SESSION = 'salesforceSession';

export function setSession(res: Response, session: ApiSession): void {
  res.locals[SESSION] = session;
}

export function sessionOf(res: Response): ApiSession {
  const session = res.locals[SESSION] as ApiSession | undefined;
  if (!session) throw new Error('API route reached without a session');
  return session;
}

/**
 * Audit stamps (CreatedDate, LastModifiedDate, SystemModstamp) have whole-second precision, as the
 * REST API shows them (`.000`): many records share a stamp, so incremental readers must break ties by Id.
 */
export const auditNow = (state: SalesforceEmulatorState): number => Math.floor(state.clock() / 1000) * 1000;

export const writeContext = (state: SalesforceEmulatorState, session: ApiSession): WriteContext => ({
  now: auditNow(state),
  userId: session.userId,
});

/** Express 5 gives route params as strings; a missing one is a routing bug. */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new Error(`route parameter ${name} missing`);
  return value;
}

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

/** The origin clients reached us on: instance URLs and identity URLs are built from it. */
export const baseUrlOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
