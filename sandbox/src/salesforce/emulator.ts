import type { AddressInfo } from 'node:net';

import type { Express } from 'express';

import { FaultInjector } from '../faults.ts';
import { createSeedDataset } from '../seed/generate.ts';
import type { SeedDataset, SeedOptions } from '../seed/types.ts';
import {
  DEFAULT_TOKEN_TTL_MS,
  createAuthState,
  expireSessions,
  issueAccessToken,
  issueRefreshToken,
} from './auth.ts';
import { closeOrgCursors, createCursorRegistry } from './cursors.ts';
import { buildSalesforceApp } from './http/app.ts';
import { findOrg } from './http/adminRoutes.ts';
import type { SalesforceEmulatorState } from './http/context.ts';
import type { SalesforceOrg, SalesforceOrgOptions } from './org.ts';
import { createOrg } from './org.ts';
import type { SeedLoadOptions, SeedLoadResult } from './seedLoader.ts';
import { loadSeedIntoOrg } from './seedLoader.ts';
import { resetOrgData, sessionUserId } from './store.ts';
import { setUsedCalls } from './usage.ts';

// The Salesforce emulator: one Express app serving any number of orgs, never listening by itself
// (`createSalesforceEmulator`), or bound to a port on 127.0.0.1 (`startSalesforceEmulator`).

export interface SalesforceEmulatorOptions {
  /** One org with default credentials when omitted. */
  readonly orgs?: readonly SalesforceOrgOptions[];
  readonly tokenTtlMs?: number;
  /** The emulator's notion of now (epoch ms): stamps, token expiry, date literals, API usage. */
  readonly clock?: () => number;
  readonly faults?: FaultInjector;
  readonly faultSeed?: number;
  readonly maxOpenCursorsPerUser?: number;
  /** Builds datasets for `POST /__sandbox/seed`; the shared seed generator by default. */
  readonly createDataset?: ((options: SeedOptions) => SeedDataset) | null;
}

export interface SalesforceEmulator {
  readonly app: Express;
  readonly state: SalesforceEmulatorState;
  readonly orgs: readonly SalesforceOrg[];
  /** The first org, which admin calls without an org id address. */
  readonly org: SalesforceOrg;
  readonly faults: FaultInjector;
  loadSeed(
    dataset: SeedDataset,
    options?: Omit<SeedLoadOptions, 'nowMs'> & { readonly orgId?: string },
  ): SeedLoadResult;
  reset(orgId?: string): void;
  /**
   * A valid access token without an OAuth round trip: for the org's integration user, or for `userId`
   * (an active User of the org, 15 or 18 characters), so that REST writes made with it are made as that
   * user (LastModifiedById, the CreatedById of field history rows). Throws for an unknown or inactive user.
   */
  issueAccessToken(orgId?: string, userId?: string): string;
  expireTokens(orgId?: string): number;
  setApiBudget(limit: number, options?: { readonly used?: number; readonly orgId?: string }): void;
}

export interface StartedSalesforceEmulator extends SalesforceEmulator {
  /** `http://127.0.0.1:PORT`: the login URL and instance URL. */
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_OPEN_CURSORS_PER_USER = 10;

export function createSalesforceEmulator(options: SalesforceEmulatorOptions = {}): SalesforceEmulator {
  const clock = options.clock ?? (() => Date.now());
  const auditClock = (): number => Math.floor(clock() / 1000) * 1000;
  const now = auditClock();
  const orgs = (options.orgs ?? [{}]).map((orgOptions, index) => createOrg(index, orgOptions, now));
  const faults = options.faults ?? new FaultInjector(options.faultSeed ?? 1);
  const state: SalesforceEmulatorState = {
    orgs,
    auth: createAuthState(options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS),
    cursors: createCursorRegistry(options.maxOpenCursorsPerUser ?? DEFAULT_MAX_OPEN_CURSORS_PER_USER),
    faults,
    clock,
    createDataset: options.createDataset === undefined ? createSeedDataset : options.createDataset,
  };
  for (const org of orgs)
    issueRefreshToken(state.auth, org.orgId, org.data.integrationUserId, org.refreshToken);
  const orgOrThrow = (orgId?: string): SalesforceOrg => {
    const org = findOrg(state, orgId);
    if (!org) throw new RangeError(`no org ${orgId ?? ''}`);
    return org;
  };
  return {
    app: buildSalesforceApp(state),
    state,
    orgs,
    org: orgOrThrow(),
    faults,
    loadSeed(dataset, loadOptions = {}) {
      const org = orgOrThrow(loadOptions.orgId);
      closeOrgCursors(state.cursors, org.orgId);
      return loadSeedIntoOrg(org.data, dataset, { ...loadOptions, nowMs: auditClock() });
    },
    reset(orgId) {
      const org = orgOrThrow(orgId);
      resetOrgData(org.data, auditClock());
      setUsedCalls(org.usage, 0, clock());
      closeOrgCursors(state.cursors, org.orgId);
    },
    issueAccessToken(orgId, userId) {
      const org = orgOrThrow(orgId);
      const user = sessionUserId(org.data, userId);
      if (!user.ok) throw new RangeError(`${user.error} (org ${org.orgId})`);
      return issueAccessToken(state.auth, org.orgId, user.value, clock());
    },
    expireTokens(orgId) {
      return expireSessions(state.auth, orgId === undefined ? undefined : orgOrThrow(orgId).orgId);
    },
    setApiBudget(limit, budget = {}) {
      const org = orgOrThrow(budget.orgId);
      org.usage.limit = limit;
      if (budget.used !== undefined) setUsedCalls(org.usage, budget.used, clock());
    },
  };
}

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions & { readonly port?: number; readonly host?: string } = {},
): Promise<StartedSalesforceEmulator> {
  const { port = 0, host = '127.0.0.1', ...rest } = options;
  const emulator = createSalesforceEmulator(rest);
  const server = emulator.app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    ...emulator,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
