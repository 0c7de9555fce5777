import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { IdempotencyWrite, TierDecisionWrite } from '../ports.ts';
import { IDEMPOTENCY_TTL_MS } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  approval,
  audit,
  computation,
  contextOf,
  emptyBatch,
  openTempStore,
  page,
  T0,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const applied = { status: 200, body: { outcome: 'applied', tier: 'tier_3' } };
const other = { status: 200, body: { outcome: 'applied', tier: 'tier_2' } };

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  for (const tenant of [A, B]) {
    await temp.store.savePage(tenant, page('accounts', [account('a1'), account('a2')]), T0);
    const contexts = await temp.store.loadAccountContexts(tenant, ['a1', 'a2'], 0);
    await temp.store.saveComputation(tenant, {
      ...emptyBatch,
      accounts: contexts.map((c) => computation(c)),
    });
  }
});
afterEach(async () => {
  await temp.cleanup();
});

describe('remembering responses', () => {
  it('returns the first answer to a retry of the same request, and refuses the key for another request', async () => {
    const first = await temp.store.rememberResponse(A, 'key-0001', 'fp-1', applied, T0);
    expect(first).toEqual({
      ok: true,
      value: { key: 'key-0001', fingerprint: 'fp-1', response: applied, storedAt: T0 },
    });
    const retry = await temp.store.rememberResponse(A, 'key-0001', 'fp-1', other, T0 + 1000);
    expect(retry).toEqual(first);
    const misuse = await temp.store.rememberResponse(A, 'key-0001', 'fp-2', other, T0 + 2000);
    expect(misuse).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused', key: 'key-0001' } });
    expect(await temp.store.recallResponse(A, 'key-0001', T0 + 3000)).toEqual(first.ok ? first.value : null);
  });

  it('keeps keys per tenant: the same key in two tenants holds two answers', async () => {
    await temp.store.rememberResponse(A, 'key-0001', 'fp-1', applied, T0);
    expect(await temp.store.recallResponse(B, 'key-0001', T0)).toBeNull();
    const inB = await temp.store.rememberResponse(B, 'key-0001', 'fp-other', other, T0);
    expect(inB).toMatchObject({ ok: true, value: { response: other } });
    expect((await temp.store.recallResponse(A, 'key-0001', T0))?.response).toEqual(applied);
    expect(await temp.store.purgeIdempotencyKeys(B, T0 + IDEMPOTENCY_TTL_MS)).toBe(1);
    expect((await temp.store.recallResponse(A, 'key-0001', T0))?.response).toEqual(applied);
  });

  it('forgets a key after 24 hours: it reads as absent, may be reused, and is purged', async () => {
    await temp.store.rememberResponse(A, 'key-old', 'fp-1', applied, T0);
    await temp.store.rememberResponse(A, 'key-new', 'fp-1', applied, T0 + 1);
    const expiry = T0 + IDEMPOTENCY_TTL_MS;
    expect(await temp.store.recallResponse(A, 'key-old', expiry - 1)).not.toBeNull();
    expect(await temp.store.recallResponse(A, 'key-old', expiry)).toBeNull();
    const reused = await temp.store.rememberResponse(A, 'key-old', 'fp-2', other, expiry);
    expect(reused).toMatchObject({ ok: true, value: { fingerprint: 'fp-2', storedAt: expiry } });

    expect(await temp.store.purgeIdempotencyKeys(A, expiry)).toBe(0);
    expect(await temp.store.purgeIdempotencyKeys(A, expiry + 1)).toBe(1);
    expect(await temp.store.recallResponse(A, 'key-new', expiry)).toBeNull();
    expect(await temp.store.recallResponse(A, 'key-old', expiry + 1)).not.toBeNull();
  });
});

describe('a tier decision under an idempotency key', () => {
  const decision = async (key: IdempotencyWrite): Promise<TierDecisionWrite> => {
    const context = await contextOf(temp.store, A, 'a1');
    return {
      accountCrmId: 'a1',
      basedOnRevision: context.state.revision,
      audit: audit('a1', T0 + 1, { fromTier: 'tier_2', toTier: 'tier_3' }),
      assignTier: { tier: 'tier_3', at: T0 + 1 },
      idempotency: key,
    };
  };
  const key = (overrides: Partial<IdempotencyWrite> = {}): IdempotencyWrite => ({
    key: 'hubspot-retry-1',
    fingerprint: 'fp-1',
    response: applied,
    now: T0 + 1,
    ...overrides,
  });

  it('applies once: a retry, routed again on the moved account, replays the first answer', async () => {
    const first = await temp.store.recordTierDecision(A, await decision(key()));
    expect(first).toEqual({ ok: true, value: { replayed: null } });
    const retry = await temp.store.recordTierDecision(A, await decision(key({ now: T0 + 5000 })));
    expect(retry).toEqual({
      ok: true,
      value: {
        replayed: { key: 'hubspot-retry-1', fingerprint: 'fp-1', response: applied, storedAt: T0 + 1 },
      },
    });
    expect((await temp.store.accountAudit(A, 'a1', { limit: 10 })).entries).toHaveLength(1);
    expect((await temp.store.recallResponse(A, 'hubspot-retry-1', T0 + 2))?.response).toEqual(applied);
  });

  it('replays even when the retry carries the revision read before the first decision', async () => {
    const write = await decision(key());
    await temp.store.recordTierDecision(A, write);
    expect(await temp.store.recordTierDecision(A, write)).toMatchObject({
      ok: true,
      value: { replayed: { response: applied } },
    });
    expect((await temp.store.accountAudit(A, 'a1', { limit: 10 })).entries).toHaveLength(1);
  });

  it('saves nothing, neither the decision nor the key, when the context is stale', async () => {
    const write = await decision(key());
    await temp.store.markForCompute(A, ['a1']);
    expect(await temp.store.recordTierDecision(A, write)).toMatchObject({
      ok: false,
      error: { code: 'stale_context' },
    });
    expect(await temp.store.recallResponse(A, 'hubspot-retry-1', T0 + 2)).toBeNull();
    expect((await temp.store.accountAudit(A, 'a1', { limit: 10 })).entries).toEqual([]);
    expect((await temp.store.recordTierDecision(A, await decision(key()))).ok).toBe(true);
  });

  it('refuses the key for another request and saves nothing', async () => {
    await temp.store.rememberResponse(A, 'hubspot-retry-1', 'fp-elsewhere', other, T0);
    const write = await decision(key());
    expect(
      await temp.store.recordTierDecision(A, { ...write, openApproval: approval('p1', 'a1') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'idempotency_key_reused' },
    });
    const context = await contextOf(temp.store, A, 'a1');
    expect(context.state.assignedTier).toBe('tier_2');
    expect(context.pendingApproval).toBeNull();
    expect((await temp.store.accountAudit(A, 'a1', { limit: 10 })).entries).toEqual([]);
  });

  it("does not replay another tenant's decision made under the same key", async () => {
    await temp.store.recordTierDecision(A, await decision(key()));
    const [contextB] = await temp.store.loadAccountContexts(B, ['a1'], 0);
    const inB = await temp.store.recordTierDecision(B, {
      accountCrmId: 'a1',
      basedOnRevision: contextB!.state.revision,
      audit: audit('a1', T0 + 1, { toTier: 'tier_1', outcome: 'needs_approval' }),
      openApproval: approval('p1', 'a1'),
      idempotency: key({ fingerprint: 'fp-b', response: other }),
    });
    expect(inB).toEqual({ ok: true, value: { replayed: null } });
    expect((await temp.store.getApproval(B, 'p1'))?.state).toBe('pending');
    expect(await temp.store.getApproval(A, 'p1')).toBeNull();
  });

  it('keeps working without a key, as before', async () => {
    const context = await contextOf(temp.store, A, 'a2');
    const write = {
      accountCrmId: 'a2',
      basedOnRevision: context.state.revision,
      audit: audit('a2', T0 + 1),
      assignTier: { tier: 'tier_3' as const, at: T0 + 1 },
    };
    expect(await temp.store.recordTierDecision(A, write)).toEqual({ ok: true, value: { replayed: null } });
    expect(await temp.store.recordTierDecision(A, write)).toMatchObject({
      ok: false,
      error: { code: 'stale_context' },
    });
  });
});
