import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createSalesforceConnector } from '../../server/src/connectors/salesforce/index.ts';
import type { Tenant } from '../../server/src/model.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { Store } from '../../server/src/store/ports.ts';
import type { SyncDeps } from '../../server/src/sync/syncTenant.ts';
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
