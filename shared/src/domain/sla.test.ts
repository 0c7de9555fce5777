import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { BusinessHours, GovernanceConfig } from '../config/schema.ts';
import type { Tier } from '../config/vocabulary.ts';
import { withTimezone } from './businessTime.ts';
import type { SlaEvent, SlaInstance } from './sla.ts';
import {
  applySlaEvent,
  approvalParties,
  marketingDelivery,
  openSlaInstance,
  roleGroupOf,
  rolesOfGroup,
  slaStatus,
  slaVerdict,
} from './sla.ts';
import { HOUR_MS } from './time.ts';

const CONFIG: GovernanceConfig = DEFAULT_GOVERNANCE_CONFIG;
const PARIS: BusinessHours = CONFIG.businessHours;
const OWNER_ZONES: Readonly<Record<string, string>> = { rep_ny: 'America/New_York' };
const calendarFor = (ownerId: string): BusinessHours => withTimezone(PARIS, OWNER_ZONES[ownerId] ?? null);

const at = (isoLocal: string, zone = 'Europe/Paris'): number =>
  DateTime.fromISO(isoLocal, { zone }).toMillis();
const show = (instant: number | null, zone = 'Europe/Paris'): string =>
  instant === null ? 'null' : DateTime.fromMillis(instant, { zone }).toFormat("ccc yyyy-MM-dd'T'HH:mm");

const FRIDAY_16 = at('2026-02-06T16:00');
const MONDAY_09 = at('2026-02-09T09:00');

function apply(instances: readonly SlaInstance[], ...events: SlaEvent[]): readonly SlaInstance[] {
  return events.reduce((current, event) => {
    const result = applySlaEvent(current, event, CONFIG, calendarFor);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }, instances);
}

const mqa = (accountId: string, tier: Tier, when: number, ownerId = 'rep_paris'): SlaEvent => ({
  type: 'mqa_raised',
  accountId,
  tier,
  ownerId,
  managerId: 'manager',
  at: when,
});

function only(instances: readonly SlaInstance[]): SlaInstance {
  expect(instances).toHaveLength(1);
  return instances[0] as SlaInstance;
}

describe('starting SLA clocks', () => {
  it('gives a tier_1 MQA raised Friday 16:00 a follow-up due Monday 15:00, at risk Monday 13:00, escalating Tuesday 10:00', () => {
    const instance = only(apply([], mqa('acme', 'tier_1', FRIDAY_16)));
    expect(instance).toMatchObject({
      key: `sales_follow_up:acme:${FRIDAY_16}`,
      kind: 'sales_follow_up',
      accountId: 'acme',
      tier: 'tier_1',
      ownerId: 'rep_paris',
      managerId: 'manager',
      approvalId: null,
      startedAt: FRIDAY_16,
      stoppedAt: null,
      stopReason: null,
    });
    // 8 h allowed: at risk after 6 h, escalation 4 h after the due time.
    expect(show(instance.dueAt)).toBe('Mon 2026-02-09T15:00');
    expect(show(instance.atRiskAt)).toBe('Mon 2026-02-09T13:00');
    expect(show(instance.escalateAt)).toBe('Tue 2026-02-10T10:00');
  });

  it('allows 16 business hours for tier_2 and 24 for tier_3 follow-ups', () => {
    expect(show(only(apply([], mqa('acme', 'tier_2', FRIDAY_16))).dueAt)).toBe('Tue 2026-02-10T14:00');
    expect(show(only(apply([], mqa('acme', 'tier_3', FRIDAY_16))).dueAt)).toBe('Wed 2026-02-11T13:00');
  });

  it('starts a follow-up when an account enters a tier, the same as for an MQA', () => {
    const entered: SlaEvent = {
      type: 'tier_entered',
      accountId: 'acme',
      tier: 'tier_1',
      ownerId: 'rep_paris',
      managerId: null,
      at: FRIDAY_16,
    };
    const instance = only(apply([], entered));
    expect(instance.kind).toBe('sales_follow_up');
    expect(show(instance.dueAt)).toBe('Mon 2026-02-09T15:00');
  });

  it('gives handover feedback 2, 3 and 5 business days by tier', () => {
    const handover = (tier: Tier): SlaEvent => ({
      type: 'handover',
      accountId: 'acme',
      tier,
      ownerId: 'rep_paris',
      managerId: 'manager',
      at: MONDAY_09,
    });
    expect(show(only(apply([], handover('tier_1'))).dueAt)).toBe('Tue 2026-02-10T18:00');
    expect(show(only(apply([], handover('tier_2'))).dueAt)).toBe('Wed 2026-02-11T18:00');
    const tier3 = only(apply([], handover('tier_3')));
    expect(tier3.kind).toBe('sales_feedback');
    expect(show(tier3.dueAt)).toBe('Fri 2026-02-13T18:00');
  });

  it("runs the clock on the owner's business hours: a New York rep's Friday 16:00 MQA is due Monday 15:00 New York time", () => {
    const friday16NewYork = at('2026-02-06T16:00', 'America/New_York');
    const instance = only(apply([], mqa('acme', 'tier_1', friday16NewYork, 'rep_ny')));
    expect(show(instance.dueAt, 'America/New_York')).toBe('Mon 2026-02-09T15:00');
  });

  it('gives an approval 5 business days, and a holiday on the way pushes it a day', () => {
    const requested: SlaEvent = {
      type: 'approval_requested',
      accountId: 'acme',
      approvalId: 'apr-1',
      tier: null,
      approverRoles: ['abm_committee', 'chief_abm_officer'],
      at: at('2026-05-04T10:00'),
    };
    const instance = only(apply([], requested));
    expect(instance).toMatchObject({
      kind: 'approval_decision',
      approvalId: 'apr-1',
      tier: null,
      ownerId: 'roles:chief_abm_officer,abm_committee',
      managerId: 'roles:chief_abm_officer',
    });
    // Friday 2026-05-08 is a holiday.
    expect(show(instance.dueAt)).toBe('Tue 2026-05-12T10:00');
  });

  it('does not start a second clock for an account and kind already running, and returns the same list', () => {
    const first = apply([], mqa('acme', 'tier_1', FRIDAY_16));
    const again = apply(first, mqa('acme', 'tier_2', MONDAY_09), {
      type: 'tier_entered',
      accountId: 'acme',
      tier: 'tier_1',
      ownerId: 'rep_paris',
      managerId: null,
      at: MONDAY_09,
    });
    expect(again).toBe(first);
  });

  it("holds a running follow-up to a higher tier's deadline from the moment the account enters it, keeping its key", () => {
    const started = only(apply([], mqa('acme', 'tier_3', FRIDAY_16)));
    const entered: SlaEvent = {
      type: 'tier_entered',
      accountId: 'acme',
      tier: 'tier_1',
      ownerId: 'rep_paris',
      managerId: 'manager',
      at: MONDAY_09,
    };
    const tightened = only(apply([started], entered));
    expect(tightened).toMatchObject({ key: started.key, startedAt: FRIDAY_16, tier: 'tier_1' });
    expect(show(tightened.dueAt)).toBe('Mon 2026-02-09T17:00');
    expect(tightened.atRiskAt).toBeLessThanOrEqual(tightened.dueAt);
    // Entering again, or a lower tier, changes nothing.
    expect(apply([tightened], entered)).toEqual([tightened]);
    expect(apply([tightened], { ...entered, tier: 'tier_3', at: MONDAY_09 + HOUR_MS })).toEqual([tightened]);
  });

  it('runs clocks of other kinds and other accounts side by side', () => {
    const instances = apply([], mqa('acme', 'tier_1', FRIDAY_16), mqa('globex', 'tier_1', FRIDAY_16), {
      type: 'handover',
      accountId: 'acme',
      tier: 'tier_1',
      ownerId: 'rep_paris',
      managerId: null,
      at: MONDAY_09,
    });
    expect(instances.map((instance) => instance.key)).toEqual([
      `sales_follow_up:acme:${FRIDAY_16}`,
      `sales_follow_up:globex:${FRIDAY_16}`,
      `sales_feedback:acme:${MONDAY_09}`,
    ]);
  });

  it('starts a new clock, with a new key, once the previous one has stopped', () => {
    const instances = apply(
      [],
      mqa('acme', 'tier_1', FRIDAY_16),
      { type: 'first_touch', accountId: 'acme', at: MONDAY_09 },
      mqa('acme', 'tier_1', MONDAY_09 + HOUR_MS),
    );
    expect(instances).toHaveLength(2);
    expect(instances[1]?.key).toBe(`sales_follow_up:acme:${MONDAY_09 + HOUR_MS}`);
    expect(instances[1]?.stoppedAt).toBeNull();
  });

  it('ignores a start replayed after its clock has stopped: the key exists already', () => {
    const answered = apply([], mqa('acme', 'tier_1', FRIDAY_16), {
      type: 'first_touch',
      accountId: 'acme',
      at: MONDAY_09,
    });
    const replayed = apply(answered, mqa('acme', 'tier_1', FRIDAY_16));
    expect(replayed).toBe(answered);
    expect(only(replayed).stoppedAt).toBe(MONDAY_09);
  });
});

describe('stopping SLA clocks', () => {
  it('stops the follow-up at the first touch', () => {
    const instance = only(
      apply([], mqa('acme', 'tier_1', FRIDAY_16), { type: 'first_touch', accountId: 'acme', at: MONDAY_09 }),
    );
    expect(instance).toMatchObject({ stoppedAt: MONDAY_09, stopReason: 'first_touch' });
  });

  it('ignores a touch that predates the clock, and a touch on an account without a running follow-up', () => {
    const started = apply([], mqa('acme', 'tier_1', MONDAY_09));
    expect(apply(started, { type: 'first_touch', accountId: 'acme', at: FRIDAY_16 })).toBe(started);
    expect(apply(started, { type: 'first_touch', accountId: 'globex', at: MONDAY_09 })).toBe(started);
  });

  it('stops the feedback clock with the reason code and the decision', () => {
    const instances = apply(
      [],
      {
        type: 'handover',
        accountId: 'acme',
        tier: 'tier_2',
        ownerId: 'rep_paris',
        managerId: null,
        at: MONDAY_09,
      },
      {
        type: 'feedback',
        accountId: 'acme',
        decision: 'rejected',
        reasonCode: 'no_budget',
        at: MONDAY_09 + HOUR_MS,
      },
    );
    expect(only(instances)).toMatchObject({
      stoppedAt: MONDAY_09 + HOUR_MS,
      stopReason: 'no_budget',
      handoverDecision: 'rejected',
    });
  });

  it('refuses a reason code the config does not list for that decision', () => {
    const started = apply([], {
      type: 'handover',
      accountId: 'acme',
      tier: 'tier_2',
      ownerId: 'rep_paris',
      managerId: null,
      at: MONDAY_09,
    });
    for (const [decision, reasonCode] of [
      ['accepted', 'vibes'],
      ['accepted', 'no_budget'],
      ['rejected', 'qualified'],
    ] as const) {
      const result = applySlaEvent(
        started,
        { type: 'feedback', accountId: 'acme', decision, reasonCode, at: MONDAY_09 },
        CONFIG,
        calendarFor,
      );
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.error).toMatchObject({ code: 'unknown_reason_code', decision, reasonCode });
    }
  });

  it('holds those who may decide an approval to its clock, and escalates to the Chief ABM Officer or, when the Chief decides alone, to the committee', () => {
    expect(approvalParties(['abm_manager'])).toEqual({
      ownerId: 'roles:abm_manager',
      managerId: 'roles:chief_abm_officer',
    });
    expect(approvalParties(['chief_abm_officer'])).toEqual({
      ownerId: 'roles:chief_abm_officer',
      managerId: 'roles:abm_committee',
    });
    expect(rolesOfGroup('roles:abm_committee,chief_abm_officer')).toEqual([
      'chief_abm_officer',
      'abm_committee',
    ]);
    expect(rolesOfGroup('0051x000004dXyZ')).toBeNull();
    expect(rolesOfGroup(roleGroupOf(['sales_manager', 'abm_manager']))).toEqual([
      'abm_manager',
      'sales_manager',
    ]);
  });

  it('stops an approval clock on the decision of that approval only', () => {
    const started = apply([], {
      type: 'approval_requested',
      accountId: 'acme',
      approvalId: 'apr-1',
      tier: 'tier_2',
      approverRoles: ['abm_manager'],
      at: MONDAY_09,
    });
    const decide = (approvalId: string): SlaEvent => ({
      type: 'decision',
      accountId: 'acme',
      approvalId,
      outcome: 'approved',
      at: MONDAY_09 + HOUR_MS,
    });
    expect(apply(started, decide('apr-2'))).toBe(started);
    expect(only(apply(started, decide('apr-1')))).toMatchObject({
      stoppedAt: MONDAY_09 + HOUR_MS,
      stopReason: 'approved',
    });
  });

  it('does not touch the input list', () => {
    const started = apply([], mqa('acme', 'tier_1', FRIDAY_16));
    apply(started, { type: 'first_touch', accountId: 'acme', at: MONDAY_09 });
    expect(only(started).stoppedAt).toBeNull();
  });
});

describe('slaStatus', () => {
  const running = only(apply([], mqa('acme', 'tier_1', FRIDAY_16)));
  const stoppedAt = (when: number): SlaInstance => ({
    ...running,
    stoppedAt: when,
    stopReason: 'first_touch',
  });

  it('is on track before the at-risk time, at risk from it up to and including the due time, breached after', () => {
    expect(slaStatus(running, running.atRiskAt - 1)).toBe('on_track');
    expect(slaStatus(running, running.atRiskAt)).toBe('at_risk');
    expect(slaStatus(running, running.dueAt)).toBe('at_risk');
    expect(slaStatus(running, running.dueAt + 1)).toBe('breached');
  });

  it('is met when stopped at or before the due time, whatever happens later', () => {
    expect(slaStatus(stoppedAt(running.dueAt), running.dueAt + 1000 * HOUR_MS)).toBe('met');
    expect(slaStatus(stoppedAt(running.startedAt), running.startedAt)).toBe('met');
  });

  it('stays breached when stopped after the due time', () => {
    expect(slaStatus(stoppedAt(running.dueAt + 1), running.dueAt + 1000 * HOUR_MS)).toBe('breached');
  });

  it('ignores a stop that lies after the moment evaluated', () => {
    expect(slaStatus(stoppedAt(running.dueAt), running.startedAt)).toBe('on_track');
  });

  it('moves only forward, on_track to at_risk to breached, for a running clock', () => {
    const order = { on_track: 0, at_risk: 1, breached: 2, met: 3 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        (hoursFromStart, laterBy) => {
          const now = running.startedAt + hoursFromStart * HOUR_MS;
          expect(order[slaStatus(running, now)]).toBeLessThanOrEqual(
            order[slaStatus(running, now + laterBy * HOUR_MS)],
          );
        },
      ),
    );
  });
});

describe('slaVerdict', () => {
  it('is met when stopped at the due time exactly, and still open when now is the due time', () => {
    expect(slaVerdict({ dueAt: 100, stoppedAt: 100 }, 200)).toBe('met');
    expect(slaVerdict({ dueAt: 100, stoppedAt: null }, 100)).toBe('open');
  });

  it('is breached when stopped late or still running after the due time', () => {
    expect(slaVerdict({ dueAt: 100, stoppedAt: 150 }, 200)).toBe('breached');
    expect(slaVerdict({ dueAt: 100, stoppedAt: null }, 101)).toBe('breached');
  });

  it('does not know at now of a stop recorded after now', () => {
    expect(slaVerdict({ dueAt: 100, stoppedAt: 90 }, 80)).toBe('open');
    expect(slaVerdict({ dueAt: 100, stoppedAt: 150 }, 120)).toBe('breached');
  });
});

describe('openSlaInstance', () => {
  it('refuses a follow-up on an untargeted account', () => {
    expect(() =>
      openSlaInstance(
        {
          kind: 'sales_follow_up',
          accountId: 'acme',
          tier: null,
          ownerId: 'rep',
          managerId: null,
          approvalId: null,
          startedAt: MONDAY_09,
        },
        CONFIG,
        PARIS,
      ),
    ).toThrow(RangeError);
  });
});

describe('marketingDelivery', () => {
  const Q1 = { periodStart: at('2026-01-01T00:00'), periodEnd: at('2026-04-01T00:00') };
  const inQ1 = at('2026-02-10T10:00');

  it('commits 5 / 15 / 40 MQAs a month, so 15 / 45 / 120 over a quarter', () => {
    const report = marketingDelivery({ ...Q1, mqas: [], feedback: [] }, CONFIG);
    expect(report.months).toBe(3);
    expect([
      report.byTier.tier_1.committed,
      report.byTier.tier_2.committed,
      report.byTier.tier_3.committed,
    ]).toEqual([15, 45, 120]);
  });

  it('counts MQAs raised within the period per tier, and meets the quantity when delivered reaches committed', () => {
    const mqas = [
      ...Array.from({ length: 15 }, (_, i) => ({
        accountId: `t1-${i}`,
        tier: 'tier_1' as const,
        raisedAt: inQ1,
      })),
      ...Array.from({ length: 44 }, (_, i) => ({
        accountId: `t2-${i}`,
        tier: 'tier_2' as const,
        raisedAt: inQ1,
      })),
      { accountId: 'late', tier: 'tier_2' as const, raisedAt: Q1.periodEnd },
      { accountId: 'early', tier: 'tier_2' as const, raisedAt: Q1.periodStart - 1 },
    ];
    const report = marketingDelivery({ ...Q1, mqas, feedback: [] }, CONFIG);
    expect(report.byTier.tier_1).toMatchObject({ delivered: 15, committed: 15, met: true });
    expect(report.byTier.tier_2).toMatchObject({ delivered: 44, committed: 45, met: false });
    expect(report.byTier.tier_3).toMatchObject({ delivered: 0, met: false });
  });

  it('rates quality by sales acceptance: 3 accepted of 5 is 60%, which meets the 60% minimum; 1 of 2 does not', () => {
    const mqas: { accountId: string; tier: Tier; raisedAt: number }[] = [
      ...['a', 'b', 'c', 'd', 'e'].map((accountId) => ({
        accountId,
        tier: 'tier_1' as const,
        raisedAt: inQ1,
      })),
      { accountId: 'x', tier: 'tier_2', raisedAt: inQ1 },
      { accountId: 'y', tier: 'tier_2', raisedAt: inQ1 },
    ];
    const feedback = [
      { accountId: 'a', decision: 'accepted' as const, answeredAt: inQ1 },
      { accountId: 'b', decision: 'accepted' as const, answeredAt: inQ1 },
      { accountId: 'c', decision: 'accepted' as const, answeredAt: inQ1 },
      { accountId: 'd', decision: 'rejected' as const, answeredAt: inQ1 },
      { accountId: 'e', decision: 'rejected' as const, answeredAt: inQ1 },
      { accountId: 'x', decision: 'accepted' as const, answeredAt: inQ1 },
      { accountId: 'y', decision: 'rejected' as const, answeredAt: inQ1 },
      { accountId: 'not-an-mqa-of-the-period', decision: 'rejected' as const, answeredAt: inQ1 },
    ];
    const report = marketingDelivery({ ...Q1, mqas, feedback }, CONFIG);
    expect(report.byTier.tier_1).toMatchObject({
      accepted: 3,
      rejected: 2,
      acceptanceRate: 0.6,
      qualityMet: true,
    });
    expect(report.byTier.tier_2).toMatchObject({
      accepted: 1,
      rejected: 1,
      acceptanceRate: 0.5,
      qualityMet: false,
    });
  });

  it('reports no acceptance rate, and quality as unknown rather than failed, when sales gave no feedback', () => {
    const report = marketingDelivery(
      { ...Q1, mqas: [{ accountId: 'a', tier: 'tier_3', raisedAt: inQ1 }], feedback: [] },
      CONFIG,
    );
    expect(report.byTier.tier_3).toMatchObject({
      accepted: 0,
      rejected: 0,
      acceptanceRate: null,
      qualityMet: null,
    });
  });

  it('counts feedback under the tier of the latest MQA of its account in the period', () => {
    const mqas = [
      { accountId: 'a', tier: 'tier_3' as const, raisedAt: at('2026-01-10T10:00') },
      { accountId: 'a', tier: 'tier_2' as const, raisedAt: at('2026-03-10T10:00') },
    ];
    const report = marketingDelivery(
      {
        ...Q1,
        mqas,
        feedback: [{ accountId: 'a', decision: 'accepted', answeredAt: at('2026-03-11T10:00') }],
      },
      CONFIG,
    );
    expect(report.byTier.tier_2.accepted).toBe(1);
    expect(report.byTier.tier_3.accepted).toBe(0);
    expect(report.byTier.tier_3.delivered).toBe(1);
  });

  it('counts only answers given in the period, one per account: the latest answer wins', () => {
    const mqas = ['a', 'b', 'c'].map((accountId) => ({ accountId, tier: 'tier_1' as const, raisedAt: inQ1 }));
    const feedback = [
      { accountId: 'a', decision: 'rejected' as const, answeredAt: inQ1 + HOUR_MS },
      { accountId: 'a', decision: 'accepted' as const, answeredAt: inQ1 + 2 * HOUR_MS },
      { accountId: 'a', decision: 'accepted' as const, answeredAt: inQ1 + 3 * HOUR_MS },
      { accountId: 'b', decision: 'accepted' as const, answeredAt: inQ1 + 2 * HOUR_MS },
      { accountId: 'b', decision: 'rejected' as const, answeredAt: inQ1 + HOUR_MS },
      { accountId: 'c', decision: 'rejected' as const, answeredAt: Q1.periodEnd },
      { accountId: 'c', decision: 'rejected' as const, answeredAt: Q1.periodStart - 1 },
    ];
    const report = marketingDelivery({ ...Q1, mqas, feedback }, CONFIG);
    expect(report.byTier.tier_1).toMatchObject({ accepted: 2, rejected: 0, acceptanceRate: 1 });
  });

  it('scales the commitment to a partial month and rounds it up: half of February commits 3 tier_1 MQAs', () => {
    const report = marketingDelivery(
      { periodStart: at('2026-02-01T00:00'), periodEnd: at('2026-02-15T00:00'), mqas: [], feedback: [] },
      CONFIG,
    );
    expect(report.months).toBe(0.5);
    expect(report.byTier.tier_1.committed).toBe(3);
    expect(report.byTier.tier_2.committed).toBe(8);
    expect(report.byTier.tier_3.committed).toBe(20);
  });

  it('refuses an empty or inverted period', () => {
    expect(() =>
      marketingDelivery({ periodStart: inQ1, periodEnd: inQ1, mqas: [], feedback: [] }, CONFIG),
    ).toThrow(RangeError);
  });
});
