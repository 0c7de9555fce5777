import type { Role } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TempStore } from './testSupport.ts';
import { openTempStore, owner, page, T0, TENANT_A, TENANT_B } from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const by = { at: T0, by: 'admin-1' };

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('the role mapping', () => {
  it('reads as empty and never set before the first replace', async () => {
    expect(await temp.store.userRoles(A)).toEqual({ users: [], updatedAt: null, updatedBy: null });
    expect(await temp.store.rolesOf(A, 'u1')).toEqual([]);
  });

  it('replaces the whole mapping: users sorted, roles deduplicated in vocabulary order, empty users left out', async () => {
    await temp.store.replaceUserRoles(A, [{ crmUserId: 'gone', roles: ['marketer'] }], by);
    const saved = await temp.store.replaceUserRoles(
      A,
      [
        { crmUserId: 'u2', roles: ['sales_rep', 'abm_manager', 'sales_rep'] },
        { crmUserId: 'u1', roles: ['chief_abm_officer'] },
        { crmUserId: 'u3', roles: [] },
      ],
      { at: T0 + 1, by: null },
    );
    const expected = {
      users: [
        { crmUserId: 'u1', roles: ['chief_abm_officer'] },
        { crmUserId: 'u2', roles: ['abm_manager', 'sales_rep'] },
      ],
      updatedAt: T0 + 1,
      updatedBy: null,
    };
    expect(saved).toEqual(expected);
    expect(await temp.store.userRoles(A)).toEqual(expected);
    expect(await temp.store.rolesOf(A, 'u2')).toEqual(['abm_manager', 'sales_rep']);
    expect(await temp.store.rolesOf(A, 'gone')).toEqual([]);
  });

  it('lists who holds a role, for deciding approvals', async () => {
    await temp.store.replaceUserRoles(
      A,
      [
        { crmUserId: 'u9', roles: ['abm_committee'] },
        { crmUserId: 'u1', roles: ['abm_committee', 'chief_abm_officer'] },
        { crmUserId: 'u5', roles: ['marketer'] },
      ],
      by,
    );
    expect(await temp.store.usersWithRole(A, 'abm_committee')).toEqual(['u1', 'u9']);
    expect(await temp.store.usersWithRole(A, 'sales_manager')).toEqual([]);
  });

  it('refuses a role outside the vocabulary and keeps the mapping as it was', async () => {
    await temp.store.replaceUserRoles(A, [{ crmUserId: 'u1', roles: ['marketer'] }], by);
    await expect(
      temp.store.replaceUserRoles(A, [{ crmUserId: 'u1', roles: ['root' as Role] }], by),
    ).rejects.toThrow(/root/);
    expect(await temp.store.rolesOf(A, 'u1')).toEqual(['marketer']);
  });

  it("keeps each tenant's mapping to itself", async () => {
    await temp.store.replaceUserRoles(A, [{ crmUserId: 'u1', roles: ['chief_abm_officer'] }], by);
    await temp.store.replaceUserRoles(B, [{ crmUserId: 'u1', roles: ['sales_rep'] }], by);
    await temp.store.replaceUserRoles(B, [], { at: T0 + 5, by: 'b-admin' });
    expect(await temp.store.rolesOf(A, 'u1')).toEqual(['chief_abm_officer']);
    expect(await temp.store.userRoles(A)).toMatchObject({ updatedAt: T0, updatedBy: 'admin-1' });
    expect(await temp.store.userRoles(B)).toEqual({ users: [], updatedAt: T0 + 5, updatedBy: 'b-admin' });
    expect(await temp.store.usersWithRole(B, 'chief_abm_officer')).toEqual([]);
  });
});

describe('synced users', () => {
  it('finds live users, inactive ones included, and not deleted ones or those of another tenant', async () => {
    await temp.store.savePage(
      A,
      page('owners', [owner('o1'), owner('o2', { active: false }), owner('o3')]),
      T0,
    );
    await temp.store.savePage(A, page('owners', [], { deleted: ['o3'] }), T0);
    await temp.store.savePage(B, page('owners', [owner('o9')]), T0);

    expect(await temp.store.getOwner(A, 'o1')).toEqual(owner('o1'));
    expect(await temp.store.getOwner(A, 'o2')).toEqual(owner('o2', { active: false }));
    expect(await temp.store.getOwner(A, 'o3')).toBeNull();
    expect(await temp.store.getOwner(A, 'o9')).toBeNull();
    expect(await temp.store.getOwner(B, 'o1')).toBeNull();
    expect((await temp.store.listOwners(A)).map((o) => o.crmId)).toEqual(['o1', 'o2']);
    expect(await temp.store.listOwners(B)).toEqual([owner('o9')]);
  });
});
