import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AbmAccountFields } from '../../model.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  fields,
  openTempStore,
  page,
  T0,
  task,
  TENANT_A,
} from './testSupport.ts';

const A = TENANT_A.id;
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await temp.store.savePage(A, page('accounts', [account('a1'), account('a2')]), T0);
});
afterEach(async () => {
  await temp.cleanup();
});

async function compute(crmId: string, desired: AbmAccountFields) {
  const context = await contextOf(temp.store, A, crmId);
  const saved = await temp.store.saveComputation(A, {
    ...emptyBatch,
    accounts: [computation(context, { desiredFields: desired })],
  });
  expect(saved.ok).toBe(true);
}

describe('write-back', () => {
  it('sends every field the first time, nothing once written, and only what a new computation changed', async () => {
    await compute('a1', fields());
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([{ crmId: 'a1', fields: fields() }]);

    await temp.store.markAccountsWritten(A, [{ crmId: 'a1', fields: fields() }]);
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([]);

    await compute('a1', fields());
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([]);

    await compute('a1', fields({ score: 72, tier: 'tier_1' }));
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([
      { crmId: 'a1', fields: { tier: 'tier_1', score: 72 } },
    ]);
  });

  it('tells a field written as null from a field never written', async () => {
    await compute('a1', fields({ tier: null }));
    await temp.store.markAccountsWritten(A, [{ crmId: 'a1', fields: { score: 60 } }]);
    const [pending] = await temp.store.pendingAccountWrites(A, 10);
    expect(pending?.fields).toEqual({
      tier: null,
      slaStatus: null,
      nextSlaDueAt: null,
      tierReason: 'score 60',
      lastSyncAt: T0,
    });
  });

  it('keeps pending a field changed by a computation while the previous value was being written', async () => {
    await compute('a1', fields({ score: 60 }));
    const [inFlight] = await temp.store.pendingAccountWrites(A, 10);
    await compute('a1', fields({ score: 65 }));
    await temp.store.markAccountsWritten(A, [inFlight!]);
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([{ crmId: 'a1', fields: { score: 65 } }]);
  });

  it('puts failing accounts after the others, and clears the failure once written', async () => {
    await compute('a1', fields());
    await compute('a2', fields());
    await temp.store.markAccountWritesFailed(A, [{ id: 'a1', code: 'INVALID', message: 'bad value' }]);
    expect((await temp.store.pendingAccountWrites(A, 10)).map((write) => write.crmId)).toEqual(['a2', 'a1']);
    expect((await temp.store.pendingAccountWrites(A, 1)).map((write) => write.crmId)).toEqual(['a2']);
    await temp.store.markAccountsWritten(A, [{ crmId: 'a2', fields: fields() }]);
    await temp.store.markAccountsWritten(A, [{ crmId: 'a1', fields: fields() }]);
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([]);
  });

  it('writes nothing to a deleted account', async () => {
    await compute('a1', fields());
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a1'] }), T0);
    expect(await temp.store.pendingAccountWrites(A, 10)).toEqual([]);
  });
});

describe('the task outbox', () => {
  it('keeps one row per task key: the same alert twice is one task', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1')], T0);
    await temp.store.enqueueTasks(A, [task('k1', 'a1'), task('k1', 'a1')], T0);
    expect(await temp.store.pendingTasks(A, 10)).toEqual([
      { ...task('k1', 'a1'), crmTaskId: null, attempts: 0, lastError: null, openedAt: T0 },
    ]);
  });

  it('does not return a sent task, nor send it again when the same alert comes back', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1'), task('k2', 'a1')], T0);
    await temp.store.pendingTasks(A, 10);
    await temp.store.markTasksSent(A, new Map([['k1', 'crm-1']]));
    expect((await temp.store.pendingTasks(A, 10)).map((t) => t.key)).toEqual(['k2']);

    await temp.store.enqueueTasks(A, [task('k1', 'a1')], T0);
    expect((await temp.store.pendingTasks(A, 10)).map((t) => t.key)).toEqual(['k2']);
    expect(await temp.store.getTask(A, 'k1')).toMatchObject({ crmTaskId: 'crm-1' });
  });

  it('sends a changed task again as an update of the same CRM task', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1', { priority: 'medium' })], T0);
    await temp.store.pendingTasks(A, 10);
    await temp.store.markTasksSent(A, new Map([['k1', 'crm-1']]));
    await temp.store.enqueueTasks(
      A,
      [task('k1', 'a1', { priority: 'high', subject: 'SLA breached' })],
      T0 + DAY,
    );
    expect(await temp.store.pendingTasks(A, 10)).toEqual([
      {
        ...task('k1', 'a1', { priority: 'high', subject: 'SLA breached' }),
        crmTaskId: 'crm-1',
        attempts: 0,
        lastError: null,
        // Updating a task does not open it again: the cap counts it on the day it was opened.
        openedAt: T0,
      },
    ]);
  });

  it('keeps a task pending when it changed while its previous version was being sent', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1')], T0);
    await temp.store.pendingTasks(A, 10);
    await temp.store.enqueueTasks(A, [task('k1', 'a1', { status: 'completed' })], T0);
    await temp.store.markTasksSent(A, new Map([['k1', 'crm-1']]));
    expect(await temp.store.pendingTasks(A, 10)).toMatchObject([{ key: 'k1', status: 'completed' }]);
    await temp.store.markTasksSent(A, new Map([['k1', 'crm-1']]));
    expect(await temp.store.pendingTasks(A, 10)).toEqual([]);
  });

  it('counts failed attempts with the last error, failing tasks last', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1'), task('k2', 'a1')], T0);
    await temp.store.pendingTasks(A, 10);
    await temp.store.markTasksFailed(A, [{ id: 'k1', code: 'INVALID_OWNER', message: 'inactive user' }]);
    await temp.store.markTasksFailed(A, [{ id: 'k1', code: 'INVALID_OWNER', message: 'inactive user' }]);
    const pending = await temp.store.pendingTasks(A, 10);
    expect(pending.map((t) => [t.key, t.attempts, t.lastError])).toEqual([
      ['k2', 0, null],
      ['k1', 2, 'INVALID_OWNER: inactive user'],
    ]);
  });

  it('holds back the tasks of a deleted account', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1'), task('k2', 'a2')], T0);
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a1'] }), T0);
    expect((await temp.store.pendingTasks(A, 10)).map((t) => t.key)).toEqual(['k2']);
  });

  it('keeps a task about no account as one, and sends it whatever happens to accounts', async () => {
    const unattached = { ...task('delivery:2026-03:o1', 'a1'), accountCrmId: null };
    await temp.store.enqueueTasks(A, [unattached], T0);
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a1', 'a2'] }), T0);
    expect(await temp.store.pendingTasks(A, 10)).toEqual([
      { ...unattached, crmTaskId: null, attempts: 0, lastError: null, openedAt: T0 },
    ]);
    expect(await temp.store.getTask(A, unattached.key)).toMatchObject({ accountCrmId: null });
  });

  it('survives a restart: an unsent task is still pending, a sent one is not', async () => {
    await temp.store.enqueueTasks(A, [task('k1', 'a1'), task('k2', 'a1')], T0);
    await temp.store.pendingTasks(A, 10);
    await temp.store.markTasksSent(A, new Map([['k1', 'crm-1']]));
    const reopened = await temp.reopen();
    expect((await reopened.pendingTasks(A, 10)).map((t) => t.key)).toEqual(['k2']);
  });

  it('reads the SLA tasks still open or opened since a moment, and no task of another flow', async () => {
    await temp.store.enqueueTasks(A, [task('task:old-open', 'a1'), task('task:old-done', 'a1')], T0);
    await temp.store.enqueueTasks(A, [task('task:old-done', 'a1', { status: 'completed' })], T0);
    await temp.store.enqueueTasks(
      A,
      [
        task('task:today', 'a1', { status: 'completed' }),
        task('digest:rep:2026-12-08', 'a1'),
        task('delivery:2026-11:m1', 'a1'),
      ],
      T0 + DAY,
    );
    expect((await temp.store.slaTasks(A, T0 + DAY)).map((t) => `${t.key}:${t.status}`)).toEqual([
      'digest:rep:2026-12-08:open',
      'task:old-open:open',
      'task:today:completed',
    ]);
  });
});
