import type { GovernanceConfig, SlaInstance } from '@abm-pilot/shared';
import { approvalParties, DEFAULT_GOVERNANCE_CONFIG, HOUR_MS } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { OutboxTask } from '../store/ports.ts';
import type { TempStore } from '../store/sqlite/testSupport.ts';
import {
  account,
  computation,
  contextOf,
  DAY,
  emptyBatch,
  openTempStore,
  owner,
  page,
  slaInstance,
  T0,
  TENANT_A,
} from '../store/sqlite/testSupport.ts';
import { reconcileAlertTasks } from './alertTasks.ts';

// The alert step on a real store: which SLA tasks exist in the outbox after each run.

const A = TENANT_A.id;
const CAP_5: GovernanceConfig = {
  ...DEFAULT_GOVERNANCE_CONFIG,
  sla: { ...DEFAULT_GOVERNANCE_CONFIG.sla, alertCapPerPersonPerDay: 5 },
};
let temp: TempStore;
let now = T0;

beforeEach(async () => {
  temp = await openTempStore();
  now = T0;
  await temp.store.savePage(
    A,
    page('owners', [
      owner('rep', { managerCrmId: null, team: 'emea' }),
      owner('lead', { managerCrmId: null, team: 'emea' }),
      owner('other-lead', { managerCrmId: null, team: 'amer' }),
      owner('ann', { managerCrmId: null }),
      owner('bob', { managerCrmId: null }),
      owner('cao', { managerCrmId: null }),
      owner('gone', { managerCrmId: null, active: false }),
    ]),
    T0,
  );
  await temp.store.replaceUserRoles(
    A,
    [
      { crmUserId: 'lead', roles: ['sales_manager'] },
      { crmUserId: 'other-lead', roles: ['sales_manager'] },
      { crmUserId: 'ann', roles: ['abm_committee'] },
      { crmUserId: 'bob', roles: ['abm_committee'] },
      { crmUserId: 'gone', roles: ['abm_committee'] },
      { crmUserId: 'cao', roles: ['chief_abm_officer'] },
    ],
    { at: T0, by: null },
  );
});
afterEach(() => temp.cleanup());

/** Accounts a0…aN, each with the clocks `clocksOf` gives it. */
async function withClocks(count: number, clocksOf: (accountId: string) => SlaInstance[]): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => `a${i}`);
  await temp.store.savePage(
    A,
    page(
      'accounts',
      ids.map((id) => account(id, { ownerCrmId: 'rep' })),
    ),
    T0,
  );
  const contexts = await Promise.all(ids.map((id) => contextOf(temp.store, A, id)));
  const saved = await temp.store.saveComputation(A, {
    ...emptyBatch,
    accounts: contexts.map((context) =>
      computation(context, { slaInstances: clocksOf(context.account.crmId) }),
    ),
  });
  if (!saved.ok) throw new Error(saved.error.message);
}

/** A follow-up clock of `rep`, no manager from the CRM (as in HubSpot), breached from T0 on. */
const breachedAt = (accountId: string, overrides: Partial<SlaInstance> = {}): SlaInstance =>
  slaInstance(accountId, {
    ownerId: 'rep',
    managerId: null,
    startedAt: T0 - 2 * DAY,
    atRiskAt: T0 - DAY,
    dueAt: T0 - HOUR_MS,
    escalateAt: T0 + DAY,
    ...overrides,
  });

const run = (config: GovernanceConfig = CAP_5) =>
  reconcileAlertTasks({ store: temp.store, clock: () => now }, TENANT_A, config);

async function outbox(): Promise<OutboxTask[]> {
  return [...(await temp.store.slaTasks(A, 0))];
}

const openTasks = async () =>
  (await outbox())
    .filter((task) => task.status === 'open')
    .map((task) => `${task.assigneeCrmId}:${task.key.split(':')[0]}:${task.priority}`)
    .sort();

describe('the alert step', () => {
  it("opens at most the day's cap of tasks for a person and folds the rest into one digest, across runs", async () => {
    await withClocks(20, (id) => [breachedAt(id)]);
    await run();
    const first = await outbox();
    expect(first.filter((task) => task.key.startsWith('task:'))).toHaveLength(5);
    const digests = first.filter((task) => task.key.startsWith('digest:'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toMatch(/15/);

    now += HOUR_MS;
    await run();
    await run();
    expect(await outbox()).toHaveLength(6);
  });

  it('completes every task a clock opened once it stops, even stopped at a time before it was at risk', async () => {
    await withClocks(1, (id) => [breachedAt(id, { escalateAt: T0 - HOUR_MS / 2 })]);
    await run();
    expect(await openTasks()).toEqual(['lead:task:high', 'rep:task:high']);

    // A touch logged now, dated before the clock was even at risk: the clock was met.
    const context = await contextOf(temp.store, A, 'a0');
    const [clock] = context.slaInstances;
    await temp.store.saveComputation(A, {
      ...emptyBatch,
      accounts: [
        computation(context, {
          slaInstances: [{ ...clock!, stoppedAt: clock!.atRiskAt - HOUR_MS, stopReason: 'first_touch' }],
        }),
      ],
    });
    now += HOUR_MS;
    await run();
    expect(await openTasks()).toEqual([]);
    expect((await outbox()).map((task) => task.status)).toEqual(['completed', 'completed']);
  });

  it("escalates, where the CRM knows no manager, to the sales managers of the owner's team", async () => {
    await withClocks(1, (id) => [breachedAt(id, { escalateAt: T0 })]);
    await run();
    expect(await openTasks()).toEqual(['lead:task:high', 'rep:task:high']);
    const escalation = (await outbox()).find((task) => task.assigneeCrmId === 'lead');
    expect(escalation?.subject).toMatch(/escalat/i);
  });

  it('asks everyone who may decide an overdue approval, and escalates it to the Chief ABM Officer', async () => {
    const approval = (id: string, roles: Parameters<typeof approvalParties>[0]) =>
      breachedAt(id, {
        key: `approval_decision:${id}:${T0}`,
        kind: 'approval_decision',
        approvalId: `apr-${id}`,
        escalateAt: T0,
        ...approvalParties(roles),
      });
    await withClocks(1, (id) => [approval(id, ['abm_committee', 'chief_abm_officer'])]);
    await run();
    // Inactive committee members are not asked; the Chief gets the escalation instead of the breach.
    expect(await openTasks()).toEqual(['ann:task:high', 'bob:task:high', 'cao:task:high']);
    const chief = (await outbox()).find((task) => task.assigneeCrmId === 'cao');
    expect(chief?.subject).toMatch(/escalat/i);
  });

  it('escalates an approval the Chief ABM Officer decides alone to the whole committee', async () => {
    await withClocks(1, (id) => [
      breachedAt(id, {
        key: `approval_decision:${id}:${T0}`,
        kind: 'approval_decision',
        approvalId: `apr-${id}`,
        escalateAt: T0,
        ...approvalParties(['chief_abm_officer']),
      }),
    ]);
    await run();
    const tasks = await outbox();
    expect(tasks.map((task) => task.assigneeCrmId).sort()).toEqual(['ann', 'bob', 'cao']);
    expect(tasks.find((task) => task.assigneeCrmId === 'cao')?.subject).toMatch(/breach/i);
    expect(tasks.find((task) => task.assigneeCrmId === 'ann')?.subject).toMatch(/escalat/i);
  });

  it("starts each day with a fresh cap and completes the day before's digest", async () => {
    await withClocks(7, (id) => [breachedAt(id, { escalateAt: T0 + 30 * DAY })]);
    await run();
    expect(await openTasks()).toEqual(['rep:digest:medium', ...Array<string>(5).fill('rep:task:high')]);

    now += DAY;
    await run();
    const tasks = await outbox();
    expect(tasks.filter((task) => task.key.startsWith('task:') && task.status === 'open')).toHaveLength(7);
    const digests = tasks.filter((task) => task.key.startsWith('digest:'));
    expect(digests.map((task) => task.status)).toEqual(['completed']);
  });
});
