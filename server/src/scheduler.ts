import type { Logger } from 'pino';

import type { CrmConnector } from './connectors/ports.ts';
import type { Store } from './store/ports.ts';
import type { Time } from './time.ts';
import type { SyncDeps, SyncProgress } from './usecases/runSync.ts';
import { sweepSlas, syncTenant } from './usecases/runSync.ts';

// Runs each tenant's sync and SLA sweep on their intervals, the syncs asked for through the API, and the
// work a decision leaves behind it (its immediate CRM write). A tenant's jobs run one after the other here;
// a tick that finds the same job of the tenant still running or waiting is skipped, not queued twice, and
// across processes the store's lease keeps one run per tenant. Tenants join and leave while it runs (a
// connection added, changed or removed in the store): a leaving tenant's timers stop at once and its run
// in flight finishes. `stop` waits for everything started here.

export interface SchedulerOptions {
  readonly store: Store;
  /** The tenants scheduled from the start; `add` and `remove` change them later. */
  readonly connectors: readonly CrmConnector[];
  readonly syncIntervalMs: number;
  readonly slaSweepIntervalMs: number;
  readonly time: Time;
  readonly holder: string;
  readonly log: Logger;
  /** Sees every run's progress (a progress line, a status). */
  readonly onProgress?: (progress: SyncProgress) => void;
}

export interface Scheduler {
  /** Schedules the tenant of `connector` (its first sync now), replacing its previous connector if any. */
  add(connector: CrmConnector): void;
  /** Stops scheduling the tenant; a run of it in flight finishes. */
  remove(tenantId: string): void;
  /** Starts a sync of the tenant now; `false` when one started here is still running or none can start. */
  syncNow(tenantId: string): boolean;
  /** Runs work that outlives the request that started it; `stop` waits for it. */
  background<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once nothing started here is in flight (and nothing new started while waiting). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

type Job = 'sync' | 'sla';

export function startScheduler(options: SchedulerOptions): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const running = new Map<string, Promise<unknown>>();
  const prepared = new WeakSet<CrmConnector>();
  const scheduled = new Map<string, { connector: CrmConnector; cancels: (() => void)[] }>();
  let stopping = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };

  /** Creates what ABM Pilot needs in the CRM once per process, before the first sync of the tenant. */
  const prepare = async (connector: CrmConnector, log: Logger): Promise<void> => {
    if (prepared.has(connector)) return;
    const result = await connector.prepare();
    if (result.ok) prepared.add(connector);
    else log.warn({ code: result.error.code, reason: result.error.message }, 'CRM not ready for ABM Pilot');
  };

  // A tenant's jobs run one after the other in this process: a sweep falling due during a sync runs right
  // after it instead of losing the lease race and waiting for its next tick.
  const tenantQueues = new Map<string, Promise<unknown>>();

  const launch = (connector: CrmConnector, job: Job): boolean => {
    const key = `${connector.tenant.id}:${job}`;
    if (stopping || running.has(key)) return false;
    const deps: SyncDeps = {
      store: options.store,
      connector,
      clock: options.time.now,
      holder: options.holder,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    const log = options.log.child({ tenant: connector.tenant.id, job });
    const queued = tenantQueues.get(connector.tenant.id) ?? Promise.resolve();
    const run = (async () => {
      await queued;
      if (job === 'sync') await prepare(connector, log);
      const result = await (job === 'sync' ? syncTenant(deps) : sweepSlas(deps));
      if (result.ok) log.info({ report: result.value }, `${job} finished`);
      else if (result.error.code === 'sync_in_progress')
        log.debug('previous run still in progress; tick skipped');
      else log.warn({ code: result.error.code, reason: result.error.message }, `${job} stopped`);
    })()
      .catch((error: unknown) => log.error({ err: error }, `${job} failed`))
      .finally(() => running.delete(key));
    tenantQueues.set(connector.tenant.id, run);
    running.set(key, run);
    void track(run);
    return true;
  };

  const remove = (tenantId: string): void => {
    for (const cancel of scheduled.get(tenantId)?.cancels ?? []) cancel();
    scheduled.delete(tenantId);
  };

  const add = (connector: CrmConnector): void => {
    if (stopping) return;
    remove(connector.tenant.id);
    scheduled.set(connector.tenant.id, {
      connector,
      cancels: [
        options.time.every(options.syncIntervalMs, () => launch(connector, 'sync')),
        options.time.every(options.slaSweepIntervalMs, () => launch(connector, 'sla')),
      ],
    });
    launch(connector, 'sync');
  };

  for (const connector of options.connectors) add(connector);

  const idle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  return {
    add,
    remove,
    syncNow(tenantId) {
      const connector = scheduled.get(tenantId)?.connector;
      return connector === undefined ? false : launch(connector, 'sync');
    },
    background: (work) => track(work()),
    idle,
    async stop() {
      stopping = true;
      for (const tenantId of [...scheduled.keys()]) remove(tenantId);
      await idle();
    },
  };
}
