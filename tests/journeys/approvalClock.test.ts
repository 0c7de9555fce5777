import { afterEach, describe, expect, it } from 'vitest';

import type { CrmTask, Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A marketer asks for a move to tier 1 and nobody decides. The approval's own clock asks those who may
// decide it (the committee and the Chief ABM Officer), not the account's owner; a long delay goes up to the
// Chief ABM Officer; ten business days on, the request expires and its tasks are done with. When the Chief
// alone may decide (a tier over capacity), the delay goes to the whole committee instead.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const HOUR = 60 * 60_000;

const approvalTasks = async (world: Journey, accountId: string): Promise<CrmTask[]> =>
  (await world.crmTasks(accountId)).filter((task) => task.key.startsWith('task:approval_decision:'));

/**
 * The people of the cast own accounts whose own clocks run too: a cap high enough that this approval's
 * tasks are never folded into a digest, which the cap journey covers.
 */
async function withRoomyCap(world: Journey): Promise<void> {
  await world.configure((config) => ({ ...config, sla: { ...config.sla, alertCapPerPersonPerDay: 100 } }));
}

const byAssignee = (tasks: readonly CrmTask[]) =>
  [...tasks].sort((a, b) => (a.assigneeId < b.assigneeId ? -1 : 1));

describe.each(CRMS)('an approval left undecided in %s', (crm) => {
  it('reminds and then alerts the committee and the Chief ABM Officer, escalates to the Chief, and expires', async () => {
    journey = await startJourney(crm);
    const world = journey;
    const { rep, lead, marketer, committee, chief, manager } = world.people;
    await withRoomyCap(world);
    const [account] = await world.accounts('tier_3', 1, rep);
    const asked = await world.changeTier(marketer, account!, 'tier_1', 'Renewal at stake');
    expect(asked.body).toMatchObject({
      outcome: 'needs_approval',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
    });
    const dueAt = Date.parse(asked.body.dueAt);
    const expiresAt = Date.parse(asked.body.expiresAt);
    const approvers = [committee.ownerId, chief.ownerId].sort();

    await world.pass(24 * HOUR);
    expect(await approvalTasks(world, account!)).toEqual([]);

    // Past three quarters of the time: a reminder to each person who may decide, and to nobody else.
    await world.pass(dueAt - HOUR - world.time.now());
    const reminded = byAssignee(await approvalTasks(world, account!));
    expect(reminded.map((task) => task.assigneeId)).toEqual(approvers);
    expect(reminded.every((task) => task.status === 'open' && task.priority === 'medium')).toBe(true);
    for (const bystander of [rep, lead, marketer, manager]) {
      expect(reminded.some((task) => task.assigneeId === bystander.ownerId)).toBe(false);
    }

    // Past due: the same two tasks say it is overdue.
    await world.pass(dueAt + HOUR - world.time.now());
    const breached = byAssignee(await approvalTasks(world, account!));
    expect(breached.map((task) => [task.assigneeId, task.priority])).toEqual(
      approvers.map((id) => [id, 'high']),
    );

    // Two and a half business days later (six calendar days cover any weekend, before the expiry): the
    // Chief's task is the escalation; the committee's stays.
    await world.pass(dueAt + 6 * 24 * HOUR - world.time.now());
    const escalated = byAssignee(await approvalTasks(world, account!));
    expect(escalated).toHaveLength(2);
    const chiefTask = escalated.find((task) => task.assigneeId === chief.ownerId);
    expect(chiefTask?.subject).toMatch(/^(SLA breach escalated|Dépassement de SLA escaladé)/);
    expect(escalated.find((task) => task.assigneeId === committee.ownerId)?.subject).toMatch(
      /^(SLA breached|SLA dépassé)/,
    );

    // Ten business days after the request, it expires: no approval waits, and its tasks are done with.
    await world.pass(expiresAt + HOUR - world.time.now());
    const card = await world.card(rep, account!);
    expect(card.body.pendingApproval).toBeNull();
    expect(card.body.tier.assigned).toBe('tier_3');
    const audit = await world.audit(marketer, account!);
    expect(audit.at(-1)).toMatchObject({ action: 'approval_decision', outcome: 'expired' });
    expect((await approvalTasks(world, account!)).map((task) => task.status)).toEqual([
      'completed',
      'completed',
    ]);
    expect(await world.crmTier(account!)).toBe('tier_3');
  });

  it('escalates to the whole committee what only the Chief ABM Officer may decide', async () => {
    journey = await startJourney(crm);
    const world = journey;
    const { rep, marketer, committee, chief } = world.people;
    const full = await world.crmTierCount('tier_2');
    await world.configure((config) => ({
      ...config,
      tiers: {
        ...config.tiers,
        capacity: { ...config.tiers.capacity, tier_2: full },
        // Room above capacity for one more, whatever the seeded count: the request must need the Chief.
        overCapacityCeilingPct: 100,
      },
      sla: { ...config.sla, alertCapPerPersonPerDay: 100 },
    }));
    const [account] = await world.accounts('tier_3', 1, rep);
    const asked = await world.changeTier(marketer, account!, 'tier_2', 'Expansion planned');
    expect(asked.body).toMatchObject({ outcome: 'needs_approval', approverRoles: ['chief_abm_officer'] });

    await world.pass(Date.parse(asked.body.dueAt) + 6 * 24 * HOUR - world.time.now());
    const tasks = byAssignee(await approvalTasks(world, account!));
    expect(tasks.map((task) => task.assigneeId)).toEqual([committee.ownerId, chief.ownerId].sort());
    expect(tasks.find((task) => task.assigneeId === chief.ownerId)?.subject).toMatch(
      /^(SLA breached|SLA dépassé)/,
    );
    expect(tasks.find((task) => task.assigneeId === committee.ownerId)?.subject).toMatch(
      /^(SLA breach escalated|Dépassement de SLA escaladé)/,
    );
  });
});
