import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A marketer moves an account from tier_3 to tier_2 from the card in the CRM record. Routine: it applies at
// once, the CRM record holds it straight after the answer, and it stays decided however many syncs follow.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

describe.each(CRMS)('a routine tier change in %s', (crm) => {
  it('shows on the card at once, is in the CRM record after the single write, and is still there three syncs later', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1);
    const changedAt = journey.time.now();

    const answer = await journey.changeTier(people.marketer, account!, 'tier_2', 'Engaged at the summit');

    expect(answer).toEqual({
      status: 200,
      body: { outcome: 'applied', route: 'routine', tier: 'tier_2', crmWrite: 'done' },
    });
    expect((await journey.card(people.rep, account!)).body.tier.assigned).toBe('tier_2');
    expect(await journey.crmTier(account!)).toBe('tier_2');
    // A card installed before API revisions reads the answer it was built for, without `crmWrite`.
    const [other] = await journey.accounts('tier_3', 1);
    const installed = await journey.call(
      people.marketer,
      'POST',
      `/accounts/${other!}/tier-change`,
      { toTier: 'tier_2', reason: 'Engaged at the summit', idempotencyKey: 'installed-card-0001' },
      { installedCard: true },
    );
    expect(installed).toEqual({
      status: 200,
      body: { outcome: 'applied', route: 'routine', tier: 'tier_2' },
    });

    for (let sync = 1; sync <= 3; sync += 1) await journey.sync();

    expect(await journey.crmTier(account!)).toBe('tier_2');
    expect((await journey.card(people.rep, account!)).body.tier.assigned).toBe('tier_2');
    // One change of the field in the CRM, made by ABM Pilot: nothing put it back.
    const changes = (await journey.crmTierHistory(account!)).filter((entry) => entry.at >= changedAt);
    expect(changes.map((entry) => entry.value)).toEqual(['tier_2']);
    const audit = await journey.audit(people.marketer, account!);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'tier_change',
      outcome: 'applied',
      route: 'routine',
      fromTier: 'tier_3',
      toTier: 'tier_2',
      actor: { userId: people.marketer.ownerId, role: 'marketer', name: people.marketer.name },
    });
  });
});
