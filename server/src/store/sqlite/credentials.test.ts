import { createHash } from 'node:crypto';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_ROTATION_GRACE_MS } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import { DAY, openTempStore, T0, TENANT_A, TENANT_B } from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const API_KEY = { kind: 'salesforce_api_key' } as const;
const ADMIN = { kind: 'admin_token', role: 'admin' } as const;
const VIEWER = { kind: 'admin_token', role: 'viewer' } as const;

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('issuing a credential', () => {
  it('returns the plaintext once and stores only a hash of its secret', async () => {
    const issued = await temp.store.issueCredential(B, {
      grant: API_KEY,
      now: T0,
      label: 'Named Credential',
    });
    expect(issued.plaintext).toMatch(/^abm_sf_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(issued.plaintext.startsWith(`${issued.id}.`)).toBe(true);
    expect(issued).toMatchObject({
      grant: API_KEY,
      label: 'Named Credential',
      createdAt: T0,
      expiresAt: null,
    });

    const listed = await temp.store.listCredentials(B);
    expect(listed).toEqual([
      {
        id: issued.id,
        grant: API_KEY,
        label: 'Named Credential',
        createdAt: T0,
        expiresAt: null,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(issued.plaintext.split('.')[1]);

    await temp.store.close();
    const db = new Database(temp.path, { readonly: true });
    const stored = db.prepare<[], { secret_hash: Buffer }>('SELECT * FROM credentials').all();
    db.close();
    const secret = issued.plaintext.split('.')[1]!;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.secret_hash).toEqual(createHash('sha256').update(secret).digest());
    expect(JSON.stringify(stored)).not.toContain(secret);
    await temp.reopen();
  });

  it('makes a different key every time', async () => {
    const keys = await Promise.all(
      Array.from({ length: 20 }, () =>
        temp.store.issueCredential(A, { grant: VIEWER, now: T0, rotate: false }),
      ),
    );
    expect(new Set(keys.map((key) => key.plaintext)).size).toBe(20);
    expect(new Set(keys.map((key) => key.id)).size).toBe(20);
  });
});

describe('resolving a presented key', () => {
  it("finds the key's tenant and grant, across tenants", async () => {
    const keyA = await temp.store.issueCredential(A, { grant: API_KEY, now: T0 });
    const keyB = await temp.store.issueCredential(B, { grant: API_KEY, now: T0 });
    const adminB = await temp.store.issueCredential(B, { grant: ADMIN, now: T0 });
    expect(await temp.store.resolveCredential('salesforce_api_key', keyA.plaintext, T0 + 1)).toEqual({
      tenantId: A,
      credentialId: keyA.id,
      grant: API_KEY,
      expiresAt: null,
    });
    expect(await temp.store.resolveCredential('salesforce_api_key', keyB.plaintext, T0 + 1)).toMatchObject({
      tenantId: B,
    });
    expect(await temp.store.resolveCredential('admin_token', adminB.plaintext, T0 + 1)).toEqual({
      tenantId: B,
      credentialId: adminB.id,
      grant: ADMIN,
      expiresAt: null,
    });
  });

  it("never resolves a key of org A to org B, even with B's id and A's secret", async () => {
    const keyA = await temp.store.issueCredential(A, { grant: API_KEY, now: T0 });
    const keyB = await temp.store.issueCredential(B, { grant: API_KEY, now: T0 });
    const [idA, secretA] = keyA.plaintext.split('.') as [string, string];
    const [idB, secretB] = keyB.plaintext.split('.') as [string, string];
    expect(await temp.store.resolveCredential('salesforce_api_key', `${idB}.${secretA}`, T0)).toBeNull();
    expect(await temp.store.resolveCredential('salesforce_api_key', `${idA}.${secretB}`, T0)).toBeNull();
  });

  it('refuses malformed, unknown, tampered and wrong-kind keys', async () => {
    const key = await temp.store.issueCredential(A, { grant: API_KEY, now: T0 });
    const admin = await temp.store.issueCredential(A, { grant: ADMIN, now: T0 });
    const [id, secret] = key.plaintext.split('.') as [string, string];
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const refused = [
      '',
      'Bearer x',
      id,
      `${id}.`,
      `${id}.${flipped}`,
      `${id}.${secret}x`,
      `abm_sf_0000000000000000.${secret}`,
      `${key.plaintext} `,
      key.plaintext.toUpperCase(),
      `${key.plaintext}${'x'.repeat(10_000)}`,
    ];
    for (const presented of refused) {
      expect(await temp.store.resolveCredential('salesforce_api_key', presented, T0)).toBeNull();
    }
    expect(await temp.store.resolveCredential('admin_token', key.plaintext, T0)).toBeNull();
    expect(await temp.store.resolveCredential('salesforce_api_key', admin.plaintext, T0)).toBeNull();
  });
});

describe('rotation and revocation', () => {
  it('keeps the replaced key working through the grace period, then stops it', async () => {
    const old = await temp.store.issueCredential(B, { grant: API_KEY, now: T0 });
    const rotatedAt = T0 + DAY;
    const fresh = await temp.store.issueCredential(B, { grant: API_KEY, now: rotatedAt });
    const graceEnd = rotatedAt + DEFAULT_ROTATION_GRACE_MS;

    const resolve = (plaintext: string, now: number) =>
      temp.store.resolveCredential('salesforce_api_key', plaintext, now);
    expect(await resolve(old.plaintext, graceEnd - 1)).toMatchObject({ tenantId: B });
    expect(await resolve(old.plaintext, graceEnd)).toBeNull();
    expect(await resolve(fresh.plaintext, graceEnd + 365 * DAY)).toMatchObject({ tenantId: B });
    expect((await temp.store.listCredentials(B)).map((c) => [c.id, c.expiresAt])).toEqual([
      [fresh.id, null],
      [old.id, graceEnd],
    ]);
  });

  it('never extends a grace already running, and ends it at once with a zero grace', async () => {
    const first = await temp.store.issueCredential(B, { grant: API_KEY, now: T0 });
    await temp.store.issueCredential(B, { grant: API_KEY, now: T0, graceMs: DAY });
    await temp.store.issueCredential(B, { grant: API_KEY, now: T0 + 1, graceMs: 30 * DAY });
    const listed = await temp.store.listCredentials(B);
    expect(listed.find((c) => c.id === first.id)?.expiresAt).toBe(T0 + DAY);

    const third = listed[0]!;
    await temp.store.issueCredential(B, { grant: API_KEY, now: T0 + 2, graceMs: 0 });
    expect((await temp.store.listCredentials(B)).find((c) => c.id === third.id)?.expiresAt).toBe(T0 + 2);
  });

  it('rotates only credentials of the same grant and tenant, and adds one beside them on request', async () => {
    const viewer = await temp.store.issueCredential(A, { grant: VIEWER, now: T0 });
    const keyA = await temp.store.issueCredential(A, { grant: API_KEY, now: T0 });
    const keyB = await temp.store.issueCredential(B, { grant: API_KEY, now: T0 });
    await temp.store.issueCredential(A, { grant: ADMIN, now: T0 + 1, graceMs: 0 });
    await temp.store.issueCredential(A, { grant: API_KEY, now: T0 + 1, graceMs: 0, rotate: false });
    const late = T0 + 100 * DAY;
    for (const [kind, key, tenantId] of [
      ['admin_token', viewer, A],
      ['salesforce_api_key', keyA, A],
      ['salesforce_api_key', keyB, B],
    ] as const) {
      expect(await temp.store.resolveCredential(kind, key.plaintext, late)).toMatchObject({ tenantId });
    }
  });

  it('revokes at once, only within the tenant, and only once', async () => {
    const keyA = await temp.store.issueCredential(A, { grant: API_KEY, now: T0 });
    expect(await temp.store.revokeCredential(B, keyA.id, T0 + 1)).toBe(false);
    expect(await temp.store.resolveCredential('salesforce_api_key', keyA.plaintext, T0 + 2)).not.toBeNull();
    expect(await temp.store.revokeCredential(A, keyA.id, T0 + 3)).toBe(true);
    expect(await temp.store.revokeCredential(A, keyA.id, T0 + 4)).toBe(false);
    expect(await temp.store.resolveCredential('salesforce_api_key', keyA.plaintext, T0 + 3)).toBeNull();
    expect((await temp.store.listCredentials(A))[0]?.revokedAt).toBe(T0 + 3);
    expect(await temp.store.listCredentials(B)).toEqual([]);
  });
});
