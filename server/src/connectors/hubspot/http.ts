import type { Instant } from '@abm-pilot/shared';
import type { z } from 'zod';

import type { ApiUsage, ConnectorErrorCode } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import type { HubSpotRetryPolicy, Verdict } from '../retry.ts';
import { HUBSPOT_RETRY, withRetries } from '../retry.ts';
import type { TokenSource } from './auth.ts';
import { redact } from './auth.ts';
import type { RateLimiter } from './rateLimiter.ts';
import { createRateLimiter } from './rateLimiter.ts';
import { ErrorBodySchema } from './wire.ts';

// The thin HubSpot client: one per portal, so that limits, retries and tokens are the portal's own. Every
// request waits for its lane of the portal's rate window (general or search), is retried with
// exponential backoff and jitter on 429, 423, 5xx, timeouts and dropped connections (honouring
// Retry-After), and renews the OAuth token once on a 401. What is left is a response the caller expects
// (2xx, 207) or a client error it decides about; failures past the retries throw ConnectorFailure.

export interface HubSpotLimits {
  /** Ordinary calls per rolling 10 s (Professional / Enterprise private apps: 190). */
  readonly tenSecondly: number;
  /** CRM search calls per second; HubSpot counts them apart from the 10 s window. */
  readonly searchPerSecond: number;
}

export const DEFAULT_LIMITS: HubSpotLimits = { tenSecondly: 190, searchPerSecond: 5 };

/** The retries of a connector given no `retry` option. */
export const DEFAULT_RETRY: HubSpotRetryPolicy = HUBSPOT_RETRY;

export { backoffDelay } from '../retry.ts';

export type Lane = 'general' | 'search';

export interface HubSpotRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly body?: unknown;
  readonly lane?: Lane;
}

export interface HubSpotResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface HubSpotHttp {
  send(request: HubSpotRequest): Promise<HubSpotResponse>;
  /** Sends and parses a response that must be 2xx or 207; anything else is a ConnectorFailure. */
  expect<T>(request: HubSpotRequest, schema: z.ZodType<T>): Promise<T>;
  usage(): ApiUsage;
  describe(request: HubSpotRequest, response: HubSpotResponse): string;
}

export interface HubSpotHttpOptions {
  readonly baseUrl: string;
  readonly portalId: string;
  readonly tokens: TokenSource;
  readonly limits: HubSpotLimits;
  readonly retry: HubSpotRetryPolicy;
  readonly clock: () => Instant;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly fetch: typeof fetch;
}

/** `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. */
export const retryAfterMs = (header: string | null, now: Instant): number | null => {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
};

const TEN_SECONDS_MS = 10_000;
const SECOND_MS = 1_000;
/** HubSpot locks a record set for about 2 s after bursts of upserts. */
const LOCKED_WAIT_MS = 2_000;

const queryString = (query: HubSpotRequest['query']): string => {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const entry of value as readonly string[]) params.append(name, entry);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

const parseBody = (text: string): unknown => {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

type Attempt =
  | { readonly kind: 'response'; readonly response: HubSpotResponse; readonly retryAfter: string | null }
  | { readonly kind: 'network'; readonly reason: string };

export const createHubSpotHttp = (options: HubSpotHttpOptions): HubSpotHttp => {
  const { retry, clock, sleep, random } = options;
  const lanes: Readonly<Record<Lane, RateLimiter>> = {
    general: createRateLimiter({
      limit: options.limits.tenSecondly,
      windowMs: TEN_SECONDS_MS,
      clock,
      sleep,
    }),
    search: createRateLimiter({
      limit: options.limits.searchPerSecond,
      windowMs: SECOND_MS,
      clock,
      sleep,
    }),
  };
  const counters = { calls: 0, rateLimited: 0, retries: 0 };
  let dailyRemaining: number | null = null;
  const scrub = (message: string): string => redact(message, options.tokens.secrets());
  const fail = (code: ConnectorErrorCode, message: string): ConnectorFailure =>
    new ConnectorFailure({ code, message: scrub(message) });

  const describe = (request: HubSpotRequest, response: HubSpotResponse): string => {
    const body = ErrorBodySchema.parse(response.body);
    const detail = [body.category, body.message].filter(Boolean).join(': ');
    return scrub(
      `HubSpot portal ${options.portalId} answered ${request.method} ${request.path} with HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
    );
  };

  const attemptOnce = async (request: HubSpotRequest): Promise<Attempt> => {
    const token = await options.tokens.current();
    const release = await lanes[request.lane ?? 'general'].acquire();
    counters.calls += 1;
    try {
      const response = await options.fetch(`${options.baseUrl}${request.path}${queryString(request.query)}`, {
        method: request.method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(retry.requestTimeoutMs),
      });
      const text = await response.text();
      const remaining = Number(response.headers.get('x-hubspot-ratelimit-daily-remaining') ?? Number.NaN);
      if (Number.isFinite(remaining)) dailyRemaining = remaining;
      return {
        kind: 'response',
        response: { status: response.status, body: parseBody(text) },
        retryAfter: response.headers.get('retry-after'),
      };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { kind: 'network', reason: name === 'TimeoutError' ? 'timed out' : 'connection failed' };
    } finally {
      release();
    }
  };

  const send = (request: HubSpotRequest): Promise<HubSpotResponse> => {
    let renewedOn401 = false;
    let last = '';
    let lastCode: ConnectorErrorCode = 'crm_unavailable';
    const giveUp = (): ConnectorFailure =>
      fail(lastCode, `${last} (gave up after ${retry.maxAttempts} attempts)`);

    const classify = async (outcome: Attempt): Promise<Verdict<HubSpotResponse>> => {
      if (outcome.kind === 'network') {
        last = `HubSpot portal ${options.portalId}: ${request.method} ${request.path} ${outcome.reason}`;
        lastCode = 'crm_unavailable';
        return { kind: 'retry', giveUp };
      }
      const { response } = outcome;
      const status = response.status;
      if (status === 401) {
        if (!renewedOn401 && (await options.tokens.renew())) {
          renewedOn401 = true;
          return { kind: 'retry_at_once', giveUp };
        }
        throw fail('auth_failed', describe(request, response));
      }
      if (status === 403) throw fail('auth_failed', describe(request, response));
      if (status === 429) {
        counters.rateLimited += 1;
        const body = ErrorBodySchema.parse(response.body);
        if (body.policyName === 'DAILY') throw fail('api_budget_exhausted', describe(request, response));
        last = describe(request, response);
        lastCode = 'rate_limited';
        const asked = retryAfterMs(outcome.retryAfter, clock());
        if (asked !== null && asked > retry.maxRetryAfterMs) throw fail('rate_limited', last);
        return { kind: 'retry', giveUp, wait: (backoffMs) => asked ?? Math.max(backoffMs, SECOND_MS) };
      }
      if (status === 423 || status >= 500) {
        last = describe(request, response);
        lastCode = 'crm_unavailable';
        const asked = retryAfterMs(outcome.retryAfter, clock());
        const floor = status === 423 ? LOCKED_WAIT_MS : 0;
        return { kind: 'retry', giveUp, wait: (backoffMs) => Math.max(asked ?? backoffMs, floor) };
      }
      return { kind: 'done', value: response };
    };

    return withRetries(
      {
        policy: retry,
        clock,
        sleep,
        random,
        onRetry: () => {
          counters.retries += 1;
        },
      },
      async () => classify(await attemptOnce(request)),
    );
  };

  return {
    send,
    expect: async <T>(request: HubSpotRequest, schema: z.ZodType<T>): Promise<T> => {
      const response = await send(request);
      if (response.status < 200 || response.status >= 300) {
        throw fail('invalid_request', describe(request, response));
      }
      const parsed = schema.safeParse(response.body);
      if (!parsed.success) {
        throw fail(
          'crm_unavailable',
          `HubSpot portal ${options.portalId} answered ${request.method} ${request.path} with an unexpected body: ${parsed.error.issues
            .slice(0, 3)
            .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
            .join('; ')}`,
        );
      }
      return parsed.data;
    },
    usage: () => ({ ...counters, ...(dailyRemaining === null ? {} : { dailyRemaining }) }),
    describe,
  };
};
