import { describe, expect, it } from 'vitest';

import type { Actor, SlaInstance, TierOrNone } from '@abm-pilot/shared';
import {
  computeGovernanceMetrics,
  COST_CATEGORIES,
  DAY_MS,
  DEFAULT_GOVERNANCE_CONFIG,
  rolesOfGroup,
  slaVerdict,
} from '@abm-pilot/shared';

import type { CrmOwner } from '../model.ts';
import type { HistoryAccount, HistoryInput } from './history.ts';
import { demoHistory } from './history.ts';

/** Tuesday 8 December 2026, 11:00 in Paris. */
const NOW = Date.parse('2026-12-08T10:00:00.000Z');

const owner = (crmId: string, timezone: string, managerCrmId: string | null): CrmOwner => ({
  crmId,
  name: crmId,
  email: `${crmId}@example.test`,
  timezone,
  managerCrmId,
  team: 'Sales',
  locale: null,
  active: true,
  modifiedAt: NOW - 400 * DAY_MS,
  loginUserId: null,
});
const OWNERS = new Map(
  [
    owner('rep-paris', 'Europe/Paris', 'manager'),
    owner('rep-ny', 'America/New_York', 'manager'),
    owner('manager', 'Europe/Paris', null),
  ].map((person) => [person.crmId, person]),
);

const TIERS: readonly TierOrNone[] = ['tier_1', 'tier_2', 'tier_3', null];
const ACCOUNTS: HistoryAccount[] = Array.from({ length: 160 }, (_, i) => {
  const tier = TIERS[i % TIERS.length] ?? null;
  return {
    crmId: `acc-${String(i).padStart(3, '0')}`,
    tier,
    recommendedTier: tier,
    score: tier === 'tier_1' ? 80 : tier === 'tier_2' ? 62 : tier === 'tier_3' ? 45 : 20,
    ownerCrmId: i % 3 === 0 ? 'rep-ny' : 'rep-paris',
  };
});
const MARKETERS: Actor[] = [
  { userId: 'marketer-1', role: 'marketer' },
  { userId: 'marketer-2', role: 'marketer' },
];
const DECIDERS: Actor[] = [
  { userId: 'committee-1', role: 'abm_committee' },
  { userId: 'chief', role: 'chief_abm_officer' },
];

const input = (overrides: Partial<HistoryInput> = {}): HistoryInput => ({
  accounts: ACCOUNTS,
  owners: OWNERS,
  requesters: MARKETERS,
  deciders: DECIDERS,
  config: DEFAULT_GOVERNANCE_CONFIG,
  now: NOW,
  seed: 7,
  wonAbmRevenue: 12_000_000,
  ...overrides,
});

describe('the demo history', () => {
  const history = demoHistory(input());

  it('draws the same year from the same seed, and another from another seed', () => {
    expect(demoHistory(input())).toEqual(history);
    expect(demoHistory(input({ seed: 8 })).slaInstances).not.toEqual(history.slaInstances);
  });

  it('leaves every SLA clock settled before today, some met and some breached', () => {
    expect(history.slaInstances.length).toBeGreaterThan(100);
    expect(history.slaInstances.every((i) => i.stoppedAt !== null && i.stoppedAt < NOW)).toBe(true);
    const verdicts = new Set(history.slaInstances.map((instance) => slaVerdict(instance, NOW)));
    expect(verdicts).toEqual(new Set(['met', 'breached']));
    const kinds = new Set(history.slaInstances.map((instance) => instance.kind));
    expect(kinds).toEqual(new Set(['sales_follow_up', 'approval_decision']));
    const owners = history.slaInstances.map((instance) =>
      instance.kind === 'approval_decision'
        ? rolesOfGroup(instance.ownerId) !== null
        : OWNERS.has(instance.ownerId),
    );
    expect(owners.every(Boolean)).toBe(true);
  });

  it('starts no follow-up clock of an account while another still runs', () => {
    const byAccount = new Map<string, SlaInstance[]>();
    for (const instance of history.slaInstances) {
      if (instance.kind !== 'sales_follow_up') continue;
      byAccount.set(instance.accountId, [...(byAccount.get(instance.accountId) ?? []), instance]);
    }
    for (const clocks of byAccount.values()) {
      const sorted = clocks.sort((a, b) => a.startedAt - b.startedAt);
      for (let k = 1; k < sorted.length; k++) {
        expect(sorted[k]!.startedAt).toBeGreaterThanOrEqual(sorted[k - 1]!.stoppedAt!);
      }
    }
  });

  it('has approvals decided by an approver other than the requester before they expired', () => {
    expect(history.approvals.length).toBeGreaterThan(5);
    expect(new Set(history.approvals.map((approval) => approval.state))).toEqual(
      new Set(['approved', 'rejected']),
    );
    for (const approval of history.approvals) {
      expect(approval.approverRoles).toContain(approval.decidedBy?.role);
      expect(approval.decidedBy?.userId).not.toBe(approval.requestedBy.userId);
      expect(approval.decidedAt).toBeLessThan(approval.expiresAt);
    }
  });

  it('moves accounts into the tier they hold today, from when the rules made the change take effect', () => {
    const tierOf = new Map(ACCOUNTS.map((account) => [account.crmId, account.tier]));
    const entries = history.audit.filter(
      (entry) => entry.outcome === 'applied' || entry.outcome === 'approved',
    );
    expect(new Set(entries.map((entry) => entry.route))).toEqual(new Set(['routine', 'tier_1']));
    for (const entry of entries) expect(entry.toTier).toBe(tierOf.get(entry.accountId));
    const entered = new Map(entries.map((entry) => [entry.accountId, entry.at]));
    expect(history.tieredSince.length).toBeGreaterThan(0);
    for (const { accountCrmId, at } of history.tieredSince) expect(at).toBe(entered.get(accountCrmId));
  });

  it('books every cost category over the twelve months up to this one, for a return near 3.4 at full cost', () => {
    const months = [...new Set(history.costLines.map((line) => line.period))];
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toBe('2026-12');
    expect(months[0]).toBe('2026-01');
    expect(new Set(history.costLines.map((line) => line.category))).toEqual(new Set(COST_CATEGORIES));

    const wonDeal = {
      id: 'won',
      accountId: 'acc-000',
      amount: 12_000_000,
      stage: 'won' as const,
      createdAt: NOW - 200 * DAY_MS,
      closedAt: NOW - 100 * DAY_MS,
    };
    const metrics = computeGovernanceMetrics(
      {
        accounts: ACCOUNTS.map((account) => ({
          id: account.crmId,
          tier: account.tier,
          ownerId: account.ownerCrmId ?? '',
          team: 'Sales',
        })),
        deals: [wonDeal],
        costLedger: history.costLines,
        slaOutcomes: history.slaInstances.map((instance) => ({ ...instance, team: 'Sales' })),
        firstTouches: [],
        approvals: [],
        tierChanges: [],
      },
      { start: Date.parse('2026-01-01T00:00:00.000Z'), end: NOW },
      NOW,
      DEFAULT_GOVERNANCE_CONFIG,
    );
    if (!metrics.ok) throw new Error(metrics.error.message);
    expect(metrics.value.roi.roi.value).toBeGreaterThan(2.5);
    expect(metrics.value.roi.roi.value).toBeLessThan(4.5);
  });

  it('shows sales getting faster at first touches over the year', () => {
    const compliance = (from: number, to: number) => {
      const decided = history.slaInstances.filter(
        (instance) =>
          instance.kind === 'sales_follow_up' && instance.startedAt >= from && instance.startedAt < to,
      );
      return decided.filter((instance) => slaVerdict(instance, NOW) === 'met').length / decided.length;
    };
    const firstQuarter = compliance(NOW - 365 * DAY_MS, NOW - 270 * DAY_MS);
    const lastQuarter = compliance(NOW - 95 * DAY_MS, NOW);
    expect(lastQuarter).toBeGreaterThan(firstQuarter);
  });

  it('changes no tier without anyone to ask for it', () => {
    const quiet = demoHistory(input({ requesters: [] }));
    expect(
      quiet.audit.filter((entry) => entry.action === 'tier_change' && entry.route === 'routine'),
    ).toEqual([]);
    expect(quiet.tieredSince).toEqual([]);
    expect(quiet.slaInstances.length).toBeGreaterThan(0);
  });
});
