import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';

import type { CrmTask, Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Twenty accounts of one rep enter tier 3 in two waves on a Monday morning, and the programme asks for a
// first touch within 4 business hours: by the afternoon every one of them is breached. With a cap of five
// tasks a person a day, the rep's task list holds five tasks and one digest of the fifteen others, however
// many runs raised them; the next day the cap starts over.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const MINUTE = 60_000;

const alertTasks = (tasks: readonly CrmTask[]) => tasks.filter((task) => task.key.startsWith('task:'));
const digests = (tasks: readonly CrmTask[]) => tasks.filter((task) => task.key.startsWith('digest:'));
const open = (tasks: readonly CrmTask[]) => tasks.filter((task) => task.status === 'open');

describe.each(CRMS)('the alert cap in %s', (crm) => {
  it('gives a rep with twenty breaches in one day five tasks and one digest, across runs, and a fresh cap the next day', async () => {
    journey = await startJourney(crm);
    const world = journey;
    const { rep, marketer } = world.people;
    const zone = await world.zoneOf(rep);
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
    await world.configure((config) => ({
      ...config,
      sla: {
        ...config.sla,
        alertCapPerPersonPerDay: 5,
        followUpBusinessHours: { tier_1: 2, tier_2: 3, tier_3: 4 },
      },
    }));
    const accounts = await world.accounts(null, 20, rep);

    // Monday 10:00 and 11:00 in the rep's zone: two waves of ten enter tier 3.
    await world.pass(local('2026-11-30T10:00') - world.time.now());
    for (const account of accounts.slice(0, 10)) {
      expect((await world.changeTier(marketer, account, 'tier_3')).body.outcome).toBe('applied');
    }
    await world.pass(local('2026-11-30T11:00') - world.time.now());
    for (const account of accounts.slice(10)) {
      expect((await world.changeTier(marketer, account, 'tier_3')).body.outcome).toBe('applied');
    }
    const ours = async () =>
      (await world.crmTasksOf(rep)).filter(
        (task) => task.accountId === null || accounts.includes(task.accountId),
      );

    // 13:00: the first wave is at risk: five reminders, the other five in a digest.
    await world.pass(local('2026-11-30T13:00') - world.time.now());
    let tasks = await ours();
    expect(alertTasks(tasks)).toHaveLength(5);
    expect(digests(tasks)).toHaveLength(1);
    expect(digests(tasks)[0]?.body.split('\n')).toHaveLength(5);

    // Through the afternoon, run after run, the second wave is at risk and all twenty breach.
    for (const at of ['14:00', '14:30', '15:00', '16:00', '17:30']) {
      await world.pass(local(`2026-11-30T${at}`) - world.time.now());
      tasks = await ours();
      expect(alertTasks(tasks)).toHaveLength(5);
      expect(digests(tasks)).toHaveLength(1);
    }
    expect(open(alertTasks(tasks)).every((task) => task.priority === 'high')).toBe(true);
    const [digest] = digests(tasks);
    expect(digest?.status).toBe('open');
    expect(digest?.body.split('\n')).toHaveLength(15);
    expect(digest?.subject).toMatch(/15/);

    // Tuesday: five more tasks for the clocks still breached, a new digest of the ten left, yesterday's
    // digest completed.
    await world.pass(local('2026-12-01T09:30') - world.time.now());
    await world.pass(5 * MINUTE);
    tasks = await ours();
    expect(open(alertTasks(tasks))).toHaveLength(10);
    expect(digests(tasks).map((task) => task.status)).toEqual(['completed', 'open']);
    expect(digests(tasks)[1]?.body.split('\n')).toHaveLength(10);
  });
});
