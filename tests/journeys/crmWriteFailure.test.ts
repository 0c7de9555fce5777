import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// The CRM refuses the immediate write of a decision (an outage): the decision stands in ABM Pilot, the
// answer says the CRM does not have it yet, and the next run delivers it, once.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

describe.each(CRMS)('a decision the %s CRM cannot take at once', (crm) => {
  it('stays pending, reaches the CRM at the next run, exactly once', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1);
    const changedAt = journey.time.now();
    await journey.failAccountWrites();

    const answer = await journey.changeTier(people.marketer, account!, 'tier_2', 'Engaged at the summit');

    expect(answer.body).toEqual({
      outcome: 'applied',
      route: 'routine',
      tier: 'tier_2',
      crmWrite: 'pending',
    });
    expect((await journey.card(people.rep, account!)).body.tier.assigned).toBe('tier_2');
    expect(await journey.crmTier(account!)).toBe('tier_3');

    await journey.clearFaults();
    await journey.sync();

    expect(await journey.crmTier(account!)).toBe('tier_2');
    for (let sync = 1; sync <= 3; sync += 1) await journey.sync();
    const changes = (await journey.crmTierHistory(account!)).filter((entry) => entry.at >= changedAt);
    expect(changes.map((entry) => entry.value)).toEqual(['tier_2']);
    expect((await journey.audit(people.marketer, account!)).map((entry) => entry.action)).toEqual([
      'tier_change',
    ]);
  });
});
