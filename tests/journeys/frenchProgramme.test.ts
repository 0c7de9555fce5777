import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A programme run in French: the operator connects the CRM with French as the tenant's language, and
// what ABM Pilot writes in the CRM records for everyone (the tier reason) reads in French.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

describe.each(CRMS)('a French-speaking programme in %s', (crm) => {
  it('finds the tier reasons in French in the CRM records, and its own decisions explained in French', async () => {
    journey = await startJourney(crm, { language: 'fr' });
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1);

    expect(await journey.crmTierReason(account!)).toMatch(/^Score \d+( : .+)?$/);

    await journey.editTierInCrm(people.rep, account!, 'tier_2');
    await journey.sync();
    expect(await journey.crmTierReason(account!)).toBe('Modifié dans le CRM (audité)');
  });
});
