import type { Server } from 'node:http';
import { hostname } from 'node:os';

import { Router } from 'express';
import type { Logger } from 'pino';

import type { Instant } from '@abm-pilot/shared';

import type { ServerConfig } from './config.ts';
import { createConnector } from './connectors/index.ts';
import type { CrmConnector } from './connectors/ports.ts';
import { createApp } from './http/app.ts';
import { hubspotInstallRouter } from './http/hubspotInstall.ts';
import { salesforceConnectRouter } from './http/salesforceConnect.ts';
import { createApiRouter } from './http/routes/index.ts';
import { createHttpServer } from './http/serve.ts';
import type { Scheduler } from './scheduler.ts';
import { startScheduler } from './scheduler.ts';
import { SecretError } from './secrets.ts';
import type { Store } from './store/ports.ts';
import { openSqliteStore } from './store/sqlite/sqliteStore.ts';
import type { Time } from './time.ts';
import { systemTime } from './time.ts';
import { purgeUninstalled } from './usecases/installHubSpot.ts';
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
  /**
   * Loads the store's connections again if they changed, scheduling tenants added or changed and
   * unscheduling those removed or disabled; the server does so on every SLA sweep tick.
   */
  refreshConnections(): Promise<void>;
  /** The store, for what an operator sets up outside the API (credentials, role mapping). */
  readonly store: Store;
  readonly scheduler: Scheduler;
  /** Stops taking requests, lets every run and decision in flight finish, closes the store. */
  stop(): Promise<void>;
}

export async function startAbmPilot(config: ServerConfig, options: StartOptions): Promise<AbmPilot> {
  const { log } = options;
  const time = options.time ?? systemTime;
  const store: Store = openSqliteStore(config.dbPath, { secretKeys: config.secretKeys });
  const holder = `${hostname()}:${process.pid}`;
  // The connections file is a one-time import: what it lists is upserted (unchanged ones are left as they
  // are), and the server runs from the store's connections from then on.
  for (const connection of config.connections) await store.saveConnection(connection, 'upsert', time.now());

  const scheduler = startScheduler({
    store,
    connectors: [],
    syncIntervalMs: config.syncIntervalMs,
    slaSweepIntervalMs: config.slaSweepIntervalMs,
    time,
    holder,
    log,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const live = new Map<string, { readonly fingerprint: string; readonly connector: CrmConnector }>();
  let seenVersion: number | null = null;
  const refreshOnce = async (): Promise<void> => {
    const version = await store.connectionsVersion();
    if (version === seenVersion) return;
    const stored = await store.loadConnections();
    seenVersion = version;
    const wanted = new Set(stored.map(({ info }) => info.tenantId));
    for (const tenantId of [...live.keys()]) {
      if (wanted.has(tenantId)) continue;
      scheduler.remove(tenantId);
      live.delete(tenantId);
      log.info({ tenant: tenantId }, 'connection removed or disabled; tenant unscheduled');
    }
    for (const { info, connection } of stored) {
      const fingerprint = JSON.stringify(connection);
      if (live.get(info.tenantId)?.fingerprint === fingerprint) continue;
      const connector = createConnector(connection, time, () => revoked(info.tenantId));
      live.set(info.tenantId, { fingerprint, connector });
      scheduler.add(connector);
      log.info({ tenant: info.tenantId }, 'connection loaded; tenant scheduled');
    }
  };
  // HubSpot refused the refresh token: the app was uninstalled. The tenant is disabled and its tokens
  // deleted at once; the next refresh unschedules it. Its data stays until purged.
  const revoked = (tenantId: string): void => {
    void scheduler
      .background(async () => {
        if (await store.disableConnection(tenantId, time.now())) {
          log.warn(
            { tenant: tenantId },
            'OAuth tokens refused: app uninstalled; tenant disabled, tokens deleted',
          );
        }
        await refreshConnections();
      })
      .catch((error: unknown) => log.error({ err: error, tenant: tenantId }, 'disabling the tenant failed'));
  };
  // One refresh at a time: two overlapping ones would both schedule the same new tenant.
  let refreshing: Promise<void> = Promise.resolve();
  const refreshConnections = (): Promise<void> =>
    (refreshing = refreshing.catch(() => undefined).then(refreshOnce));
  try {
    // Fails fast: connections the server cannot open (no key, or an unknown one) stop it at start.
    await refreshConnections();
  } catch (error) {
    await scheduler.stop();
    await store.close();
    throw error;
  }
  const stopWatching = time.every(config.slaSweepIntervalMs, () => {
    // Tracked by the scheduler, so that `stop` waits for a refresh in flight before closing the store.
    scheduler
      .background(async () => {
        await refreshConnections();
        const purged = await purgeUninstalled(store, time.now());
        if (purged.length > 0) log.info({ tenants: purged }, 'uninstalled tenants purged after retention');
      })
      .catch((error: unknown) =>
        log.error(
          error instanceof SecretError ? { code: error.code, reason: error.message } : { err: error },
          'connections not reloaded or purged',
        ),
      );
  });

  const api = createApiRouter({
    store,
    clock: time.now,
    deadline: time.deadline,
    crmOf: (tenantId) => live.get(tenantId)?.connector ?? null,
    background: (work) => scheduler.background(work),
    syncNow: (tenantId) => scheduler.syncNow(tenantId),
    hubspot:
      config.hubspotApp && options.hubspotClock
        ? { ...config.hubspotApp, clock: options.hubspotClock }
        : config.hubspotApp,
    log,
  });
  // The browser legs of connecting a CRM, each when its app is configured.
  const oauth = Router();
  if (config.hubspotInstall) {
    oauth.use(
      hubspotInstallRouter(
        { store, settings: config.hubspotInstall, clock: time.now, connectionsChanged: refreshConnections },
        log,
      ),
    );
  }
  if (config.salesforceConnect) {
    oauth.use(
      salesforceConnectRouter(
        {
          store,
          settings: config.salesforceConnect,
          clock: time.now,
          connectionsChanged: refreshConnections,
        },
        log,
      ),
    );
  }
  const app = createApp({
    log,
    api,
    oauth,
    ready: async () => (await store.listTenants()).length > 0,
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = createHttpServer(app);
    listening.once('error', reject);
    listening.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const url =
    typeof address === 'object' && address ? `http://${config.host}:${address.port}` : String(address);
  log.info({ url, tenants: [...live.keys()] }, 'ABM Pilot server listening');

  let stopping: Promise<void> | null = null;
  return {
    url,
    store,
    scheduler,
    refreshConnections,
    stop: () =>
      (stopping ??= (async () => {
        stopWatching();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.all([closed, scheduler.stop()]);
        // A decision answered while stopping leaves its CRM write behind it: that finishes too.
        await scheduler.idle();
        await store.close();
      })()),
  };
}
