import type { Instant, Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';
import type { HttpRequest, HttpRequestOptions, HttpResponse, StreamPromise } from 'jsforce';
import { Connection, OAuth2 } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import { z } from 'zod';

import type { Tenant } from '../../model.ts';
import type { ApiUsage } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import type { RetryRun, Verdict } from '../retry.ts';
import { SALESFORCE_RETRY, backoffDelay as policyBackoffDelay, withRetries } from '../retry.ts';
import { SALESFORCE_API_VERSION } from './fields.ts';

// Every REST call of one org goes through here: OAuth (client credentials or refresh token), one
// re-authorisation on an expired session, bounded retries with jittered backoff on transient
// failures, the run's share of the daily API budget, and the usage counters.
//
// jsforce's own retries are switched off for our calls: they wait 0.5 s → 8 s without jitter or a
// way to inject time, and cover GETs only. Our loop retries every method the connector sends, all
// of which are idempotent (queries, PATCH updates, upserts by external id).

export type SalesforceAuth =
  | { readonly kind: 'client_credentials'; readonly clientId: string; readonly clientSecret: string }
  | {
      readonly kind: 'refresh_token';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
    };

export interface SalesforceApiOptions {
  readonly tenant: Tenant;
  readonly loginUrl: string;
  readonly auth: SalesforceAuth;
  /** Share (0..1] of the org's remaining daily calls one run may use. */
  readonly budgetShare: number;
  readonly clock: () => Instant;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export interface ApiRequest {
  readonly method: 'GET' | 'PATCH';
  /** From the version root (`/query?q=`) or from the host root (`/services/data/v66.0/query/01g…`). */
  readonly url: string;
  readonly body?: unknown;
}

/** A request-level error the caller may handle (an expired query locator, a missing field…). */
export interface SalesforceApiError {
  readonly status: number;
  readonly errorCode: string;
  readonly message: string;
}

export interface SalesforceApi {
  request(request: ApiRequest): Promise<Result<unknown, SalesforceApiError>>;
  /** Waits before retry number `attempt` (0-based) of a batch's failed records, and counts it. */
  pauseBeforeRetry(attempt: number): Promise<void>;
  usage(): ApiUsage;
  /** The run budget counts from the next call. */
  beginRun(): void;
}

/** jsforce waits 30 minutes by default; a hung socket should become a retry much sooner. */
const REQUEST_TIMEOUT_MS = 120_000;

/** The wait before retry number `attempt` (0-based) of a batch's failed records. */
export const backoffDelay = (attempt: number, random: () => number): number =>
  policyBackoffDelay(SALESFORCE_RETRY, random, attempt + 1);

const NETWORK_ERROR_NAMES: ReadonlySet<string> = new Set(['FetchError', 'AbortError']);
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

export type Disposition = 'reauthorize' | 'retry' | 'limit_exceeded' | 'fail';

/** What to do about a failed call: `status` is null when no response came back (reset, timeout). */
export function dispositionOf(status: number | null, errorCode: string): Disposition {
  if (status === null) return 'retry';
  if (status === 401) return 'reauthorize';
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return 'limit_exceeded';
  if (status >= 500 || status === 429 || status === 420 || RETRYABLE_CODES.has(errorCode)) return 'retry';
  return 'fail';
}

/** `api-usage=18/5000` → used and limit, counting the call it came with. */
export function parseLimitInfo(header: string | undefined): { used: number; limit: number } | null {
  const match = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : null;
}

/** Sees each response before jsforce turns its status into an exception, and keeps jsforce from retrying. */
class ObservedTransport extends Transport {
  constructor(private readonly observe: (response: HttpResponse) => void) {
    super();
  }

  override httpRequest(request: HttpRequest, options?: HttpRequestOptions): StreamPromise<HttpResponse> {
    const pending = super.httpRequest(request, {
      ...options,
      retry: { maxRetries: 0, methods: [] },
      timeout: REQUEST_TIMEOUT_MS,
    });
    pending.then(this.observe, () => undefined);
    return pending;
  }
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  id: z.string().min(1),
  refresh_token: z.string().optional(),
});

interface Session {
  readonly connection: Connection;
}

const failure = (code: ConnectorFailure['failure']['code'], message: string): ConnectorFailure =>
  new ConnectorFailure({ code, message });

/** The org id of an identity URL (`…/id/00D…/005…`). */
const orgIdOf = (identityUrl: string): string => identityUrl.split('/').at(-2) ?? '';

/** 15- and 18-character forms of one id name the same record. */
const sameSalesforceId = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15);

const errorName = (error: unknown): string =>
  error instanceof Error ? (typeof error.name === 'string' ? error.name : 'Error') : 'Error';

const errorCodeOf = (error: unknown): string => {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === 'string' ? code : errorName(error);
};

const errorMessageOf = (error: unknown): string =>
  error instanceof Error && typeof error.message === 'string' ? error.message : String(error);

const isNetworkError = (error: unknown): boolean => NETWORK_ERROR_NAMES.has(errorName(error));

export function createSalesforceApi(options: SalesforceApiOptions): SalesforceApi {
  const { tenant, loginUrl, auth, budgetShare, clock, sleep, random } = options;
  let refreshToken = auth.kind === 'refresh_token' ? auth.refreshToken : null;
  let session: Promise<Session> | null = null;
  let calls = 0;
  let rateLimited = 0;
  let retries = 0;
  let runCalls = 0;
  /** Known from the first response of the run: the org's usage before it, and the calls it may spend. */
  let runBudget: { readonly usedAtStart: number; readonly allowance: number } | null = null;
  let orgUsed = 0;
  let orgLimit: number | null = null;

  const observeLimits = (response: HttpResponse): void => {
    const info = parseLimitInfo(response.headers['sforce-limit-info']);
    if (info === null) return;
    orgUsed = info.used;
    orgLimit = info.limit;
    if (runBudget !== null) return;
    const usedAtStart = info.used - 1;
    runBudget = { usedAtStart, allowance: Math.floor(budgetShare * Math.max(0, info.limit - usedAtStart)) };
  };

  /**
   * Spent by this run: its own calls, or what the org used since the run began when that is more
   * (other integrations share the allocation, and the share is of what was left for everyone).
   */
  const spentThisRun = (budget: { readonly usedAtStart: number }): number =>
    Math.max(runCalls, orgUsed - budget.usedAtStart);

  const retryRun: RetryRun = {
    policy: SALESFORCE_RETRY,
    clock,
    sleep,
    random,
    onRetry: () => {
      retries += 1;
    },
  };

  const requestToken = (): Promise<z.infer<typeof TokenResponseSchema>> =>
    withRetries(retryRun, async () => {
      let status: number | null = null;
      const oauth2 = new OAuth2({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret });
      oauth2._transport = new ObservedTransport((response) => {
        status = response.statusCode;
      });
      try {
        const response =
          refreshToken === null
            ? await oauth2.requestToken({ grant_type: 'client_credentials' })
            : await oauth2.refreshToken(refreshToken);
        const parsed = TokenResponseSchema.safeParse(response);
        if (!parsed.success)
          throw failure('auth_failed', 'the token endpoint answered without a usable token');
        return { kind: 'done', value: parsed.data };
      } catch (error) {
        if (error instanceof ConnectorFailure) throw error;
        const transient = status === null ? isNetworkError(error) : status >= 500 || status === 429;
        if (!transient) {
          // The OAuth error names the grant problem; the body never echoes the secret or the token.
          throw failure('auth_failed', `Salesforce refused the credentials: ${errorName(error)}`);
        }
        return {
          kind: 'retry',
          giveUp: () =>
            failure('crm_unavailable', `the Salesforce token endpoint kept failing (${errorName(error)})`),
        };
      }
    });

  const authorize = async (): Promise<Session> => {
    const token = await requestToken();
    const orgId = orgIdOf(token.id);
    if (!sameSalesforceId(orgId, tenant.externalId)) {
      throw failure(
        'auth_failed',
        `the credentials open org ${orgId}, not this tenant's org ${tenant.externalId}`,
      );
    }
    if (token.refresh_token !== undefined && refreshToken !== null) refreshToken = token.refresh_token;
    return {
      connection: new Connection({
        instanceUrl: token.instance_url,
        accessToken: token.access_token,
        version: SALESFORCE_API_VERSION,
      }),
    };
  };

  const currentSession = (): Promise<Session> => {
    if (session === null) {
      const pending = authorize();
      session = pending;
      pending.catch(() => {
        if (session === pending) session = null;
      });
    }
    return session;
  };

  /** Drops `expired` unless another call already replaced it. */
  const invalidate = async (expired: Session): Promise<void> => {
    const current = session === null ? null : await session.catch(() => null);
    if (current === expired) session = null;
  };

  const request = (call: ApiRequest): Promise<Result<unknown, SalesforceApiError>> => {
    let reauthorized = false;
    const attempt = async (number: number): Promise<Verdict<Result<unknown, SalesforceApiError>>> => {
      const current = await currentSession();
      if (runBudget !== null && spentThisRun(runBudget) >= runBudget.allowance) {
        throw failure(
          'api_budget_exhausted',
          `this run has spent ${spentThisRun(runBudget)} API calls, its ${budgetShare} share of the org's remaining daily budget`,
        );
      }
      let response: HttpResponse | null = null;
      const transport = new ObservedTransport((seen) => {
        response = seen;
        observeLimits(seen);
      });
      calls += 1;
      runCalls += 1;
      try {
        const httpRequest: HttpRequest = {
          method: call.method,
          url: call.url,
          ...(call.body === undefined
            ? {}
            : { body: JSON.stringify(call.body), headers: { 'Content-Type': 'application/json' } }),
        };
        return { kind: 'done', value: ok(await current.connection.request(httpRequest, { transport })) };
      } catch (error) {
        const status = (response as HttpResponse | null)?.statusCode ?? null;
        if (status === null && !isNetworkError(error)) throw error;
        const errorCode = errorCodeOf(error);
        switch (dispositionOf(status, errorCode)) {
          case 'reauthorize':
            if (reauthorized) {
              throw failure(
                'auth_failed',
                'Salesforce refused a freshly issued session (INVALID_SESSION_ID)',
              );
            }
            reauthorized = true;
            retries += 1;
            await invalidate(current);
            // An expired session is no failure of the call: the replay is the same attempt.
            return attempt(number);
          case 'limit_exceeded':
            rateLimited += 1;
            throw failure('rate_limited', `Salesforce refused the call: REQUEST_LIMIT_EXCEEDED`);
          case 'retry':
            if (status === 429 || status === 420) rateLimited += 1;
            return {
              kind: 'retry',
              giveUp: () =>
                failure(
                  'crm_unavailable',
                  `Salesforce kept failing after ${number} attempts (${status ?? errorName(error)})`,
                ),
            };
          case 'fail':
            return {
              kind: 'done',
              value: err({ status: status ?? 0, errorCode, message: errorMessageOf(error) }),
            };
        }
      }
    };
    return withRetries(retryRun, attempt);
  };

  return {
    request,
    async pauseBeforeRetry(attempt) {
      retries += 1;
      await sleep(backoffDelay(attempt, random));
    },
    usage: () => ({
      calls,
      rateLimited,
      retries,
      ...(orgLimit === null ? {} : { dailyRemaining: Math.max(0, orgLimit - orgUsed) }),
    }),
    beginRun() {
      runCalls = 0;
      runBudget = null;
    },
  };
}

const MISSING_FIELD_CODES: ReadonlySet<string> = new Set(['INVALID_FIELD', 'INVALID_TYPE', 'NOT_FOUND']);

/** A request-level error the caller cannot work around, as the failure that stops the run. */
export const requestFailure = (error: SalesforceApiError, doing: string): ConnectorFailure =>
  new ConnectorFailure({
    code: MISSING_FIELD_CODES.has(error.errorCode) ? 'missing_fields' : 'invalid_request',
    message: `${doing}: ${error.errorCode}: ${error.message}`,
  });
