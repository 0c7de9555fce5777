import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ImportedHistory } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  approval,
  audit,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  openTempStore,
  page,
  slaInstance,
  T0,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const running = slaInstance('a1');
const MONTHS_AGO = T0 - 120 * DAY;

const history = (overrides: Partial<ImportedHistory> = {}): ImportedHistory => ({
  audit: [audit('a1', MONTHS_AGO, { route: 'tier_1', outcome: 'approved', toTier: 'tier_1' })],
  approvals: [
    approval('apr_old', 'a1', {
      requestedAt: MONTHS_AGO - DAY,
      state: 'approved',
      decidedAt: MONTHS_AGO,
      decidedBy: { userId: 'chief', role: 'chief_abm_officer' },
    }),
  ],
  slaInstances: [
    slaInstance('a1', { startedAt: MONTHS_AGO, stoppedAt: MONTHS_AGO + DAY, stopReason: 'first_touch' }),
    slaInstance('a2', {
      startedAt: MONTHS_AGO,
      stoppedAt: MONTHS_AGO + 3 * DAY,
      stopReason: 'first_touch',
    }),
  ],
  tieredSince: [{ accountCrmId: 'a1', at: MONTHS_AGO }],
  ...overrides,
});

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  for (const tenant of [A, B]) {
    await temp.store.savePage(tenant, page('accounts', [account('a1'), account('a2')]), T0);
    const contexts = await temp.store.loadAccountContexts(tenant, ['a1', 'a2'], 0);
    await temp.store.saveComputation(tenant, {
      ...emptyBatch,
      accounts: contexts.map((c) =>
        computation(c, { slaInstances: c.account.crmId === 'a1' ? [running] : [] }),
      ),
    });
  }
});
afterEach(async () => {
  await temp.cleanup();
});

describe('importing history', () => {
  it('keeps the imported clocks beside the running ones and shows every record in the metrics', async () => {
    const counts = await temp.store.importHistory(A, history());

    expect(counts).toEqual({ audit: 1, approvals: 1, slaInstances: 2 });
    const a1 = await contextOf(temp.store, A, 'a1');
    expect(a1.slaInstances.map((instance) => instance.startedAt)).toEqual([MONTHS_AGO, T0]);
    expect(a1.state.tieredAt).toBe(MONTHS_AGO);
    const metrics = await temp.store.listAccountsForMetrics(A);
    expect(metrics.slaOutcomes).toHaveLength(3);
    expect(metrics.approvals).toMatchObject([{ accountId: 'a1', state: 'approved', decidedAt: MONTHS_AGO }]);
    expect(metrics.tierChanges).toEqual([{ accountId: 'a1', at: MONTHS_AGO, route: 'tier_1' }]);
  });

  it('moves the revision of the accounts it touched, so a computation read before it is read again', async () => {
    const before = await contextOf(temp.store, A, 'a1');
    await temp.store.importHistory(A, history());

    const saved = await temp.store.saveComputation(A, { ...emptyBatch, accounts: [computation(before)] });

    expect(saved).toMatchObject({ ok: false, error: { code: 'stale_context', accountCrmIds: ['a1'] } });
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1', 'a2']);
  });

  it('records nothing twice, leaves out removed or unknown accounts, and touches no other tenant', async () => {
    await temp.store.importHistory(A, history());
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a2'] }), T0 + 1);

    const again = await temp.store.importHistory(
      A,
      history({
        audit: [audit('gone', MONTHS_AGO)],
        tieredSince: [{ accountCrmId: 'unknown', at: MONTHS_AGO }],
      }),
    );

    expect(again).toEqual({ audit: 0, approvals: 0, slaInstances: 0 });
    expect((await temp.store.listAccountsForMetrics(A)).slaOutcomes).toHaveLength(3);
    const other = await temp.store.listAccountsForMetrics(B);
    expect(other.slaOutcomes).toHaveLength(1);
    expect(other.approvals).toEqual([]);
    expect(other.tierChanges).toEqual([]);
    expect((await contextOf(temp.store, B, 'a1')).state.tieredAt).toBe(T0);
  });
});
