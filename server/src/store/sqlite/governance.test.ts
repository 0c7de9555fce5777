import { DEFAULT_GOVERNANCE_CONFIG, transitionApproval } from '@abm-pilot/shared';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { StoredAuditEntry } from '../ports.ts';
import type { TempStore } from './testSupport.ts';
import {
  account,
  approval,
  audit,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  openTempStore,
  page,
  slaInstance,
  T0,
  TENANT_A,
} from './testSupport.ts';

const A = TENANT_A.id;
const committee = { userId: 'u-committee', role: 'abm_committee' } as const;
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await temp.store.savePage(A, page('accounts', [account('a1'), account('a2'), account('a3')]), T0);
  const contexts = await temp.store.loadAccountContexts(A, ['a1', 'a2', 'a3'], 0);
  await temp.store.saveComputation(A, { ...emptyBatch, accounts: contexts.map((c) => computation(c)) });
});
afterEach(async () => {
  await temp.cleanup();
});

describe('tier decisions from the API', () => {
  it('applies a tier with its audit entry and marks the account for compute', async () => {
    const context = await contextOf(temp.store, A, 'a1');
    const result = await temp.store.recordTierDecision(A, {
      accountCrmId: 'a1',
      basedOnRevision: context.state.revision,
      audit: audit('a1', T0 + 1, { fromTier: 'tier_2', toTier: 'tier_3' }),
      assignTier: { tier: 'tier_3', at: T0 + 1 },
    });
    expect(result.ok).toBe(true);
    const after = await contextOf(temp.store, A, 'a1');
    expect(after.state).toMatchObject({ assignedTier: 'tier_3', tieredAt: T0 + 1 });
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1']);
    expect((await temp.store.accountAudit(A, 'a1', { limit: 5 })).entries).toMatchObject([
      { toTier: 'tier_3' },
    ]);
  });

  it('puts an applied tier in the outbox and remembers that the CRM may still show the old one', async () => {
    await temp.store.markAccountsWritten(A, [{ crmId: 'a1', fields: { tier: 'tier_2', score: 60 } }]);
    const context = await contextOf(temp.store, A, 'a1');
    await temp.store.recordTierDecision(A, {
      accountCrmId: 'a1',
      basedOnRevision: context.state.revision,
      audit: audit('a1', T0 + 1, { fromTier: 'tier_2', toTier: 'tier_3' }),
      assignTier: { tier: 'tier_3', at: T0 + 1 },
    });
    const after = await contextOf(temp.store, A, 'a1');
    expect(after.state.tierLedger).toEqual(['tier_2']);
    expect(after.writeBack.desired?.tier).toBe('tier_3');
    expect(await temp.store.pendingAccountWrites(A, 10, ['a1'])).toEqual([
      { crmId: 'a1', fields: expect.objectContaining({ tier: 'tier_3' }) },
    ]);
  });

  it('refuses a decision whose seat limit the tier already reached, with the counts to route it again', async () => {
    // a1, a2 and a3 are tier_2: with a limit of 3 others, a fourth account fits; with 2 it does not.
    await temp.store.savePage(A, page('accounts', [account('a4')]), T0);
    const [fourth] = await temp.store.loadAccountContexts(A, ['a4'], 0);
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [computation(fourth!, { assignedTier: 'tier_3' })],
    });
    const context = await contextOf(temp.store, A, 'a4');
    const decide = (limit: number) =>
      temp.store.recordTierDecision(A, {
        accountCrmId: 'a4',
        basedOnRevision: context.state.revision,
        audit: audit('a4', T0 + 1, { fromTier: 'tier_3', toTier: 'tier_2' }),
        assignTier: { tier: 'tier_2', at: T0 + 1 },
        seatGuard: { tier: 'tier_2', limit },
      });

    expect(await decide(3)).toMatchObject({
      ok: false,
      error: { code: 'seats_taken', counts: { tier_1: 0, tier_2: 3, tier_3: 1 } },
    });
    expect((await contextOf(temp.store, A, 'a4')).state.assignedTier).toBe('tier_3');
    expect((await temp.store.accountAudit(A, 'a4', { limit: 5 })).entries).toEqual([]);
    expect(await decide(4)).toMatchObject({ ok: true });
    expect((await contextOf(temp.store, A, 'a4')).state.assignedTier).toBe('tier_2');
  });

  it('opens an approval with its SLA clock, and refuses a second decision routed on the same revision', async () => {
    const context = await contextOf(temp.store, A, 'a1');
    const clock = slaInstance('a1', {
      kind: 'approval_decision',
      approvalId: 'p1',
      key: 'approval_decision:a1:1',
    });
    const open = {
      accountCrmId: 'a1',
      basedOnRevision: context.state.revision,
      audit: audit('a1', T0, { outcome: 'needs_approval', toTier: 'tier_1' }),
      openApproval: approval('p1', 'a1'),
      slaInstances: [clock],
    };
    expect((await temp.store.recordTierDecision(A, open)).ok).toBe(true);
    const again = await temp.store.recordTierDecision(A, { ...open, openApproval: approval('p2', 'a1') });
    expect(again).toMatchObject({ ok: false, error: { code: 'stale_context' } });
    const after = await contextOf(temp.store, A, 'a1');
    expect(after.pendingApproval?.id).toBe('p1');
    expect(after.slaInstances).toEqual([clock]);
  });
});

describe('approvals', () => {
  beforeEach(async () => {
    const contexts = await temp.store.loadAccountContexts(A, ['a1', 'a2', 'a3'], 0);
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: contexts.map((c) => computation(c)),
      approvals: [
        approval('p-late', 'a1', { dueAt: T0 + 9 * DAY }),
        approval('p-soon', 'a2', { dueAt: T0 + 2 * DAY }),
        approval('p-manager', 'a3', { route: 'sales_request', approverRoles: ['abm_manager'] }),
      ],
    });
  });

  it('lists pending approvals earliest due first, filtered by who may decide them', async () => {
    expect((await temp.store.pendingApprovals(A)).map((a) => a.id)).toEqual([
      'p-soon',
      'p-manager',
      'p-late',
    ]);
    const forCommittee = await temp.store.pendingApprovals(A, { approverRole: 'abm_committee' });
    expect(forCommittee.map((a) => a.id)).toEqual(['p-soon', 'p-late']);
    expect(
      (await temp.store.pendingApprovals(A, { approverRole: 'abm_manager', limit: 5 })).map((a) => a.id),
    ).toEqual(['p-manager']);
    expect(await temp.store.pendingApprovals(A, { limit: 1 })).toHaveLength(1);
    expect(await temp.store.getApproval(A, 'p-late')).toEqual(
      approval('p-late', 'a1', { dueAt: T0 + 9 * DAY }),
    );
  });

  it('persists a decision with its audit entry and tier, once: a second decision finds it settled', async () => {
    const pending = await temp.store.getApproval(A, 'p-late');
    const transition = transitionApproval(
      pending!,
      { type: 'approve', by: committee, comment: 'go' },
      T0 + DAY,
    );
    if (!transition.ok) throw new Error(transition.error.message);
    const { approval: settled, audit: entry } = transition.value;

    const decided = await temp.store.decideApproval(A, {
      approval: settled,
      audit: entry,
      assignTier: { tier: 'tier_1', at: T0 + DAY },
    });
    expect(decided).toEqual({ ok: true, value: settled });
    expect(await temp.store.getApproval(A, 'p-late')).toEqual(settled);
    const context = await contextOf(temp.store, A, 'a1');
    expect(context.pendingApproval).toBeNull();
    expect(context.state.assignedTier).toBe('tier_1');
    expect(await temp.store.accountsToCompute(A, 10)).toContain('a1');
    expect((await temp.store.accountAudit(A, 'a1', { limit: 5 })).entries).toMatchObject([
      { action: 'approval_decision', outcome: 'approved', approvalId: 'p-late' },
    ]);

    const twice = await temp.store.decideApproval(A, { approval: settled, audit: entry });
    expect(twice).toMatchObject({ ok: false, error: { code: 'approval_not_pending' } });
    expect((await temp.store.accountAudit(A, 'a1', { limit: 5 })).entries).toHaveLength(1);
    const missing = await temp.store.decideApproval(A, {
      approval: { ...settled, id: 'nope' },
      audit: entry,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'approval_not_found' } });
  });
});

describe('the audit log', () => {
  const entries = async () => {
    // 25 entries on two accounts, several sharing the same instant: ties are broken by id.
    const all = Array.from({ length: 25 }, (_, i) =>
      audit(i % 2 === 0 ? 'a1' : 'a2', T0 + Math.floor(i / 3)),
    );
    await temp.store.saveComputation(A, { ...emptyBatch, audit: all });
  };

  async function readAll(
    read: (before: StoredAuditEntry | null) => ReturnType<typeof temp.store.tenantAudit>,
  ) {
    const seen: StoredAuditEntry[] = [];
    let pages = 0;
    let next: StoredAuditEntry | null = null;
    for (;;) {
      const result = await read(next);
      pages++;
      seen.push(...result.entries);
      if (result.next === null) break;
      next = result.entries.at(-1)!;
      expect(result.next).toEqual({ at: next.at, id: next.id });
    }
    return { seen, pages };
  }

  it('pages a tenant log newest first on (at, id), without gaps or repeats', async () => {
    await entries();
    const { seen, pages } = await readAll((before) =>
      temp.store.tenantAudit(A, { limit: 10, before: before && { at: before.at, id: before.id } }),
    );
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen.map((e) => e.id)).size).toBe(25);
    const keys = seen.map((e) => [e.at, e.id] as const);
    const sorted = [...keys].sort((x, y) => y[0] - x[0] || y[1] - x[1]);
    expect(keys).toEqual(sorted);
  });

  it("pages one account's log, with nothing of another account", async () => {
    await entries();
    const { seen } = await readAll((before) =>
      temp.store.accountAudit(A, 'a2', { limit: 5, before: before && { at: before.at, id: before.id } }),
    );
    expect(seen).toHaveLength(12);
    expect(seen.every((e) => e.accountId === 'a2')).toBe(true);
  });

  it('ends with next = null when the last page is exactly full', async () => {
    await temp.store.saveComputation(A, { ...emptyBatch, audit: [audit('a1', T0), audit('a1', T0 + 1)] });
    const page1 = await temp.store.tenantAudit(A, { limit: 2 });
    expect(page1.entries).toHaveLength(2);
    expect(page1.next).toBeNull();
  });

  it('cannot be edited or deleted, even with SQL', async () => {
    await entries();
    const db = new Database(temp.path);
    expect(() => db.prepare("UPDATE audit_log SET reason = 'rewritten'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('governance config versions', () => {
  const config = DEFAULT_GOVERNANCE_CONFIG;
  const save = (basedOnVersion: number | null, savedAt = T0) =>
    temp.store.saveGovernanceConfig(A, config, { basedOnVersion, savedAt, savedBy: 'admin' });

  it('stores each save as the next version, keeps the old ones, and refuses a concurrent edit', async () => {
    expect(await temp.store.currentGovernanceConfig(A)).toBeNull();
    expect((await save(null)).ok).toBe(true);
    const changed = {
      ...config,
      tiers: { ...config.tiers, capacity: { tier_1: 30, tier_2: 100, tier_3: 500 } },
    };
    const second = await temp.store.saveGovernanceConfig(A, changed, {
      basedOnVersion: 1,
      savedAt: T0 + 1,
      savedBy: null,
    });
    expect(second).toMatchObject({ ok: true, value: { version: 2, config: { version: 2 } } });

    expect(await save(1)).toMatchObject({ ok: false, error: { code: 'config_version_conflict' } });
    const current = await temp.store.currentGovernanceConfig(A);
    expect(current).toMatchObject({ version: 2, savedAt: T0 + 1, savedBy: null });
    expect(current?.config.tiers.capacity.tier_1).toBe(30);
    expect((await temp.store.governanceConfigVersion(A, 1))?.config.tiers.capacity.tier_1).toBe(25);
    expect(await temp.store.governanceConfigVersions(A)).toEqual([
      { version: 2, savedAt: T0 + 1, savedBy: null },
      { version: 1, savedAt: T0, savedBy: 'admin' },
    ]);
  });

  it('marks every live account for compute with the new version', async () => {
    expect(await temp.store.accountsToCompute(A, 10)).toEqual([]);
    await save(null);
    expect(await temp.store.accountsToCompute(A, 10)).toEqual(['a1', 'a2', 'a3']);
  });

  it('refuses a config that does not validate', async () => {
    const invalid = { ...config, tiers: { ...config.tiers, hysteresis: -1 } };
    await expect(
      temp.store.saveGovernanceConfig(A, invalid, { basedOnVersion: null, savedAt: T0, savedBy: null }),
    ).rejects.toThrow();
    expect(await temp.store.currentGovernanceConfig(A)).toBeNull();
  });
});
