import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { HandoverFeedback, HandoverFeedbackWrite } from '../ports.ts';
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
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const rep = { userId: 'rep-1', role: 'sales_rep' } as const;
const running = slaInstance('a1', { kind: 'sales_feedback', key: 'sales_feedback:a1:1' });

const feedback = (overrides: Partial<HandoverFeedback> = {}): HandoverFeedback => ({
  accountCrmId: 'a1',
  decision: 'accepted',
  reasonCode: 'good_fit',
  at: T0 + DAY,
  actor: rep,
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

async function write(overrides: Partial<HandoverFeedbackWrite> = {}): Promise<HandoverFeedbackWrite> {
  const context = await contextOf(temp.store, A, 'a1');
  return { feedback: feedback(), basedOnRevision: context.state.revision, ...overrides };
}

describe('recording handover feedback', () => {
  it('stores the answer with its stopped SLA clock, and marks the account for compute', async () => {
    const stopped = {
      ...running,
      stoppedAt: T0 + DAY,
      stopReason: 'good_fit',
      handoverDecision: 'accepted' as const,
    };
    const result = await temp.store.recordHandoverFeedback(A, await write({ slaInstances: [stopped] }));
    expect(result).toEqual({ ok: true, value: { replayed: null } });
    const [stored] = await temp.store.handoverFeedback(A);
    expect(stored).toEqual({ id: stored!.id, ...feedback() });
    const context = await contextOf(temp.store, A, 'a1');
    expect(context.slaInstances).toEqual([stopped]);
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1']);
  });

  it('refuses feedback applied to a stale or removed account, saving nothing', async () => {
    const stale = await write();
    await temp.store.markForCompute(A, ['a1']);
    expect(await temp.store.recordHandoverFeedback(A, stale)).toMatchObject({
      ok: false,
      error: { code: 'stale_context', accountCrmIds: ['a1'] },
    });
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a2'] }), T0);
    const removed = await temp.store.recordHandoverFeedback(A, {
      feedback: feedback({ accountCrmId: 'a2' }),
      basedOnRevision: 1,
    });
    expect(removed).toMatchObject({ ok: false, error: { code: 'stale_context' } });
    expect(await temp.store.handoverFeedback(A)).toEqual([]);
  });

  it('replays a retried answer under its idempotency key instead of recording it twice', async () => {
    const idempotency = {
      key: 'feedback-retry-1',
      fingerprint: 'fp',
      response: { status: 200, body: { decision: 'accepted' } },
      now: T0 + DAY,
    };
    const first = await write({ idempotency });
    expect(await temp.store.recordHandoverFeedback(A, first)).toEqual({
      ok: true,
      value: { replayed: null },
    });
    expect(await temp.store.recordHandoverFeedback(A, first)).toMatchObject({
      ok: true,
      value: { replayed: { response: idempotency.response } },
    });
    expect(await temp.store.handoverFeedback(A)).toHaveLength(1);
  });
});

describe('reading handover feedback', () => {
  it('lists answers oldest first, for a half-open period and for one account', async () => {
    const answers = [
      feedback({ at: T0 + 3 * DAY, decision: 'rejected', reasonCode: 'no_budget' }),
      feedback({ at: T0 + DAY }),
      feedback({ accountCrmId: 'a2', at: T0 + 2 * DAY }),
    ];
    for (const answer of answers) {
      const context = await contextOf(temp.store, A, answer.accountCrmId);
      await temp.store.recordHandoverFeedback(A, {
        feedback: answer,
        basedOnRevision: context.state.revision,
      });
    }
    const at = async (query: Parameters<typeof temp.store.handoverFeedback>[1]) =>
      (await temp.store.handoverFeedback(A, query)).map((answer) => [answer.accountCrmId, answer.at - T0]);
    expect(await at({})).toEqual([
      ['a1', DAY],
      ['a2', 2 * DAY],
      ['a1', 3 * DAY],
    ]);
    expect(await at({ from: T0 + DAY + 1, to: T0 + 3 * DAY })).toEqual([['a2', 2 * DAY]]);
    expect(await at({ accountCrmId: 'a1', from: T0 + 2 * DAY })).toEqual([['a1', 3 * DAY]]);
    expect(await temp.store.handoverFeedback(B)).toEqual([]);
    expect(await temp.store.handoverFeedback(B, { accountCrmId: 'a1' })).toEqual([]);
  });
});
