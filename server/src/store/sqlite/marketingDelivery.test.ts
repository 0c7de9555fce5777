import type { SlaInstance } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, handoverDelivery } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DeliveryMonthRecord } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  openTempStore,
  page,
  slaInstance,
  T0,
  task,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await temp.store.savePage(A, page('accounts', [account('a1'), account('a2'), account('a3')]), T0);
  await temp.store.savePage(B, page('accounts', [account('a1')]), T0);
});
afterEach(async () => {
  await temp.cleanup();
});

const handover = (accountId: string, startedAt: number, overrides: Partial<SlaInstance> = {}) =>
  slaInstance(accountId, {
    key: `sales_feedback:${accountId}:${startedAt}`,
    kind: 'sales_feedback',
    startedAt,
    ...overrides,
  });

async function clocks(tenantId: string, accountId: string, instances: readonly SlaInstance[]) {
  const context = await contextOf(temp.store, tenantId, accountId);
  const saved = await temp.store.saveComputation(tenantId, {
    ...emptyBatch,
    accounts: [computation(context, { slaInstances: instances })],
  });
  expect(saved.ok).toBe(true);
}

const monthRecord = (month: string, overrides: Partial<DeliveryMonthRecord> = {}): DeliveryMonthRecord => {
  const period = { start: T0, end: T0 + 30 * DAY };
  return {
    month,
    periodStart: period.start,
    periodEnd: period.end,
    delivery: handoverDelivery([], period, DEFAULT_GOVERNANCE_CONFIG),
    minAcceptanceRate: 0.6,
    missed: true,
    configVersion: 1,
    recordedAt: period.end + 60_000,
    ...overrides,
  };
};

describe('handovers of a period', () => {
  it('lists the sales_feedback clocks started in it with sales’ answers, oldest first, and nothing else', async () => {
    await clocks(A, 'a1', [
      handover('a1', T0 + DAY, {
        tier: 'tier_1',
        stoppedAt: T0 + 2 * DAY,
        stopReason: 'qualified',
        handoverDecision: 'accepted',
      }),
      slaInstance('a1', { startedAt: T0 + DAY }),
    ]);
    await clocks(A, 'a2', [handover('a2', T0), handover('a2', T0 - 1, { stoppedAt: T0 })]);
    await clocks(A, 'a3', [handover('a3', T0 + 10 * DAY)]);
    await clocks(B, 'a1', [handover('a1', T0 + DAY)]);

    expect(await temp.store.handoversStarted(A, T0, T0 + 10 * DAY)).toEqual([
      { accountId: 'a2', tier: 'tier_2', startedAt: T0, stoppedAt: null, handoverDecision: null },
      {
        accountId: 'a1',
        tier: 'tier_1',
        startedAt: T0 + DAY,
        stoppedAt: T0 + 2 * DAY,
        handoverDecision: 'accepted',
      },
    ]);
  });
});

describe('watching marketing delivery', () => {
  it('starts at the first call and keeps that start, per tenant', async () => {
    expect(await temp.store.marketingDeliveryWatchedSince(A)).toBeNull();
    expect(await temp.store.watchMarketingDelivery(A, T0)).toBe(T0);
    expect(await temp.store.watchMarketingDelivery(A, T0 + DAY)).toBe(T0);
    expect(await temp.store.marketingDeliveryWatchedSince(A)).toBe(T0);
    expect(await temp.store.marketingDeliveryWatchedSince(B)).toBeNull();
  });
});

describe('recording a month', () => {
  it('records the month with the tasks it raises, once: a second record leaves both as they are', async () => {
    const raised = [{ ...task('delivery:2026-12:m1', 'a1'), accountCrmId: null }];
    expect(await temp.store.recordDeliveryMonth(A, monthRecord('2026-12'), raised)).toBe(true);
    await temp.store.pendingTasks(A, 10);
    await temp.store.markTasksSent(A, new Map([['delivery:2026-12:m1', 'crm-1']]));

    const again = await temp.store.recordDeliveryMonth(
      A,
      monthRecord('2026-12', { missed: false, recordedAt: T0 + 40 * DAY }),
      [{ ...raised[0]!, subject: 'Something else' }],
    );

    expect(again).toBe(false);
    expect(await temp.store.deliveryMonths(A, 10)).toEqual([monthRecord('2026-12')]);
    expect(await temp.store.pendingTasks(A, 10)).toEqual([]);
    expect(await temp.store.getTask(A, 'delivery:2026-12:m1')).toMatchObject({ subject: raised[0]!.subject });
  });

  it('records neither the month nor any of its tasks when one of them cannot be saved', async () => {
    const broken = { ...task('delivery:2026-12:m2', 'a1'), subject: null as unknown as string };
    await expect(
      temp.store.recordDeliveryMonth(A, monthRecord('2026-12'), [task('delivery:2026-12:m1', 'a1'), broken]),
    ).rejects.toThrow();
    expect(await temp.store.deliveryMonths(A, 10)).toEqual([]);
    expect(await temp.store.getTask(A, 'delivery:2026-12:m1')).toBeNull();
  });

  it('lists the months newest first, as many as asked, each tenant its own', async () => {
    for (const month of ['2026-10', '2026-12', '2026-11']) {
      await temp.store.recordDeliveryMonth(A, monthRecord(month), []);
    }
    await temp.store.recordDeliveryMonth(B, monthRecord('2027-01'), []);
    expect((await temp.store.deliveryMonths(A, 2)).map((month) => month.month)).toEqual([
      '2026-12',
      '2026-11',
    ]);
    expect((await temp.store.deliveryMonths(B, 10)).map((month) => month.month)).toEqual(['2027-01']);
  });

  it('keeps the months across a restart', async () => {
    await temp.store.recordDeliveryMonth(A, monthRecord('2026-12'), []);
    const reopened = await temp.reopen();
    expect(await reopened.deliveryMonths(A, 10)).toEqual([monthRecord('2026-12')]);
  });
});
