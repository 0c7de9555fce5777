import type { Instant } from '@abm-pilot/shared';

import type { Tenant } from '../../model.ts';
import type { CrmConnector } from '../ports.ts';
import type { HubSpotRetryPolicy } from '../retry.ts';
import type { HubSpotAuth, TokenSource } from './auth.ts';
import { oauthTokenSource, privateAppTokenSource } from './auth.ts';
import type { HubSpotLimits } from './http.ts';
import { DEFAULT_LIMITS, DEFAULT_RETRY, createHubSpotHttp } from './http.ts';
import { readTierFieldChanges } from './history.ts';
import { prepareAbmProperties } from './prepare.ts';
import { pullKind } from './pull.ts';
import { upsertTaskBatches, writeAccountBatches } from './writes.ts';

// One HubSpot portal as a CrmConnector: its own token, rate windows, retries and counters, shared with
// no other portal (the official SDK keeps one limiter per process, which is why this client exists).

export interface HubSpotConnectorOptions {
  readonly tenant: Tenant;
  /** `https://api.hubapi.com`, or the emulator's URL; no trailing slash needed. */
  readonly baseUrl: string;
  readonly auth: HubSpotAuth;
  /** The portal's limits; the defaults are a Professional / Enterprise private app's. */
  readonly limits?: Partial<HubSpotLimits>;
  readonly retry?: Partial<HubSpotRetryPolicy>;
  /** Re-read before the cursor, for search lag and clock drift. Default 60 s. */
  readonly overlapMs?: number;
  /** An OAuth token is renewed when it has less than this left. Default 5 min. */
  readonly refreshBeforeExpiryMs?: number;
  readonly clock?: () => Instant;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  /** How waits are made (rate windows, backoff, Retry-After); tests pass a recording one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told when HubSpot refuses the OAuth refresh token (the app was uninstalled). */
  readonly onRevoked?: () => void;
}

export const DEFAULT_OVERLAP_MS = 60_000;
export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const createHubSpotConnector = (options: HubSpotConnectorOptions): CrmConnector => {
  const { tenant } = options;
  if (tenant.crm !== 'hubspot') throw new Error(`tenant ${tenant.id} is not a HubSpot portal`);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const fetchImpl = options.fetch ?? fetch;
  const retry: HubSpotRetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const limits: HubSpotLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const tokens: TokenSource =
    options.auth.kind === 'private_app'
      ? privateAppTokenSource(options.auth.token)
      : oauthTokenSource({
          baseUrl,
          portalId: tenant.externalId,
          clientId: options.auth.clientId,
          clientSecret: options.auth.clientSecret,
          refreshToken: options.auth.refreshToken,
          clock,
          fetch: fetchImpl,
          refreshBeforeExpiryMs: options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
          retry,
          random,
          sleep,
          ...(options.onRevoked ? { onRevoked: options.onRevoked } : {}),
        });
  const http = createHubSpotHttp({
    baseUrl,
    portalId: tenant.externalId,
    tokens,
    limits,
    retry,
    clock,
    sleep,
    random,
    fetch: fetchImpl,
  });
  const pullContext = {
    http,
    clock,
    overlapMs: options.overlapMs ?? DEFAULT_OVERLAP_MS,
    retry,
    random,
    sleep,
  };
  const writeContext = { http, retry, random, sleep };

  return {
    tenant,
    prepare: () => prepareAbmProperties(http),
    pull: (kind, since) => pullKind(pullContext, kind, since),
    writeAccounts: (writes) => writeAccountBatches(writeContext, writes),
    upsertTasks: (tasks) => upsertTaskBatches(writeContext, tasks),
    tierFieldChanges: (accountCrmIds) => readTierFieldChanges(writeContext, accountCrmIds),
    usage: () => http.usage(),
  };
};
