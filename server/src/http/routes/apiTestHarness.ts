import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AuditEntry, Role } from '@abm-pilot/shared';
import Database from 'better-sqlite3';
import pino from 'pino';

import type { Tenant } from '../../model.ts';
import type { AccountComputation, AdminRole } from '../../store/ports.ts';
import type { TempStore } from '../../store/sqlite/testSupport.ts';
import {
  account,
  computation,
  contextOf,
  openTempStore,
  owner,
  page,
  T0,
  TENANT_A,
  TENANT_B,
} from '../../store/sqlite/testSupport.ts';
import { createApp } from '../app.ts';
import { createHttpServer } from '../serve.ts';
import { signV3 } from '../hubspotSignature.ts';
import { systemTime } from '../../time.ts';
import type { ApiDeps } from './index.ts';
import { createApiRouter } from './index.ts';

// The real app over real HTTP on 127.0.0.1:0, on a real SQLite file, for the route tests. Tenant A is a
// HubSpot portal (111), B a Salesforce org, C another HubSpot portal (222): the neighbour whose data must
// never show.

export { T0, TENANT_A, TENANT_B };
export const TENANT_C: Tenant = {
  id: 'hubspot:222',
  crm: 'hubspot',
  externalId: '222',
  name: 'Portal C',
  language: 'en',
};
export const NOW = T0 + 60 * 86_400_000;
export const HUBSPOT = { clientSecret: 'test-client-secret', publicUrl: 'https://abm.example.com' } as const;

export interface Harness {
  readonly url: string;
  readonly temp: TempStore;
  readonly syncRequests: string[];
  /** What the fake scheduler answers to the next trigger. */
  syncStarts: boolean;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** HubSpot's clock, when its signatures are read on another than the server's. */
  readonly hubspotClock?: () => number;
}

export async function startApi(options: HarnessOptions = {}): Promise<Harness> {
  const temp = await openTempStore([TENANT_A, TENANT_B, TENANT_C]);
  const syncRequests: string[] = [];
  const harness = {
    url: '',
    temp,
    syncRequests,
    syncStarts: true,
    close: async () => {},
  };
  const deps: ApiDeps = {
    get store() {
      return temp.store;
    },
    clock: () => NOW,
    deadline: systemTime.deadline,
    // No CRM is connected here: decisions are recorded with their outbox entry and answered `pending`.
    crmOf: () => null,
    background: (work) => work(),
    hubspot: options.hubspotClock ? { ...HUBSPOT, clock: options.hubspotClock } : HUBSPOT,
    syncNow: (tenantId) => {
      syncRequests.push(tenantId);
      return harness.syncStarts;
    },
    log: pino({ level: 'silent' }),
  };
  const app = createApp({ log: deps.log, ready: async () => true, api: createApiRouter(deps) });
  const server = await new Promise<Server>((resolve) => {
    const listening = createHttpServer(app).listen(0, '127.0.0.1', () => resolve(listening));
  });
  harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness.close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await temp.cleanup();
  };
  return harness;
}

export interface SignOptions {
  /** Default: the server's clock. */
  readonly timestamp?: number;
  readonly secret?: string;
}

/** A request signed as HubSpot signs it: v3 over method, public URL, raw body and timestamp. */
export function hubspotFetch(
  harness: Harness,
  method: 'GET' | 'POST' | 'PUT',
  pathAndQuery: string,
  body?: unknown,
  options: SignOptions = {},
): Promise<Response> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? NOW);
  const signature = signV3(
    options.secret ?? HUBSPOT.clientSecret,
    method,
    `${HUBSPOT.publicUrl}${pathAndQuery}`,
    raw,
    timestamp,
  ).toString('base64');
  return fetch(`${harness.url}${pathAndQuery}`, {
    method,
    headers: {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: raw }),
  });
}

/** A request carrying a bearer credential (Salesforce org key or admin token). */
export function bearerFetch(
  harness: Harness,
  method: 'GET' | 'POST' | 'PUT',
  pathAndQuery: string,
  token: string | null,
  body?: unknown,
): Promise<Response> {
  return fetch(`${harness.url}${pathAndQuery}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function adminToken(harness: Harness, tenantId: string, role: AdminRole): Promise<string> {
  const issued = await harness.temp.store.issueCredential(tenantId, {
    grant: { kind: 'admin_token', role },
    now: T0,
    rotate: false,
  });
  return issued.plaintext;
}

export async function salesforceKey(harness: Harness, tenantId: string): Promise<string> {
  const issued = await harness.temp.store.issueCredential(tenantId, {
    grant: { kind: 'salesforce_api_key' },
    now: T0,
    rotate: false,
  });
  return issued.plaintext;
}

export async function giveRoles(harness: Harness, tenantId: string, users: Record<string, Role[]>) {
  await harness.temp.store.replaceUserRoles(
    tenantId,
    Object.entries(users).map(([crmUserId, roles]) => ({ crmUserId, roles })),
    { at: T0, by: null },
  );
}

/**
 * Syncs owner `o1` and the accounts, then saves one computation per account (tier_2 assigned and
 * recommended unless overridden) with the given audit entries.
 */
export async function seedAccounts(
  harness: Harness,
  tenantId: string,
  accounts: Readonly<Record<string, Partial<AccountComputation>>>,
  auditEntries: readonly AuditEntry[] = [],
): Promise<void> {
  const { store } = harness.temp;
  await store.savePage(tenantId, page('owners', [owner('o1')]), T0);
  await store.savePage(
    tenantId,
    page(
      'accounts',
      Object.keys(accounts).map((crmId) => account(crmId)),
    ),
    T0,
  );
  const computations: AccountComputation[] = [];
  for (const [crmId, overrides] of Object.entries(accounts)) {
    computations.push(computation(await contextOf(store, tenantId, crmId), overrides));
  }
  const saved = await store.saveComputation(tenantId, {
    accounts: computations,
    audit: auditEntries,
    approvals: [],
  });
  if (!saved.ok) throw new Error(saved.error.message);
}

export async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; issues?: { path: unknown[] }[] } }).error;
}

/** The two headers HubSpot adds to a call: its v3 signature over method, public URL, raw body and timestamp. */
export function hubspotHeaders(
  method: string,
  pathAndQuery: string,
  rawBody: string,
  options: SignOptions = {},
): Record<'x-hubspot-signature-v3' | 'x-hubspot-request-timestamp', string> {
  const timestamp = String(options.timestamp ?? NOW);
  return {
    'x-hubspot-signature-v3': signV3(
      options.secret ?? HUBSPOT.clientSecret,
      method,
      `${HUBSPOT.publicUrl}${pathAndQuery}`,
      rawBody,
      timestamp,
    ).toString('base64'),
    'x-hubspot-request-timestamp': timestamp,
  };
}

export interface DatabaseDump {
  /** Every row of every table in a stable order: two equal dumps mean nothing was written in between. */
  dump(): string;
  close(): void;
}

/** A read-only second connection on the harness's SQLite file, seeing what the server committed. */
export function openDatabaseDump(harness: Harness): DatabaseDump {
  const db = new Database(harness.temp.path, { readonly: true, fileMustExist: true });
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map(({ name }) => ({ name, rows: db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`) }));
  return {
    dump: () =>
      JSON.stringify(
        tables.map(({ name, rows }) => [
          name,
          rows
            .all()
            .map((row) => JSON.stringify(row))
            .sort(),
        ]),
      ),
    close: () => db.close(),
  };
}
