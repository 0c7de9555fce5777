import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DAY_MS, DEFAULT_GOVERNANCE_CONFIG } from '@abm-pilot/shared';

import {
  OWNER_TIMEZONES,
  SEED_REGIONS,
  createSeedDataset,
  parseSeedOptions,
  sellerCount,
  type SeedAccountBundle,
  type SeedOptions,
} from './index.ts';

const REFERENCE = '2026-03-01T00:00:00.000Z';
const options = (overrides: Partial<SeedOptions> = {}): SeedOptions => ({
  seed: 42,
  accounts: 1_000,
  referenceDate: REFERENCE,
  ...overrides,
});
const take = (iterable: Iterable<SeedAccountBundle>, count: number): SeedAccountBundle[] => {
  const out: SeedAccountBundle[] = [];
  for (const bundle of iterable) {
    if (out.length === count) break;
    out.push(bundle);
  }
  return out;
};

describe('createSeedDataset determinism', () => {
  it('gives identical owners and records, record by record, for the same options', () => {
    const first = createSeedDataset(options());
    const second = createSeedDataset(options());
    expect(second.owners).toEqual(first.owners);
    expect([...second.accounts()]).toEqual([...first.accounts()]);
  });

  it('gives different companies and owners for a different seed', () => {
    const first = take(createSeedDataset(options({ seed: 1 })).accounts(), 50);
    const second = take(createSeedDataset(options({ seed: 2 })).accounts(), 50);
    const sameNames = first.filter((bundle, i) => bundle.company.name === second[i]?.company.name).length;
    expect(sameNames).toBeLessThan(5);
    expect(createSeedDataset(options({ seed: 2 })).owners).not.toEqual(
      createSeedDataset(options({ seed: 1 })).owners,
    );
  });

  it('tells apart seeds that differ only above 32 bits', () => {
    const low = createSeedDataset(options({ seed: 5 })).account(0);
    const high = createSeedDataset(options({ seed: 5 + 2 ** 32 })).account(0);
    expect(high.company.name + high.company.employees).not.toBe(low.company.name + low.company.employees);
  });

  it('returns from account(i) exactly the i-th account of accounts()', () => {
    const all = [...createSeedDataset(options()).accounts()];
    const fresh = createSeedDataset(options());
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), (index) => {
        expect(fresh.account(index)).toEqual(all[index]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every company field but the owner when only the dataset size changes', () => {
    const small = createSeedDataset(options({ accounts: 100 }));
    const large = createSeedDataset(options({ accounts: 100_000 }));
    fc.assert(
      fc.property(fc.nat({ max: 99 }), (index) => {
        const smallCompany = small.account(index).company;
        const largeCompany = large.account(index).company;
        expect({ ...largeCompany, ownerId: null }).toEqual({ ...smallCompany, ownerId: null });
      }),
      { numRuns: 50 },
    );
  });
});

describe('createSeedDataset sizes', () => {
  it('accepts 100 accounts and yields exactly 100', () => {
    const dataset = createSeedDataset(options({ accounts: 100 }));
    expect([...dataset.accounts()]).toHaveLength(100);
    expect(dataset.account(99).company.id).toBe('acc_0000100');
  });

  it('accepts 1,000,000 accounts lazily and reaches the last one directly', () => {
    const dataset = createSeedDataset(options({ accounts: 1_000_000 }));
    expect(dataset.account(0).company.id).toBe('acc_0000001');
    expect(dataset.account(999_999).company.id).toBe('acc_1000000');
    expect(dataset.account(500_000).company.index).toBe(500_000);
    expect(take(dataset.accounts(), 3).map((bundle) => bundle.company.index)).toEqual([0, 1, 2]);
  });

  it.each([
    ['99 accounts', { accounts: 99 }],
    ['1,000,001 accounts', { accounts: 1_000_001 }],
    ['a fractional account count', { accounts: 150.5 }],
    ['a fractional seed', { seed: 1.5 }],
    ['a reference date that is not an ISO instant', { referenceDate: 'yesterday' }],
  ])('rejects %s', (_label, overrides) => {
    expect(() => createSeedDataset(options(overrides))).toThrow(/invalid_seed_options/);
    expect(parseSeedOptions(options(overrides))).toMatchObject({
      ok: false,
      error: { code: 'invalid_seed_options' },
    });
  });

  it('refuses account indexes outside the dataset', () => {
    const dataset = createSeedDataset(options({ accounts: 100 }));
    expect(() => dataset.account(100)).toThrow(RangeError);
    expect(() => dataset.account(-1)).toThrow(RangeError);
    expect(() => dataset.account(1.5)).toThrow(RangeError);
  });
});

describe('createSeedDataset owners', () => {
  it('has one seller per 150 accounts, at least 8 and at most 400', () => {
    expect(sellerCount(100)).toBe(8);
    expect(sellerCount(15_000)).toBe(100);
    expect(sellerCount(1_000_000)).toBe(400);
    const sellers = (accounts: number) =>
      createSeedDataset(options({ accounts })).owners.filter(
        (owner) => owner.role === 'sales_rep' || owner.role === 'sales_manager',
      ).length;
    expect(sellers(100)).toBe(8);
    expect(sellers(1_000_000)).toBe(400);
  });

  it.each([100, 30_000, 1_000_000])(
    'puts owners of %i accounts in every zone, with one manager per sales team and the ABM roles',
    (accounts) => {
      const { owners } = createSeedDataset(options({ accounts }));
      expect(new Set(owners.map((owner) => owner.timezone))).toEqual(new Set(OWNER_TIMEZONES));
      const byId = new Map(owners.map((owner) => [owner.id, owner]));
      const salesTeams = new Set(
        owners.filter((owner) => owner.role === 'sales_rep').map((owner) => owner.team),
      );
      for (const team of salesTeams) {
        const members = owners.filter((owner) => owner.team === team);
        const managers = members.filter((owner) => owner.role === 'sales_manager');
        expect(managers).toHaveLength(1);
        for (const member of members) {
          if (member.role === 'sales_rep') expect(member.managerId).toBe(managers[0]?.id);
        }
      }
      for (const owner of owners) {
        if (owner.managerId !== null) expect(byId.has(owner.managerId)).toBe(true);
      }
      const roles = owners.map((owner) => owner.role);
      expect(roles.filter((role) => role === 'chief_abm_officer')).toHaveLength(1);
      for (const role of ['abm_committee', 'abm_manager', 'marketer'] as const) expect(roles).toContain(role);
      expect(new Set(owners.map((owner) => owner.id)).size).toBe(owners.length);
      expect(new Set(owners.map((owner) => owner.email)).size).toBe(owners.length);
    },
  );
});

describe('createSeedDataset on 10,000 accounts', () => {
  // A reference instant off the whole second, so that rounding cannot hide a record outside its window.
  const referenceDate = '2026-03-01T10:20:30.456Z';
  const referenceMs = Date.parse(referenceDate);
  const dataset = createSeedDataset({ seed: 2026, accounts: 10_000, referenceDate });
  const bundles = [...dataset.accounts()];
  const companies = bundles.map((bundle) => bundle.company);
  const share = (predicate: (bundle: SeedAccountBundle) => boolean): number =>
    bundles.filter(predicate).length / bundles.length;

  it('gives every record an id no other record of its kind has, and unique domains and e-mails', () => {
    const unique = (values: readonly string[]) => expect(new Set(values).size).toBe(values.length);
    unique(companies.map((company) => company.id));
    unique(companies.map((company) => company.domain));
    unique(bundles.flatMap((bundle) => bundle.contacts.map((contact) => contact.id)));
    unique(bundles.flatMap((bundle) => bundle.contacts.map((contact) => contact.email)));
    unique(bundles.flatMap((bundle) => bundle.deals.map((deal) => deal.id)));
    unique(bundles.flatMap((bundle) => bundle.engagements.map((engagement) => engagement.id)));
  });

  it('pre-tiers 10-15% of accounts, with tier_1 under 25 per 1,000 and fewer than tier_2 and tier_3', () => {
    const tierShare = (tier: string | null) => share((bundle) => bundle.company.tier === tier);
    expect(1 - tierShare(null)).toBeGreaterThan(0.1);
    expect(1 - tierShare(null)).toBeLessThan(0.15);
    expect(tierShare('tier_1')).toBeGreaterThan(0);
    expect(tierShare('tier_1')).toBeLessThan(0.025);
    expect(tierShare('tier_1')).toBeLessThan(tierShare('tier_2'));
    expect(tierShare('tier_2')).toBeLessThan(tierShare('tier_3'));
  });

  it('tiers mostly accounts inside the ideal customer profile the default scoring model rewards', () => {
    const icp = DEFAULT_GOVERNANCE_CONFIG.scoring.criteria;
    const inIcp = (company: SeedAccountBundle['company']) =>
      icp.icp_industry.industries.includes(company.industry) &&
      icp.icp_region.regions.includes(company.region);
    const shareInIcp = (tiered: boolean) => {
      const group = companies.filter((company) => (company.tier !== null) === tiered);
      return group.filter(inIcp).length / group.length;
    };
    expect(shareInIcp(true)).toBeGreaterThan(0.8);
    expect(shareInIcp(false)).toBeLessThan(0.5);
  });

  it('maps the whole buying group of tier 1 accounts and at least two of its roles on tier 2 and 3', () => {
    const required = DEFAULT_GOVERNANCE_CONFIG.scoring.criteria.buying_role_coverage.requiredRoles;
    const covered = (bundle: SeedAccountBundle) =>
      required.filter((role) => bundle.contacts.some((contact) => contact.buyingRole === role)).length;
    const least = (tier: string) =>
      Math.min(...bundles.filter((bundle) => bundle.company.tier === tier).map(covered));
    expect(least('tier_1')).toBe(3);
    expect(least('tier_2')).toBeGreaterThanOrEqual(2);
    expect(least('tier_3')).toBeGreaterThanOrEqual(2);
  });

  it('gives tier 1 and 2 accounts deals and recent activity, and wins more often on targeted accounts', () => {
    const worked = bundles.filter(
      (bundle) => bundle.company.tier === 'tier_1' || bundle.company.tier === 'tier_2',
    );
    expect(worked.every((bundle) => bundle.deals.length >= 2 && bundle.engagements.length >= 12)).toBe(true);
    const winRate = (tiered: boolean) => {
      const closed = bundles
        .filter((bundle) => (bundle.company.tier !== null) === tiered)
        .flatMap((bundle) => bundle.deals.filter((deal) => deal.stage !== 'open'));
      return closed.filter((deal) => deal.stage === 'won').length / closed.length;
    };
    expect(winRate(true)).toBeGreaterThan(winRate(false) + 0.15);
  });

  it('flags a small strategic share and gives an intent score 0-100 to about 30%', () => {
    const strategic = share((bundle) => bundle.company.strategic);
    expect(strategic).toBeGreaterThan(0.005);
    expect(strategic).toBeLessThan(0.05);
    expect(share((bundle) => bundle.company.intentScore !== null)).toBeGreaterThan(0.25);
    expect(share((bundle) => bundle.company.intentScore !== null)).toBeLessThan(0.35);
    const scores = companies.flatMap((company) =>
      company.intentScore === null ? [] : [company.intentScore],
    );
    expect(scores.filter((score) => !Number.isInteger(score) || score < 0 || score > 100)).toEqual([]);
  });

  it('covers every region and the ten core industries, with cities and countries', () => {
    expect(new Set(companies.map((company) => company.region))).toEqual(new Set(SEED_REGIONS));
    const industries = new Set(companies.map((company) => company.industry));
    for (const industry of [
      'software',
      'financial_services',
      'manufacturing',
      'healthcare',
      'telecommunications',
      'retail',
      'energy',
      'education',
      'media',
      'logistics',
    ]) {
      expect(industries).toContain(industry);
    }
    expect(companies.filter((company) => company.country === '' || company.city === '')).toEqual([]);
  });

  it('spreads headcount and revenue over orders of magnitude, revenue rising with headcount', () => {
    const logEmployees = companies.map((company) => Math.log(company.employees));
    const logRevenue = companies.map((company) => Math.log(company.annualRevenue));
    expect(Math.min(...companies.map((company) => company.employees))).toBeLessThan(20);
    expect(Math.max(...companies.map((company) => company.employees))).toBeGreaterThan(10_000);
    expect(companies.every((company) => company.annualRevenue > 0)).toBe(true);
    expect(correlation(logEmployees, logRevenue)).toBeGreaterThan(0.8);
  });

  it('gives accounts to sales reps of their own region', () => {
    const owners = new Map(dataset.owners.map((owner) => [owner.id, owner]));
    const regionOfTeam = new Map<string, Set<string>>();
    expect(companies.filter((company) => owners.get(company.ownerId)?.role !== 'sales_rep')).toEqual([]);
    for (const company of companies) {
      const owner = owners.get(company.ownerId);
      const regions = regionOfTeam.get(owner?.team ?? '') ?? new Set();
      regions.add(company.region);
      regionOfTeam.set(owner?.team ?? '', regions);
    }
    for (const regions of regionOfTeam.values()) expect(regions.size).toBe(1);
  });

  it('attaches 1-8 contacts with buying roles, some left unset', () => {
    const wrong: unknown[] = [];
    for (const { company, contacts } of bundles) {
      if (contacts.length < 1 || contacts.length > 8) wrong.push(company);
      for (const contact of contacts) {
        const created = Date.parse(contact.createdAt);
        const consistent =
          contact.companyId === company.id &&
          contact.email.endsWith(`@${company.domain}`) &&
          created >= Date.parse(company.createdAt) &&
          created <= referenceMs;
        if (!consistent) wrong.push(contact);
      }
    }
    expect(wrong).toEqual([]);
    const roles = new Set(bundles.flatMap((bundle) => bundle.contacts.map((contact) => contact.buyingRole)));
    for (const role of [null, 'decision_maker', 'champion', 'budget_holder']) expect(roles).toContain(role);
  });

  it('dates 0-4 deals per account in the eight quarters before the reference date, closing after creation', () => {
    const windowStart = Date.parse('2024-03-01T10:20:30.456Z');
    const stages = new Set<string>();
    const wrong: unknown[] = [];
    for (const { company, deals } of bundles) {
      if (deals.length > 4) wrong.push(company);
      for (const deal of deals) {
        const created = Date.parse(deal.createdAt);
        const closed = Date.parse(deal.closeDate);
        stages.add(deal.stage);
        const consistent =
          deal.companyId === company.id &&
          deal.amount > 0 &&
          created >= Math.max(windowStart, Date.parse(company.createdAt)) &&
          created <= referenceMs &&
          closed > created &&
          closed > referenceMs === (deal.stage === 'open');
        if (!consistent) wrong.push(deal);
      }
    }
    expect(wrong).toEqual([]);
    expect(stages).toEqual(new Set(['open', 'won', 'lost']));
    const withDeals = share((bundle) => bundle.deals.length > 0);
    expect(withDeals).toBeGreaterThan(0.4);
    expect(withDeals).toBeLessThan(0.9);
  });

  it('sizes deal amounts with the company', () => {
    const meanLogAmount = (from: number, to: number) => {
      const amounts = bundles
        .filter((bundle) => bundle.company.employees >= from && bundle.company.employees < to)
        .flatMap((bundle) => bundle.deals.map((deal) => Math.log(deal.amount)));
      return amounts.reduce((sum, value) => sum + value, 0) / amounts.length;
    };
    expect(meanLogAmount(1_000, Infinity)).toBeGreaterThan(meanLogAmount(1, 50));
  });

  it('places 0-30 engagements per account in the 90 days before the reference date, by its own contacts', () => {
    const wrong: unknown[] = [];
    for (const { company, contacts, engagements } of bundles) {
      if (engagements.length > 30) wrong.push(company);
      const contactCreated = new Map(contacts.map((contact) => [contact.id, Date.parse(contact.createdAt)]));
      let previous = -Infinity;
      for (const engagement of engagements) {
        const at = Date.parse(engagement.occurredAt);
        const consistent =
          engagement.companyId === company.id &&
          at >= referenceMs - 90 * DAY_MS &&
          at <= referenceMs &&
          at >= (contactCreated.get(engagement.contactId) ?? Infinity) &&
          at >= previous;
        if (!consistent) wrong.push(engagement);
        previous = at;
      }
    }
    expect(wrong).toEqual([]);
    expect(share((bundle) => bundle.engagements.length === 0)).toBeGreaterThan(0.05);
    expect(Math.max(...bundles.map((bundle) => bundle.engagements.length))).toBeGreaterThan(20);
  });
});

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  return covariance / Math.sqrt(varianceX * varianceY);
}
