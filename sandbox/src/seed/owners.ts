import type { Role } from '@abm-pilot/shared';

import type { SeedRegion } from './catalog.ts';
import { OWNER_TIMEZONES, REGION_TABLE, SEED_REGIONS, asciiSlug, regionProfile } from './catalog.ts';
import { createRandom, streamSeed } from './random.ts';
import type { SeedOwner } from './types.ts';

/** Users of the vendor's own CRM; `.test` is reserved, so no address can ever reach anyone. */
export const OWNER_EMAIL_DOMAIN = 'sandbox.abm-pilot.test';

const ACCOUNTS_PER_SELLER = 150;
const MIN_SELLERS = 8;
const MAX_SELLERS = 400;
/** A manager and up to seven reps. */
const MAX_TEAM_SIZE = 8;
/** One manager and one rep, so every region has someone to own its accounts. */
const MIN_SELLERS_PER_REGION = 2;
const OWNERS_SALT = 0x0a11;

export interface OwnerRoster {
  readonly owners: readonly SeedOwner[];
  /** Sales reps by region: the people accounts of that region are given to. */
  readonly repsByRegion: Readonly<Record<SeedRegion, readonly string[]>>;
}

/** Sellers: one per 150 accounts, clamped to [8, 400]. */
export const sellerCount = (accounts: number): number =>
  Math.min(MAX_SELLERS, Math.max(MIN_SELLERS, Math.round(accounts / ACCOUNTS_PER_SELLER)));

/**
 * The ABM function (a Chief ABM Officer, a committee of three, ABM managers and marketers, whose zones
 * cycle over all seven so every zone is present at every size), then sales teams per region, sized by
 * the region's share of accounts.
 */
export function createOwnerRoster(seed: number, accounts: number): OwnerRoster {
  const rng = createRandom(streamSeed(seed, 0, OWNERS_SALT));
  const owners: SeedOwner[] = [];
  const usedEmails = new Set<string>();

  const addOwner = (
    region: SeedRegion,
    fields: Pick<SeedOwner, 'timezone' | 'team' | 'managerId' | 'role'>,
  ): string => {
    const profile = regionProfile(region);
    const firstName = rng.pick(profile.firstNames);
    const lastName = rng.pick(profile.lastNames);
    const local = `${asciiSlug(firstName)}.${asciiSlug(lastName)}`;
    let email = `${local}@${OWNER_EMAIL_DOMAIN}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${OWNER_EMAIL_DOMAIN}`;
    usedEmails.add(email);
    const id = ownerId(owners.length);
    owners.push({ id, firstName, lastName, email, ...fields });
    return id;
  };

  const sellers = sellerCount(accounts);
  const abmManagers = Math.min(3, Math.max(1, Math.round(sellers / 100)));
  const marketers = Math.min(12, Math.max(3, Math.round(sellers / 25)));
  const abmZones = ['Europe/Paris', ...OWNER_TIMEZONES.filter((zone) => zone !== 'Europe/Paris')];
  let zoneCursor = 0;
  const nextAbmZone = (): string => abmZones[zoneCursor++ % abmZones.length] as string;
  const abmMember = (role: Role, team: string, managerId: string | null): string => {
    const timezone = nextAbmZone();
    return addOwner(regionOfZone(timezone), { timezone, team, managerId, role });
  };

  const chief = abmMember('chief_abm_officer', 'ABM', null);
  for (let i = 0; i < 3; i++) abmMember('abm_committee', 'ABM Committee', chief);
  const managers = Array.from({ length: abmManagers }, () => abmMember('abm_manager', 'ABM', chief));
  for (let i = 0; i < marketers; i++) abmMember('marketer', 'ABM', managers[i % managers.length] ?? chief);

  const repsByRegion: Record<SeedRegion, string[]> = { emea: [], north_america: [], apac: [], latam: [] };
  const perRegion = allocateSellers(sellers);
  for (const region of SEED_REGIONS) {
    const profile = regionProfile(region);
    const headcount = perRegion[region];
    const teams = Math.ceil(headcount / MAX_TEAM_SIZE);
    let seat = 0;
    for (let team = 0; team < teams; team++) {
      const teamName = `Sales ${profile.label} ${team + 1}`;
      const teamSize = Math.floor(headcount / teams) + (team < headcount % teams ? 1 : 0);
      const zoneOf = (): string => profile.timezones[seat++ % profile.timezones.length] as string;
      const manager = addOwner(region, {
        timezone: zoneOf(),
        team: teamName,
        managerId: null,
        role: 'sales_manager',
      });
      for (let rep = 1; rep < teamSize; rep++) {
        repsByRegion[region].push(
          addOwner(region, { timezone: zoneOf(), team: teamName, managerId: manager, role: 'sales_rep' }),
        );
      }
    }
  }
  return { owners, repsByRegion };
}

export const ownerId = (position: number): string => `own_${String(position + 1).padStart(6, '0')}`;

const regionOfZone = (zone: string): SeedRegion =>
  zone.startsWith('Europe/') ? 'emea' : zone.startsWith('America/') ? 'north_america' : 'apac';

/** Largest-remainder split of the sellers by the regions' account shares, above a floor per region. */
function allocateSellers(sellers: number): Record<SeedRegion, number> {
  const spare = sellers - MIN_SELLERS_PER_REGION * SEED_REGIONS.length;
  const shares = SEED_REGIONS.map((region) => {
    const position = REGION_TABLE.values.findIndex((profile) => profile.region === region);
    const upper = REGION_TABLE.cumulative[position] ?? 1;
    const lower = REGION_TABLE.cumulative[position - 1] ?? 0;
    const exact = spare * (upper - lower);
    return { region, whole: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = spare - shares.reduce((sum, share) => sum + share.whole, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    share.whole += 1;
    left -= 1;
  }
  const allocation = { emea: 0, north_america: 0, apac: 0, latam: 0 };
  for (const share of shares) allocation[share.region] = MIN_SELLERS_PER_REGION + share.whole;
  return allocation;
}
