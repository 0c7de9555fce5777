export type { SalesforceEmulator, SalesforceEmulatorOptions, StartedSalesforceEmulator } from './emulator.ts';
export { createSalesforceEmulator, startSalesforceEmulator } from './emulator.ts';
export type { SalesforceEmulatorState } from './http/context.ts';
export type { SalesforceOrg, SalesforceOrgOptions } from './org.ts';
export type { SeedLoadOptions, SeedLoadResult } from './seedLoader.ts';
export { loadSeedIntoOrg } from './seedLoader.ts';
export type { AbmAccountField, SObjectType } from './schema.ts';
export { ABM_ACCOUNT_FIELDS, KEY_PREFIX, TIER_PICKLIST } from './schema.ts';
