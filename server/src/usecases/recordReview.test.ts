import type { Role } from '@abm-pilot/shared';
import { DAY_MS, RecordReviewResponseSchema } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Store } from '../store/ports.ts';
import type { TempStore } from '../store/sqlite/testSupport.ts';
import {
  account,
  computation,
  contextOf,
  emptyBatch,
  openTempStore,
  owner,
  page,
  T0,
  TENANT_A,
} from '../store/sqlite/testSupport.ts';
import { recordReview } from './recordReview.ts';

// The use case on the real SQLite store. a1 is a tier_1 account whose ABM owner is the marketer `mk`;
// a2 is untargeted; a3 was synced but never computed.

const A = TENANT_A.id;
const ROLES: Record<string, Role[]> = {
  m1: ['abm_manager'],
  mk: ['marketer'],
  mk2: ['marketer'],
  rep: ['sales_rep'],
  sm: ['sales_manager'],
  chief: ['chief_abm_officer'],
};
const person = (userId: string) => ({ userId, roles: ROLES[userId] ?? [] });
const TIERED_AT = T0;

let temp: TempStore;
let now: number;
const deps = () => ({ store: temp.store, clock: () => now });
const review = (userId: string, options: { note?: string; key?: string; crmId?: string } = {}) =>
  recordReview(deps(), {
    tenantId: A,
    accountCrmId: options.crmId ?? 'a1',
    person: person(userId),
    note: options.note ?? null,
    idempotencyKey: options.key ?? `key-${userId}-${now}`,
  });
const reviewsOf = async (crmId = 'a1') =>
  (await temp.store.accountAudit(A, crmId, { limit: 50 })).entries.filter(
    (entry) => entry.action === 'review',
  );

beforeEach(async () => {
  temp = await openTempStore();
  now = T0 + 40 * DAY_MS;
  await temp.store.savePage(
    A,
    page(
      'owners',
      Object.keys(ROLES).map((id) => owner(id, { name: `Person ${id}` })),
    ),
    T0,
  );
  await temp.store.savePage(
    A,
    page('accounts', [
      account('a1', { ownerCrmId: 'rep', abmOwnerCrmId: 'mk' }),
      account('a2'),
      account('a3'),
    ]),
    T0,
  );
  const contexts = await temp.store.loadAccountContexts(A, ['a1', 'a2'], 0);
  await temp.store.saveComputation(A, {
    ...emptyBatch,
    accounts: contexts.map((context) =>
      context.account.crmId === 'a1'
        ? computation(context, { assignedTier: 'tier_1', recommendedTier: 'tier_2', tieredAt: TIERED_AT })
        : computation(context, { assignedTier: null, tieredAt: null }),
    ),
  });
  await temp.store.replaceUserRoles(
    A,
    Object.entries(ROLES).map(([crmUserId, roles]) => ({ crmUserId, roles })),
    { at: T0, by: null },
  );
});
afterEach(async () => {
  await temp.cleanup();
});

describe('recording a portfolio review', () => {
  it('restarts the review clock a full tier cadence from now, and audits who, role, note and the account then', async () => {
    const answer = await review('m1', { note: '  Sponsor met, renewal on track  ' });

    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(RecordReviewResponseSchema.parse(answer.value)).toEqual({
      recordedAt: new Date(now).toISOString(),
      reviewedBy: { userId: 'm1', role: 'abm_manager', name: 'Person m1' },
      note: 'Sponsor met, renewal on track',
      tier: 'tier_1',
      review: {
        lastReviewedAt: new Date(now).toISOString(),
        lastReviewedBy: { userId: 'm1', role: 'abm_manager', name: 'Person m1' },
        nextDueAt: new Date(now + 30 * DAY_MS).toISOString(),
        overdue: false,
      },
    });
    expect((await contextOf(temp.store, A, 'a1')).state.lastReviewedAt).toBe(now);
    expect(await reviewsOf()).toMatchObject([
      {
        at: now,
        actor: { userId: 'm1', role: 'abm_manager' },
        fromTier: 'tier_1',
        toTier: 'tier_1',
        score: 60,
        recommendedTier: 'tier_2',
        comment: 'Sponsor met, renewal on track',
      },
    ]);
  });

  it("lets the account's ABM owner review it as a marketer, and the Chief ABM Officer too", async () => {
    expect(await review('mk')).toMatchObject({ ok: true, value: { reviewedBy: { role: 'marketer' } } });
    now += DAY_MS;
    expect(await review('chief')).toMatchObject({
      ok: true,
      value: { reviewedBy: { role: 'chief_abm_officer' } },
    });
    expect((await reviewsOf()).map((entry) => entry.actor?.userId)).toEqual(['chief', 'mk']);
  });

  it('refuses a sales rep, a sales manager, a marketer who is not the ABM owner, and someone without a role, writing nothing', async () => {
    for (const userId of ['rep', 'sm', 'mk2', 'nobody']) {
      expect(await review(userId), userId).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await reviewsOf()).toEqual([]);
    expect((await contextOf(temp.store, A, 'a1')).state.lastReviewedAt).toBeNull();
  });

  it('refuses an untargeted account, an account not computed yet, and an unknown one', async () => {
    expect(await review('m1', { crmId: 'a2' })).toMatchObject({ ok: false, error: { code: 'not_targeted' } });
    expect(await review('m1', { crmId: 'a3' })).toMatchObject({
      ok: false,
      error: { code: 'not_configured' },
    });
    expect(await review('m1', { crmId: 'zz9' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('records a retried request once and answers it as the first, even when retried later', async () => {
    const first = await review('m1', { note: 'Quarterly check', key: 'retried-key-0001' });
    now += 60_000;
    const retried = await review('m1', { note: 'Quarterly check', key: 'retried-key-0001' });

    expect(retried).toEqual(first);
    expect(await reviewsOf()).toHaveLength(1);
  });

  it('refuses the same key for another note, recording nothing more', async () => {
    await review('m1', { note: 'Quarterly check', key: 'reused-key-0001' });

    const other = await review('m1', { note: 'Something else', key: 'reused-key-0001' });

    expect(other).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
    expect(await reviewsOf()).toHaveLength(1);
  });

  it('records on a fresh reading when the account changes between reading and recording', async () => {
    let moved = false;
    // The port as a concurrent sync would leave it: the account moves once, right before the first write.
    const racing: Store = {
      ...temp.store,
      recordReview: async (tenantId, write) => {
        if (!moved) {
          moved = true;
          await temp.store.markForCompute(tenantId, [write.accountCrmId]);
        }
        return temp.store.recordReview(tenantId, write);
      },
    };

    const answer = await recordReview(
      { store: racing, clock: () => now },
      {
        tenantId: A,
        accountCrmId: 'a1',
        person: person('m1'),
        note: null,
        idempotencyKey: 'racing-key-0001',
      },
    );

    expect(answer.ok).toBe(true);
    expect(await reviewsOf()).toHaveLength(1);
  });
});
