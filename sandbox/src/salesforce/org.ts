import type { ApiUsage } from './usage.ts';
import { DEFAULT_DAILY_API_LIMIT, createApiUsage } from './usage.ts';
import { makeId } from './ids.ts';
import type { OrgData } from './store.ts';
import { createOrgData, podFor } from './store.ts';

// One emulated org: its data, its connected app credentials and its API allocation.

export interface SalesforceOrgOptions {
  readonly name?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** A refresh token that opens this org as its integration user (printed by the CLI). */
  readonly refreshToken?: string;
  readonly dailyApiLimit?: number;
  /** Custom fields this org lacks, e.g. `['Account.ABM_SLA_Status__c']`. */
  readonly omitFields?: readonly string[];
}

export interface SalesforceOrg {
  readonly orgId: string;
  readonly index: number;
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly data: OrgData;
  readonly usage: ApiUsage;
}

export function createOrg(index: number, options: SalesforceOrgOptions, nowMs: number): SalesforceOrg {
  const number = index + 1;
  return {
    orgId: makeId('00D', podFor(index), number),
    index,
    name: options.name ?? `Sandbox Org ${number}`,
    clientId: options.clientId ?? `sandbox-sf-client-${number}`,
    clientSecret: options.clientSecret ?? `sandbox-sf-secret-${number}`,
    refreshToken: options.refreshToken ?? `sandbox-sf-refresh-${number}`,
    data: createOrgData(index, options.omitFields ?? [], nowMs),
    usage: createApiUsage(options.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT),
  };
}
