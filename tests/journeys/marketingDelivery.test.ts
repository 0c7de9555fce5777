import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Marketing commits to a number of MQAs a month per tier, and to sales accepting at least 60% of them.
// Accounts become marketing-qualified in December as the CRM sees it happen (meetings with two of their
// contacts), which hands them over to their owner; the rep answers the handovers from the card. When the
// month closes the dashboard shows what marketing delivered against its commitment, and a missed month
// puts one task in the ABM manager's CRM task list, once.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const HOUR = 60 * 60_000;
/** Monday 7 December 2026, 10:00 in Paris. */
const DECEMBER_7 = Date.parse('2026-12-07T09:00:00.000Z');
/** 1 January 2027, 00:10 in Paris: December has closed. */
const NEW_YEAR = Date.parse('2026-12-31T23:10:00.000Z');

/**
 * The programme's commitment: `tier3` tier 3 MQAs a month (none asked of the other tiers), 60% of them
 * accepted by sales.
 */
async function commitTo(journey: Journey, tier3: number): Promise<void> {
  await journey.configure((config) => ({
    ...config,
    sla: {
      ...config.sla,
      marketingDelivery: { mqasPerMonth: { tier_1: 0, tier_2: 0, tier_3: tier3 }, minAcceptanceRate: 0.6 },
    },
  }));
  // The schedule's first SLA sweep: marketing delivery is watched from here, so December is watched whole.
  await journey.pass(HOUR);
}

/** Tier 3 accounts of the rep, not handed over yet, with two contacts or more. */
async function accountsToQualify(journey: Journey, count: number): Promise<string[]> {
  const found: string[] = [];
  for (const accountId of await tier3AccountsOfRep(journey)) {
    const card = await journey.card(journey.people.rep, accountId);
    const handedOver = (card.body.slas as { kind: string }[]).some((sla) => sla.kind === 'sales_feedback');
    if (!handedOver && (await journey.contactsOf(accountId)).length >= 2) found.push(accountId);
    if (found.length === count) return found;
  }
  throw new Error(`only ${found.length} tier 3 accounts of the rep to qualify, not ${count}`);
}

/** Every tier 3 account the rep owns (the world lists at least as many as asked, or fails). */
async function tier3AccountsOfRep(journey: Journey): Promise<string[]> {
  for (let count = 50; count > 0; count -= 1) {
    const owned = await journey.accounts('tier_3', count, journey.people.rep).catch(() => null);
    if (owned !== null) return owned;
  }
  return [];
}

/** Two of the account's contacts meet the rep twice each: 60 engagement points from two contacts, an MQA. */
async function qualify(journey: Journey, accountId: string): Promise<void> {
  const [first, second] = await journey.contactsOf(accountId);
  for (const contactId of [first!, second!]) {
    for (const hoursAgo of [3, 2]) {
      await journey.logMeeting(
        journey.people.rep,
        accountId,
        journey.time.now() - hoursAgo * HOUR,
        contactId,
      );
    }
  }
}

async function answer(journey: Journey, accountId: string, decision: 'accepted' | 'rejected') {
  const answered = await journey.call(
    journey.people.rep,
    'POST',
    `/accounts/${accountId}/handover-feedback`,
    {
      decision,
      reasonCode: decision === 'accepted' ? 'qualified' : 'not_a_fit',
    },
  );
  expect(answered.status).toBe(200);
}

const delivery = async (journey: Journey) => {
  const answer = await journey.call(journey.people.manager, 'GET', '/metrics/marketing-delivery');
  expect(answer.status).toBe(200);
  return answer.body;
};

describe.each(CRMS)('marketing delivery in %s', (crm) => {
  it('a month short of MQAs, and with too few accepted, puts one task before the ABM manager and shows on the dashboard', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    await commitTo(journey, 3);
    await journey.pass(DECEMBER_7 - journey.time.now());

    const [kept, turnedDown] = await accountsToQualify(journey, 2);
    await qualify(journey, kept!);
    await qualify(journey, turnedDown!);
    await journey.sync();

    // Handed over: the rep owes an answer on each card.
    for (const accountId of [kept!, turnedDown!]) {
      const card = await journey.card(people.rep, accountId);
      expect(card.body.slas).toContainEqual(
        expect.objectContaining({ kind: 'sales_feedback', stoppedAt: null }),
      );
    }
    await answer(journey, kept!, 'accepted');
    await answer(journey, turnedDown!, 'rejected');

    // The month so far: two MQAs against the week's share of the commitment, half of them accepted.
    const soFar = await delivery(journey);
    expect(soFar.currentMonth).toMatchObject({
      month: '2026-12',
      minAcceptanceRate: 0.6,
      byTier: {
        tier_3: { delivered: 2, committed: 1, met: true, accepted: 1, rejected: 1, acceptanceRate: 0.5 },
      },
      met: false,
    });

    await journey.pass(NEW_YEAR - journey.time.now());

    const closed = await delivery(journey);
    expect(closed.months).toHaveLength(1);
    expect(closed.months[0]).toMatchObject({
      month: '2026-12',
      start: '2026-11-30T23:00:00.000Z',
      end: '2026-12-31T23:00:00.000Z',
      met: false,
      byTier: {
        tier_1: { delivered: 0, committed: 0, met: true },
        tier_3: { delivered: 2, committed: 3, met: false, acceptanceRate: 0.5, qualityMet: false },
      },
    });
    const tasks = await journey.crmTasksKeyed('delivery:');
    expect(tasks).toEqual([
      {
        key: `delivery:2026-12:${people.manager.ownerId}`,
        assigneeId: people.manager.ownerId,
        subject: 'Marketing delivery missed in December 2026: Tier 3',
        body: [
          'ABM Pilot: marketing did not meet its MQA commitment for December 2026.',
          'Tier 3: MQAs delivered 2 of 3 committed (1 short).',
          'Tier 3: sales accepted 50% of the handovers answered (1 of 2), below the 60% minimum.',
        ].join('\n'),
        status: 'open',
        priority: 'high',
        accountId: null,
      },
    ]);

    // The next sweeps find December recorded: no second task.
    await journey.pass(HOUR);
    await journey.pass(HOUR);
    expect(await journey.crmTasksKeyed('delivery:')).toEqual(tasks);
    expect((await delivery(journey)).months).toHaveLength(1);
  });

  it('a month that meets its commitment raises no task', async () => {
    journey = await startJourney(crm);
    await commitTo(journey, 1);
    await journey.pass(DECEMBER_7 - journey.time.now());
    const [account] = await accountsToQualify(journey, 1);
    await qualify(journey, account!);
    await journey.sync();
    await answer(journey, account!, 'accepted');

    await journey.pass(NEW_YEAR - journey.time.now());

    const closed = await delivery(journey);
    expect(closed.months[0]).toMatchObject({
      month: '2026-12',
      met: true,
      byTier: { tier_3: { delivered: 1, committed: 1, met: true, acceptanceRate: 1, qualityMet: true } },
    });
    expect(await journey.crmTasksKeyed('delivery:')).toEqual([]);
  });
});
