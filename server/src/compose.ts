import type { Server } from 'node:http';
import { hostname } from 'node:os';

import type { Logger } from 'pino';

import type { Instant } from '@abm-pilot/shared';

import type { ServerConfig } from './config.ts';
import { createConnector } from './connectors/index.ts';
import type { CrmConnector } from './connectors/ports.ts';
import { createApp } from './http/app.ts';
import { createApiRouter } from './http/routes/index.ts';
import { createHttpServer } from './http/serve.ts';
import type { Scheduler } from './scheduler.ts';
import { startScheduler } from './scheduler.ts';
import type { Store } from './store/ports.ts';
import { openSqliteStore } from './store/sqlite/sqliteStore.ts';
import type { Time } from './time.ts';
import { systemTime } from './time.ts';
import type { SyncProgress } from './usecases/runSync.ts';

// The one composition root: the whole server built from its settings (store, CRM connectors, scheduler,
// HTTP API), listening. `npm start`, the demo and the journey tests all start ABM Pilot through here, so
// what the tests run is what users run; only the clock, the port and the settings differ.

export interface StartOptions {
  readonly log: Logger;
  /** The clock everything runs on; the system's by default. */
  readonly time?: Time;
  /** The clock HubSpot signs card calls and webhooks with; `time`'s by default. */
  readonly hubspotClock?: () => Instant;
  /** Sees the progress of every sync and sweep. */
  readonly onProgress?: (progress: SyncProgress) => void;
}

export interface AbmPilot {
  readonly url: string;
  /** The store, for what an operator sets up outside the API (credentials, role mapping). */
  readonly store: Store;
  readonly scheduler: Scheduler;
  /** Stops taking requests, lets every run and decision in flight finish, closes the store. */
  stop(): Promise<void>;
}

export async function startAbmPilot(config: ServerConfig, options: StartOptions): Promise<AbmPilot> {
  const { log } = options;
  const time = options.time ?? systemTime;
  const store: Store = openSqliteStore(config.dbPath);
  const holder = `${hostname()}:${process.pid}`;
  const connectors = config.connections.map((connection) => createConnector(connection, time));
  for (const connector of connectors) await store.upsertTenant(connector.tenant);
  const byTenant = new Map<string, CrmConnector>(
    connectors.map((connector) => [connector.tenant.id, connector]),
  );

  const scheduler = startScheduler({
    store,
    connectors,
    syncIntervalMs: config.syncIntervalMs,
    slaSweepIntervalMs: config.slaSweepIntervalMs,
    time,
    holder,
    log,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const api = createApiRouter({
    store,
    clock: time.now,
    deadline: time.deadline,
    crmOf: (tenantId) => byTenant.get(tenantId) ?? null,
    background: (work) => scheduler.background(work),
    syncNow: (tenantId) => scheduler.syncNow(tenantId),
    hubspot:
      config.hubspotApp && options.hubspotClock
        ? { ...config.hubspotApp, clock: options.hubspotClock }
        : config.hubspotApp,
    log,
  });
  const app = createApp({ log, api, ready: async () => (await store.listTenants()).length > 0 });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = createHttpServer(app);
    listening.once('error', reject);
    listening.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const url =
    typeof address === 'object' && address ? `http://${config.host}:${address.port}` : String(address);
  log.info(
    { url, tenants: connectors.map((connector) => connector.tenant.id) },
    'ABM Pilot server listening',
  );

  let stopping: Promise<void> | null = null;
  return {
    url,
    store,
    scheduler,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.all([closed, scheduler.stop()]);
        // A decision answered while stopping leaves its CRM write behind it: that finishes too.
        await scheduler.idle();
        await store.close();
      })()),
  };
}
