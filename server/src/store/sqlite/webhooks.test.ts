import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { SyncKind } from '../../model.ts';
import type { WebhookEvent } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import { DAY, openTempStore, T0, TENANT_A, TENANT_B } from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;

const event = (eventId: string, objectId: string, overrides: Partial<WebhookEvent> = {}): WebhookEvent => ({
  eventId,
  objectType: 'accounts',
  objectId,
  occurredAt: T0,
  ...overrides,
});

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('recording webhook events', () => {
  it('deduplicates by event id, within a batch and across deliveries', async () => {
    const batch = [event('e1', 'c1'), event('e2', 'c2'), event('e1', 'c1')];
    expect(await temp.store.recordWebhookEvents(A, batch, T0 + 10)).toEqual({ recorded: 2, duplicates: 1 });
    expect(await temp.store.recordWebhookEvents(A, batch, T0 + 20)).toEqual({ recorded: 0, duplicates: 3 });
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([
      { kind: 'accounts', crmId: 'c1', lastOccurredAt: T0, pendingSince: T0 + 10 },
      { kind: 'accounts', crmId: 'c2', lastOccurredAt: T0, pendingSince: T0 + 10 },
    ]);
  });

  it('collapses events on one record into one hint, keeping its place in the queue', async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1', { occurredAt: T0 + 5 })], T0 + 10);
    await temp.store.recordWebhookEvents(A, [event('e2', 'c2')], T0 + 20);
    await temp.store.recordWebhookEvents(A, [event('e3', 'c1', { occurredAt: T0 + 1 })], T0 + 30);
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([
      { kind: 'accounts', crmId: 'c1', lastOccurredAt: T0 + 5, pendingSince: T0 + 10 },
      { kind: 'accounts', crmId: 'c2', lastOccurredAt: T0, pendingSince: T0 + 20 },
    ]);
  });

  it('tells records of different kinds apart under the same id', async () => {
    const kinds: SyncKind[] = ['deals', 'accounts', 'owners'];
    await temp.store.recordWebhookEvents(
      A,
      kinds.map((objectType, i) => event(`e${i}`, 'x1', { objectType })),
      T0,
    );
    expect((await temp.store.takeSyncHints(A, 10)).map((hint) => hint.kind)).toEqual([
      'accounts',
      'deals',
      'owners',
    ]);
  });

  it('refuses an object type outside the sync kinds, saving none of the batch', async () => {
    await expect(
      temp.store.recordWebhookEvents(
        A,
        [event('e1', 'c1'), event('e2', 'c2', { objectType: 'companies' as SyncKind })],
        T0,
      ),
    ).rejects.toThrow(/companies/);
    expect(await temp.store.recordWebhookEvents(A, [event('e1', 'c1')], T0)).toEqual({
      recorded: 1,
      duplicates: 0,
    });
  });
});

describe('sync hints', () => {
  it('stay pending until marked done, and are taken again after a crash', async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1'), event('e2', 'c2')], T0);
    expect(await temp.store.takeSyncHints(A, 1)).toMatchObject([{ crmId: 'c1' }]);
    // The engine died before marking: the hint is still there.
    const again = await temp.store.takeSyncHints(A, 10);
    expect(again.map((hint) => hint.crmId)).toEqual(['c1', 'c2']);
    await temp.store.markHintsDone(A, again);
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([]);
  });

  it('keep a record hinted while it was being synced pending, in its place in the queue', async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1'), event('e2', 'c2')], T0);
    const taken = await temp.store.takeSyncHints(A, 10);
    await temp.store.recordWebhookEvents(A, [event('e3', 'c1', { occurredAt: T0 + 7 })], T0 + 5);
    await temp.store.markHintsDone(A, taken);
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([
      { kind: 'accounts', crmId: 'c1', lastOccurredAt: T0 + 7, pendingSince: T0 },
    ]);
    await temp.store.markHintsDone(A, [{ kind: 'accounts', crmId: 'c1' }]);
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([]);

    await temp.store.recordWebhookEvents(A, [event('e4', 'c1')], T0 + 9);
    expect(await temp.store.takeSyncHints(A, 10)).toMatchObject([{ crmId: 'c1', pendingSince: T0 + 9 }]);
  });

  it('mark nothing done that was not taken', async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1')], T0);
    await temp.store.markHintsDone(A, [{ kind: 'accounts', crmId: 'c1' }]);
    expect(await temp.store.takeSyncHints(A, 10)).toHaveLength(1);
  });
});

describe('tenants and purging', () => {
  it("keeps each tenant's events and hints to itself", async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1')], T0);
    expect(await temp.store.recordWebhookEvents(B, [event('e1', 'c1')], T0)).toEqual({
      recorded: 1,
      duplicates: 0,
    });
    const takenA = await temp.store.takeSyncHints(A, 10);
    await temp.store.markHintsDone(B, takenA);
    await temp.store.markHintsDone(A, takenA);
    expect(await temp.store.takeSyncHints(A, 10)).toEqual([]);
    expect(await temp.store.takeSyncHints(B, 10)).toHaveLength(1);
    expect(await temp.store.purgeWebhookEvents(B, T0 + DAY)).toBe(1);
    expect(await temp.store.recordWebhookEvents(A, [event('e1', 'c1')], T0 + 1)).toMatchObject({
      duplicates: 1,
    });
  });

  it('forgets event ids received before the horizon, so only then may an id count again', async () => {
    await temp.store.recordWebhookEvents(A, [event('e1', 'c1')], T0);
    await temp.store.recordWebhookEvents(A, [event('e2', 'c1')], T0 + DAY);
    expect(await temp.store.purgeWebhookEvents(A, T0)).toBe(0);
    expect(await temp.store.purgeWebhookEvents(A, T0 + 1)).toBe(1);
    expect(
      await temp.store.recordWebhookEvents(A, [event('e1', 'c1'), event('e2', 'c1')], T0 + 2 * DAY),
    ).toEqual({
      recorded: 1,
      duplicates: 1,
    });
  });
});
