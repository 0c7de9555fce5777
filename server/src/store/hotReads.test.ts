import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Store } from './ports.ts';
import { openSqliteStore } from './sqlite/sqliteStore.ts';
import type { TempStore } from './sqlite/testSupport.ts';
import { openTempStore, T0, TENANT_B } from './sqlite/testSupport.ts';

// The card path remembers credentials, users' roles and the config for a few seconds. What this store
// writes must show at once; what another process writes must show once the memory is older than its TTL.

const TTL = 5_000;
let temp: TempStore;
let store: Store;
/** The API process, with a clock the test moves. */
let elapsed = 0;
/** Another process on the same file (a CLI revoking a key, a sync mapping roles). */
let other: Store;

beforeEach(async () => {
  temp = await openTempStore([TENANT_B]);
  elapsed = 0;
  store = openSqliteStore(temp.path, { hotReads: { ttlMs: TTL, monotonic: () => elapsed } });
  other = openSqliteStore(temp.path, { hotReads: { ttlMs: 0 } });
});
afterEach(async () => {
  await store.close();
  await other.close();
  await temp.cleanup();
});

const issueKey = (on: Store) =>
  on.issueCredential(TENANT_B.id, { grant: { kind: 'salesforce_api_key' }, now: T0, rotate: false });

describe('hot reads', () => {
  it('stops a key revoked through the same store at once', async () => {
    const key = await issueKey(store);
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).not.toBeNull();
    await store.revokeCredential(TENANT_B.id, key.id, T0);
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).toBeNull();
  });

  it('stops a key revoked by another process once the remembered answer is older than the TTL', async () => {
    const key = await issueKey(other);
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).not.toBeNull();
    await other.revokeCredential(TENANT_B.id, key.id, T0);
    elapsed = TTL - 1;
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).not.toBeNull();
    elapsed = TTL;
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).toBeNull();
  });

  it('never remembers an unknown key, so a key issued elsewhere works on its first use', async () => {
    const key = await issueKey(other);
    const wrong = key.plaintext.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect(await store.resolveCredential('salesforce_api_key', wrong, T0)).toBeNull();
    expect(await store.resolveCredential('salesforce_api_key', key.plaintext, T0)).toMatchObject({
      tenantId: TENANT_B.id,
    });
  });

  it('shows a role mapping replaced through the same store at once, and from elsewhere after the TTL', async () => {
    const at = { at: T0, by: null };
    expect(await store.rolesOf(TENANT_B.id, 'u1')).toEqual([]);
    await store.replaceUserRoles(TENANT_B.id, [{ crmUserId: 'u1', roles: ['marketer'] }], at);
    expect(await store.rolesOf(TENANT_B.id, 'u1')).toEqual(['marketer']);

    await other.replaceUserRoles(TENANT_B.id, [{ crmUserId: 'u1', roles: ['abm_manager'] }], at);
    expect(await store.rolesOf(TENANT_B.id, 'u1')).toEqual(['marketer']);
    elapsed = TTL;
    expect(await store.rolesOf(TENANT_B.id, 'u1')).toEqual(['abm_manager']);
  });
});
