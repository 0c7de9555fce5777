import type { Server } from 'node:http';
import { hostname } from 'node:os';

import type { Logger } from 'pino';

import type { ServerConfig } from './config.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createConnector } from './connectors/index.ts';
import { createApp } from './http/app.ts';
import { createHttpServer } from './http/serve.ts';
import { createApiRouter } from './http/routes/index.ts';
import { createLogger } from './log.ts';
import type { Scheduler } from './scheduler.ts';
import { startScheduler } from './scheduler.ts';
import type { Store } from './store/ports.ts';
import { openSqliteStore } from './store/sqlite/sqliteStore.ts';
import { syncTenant } from './sync/syncTenant.ts';

// `npm start`: the server alone. It reads its configuration once, opens the store, starts the scheduler,
// listens, and on SIGTERM / SIGINT stops taking requests, lets the batch in flight finish (cursors are
// saved with each page), closes the store and exits, within ten seconds whatever happens.

const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const store: Store = openSqliteStore(config.dbPath);
  const clock = () => Date.now();
  const holder = `${hostname()}:${process.pid}`;
  const connectors = config.connections.map((connection) => createConnector(connection, clock));
  for (const connector of connectors) await store.upsertTenant(connector.tenant);

  const byTenant = new Map(connectors.map((connector) => [connector.tenant.id, connector]));
  const api = createApiRouter({
    store,
    clock,
    hubspot: config.hubspotApp,
    log,
    triggerSync: async (tenantId) => {
      const connector = byTenant.get(tenantId);
      if (!connector) return { started: false };
      void syncTenant({ store, connector, clock, holder }).catch((error: unknown) =>
        log.error({ err: error, tenant: tenantId }, 'triggered sync failed'),
      );
      return { started: true };
    },
  });
  const app = createApp({
    log,
    api,
    ready: async () => (await store.listTenants()).length > 0,
  });
  const scheduler: Scheduler = startScheduler({
    store,
    connectors,
    syncIntervalMs: config.syncIntervalMs,
    slaSweepIntervalMs: config.slaSweepIntervalMs,
    clock,
    holder,
    log,
  });
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
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await scheduler.stop();
        await closed;
        await store.close();
      })()),
  };
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`error invalid_config: ${error.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const running = await startServer(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1]?.endsWith('main.ts')) await main();
