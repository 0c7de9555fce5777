import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CrmAccount } from '../../model.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  contact,
  contextOf,
  DAY,
  deal,
  engagement,
  openTempStore,
  owner,
  page,
  T0,
  TENANT_A,
} from './testSupport.ts';

const A = TENANT_A.id;
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

const liveIds = async (ids: readonly string[]) =>
  (await temp.store.loadAccountContexts(A, ids, 0)).map((context) => context.account.crmId);

describe('saving a page of records', () => {
  it('upserts idempotently: the same page twice saves nothing the second time', async () => {
    const accounts = page('accounts', [account('a1'), account('a2'), account('a3')]);
    expect(await temp.store.savePage(A, accounts, T0)).toEqual({
      saved: 3,
      affectedAccountCrmIds: ['a1', 'a2', 'a3'],
      removedAccountCrmIds: [],
    });
    expect(await temp.store.savePage(A, accounts, T0)).toEqual({
      saved: 0,
      affectedAccountCrmIds: [],
      removedAccountCrmIds: [],
    });
    expect(await liveIds(['a1', 'a2', 'a3'])).toEqual(['a1', 'a2', 'a3']);
  });

  it('keeps the newest version: a newer one replaces, an older one is ignored', async () => {
    await temp.store.savePage(A, page('accounts', [account('a1', { name: 'v2', modifiedAt: T0 + 10 })]), T0);
    const older = await temp.store.savePage(
      A,
      page('accounts', [account('a1', { name: 'v1', modifiedAt: T0 })]),
      T0,
    );
    expect(older.saved).toBe(0);
    expect((await contextOf(temp.store, A, 'a1')).account.name).toBe('v2');

    const newer = await temp.store.savePage(
      A,
      page('accounts', [account('a1', { name: 'v3', modifiedAt: T0 + 20 })]),
      T0,
    );
    expect(newer.affectedAccountCrmIds).toEqual(['a1']);
    expect((await contextOf(temp.store, A, 'a1')).account.name).toBe('v3');
  });

  it('takes a changed value at the same modification time (second-resolution timestamps)', async () => {
    await temp.store.savePage(A, page('accounts', [account('a1', { crmTier: null })]), T0);
    const edited = await temp.store.savePage(A, page('accounts', [account('a1', { crmTier: 'tier_1' })]), T0);
    expect(edited.affectedAccountCrmIds).toEqual(['a1']);
    expect((await contextOf(temp.store, A, 'a1')).account.crmTier).toBe('tier_1');
  });

  it('advances the cursor with the saved page, and never moves it backwards', async () => {
    expect(await temp.store.cursor(A, 'accounts')).toBeNull();
    await temp.store.savePage(A, page('accounts', [account('a1', { modifiedAt: T0 + 5 })]), T0);
    expect(await temp.store.cursor(A, 'accounts')).toEqual({ modifiedAt: T0 + 5, crmId: 'a1' });
    // An overlap re-read starts before the cursor; its page must not pull the cursor back.
    await temp.store.savePage(A, page('accounts', [account('a0', { modifiedAt: T0 })]), T0);
    expect(await temp.store.cursor(A, 'accounts')).toEqual({ modifiedAt: T0 + 5, crmId: 'a1' });
    await temp.store.savePage(A, page('accounts', [account('a2', { modifiedAt: T0 + 5 })]), T0);
    expect(await temp.store.cursor(A, 'accounts')).toEqual({ modifiedAt: T0 + 5, crmId: 'a2' });
    expect(await temp.store.cursor(A, 'deals')).toBeNull();

    await temp.store.resetCursor(A, 'accounts');
    expect(await temp.store.cursor(A, 'accounts')).toBeNull();
  });

  it('saves nothing and keeps the cursor when the transaction throws half-way', async () => {
    await temp.store.savePage(A, page('accounts', [account('a1', { modifiedAt: T0 })]), T0);
    const broken = { ...account('a3', { modifiedAt: T0 + 30 }), name: null } as unknown as CrmAccount;
    const failing = page('accounts', [
      account('a1', { name: 'changed', modifiedAt: T0 + 10 }),
      account('a2'),
      broken,
    ]);

    await expect(temp.store.savePage(A, failing, T0)).rejects.toThrow(/NOT NULL/);
    expect(await temp.store.cursor(A, 'accounts')).toEqual({ modifiedAt: T0, crmId: 'a1' });
    expect(await liveIds(['a1', 'a2', 'a3'])).toEqual(['a1']);
    expect((await contextOf(temp.store, A, 'a1')).account.name).toBe('Account a1');
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1']);
  });

  it('refuses a page for a tenant that is not registered', async () => {
    await expect(temp.store.savePage('hubspot:999', page('accounts', [account('a1')]), T0)).rejects.toThrow(
      /FOREIGN KEY/,
    );
  });

  it('saves owners, and an owner change alone affects no account', async () => {
    const saved = await temp.store.savePage(
      A,
      page('owners', [owner('o1'), owner('m1', { managerCrmId: null })]),
      T0,
    );
    expect(saved).toEqual({ saved: 2, affectedAccountCrmIds: [], removedAccountCrmIds: [] });
    await temp.store.savePage(A, page('accounts', [account('a1', { ownerCrmId: 'o1' })]), T0);
    expect((await contextOf(temp.store, A, 'a1')).owner).toEqual(owner('o1'));
  });
});

describe('affected accounts', () => {
  beforeEach(async () => {
    await temp.store.savePage(A, page('accounts', [account('a1'), account('a2')]), T0);
  });

  it('names the account of a new or changed contact, deal or engagement, and both ends of a move', async () => {
    const contacts = await temp.store.savePage(
      A,
      page('contacts', [contact('c1', 'a1'), contact('c2', 'a2')]),
      T0,
    );
    expect(contacts.affectedAccountCrmIds).toEqual(['a1', 'a2']);
    const moved = await temp.store.savePage(
      A,
      page('contacts', [contact('c1', 'a2', { modifiedAt: T0 + 1 })]),
      T0,
    );
    expect(moved.affectedAccountCrmIds).toEqual(['a1', 'a2']);
    expect(
      (await temp.store.savePage(A, page('deals', [deal('d1', 'a1')]), T0)).affectedAccountCrmIds,
    ).toEqual(['a1']);
    const engagements = await temp.store.savePage(A, page('engagements', [engagement('e1', 'a2')]), T0);
    expect(engagements.affectedAccountCrmIds).toEqual(['a2']);
  });

  it('leaves out accounts not pulled yet, which are affected when they arrive', async () => {
    const early = await temp.store.savePage(A, page('contacts', [contact('c9', 'a9')]), T0);
    expect(early).toMatchObject({ saved: 1, affectedAccountCrmIds: [] });
    await temp.store.savePage(A, page('accounts', [account('a9')]), T0);
    expect((await contextOf(temp.store, A, 'a9')).contactCount).toBe(1);
  });

  it('keeps accounts due for compute across a restart until a computation is saved', async () => {
    await temp.store.savePage(A, page('deals', [deal('d1', 'a1')]), T0);
    const reopened = await temp.reopen();
    expect(await reopened.accountsToCompute(A, 10)).toEqual(['a1', 'a2']);
    expect(await reopened.accountsToCompute(A, 1)).toEqual(['a1']);
    expect(await reopened.markForCompute(A, ['a2', 'nope'])).toBe(1);
    expect(await reopened.markForCompute(A, 'all')).toBe(2);
  });
});

describe('deletions', () => {
  beforeEach(async () => {
    await temp.store.savePage(A, page('accounts', [account('a1'), account('a2')]), T0);
    await temp.store.savePage(A, page('contacts', [contact('c1', 'a1', { buyingRole: 'champion' })]), T0);
    await temp.store.savePage(A, page('deals', [deal('d1', 'a1', { amount: 500 })]), T0);
  });

  it('marks a deleted account removed, keeps its row, and never computes or loads it again', async () => {
    const saved = await temp.store.savePage(A, page('accounts', [], { deleted: ['a1'] }), T0 + DAY);
    expect(saved).toEqual({ saved: 1, affectedAccountCrmIds: [], removedAccountCrmIds: ['a1'] });
    expect(await liveIds(['a1', 'a2'])).toEqual(['a2']);
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a2']);

    const db = new Database(temp.path, { readonly: true });
    expect(db.prepare('SELECT deleted_at FROM accounts WHERE crm_id = ?').pluck().get('a1')).toBe(T0 + DAY);
    db.close();

    // Deleting again, or re-reading its last version, changes nothing.
    expect((await temp.store.savePage(A, page('accounts', [], { deleted: ['a1'] }), T0)).saved).toBe(0);
    expect((await temp.store.savePage(A, page('accounts', [account('a1')]), T0)).saved).toBe(0);
    expect(await liveIds(['a1'])).toEqual([]);
  });

  it('brings a deleted account back with a newer version (restored from the recycle bin)', async () => {
    await temp.store.savePage(A, page('accounts', [], { deleted: ['a1'] }), T0);
    const restored = await temp.store.savePage(
      A,
      page('accounts', [account('a1', { modifiedAt: T0 + DAY })]),
      T0,
    );
    expect(restored.affectedAccountCrmIds).toEqual(['a1']);
    expect(await liveIds(['a1'])).toEqual(['a1']);
  });

  it('drops a deleted contact or deal from its account, which is affected', async () => {
    const contacts = await temp.store.savePage(A, page('contacts', [], { deleted: ['c1'] }), T0);
    expect(contacts.affectedAccountCrmIds).toEqual(['a1']);
    const deals = await temp.store.savePage(A, page('deals', [], { deleted: ['d1', 'unknown'] }), T0);
    expect(deals).toEqual({ saved: 1, affectedAccountCrmIds: ['a1'], removedAccountCrmIds: [] });
    const context = await contextOf(temp.store, A, 'a1');
    expect(context.contactCount).toBe(0);
    expect(context.buyingRoles).toEqual([]);
    expect(context.deals.openAmount).toBe(0);
  });
});

describe('merges', () => {
  beforeEach(async () => {
    await temp.store.savePage(A, page('accounts', [account('a1'), account('b1'), account('c1')]), T0);
    await temp.store.savePage(
      A,
      page('contacts', [contact('k1', 'b1', { buyingRole: 'decision_maker' })]),
      T0,
    );
    await temp.store.savePage(
      A,
      page('deals', [deal('d1', 'b1', { stage: 'won', amount: 700, closedAt: T0 })]),
      T0,
    );
    await temp.store.savePage(A, page('engagements', [engagement('e1', 'b1')]), T0);
  });

  const mergeB1IntoA1 = () =>
    temp.store.savePage(
      A,
      page('accounts', [account('a1', { modifiedAt: T0 + 10, mergedFromCrmIds: ['b1'] })]),
      T0,
    );

  it('marks the merged-away account merged, and moves its contacts, deals and engagements to the survivor', async () => {
    expect(await mergeB1IntoA1()).toEqual({
      saved: 2,
      affectedAccountCrmIds: ['a1'],
      removedAccountCrmIds: ['b1'],
    });
    expect(await liveIds(['a1', 'b1'])).toEqual(['a1']);
    const survivor = await contextOf(temp.store, A, 'a1');
    expect(survivor.account.mergedFromCrmIds).toEqual(['b1']);
    expect(survivor.buyingRoles).toEqual(['decision_maker']);
    expect(survivor.deals).toMatchObject({ wonCount: 1, wonAmount: 700 });
    expect(survivor.engagements.map((e) => e.crmId)).toEqual(['e1']);
  });

  it('is idempotent, and an old version of the merged-away account does not revive it', async () => {
    await mergeB1IntoA1();
    expect(await mergeB1IntoA1()).toEqual({ saved: 0, affectedAccountCrmIds: [], removedAccountCrmIds: [] });
    expect(
      (await temp.store.savePage(A, page('accounts', [account('b1', { modifiedAt: T0 + 5 })]), T0)).saved,
    ).toBe(0);
    expect(await liveIds(['b1'])).toEqual([]);
  });

  it('files a record that still names the merged-away account under the survivor', async () => {
    await mergeB1IntoA1();
    const late = await temp.store.savePage(
      A,
      page('contacts', [contact('k2', 'b1', { buyingRole: 'champion' })]),
      T0,
    );
    expect(late.affectedAccountCrmIds).toEqual(['a1']);
    expect((await contextOf(temp.store, A, 'a1')).buyingRoles).toEqual(['champion', 'decision_maker']);
  });

  it('follows chains: an account merged into one later merged elsewhere lands on the last survivor', async () => {
    await mergeB1IntoA1();
    const second = await temp.store.savePage(
      A,
      page('accounts', [account('c1', { modifiedAt: T0 + 20, mergedFromCrmIds: ['a1'] })]),
      T0,
    );
    expect(second.removedAccountCrmIds).toEqual(['a1']);
    await temp.store.savePage(A, page('contacts', [contact('k3', 'b1')]), T0);
    const last = await contextOf(temp.store, A, 'c1');
    expect(last.account.mergedFromCrmIds).toEqual(['a1', 'b1']);
    expect(last.contactCount).toBe(2);
    expect(last.deals.wonCount).toBe(1);
  });

  it('records a merge of an account never pulled, so its records still find the survivor', async () => {
    await temp.store.savePage(
      A,
      page('accounts', [account('a1', { modifiedAt: T0 + 10, mergedFromCrmIds: ['z9'] })]),
      T0,
    );
    await temp.store.savePage(A, page('deals', [deal('d9', 'z9', { amount: 50 })]), T0);
    expect((await contextOf(temp.store, A, 'a1')).deals.openAmount).toBe(50);
    expect(await liveIds(['z9'])).toEqual([]);
  });
});
