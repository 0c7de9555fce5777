import { afterEach, describe, expect, it } from 'vitest';

import type { CrmTask, Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A marketer hands one of the rep's tier 3 accounts over to sales from the card. The rep owes an answer
// within 5 business days: given in time with a reason code, the clock is met and no task ever appears;
// never given, the rep is reminded, then told it is overdue, then the rep's sales manager is told.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** A tier 3 account of the rep that marketing may hand over now, as the marketer's card says. */
async function handOverOne(world: Journey): Promise<{ account: string; dueAt: number }> {
  const { rep, marketer } = world.people;
  // The cast owns accounts whose own clocks run too: a cap high enough that this handover's tasks are never
  // folded into a digest, which the cap journey covers.
  await world.configure((config) => ({ ...config, sla: { ...config.sla, alertCapPerPersonPerDay: 100 } }));
  let found: string | null = null;
  for (const account of await world.accounts('tier_3', 8, rep)) {
    if ((await world.card(marketer, account)).body.actions.handover?.allowed === true) {
      found = account;
      break;
    }
  }
  if (found === null) throw new Error('no tier 3 account of the rep may be handed over');
  const handed = await world.call(marketer, 'POST', `/accounts/${found}/handover`, {
    idempotencyKey: 'journey-handover-0001',
  });
  expect(handed.status).toBe(200);
  const feedback = handed.body.slas.find((sla: { kind: string }) => sla.kind === 'sales_feedback');
  expect(feedback).toMatchObject({ status: 'on_track' });
  expect(handed.body.slas.map((sla: { kind: string }) => sla.kind)).toContain('sales_follow_up');
  return { account: found, dueAt: Date.parse(feedback.dueAt) };
}

const feedbackTasks = async (world: Journey, account: string): Promise<CrmTask[]> =>
  (await world.crmTasks(account)).filter((task) => task.key.startsWith('task:sales_feedback:'));

const feedbackClock = async (world: Journey, account: string) =>
  (await world.card(world.people.rep, account)).body.slas.find(
    (sla: { kind: string }) => sla.kind === 'sales_feedback',
  );

describe.each(CRMS)('a handover in %s', (crm) => {
  it('is answered in time from the card with a reason code: the clock is met and no task appears', async () => {
    journey = await startJourney(crm);
    const world = journey;
    const { rep, marketer } = world.people;
    const { account, dueAt } = await handOverOne(world);

    const card = await world.card(rep, account);
    expect(card.body.actions.handoverFeedback.pending).toBe(true);
    expect(card.body.actions.handoverFeedback.reasonCodes.accepted).toContain('qualified');
    // The marketer's card no longer offers a second handover while sales has not answered.
    expect((await world.card(marketer, account)).body.actions.handover).toEqual({ allowed: false });

    await world.pass(DAY);
    const answered = await world.call(rep, 'POST', `/accounts/${account}/handover-feedback`, {
      decision: 'accepted',
      reasonCode: 'qualified',
      idempotencyKey: 'journey-feedback-0001',
    });
    expect(answered).toMatchObject({
      status: 200,
      body: { decision: 'accepted', reasonCode: 'qualified', sla: { kind: 'sales_feedback', status: 'met' } },
    });

    await world.pass(dueAt + 10 * DAY - world.time.now());
    expect(await feedbackClock(world, account)).toMatchObject({ status: 'met' });
    expect((await world.card(rep, account)).body.actions.handoverFeedback.pending).toBe(false);
    expect(await feedbackTasks(world, account)).toEqual([]);
  });

  it('is never answered: the rep is reminded, then told it is overdue, then the sales manager is told', async () => {
    journey = await startJourney(crm);
    const world = journey;
    const { rep, lead } = world.people;
    const { account, dueAt } = await handOverOne(world);

    await world.pass(dueAt - HOUR - world.time.now());
    const reminded = await feedbackTasks(world, account);
    expect(reminded.map((task) => [task.assigneeId, task.status, task.priority])).toEqual([
      [rep.ownerId, 'open', 'medium'],
    ]);
    expect(reminded[0]?.subject).toMatch(/accept or reject the handover|accepter ou refuser la transmission/);

    await world.pass(dueAt + HOUR - world.time.now());
    expect(await feedbackClock(world, account)).toMatchObject({ status: 'breached' });
    expect((await feedbackTasks(world, account)).map((task) => [task.assigneeId, task.priority])).toEqual([
      [rep.ownerId, 'high'],
    ]);

    // Half the allowed time again (two and a half business days; a week covers any weekend).
    await world.pass(dueAt + 7 * DAY - world.time.now());
    const escalated = await feedbackTasks(world, account);
    expect(escalated.map((task) => [task.assigneeId, task.status])).toEqual([
      [rep.ownerId, 'open'],
      [lead.ownerId, 'open'],
    ]);

    // A late answer stops the clock (still breached: it was late) and completes both tasks.
    await world.call(rep, 'POST', `/accounts/${account}/handover-feedback`, {
      decision: 'rejected',
      reasonCode: 'bad_timing',
      idempotencyKey: 'journey-feedback-0002',
    });
    await world.sync();
    expect(await feedbackClock(world, account)).toMatchObject({ status: 'breached' });
    expect((await feedbackTasks(world, account)).map((task) => task.status)).toEqual([
      'completed',
      'completed',
    ]);
  });
});
