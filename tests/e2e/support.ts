import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createHubSpotConnector } from '../../server/src/connectors/hubspot/index.ts';
import { createSalesforceConnector } from '../../server/src/connectors/salesforce/index.ts';
import type { Tenant } from '../../server/src/model.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { Store } from '../../server/src/store/ports.ts';
import type { SyncDeps } from '../../server/src/sync/syncTenant.ts';
import type { HubSpotEmulator } from '../../sandbox/src/hubspot/index.ts';
import { createHubSpotEmulator, DEFAULT_PORTAL_ID } from '../../sandbox/src/hubspot/index.ts';
import type { SalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSeedDataset } from '../../sandbox/src/seed/index.ts';

// A whole tenant for end-to-end tests: a seeded Salesforce emulator on 127.0.0.1, a real SQLite file,
// the real connector, and one clock shared by all three that moves only when the test says so.

export const START = Date.parse('2026-11-30T09:00:00.000Z');

export interface SalesforceWorld {
  readonly org: SalesforceEmulator;
  readonly url: string;
  readonly store: Store;
  readonly tenant: Tenant;
  readonly deps: SyncDeps;
  advance(ms: number): void;
  now(): number;
  /** SOQL through the REST API, as an admin would check the org. */
  soql<T = Record<string, unknown>>(query: string): Promise<{ totalSize: number; records: T[] }>;
  patch(sobject: string, id: string, fields: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function salesforceWorld(accounts = 200): Promise<SalesforceWorld> {
  let now = START;
  const clock = () => now;
  const org = createSalesforceEmulator({ clock });
  org.loadSeed(createSeedDataset({ seed: 11, accounts, referenceDate: new Date(START).toISOString() }));
  const server: Server = await new Promise((resolve) => {
    const listening = org.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  const dir = mkdtempSync(join(tmpdir(), 'abm-e2e-'));
  const store = openSqliteStore(join(dir, 'abm.db'));
  const tenant: Tenant = {
    id: tenantIdOf('salesforce', org.org.orgId),
    crm: 'salesforce',
    externalId: org.org.orgId,
    name: 'E2E org',
  };
  await store.upsertTenant(tenant);
  const connector = createSalesforceConnector({
    tenant,
    loginUrl: url,
    auth: { kind: 'client_credentials', clientId: org.org.clientId, clientSecret: org.org.clientSecret },
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });

  const token = () => org.issueAccessToken();
  const api = `${url}/services/data/v66.0`;
  return {
    org,
    url,
    store,
    tenant,
    deps: { store, connector, clock, holder: 'e2e' },
    advance: (ms) => void (now += ms),
    now: clock,
    async soql(query) {
      const response = await fetch(`${api}/query?q=${encodeURIComponent(query)}`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return response.json() as never;
    },
    async patch(sobject, id, fields) {
      const response = await fetch(`${api}/sobjects/${sobject}/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      if (response.status !== 204) throw new Error(`${response.status} ${await response.text()}`);
    },
    async close() {
      await store.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface HubSpotWorld {
  readonly hub: HubSpotEmulator;
  readonly url: string;
  readonly portalId: number;
  readonly token: string;
  readonly store: Store;
  readonly tenant: Tenant;
  readonly deps: SyncDeps;
  advance(ms: number): void;
  now(): number;
  /** The HubSpot REST API with the portal's private-app token, as an admin would check the portal. */
  api<T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  close(): Promise<void>;
}

/** The same for a seeded HubSpot portal. Limits are lifted: the limiter is tested on its own. */
export async function hubspotWorld(accounts = 200): Promise<HubSpotWorld> {
  let now = START;
  const clock = () => now;
  const hub = createHubSpotEmulator({ now: clock });
  const portalId = DEFAULT_PORTAL_ID;
  hub.loadSeed(
    portalId,
    createSeedDataset({ seed: 11, accounts, referenceDate: new Date(START).toISOString() }),
  );
  hub.setLimits(portalId, { tenSecondly: 100_000, searchPerSecond: 100_000 });
  const server: Server = await new Promise((resolve) => {
    const listening = hub.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const token = hub.privateAppToken(portalId) ?? '';

  const dir = mkdtempSync(join(tmpdir(), 'abm-e2e-hs-'));
  const store = openSqliteStore(join(dir, 'abm.db'));
  const tenant: Tenant = {
    id: tenantIdOf('hubspot', String(portalId)),
    crm: 'hubspot',
    externalId: String(portalId),
    name: 'E2E portal',
  };
  await store.upsertTenant(tenant);
  const connector = createHubSpotConnector({
    tenant,
    baseUrl: url,
    auth: { kind: 'private_app', token },
    limits: { tenSecondly: 100_000, searchPerSecond: 100_000 },
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  return {
    hub,
    url,
    portalId,
    token,
    store,
    tenant,
    deps: { store, connector, clock, holder: 'e2e' },
    advance: (ms) => void (now += ms),
    now: clock,
    async api(path, init = {}) {
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return (response.status === 204 ? null : await response.json()) as never;
    },
    async close() {
      await store.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
