import type { GovernanceConfig, HandoverDecision, Tier } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, MarketingDeliveryResponseSchema } from '@abm-pilot/shared';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CrmConnector } from '../connectors/ports.ts';
import type { TempStore } from '../store/sqlite/testSupport.ts';
import {
  account,
  computation,
  contextOf,
  emptyBatch,
  openTempStore,
  owner,
  page,
  slaInstance,
  TENANT_A,
} from '../store/sqlite/testSupport.ts';
import type { VirtualTime } from '../time.ts';
import { virtualTime } from '../time.ts';
import { checkMarketingDelivery, marketingDeliveryReport } from './checkMarketingDelivery.ts';
import { deliverTasks } from './delivery.ts';

// The marketing-delivery check on the real SQLite store and a virtual clock; the CRM is a stub of the
// connector port that keeps the tasks it is sent.

const A = TENANT_A.id;
const paris = (isoLocal: string) => DateTime.fromISO(isoLocal, { zone: 'Europe/Paris' }).toMillis();
/** Watching starts mid-November: December is the first month watched whole. */
const WATCH_START = paris('2026-11-20T10:00');

let temp: TempStore;
let time: VirtualTime;
/** Task keys in the order the CRM was sent them, repeats included. */
let sent: string[];
let crmTasks: Map<
  string,
  { assigneeCrmId: string; subject: string; body: string; accountCrmId: string | null }
>;

const connector = (): CrmConnector =>
  ({
    tenant: TENANT_A,
    async upsertTasks(tasks) {
      for (const task of tasks) {
        crmTasks.set(task.key, task);
        sent.push(task.key);
      }
      return { saved: new Map(tasks.map((task) => [task.key, `crm-${task.key}`])), failed: [] };
    },
  }) as Partial<CrmConnector> as CrmConnector;

const deps = () => ({ store: temp.store, connector: connector(), clock: time.now });

/** Commitments small enough to meet by hand: 2 tier 1 MQAs a month, 1 tier 2, none of tier 3. */
const SMALL: GovernanceConfig = {
  ...DEFAULT_GOVERNANCE_CONFIG,
  sla: {
    ...DEFAULT_GOVERNANCE_CONFIG.sla,
    marketingDelivery: { mqasPerMonth: { tier_1: 2, tier_2: 1, tier_3: 0 }, minAcceptanceRate: 0.6 },
  },
};

beforeEach(async () => {
  temp = await openTempStore();
  time = virtualTime(WATCH_START);
  crmTasks = new Map();
  sent = [];
  await temp.store.savePage(
    A,
    page('owners', [
      owner('o1'),
      owner('m-fr', { locale: 'fr_FR' }),
      owner('m-en'),
      owner('m-gone', { active: false }),
      owner('chief'),
    ]),
    WATCH_START,
  );
  await temp.store.savePage(
    A,
    page(
      'accounts',
      ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => account(id)),
    ),
    WATCH_START,
  );
  await temp.store.saveGovernanceConfig(A, SMALL, {
    basedOnVersion: null,
    savedAt: WATCH_START,
    savedBy: 'test',
  });
  await roles({
    'm-fr': 'abm_manager',
    'm-en': 'abm_manager',
    'm-gone': 'abm_manager',
    chief: 'chief_abm_officer',
  });
});
afterEach(async () => {
  await temp.cleanup();
});

async function roles(byUser: Record<string, 'abm_manager' | 'chief_abm_officer'>) {
  await temp.store.replaceUserRoles(
    A,
    Object.entries(byUser).map(([crmUserId, role]) => ({ crmUserId, roles: [role] })),
    { at: time.now(), by: 'test' },
  );
}

/** A handover of the account (its sales_feedback clock), with sales' answer when given. */
async function handover(
  accountId: string,
  tier: Tier,
  startedAt: number,
  answer: { decision: HandoverDecision; at: number } | null = null,
) {
  const context = await contextOf(temp.store, A, accountId);
  const saved = await temp.store.saveComputation(A, {
    ...emptyBatch,
    accounts: [
      computation(context, {
        slaInstances: [
          ...context.slaInstances,
          slaInstance(accountId, {
            key: `sales_feedback:${accountId}:${startedAt}`,
            kind: 'sales_feedback',
            tier,
            startedAt,
            stoppedAt: answer?.at ?? null,
            stopReason: answer === null ? null : answer.decision === 'accepted' ? 'qualified' : 'not_a_fit',
            handoverDecision: answer?.decision ?? null,
          }),
        ],
      }),
    ],
  });
  expect(saved.ok).toBe(true);
}

const sweep = async () => {
  const check = await checkMarketingDelivery(deps());
  await deliverTasks(deps());
  return check;
};

describe('checking marketing delivery on the schedule', () => {
  it('records nothing for the month watching began in, and the first month watched whole once it closed', async () => {
    await handover('a1', 'tier_1', paris('2026-11-25T10:00'));
    expect(await sweep()).toEqual({ recorded: [], tasksRaised: 0 });

    time.advanceTo(paris('2026-12-31T23:59'));
    expect(await sweep()).toEqual({ recorded: [], tasksRaised: 0 });

    time.advanceTo(paris('2027-01-01T00:05'));
    expect((await sweep()).recorded).toEqual(['2026-12']);
    const [december] = await temp.store.deliveryMonths(A, 10);
    expect(december).toMatchObject({
      month: '2026-12',
      periodStart: paris('2026-12-01T00:00'),
      periodEnd: paris('2027-01-01T00:00'),
      missed: true,
      configVersion: 1,
      recordedAt: paris('2027-01-01T00:05'),
    });
  });

  it('raises one task for a missed month to each active ABM manager, in their language, saying which tiers missed and by how much', async () => {
    await sweep();
    // Tier 1: one MQA of the two committed. Tier 2: its one MQA, rejected by sales (0% accepted).
    await handover('a1', 'tier_1', paris('2026-12-03T10:00'), {
      decision: 'accepted',
      at: paris('2026-12-04T10:00'),
    });
    await handover('a2', 'tier_2', paris('2026-12-07T10:00'), {
      decision: 'rejected',
      at: paris('2026-12-08T10:00'),
    });
    time.advanceTo(paris('2027-01-01T00:05'));

    expect(await sweep()).toEqual({ recorded: ['2026-12'], tasksRaised: 2 });

    expect([...crmTasks.keys()].sort()).toEqual(['delivery:2026-12:m-en', 'delivery:2026-12:m-fr']);
    const english = crmTasks.get('delivery:2026-12:m-en')!;
    expect(english).toMatchObject({
      assigneeCrmId: 'm-en',
      accountCrmId: null,
      subject: 'Marketing delivery missed in December 2026: Tier 1, Tier 2',
    });
    expect(english.body.split('\n')).toEqual([
      'ABM Pilot: marketing did not meet its MQA commitment for December 2026.',
      'Tier 1: MQAs delivered 1 of 2 committed (1 short).',
      'Tier 2: sales accepted 0% of the handovers answered (0 of 1), below the 60% minimum.',
    ]);
    const french = crmTasks.get('delivery:2026-12:m-fr')!;
    expect(french.subject).toBe('Livraison marketing manquée en décembre 2026 : Tier 1, Tier 2');
    expect(french.body).toContain('Tier 1 : MQA livrés 1 sur 2 promis (il en manque 1).');
  });

  it('raises no other task on later sweeps, nor for the month again', async () => {
    await sweep();
    time.advanceTo(paris('2027-01-01T00:05'));
    expect((await sweep()).tasksRaised).toBe(2);

    time.advanceTo(paris('2027-01-01T01:05'));
    expect(await sweep()).toEqual({ recorded: [], tasksRaised: 0 });
    time.advanceTo(paris('2027-01-15T09:00'));
    expect(await sweep()).toEqual({ recorded: [], tasksRaised: 0 });

    expect(sent).toEqual(expect.arrayContaining(['delivery:2026-12:m-en', 'delivery:2026-12:m-fr']));
    expect(sent).toHaveLength(2);
    expect(await temp.store.pendingTasks(A, 10)).toEqual([]);
    expect((await temp.store.deliveryMonths(A, 10)).map((month) => month.month)).toEqual(['2026-12']);
  });

  it('records a met month without raising any task', async () => {
    await sweep();
    await handover('a1', 'tier_1', paris('2026-12-03T10:00'), {
      decision: 'accepted',
      at: paris('2026-12-04T10:00'),
    });
    await handover('a2', 'tier_1', paris('2026-12-10T10:00'));
    await handover('a3', 'tier_2', paris('2026-12-14T10:00'), {
      decision: 'accepted',
      at: paris('2026-12-15T10:00'),
    });
    time.advanceTo(paris('2027-01-01T00:05'));

    expect(await sweep()).toEqual({ recorded: ['2026-12'], tasksRaised: 0 });
    expect(crmTasks.size).toBe(0);
    expect(await temp.store.deliveryMonths(A, 1)).toMatchObject([{ month: '2026-12', missed: false }]);
  });

  it('turns to the Chief ABM Officer when no active ABM manager holds the role', async () => {
    await roles({ 'm-gone': 'abm_manager', chief: 'chief_abm_officer' });
    await sweep();
    time.advanceTo(paris('2027-01-01T00:05'));
    await sweep();
    expect([...crmTasks.keys()]).toEqual(['delivery:2026-12:chief']);
  });

  it('records every month closed while no sweep ran, oldest first, each with its own task', async () => {
    await sweep();
    await handover('a1', 'tier_1', paris('2027-01-12T10:00'));
    await handover('a2', 'tier_1', paris('2027-01-13T10:00'));
    await handover('a3', 'tier_2', paris('2027-01-14T10:00'));
    time.advanceTo(paris('2027-03-02T08:00'));

    expect(await sweep()).toEqual({ recorded: ['2026-12', '2027-01', '2027-02'], tasksRaised: 4 });
    expect([...crmTasks.keys()].sort()).toEqual([
      'delivery:2026-12:m-en',
      'delivery:2026-12:m-fr',
      'delivery:2027-02:m-en',
      'delivery:2027-02:m-fr',
    ]);
  });
});

describe('the marketing delivery report', () => {
  it('shows the month so far against its prorated commitment, and the months recorded, newest first', async () => {
    await sweep();
    time.advanceTo(paris('2027-01-01T00:05'));
    await sweep();
    await handover('a1', 'tier_1', paris('2027-01-05T10:00'), {
      decision: 'accepted',
      at: paris('2027-01-06T10:00'),
    });
    await handover('a2', 'tier_2', paris('2027-01-06T10:00'), {
      decision: 'rejected',
      at: paris('2027-01-07T10:00'),
    });
    time.advanceTo(paris('2027-01-16T12:00'));

    const report = MarketingDeliveryResponseSchema.parse(
      await marketingDeliveryReport({ store: temp.store, clock: time.now }, A, 6),
    );

    expect(report.timezone).toBe('Europe/Paris');
    expect(report.currentMonth).toMatchObject({
      month: '2027-01',
      start: '2026-12-31T23:00:00.000Z',
      end: '2027-01-16T11:00:00.000Z',
      minAcceptanceRate: 0.6,
      met: false,
      byTier: {
        // Half of January gone: 1 of the 2 tier 1 MQAs committed, and 1 tier 2 (rounded up).
        tier_1: { delivered: 1, committed: 1, met: true, acceptanceRate: 1, qualityMet: true },
        tier_2: { delivered: 1, committed: 1, met: true, acceptanceRate: 0, qualityMet: false },
        tier_3: { delivered: 0, committed: 0, met: true, acceptanceRate: null, qualityMet: null },
      },
    });
    expect(report.months).toMatchObject([
      {
        month: '2026-12',
        start: '2026-11-30T23:00:00.000Z',
        end: '2026-12-31T23:00:00.000Z',
        met: false,
        recordedAt: '2026-12-31T23:05:00.000Z',
        configVersion: 1,
        byTier: { tier_1: { delivered: 0, committed: 2, met: false } },
      },
    ]);
  });

  it('reads the month so far from when watching began, when that was in the month', async () => {
    await sweep();
    time.advanceTo(paris('2026-11-25T10:00'));
    const report = await marketingDeliveryReport({ store: temp.store, clock: time.now }, A, 6);
    expect(report.currentMonth).toMatchObject({
      month: '2026-11',
      start: new Date(WATCH_START).toISOString(),
    });
    expect(report.months).toEqual([]);
  });
});
