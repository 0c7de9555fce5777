import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Tier } from '../config/vocabulary.ts';
import type { SlaAlert } from './alerts.ts';
import { alertsDue, digestDayOf, digestDayStartOf, foldIntoDigests } from './alerts.ts';
import type { SlaInstance } from './sla.ts';
import { openSlaInstance, slaStatus } from './sla.ts';
import { HOUR_MS, MINUTE_MS } from './time.ts';

const CONFIG = DEFAULT_GOVERNANCE_CONFIG;
const at = (isoLocal: string): number => DateTime.fromISO(isoLocal, { zone: 'Europe/Paris' }).toMillis();
const FRIDAY_16 = at('2026-02-06T16:00');

function followUp(
  accountId: string,
  {
    ownerId = 'rep',
    managerId = 'boss' as string | null,
    tier = 'tier_1' as Tier,
    startedAt = FRIDAY_16,
  } = {},
): SlaInstance {
  return openSlaInstance(
    { kind: 'sales_follow_up', accountId, tier, ownerId, managerId, approvalId: null, startedAt },
    CONFIG,
    CONFIG.businessHours,
  );
}

const summary = (alerts: readonly SlaAlert[]): string[] =>
  alerts.map((alert) => `${alert.kind}->${alert.recipientId}`);

describe('alertsDue', () => {
  // A tier_1 follow-up from Friday 16:00: at risk Monday 13:00, due Monday 15:00, escalates Tuesday 10:00.
  const instance = followUp('acme');

  it('raises nothing while the clock is on track', () => {
    expect(alertsDue([instance], instance.atRiskAt - 1)).toEqual([]);
  });

  it('reminds the owner once the instance is at risk', () => {
    const alerts = alertsDue([instance], instance.atRiskAt);
    expect(summary(alerts)).toEqual(['reminder->rep']);
    expect(alerts[0]).toMatchObject({
      key: `reminder:${instance.key}:rep`,
      taskKey: `task:${instance.key}:rep`,
      instanceKey: instance.key,
      slaKind: 'sales_follow_up',
      accountId: 'acme',
      dueAt: instance.dueAt,
    });
  });

  it('turns the reminder into a breach on the same owner task once past due', () => {
    const reminder = alertsDue([instance], instance.atRiskAt)[0];
    const breach = alertsDue([instance], instance.dueAt + 1)[0];
    expect(breach?.kind).toBe('breach');
    expect(breach?.key).not.toBe(reminder?.key);
    expect(breach?.taskKey).toBe(reminder?.taskKey);
  });

  it('adds an escalation task for the manager once the breach has lasted half the allowed time again', () => {
    expect(summary(alertsDue([instance], instance.escalateAt - 1))).toEqual(['breach->rep']);
    const alerts = alertsDue([instance], instance.escalateAt);
    expect(summary(alerts)).toEqual(['breach->rep', 'escalation->boss']);
    expect(alerts[1]?.taskKey).toBe(`task:${instance.key}:boss`);
    expect(alerts[1]?.taskKey).not.toBe(alerts[0]?.taskKey);
  });

  it('leaves a breach with the owner when there is no manager to escalate to', () => {
    const unmanaged = followUp('acme', { managerId: null });
    expect(summary(alertsDue([unmanaged], unmanaged.escalateAt + HOUR_MS))).toEqual(['breach->rep']);
  });

  it('gives a manager who owns the account the escalation only, keeping one task per person', () => {
    const selfManaged = followUp('acme', { ownerId: 'boss', managerId: 'boss' });
    expect(summary(alertsDue([selfManaged], selfManaged.escalateAt))).toEqual(['escalation->boss']);
  });

  it('calls for nothing once the clock stopped, met or late: the open tasks are completed by reconciliation', () => {
    const met: SlaInstance = {
      ...instance,
      stoppedAt: instance.atRiskAt + MINUTE_MS,
      stopReason: 'first_touch',
    };
    const late: SlaInstance = {
      ...instance,
      stoppedAt: instance.escalateAt + HOUR_MS,
      stopReason: 'first_touch',
    };
    expect(alertsDue([met, late], instance.escalateAt + 2 * HOUR_MS)).toEqual([]);
  });

  it('alerts everyone who must act and escalates to everyone escalated to, one task per person', () => {
    const approval = followUp('acme', { ownerId: 'committee', managerId: 'chief' });
    const responsible = () => ({ acting: ['ann', 'bob', 'cao', 'ann'], escalation: ['cao'] });
    expect(summary(alertsDue([approval], approval.atRiskAt, responsible))).toEqual([
      'reminder->ann',
      'reminder->bob',
      'reminder->cao',
    ]);
    expect(summary(alertsDue([approval], approval.dueAt + 1, responsible))).toEqual([
      'breach->ann',
      'breach->bob',
      'breach->cao',
    ]);
    expect(summary(alertsDue([approval], approval.escalateAt, responsible))).toEqual([
      'breach->ann',
      'breach->bob',
      'escalation->cao',
    ]);
  });

  it('keeps alerting while the stop lies after the moment evaluated', () => {
    const later: SlaInstance = { ...instance, stoppedAt: instance.dueAt, stopReason: 'first_touch' };
    expect(summary(alertsDue([later], instance.atRiskAt))).toEqual(['reminder->rep']);
  });

  it('re-emits the same keys for the same state', () => {
    const instanceArb = fc
      .record({
        account: fc.integer({ min: 0, max: 30 }),
        owner: fc.constantFrom('rep_a', 'rep_b', 'boss'),
        manager: fc.constantFrom('boss', null),
        tier: fc.constantFrom<Tier>('tier_1', 'tier_2', 'tier_3'),
        startedAt: fc.integer({ min: at('2026-01-05T00:00'), max: at('2026-03-01T00:00') }),
        stopAfterHours: fc.option(fc.integer({ min: 0, max: 24 * 14 })),
      })
      .map(({ account, owner, manager, tier, startedAt, stopAfterHours }) => {
        const opened = followUp(`acct-${account}`, { ownerId: owner, managerId: manager, tier, startedAt });
        return stopAfterHours === null
          ? opened
          : { ...opened, stoppedAt: startedAt + stopAfterHours * HOUR_MS, stopReason: 'first_touch' };
      });
    const phase = (instance: SlaInstance, now: number): string =>
      `${slaStatus(instance, now)}:${now >= instance.escalateAt}:${instance.stoppedAt !== null && instance.stoppedAt <= now}`;
    const keysAt = (instances: readonly SlaInstance[], now: number): string[] =>
      alertsDue(instances, now).map((alert) => `${alert.key}|${alert.taskKey}`);
    fc.assert(
      fc.property(
        fc.array(instanceArb, { maxLength: 20 }),
        fc.integer({ min: at('2026-01-05T00:00'), max: at('2026-03-20T00:00') }),
        fc.integer({ min: 0, max: 3 * HOUR_MS }),
        (instances, now, laterBy) => {
          const later = now + laterBy;
          fc.pre(instances.every((instance) => phase(instance, now) === phase(instance, later)));
          const copies = instances.map((instance) => ({ ...instance }));
          expect(keysAt(copies, later)).toEqual(keysAt(instances, now));
        },
      ),
      { numRuns: 300 },
    );
  });
});

function sampleAlert(
  kind: SlaAlert['kind'],
  recipientId: string,
  accountId: string,
  dueAt: number,
): SlaAlert {
  const instanceKey = `sales_follow_up:${accountId}:0`;
  return {
    kind,
    key: `${kind}:${instanceKey}:${recipientId}`,
    taskKey: `task:${instanceKey}:${recipientId}`,
    recipientId,
    instanceKey,
    slaKind: 'sales_follow_up',
    accountId,
    dueAt,
  };
}

describe('foldIntoDigests', () => {
  const now = Date.UTC(2026, 1, 9, 10);
  const alerts = [
    sampleAlert('reminder', 'rep', 'a', 5),
    sampleAlert('breach', 'rep', 'b', 9),
    sampleAlert('reminder', 'rep', 'c', 1),
    sampleAlert('escalation', 'boss', 'd', 3),
    sampleAlert('breach', 'rep', 'e', 2),
    sampleAlert('escalation', 'rep', 'f', 7),
  ];

  it('keeps the most urgent alerts per person, escalation before breach before reminder, earliest due first', () => {
    const folded = foldIntoDigests(alerts, 3, now);
    expect(
      folded.map(
        (alert) => `${alert.recipientId}:${alert.kind}:${'accountId' in alert ? alert.accountId : '*'}`,
      ),
    ).toEqual(['boss:escalation:d', 'rep:escalation:f', 'rep:breach:e', 'rep:breach:b', 'rep:digest:*']);
  });

  it('folds the rest into one digest per person and day, listing what it folds', () => {
    const digest = foldIntoDigests(alerts, 3, now).find((alert) => alert.kind === 'digest');
    expect(digest).toMatchObject({ recipientId: 'rep', day: '2026-02-09', taskKey: 'digest:rep:2026-02-09' });
    if (digest?.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.folded.map((alert) => alert.accountId)).toEqual(['c', 'a']);
    expect(digest.key.startsWith('digest:rep:2026-02-09:')).toBe(true);
  });

  it('gives a digest a key that is the same for the same folded alerts and changes when they change', () => {
    const digestKey = (input: readonly SlaAlert[], cap: number): string | undefined =>
      foldIntoDigests(input, cap, now).find((alert) => alert.kind === 'digest')?.key;
    expect(digestKey([...alerts].reverse(), 3)).toBe(digestKey(alerts, 3));
    expect(digestKey(alerts, 2)).not.toBe(digestKey(alerts, 3));
  });

  it('starts a new digest task on a new day', () => {
    const taskKeys = [now, now + 24 * HOUR_MS].map(
      (when) => foldIntoDigests(alerts, 1, when).find((alert) => alert.kind === 'digest')?.taskKey,
    );
    expect(taskKeys).toEqual(['digest:rep:2026-02-09', 'digest:rep:2026-02-10']);
  });

  it('adds no digest for a person within the cap', () => {
    expect(foldIntoDigests(alerts, 5, now).some((alert) => alert.kind === 'digest')).toBe(false);
  });

  it('counts against the cap the tasks already opened today, so a second wave the same day respects it', () => {
    // Earlier today rep got two tasks on other instances; a cap of 3 leaves room for one new task.
    const openedToday = new Map([['rep', { open: new Set(['task:x:rep', 'task:y:rep']), openedToday: 2 }]]);
    const wave = foldIntoDigests(alerts, 3, now, openedToday);
    expect(
      wave.map(
        (alert) => `${alert.recipientId}:${alert.kind}:${'accountId' in alert ? alert.accountId : '*'}`,
      ),
    ).toEqual(['boss:escalation:d', 'rep:escalation:f', 'rep:digest:*']);
    const digest = wave.find((alert) => alert.kind === 'digest');
    if (digest?.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.folded.map((alert) => alert.accountId)).toEqual(['e', 'b', 'c', 'a']);
  });

  it('folds every new alert of a person whose cap today is used up, still updating their open tasks', () => {
    const openedToday = new Map([
      [
        'rep',
        { open: new Set(['task:sales_follow_up:a:0:rep', 'task:x:rep', 'task:y:rep']), openedToday: 3 },
      ],
      ['boss', { open: new Set<string>(), openedToday: 0 }],
    ]);
    const wave = foldIntoDigests(alerts, 3, now, openedToday);
    expect(wave.filter((alert) => alert.kind !== 'digest').map((alert) => alert.key)).toEqual([
      alerts[3]!.key,
      alerts[0]!.key,
    ]);
    const digest = wave.find((alert) => alert.kind === 'digest');
    if (digest?.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.folded.map((alert) => alert.accountId)).toEqual(['f', 'e', 'b', 'c']);
  });

  it('keeps updating a task opened on an earlier day without counting it against today', () => {
    // Yesterday's reminder on a becomes a breach today: an update, and today's cap of 1 is still free.
    const opened = new Map([['rep', { open: new Set(['task:sales_follow_up:a:0:rep']), openedToday: 0 }]]);
    const kept = foldIntoDigests(alerts, 1, now, opened).filter((alert) => alert.kind !== 'digest');
    expect(kept.map((alert) => `${alert.recipientId}:${alert.kind}:${alert.accountId}`)).toEqual([
      'boss:escalation:d',
      'rep:escalation:f',
      'rep:reminder:a',
    ]);
  });

  it('names the day of a digest as the UTC date of now', () => {
    expect(digestDayOf(Date.UTC(2026, 1, 9, 23, 59))).toBe('2026-02-09');
    expect(digestDayOf(Date.UTC(2026, 1, 10, 0, 0))).toBe('2026-02-10');
    expect(digestDayStartOf(Date.UTC(2026, 1, 9, 23, 59))).toBe(Date.UTC(2026, 1, 9));
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => foldIntoDigests(alerts, 0, now)).toThrow(RangeError);
  });

  it('never loses an alert, opens at most the cap of new tasks per person and day, and does not depend on the input order', () => {
    const alertArb = fc
      .record({
        kind: fc.constantFrom<SlaAlert['kind']>('reminder', 'breach', 'escalation'),
        recipient: fc.constantFrom('rep_a', 'rep_b', 'boss'),
        account: fc.integer({ min: 0, max: 40 }),
        dueAt: fc.integer({ min: 0, max: 10 }),
      })
      .map(({ kind, recipient, account, dueAt }) => sampleAlert(kind, recipient, `acct-${account}`, dueAt));
    const openedArb = fc
      .array(
        fc.record({
          recipient: fc.constantFrom('rep_a', 'rep_b', 'boss'),
          account: fc.integer({ min: 0, max: 40 }),
        }),
        { maxLength: 10 },
      )
      .map((opened) => {
        const byRecipient = new Map<string, { open: Set<string>; openedToday: number }>();
        for (const { recipient, account } of opened) {
          const taskKey = `task:sales_follow_up:acct-${account}:0:${recipient}`;
          const tasks = byRecipient.get(recipient) ?? { open: new Set<string>(), openedToday: 0 };
          if (!tasks.open.has(taskKey)) tasks.openedToday += 1;
          byRecipient.set(recipient, { ...tasks, open: tasks.open.add(taskKey) });
        }
        return byRecipient;
      });
    fc.assert(
      fc.property(
        fc.uniqueArray(alertArb, { selector: (alert) => alert.key, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: at('2026-01-01T00:00'), max: at('2026-12-31T00:00') }),
        openedArb,
        (input, cap, when, openedToday) => {
          const output = foldIntoDigests(input, cap, when, openedToday);
          const kept = output.filter((alert) => alert.kind !== 'digest');
          const digests = output.filter((alert) => alert.kind === 'digest');
          const folded = digests.flatMap((digest) => digest.folded);
          expect([...kept, ...folded].map((alert) => alert.key).sort()).toEqual(
            input.map((alert) => alert.key).sort(),
          );
          const recipients = new Set(input.map((alert) => alert.recipientId));
          for (const recipient of recipients) {
            const opened = openedToday.get(recipient) ?? { open: new Set<string>(), openedToday: 0 };
            const newTasks = new Set(
              kept
                .filter((alert) => alert.recipientId === recipient && !opened.open.has(alert.taskKey))
                .map((alert) => alert.taskKey),
            );
            expect(newTasks.size).toBeLessThanOrEqual(Math.max(0, cap - opened.openedToday));
            expect(digests.filter((digest) => digest.recipientId === recipient).length).toBeLessThanOrEqual(
              1,
            );
          }
          expect(foldIntoDigests([...input].reverse(), cap, when, openedToday)).toEqual(output);
        },
      ),
      { numRuns: 300 },
    );
  });
});
