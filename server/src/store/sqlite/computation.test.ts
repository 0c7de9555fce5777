import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TempStore } from './testSupport.ts';
import {
  account,
  approval,
  audit,
  computation,
  contact,
  contextOf,
  DAY,
  deal,
  emptyBatch,
  engagement,
  fields,
  openTempStore,
  owner,
  page,
  score,
  slaInstance,
  T0,
  TENANT_A,
} from './testSupport.ts';

const A = TENANT_A.id;
const a1 = account('a1', { strategic: true, intentScore: 42, crmTier: 'tier_2', employees: null });
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  const { store } = temp;
  await store.savePage(A, page('owners', [owner('o1'), owner('m1', { managerCrmId: null })]), T0);
  await store.savePage(A, page('accounts', [a1, account('a2', { ownerCrmId: null }), account('a3')]), T0);
  await store.savePage(
    A,
    page('contacts', [
      contact('c1', 'a1', { buyingRole: 'champion' }),
      contact('c2', 'a1', { buyingRole: 'decision_maker' }),
      contact('c3', 'a1', { buyingRole: 'champion' }),
      contact('c4', 'a1'),
    ]),
    T0,
  );
  await store.savePage(
    A,
    page('deals', [
      deal('d1', 'a1', { amount: 1_000 }),
      deal('d2', 'a1', { amount: null }),
      deal('d3', 'a1', { stage: 'won', amount: 5_000, closedAt: T0 - 10 * DAY }),
      deal('d4', 'a1', { stage: 'won', amount: 2_000, closedAt: T0 - 5 * DAY }),
      deal('d5', 'a1', { stage: 'lost', amount: 9_000, closedAt: T0 - DAY }),
    ]),
    T0,
  );
  await store.savePage(
    A,
    page('engagements', [
      engagement('e-old', 'a1', { occurredAt: T0 - 100 * DAY }),
      engagement('e2', 'a1', { occurredAt: T0 - 2 * DAY, kind: 'meeting' }),
      engagement('e1', 'a1', { occurredAt: T0 - 3 * DAY }),
      engagement('e3', 'a2', { occurredAt: T0 - DAY }),
    ]),
    T0,
  );
});
afterEach(async () => {
  await temp.cleanup();
});

describe('loading account contexts', () => {
  it('gathers the account, owner, buying roles, deal totals and recent engagements', async () => {
    const context = await contextOf(temp.store, A, 'a1');
    expect(context.account).toEqual(a1);
    expect(context.owner).toEqual(owner('o1'));
    expect(context.contactCount).toBe(4);
    expect(context.buyingRoles).toEqual(['champion', 'decision_maker']);
    expect(context.deals).toEqual({
      openCount: 2,
      openAmount: 1_000,
      wonCount: 2,
      wonAmount: 7_000,
      lostCount: 1,
      lastWonAt: T0 - 5 * DAY,
    });
    expect(context.engagements.map((e) => e.crmId)).toEqual(['e1', 'e2']);
    expect(context.state).toMatchObject({ score: null, assignedTier: null, computedRevision: 0 });
    expect(context.state.revision).toBeGreaterThan(0);
    expect(context.slaInstances).toEqual([]);
    expect(context.pendingApproval).toBeNull();
    expect(context.writeBack).toEqual({ desired: null, written: {} });
  });

  it('answers in the order asked, once per account, leaving out unknown ones', async () => {
    const contexts = await temp.store.loadAccountContexts(A, ['a3', 'nope', 'a1', 'a3', 'a2'], T0 - 90 * DAY);
    expect(contexts.map((c) => c.account.crmId)).toEqual(['a3', 'a1', 'a2']);
    const a2 = contexts[2];
    expect(a2?.owner).toBeNull();
    expect(a2?.deals).toMatchObject({ openCount: 0, wonAmount: 0, lastWonAt: null });
  });

  it('reads across chunks: 1,200 accounts asked at once come back complete', async () => {
    const ids = Array.from({ length: 1_200 }, (_, i) => `x${String(i).padStart(4, '0')}`);
    await temp.store.savePage(
      A,
      page(
        'accounts',
        ids.map((id) => account(id)),
      ),
      T0,
    );
    await temp.store.savePage(
      A,
      page(
        'contacts',
        ids.map((id) => contact(`c-${id}`, id)),
      ),
      T0,
    );
    const contexts = await temp.store.loadAccountContexts(A, ids, 0);
    expect(contexts.map((c) => c.account.crmId)).toEqual(ids);
    expect(contexts.every((c) => c.contactCount === 1)).toBe(true);
  });
});

describe('saving a computation', () => {
  it('saves score, tiers, drift, SLA instances, audit, approvals and tasks in one go', async () => {
    const context = await contextOf(temp.store, A, 'a1');
    const instance = slaInstance('a1');
    const result = await temp.store.saveComputation(A, {
      accounts: [
        computation(context, {
          score: score(81, 'model-7'),
          recommendedTier: 'tier_1',
          drift: { assigned: 'tier_2', recommended: 'tier_1', steps: 1, direction: 'below' },
          slaInstances: [instance],
        }),
      ],
      audit: [audit('a1', T0)],
      approvals: [approval('p1', 'a1')],
    });
    expect(result).toEqual({ ok: true, value: { saved: 1 } });

    const after = await contextOf(temp.store, A, 'a1');
    expect(after.state).toEqual({
      revision: context.state.revision,
      computedRevision: context.state.revision,
      score: { ...score(81, 'model-7'), computedAt: T0 },
      recommendedTier: 'tier_1',
      drift: { assigned: 'tier_2', recommended: 'tier_1', steps: 1, direction: 'below' },
      assignedTier: 'tier_2',
      tieredAt: T0,
      lastReviewedAt: null,
      tierLedger: [],
    });
    expect(after.slaInstances).toEqual([instance]);
    expect(after.pendingApproval).toEqual(approval('p1', 'a1'));
    expect(after.writeBack.desired).toEqual(fields());
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a2', 'a3']);
    expect((await temp.store.accountAudit(A, 'a1', { limit: 10 })).entries).toHaveLength(1);
  });

  it('replaces the SLA instances of the account', async () => {
    const first = await contextOf(temp.store, A, 'a1');
    const started = slaInstance('a1');
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [computation(first, { slaInstances: [started] })],
    });
    const second = await contextOf(temp.store, A, 'a1');
    const stopped = { ...started, stoppedAt: T0 + DAY, stopReason: 'first_touch' };
    const next = slaInstance('a1', { startedAt: T0 + 2 * DAY });
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [computation(second, { slaInstances: [stopped, next] })],
    });
    expect((await contextOf(temp.store, A, 'a1')).slaInstances).toEqual([stopped, next]);
    expect(await temp.store.openSlaInstances(A)).toEqual([next]);
  });

  it('refuses the whole batch when an account changed since its context was read', async () => {
    const [a1, a2] = await temp.store.loadAccountContexts(A, ['a1', 'a2'], 0);
    await temp.store.savePage(A, page('contacts', [contact('c9', 'a2')]), T0);
    const result = await temp.store.saveComputation(A, {
      accounts: [computation(a1!), computation(a2!)],
      audit: [audit('a1', T0)],
      approvals: [approval('p1', 'a1')],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'stale_context', accountCrmIds: ['a2'] } });
    expect((await contextOf(temp.store, A, 'a1')).state.score).toBeNull();
    expect((await temp.store.tenantAudit(A, { limit: 10 })).entries).toEqual([]);
    expect(await temp.store.getApproval(A, 'p1')).toBeNull();
  });

  it('refuses a computation of an account deleted since', async () => {
    const context = await contextOf(temp.store, A, 'a3');
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a3'] }), T0);
    const result = await temp.store.saveComputation(A, { ...emptyBatch, accounts: [computation(context)] });
    expect(result).toMatchObject({ ok: false, error: { accountCrmIds: ['a3'] } });
  });

  it('throws and saves nothing when a batch opens two pending approvals for one account', async () => {
    const context = await contextOf(temp.store, A, 'a1');
    await expect(
      temp.store.saveComputation(A, {
        ...emptyBatch,
        accounts: [computation(context)],
        approvals: [approval('p1', 'a1'), approval('p2', 'a1')],
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect((await contextOf(temp.store, A, 'a1')).state.score).toBeNull();
  });
});

describe('tier counts and running SLA clocks', () => {
  it('counts live accounts by the tier ABM Pilot assigned', async () => {
    const contexts = await temp.store.loadAccountContexts(A, ['a1', 'a2', 'a3'], 0);
    const [a1, a2, a3] = contexts;
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [
        computation(a1!, { assignedTier: 'tier_1' }),
        computation(a2!, { assignedTier: 'tier_1' }),
        computation(a3!, { assignedTier: null }),
      ],
    });
    expect(await temp.store.tierCounts(A)).toEqual({ tier_1: 2, tier_2: 0, tier_3: 0 });
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a2'] }), T0);
    expect(await temp.store.tierCounts(A)).toEqual({ tier_1: 1, tier_2: 0, tier_3: 0 });
  });

  it('lists running instances of live accounts, earliest due first', async () => {
    const [a1, a2, a3] = await temp.store.loadAccountContexts(A, ['a1', 'a2', 'a3'], 0);
    const late = slaInstance('a1', { dueAt: T0 + 5 * DAY });
    const soon = slaInstance('a2', { dueAt: T0 + DAY });
    const gone = slaInstance('a3');
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [
        computation(a1!, { slaInstances: [late] }),
        computation(a2!, { slaInstances: [soon] }),
        computation(a3!, { slaInstances: [gone] }),
      ],
    });
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a3'] }), T0);
    expect(await temp.store.openSlaInstances(A)).toEqual([soon, late]);
  });
});
