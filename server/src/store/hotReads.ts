import { createHash } from 'node:crypto';

import type { Store } from './ports.ts';

// Every card request resolves its credential, its tenant, the acting user and their roles, and the
// governance config before it reads the account: five lookups that change rarely, against one that changes
// often. This keeps the five in memory for a few seconds. Writes made through this store forget what they
// change at once; writes made by another process (a CLI revoking a key) are seen within `ttlMs`.

export interface HotReadOptions {
  /** How long a remembered read may serve. A revoked key stops working within this time. */
  readonly ttlMs?: number;
  /** A monotonic clock in ms; the store's instants come from the callers' business clock instead. */
  readonly monotonic?: () => number;
  /** Entries per kind of read before the oldest are dropped. */
  readonly maxEntries?: number;
}

export const DEFAULT_HOT_READ_TTL_MS = 5_000;

interface Entry<V> {
  readonly value: V;
  readonly storedAt: number;
  /** The caller's business instant when read, for reads that depend on it (credential expiry). */
  readonly readAtInstant: number;
}

class TtlMap<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly monotonic: () => number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, instant = 0): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const age = this.monotonic() - entry.storedAt;
    const businessAge = instant - entry.readAtInstant;
    if (age >= this.ttlMs || businessAge < 0 || businessAge >= this.ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, instant = 0): void {
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, storedAt: this.monotonic(), readAtInstant: instant });
  }

  forgetTenant(tenantId: string): void {
    for (const key of this.#entries.keys())
      if (key.startsWith(`${tenantId}\u0000`)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

const scoped = (tenantId: string, id: string): string => `${tenantId}\u0000${id}`;

interface Recall {
  /** The caller's business instant, for reads that depend on it. */
  readonly instant?: number;
  /**
   * Whether "none" is worth remembering: yes for a tenant's absent config or an unsynced user, no for an
   * unknown key, so that a flood of wrong keys never pushes out the known ones.
   */
  readonly rememberNone?: boolean;
}

async function remembered<V>(
  map: TtlMap<{ readonly value: V }>,
  key: string,
  read: () => Promise<V>,
  { instant = 0, rememberNone = true }: Recall = {},
): Promise<V> {
  const hit = map.get(key, instant);
  if (hit !== undefined) return hit.value;
  const value = await read();
  if (value !== null || rememberNone) map.set(key, { value }, instant);
  return value;
}

export function withHotReads(store: Store, options: HotReadOptions = {}): Store {
  const ttlMs = options.ttlMs ?? DEFAULT_HOT_READ_TTL_MS;
  const monotonic = options.monotonic ?? (() => performance.now());
  const maxEntries = options.maxEntries ?? 10_000;
  const map = <V>() => new TtlMap<{ readonly value: V }>(ttlMs, monotonic, maxEntries);

  const credentials = map<Awaited<ReturnType<Store['resolveCredential']>>>();
  const tenants = map<Awaited<ReturnType<Store['getTenant']>>>();
  const owners = map<Awaited<ReturnType<Store['getOwner']>>>();
  const loginUsers = map<Awaited<ReturnType<Store['ownerOfLoginUser']>>>();
  const roles = map<Awaited<ReturnType<Store['rolesOf']>>>();
  const configs = map<Awaited<ReturnType<Store['currentGovernanceConfig']>>>();

  return {
    ...store,

    resolveCredential: async (kind, presented, now) => {
      const resolved = await remembered(
        credentials,
        // Keyed by a hash: the process never holds a table of plaintext keys.
        `${kind}\u0000${createHash('sha256').update(String(presented)).digest('base64')}`,
        () => store.resolveCredential(kind, presented, now),
        { instant: now, rememberNone: false },
      );
      // A remembered key still ends exactly when its rotation grace does.
      return resolved && (resolved.expiresAt === null || now < resolved.expiresAt) ? resolved : null;
    },
    getTenant: (tenantId) =>
      remembered(tenants, tenantId, () => store.getTenant(tenantId), { rememberNone: false }),
    getOwner: (tenantId, crmId) =>
      remembered(owners, scoped(tenantId, crmId), () => store.getOwner(tenantId, crmId)),
    ownerOfLoginUser: (tenantId, loginUserId) =>
      remembered(loginUsers, scoped(tenantId, loginUserId), () =>
        store.ownerOfLoginUser(tenantId, loginUserId),
      ),
    rolesOf: (tenantId, crmUserId) =>
      remembered(roles, scoped(tenantId, crmUserId), () => store.rolesOf(tenantId, crmUserId)),
    currentGovernanceConfig: (tenantId) =>
      remembered(configs, scoped(tenantId, 'config'), () => store.currentGovernanceConfig(tenantId)),

    async issueCredential(tenantId, issue) {
      // Issuing rotates: the tenant's older keys of the same grant start expiring.
      credentials.clear();
      const issued = await store.issueCredential(tenantId, issue);
      // Again after the write: a read that raced it may have remembered the old key as current.
      credentials.clear();
      return issued;
    },
    async revokeCredential(tenantId, credentialId, now) {
      const revoked = await store.revokeCredential(tenantId, credentialId, now);
      credentials.clear();
      return revoked;
    },
    async upsertTenant(tenant) {
      await store.upsertTenant(tenant);
      tenants.clear();
    },
    async savePage(tenantId, page, now) {
      const saved = await store.savePage(tenantId, page, now);
      if (page.kind === 'owners') {
        owners.forgetTenant(tenantId);
        loginUsers.forgetTenant(tenantId);
      }
      return saved;
    },
    async replaceUserRoles(tenantId, assignments, meta) {
      const replaced = await store.replaceUserRoles(tenantId, assignments, meta);
      roles.forgetTenant(tenantId);
      return replaced;
    },
    async saveGovernanceConfig(tenantId, config, meta) {
      const saved = await store.saveGovernanceConfig(tenantId, config, meta);
      configs.forgetTenant(tenantId);
      return saved;
    },
  };
}
