import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A tier 1 account becomes marketing-qualified on the Thursday before Christmas: its owner owes a first
// touch within 8 business hours of their own zone, and Christmas Day and a weekend lie in between. The
// reminder, the breach and the escalation reach the CRM as tasks, one per person; the owner plans a call for
// next week (which answers nothing) and then logs the meeting they actually held on Monday morning: the
// clock was met, and every task it opened is completed in the CRM.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

/** Thursday 24 December 2026, 09:00 in Paris: the business day before Christmas. */
const CHRISTMAS_EVE = Date.parse('2026-12-24T08:00:00.000Z');
const MINUTE = 60_000;

/**
 * A tier 1 account of the rep with no clock running: one of theirs moves up with the committee's approval,
 * and the rep answers the tier entry's clock with a call at once.
 */
async function quietTierOneAccount(world: Journey): Promise<string> {
  const { rep, marketer, committee } = world.people;
  const [account] = await world.accounts('tier_2', 1, rep);
  const asked = await world.changeTier(marketer, account!, 'tier_1', 'Renewal at stake');
  expect(asked.body.outcome).toBe('needs_approval');
  expect((await world.approve(committee, asked.body.approvalId)).status).toBe(200);
  await world.logCall(rep, account!, { at: world.time.now(), done: true });
  await world.sync();
  expect(slaOf(await world.card(rep, account!), 'sales_follow_up').status).toBe('met');
  return account!;
}

const slaOf = (card: { body: { slas: { kind: string }[] } }, kind: string): any =>
  card.body.slas.find((sla) => sla.kind === kind);

describe.each(CRMS)('the follow-up clock of an MQA in %s', (crm) => {
  it('reminds, breaches and escalates in the owner’s business hours, then a touch dated in time meets it and completes every task', async () => {
    journey = await startJourney(crm, { start: CHRISTMAS_EVE });
    const world = journey;
    const { rep, lead } = world.people;
    const zone = await world.zoneOf(rep);
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
    const account = await quietTierOneAccount(world);
    const followUpsBefore = (await world.card(rep, account)).body.slas.filter(
      (sla: { kind: string }) => sla.kind === 'sales_follow_up',
    ).length;

    // The intent provider sees a surge at 15:59 on Christmas Eve; the next sync, at 16:00, qualifies it.
    world.time.advanceTo(local('2026-12-24T15:59'));
    await world.setIntent(account, 95);
    await world.pass(local('2026-12-24T16:00') - world.time.now());

    const started = await world.card(rep, account);
    const followUp = slaOf(started, 'sales_follow_up');
    expect(started.body.slas.filter((sla: { kind: string }) => sla.kind === 'sales_follow_up')).toHaveLength(
      followUpsBefore + 1,
    );
    // 2 hours on Thursday, Christmas Day and the weekend off, 6 hours on Monday.
    expect(followUp).toMatchObject({ status: 'on_track', startedAt: iso(local('2026-12-24T16:00')) });
    expect(followUp.dueAt).toBe(iso(local('2026-12-28T15:00')));
    // The handover also asks for an answer within 2 business days.
    expect(slaOf(started, 'sales_feedback')).toMatchObject({
      status: 'on_track',
      dueAt: iso(local('2026-12-29T16:00')),
    });
    // A call planned for next week is no touch.
    await world.logCall(rep, account, { at: local('2027-01-05T10:00'), done: false });

    await world.pass(local('2026-12-28T12:55') - world.time.now());
    expect(slaOf(await world.card(rep, account), 'sales_follow_up').status).toBe('on_track');
    expect(await world.crmTasks(account)).toEqual([]);

    // At 75% of the time (Monday 13:00 in the owner's zone): one reminder to the owner.
    await world.pass(5 * MINUTE);
    expect(slaOf(await world.card(rep, account), 'sales_follow_up').status).toBe('at_risk');
    const reminded = await world.crmTasks(account);
    expect(reminded).toMatchObject([{ assigneeId: rep.ownerId, status: 'open', priority: 'medium' }]);
    expect(reminded[0]?.subject).toMatch(/^SLA at risk: log a first touch on /);

    // Past due, the same task becomes the breach.
    await world.pass(local('2026-12-28T15:05') - world.time.now());
    expect(slaOf(await world.card(rep, account), 'sales_follow_up').status).toBe('breached');
    const breached = await world.crmTasks(account);
    expect(breached).toMatchObject([{ assigneeId: rep.ownerId, status: 'open', priority: 'high' }]);
    expect(breached[0]?.subject).toMatch(/^SLA breached: /);

    // Half the allowed time again (Tuesday 10:00): one escalation to the sales manager.
    await world.pass(local('2026-12-29T10:00') - world.time.now());
    const escalated = await world.crmTasks(account);
    expect(escalated.map((task) => [task.assigneeId, task.status])).toEqual([
      [rep.ownerId, 'open'],
      [lead.ownerId, 'open'],
    ]);
    // Each task speaks its assignee's language (Salesforce users in Paris read French).
    expect(escalated[1]?.subject).toMatch(/^(SLA breach escalated|Dépassement de SLA escaladé)/);
    for (let sync = 0; sync < 3; sync += 1) await world.sync();
    expect(await world.crmTasks(account)).toHaveLength(2);

    // Now the owner logs what happened on Monday at 11:00, before the clock was even at risk. HubSpot keeps
    // a call's time; Salesforce keeps only its date, so the exact time comes with the meeting logged there.
    const heldAt = local('2026-12-28T11:00');
    if (crm === 'hubspot') await world.logCall(rep, account, { at: heldAt, done: true });
    else await world.logMeeting(rep, account, heldAt);
    await world.sync();

    expect(slaOf(await world.card(rep, account), 'sales_follow_up')).toMatchObject({
      status: 'met',
      stoppedAt: iso(heldAt),
    });
    expect((await world.crmTasks(account)).map((task) => [task.assigneeId, task.status])).toEqual([
      [rep.ownerId, 'completed'],
      [lead.ownerId, 'completed'],
    ]);
    await world.sync();
    expect(await world.crmTasks(account)).toHaveLength(2);
  });

  it('opens no task at all when the owner calls in time', async () => {
    journey = await startJourney(crm, { start: CHRISTMAS_EVE });
    const world = journey;
    const { rep } = world.people;
    const zone = await world.zoneOf(rep);
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
    const account = await quietTierOneAccount(world);
    world.time.advanceTo(local('2026-12-24T15:59'));
    await world.setIntent(account, 95);
    await world.pass(local('2026-12-24T16:00') - world.time.now());

    await world.pass(local('2026-12-28T10:00') - world.time.now());
    await world.logCall(rep, account, { at: world.time.now(), done: true });
    await world.pass(local('2026-12-29T12:00') - world.time.now());

    expect(slaOf(await world.card(rep, account), 'sales_follow_up').status).toBe('met');
    // The handover still waits for the owner's answer: only that clock may remind them.
    expect((await world.crmTasks(account)).filter((task) => /first touch/.test(task.subject))).toEqual([]);
  });
});

const iso = (at: number): string => new Date(at).toISOString();
