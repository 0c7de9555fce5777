import type { BuyingRole, Tier } from '@abm-pilot/shared';
import { DAY_MS, DEFAULT_GOVERNANCE_CONFIG, MINUTE_MS } from '@abm-pilot/shared';

import type { SeedIndustry, SeedRegion } from './catalog.ts';
import {
  BUYING_ROLE_TABLE,
  DEAL_PRODUCTS,
  ENGAGEMENT_TABLE,
  FOUNDER_NAMES,
  INDUSTRY_TABLE,
  JOB_TITLES,
  NAME_CORES,
  NAME_PREFIXES,
  REGION_TABLE,
  asciiSlug,
  regionProfile,
} from './catalog.ts';
import { parseSeedOptions } from './options.ts';
import type { OwnerRoster } from './owners.ts';
import { createOwnerRoster } from './owners.ts';
import type { Random } from './random.ts';
import { createRandom, streamSeed, weightedTable } from './random.ts';
import type {
  SeedAccountBundle,
  SeedCompany,
  SeedContact,
  SeedDataset,
  SeedDeal,
  SeedEngagement,
  SeedOptions,
} from './types.ts';

/** One stream per record kind, so that a draw added to one kind leaves the others unchanged. */
const SALT = { company: 1, contacts: 2, deals: 3, engagements: 4 } as const;

/** Headcount is log-normal: median e^5 ≈ 150 employees, and one company in ~200 above 10,000. */
const HEADCOUNT_LOG_MEDIAN = 5;
const HEADCOUNT_LOG_SIGMA = 1.6;
const MAX_HEADCOUNT = 400_000;
/** Revenue = headcount × the industry's revenue per employee × a log-normal factor (σ 0.45). */
const REVENUE_PER_EMPLOYEE_LOG_SIGMA = 0.45;
/**
 * The ideal customer profile the people who tiered accounts by hand had in mind: the one the default
 * scoring model rewards, so that most tiers found in the CRM agree with what ABM Pilot recommends.
 */
const ICP_INDUSTRIES: ReadonlySet<string> = new Set(
  DEFAULT_GOVERNANCE_CONFIG.scoring.criteria.icp_industry.industries,
);
const ICP_REGIONS: ReadonlySet<string> = new Set(
  DEFAULT_GOVERNANCE_CONFIG.scoring.criteria.icp_region.regions,
);
/** The buying group a well-run account has mapped, in the order people map it. */
const BUYING_GROUP: readonly BuyingRole[] =
  DEFAULT_GOVERNANCE_CONFIG.scoring.criteria.buying_role_coverage.requiredRoles;
/**
 * Pre-assigned tiers follow a latent z = 0.7·(size z) + 0.7·noise + fit, where fit is +0.5 in an ICP
 * industry (-0.5 outside) and +0.25 in an ICP region (-0.5 outside): tier_1 above 2.7 (~1.2%), tier_2
 * above 2.15 (~2.9% more), tier_3 above 1.5 (~8.5% more): ~12.5% tiered in all, mostly inside the ICP.
 */
const TIER_CUTS: readonly (readonly [Tier, number])[] = [
  ['tier_1', 2.7],
  ['tier_2', 2.15],
  ['tier_3', 1.5],
];
const ICP_FIT = { industry: [0.5, -0.5], region: [0.25, -0.5] } as const;
const STRATEGIC_SHARE: Readonly<Record<Tier | 'none', number>> = {
  tier_1: 0.85,
  tier_2: 0.3,
  tier_3: 0.05,
  none: 0.01,
};
/**
 * How much of the buying group a tiered account has mapped (the contacts holding those roles come first):
 * all of it on tier_1, two or three roles on tier_2 and tier_3; untiered accounts draw freely.
 */
const MAPPED_BUYING_GROUP: Readonly<Record<Tier, readonly [number, number]>> = {
  tier_1: [3, 3],
  tier_2: [2, 3],
  tier_3: [2, 3],
};
/** 30% overall: tiered accounts are watched more closely, so more of them have a score. */
const INTENT_SHARE = { tiered: 0.5, untiered: 0.2714 } as const;
const ENGAGEMENT_WINDOW_DAYS = 90;
/** Engagements [least, most] of the tier 1 and 2 accounts, which marketing works on all the time. */
const WORKED_ENGAGEMENTS: Readonly<Record<'tier_1' | 'tier_2', readonly [number, number]>> = {
  tier_1: [18, 30],
  tier_2: [12, 30],
};
const DEAL_WINDOW_MONTHS = 24;
/** Accounts are at least this old, so that every one has had time for deals and activity. */
const MIN_ACCOUNT_AGE_DAYS = 120;
const MAX_ACCOUNT_AGE_DAYS = 6 * 365;
const MIN_SALES_CYCLE_DAYS = 7;
/** Targeted accounts get the best people and plays: they win more often, and bigger deals. */
const WIN_RATE: Readonly<Record<Tier | 'none', number>> = {
  tier_1: 0.75,
  tier_2: 0.5,
  tier_3: 0.5,
  none: 0.22,
};
const DEAL_SIZE_FACTOR: Readonly<Record<Tier | 'none', number>> = {
  tier_1: 2,
  tier_2: 1.5,
  tier_3: 1.2,
  none: 1,
};

/**
 * Deals per account (0 to 4) by company size: bigger companies buy more often; tier 3 accounts have sales'
 * attention as large ones do, tier 1 and 2 accounts are worked by sales and always have some.
 */
const DEAL_COUNTS = {
  small: weightedTable([
    [0, 45],
    [1, 30],
    [2, 15],
    [3, 7],
    [4, 3],
  ]),
  mid: weightedTable([
    [0, 30],
    [1, 30],
    [2, 20],
    [3, 12],
    [4, 8],
  ]),
  large: weightedTable([
    [0, 20],
    [1, 25],
    [2, 25],
    [3, 17],
    [4, 13],
  ]),
  tier_2: weightedTable([
    [2, 20],
    [3, 35],
    [4, 45],
  ]),
  tier_1: weightedTable([
    [3, 30],
    [4, 70],
  ]),
} as const;

/**
 * The seed dataset for `options`: owners are built at once (at most ~420), accounts one at a time on
 * demand. Company fields depend on (seed, index) only; owner ids also depend on the roster, whose size
 * follows the account count. Throws on invalid options, which are a caller's bug here: callers holding
 * untrusted input use `parseSeedOptions` first.
 */
export function createSeedDataset(options: SeedOptions): SeedDataset {
  const parsed = parseSeedOptions(options);
  if (!parsed.ok) throw new RangeError(`${parsed.error.code}: ${parsed.error.message}`);
  const settings = Object.freeze({ ...parsed.value });
  const referenceMs = Date.parse(settings.referenceDate);
  const roster = createOwnerRoster(settings.seed, settings.accounts);
  const context: GenerationContext = {
    seed: settings.seed,
    referenceMs,
    dealWindowStartMs: monthsBefore(referenceMs, DEAL_WINDOW_MONTHS),
    roster,
  };
  const account = (index: number): SeedAccountBundle => {
    if (!Number.isInteger(index) || index < 0 || index >= settings.accounts) {
      throw new RangeError(`account index ${index} is outside 0..${settings.accounts - 1}`);
    }
    return generateAccount(context, index);
  };
  return Object.freeze({
    options: settings,
    owners: Object.freeze(roster.owners),
    account,
    accounts: (): Iterable<SeedAccountBundle> => ({
      *[Symbol.iterator]() {
        for (let index = 0; index < settings.accounts; index++) yield generateAccount(context, index);
      },
    }),
  });
}

/** Stable ids: `acc_0000001` is the account at index 0. */
export const accountId = (index: number): string => `acc_${String(index + 1).padStart(7, '0')}`;

interface GenerationContext {
  readonly seed: number;
  readonly referenceMs: number;
  readonly dealWindowStartMs: number;
  readonly roster: OwnerRoster;
}

function generateAccount(context: GenerationContext, index: number): SeedAccountBundle {
  const { seed } = context;
  const { company, region } = generateCompany(
    context,
    index,
    createRandom(streamSeed(seed, index, SALT.company)),
  );
  const contacts = generateContacts(
    context,
    company,
    region,
    createRandom(streamSeed(seed, index, SALT.contacts)),
  );
  const deals = generateDeals(context, company, region, createRandom(streamSeed(seed, index, SALT.deals)));
  const engagementRng = createRandom(streamSeed(seed, index, SALT.engagements));
  const engagements = generateEngagements(context, company, contacts, engagementRng);
  return { company, contacts, deals, engagements };
}

function generateCompany(
  context: GenerationContext,
  index: number,
  rng: Random,
): { company: SeedCompany; region: SeedRegion } {
  const industry = rng.weighted(INDUSTRY_TABLE);
  const region = rng.weighted(REGION_TABLE);
  const country = rng.weighted(region.countries);
  const city = rng.pick(country.cities);

  const sizeZ = rng.normal();
  const employees = Math.min(
    MAX_HEADCOUNT,
    Math.max(1, Math.round(Math.exp(HEADCOUNT_LOG_MEDIAN + HEADCOUNT_LOG_SIGMA * sizeZ))),
  );
  const revenuePerEmployee =
    industry.revenuePerEmployee * Math.exp(REVENUE_PER_EMPLOYEE_LOG_SIGMA * rng.normal());
  const annualRevenue = Math.max(10_000, Math.round((employees * revenuePerEmployee) / 1000) * 1000);

  const fit =
    ICP_FIT.industry[ICP_INDUSTRIES.has(industry.industry) ? 0 : 1] +
    ICP_FIT.region[ICP_REGIONS.has(region.region) ? 0 : 1];
  const latent = 0.7 * sizeZ + 0.7 * rng.normal() + fit;
  const tier = tierOf(latent);
  const strategic = rng.chance(STRATEGIC_SHARE[tier ?? 'none']);
  const hasIntent = rng.chance(tier === null ? INTENT_SHARE.untiered : INTENT_SHARE.tiered);
  const intentDraw = rng.normal();
  const intentScore = hasIntent
    ? Math.min(100, Math.max(0, Math.round(42 + (tier === null ? 0 : 10) + 20 * intentDraw)))
    : null;

  const { name, domainLabel } = companyName(rng, industry.nouns);
  const legalForm = rng.pick(country.legalForms);
  const reps = context.roster.repsByRegion[region.region];
  const ownerId = rng.pick(reps);
  const createdMs = instantBetween(
    rng,
    context.referenceMs - MAX_ACCOUNT_AGE_DAYS * DAY_MS,
    context.referenceMs - MIN_ACCOUNT_AGE_DAYS * DAY_MS,
    MINUTE_MS,
  );

  const company: SeedCompany = {
    id: accountId(index),
    index,
    name: legalForm === '' ? name : `${name} ${legalForm}`,
    // The base-36 index after the last hyphen makes the domain unique: labels never contain a hyphen.
    domain: `${domainLabel}-${index.toString(36)}.${country.tld}`,
    industry: industry.industry satisfies SeedIndustry,
    region: region.region,
    country: country.country,
    city,
    employees,
    annualRevenue,
    ownerId,
    createdAt: iso(createdMs),
    tier,
    strategic,
    intentScore,
  };
  return { company, region: region.region };
}

function companyName(rng: Random, nouns: readonly string[]): { name: string; domainLabel: string } {
  const style = rng.float();
  const noun = rng.pick(nouns);
  const prefix = rng.pick(NAME_PREFIXES);
  const core = rng.pick(NAME_CORES);
  const founder = rng.pick(FOUNDER_NAMES);
  if (style < 0.55) {
    const brand = `${prefix}${core}`;
    return { name: `${brand} ${noun}`, domainLabel: `${asciiSlug(prefix)}${core}${asciiSlug(noun)}` };
  }
  if (style < 0.8)
    return { name: `${founder} ${noun}`, domainLabel: `${asciiSlug(founder)}${asciiSlug(noun)}` };
  return { name: `${prefix} ${noun}`, domainLabel: `${asciiSlug(prefix)}${asciiSlug(noun)}` };
}

/** 1 to 8 contacts, more at bigger companies; e-mails are unique because domains are. */
function generateContacts(
  context: GenerationContext,
  company: SeedCompany,
  region: SeedRegion,
  rng: Random,
): SeedContact[] {
  const profile = regionProfile(region);
  const ceiling = Math.min(8, Math.max(2, 2 + Math.round(Math.log10(company.employees) * 1.5)));
  const mapped = mappedBuyingGroup(company.tier, rng);
  const count = Math.max(mapped, 1 + rng.int(ceiling));
  const companyCreatedMs = Date.parse(company.createdAt);
  const contacts: SeedContact[] = [];
  const locals: string[] = [];
  for (let k = 0; k < count; k++) {
    const firstName = rng.pick(profile.firstNames);
    const lastName = rng.pick(profile.lastNames);
    const drawn = rng.weighted(BUYING_ROLE_TABLE);
    const buyingRole = k < mapped ? (BUYING_GROUP[k] ?? drawn) : drawn;
    const jobTitle = rng.pick(JOB_TITLES[buyingRole ?? 'none']);
    const createdMs = instantBetween(rng, companyCreatedMs, context.referenceMs, MINUTE_MS);
    const base = `${asciiSlug(firstName)}.${asciiSlug(lastName)}`;
    let local = base;
    for (let n = 2; locals.includes(local); n++) local = `${base}${n}`;
    locals.push(local);
    contacts.push({
      id: `ctc_${company.id.slice(4)}_${k + 1}`,
      companyId: company.id,
      firstName,
      lastName,
      email: `${local}@${company.domain}`,
      jobTitle,
      buyingRole,
      createdAt: iso(createdMs),
    });
  }
  return contacts;
}

/** Roles of the buying group a tiered account has mapped (0 for an untiered one). */
function mappedBuyingGroup(tier: Tier | null, rng: Random): number {
  if (tier === null) return 0;
  const [least, most] = MAPPED_BUYING_GROUP[tier];
  return least + rng.int(most - least + 1);
}

/**
 * 0 to 4 deals created over the 24 months before the reference date (not before the account existed).
 * Amount: log-normal around 0.15% of the company's revenue (σ 0.6), within [3k, 1.5M] at the median,
 * times the tier's deal size factor.
 * Close: created + a log-normal cycle around 90 days (σ 0.5), longer for deals above 100k, at midnight
 * UTC; a deal whose close falls on or before the reference date is closed (won or lost), else open.
 */
function generateDeals(
  context: GenerationContext,
  company: SeedCompany,
  region: SeedRegion,
  rng: Random,
): SeedDeal[] {
  const table =
    company.tier === 'tier_1' || company.tier === 'tier_2'
      ? company.tier
      : company.tier === 'tier_3' || company.employees > 1000
        ? 'large'
        : company.employees < 50
          ? 'small'
          : 'mid';
  const count = rng.weighted(DEAL_COUNTS[table]);
  const windowStartMs = Math.max(context.dealWindowStartMs, Date.parse(company.createdAt));
  const medianAmount =
    Math.min(1_500_000, Math.max(3_000, company.annualRevenue * 0.0015)) *
    DEAL_SIZE_FACTOR[company.tier ?? 'none'];
  const winRate = WIN_RATE[company.tier ?? 'none'];
  const teammates = context.roster.repsByRegion[region];
  const deals: SeedDeal[] = [];
  for (let k = 0; k < count; k++) {
    const amount = Math.max(500, Math.round((medianAmount * Math.exp(0.6 * rng.normal())) / 100) * 100);
    const createdMs = instantBetween(rng, windowStartMs, context.referenceMs, MINUTE_MS);
    const cycleDays = Math.max(
      MIN_SALES_CYCLE_DAYS,
      90 * Math.exp(0.5 * rng.normal()) * (amount > 100_000 ? 1.4 : 1),
    );
    const closeMs = Math.floor((createdMs + cycleDays * DAY_MS) / DAY_MS) * DAY_MS;
    const won = rng.chance(winRate);
    const product = rng.pick(DEAL_PRODUCTS);
    const otherOwner = rng.chance(0.1) ? rng.pick(teammates) : company.ownerId;
    deals.push({
      id: `dl_${company.id.slice(4)}_${k + 1}`,
      companyId: company.id,
      ownerId: otherOwner,
      name: `${company.name} - ${product}`,
      amount,
      stage: closeMs > context.referenceMs ? 'open' : won ? 'won' : 'lost',
      createdAt: iso(createdMs),
      closeDate: iso(closeMs),
    });
  }
  return deals;
}

/**
 * 0 to 30 engagements in the 90 days before the reference date, never before their contact existed,
 * in time order. Tiered accounts and those with an intent score of 70+ are busier; tier 1 and 2 accounts,
 * which marketing works on all the time, busiest and most recently.
 */
function generateEngagements(
  context: GenerationContext,
  company: SeedCompany,
  contacts: readonly SeedContact[],
  rng: Random,
): SeedEngagement[] {
  const worked =
    company.tier === 'tier_1' || company.tier === 'tier_2' ? WORKED_ENGAGEMENTS[company.tier] : null;
  const busy = company.tier !== null || (company.intentScore ?? 0) >= 70;
  if (worked === null && rng.chance(busy ? 0.1 : 0.3)) return [];
  const count =
    worked === null
      ? 1 + Math.floor(29.999 * rng.float() ** (busy ? 1.3 : 2.2))
      : worked[0] + rng.int(worked[1] - worked[0] + 1);
  const drafts: EngagementDraft[] = [];
  for (let k = 0; k < count; k++) {
    const contact = rng.pick(contacts);
    const type = rng.weighted(ENGAGEMENT_TABLE);
    // Worked accounts' activity leans to the last weeks: the window they are drawn in is shorter.
    const windowDays =
      worked === null ? ENGAGEMENT_WINDOW_DAYS : ENGAGEMENT_WINDOW_DAYS * Math.max(0.2, rng.float());
    const fromMs = Math.max(context.referenceMs - windowDays * DAY_MS, Date.parse(contact.createdAt));
    drafts.push({
      contactId: contact.id,
      type,
      occurredMs: instantBetween(rng, fromMs, context.referenceMs, 1000),
    });
  }
  drafts.sort(byOccurrence);
  const key = company.id.slice(4);
  const engagements: SeedEngagement[] = [];
  for (let k = 0; k < drafts.length; k++) {
    const draft = drafts[k] as EngagementDraft;
    engagements.push({
      id: `eng_${key}_${k + 1}`,
      companyId: company.id,
      contactId: draft.contactId,
      type: draft.type,
      occurredAt: iso(draft.occurredMs),
    });
  }
  return engagements;
}

interface EngagementDraft {
  readonly contactId: string;
  readonly type: SeedEngagement['type'];
  readonly occurredMs: number;
}

const byOccurrence = (a: EngagementDraft, b: EngagementDraft): number => a.occurredMs - b.occurredMs;

function tierOf(latent: number): Tier | null {
  for (const [tier, cut] of TIER_CUTS) if (latent > cut) return tier;
  return null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A whole multiple of `stepMs` in [fromMs, toMs] (one draw), or `fromMs` when no multiple fits. */
function instantBetween(rng: Random, fromMs: number, toMs: number, stepMs: number): number {
  const first = Math.ceil(fromMs / stepMs);
  const steps = Math.floor(toMs / stepMs) - first + 1;
  const draw = rng.int(Math.max(1, steps));
  return steps > 0 ? (first + draw) * stepMs : fromMs;
}

function monthsBefore(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.getTime();
}
