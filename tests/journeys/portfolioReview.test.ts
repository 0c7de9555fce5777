import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// Tier 1 accounts are reviewed every 30 days. A month after the first sync one is overdue on the portfolio
// review; the ABM manager reviews it from its card with a note, which the audit log keeps with the
// manager's name and role. The card shows the next review a month away and the account leaves the
// overdue list; a sales rep may not review it and is offered nothing; a retried request records one
// review; and once the cadence has passed again on the clock, the account is overdue once more.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const DAY_MS = 86_400_000;
const TIER_1_CADENCE_DAYS = 30;

const overdueOf = async (journey: Journey) => {
  const answer = await journey.call(journey.people.manager, 'GET', '/portfolio/review?tier=tier_1&limit=500');
  if (answer.status !== 200) throw new Error(`portfolio review: HTTP ${answer.status}`);
  return answer.body.overdueReviews as { crmId: string; reviewAllowed: boolean; overdueDays: number }[];
};

describe.each(CRMS)('a portfolio review in %s', (crm) => {
  it('is recorded from the card by the ABM manager, restarts the review clock, and falls due again a cadence later', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_1', 1);
    await journey.pass((TIER_1_CADENCE_DAYS + 1) * DAY_MS);

    // Overdue on the portfolio review, which lets the manager review it.
    expect((await overdueOf(journey)).find((row) => row.crmId === account)).toMatchObject({
      reviewAllowed: true,
      overdueDays: 1,
    });
    const before = (await journey.card(people.manager, account!)).body;
    expect(before.review).toMatchObject({ lastReviewedAt: null, overdue: true });
    expect(before.actions.review).toEqual({ allowed: true });

    // A sales rep without rights is offered no review, and refused if they send one anyway.
    expect((await journey.card(people.rep, account!)).body.actions.review).toEqual({ allowed: false });
    const refused = await journey.call(people.rep, 'POST', `/accounts/${account!}/review`, {
      note: 'Looks fine to me',
      idempotencyKey: 'journey-review-rep-01',
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const reviewedAt = journey.time.now();
    const request = { note: 'Sponsor met; renewal on track', idempotencyKey: 'journey-review-0001' };
    const recorded = await journey.call(people.manager, 'POST', `/accounts/${account!}/review`, request);
    const nextDueAt = new Date(reviewedAt + TIER_1_CADENCE_DAYS * DAY_MS).toISOString();
    expect(recorded).toMatchObject({
      status: 200,
      body: {
        reviewedBy: { userId: people.manager.ownerId, role: 'abm_manager', name: people.manager.name },
        note: 'Sponsor met; renewal on track',
        tier: 'tier_1',
        review: { nextDueAt, overdue: false },
      },
    });
    // The card's retry (HubSpot retries once) is the same review: answered alike, recorded once.
    const retried = await journey.call(people.manager, 'POST', `/accounts/${account!}/review`, request);
    expect(retried).toEqual(recorded);

    const reviews = (await journey.audit(people.rep, account!)).filter((entry) => entry.action === 'review');
    expect(reviews).toEqual([
      expect.objectContaining({
        outcome: 'recorded',
        actor: { userId: people.manager.ownerId, role: 'abm_manager', name: people.manager.name },
        comment: 'Sponsor met; renewal on track',
        fromTier: 'tier_1',
        toTier: 'tier_1',
        at: new Date(reviewedAt).toISOString(),
      }),
    ]);
    // The card a rep opens shows who reviewed and when the next review is due; the list no longer has it.
    expect((await journey.card(people.rep, account!)).body.review).toEqual({
      lastReviewedAt: new Date(reviewedAt).toISOString(),
      lastReviewedBy: { userId: people.manager.ownerId, role: 'abm_manager', name: people.manager.name },
      nextDueAt,
      overdue: false,
    });
    expect((await overdueOf(journey)).map((row) => row.crmId)).not.toContain(account);

    // Syncs go on; the review holds until the cadence has passed again.
    await journey.pass((TIER_1_CADENCE_DAYS - 1) * DAY_MS);
    expect((await overdueOf(journey)).map((row) => row.crmId)).not.toContain(account);
    await journey.pass(DAY_MS);
    expect((await overdueOf(journey)).map((row) => row.crmId)).toContain(account);
    expect((await journey.card(people.manager, account!)).body.review).toMatchObject({
      lastReviewedAt: new Date(reviewedAt).toISOString(),
      nextDueAt,
      overdue: true,
    });
  });

  it('lets a marketer review an account once the CRM names them its ABM owner, and not before', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_1', 1);
    await journey.pass((TIER_1_CADENCE_DAYS + 1) * DAY_MS);
    expect((await journey.card(people.marketer, account!)).body.actions.review).toEqual({ allowed: false });

    await journey.nameAbmOwnerInCrm(account!, people.marketer);
    await journey.sync();

    const card = (await journey.card(people.marketer, account!)).body;
    expect(card.owners).toContainEqual(
      expect.objectContaining({ role: 'abm_owner', userId: people.marketer.ownerId }),
    );
    expect(card.actions.review).toEqual({ allowed: true });
    const recorded = await journey.call(people.marketer, 'POST', `/accounts/${account!}/review`, {
      idempotencyKey: 'journey-review-owner-01',
    });
    expect(recorded).toMatchObject({
      status: 200,
      body: { reviewedBy: { userId: people.marketer.ownerId, role: 'marketer' }, note: null },
    });
    expect((await overdueOf(journey)).map((row) => row.crmId)).not.toContain(account);
  });

  it('leaves reviews out of what a card installed before API revision 3 reads', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_1', 1);
    await journey.call(people.manager, 'POST', `/accounts/${account!}/review`, {
      idempotencyKey: 'journey-review-0002',
    });

    const installed = { installedCard: true };
    const card = await journey.call(people.rep, 'GET', `/accounts/${account!}/card`, undefined, installed);
    const audit = await journey.call(people.rep, 'GET', `/accounts/${account!}/audit`, undefined, installed);

    expect(card.status).toBe(200);
    expect(card.body).not.toHaveProperty('review');
    expect(card.body.actions).not.toHaveProperty('review');
    expect(audit.body.entries.map((entry: { action: string }) => entry.action)).not.toContain('review');
  });
});
