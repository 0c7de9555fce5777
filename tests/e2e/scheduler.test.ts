import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { startScheduler } from '../../server/src/scheduler.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld } from './support.ts';

let world: SalesforceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('scheduler', () => {
  it('runs sync and the SLA sweep of a tenant on their intervals, and stop() waits for the run in flight', async () => {
    world = await salesforceWorld(120);
    const scheduler = startScheduler({
      store: world.store,
      connectors: [world.deps.connector],
      syncIntervalMs: 40,
      slaSweepIntervalMs: 25,
      clock: world.now,
      holder: 'scheduler-test',
      log: pino({ level: 'silent' }),
    });
    const runsOf = async () => world!.store.recentRuns(world!.tenant.id, 100);
    await expect
      .poll(async () => (await runsOf()).filter((run) => run.status === 'succeeded').map((run) => run.kind), {
        timeout: 20_000,
        interval: 50,
      })
      .toEqual(expect.arrayContaining(['sync', 'sync', 'sla']));

    await scheduler.stop();

    const runs = await runsOf();
    expect(runs.filter((run) => run.status === 'running')).toEqual([]);
    const countAfterStop = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await runsOf()).toHaveLength(countAfterStop);
  });
});
