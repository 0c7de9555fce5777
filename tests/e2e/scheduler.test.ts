import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { startScheduler } from '../../server/src/scheduler.ts';
import { virtualTime } from '../../server/src/time.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld, START } from './support.ts';

let world: SalesforceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('scheduler', () => {
  it('runs sync and the SLA sweep of a tenant on their intervals, and stop() waits for the run in flight', async () => {
    world = await salesforceWorld(120);
    const time = virtualTime(START);
    const scheduler = startScheduler({
      store: world.store,
      connectors: [world.deps.connector],
      syncIntervalMs: 5 * 60_000,
      slaSweepIntervalMs: 60_000,
      time,
      holder: 'scheduler-test',
      log: pino({ level: 'silent' }),
    });
    const kindsOf = async () =>
      (await world!.store.recentRuns(world!.tenant.id, 100))
        .filter((run) => run.status === 'succeeded')
        .map((run) => run.kind)
        .sort();

    // The first sync starts at once; then one minute passes at a time, as the intervals fall due.
    await scheduler.idle();
    expect(await kindsOf()).toEqual(['sync']);
    for (let minute = 1; minute <= 5; minute += 1) {
      time.advance(60_000);
      await scheduler.idle();
    }
    expect(await kindsOf()).toEqual(['sla', 'sla', 'sla', 'sla', 'sla', 'sync', 'sync']);

    time.advance(60_000);
    await scheduler.stop();
    const runs = await world.store.recentRuns(world.tenant.id, 100);
    expect(runs.filter((run) => run.status === 'running')).toEqual([]);
    const countAfterStop = runs.length;
    time.advance(60 * 60_000);
    await scheduler.idle();
    expect(await world.store.recentRuns(world.tenant.id, 100)).toHaveLength(countAfterStop);
  });
});
