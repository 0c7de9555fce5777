import type { Instant } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { Tenant } from '../../model.ts';
import type { CrmConnector } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import { createDescriber, missingRequiredFields } from './describe.ts';
import { readTierFieldChanges } from './history.ts';
import type { SalesforceAuth } from './http.ts';
import { createSalesforceApi } from './http.ts';
import { pullKind } from './pull.ts';
import { upsertTasks, writeAccounts } from './writes.ts';

export interface SalesforceConnectorOptions {
  readonly tenant: Tenant;
  /** Where the token endpoint lives: the org's My Domain URL (client credentials need it). */
  readonly loginUrl: string;
  readonly auth: SalesforceAuth;
  /** Share (0..1] of the org's remaining daily API calls one run may use; 0.5 by default. */
  readonly budgetShare?: number;
  /** How far before the cursor an incremental pull reads again; 60 s by default, 0 for an exact resume. */
  readonly overlapMs?: number;
  readonly clock?: () => Instant;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface SalesforceConnector extends CrmConnector {
  /** Starts a sync run: its share of the daily API budget is counted from the next call. */
  beginRun(): void;
}

export const DEFAULT_BUDGET_SHARE = 0.5;
export const DEFAULT_OVERLAP_MS = 60_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  const { tenant } = options;
  const budgetShare = options.budgetShare ?? DEFAULT_BUDGET_SHARE;
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  if (tenant.crm !== 'salesforce') throw new RangeError(`tenant ${tenant.id} is not a Salesforce org`);
  if (!(budgetShare > 0 && budgetShare <= 1))
    throw new RangeError(`budgetShare must be in (0, 1], not ${budgetShare}`);
  if (!(overlapMs >= 0)) throw new RangeError(`overlapMs must be 0 or more, not ${overlapMs}`);
  const api = createSalesforceApi({
    tenant,
    loginUrl: options.loginUrl,
    auth: options.auth,
    budgetShare,
    clock: options.clock ?? (() => Date.now()),
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  });
  const describe = createDescriber(api);

  return {
    tenant,
    async prepare() {
      try {
        // Contact and Event hold only optional fields: described now to spare the pulls a call, and a
        // failure there is left for the pull that needs them to report.
        const required = Promise.all([describe('Account'), describe('Task')]);
        await Promise.allSettled([required, describe('Contact'), describe('Event')]);
        const [account, task] = await required;
        const { missing, problems } = missingRequiredFields(
          new Map([
            ['Account', account],
            ['Task', task],
          ]),
        );
        if (missing.length === 0) return ok({ created: [] });
        return err({
          code: 'missing_fields',
          message: [
            `The Salesforce org lacks ${missing.join(', ')}.`,
            ...problems.map((problem) => `${problem}.`),
            "Deploy ABM Pilot's metadata (salesforce-lwc/) and give the integration user read and edit access to these fields.",
          ].join(' '),
          missing,
        });
      } catch (error) {
        if (error instanceof ConnectorFailure) return err(error.failure);
        throw error;
      }
    },
    pull: (kind, since) => pullKind({ api, describe, overlapMs }, kind, since),
    writeAccounts: (writes) => writeAccounts(api, writes),
    upsertTasks: (tasks) => upsertTasks(api, tasks),
    tierFieldChanges: (accountCrmIds) => readTierFieldChanges(api, accountCrmIds),
    usage: () => api.usage(),
    beginRun: () => api.beginRun(),
  };
}
