import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Someone empties an account's region and intent score in the CRM. The card does not pass the gap off as a
// poor fit: after the next sync it names both among what the score had no data for, while an account that
// keeps its region and intent names neither.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

describe.each(CRMS)('an account without region or intent data in %s', (crm) => {
  it('shows the region and the intent as without data on the card after the next sync', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [emptied, kept] = await journey.accounts('tier_2', 2);
    await journey.setIntent(kept!, 64);
    await journey.sync();
    const before = (await journey.card(people.marketer, emptied!)).body.score;
    expect(before.missing).not.toContain('icp_region');

    await journey.clearInCrm(emptied!, ['region', 'intent']);
    await journey.sync();

    const card = await journey.card(people.marketer, emptied!);
    expect(card.status).toBe(200);
    expect(card.body.score.missing).toContain('icp_region');
    expect(card.body.score.missingSignals).toEqual(['intent']);
    const other = (await journey.card(people.marketer, kept!)).body.score;
    expect(other.missing).not.toContain('icp_region');
    expect(other.missingSignals).toEqual([]);
    // A card installed before revision 4 reads the answer it was built for, the region still named.
    const installed = await journey.call(people.marketer, 'GET', `/accounts/${emptied!}/card`, undefined, {
      installedCard: true,
    });
    expect(installed.status).toBe(200);
    expect(installed.body.score.missing).toContain('icp_region');
    expect(installed.body.score).not.toHaveProperty('missingSignals');
  });
});
