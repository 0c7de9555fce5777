import { afterEach, describe, expect, it } from 'vitest';

import type { Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// A marketer asks for an account to enter tier_1, which only the ABM committee or the Chief ABM Officer may
// decide. Approved, the CRM record holds tier_1 at once and the tier 1 follow-up clock runs; rejected,
// nothing changes in the CRM; left undecided, the request expires after its approval SLA.

let journey: Journey | null = null;
afterEach(async () => {
  await journey?.close();
  journey = null;
});

const DAY_MS = 86_400_000;

describe.each(CRMS)('a move into tier_1 in %s', (crm) => {
  it('goes to approval; approved by the Chief ABM Officer, the CRM holds tier_1 and the tier 1 clock runs', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1, people.rep);
    const asked = await journey.changeTier(people.marketer, account!, 'tier_1', 'Board sponsor signed');
    expect(asked.body).toMatchObject({
      outcome: 'needs_approval',
      route: 'tier_1',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
    });
    const card = (await journey.card(people.rep, account!)).body;
    expect(card.tier.assigned).toBe('tier_3');
    expect(card.pendingApproval).toMatchObject({
      id: asked.body.approvalId,
      requestedBy: { userId: people.marketer.ownerId, name: people.marketer.name, role: 'marketer' },
    });
    const queue = (await journey.approvals(people.chief)).body.approvals;
    expect(queue).toMatchObject([
      { id: asked.body.approvalId, requestedBy: { name: people.marketer.name }, toTier: 'tier_1' },
    ]);
    expect(await journey.crmTier(account!)).toBe('tier_3');

    journey.time.advance(60 * 60_000);
    const approved = await journey.approve(people.chief, asked.body.approvalId, 'Agreed in committee');

    expect(approved.body).toMatchObject({
      applied: true,
      assignedTier: 'tier_1',
      crmWrite: 'done',
      approval: {
        state: 'approved',
        decidedBy: { userId: people.chief.ownerId, name: people.chief.name, role: 'chief_abm_officer' },
      },
    });
    expect(await journey.crmTier(account!)).toBe('tier_1');
    for (let sync = 1; sync <= 3; sync += 1) await journey.sync();
    expect(await journey.crmTier(account!)).toBe('tier_1');
    const after = (await journey.card(people.rep, account!)).body;
    expect(after.tier.assigned).toBe('tier_1');
    expect(after.pendingApproval).toBeNull();
    // Tier 1 gives the owner 8 business hours for a first touch: due the same working day here.
    const followUp = after.slas.find((sla: { kind: string }) => sla.kind === 'sales_follow_up');
    expect(followUp).toMatchObject({ status: 'on_track', stoppedAt: null });
    expect(Date.parse(followUp.dueAt) - Date.parse(followUp.startedAt)).toBeLessThanOrEqual(DAY_MS);
    expect((await journey.audit(people.rep, account!)).map((entry) => [entry.action, entry.outcome])).toEqual(
      [
        ['tier_change', 'needs_approval'],
        ['approval_decision', 'approved'],
      ],
    );
  });

  it('rejected by the committee, leaves the CRM record as it was', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1, people.rep);
    const startedAt = journey.time.now();
    const asked = await journey.changeTier(people.marketer, account!, 'tier_1', 'Board sponsor signed');

    const rejected = await journey.reject(people.committee, asked.body.approvalId, 'No budget this quarter');

    expect(rejected.body).toMatchObject({
      applied: false,
      assignedTier: 'tier_3',
      approval: { state: 'rejected' },
    });
    await journey.sync();
    expect(await journey.crmTier(account!)).toBe('tier_3');
    expect((await journey.crmTierHistory(account!)).filter((entry) => entry.at >= startedAt)).toEqual([]);
    expect((await journey.card(people.rep, account!)).body).toMatchObject({
      tier: { assigned: 'tier_3' },
      pendingApproval: null,
    });
  });

  it('left undecided, expires once its approval SLA is over, and the CRM record stays as it was', async () => {
    journey = await startJourney(crm);
    const { people } = journey;
    const [account] = await journey.accounts('tier_3', 1, people.rep);
    const asked = await journey.changeTier(people.marketer, account!, 'tier_1', 'Board sponsor signed');
    expect(asked.body.outcome).toBe('needs_approval');

    // Due in 5 business days and expired after 10: three calendar weeks is past both.
    await journey.pass(21 * DAY_MS);

    expect((await journey.approvals(people.committee)).body.approvals).toEqual([]);
    expect((await journey.card(people.rep, account!)).body).toMatchObject({
      tier: { assigned: 'tier_3' },
      pendingApproval: null,
    });
    expect(await journey.crmTier(account!)).toBe('tier_3');
    const audit = await journey.audit(people.rep, account!);
    expect(audit.map((entry) => [entry.action, entry.outcome, entry.actor])).toEqual([
      ['tier_change', 'needs_approval', expect.objectContaining({ userId: people.marketer.ownerId })],
      ['approval_decision', 'expired', null],
    ]);
    const expired = await journey.approve(people.chief, asked.body.approvalId);
    expect(expired).toMatchObject({ status: 409, body: { error: { code: 'approval_not_pending' } } });
  });
});
