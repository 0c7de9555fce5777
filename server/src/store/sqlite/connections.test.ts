import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import type { Connection } from '../../config.ts';
import type { SecretKeys } from '../../secrets.ts';
import { SecretError, throwawaySecretKeys } from '../../secrets.ts';
import { openSqliteStore } from './sqliteStore.ts';
import { purgeUninstalled } from '../../usecases/installHubSpot.ts';
import { DAY, T0 } from './testSupport.ts';

const TOKEN = 'pat-na1-0000-very-secret-token';
const hubspot: Connection = {
  crm: 'hubspot',
  portalId: '424242',
  name: 'Portal',
  baseUrl: 'http://127.0.0.1:4010',
  auth: { kind: 'private_app', token: TOKEN },
  language: 'en',
};
const TENANT = 'hubspot:424242';

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'abm-conn-'));
  dirs.push(dir);
  return join(dir, 'abm.db');
}

function storeOn(path: string, secretKeys: SecretKeys | null) {
  const store = openSqliteStore(path, { secretKeys });
  // Closed here unless the test closed it (to reopen the file under other keys).
  cleanups.push(() => store.close().catch(() => undefined));
  return store;
}

describe('connections in the store', () => {
  it('keeps the secrets sealed in the file and opens them for the server, never listing them', async () => {
    const path = dbPath();
    const keys = throwawaySecretKeys();
    const store = storeOn(path, keys);
    const saved = await store.saveConnection(hubspot, 'add', T0);
    expect(saved).toMatchObject({ ok: true, value: { tenantId: TENANT, keyId: keys.current.id } });
    expect(await store.getTenant(TENANT)).toMatchObject({ name: 'Portal', externalId: '424242' });

    expect(readFileSync(path).includes(TOKEN)).toBe(false);
    expect(JSON.stringify(await store.listConnections())).not.toContain(TOKEN);
    expect(await store.loadConnections()).toEqual([
      { info: expect.objectContaining({ tenantId: TENANT }), connection: hubspot },
    ]);
  });

  it('refuses a second add of a tenant, and an upsert of what is stored changes nothing', async () => {
    const store = storeOn(dbPath(), throwawaySecretKeys());
    await store.saveConnection(hubspot, 'add', T0);
    const version = await store.connectionsVersion();
    expect(await store.saveConnection(hubspot, 'add', T0 + 1)).toEqual({
      ok: false,
      error: { code: 'duplicate_connection' },
    });
    await store.saveConnection(hubspot, 'upsert', T0 + 2);
    expect(await store.connectionsVersion()).toBe(version);

    await store.saveConnection({ ...hubspot, name: 'Renamed' }, 'upsert', T0 + 3);
    expect(await store.connectionsVersion()).toBe(version + 1);
    expect((await store.listConnections())[0]).toMatchObject({
      name: 'Renamed',
      createdAt: T0,
      updatedAt: T0 + 3,
    });
  });

  it('refuses to store a secret without a key, writing nothing', async () => {
    const store = storeOn(dbPath(), null);
    await expect(store.saveConnection(hubspot, 'add', T0)).rejects.toMatchObject({
      code: 'secret_key_missing',
    });
    expect(await store.listConnections()).toEqual([]);
    expect(await store.getTenant(TENANT)).toBeNull();
  });

  it('a disabled connection loses its secrets at once and is no longer loaded; removal keeps the tenant', async () => {
    const store = storeOn(dbPath(), throwawaySecretKeys());
    await store.saveConnection(hubspot, 'add', T0);
    expect(await store.disableConnection(TENANT, T0 + 5)).toBe(true);
    expect(await store.disableConnection(TENANT, T0 + 6)).toBe(false);
    expect((await store.listConnections())[0]).toMatchObject({ disabledAt: T0 + 5, keyId: null });
    expect(await store.loadConnections()).toEqual([]);

    expect(await store.removeConnection(TENANT)).toBe(true);
    expect(await store.removeConnection(TENANT)).toBe(false);
    expect(await store.listConnections()).toEqual([]);
    expect(await store.getTenant(TENANT)).not.toBeNull();
  });

  it('after a key rotation reads what the previous key sealed, and rekey seals it under the new one', async () => {
    const path = dbPath();
    const old = throwawaySecretKeys();
    const before = storeOn(path, old);
    await before.saveConnection(hubspot, 'add', T0);
    await before.close();

    const fresh = throwawaySecretKeys();
    const rotated = storeOn(path, { current: fresh.current, previous: old.current });
    expect((await rotated.loadConnections())[0]?.connection).toEqual(hubspot);
    expect(await rotated.rekeyConnections(T0 + 1)).toBe(1);
    expect(await rotated.rekeyConnections(T0 + 2)).toBe(0);
    await rotated.close();

    const newOnly = storeOn(path, fresh);
    expect((await newOnly.listConnections())[0]?.keyId).toBe(fresh.current.id);
    expect((await newOnly.loadConnections())[0]?.connection).toEqual(hubspot);
    await newOnly.close();

    const oldOnly = storeOn(path, old);
    const refused = await oldOnly.loadConnections().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SecretError);
    expect(refused).toMatchObject({ code: 'secret_key_unknown' });
    expect(String((refused as Error).message)).not.toContain(TOKEN);
  });

  it('a sealed secret moved onto another tenant does not open', async () => {
    const path = dbPath();
    const keys = throwawaySecretKeys();
    const store = storeOn(path, keys);
    await store.saveConnection(hubspot, 'add', T0);
    const other: Connection = {
      ...hubspot,
      portalId: '777',
      auth: { kind: 'private_app', token: 'pat-other-token-xx' },
    };
    await store.saveConnection(other, 'add', T0);
    await store.close();
    const db = new Database(path);
    db.prepare(
      `UPDATE connections SET auth_sealed = (SELECT auth_sealed FROM connections WHERE tenant_id = ?) WHERE tenant_id = ?`,
    ).run(TENANT, 'hubspot:777');
    db.close();
    await expect(storeOn(path, keys).loadConnections()).rejects.toMatchObject({ code: 'secret_unreadable' });
  });

  it('purges a tenant only once its connection is disabled or removed, the retention period after uninstall', async () => {
    const store = storeOn(dbPath(), throwawaySecretKeys());
    await store.saveConnection(hubspot, 'add', T0);
    await store.replaceUserRoles(TENANT, [{ crmUserId: '7', roles: ['chief_abm_officer'] }], {
      at: T0,
      by: null,
    });
    await store.issueCredential(TENANT, { grant: { kind: 'admin_token', role: 'admin' }, now: T0 });
    expect(await store.purgeTenant(TENANT)).toBe('connected');
    expect(await store.rolesOf(TENANT, '7')).toEqual(['chief_abm_officer']);

    await store.disableConnection(TENANT, T0);
    expect(await purgeUninstalled(store, T0 + 29 * DAY)).toEqual([]);
    expect(await purgeUninstalled(store, T0 + 30 * DAY)).toEqual([TENANT]);
    expect(await store.getTenant(TENANT)).toBeNull();
    expect((await store.userRoles(TENANT)).users).toEqual([]);
    expect(await store.listCredentials(TENANT)).toEqual([]);
    expect(await store.listConnections()).toEqual([]);
    expect(await store.purgeTenant(TENANT)).toBe('unknown');
  });
});
