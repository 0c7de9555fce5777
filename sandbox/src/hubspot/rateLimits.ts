import { z } from 'zod';

import type { HubSpotFailure } from './wire.ts';
import { correlationId } from './wire.ts';

// HubSpot's per-portal request limits: a rolling ten-second window for ordinary calls, a separate
// per-second limit for the CRM search endpoints (which the ten-second window does not count), and a
// daily allowance for private-app tokens (OAuth calls have no daily limit and get no daily headers).

export const RateLimitsSchema = z.strictObject({
  tenSecondly: z.int().positive(),
  searchPerSecond: z.int().positive(),
  daily: z.int().positive(),
});
export type RateLimits = z.infer<typeof RateLimitsSchema>;

/** Professional / Enterprise private apps: 190 per 10 s, search 5 per second, 1,000,000 a day. */
export const DEFAULT_RATE_LIMITS: RateLimits = { tenSecondly: 190, searchPerSecond: 5, daily: 1_000_000 };

const TEN_SECONDS_MS = 10_000;
const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/** Request instants inside a sliding window; `head` skips expired ones without shifting the array. */
interface Window {
  stamps: number[];
  head: number;
}

export interface RateUsage {
  readonly general: Window;
  readonly search: Window;
  dayStart: number;
  dayCount: number;
}

export const createRateUsage = (): RateUsage => ({
  general: { stamps: [], head: 0 },
  search: { stamps: [], head: 0 },
  dayStart: 0,
  dayCount: 0,
});

const prune = (window: Window, since: number): void => {
  while (window.head < window.stamps.length && window.stamps[window.head]! <= since) window.head += 1;
  if (window.head > 1024 && window.head * 2 > window.stamps.length) {
    window.stamps = window.stamps.slice(window.head);
    window.head = 0;
  }
};

const inWindow = (window: Window): number => window.stamps.length - window.head;

const countSince = (window: Window, since: number): number => {
  let count = 0;
  for (
    let index = window.stamps.length - 1;
    index >= window.head && window.stamps[index]! > since;
    index -= 1
  ) {
    count += 1;
  }
  return count;
};

export type TokenKind = 'private_app' | 'oauth';

export type Admission =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly failure: HubSpotFailure };

const rollDay = (usage: RateUsage, now: number): void => {
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  if (dayStart !== usage.dayStart) {
    usage.dayStart = dayStart;
    usage.dayCount = 0;
  }
};

const dailyHeaders = (limits: RateLimits, usage: RateUsage, kind: TokenKind): Record<string, string> =>
  kind === 'private_app'
    ? {
        'X-HubSpot-RateLimit-Daily': String(limits.daily),
        'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, limits.daily - usage.dayCount)),
      }
    : {};

const rateLimitFailure = (
  message: string,
  policyName: string,
  headers: Record<string, string>,
): HubSpotFailure => ({
  status: 429,
  body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: correlationId(), policyName },
  headers,
});

const tooMany = (message: string, policyName: string, headers: Record<string, string>): Admission => ({
  ok: false,
  failure: rateLimitFailure(message, policyName, headers),
});

/**
 * The 429 of a full window, for a rate limit injected on any route: HubSpot's body for the policy the
 * route falls under (searches have their own per-second limit) and headers showing nothing left.
 */
export const injectedRateLimit = (
  limits: RateLimits,
  usage: RateUsage,
  kind: TokenKind,
  search: boolean,
): HubSpotFailure =>
  search
    ? rateLimitFailure('You have reached your secondly limit.', 'SECONDLY', {
        ...dailyHeaders(limits, usage, kind),
        'X-HubSpot-RateLimit-Secondly': String(limits.searchPerSecond),
        'X-HubSpot-RateLimit-Secondly-Remaining': '0',
      })
    : rateLimitFailure('You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING', {
        ...dailyHeaders(limits, usage, kind),
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS_MS),
        'X-HubSpot-RateLimit-Max': String(limits.tenSecondly),
        'X-HubSpot-RateLimit-Remaining': '0',
        'X-HubSpot-RateLimit-Secondly': String(Math.max(1, Math.floor(limits.tenSecondly / 10))),
        'X-HubSpot-RateLimit-Secondly-Remaining': '0',
      });

/**
 * Admits one ordinary call or refuses it with HubSpot's 429 body. Refused calls are not counted, so a
 * client that waits out the window gets through.
 */
export const admitCall = (limits: RateLimits, usage: RateUsage, now: number, kind: TokenKind): Admission => {
  rollDay(usage, now);
  prune(usage.general, now - TEN_SECONDS_MS);
  const secondly = Math.max(1, Math.floor(limits.tenSecondly / 10));
  const headers = (used: number): Record<string, string> => ({
    ...dailyHeaders(limits, usage, kind),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS_MS),
    'X-HubSpot-RateLimit-Max': String(limits.tenSecondly),
    'X-HubSpot-RateLimit-Remaining': String(Math.max(0, limits.tenSecondly - used)),
    'X-HubSpot-RateLimit-Secondly': String(secondly),
    'X-HubSpot-RateLimit-Secondly-Remaining': String(
      Math.max(0, secondly - countSince(usage.general, now - SECOND_MS)),
    ),
  });
  if (kind === 'private_app' && usage.dayCount >= limits.daily) {
    return tooMany('You have reached your daily limit.', 'DAILY', headers(inWindow(usage.general)));
  }
  if (inWindow(usage.general) >= limits.tenSecondly) {
    return tooMany(
      'You have reached your ten_secondly_rolling limit.',
      'TEN_SECONDLY_ROLLING',
      headers(inWindow(usage.general)),
    );
  }
  usage.general.stamps.push(now);
  usage.dayCount += 1;
  return { ok: true, headers: headers(inWindow(usage.general)) };
};

/**
 * Admits one CRM search call. The SDK retries a search 429 only when the message is exactly
 * "You have reached your secondly limit.", so that text is kept verbatim.
 */
export const admitSearch = (
  limits: RateLimits,
  usage: RateUsage,
  now: number,
  kind: TokenKind,
): Admission => {
  rollDay(usage, now);
  prune(usage.search, now - SECOND_MS);
  const headers = (used: number): Record<string, string> => ({
    ...dailyHeaders(limits, usage, kind),
    'X-HubSpot-RateLimit-Secondly': String(limits.searchPerSecond),
    'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, limits.searchPerSecond - used)),
  });
  if (kind === 'private_app' && usage.dayCount >= limits.daily) {
    return tooMany('You have reached your daily limit.', 'DAILY', headers(inWindow(usage.search)));
  }
  if (inWindow(usage.search) >= limits.searchPerSecond) {
    return tooMany('You have reached your secondly limit.', 'SECONDLY', headers(inWindow(usage.search)));
  }
  usage.search.stamps.push(now);
  usage.dayCount += 1;
  return { ok: true, headers: headers(inWindow(usage.search)) };
};
