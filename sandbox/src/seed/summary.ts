import type { Role, Tier } from '@abm-pilot/shared';
import { ROLES, TIERS } from '@abm-pilot/shared';

import type { SeedRegion } from './catalog.ts';
import { OWNER_TIMEZONES, SEED_REGIONS } from './catalog.ts';
import type { SeedAccountBundle, SeedDeal, SeedOptions, SeedOwner } from './types.ts';

export interface SeedSummary {
  readonly options: SeedOptions;
  readonly accounts: number;
  readonly contacts: number;
  readonly deals: number;
  readonly engagements: number;
  readonly tiers: Readonly<Record<Tier | 'none', number>>;
  readonly strategic: number;
  readonly withIntentScore: number;
  readonly regions: Readonly<Record<SeedRegion, number>>;
  readonly dealStages: Readonly<Record<SeedDeal['stage'], number>>;
  readonly owners: {
    readonly total: number;
    readonly byRole: Readonly<Record<Role, number>>;
    readonly byTimezone: Readonly<Record<string, number>>;
  };
}

export interface SummaryAccumulator {
  add(bundle: SeedAccountBundle): void;
  result(): SeedSummary;
}

/** Counts as accounts stream past, so that a million of them are summarised without being held. */
export function createSummaryAccumulator(
  options: SeedOptions,
  owners: readonly SeedOwner[],
): SummaryAccumulator {
  const tiers = zeroes<Tier | 'none'>([...TIERS, 'none']);
  const regions = zeroes<SeedRegion>(SEED_REGIONS);
  const dealStages = zeroes<SeedDeal['stage']>(['open', 'won', 'lost']);
  let accounts = 0;
  let contacts = 0;
  let deals = 0;
  let engagements = 0;
  let strategic = 0;
  let withIntentScore = 0;

  const byRole = zeroes<Role>(ROLES);
  const byTimezone = zeroes<string>(OWNER_TIMEZONES);
  for (const owner of owners) {
    byRole[owner.role] += 1;
    byTimezone[owner.timezone] = (byTimezone[owner.timezone] ?? 0) + 1;
  }

  return {
    add({ company, contacts: bundleContacts, deals: bundleDeals, engagements: bundleEngagements }) {
      accounts += 1;
      contacts += bundleContacts.length;
      deals += bundleDeals.length;
      engagements += bundleEngagements.length;
      tiers[company.tier ?? 'none'] += 1;
      regions[company.region as SeedRegion] += 1;
      if (company.strategic) strategic += 1;
      if (company.intentScore !== null) withIntentScore += 1;
      for (const deal of bundleDeals) dealStages[deal.stage] += 1;
    },
    result: () => ({
      options,
      accounts,
      contacts,
      deals,
      engagements,
      tiers: { ...tiers },
      strategic,
      withIntentScore,
      regions: { ...regions },
      dealStages: { ...dealStages },
      owners: { total: owners.length, byRole: { ...byRole }, byTimezone: { ...byTimezone } },
    }),
  };
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}
