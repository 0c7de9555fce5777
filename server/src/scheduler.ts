import type { Instant } from '@abm-pilot/shared';
import type { Logger } from 'pino';

import type { CrmConnector } from './connectors/ports.ts';
import type { Store } from './store/ports.ts';
import type { SyncDeps } from './sync/syncTenant.ts';
import { sweepSlas, syncTenant } from './sync/syncTenant.ts';

// Runs each tenant's sync and SLA sweep on their intervals. A tick that finds the tenant's previous run
// still going (here or in another process: the store's lease decides) is skipped, not queued. `stop`
// lets the runs in flight finish their batch and returns once they have.

export interface SchedulerOptions {
  readonly store: Store;
  readonly connectors: readonly CrmConnector[];
  readonly syncIntervalMs: number;
  readonly slaSweepIntervalMs: number;
  readonly clock: () => Instant;
  readonly holder: string;
  readonly log: Logger;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let stopping = false;

  const launch = (connector: CrmConnector, job: 'sync' | 'sla') => {
    if (stopping) return;
    const deps: SyncDeps = { store: options.store, connector, clock: options.clock, holder: options.holder };
    const log = options.log.child({ tenant: connector.tenant.id, job });
    const run = (job === 'sync' ? syncTenant(deps) : sweepSlas(deps))
      .then((result) => {
        if (result.ok) log.info({ report: result.value }, `${job} finished`);
        else if (result.error.code === 'sync_in_progress')
          log.debug('previous run still in progress; tick skipped');
        else log.warn({ code: result.error.code, reason: result.error.message }, `${job} stopped`);
      })
      .catch((error: unknown) => log.error({ err: error }, `${job} failed`))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  };

  for (const connector of options.connectors) {
    launch(connector, 'sync');
    timers.push(setInterval(() => launch(connector, 'sync'), options.syncIntervalMs));
    timers.push(setInterval(() => launch(connector, 'sla'), options.slaSweepIntervalMs));
  }

  return {
    async stop() {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
