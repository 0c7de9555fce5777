import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A sales rep may ask for a tier change, an ABM manager decides it; a change that takes a tier over its
// capacity is for the Chief ABM Officer alone.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

describe.each(CRMS)('requests that others decide, in %s', (crm) => {
  it("turns a sales rep's change into a request that the ABM manager approves, and the CRM then holds it", async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts(null, 1, people.rep);

    const asked = await journey.changeTier(people.rep, account!, 'tier_3', 'Asked for by the customer');
    expect(asked.body).toMatchObject({
      outcome: 'needs_approval',
      route: 'sales_request',
      approverRoles: ['abm_manager', 'abm_committee', 'chief_abm_officer'],
    });
    expect(await journey.crmTier(account!)).toBeNull();
    expect((await journey.approvals(people.manager)).body.approvals).toMatchObject([
      { id: asked.body.approvalId, requestedBy: { userId: people.rep.ownerId, name: people.rep.name } },
    ]);

    const approved = await journey.approve(people.manager, asked.body.approvalId);

    expect(approved.body).toMatchObject({ applied: true, assignedTier: 'tier_3', crmWrite: 'done' });
    expect(await journey.crmTier(account!)).toBe('tier_3');
    await journey.sync();
    expect(await journey.crmTier(account!)).toBe('tier_3');
    expect((await journey.card(people.rep, account!)).body.tier.assigned).toBe('tier_3');
  });

  it('sends a change over capacity to the Chief ABM Officer: the committee may not approve it, the CAO does', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const full = await journey.crmTierCount('tier_2');
    // Full, with room for one more above capacity whatever the seed's count (20% of a few is no seat).
    await journey.configure((config) => ({
      ...config,
      tiers: {
        ...config.tiers,
        capacity: { ...config.tiers.capacity, tier_2: full },
        overCapacityCeilingPct: Math.ceil(100 / full),
      },
    }));
    await journey.sync();
    const [account] = await journey.accounts('tier_3', 1);

    const asked = await journey.changeTier(people.marketer, account!, 'tier_2', 'Strategic partner');
    expect(asked.body).toMatchObject({
      outcome: 'needs_approval',
      route: 'over_capacity',
      approverRoles: ['chief_abm_officer'],
    });
    expect((await journey.approvals(people.committee)).body.approvals).toEqual([]);
    const byCommittee = await journey.approve(people.committee, asked.body.approvalId);
    expect(byCommittee).toMatchObject({ status: 403, body: { error: { code: 'not_allowed_for_role' } } });
    expect(await journey.crmTier(account!)).toBe('tier_3');

    const byChief = await journey.approve(people.chief, asked.body.approvalId, 'Worth the extra seat');

    expect(byChief.body).toMatchObject({ applied: true, assignedTier: 'tier_2', crmWrite: 'done' });
    expect(await journey.crmTier(account!)).toBe('tier_2');
    expect(await journey.crmTierCount('tier_2')).toBe(full + 1);
  });
});
