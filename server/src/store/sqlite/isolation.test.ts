import { DEFAULT_GOVERNANCE_CONFIG, transitionApproval } from '@abm-pilot/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SYNC_KINDS } from '../../model.ts';
import type { Store } from '../ports.ts';
import {
  account,
  approval,
  audit,
  computation,
  contact,
  DAY,
  deal,
  engagement,
  fields,
  openTempStore,
  owner,
  page,
  score,
  slaInstance,
  T0,
  task,
  TENANT_A,
  TENANT_B,
} from './testSupport.ts';

// Two tenants hold records under the very same CRM ids, each stamped with its own marker. Whatever writes
// go through one tenant, in any order, the other's view through every read method stays exactly as it
// was, and neither ever reads the other's marker.

const A = TENANT_A.id;
const B = TENANT_B.id;
const IDS = ['a1', 'a2', 'a3'];
const SINCE = T0 - 90 * DAY;
const TTL = 3_600_000;
const REP = { userId: 'rep', role: 'sales_rep' } as const;

async function populate(store: Store, tenantId: string, marker: string, value: number): Promise<void> {
  await store.savePage(tenantId, page('owners', [owner('o1', { name: marker })]), T0);
  await store.savePage(
    tenantId,
    page(
      'accounts',
      IDS.map((id) => account(id, { name: `${marker} ${id}` })),
    ),
    T0,
  );
  await store.savePage(tenantId, page('contacts', [contact('c1', 'a1', { buyingRole: 'champion' })]), T0);
  await store.savePage(tenantId, page('deals', [deal('d1', 'a1', { amount: value })]), T0);
  await store.savePage(tenantId, page('engagements', [engagement('e1', 'a2')]), T0);
  const contexts = await store.loadAccountContexts(tenantId, IDS, SINCE);
  const saved = await store.saveComputation(tenantId, {
    accounts: contexts.map((context) =>
      computation(context, {
        score: score(value, marker),
        slaInstances: [slaInstance(context.account.crmId, { ownerId: marker })],
        desiredFields: fields({ score: value, tierReason: marker }),
      }),
    ),
    audit: [audit('a1', T0, { reason: marker }), audit('a2', T0 + 1, { reason: marker })],
    approvals: [approval('p1', 'a1', { reason: marker })],
  });
  if (!saved.ok) throw new Error(saved.error.message);
  await store.enqueueTasks(
    tenantId,
    [task('k1', 'a1', { subject: marker }), task('k2', 'a2', { subject: marker })],
    T0,
  );
  await store.saveGovernanceConfig(tenantId, DEFAULT_GOVERNANCE_CONFIG, {
    basedOnVersion: null,
    savedAt: T0,
    savedBy: marker,
  });
  const run = await store.startRun(tenantId, { kind: 'sync', holder: marker, startedAt: T0 });
  await store.finishRun(tenantId, run.id, {
    status: 'succeeded',
    finishedAt: T0,
    counts: { value },
    error: null,
  });
  await store.tryAcquireLease(tenantId, marker, TTL, T0);
  await store.issueCredential(tenantId, { grant: { kind: 'salesforce_api_key' }, now: T0, label: marker });
  await store.issueCredential(tenantId, {
    grant: { kind: 'admin_token', role: 'admin' },
    now: T0,
    label: marker,
  });
  await store.rememberResponse(tenantId, 'idem-1', marker, { status: 200, body: { marker } }, T0);
  await store.replaceUserRoles(tenantId, [{ crmUserId: 'o1', roles: ['abm_manager'] }], {
    at: T0,
    by: marker,
  });
  await store.appendCostLines(
    tenantId,
    [{ period: '2026-01', category: 'content', amount: value, note: marker }],
    { at: T0, by: marker },
  );
  await store.recordWebhookEvents(
    tenantId,
    [{ eventId: 'e1', objectType: 'accounts', objectId: 'a1', occurredAt: T0 }],
    T0,
  );
  const [a2] = await store.loadAccountContexts(tenantId, ['a2'], SINCE);
  const feedback = await store.recordHandoverFeedback(tenantId, {
    feedback: { accountCrmId: 'a2', decision: 'accepted', reasonCode: marker, at: T0, actor: REP },
    basedOnRevision: a2?.state.revision ?? 0,
  });
  if (!feedback.ok) throw new Error(feedback.error.message);
}

/** Everything a tenant can read. `pendingTasks` claims what it returns, which no read shows. */
async function view(store: Store, tenantId: string) {
  return {
    tenant: await store.getTenant(tenantId),
    cursors: await Promise.all(SYNC_KINDS.map((kind) => store.cursor(tenantId, kind))),
    toCompute: await store.accountsToCompute(tenantId, 100),
    contexts: await store.loadAccountContexts(tenantId, [...IDS, 'c1', 'd1'], SINCE),
    tierCounts: await store.tierCounts(tenantId),
    openSla: await store.openSlaInstances(tenantId),
    writes: await store.pendingAccountWrites(tenantId, 100),
    tasks: await store.pendingTasks(tenantId, 100),
    taskK1: await store.getTask(tenantId, 'k1'),
    approvals: await store.pendingApprovals(tenantId),
    approvalP1: await store.getApproval(tenantId, 'p1'),
    accountAudit: await store.accountAudit(tenantId, 'a1', { limit: 100 }),
    tenantAudit: await store.tenantAudit(tenantId, { limit: 100 }),
    runs: await store.recentRuns(tenantId, 100),
    lastRun: await store.lastSucceededRun(tenantId, 'sync'),
    config: await store.currentGovernanceConfig(tenantId),
    configVersion: await store.governanceConfigVersion(tenantId, 1),
    configVersions: await store.governanceConfigVersions(tenantId),
    credentials: await store.listCredentials(tenantId),
    idempotency: await store.recallResponse(tenantId, 'idem-1', T0),
    roles: await store.userRoles(tenantId),
    rolesOfO1: await store.rolesOf(tenantId, 'o1'),
    managers: await store.usersWithRole(tenantId, 'abm_manager'),
    owner: await store.getOwner(tenantId, 'o1'),
    owners: await store.listOwners(tenantId),
    costs: await store.costLines(tenantId),
    hints: await store.takeSyncHints(tenantId, 100),
    feedback: await store.handoverFeedback(tenantId),
    feedbackA2: await store.handoverFeedback(tenantId, { accountCrmId: 'a2' }),
    cards: await Promise.all(IDS.map((id) => store.accountCard(tenantId, id))),
    metrics: await store.listAccountsForMetrics(tenantId),
  };
}

type Write = { readonly name: string; run(store: Store, tenantId: string): Promise<unknown> };

/** Every write method, aimed at one tenant with ids the other tenant also uses. */
const WRITES: readonly Write[] = [
  {
    name: 'savePage upserts',
    run: (s, t) =>
      s.savePage(t, page('accounts', [account('a1', { name: 'changed', modifiedAt: T0 + DAY })]), T0),
  },
  { name: 'savePage deletes', run: (s, t) => s.savePage(t, page('deals', [], { deleted: ['d1'] }), T0) },
  {
    name: 'savePage merges',
    run: (s, t) =>
      s.savePage(
        t,
        page('accounts', [account('a1', { modifiedAt: T0 + 2 * DAY, mergedFromCrmIds: ['a2'] })]),
        T0,
      ),
  },
  {
    name: 'savePage removes an account',
    run: (s, t) => s.savePage(t, page('accounts', [], { deleted: ['a3'] }), T0),
  },
  { name: 'resetCursor', run: (s, t) => s.resetCursor(t, 'accounts') },
  { name: 'markForCompute', run: (s, t) => s.markForCompute(t, 'all') },
  {
    name: 'saveComputation',
    run: async (s, t) => {
      const contexts = await s.loadAccountContexts(t, IDS, SINCE);
      return s.saveComputation(t, {
        accounts: contexts.map((c) =>
          computation(c, { assignedTier: 'tier_1', desiredFields: fields({ score: 1 }) }),
        ),
        audit: [audit('a1', T0 + 5)],
        approvals: [],
      });
    },
  },
  {
    name: 'markAccountsWritten',
    run: async (s, t) => s.markAccountsWritten(t, await s.pendingAccountWrites(t, 100)),
  },
  {
    name: 'markAccountWritesFailed',
    run: (s, t) =>
      s.markAccountWritesFailed(
        t,
        IDS.map((id) => ({ id, code: 'X', message: 'x' })),
      ),
  },
  { name: 'enqueueTasks', run: (s, t) => s.enqueueTasks(t, [task('k2', 'a2', { priority: 'high' })], T0) },
  {
    name: 'markTasksSent',
    run: async (s, t) =>
      s.markTasksSent(t, new Map((await s.pendingTasks(t, 100)).map((k) => [k.key, 'crm-x']))),
  },
  { name: 'markTasksFailed', run: (s, t) => s.markTasksFailed(t, [{ id: 'k1', code: 'X', message: 'x' }]) },
  {
    name: 'decideApproval',
    run: async (s, t) => {
      const pending = await s.getApproval(t, 'p1');
      if (pending === null) return;
      const by = { userId: 'u', role: 'abm_committee' } as const;
      const settled = transitionApproval(pending, { type: 'reject', by, comment: 'no' }, T0 + DAY);
      if (settled.ok)
        await s.decideApproval(t, { ...settled.value, assignTier: { tier: null, at: T0 + DAY } });
    },
  },
  {
    name: 'recordTierDecision',
    run: async (s, t) => {
      const [context] = await s.loadAccountContexts(t, ['a1'], SINCE);
      if (context === undefined) return;
      await s.recordTierDecision(t, {
        accountCrmId: 'a1',
        basedOnRevision: context.state.revision,
        audit: audit('a1', T0 + 9),
        assignTier: { tier: 'tier_3', at: T0 + 9 },
        slaInstances: [],
      });
    },
  },
  {
    name: 'importHistory',
    run: (s, t) =>
      s.importHistory(t, {
        audit: [audit('a1', T0 - DAY, { route: 'tier_1', outcome: 'approved' })],
        approvals: [approval('p9', 'a1', { state: 'approved', decidedAt: T0 - DAY })],
        slaInstances: [slaInstance('a2', { startedAt: T0 - 9 * DAY, stoppedAt: T0 - 8 * DAY })],
        tieredSince: [{ accountCrmId: 'a1', at: T0 - 9 * DAY }],
      }),
  },
  {
    name: 'saveGovernanceConfig',
    run: (s, t) =>
      s.saveGovernanceConfig(t, DEFAULT_GOVERNANCE_CONFIG, {
        basedOnVersion: 1,
        savedAt: T0 + 1,
        savedBy: 'x',
      }),
  },
  {
    name: 'runs',
    run: async (s, t) => {
      const run = await s.startRun(t, { kind: 'sync', holder: 'x', startedAt: T0 + 1 });
      await s.recordRunProgress(t, run.id, { n: 1 }, T0 + 2);
      await s.finishRun(t, run.id, { status: 'succeeded', finishedAt: T0 + 3, counts: {}, error: null });
    },
  },
  {
    name: 'credentials, revoking the ids of every tenant',
    run: async (s, t) => {
      await s.issueCredential(t, { grant: { kind: 'salesforce_api_key' }, now: T0 + 1, graceMs: 0 });
      const ids = [...(await s.listCredentials(A)), ...(await s.listCredentials(B))].map((c) => c.id);
      for (const id of ids) await s.revokeCredential(t, id, T0 + 2);
    },
  },
  {
    name: 'idempotency keys',
    run: async (s, t) => {
      await s.rememberResponse(t, 'idem-1', 'another request', { status: 409, body: null }, T0 + 1);
      await s.rememberResponse(t, 'idem-2', 'fp', { status: 200, body: null }, T0 + 1);
      await s.purgeIdempotencyKeys(t, T0 + 10 * DAY);
    },
  },
  {
    name: 'tier decision under a key',
    run: async (s, t) => {
      const [context] = await s.loadAccountContexts(t, ['a2'], SINCE);
      if (context === undefined) return;
      await s.recordTierDecision(t, {
        accountCrmId: 'a2',
        basedOnRevision: context.state.revision,
        audit: audit('a2', T0 + 9),
        assignTier: { tier: 'tier_1', at: T0 + 9 },
        idempotency: { key: 'idem-3', fingerprint: 'fp', response: { status: 200, body: 1 }, now: T0 },
      });
    },
  },
  {
    name: 'replaceUserRoles',
    run: (s, t) => s.replaceUserRoles(t, [{ crmUserId: 'o2', roles: ['marketer'] }], { at: T0 + 1, by: 'x' }),
  },
  {
    name: 'appendCostLines replacing',
    run: (s, t) =>
      s.appendCostLines(t, [{ period: '2026-01', category: 'content', amount: 1 }], {
        at: T0 + 1,
        by: 'x',
        mode: 'replace',
      }),
  },
  {
    name: 'webhook events and hints',
    run: async (s, t) => {
      await s.recordWebhookEvents(
        t,
        [
          { eventId: 'e1', objectType: 'accounts', objectId: 'a1', occurredAt: T0 + 1 },
          { eventId: 'e2', objectType: 'deals', objectId: 'd1', occurredAt: T0 + 1 },
        ],
        T0 + 1,
      );
      await s.markHintsDone(t, await s.takeSyncHints(t, 100));
      await s.purgeWebhookEvents(t, T0 + 10 * DAY);
    },
  },
  {
    name: 'recordHandoverFeedback',
    run: async (s, t) => {
      const [context] = await s.loadAccountContexts(t, ['a1'], SINCE);
      if (context === undefined) return;
      await s.recordHandoverFeedback(t, {
        feedback: { accountCrmId: 'a1', decision: 'rejected', reasonCode: 'x', at: T0 + 1, actor: REP },
        basedOnRevision: context.state.revision,
        slaInstances: [],
      });
    },
  },
  {
    name: 'leases',
    run: async (s, t) => {
      await s.releaseLease(t, 'tenant-B-marker');
      await s.tryAcquireLease(t, 'intruder', TTL, T0 + 2 * TTL);
    },
  },
];

/** A fresh file with both tenants populated under the same ids. */
async function populatedStore() {
  const temp = await openTempStore();
  await populate(temp.store, A, 'tenant-A-marker', 40);
  await populate(temp.store, B, 'tenant-B-marker', 80);
  return temp;
}

describe('tenant isolation', () => {
  it('keeps the other tenant unchanged and unseen through any sequence of writes to one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...WRITES], { minLength: 1 }),
        fc.boolean(),
        async (writes, aFirst) => {
          const temp = await populatedStore();
          try {
            const { store } = temp;
            const [target, other] = aFirst ? [A, B] : [B, A];
            const [targetMarker, otherMarker] = aFirst
              ? ['tenant-A-marker', 'tenant-B-marker']
              : ['tenant-B-marker', 'tenant-A-marker'];
            const before = await view(store, other);
            for (const write of writes) await write.run(store, target);
            expect(await view(store, other)).toEqual(before);
            expect(JSON.stringify(await view(store, target))).not.toContain(otherMarker);
            expect(JSON.stringify(before)).not.toContain(targetMarker);
            expect(await store.tryAcquireLease(other, 'intruder', TTL, T0 + 1)).toBe(false);
          } finally {
            await temp.cleanup();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('shows each tenant its own values under the same ids', async () => {
    const temp = await populatedStore();
    try {
      const a = await view(temp.store, A);
      const b = await view(temp.store, B);
      expect(a.contexts.map((c) => c.account.name)).toEqual([
        'tenant-A-marker a1',
        'tenant-A-marker a2',
        'tenant-A-marker a3',
      ]);
      expect(b.contexts.map((c) => c.deals.openAmount)).toEqual([80, 0, 0]);
      expect(a.taskK1?.subject).toBe('tenant-A-marker');
      expect(b.approvalP1?.reason).toBe('tenant-B-marker');
      expect(b.config?.savedBy).toBe('tenant-B-marker');
      expect(a.runs.map((r) => r.holder)).toEqual(['tenant-A-marker']);
      expect(b.idempotency?.fingerprint).toBe('tenant-B-marker');
      expect(a.costs.map((line) => line.amount)).toEqual([40]);
      expect(b.cards[1]?.lastHandoverFeedback?.reasonCode).toBe('tenant-B-marker');
      expect(a.metrics.deals.map((d) => d.amount)).toEqual([40]);
      expect(b.roles.updatedBy).toBe('tenant-B-marker');
    } finally {
      await temp.cleanup();
    }
  });
});
