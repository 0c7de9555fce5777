import { describe, expect, it } from 'vitest';

import {
  account,
  contact,
  emptyBatch,
  computation,
  openTempStore,
  page,
  T0,
  TENANT_A,
} from './testSupport.ts';

const A = TENANT_A.id;
const ACCOUNTS = 100_000;
const PAGE = 100;
const idOf = (i: number) => `acc-${String(i).padStart(6, '0')}`;

describe('a portal of 100,000 accounts', () => {
  it('takes them through pages of 100, with every account due for compute and the cursor on the last', async () => {
    const temp = await openTempStore([TENANT_A]);
    try {
      const { store } = temp;
      let affected = 0;
      for (let start = 0; start < ACCOUNTS; start += PAGE) {
        const records = Array.from({ length: PAGE }, (_, k) =>
          account(idOf(start + k), { modifiedAt: T0 + start + k, ownerCrmId: `o${(start + k) % 50}` }),
        );
        affected += (await store.savePage(A, page('accounts', records), T0)).affectedAccountCrmIds.length;
      }
      expect(affected).toBe(ACCOUNTS);
      expect(await store.cursor(A, 'accounts')).toEqual({
        modifiedAt: T0 + ACCOUNTS - 1,
        crmId: idOf(ACCOUNTS - 1),
      });

      const due = await store.accountsToCompute(A, ACCOUNTS + 1);
      expect(due).toHaveLength(ACCOUNTS);

      // One contact per account on a tenth of them, then every context read back in one call.
      const withContacts = due.filter((_, i) => i % 10 === 0);
      for (let start = 0; start < withContacts.length; start += PAGE) {
        const slice = withContacts.slice(start, start + PAGE);
        await store.savePage(
          A,
          page(
            'contacts',
            slice.map((id) => contact(`c-${id}`, id, { buyingRole: 'champion' })),
          ),
          T0,
        );
      }
      const contexts = await store.loadAccountContexts(A, due, 0);
      expect(contexts).toHaveLength(ACCOUNTS);
      expect(contexts.filter((context) => context.contactCount === 1)).toHaveLength(ACCOUNTS / 10);

      for (let start = 0; start < ACCOUNTS; start += 1_000) {
        const batch = contexts.slice(start, start + 1_000).map((context) => computation(context));
        const saved = await store.saveComputation(A, { ...emptyBatch, accounts: batch });
        expect(saved.ok).toBe(true);
      }
      expect(await store.accountsToCompute(A, 10)).toEqual([]);
      expect(await store.tierCounts(A)).toEqual({ tier_1: 0, tier_2: ACCOUNTS, tier_3: 0 });
      expect(await store.pendingAccountWrites(A, 5)).toHaveLength(5);
    } finally {
      await temp.cleanup();
    }
  }, 300_000);
});
