import { reviewAuditEntry } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ReviewWrite } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  audit,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  openTempStore,
  page,
  T0,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const manager = { userId: 'm1', role: 'abm_manager' } as const;
const REVIEWED_AT = T0 + 40 * DAY;

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  for (const tenant of [A, B]) {
    await temp.store.savePage(tenant, page('accounts', [account('a1'), account('a2')]), T0);
    const contexts = await temp.store.loadAccountContexts(tenant, ['a1', 'a2'], 0);
    await temp.store.saveComputation(tenant, {
      ...emptyBatch,
      accounts: contexts.map((context) => computation(context)),
      audit: [audit('a1', T0)],
    });
  }
});
afterEach(async () => {
  await temp.cleanup();
});

async function write(overrides: Partial<ReviewWrite> = {}): Promise<ReviewWrite> {
  const context = await contextOf(temp.store, A, 'a1');
  return {
    accountCrmId: 'a1',
    basedOnRevision: context.state.revision,
    reviewedAt: REVIEWED_AT,
    audit: reviewAuditEntry({
      accountId: 'a1',
      actor: manager,
      at: REVIEWED_AT,
      note: 'Renewal on track',
      tier: 'tier_2',
      score: 60,
      recommendedTier: 'tier_2',
    }),
    idempotency: {
      key: 'review-key-0001',
      fingerprint: 'review:a1:m1',
      response: { status: 200, body: { recorded: 1 } },
      now: REVIEWED_AT,
    },
    ...overrides,
  };
}

const reviews = async (tenantId: string) =>
  (await temp.store.accountAudit(tenantId, 'a1', { limit: 50 })).entries.filter(
    (entry) => entry.action === 'review',
  );

describe('recording a portfolio review', () => {
  it("sets the account's last review, appends its audit entry, and marks the account for compute", async () => {
    const before = await contextOf(temp.store, A, 'a1');

    const result = await temp.store.recordReview(A, await write());

    expect(result).toEqual({ ok: true, value: { replayed: null } });
    const after = await contextOf(temp.store, A, 'a1');
    expect(after.state.lastReviewedAt).toBe(REVIEWED_AT);
    expect(after.state.revision).toBe(before.state.revision + 1);
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1']);
    expect(await reviews(A)).toMatchObject([
      { action: 'review', outcome: 'recorded', actor: manager, comment: 'Renewal on track', at: REVIEWED_AT },
    ]);
    // The neighbour tenant's account of the same id is untouched.
    expect((await contextOf(temp.store, B, 'a1')).state.lastReviewedAt).toBeNull();
    expect(await reviews(B)).toEqual([]);
  });

  it('refuses a review recorded on a stale reading of the account, saving nothing', async () => {
    const stale = await write();
    await temp.store.markForCompute(A, ['a1']);

    const result = await temp.store.recordReview(A, stale);

    expect(result).toMatchObject({ ok: false, error: { code: 'stale_context', accountCrmIds: ['a1'] } });
    expect((await contextOf(temp.store, A, 'a1')).state.lastReviewedAt).toBeNull();
    expect(await reviews(A)).toEqual([]);
    expect(await temp.store.recallResponse(A, 'review-key-0001', REVIEWED_AT)).toBeNull();
  });

  it('replays the first answer for a retried key, recording nothing twice, and refuses the key for another request', async () => {
    const first = await write();
    await temp.store.recordReview(A, first);

    const retried = await temp.store.recordReview(A, { ...first, reviewedAt: REVIEWED_AT + DAY });
    const other = await temp.store.recordReview(A, {
      ...(await write()),
      idempotency: { ...first.idempotency, fingerprint: 'review:a1:someone-else' },
    });

    expect(retried).toMatchObject({ ok: true, value: { replayed: { response: { body: { recorded: 1 } } } } });
    expect(other).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
    expect(await reviews(A)).toHaveLength(1);
    expect((await contextOf(temp.store, A, 'a1')).state.lastReviewedAt).toBe(REVIEWED_AT);
  });

  it('keeps the review through a later computation, which carries the date it read', async () => {
    await temp.store.recordReview(A, await write());
    const context = await contextOf(temp.store, A, 'a1');

    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [computation(context, { lastReviewedAt: context.state.lastReviewedAt })],
    });

    expect((await contextOf(temp.store, A, 'a1')).state.lastReviewedAt).toBe(REVIEWED_AT);
  });

  it('shows on the card the last review with its reviewer, and in the metrics snapshot its date', async () => {
    await temp.store.recordReview(A, await write());

    const card = await temp.store.accountCard(A, 'a1');
    const snapshot = await temp.store.listAccountsForMetrics(A);

    expect(card?.state.lastReviewedAt).toBe(REVIEWED_AT);
    expect(card?.lastReview).toMatchObject({ action: 'review', actor: manager, at: REVIEWED_AT });
    expect((await temp.store.accountCard(A, 'a2'))?.lastReview).toBeNull();
    expect(snapshot.accounts.find((row) => row.id === 'a1')).toMatchObject({ lastReviewedAt: REVIEWED_AT });
  });
});

describe('audit pages without some actions', () => {
  it('leaves out the entries of the actions asked, and pages on what remains', async () => {
    await temp.store.recordReview(A, await write());

    const all = await temp.store.accountAudit(A, 'a1', { limit: 1 });
    const withoutReviews = await temp.store.accountAudit(A, 'a1', { limit: 1, withoutActions: ['review'] });
    const tenantWide = await temp.store.tenantAudit(A, { limit: 10, withoutActions: ['review'] });

    expect(all.entries.map((entry) => entry.action)).toEqual(['review']);
    expect(withoutReviews.entries.map((entry) => entry.action)).toEqual(['tier_change']);
    expect(withoutReviews.next).toBeNull();
    expect(tenantWide.entries.map((entry) => entry.action)).toEqual(['tier_change']);
  });
});
