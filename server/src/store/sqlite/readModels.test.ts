import { computeGovernanceMetrics, DEFAULT_GOVERNANCE_CONFIG } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TempStore } from './testSupport.ts';
import {
  account,
  approval,
  audit,
  computation,
  contextOf,
  DAY,
  deal,
  emptyBatch,
  openTempStore,
  owner,
  page,
  score,
  slaInstance,
  T0,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const rep = { userId: 'rep-1', role: 'sales_rep' } as const;

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

async function finishedRun(
  tenantId: string,
  kind: 'sync' | 'sla',
  at: number,
  status: 'succeeded' | 'failed',
) {
  const run = await temp.store.startRun(tenantId, { kind, holder: 'h', startedAt: at - 10 });
  await temp.store.finishRun(tenantId, run.id, { status, finishedAt: at, counts: {}, error: null });
}

describe('the account card', () => {
  beforeEach(async () => {
    await temp.store.savePage(A, page('owners', [owner('o1', { team: 'emea-east' })]), T0);
    await temp.store.savePage(
      A,
      page('accounts', [account('a1'), account('a2', { ownerCrmId: 'o-unknown' }), account('a3')]),
      T0,
    );
    await temp.store.replaceUserRoles(A, [{ crmUserId: 'o1', roles: ['sales_rep', 'abm_manager'] }], {
      at: T0,
      by: null,
    });
  });

  it('shows a never computed account with its owner and roles, and no score', async () => {
    const card = await temp.store.accountCard(A, 'a1');
    expect(card).toEqual({
      account: (({ mergedFromCrmIds: _, ...fields }) => fields)(account('a1')),
      state: {
        revision: 1,
        computedRevision: 0,
        score: null,
        recommendedTier: null,
        drift: null,
        assignedTier: null,
        tieredAt: null,
        lastReviewedAt: null,
        tierLedger: [],
      },
      owner: owner('o1', { team: 'emea-east' }),
      ownerRoles: ['abm_manager', 'sales_rep'],
      abmOwner: null,
      executiveSponsor: null,
      slaInstances: [],
      pendingApproval: null,
      lastHandoverFeedback: null,
      lastReview: null,
      lastSyncAt: null,
    });
    expect((await temp.store.accountCard(A, 'a2'))?.owner).toBeNull();
  });

  it('shows the score, tiers, SLA clocks, pending approval, latest feedback and last successful sync', async () => {
    const followUp = slaInstance('a1', { startedAt: T0 - DAY });
    const feedbackClock = slaInstance('a1', { kind: 'sales_feedback', key: 'sales_feedback:a1:x' });
    const [context] = await temp.store.loadAccountContexts(A, ['a1'], 0);
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [computation(context!, { score: score(72), slaInstances: [feedbackClock, followUp] })],
      approvals: [approval('p1', 'a1')],
    });
    for (const [at, decision] of [
      [T0 + 2, 'rejected'],
      [T0 + 1, 'accepted'],
    ] as const) {
      const current = await contextOf(temp.store, A, 'a1');
      await temp.store.recordHandoverFeedback(A, {
        feedback: { accountCrmId: 'a1', decision, reasonCode: 'x', at, actor: rep },
        basedOnRevision: current.state.revision,
      });
    }
    await finishedRun(A, 'sync', T0 + 100, 'succeeded');
    await finishedRun(A, 'sync', T0 + 200, 'failed');
    await finishedRun(A, 'sla', T0 + 300, 'succeeded');

    const card = await temp.store.accountCard(A, 'a1');
    expect(card?.state).toMatchObject({ assignedTier: 'tier_2', recommendedTier: 'tier_2' });
    expect(card?.state.score).toEqual({ ...score(72), computedAt: T0 });
    expect(card?.slaInstances).toEqual([followUp, feedbackClock]);
    expect(card?.pendingApproval).toEqual(approval('p1', 'a1'));
    expect(card?.lastHandoverFeedback).toMatchObject({ decision: 'rejected', at: T0 + 2, actor: rep });
    expect(card?.lastSyncAt).toBe(T0 + 100);
  });

  it('answers null for a deleted, merged-away, unknown or other tenant account', async () => {
    await temp.store.savePage(
      A,
      page('accounts', [account('a1', { modifiedAt: T0 + 1, mergedFromCrmIds: ['a2'] })]),
      T0,
    );
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a3'] }), T0);
    expect(await temp.store.accountCard(A, 'a1')).not.toBeNull();
    expect(await temp.store.accountCard(A, 'a2')).toBeNull();
    expect(await temp.store.accountCard(A, 'a3')).toBeNull();
    expect(await temp.store.accountCard(A, 'nope')).toBeNull();
    expect(await temp.store.accountCard(B, 'a1')).toBeNull();
  });
});

describe('the governance metrics input', () => {
  beforeEach(async () => {
    await temp.store.savePage(
      A,
      page('owners', [owner('o1', { team: 'emea' }), owner('o2', { team: null })]),
      T0,
    );
    await temp.store.savePage(
      A,
      page('accounts', [
        account('a1'),
        account('a2', { ownerCrmId: 'o2', crmTier: 'tier_1' }),
        account('a3', { ownerCrmId: null }),
        account('gone'),
      ]),
      T0,
    );
    await temp.store.savePage(
      A,
      page('deals', [
        deal('d1', 'a1', { amount: 50_000, stage: 'won', closedAt: T0 }),
        deal('d2', null, { amount: null }),
        deal('d3', 'a1'),
      ]),
      T0,
    );
    await temp.store.savePage(A, page('deals', [], { deleted: ['d3'] }), T0);
    await temp.store.savePage(A, page('accounts', [], { deleted: ['gone'] }), T0);

    const [a1] = await temp.store.loadAccountContexts(A, ['a1'], 0);
    await temp.store.saveComputation(A, {
      accounts: [
        computation(a1!, {
          assignedTier: 'tier_3',
          recommendedTier: 'tier_2',
          lastReviewedAt: T0 - DAY,
          slaInstances: [
            slaInstance('a1', { startedAt: T0, stoppedAt: T0 + 3_600_000, stopReason: 'first_touch' }),
            slaInstance('a1', { kind: 'approval_decision', key: 'approval_decision:a1', ownerId: 'o2' }),
          ],
        }),
      ],
      audit: [
        audit('a1', T0 + 1, { outcome: 'applied', route: 'routine' }),
        audit('a1', T0 + 2, { outcome: 'needs_approval', route: 'tier_1' }),
        audit('a1', T0 + 3, { action: 'approval_decision', outcome: 'approved', route: 'tier_1' }),
        audit('a1', T0 + 4, { outcome: 'rejected', route: null, code: 'no_change' }),
        audit('a1', T0 + 5, { action: 'out_of_app_edit', outcome: 'audited', route: null }),
      ],
      approvals: [approval('p1', 'a1'), approval('p2', 'a2', { route: 'sales_request', dueAt: T0 + DAY })],
    });
    await temp.store.savePage(B, page('accounts', [account('b1')]), T0);
    await temp.store.savePage(B, page('deals', [deal('bd1', 'b1')]), T0);
  });

  it('reads the live accounts with their tiers, owners, teams and review dates', async () => {
    const { accounts } = await temp.store.listAccountsForMetrics(A);
    expect(accounts).toEqual([
      {
        id: 'a1',
        tier: 'tier_3',
        ownerId: 'o1',
        team: 'emea',
        recommendedTier: 'tier_2',
        lastReviewedAt: T0 - DAY,
        tieredAt: T0,
      },
      // Never computed: the CRM tier, and nothing to assess drift or reviews on.
      { id: 'a2', tier: 'tier_1', ownerId: 'o2', team: '' },
      { id: 'a3', tier: null, ownerId: '', team: '' },
    ]);
  });

  it('reads live deals, SLA outcomes, first touches, approvals and the tier changes that took effect', async () => {
    const snapshot = await temp.store.listAccountsForMetrics(A);
    expect(snapshot.deals).toEqual([
      { id: 'd1', accountId: 'a1', amount: 50_000, stage: 'won', createdAt: T0 - 30 * DAY, closedAt: T0 },
      { id: 'd2', accountId: '', amount: 0, stage: 'open', createdAt: T0 - 30 * DAY, closedAt: null },
    ]);
    // By start, then instance key.
    expect(snapshot.slaOutcomes).toMatchObject([
      {
        kind: 'approval_decision',
        ownerId: 'o2',
        team: '',
        startedAt: T0,
        dueAt: T0 + 2 * DAY,
        stoppedAt: null,
      },
      {
        kind: 'sales_follow_up',
        ownerId: 'o1',
        team: 'emea',
        startedAt: T0,
        dueAt: T0 + 2 * DAY,
        stoppedAt: T0 + 3_600_000,
      },
    ]);
    expect(snapshot.firstTouches).toEqual([{ accountId: 'a1', startedAt: T0, touchedAt: T0 + 3_600_000 }]);
    expect(snapshot.approvals).toMatchObject([
      { requestedAt: T0, decidedAt: null, dueAt: T0 + 7 * DAY, state: 'pending', route: 'tier_1' },
      { requestedAt: T0, decidedAt: null, dueAt: T0 + DAY, state: 'pending', route: 'sales_request' },
    ]);
    expect(snapshot.tierChanges).toMatchObject([
      { at: T0 + 1, route: 'routine' },
      { at: T0 + 3, route: 'tier_1' },
    ]);
  });

  it('feeds computeGovernanceMetrics with nothing excluded', async () => {
    const snapshot = await temp.store.listAccountsForMetrics(A);
    const period = { start: T0 - 90 * DAY, end: T0 + 90 * DAY };
    const result = computeGovernanceMetrics(
      { ...snapshot, costLedger: await temp.store.costLines(A) },
      period,
      T0 + 10 * DAY,
      DEFAULT_GOVERNANCE_CONFIG,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(Object.values(result.value.dataQuality.excluded)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(result.value.pipeline.tier_3.createdAmount).toBe(50_000);
    expect(result.value.governance.tierChanges.total).toBe(2);
    expect(result.value.governance.drift.count.tier_3).toBe(1);
  });

  it("holds nothing of another tenant's", async () => {
    const snapshot = await temp.store.listAccountsForMetrics(B);
    expect(snapshot.accounts).toEqual([{ id: 'b1', tier: null, ownerId: 'o1', team: '' }]);
    expect(snapshot.deals.map((d) => d.id)).toEqual(['bd1']);
    expect([snapshot.slaOutcomes, snapshot.firstTouches, snapshot.approvals, snapshot.tierChanges]).toEqual([
      [],
      [],
      [],
      [],
    ]);
  });
});
