import type { Instant } from '@abm-pilot/shared';

// How both connectors retry: a bounded number of attempts, waits that grow exponentially to a cap with
// jitter (so that callers which failed together do not come back together), and optionally a window past
// which no call keeps retrying. What is worth retrying, and what a CRM asks for on top (Retry-After, a
// renewed session), is each connector's to say when it classifies an attempt.

/**
 * `equal`: half the wait fixed, half drawn, so a retry never fires back at once.
 * `full`: all of it drawn, which spreads retries the most.
 */
export type Jitter = 'equal' | 'full';

export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: Jitter;
  /** No call retries when its next attempt would start later than this after its first. */
  readonly windowMs?: number;
}

export interface HubSpotRetryPolicy extends RetryPolicy {
  /** A request still unanswered after this is abandoned and counts as a failed attempt. */
  readonly requestTimeoutMs: number;
  /** A Retry-After longer than this is not waited out: the run stops as rate limited. */
  readonly maxRetryAfterMs: number;
}

export const HUBSPOT_RETRY: HubSpotRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 'equal',
  requestTimeoutMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export const SALESFORCE_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  jitter: 'full',
  windowMs: 60_000,
};

/**
 * The wait after failed attempt `attempt` (the first is 1): `min(max, base · 2^(attempt−1))`, jittered
 * with `random` (in [0, 1)).
 */
export const backoffDelay = (policy: RetryPolicy, random: () => number, attempt: number): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const drawn = Math.min(1, Math.max(0, random()));
  return policy.jitter === 'equal' ? Math.round((ceiling * (1 + drawn)) / 2) : drawn * ceiling;
};

/** Whether failed attempt `attempt` may be followed by another after `waitMs`, `elapsedMs` into the call. */
const mayRetry = (policy: RetryPolicy, attempt: number, elapsedMs: number, waitMs: number): boolean =>
  attempt < policy.maxAttempts && (policy.windowMs === undefined || elapsedMs + waitMs <= policy.windowMs);

/** What one attempt came to. A failure that no retry can mend is thrown by the attempt itself. */
export type Verdict<T> =
  | { readonly kind: 'done'; readonly value: T }
  | {
      readonly kind: 'retry';
      /** Thrown when the policy allows no further attempt; built then, from what the last attempt learnt. */
      readonly giveUp: () => Error;
      /** The wait the CRM asks for instead of the policy's backoff (a Retry-After, a floor); the backoff by default. */
      readonly wait?: (backoffMs: number) => number;
    }
  /** What failed has been mended (a renewed token): the next attempt goes without a wait. */
  | { readonly kind: 'retry_at_once'; readonly giveUp: () => Error };

export interface RetryRun {
  readonly policy: RetryPolicy;
  readonly clock: () => Instant;
  readonly sleep: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
  /** Told of each retry before its wait, to count it. */
  readonly onRetry?: () => void;
}

/** Runs `attempt` (given its number, the first is 1) until its verdict is `done` or the policy allows no more. */
export const withRetries = async <T>(
  run: RetryRun,
  attempt: (attempt: number) => Promise<Verdict<T>>,
): Promise<T> => {
  const startedAt = run.clock();
  for (let number = 1; ; number += 1) {
    const verdict = await attempt(number);
    if (verdict.kind === 'done') return verdict.value;
    let waitMs = 0;
    if (verdict.kind === 'retry') {
      const backoffMs = backoffDelay(run.policy, run.random, number);
      waitMs = verdict.wait ? verdict.wait(backoffMs) : backoffMs;
    }
    if (!mayRetry(run.policy, number, run.clock() - startedAt, waitMs)) throw verdict.giveUp();
    run.onRetry?.();
    if (verdict.kind === 'retry') await run.sleep(waitMs);
  }
};
