import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TempStore } from './testSupport.ts';
import { openTempStore, T0, TENANT_A, TENANT_B } from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const TTL = 60_000;
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('the tenant lease', () => {
  it('refuses a second holder until the first releases it', async () => {
    expect(await temp.store.tryAcquireLease(A, 'worker-1', TTL, T0)).toBe(true);
    expect(await temp.store.tryAcquireLease(A, 'worker-2', TTL, T0 + 1)).toBe(false);
    expect(await temp.store.releaseLease(A, 'worker-2')).toBe(false);
    expect(await temp.store.tryAcquireLease(A, 'worker-2', TTL, T0 + 2)).toBe(false);
    expect(await temp.store.releaseLease(A, 'worker-1')).toBe(true);
    expect(await temp.store.tryAcquireLease(A, 'worker-2', TTL, T0 + 3)).toBe(true);
  });

  it('lets the holder renew, and another take it once it expired', async () => {
    expect(await temp.store.tryAcquireLease(A, 'worker-1', TTL, T0)).toBe(true);
    expect(await temp.store.tryAcquireLease(A, 'worker-1', TTL, T0 + TTL - 1)).toBe(true);
    expect(await temp.store.tryAcquireLease(A, 'worker-2', TTL, T0 + TTL)).toBe(false);
    expect(await temp.store.tryAcquireLease(A, 'worker-2', TTL, T0 + 2 * TTL - 1)).toBe(true);
    expect(await temp.store.releaseLease(A, 'worker-1')).toBe(false);
  });

  it('outlives a crashed holder until it expires', async () => {
    expect(await temp.store.tryAcquireLease(A, 'worker-1', TTL, T0)).toBe(true);
    const restarted = await temp.reopen();
    expect(await restarted.tryAcquireLease(A, 'worker-2', TTL, T0 + TTL - 1)).toBe(false);
    expect(await restarted.tryAcquireLease(A, 'worker-2', TTL, T0 + TTL)).toBe(true);
  });

  it('is per tenant: holding one does not block another', async () => {
    expect(await temp.store.tryAcquireLease(A, 'worker-1', TTL, T0)).toBe(true);
    expect(await temp.store.tryAcquireLease(B, 'worker-2', TTL, T0)).toBe(true);
  });
});

describe('sync runs', () => {
  it('records start, progress and end, newest first', async () => {
    const run = await temp.store.startRun(A, { kind: 'sync', holder: 'worker-1', startedAt: T0 });
    expect(run).toMatchObject({
      kind: 'sync',
      status: 'running',
      startedAt: T0,
      finishedAt: null,
      counts: {},
    });
    await temp.store.recordRunProgress(A, run.id, { accounts: 100 }, T0 + 1);
    expect((await temp.store.recentRuns(A, 5))[0]).toMatchObject({
      counts: { accounts: 100 },
      updatedAt: T0 + 1,
    });
    await temp.store.finishRun(A, run.id, {
      status: 'succeeded',
      finishedAt: T0 + 2,
      counts: { accounts: 250 },
      error: null,
    });
    const sla = await temp.store.startRun(A, { kind: 'sla', holder: 'worker-1', startedAt: T0 + 3 });
    await temp.store.finishRun(A, sla.id, {
      status: 'failed',
      finishedAt: T0 + 4,
      counts: {},
      error: 'boom',
    });

    expect((await temp.store.recentRuns(A, 5)).map((r) => [r.kind, r.status])).toEqual([
      ['sla', 'failed'],
      ['sync', 'succeeded'],
    ]);
    expect(await temp.store.lastSucceededRun(A, 'sync')).toMatchObject({ id: run.id, finishedAt: T0 + 2 });
    expect(await temp.store.lastSucceededRun(A, 'sla')).toBeNull();
  });

  it('marks a run left running by a crash as interrupted when the next run starts', async () => {
    const crashed = await temp.store.startRun(A, { kind: 'sync', holder: 'worker-1', startedAt: T0 });
    const other = await temp.store.startRun(B, { kind: 'sync', holder: 'worker-9', startedAt: T0 });
    const restarted = await temp.reopen();
    await restarted.startRun(A, { kind: 'sync', holder: 'worker-2', startedAt: T0 + 10 });
    const [latest, previous] = await restarted.recentRuns(A, 5);
    expect(latest).toMatchObject({ holder: 'worker-2', status: 'running' });
    expect(previous).toMatchObject({ id: crashed.id, status: 'interrupted', updatedAt: T0 + 10 });
    expect((await restarted.recentRuns(B, 5))[0]).toMatchObject({ id: other.id, status: 'running' });
  });
});
