import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Fifty marketers' clicks land at once on a tier with five free seats; then the Chief ABM Officer decides
// every resulting over-capacity request at once. The rules hold at the moment each decision takes effect:
// the tier never holds more than its capacity, over it only by the CAO's approval, never over its ceiling,
// in ABM Pilot and in the CRM alike.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const REQUESTS = 50;
const FREE_SEATS = 5;

describe.each(CRMS)('a rush on a tier in %s', (crm) => {
  it('fills the free seats, sends the rest to the CAO, and never goes over the ceiling', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const before = await journey.crmTierCount('tier_2');
    const capacity = before + FREE_SEATS;
    const ceiling = Math.floor(capacity * 1.2);
    await journey.configure((config) => ({
      ...config,
      tiers: {
        ...config.tiers,
        capacity: { ...config.tiers.capacity, tier_2: capacity },
        overCapacityCeilingPct: 20,
      },
    }));
    await journey.sync();
    const accounts = await journey.accounts(null, REQUESTS);

    const answers = await Promise.all(
      accounts.map((account) => journey!.changeTier(people.marketer, account, 'tier_2', 'Campaign list')),
    );

    const outcomes = answers.map((answer) => `${answer.status} ${answer.body.outcome} ${answer.body.route}`);
    expect(outcomes.filter((outcome) => outcome === '200 applied routine')).toHaveLength(FREE_SEATS);
    expect(outcomes.filter((outcome) => outcome === '200 needs_approval over_capacity')).toHaveLength(
      REQUESTS - FREE_SEATS,
    );
    await journey.sync();
    expect(await journey.crmTierCount('tier_2')).toBe(capacity);

    const queue = (await journey.approvals(people.chief)).body.approvals as { id: string }[];
    expect(queue).toHaveLength(REQUESTS - FREE_SEATS);
    const decisions = await Promise.all(queue.map((approval) => journey!.approve(people.chief, approval.id)));

    const approved = decisions.filter((decision) => decision.status === 200);
    expect(approved).toHaveLength(ceiling - capacity);
    expect(
      decisions.filter((decision) => decision.status === 409).map((decision) => decision.body.error.code),
    ).toEqual(Array(REQUESTS - FREE_SEATS - (ceiling - capacity)).fill('tier_full'));
    await journey.sync();
    expect(await journey.crmTierCount('tier_2')).toBe(ceiling);
    const cards = await Promise.all(accounts.map((account) => journey!.card(people.rep, account)));
    expect(cards.filter((card) => card.body.tier.assigned === 'tier_2')).toHaveLength(ceiling - before);
    // The requests that found no seat are still waiting: a seat freed later lets the CAO approve one.
    const waiting = (await journey.approvals(people.chief)).body.approvals as { id: string }[];
    expect(waiting).toHaveLength(REQUESTS - FREE_SEATS - (ceiling - capacity));
    // A card installed before `tier_full` existed is told `conflict`, a code it knows.
    const fromInstalledCard = await journey.call(
      people.chief,
      'POST',
      `/approvals/${waiting[0]!.id}/approve`,
      {},
      {
        installedCard: true,
      },
    );
    expect(fromInstalledCard).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });
});
