import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Someone changes the tier in the CRM itself (a list view, an inline edit). In audit mode the edit stands
// and is audited once, its editor named from the CRM's field history; in enforce mode the sync puts the
// governed tier back within one run and turns the edit into one approval request, and nothing more happens
// however many runs follow. ABM Pilot's own decisions are never taken for such edits.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

/** The CRM admin turns enforce mode on; the next sync runs on it. */
async function enforceRules(on: Journey): Promise<void> {
  await on.configure((config) => ({
    ...config,
    decisionRights: { ...config.decisionRights, outOfAppEdits: 'enforce' },
  }));
  await on.sync();
}

const edits = (audit: readonly { action: string }[]) =>
  audit.filter((entry) => entry.action === 'out_of_app_edit');

describe.each(CRMS)('a tier edited in %s itself', (crm) => {
  it('in audit mode stands, is audited once with its editor named, and stays so', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts(null, 1, people.rep);

    await journey.editTierInCrm(people.rep, account!, 'tier_3');
    await journey.sync();

    expect(await journey.crmTier(account!)).toBe('tier_3');
    expect((await journey.card(people.rep, account!)).body.tier.assigned).toBe('tier_3');
    for (let sync = 1; sync <= 3; sync += 1) await journey.sync();
    const audit = await journey.audit(people.rep, account!);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'out_of_app_edit',
      outcome: 'audited',
      fromTier: null,
      toTier: 'tier_3',
      actor: { userId: people.rep.ownerId, role: 'sales_rep', name: people.rep.name },
    });
    expect(await journey.crmTier(account!)).toBe('tier_3');
  });

  it('in enforce mode is reverted within one run into one approval and one audit entry, and nothing more in ten runs', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    await enforceRules(journey);
    const [account] = await journey.accounts('tier_3', 1, people.rep);
    const editedAt = journey.time.now();

    await journey.editTierInCrm(people.rep, account!, 'tier_1', 'Met their CFO at the summit');
    await journey.sync();

    expect(await journey.crmTier(account!)).toBe('tier_3');
    const card = (await journey.card(people.rep, account!)).body;
    expect(card.tier.assigned).toBe('tier_3');
    expect(card.pendingApproval).toMatchObject({
      fromTier: 'tier_3',
      toTier: 'tier_1',
      route: 'tier_1',
      reason: 'Met their CFO at the summit',
      requestedBy: { userId: people.rep.ownerId, name: people.rep.name },
    });
    const queue = (await journey.approvals(people.committee)).body.approvals;
    expect(queue).toHaveLength(1);
    expect(edits(await journey.audit(people.rep, account!))).toMatchObject([
      { outcome: 'reverted', route: 'tier_1', toTier: 'tier_1', actor: { name: people.rep.name } },
    ]);

    for (let sync = 1; sync <= 10; sync += 1) await journey.sync();

    expect(await journey.crmTier(account!)).toBe('tier_3');
    expect(await journey.audit(people.rep, account!)).toHaveLength(1);
    expect((await journey.approvals(people.committee)).body.approvals).toHaveLength(1);
    // The edit, then ABM Pilot putting the tier back: two changes of the field, no more.
    expect(
      (await journey.crmTierHistory(account!))
        .filter((entry) => entry.at >= editedAt)
        .map((entry) => entry.value),
    ).toEqual(['tier_1', 'tier_3']);
  });

  it('in enforce mode holds an edit to the written-reason rule: two tiers away without one, it is put back and refused', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    await enforceRules(journey);
    // An untargeted account the score puts in tier_3 at most: tier_1 is two tiers or more away.
    let account: string | undefined;
    for (const candidate of await journey.accounts(null, 10, people.rep)) {
      const { recommended } = (await journey.card(people.rep, candidate)).body.tier;
      if (recommended === null || recommended === 'tier_3') account = candidate;
      if (account !== undefined) break;
    }

    await journey.editTierInCrm(people.rep, account!, 'tier_1');
    await journey.sync();
    await journey.sync();

    expect(await journey.crmTier(account!)).toBeNull();
    expect((await journey.card(people.rep, account!)).body.pendingApproval).toBeNull();
    expect(await journey.audit(people.rep, account!)).toMatchObject([
      { action: 'out_of_app_edit', outcome: 'reverted', code: 'reason_required', toTier: 'tier_1' },
    ]);
  });

  it("in enforce mode takes neither a marketer's change from the card nor its write to the CRM for an edit", async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    await enforceRules(journey);
    const [account] = await journey.accounts('tier_3', 1);

    const answer = await journey.changeTier(people.marketer, account!, 'tier_2', 'Engaged at the summit');
    for (let sync = 1; sync <= 3; sync += 1) await journey.sync();

    expect(answer.body).toMatchObject({ outcome: 'applied', crmWrite: 'done' });
    expect(await journey.crmTier(account!)).toBe('tier_2');
    expect((await journey.approvals(people.committee)).body.approvals).toEqual([]);
    expect((await journey.audit(people.marketer, account!)).map((entry) => entry.action)).toEqual([
      'tier_change',
    ]);
  });
});
