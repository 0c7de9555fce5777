import type { AccountFacts, BuyingRole, TierOrNone } from '@abm-pilot/shared';

// Synthetic accounts for the benchmarks: shaped like real CRM data (log-normal sizes, sparse fields),
// built from a seeded generator so every run measures the same work.

export interface SyntheticAccount {
  readonly id: string;
  readonly facts: AccountFacts;
  readonly assignedTier: TierOrNone;
  readonly ownerTimezone: string;
}

const INDUSTRIES = ['software', 'retail', 'financial_services', 'energy', 'healthcare', 'media'];
const REGIONS = ['emea', 'north_america', 'apac', 'latam'];
const ROLE_SETS: readonly (readonly BuyingRole[])[] = [
  [],
  ['champion'],
  ['decision_maker', 'end_user'],
  ['decision_maker', 'champion', 'budget_holder'],
];
const TIMEZONES = ['Europe/Paris', 'America/New_York', 'Asia/Singapore', 'Europe/London'];
const TIERS: readonly TierOrNone[] = [
  null,
  null,
  null,
  null,
  null,
  null,
  'tier_3',
  'tier_3',
  'tier_2',
  'tier_1',
];

export function syntheticAccounts(count: number, seed = 42): SyntheticAccount[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const logNormal = (median: number, spread: number) =>
    median * Math.exp(spread * (random() + random() + random() - 1.5));
  const sometimes = <T>(share: number, value: () => T): T | null => (random() < share ? value() : null);

  const accounts: SyntheticAccount[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    accounts[i] = {
      id: `acc_${i}`,
      facts: {
        annualRevenue: sometimes(0.85, () => logNormal(2e7, 3)),
        employees: sometimes(0.9, () => Math.round(logNormal(150, 2.5))),
        pipelineAmount: sometimes(0.4, () => logNormal(80_000, 2)),
        engagementPoints: sometimes(0.7, () => logNormal(20, 2)),
        buyingRoles: sometimes(0.8, () => pick(ROLE_SETS)),
        existingCustomer: sometimes(0.9, () => random() < 0.2),
        wonDeals: sometimes(0.9, () => Math.floor(random() * 4)),
        industry: sometimes(0.95, () => pick(INDUSTRIES)),
        region: sometimes(0.95, () => pick(REGIONS)),
        strategic: sometimes(0.5, () => random() < 0.05),
      },
      assignedTier: pick(TIERS),
      ownerTimezone: pick(TIMEZONES),
    };
  }
  return accounts;
}
