import type { GovernanceConfig } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, HOUR_MS, VOCABULARIES } from '@abm-pilot/shared';
import { describe, expect, it } from 'vitest';

import type { CrmAccount, CrmEngagement } from '../model.ts';
import type { AccountSnapshot, ComputeContext } from './computeAccount.ts';
import { computeAccount } from './computeAccount.ts';

// Monday 30 November 2026, 10:00 in Paris.
const now = Date.UTC(2026, 10, 30, 9);

const account: CrmAccount = {
  crmId: 'c1',
  name: 'Acme',
  domain: 'acme.test',
  industry: 'software',
  region: 'emea',
  employees: 5_000,
  annualRevenue: 900_000_000,
  ownerCrmId: 'o1',
  abmOwnerCrmId: null,
  executiveSponsorCrmId: null,
  crmTier: 'tier_2',
  crmTierReason: null,
  strategic: true,
  intentScore: null,
  modifiedAt: now - HOUR_MS,
  mergedFromCrmIds: [],
};

const snapshot = (overrides: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  account,
  owner: {
    crmId: 'o1',
    name: 'Olga',
    email: null,
    timezone: 'Europe/Paris',
    managerCrmId: 'm1',
    team: 'emea',
    locale: null,
    active: true,
    modifiedAt: 0,
    loginUserId: null,
  },
  buyingRoles: ['decision_maker', 'champion'],
  openPipeline: 120_000,
  wonAmount: 0,
  wonDeals: 0,
  engagements: [],
  previous: {
    recommendedTier: 'tier_2',
    assignedTier: 'tier_2',
    tieredAt: now - 40 * 24 * HOUR_MS,
    mqa: false,
    tierLedger: [],
  },
  slaInstances: [],
  hasPendingApproval: false,
  tierEditor: null,
  editReason: null,
  ...overrides,
});

const context = (config: GovernanceConfig = DEFAULT_GOVERNANCE_CONFIG): ComputeContext => ({
  config,
  now,
  tierCounts: { tier_1: 3, tier_2: 40, tier_3: 100 },
  newApprovalId: (crmId) => `apr-${crmId}`,
  words: VOCABULARIES.en,
});

const engagement = (kind: CrmEngagement['kind'], hoursAgo: number, contact: string): CrmEngagement => ({
  crmId: `${kind}-${hoursAgo}-${contact}`,
  accountCrmId: 'c1',
  contactCrmId: contact,
  ownerCrmId: 'o1',
  kind,
  occurredAt: now - hoursAgo * HOUR_MS,
  done: true,
  modifiedAt: now - hoursAgo * HOUR_MS,
});

const enforce: GovernanceConfig = {
  ...DEFAULT_GOVERNANCE_CONFIG,
  decisionRights: { ...DEFAULT_GOVERNANCE_CONFIG.decisionRights, outOfAppEdits: 'enforce' },
};

describe('computeAccount', () => {
  it('adopts the CRM tier of an account seen for the first time, without auditing an edit', () => {
    const result = computeAccount(snapshot({ previous: null }), context());
    expect(result.assignedTier).toBe('tier_2');
    expect(result.audit).toEqual([]);
    expect(result.slaInstances).toEqual([]);
    expect(result.desired.tier).toBe('tier_2');
  });

  it("writes the tier reason in the tenant's language", () => {
    const result = computeAccount(snapshot(), { ...context(), words: VOCABULARIES.fr });
    expect(result.desired.tierReason).toMatch(/^Score \d+ : .*compte stratégique/);
    const edited = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_3' } }), {
      ...context(),
      words: VOCABULARIES.fr,
    });
    expect(edited.desired.tierReason).toBe('Modifié dans le CRM (audité)');
  });

  it('scores the account and explains the tier with its top reasons', () => {
    const result = computeAccount(snapshot(), context());
    expect(result.score.score).toBeGreaterThan(0);
    expect(result.desired.score).toBe(Math.round(result.score.score * 10) / 10);
    expect(result.desired.tierReason).toMatch(/^Score \d+: .*strategic account/);
  });

  it('audits a tier edited in the CRM, keeps it, and starts the follow-up clock of the tier entered', () => {
    const result = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_3' } }), context());
    expect(result.assignedTier).toBe('tier_3');
    expect(result.audit).toMatchObject([
      { action: 'out_of_app_edit', outcome: 'audited', fromTier: 'tier_2', toTier: 'tier_3' },
    ]);
    expect(result.slaInstances).toMatchObject([
      { kind: 'sales_follow_up', tier: 'tier_3', ownerId: 'o1', managerId: 'm1' },
    ]);
    expect(result.desired).toMatchObject({ tier: 'tier_3', slaStatus: 'on_track' });
  });

  it('in enforce mode puts a CRM edit to tier_1 back, opens one approval for the committee, and audits it once', () => {
    const result = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_1' } }), context(enforce));
    expect(result.assignedTier).toBe('tier_2');
    expect(result.desired.tier).toBe('tier_2');
    // What the CRM holds now is known, so the write-back sends the governed tier over it.
    expect(result.crmShows).toEqual({ tier: 'tier_1' });
    expect(result.approvals).toMatchObject([
      {
        id: 'apr-c1',
        state: 'pending',
        fromTier: 'tier_2',
        toTier: 'tier_1',
        approverRoles: ['abm_committee', 'chief_abm_officer'],
      },
    ]);
    expect(result.audit).toMatchObject([
      { action: 'out_of_app_edit', outcome: 'reverted', route: 'tier_1', approvalId: 'apr-c1' },
    ]);
    expect(result.slaInstances).toMatchObject([{ kind: 'approval_decision', approvalId: 'apr-c1' }]);
  });

  it('in enforce mode sees the reverted edit again, until the revert lands, without a second audit', () => {
    const first = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_1' } }), context(enforce));
    const again = computeAccount(
      snapshot({
        account: { ...account, crmTier: 'tier_1' },
        previous: { ...snapshot().previous!, tierLedger: first.tierLedger },
        hasPendingApproval: true,
        slaInstances: first.slaInstances,
      }),
      context(enforce),
    );
    expect(again.audit).toEqual([]);
    expect(again.approvals).toEqual([]);
    expect(again.assignedTier).toBe('tier_2');
  });

  it("takes the CRM's old tier for ABM Pilot's own change on its way there, not for an edit", () => {
    const decided = snapshot({
      account: { ...account, crmTier: 'tier_3' },
      previous: { ...snapshot().previous!, assignedTier: 'tier_2', tierLedger: ['tier_3'] },
    });
    for (const config of [DEFAULT_GOVERNANCE_CONFIG, enforce]) {
      const result = computeAccount(decided, context(config));
      expect(result.assignedTier).toBe('tier_2');
      expect(result.desired.tier).toBe('tier_2');
      expect(result.audit).toEqual([]);
      expect(result.approvals).toEqual([]);
      expect(result.tierLedger).toEqual(['tier_3']);
    }
    const landed = computeAccount(
      snapshot({ previous: { ...snapshot().previous!, assignedTier: 'tier_2', tierLedger: ['tier_3'] } }),
      context(),
    );
    expect(landed.tierLedger).toEqual([]);
  });

  it('names the editor the CRM reports, and lets stand in enforce mode an edit the rules let them make', () => {
    const marketer = { userId: 'u-7', role: 'marketer' } as const;
    const result = computeAccount(
      snapshot({ account: { ...account, crmTier: 'tier_3' }, tierEditor: marketer }),
      context(enforce),
    );
    expect(result.assignedTier).toBe('tier_3');
    expect(result.audit).toMatchObject([{ outcome: 'applied', route: 'routine', actor: marketer }]);
  });

  it('hands the account over when it becomes marketing-qualified (follow-up and feedback clocks), and not again while it stays so', () => {
    // Form submissions weigh 10 points; the default MQA rule asks 60 points from at least two contacts.
    const submissions = (count: number) =>
      Array.from({ length: count }, (_, i) => engagement('form_submit', 10 + i, i % 2 === 0 ? 'p1' : 'p2'));
    expect(computeAccount(snapshot({ engagements: submissions(5) }), context()).mqa).toBe(false);

    const raised = computeAccount(snapshot({ engagements: submissions(6) }), context());
    expect(raised.mqa).toBe(true);
    expect(raised.slaInstances).toMatchObject([
      { kind: 'sales_follow_up', startedAt: now, tier: 'tier_2', ownerId: 'o1' },
      { kind: 'sales_feedback', startedAt: now, tier: 'tier_2', ownerId: 'o1' },
    ]);

    const stillQualified = computeAccount(
      snapshot({
        engagements: submissions(8),
        previous: {
          recommendedTier: 'tier_2',
          assignedTier: 'tier_2',
          tieredAt: null,
          mqa: true,
          tierLedger: [],
        },
        slaInstances: raised.slaInstances,
      }),
      context(),
    );
    expect(stillQualified.slaInstances).toEqual(raised.slaInstances);
  });

  it("stops the follow-up clock with the seller's first touch after it started, and the CRM then shows met", () => {
    const started = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_3' } }), context());
    const later = { ...context(), now: now + 2 * HOUR_MS };
    const touched = computeAccount(
      snapshot({
        account: { ...account, crmTier: 'tier_3' },
        previous: {
          recommendedTier: started.recommendedTier,
          assignedTier: 'tier_3',
          tieredAt: now,
          mqa: false,
          tierLedger: [],
        },
        slaInstances: started.slaInstances,
        engagements: [{ ...engagement('call', 0, 'p1'), occurredAt: now + HOUR_MS }],
      }),
      later,
    );
    expect(touched.slaInstances[0]?.stoppedAt).toBe(now + HOUR_MS);
    expect(touched.desired.slaStatus).toBe('met');
    expect(touched.desired.nextSlaDueAt).toBeNull();
  });

  describe('first touch', () => {
    const tier3 = { ...account, crmTier: 'tier_3' as const };
    const started = computeAccount(snapshot({ account: tier3 }), context());
    const touchedWith = (engagements: CrmEngagement[], at = now + 3 * HOUR_MS) =>
      computeAccount(
        snapshot({
          account: tier3,
          previous: {
            recommendedTier: started.recommendedTier,
            assignedTier: 'tier_3',
            tieredAt: now,
            mqa: false,
            tierLedger: [],
          },
          slaInstances: started.slaInstances,
          engagements,
        }),
        { ...context(), now: at },
      ).slaInstances[0];
    const call = (at: number, done = true): CrmEngagement => ({
      ...engagement('call', 0, 'p1'),
      crmId: `call-${at}-${done}`,
      occurredAt: at,
      done,
    });

    it('counts a completed call even when a later call is planned', () => {
      const clock = touchedWith([call(now + HOUR_MS), call(now + 5 * 24 * HOUR_MS, false)]);
      expect(clock).toMatchObject({ stoppedAt: now + HOUR_MS, stopReason: 'first_touch' });
    });

    it('never counts a planned call, not even one whose date has passed, nor a touch dated after now', () => {
      expect(touchedWith([call(now + HOUR_MS, false)])?.stoppedAt).toBeNull();
      expect(touchedWith([call(now + 4 * HOUR_MS)])?.stoppedAt).toBeNull();
    });

    it('stops the clock at the first touch after its start, however late it was logged', () => {
      const clock = touchedWith(
        [call(now - HOUR_MS), call(now + 2 * HOUR_MS), call(now + HOUR_MS)],
        now + 9 * 24 * HOUR_MS,
      );
      expect(clock).toMatchObject({ stoppedAt: now + HOUR_MS });
    });
  });

  it('shows the CRM a breached clock once it is past due, with the due time it missed', () => {
    const started = computeAccount(snapshot({ account: { ...account, crmTier: 'tier_1' } }), context());
    const weekLater = { ...context(), now: now + 7 * 24 * HOUR_MS };
    const late = computeAccount(
      snapshot({
        account: { ...account, crmTier: 'tier_1' },
        previous: {
          recommendedTier: started.recommendedTier,
          assignedTier: 'tier_1',
          tieredAt: now,
          mqa: false,
          tierLedger: [],
        },
        slaInstances: started.slaInstances,
      }),
      weekLater,
    );
    expect(late.desired.slaStatus).toBe('breached');
    expect(late.desired.nextSlaDueAt).toBe(started.slaInstances[0]?.dueAt);
  });

  it('shows how the running clock goes, not a breach a clock stopped long ago; and once all stop, the last one', () => {
    const [running] = computeAccount(
      snapshot({ account: { ...account, crmTier: 'tier_3' } }),
      context(),
    ).slaInstances;
    const lateLastYear = {
      ...running!,
      id: 'old',
      startedAt: now - 400 * 24 * HOUR_MS,
      dueAt: now - 399 * 24 * HOUR_MS,
      stoppedAt: now - 390 * 24 * HOUR_MS,
      stopReason: 'first_touch' as const,
    };
    const shown = (slaInstances: (typeof running)[]) =>
      computeAccount(snapshot({ slaInstances: slaInstances.map((i) => i!) }), context()).desired.slaStatus;
    expect(shown([lateLastYear, running])).toBe('on_track');
    expect(shown([lateLastYear])).toBe('breached');
    expect(
      shown([
        lateLastYear,
        { ...running!, startedAt: now - 2 * HOUR_MS, stoppedAt: now - HOUR_MS, stopReason: 'first_touch' },
      ]),
    ).toBe('met');
  });
});
