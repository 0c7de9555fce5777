export * from './types.ts';
export { createSeedDataset, accountId } from './generate.ts';
export { MAX_SEED_ACCOUNTS, MIN_SEED_ACCOUNTS, SeedOptionsSchema, parseSeedOptions } from './options.ts';
export type { SeedOptionsError } from './options.ts';
export { OWNER_EMAIL_DOMAIN, ownerId, sellerCount } from './owners.ts';
export { ENGAGEMENT_TYPES, OWNER_TIMEZONES, SEED_INDUSTRIES, SEED_REGIONS } from './catalog.ts';
export type { SeedIndustry, SeedRegion } from './catalog.ts';
export { createSummaryAccumulator } from './summary.ts';
export type { SeedSummary, SummaryAccumulator } from './summary.ts';
