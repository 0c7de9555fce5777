import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DEFAULT_RETRY, backoffDelay, retryAfterMs } from './http.ts';
import { createRateLimiter } from './rateLimiter.ts';

/** A clock that only moves when someone sleeps: the limiter's waits are visible and cost no real time. */
const virtualTime = () => {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
  };
};

describe('rolling-window rate limiter', () => {
  it('never lets more than the limit start within any window, however requests are spaced', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 50, max: 1_000 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }),
        async (limit, windowMs, gaps, durations) => {
          const time = virtualTime();
          const limiter = createRateLimiter({ limit, windowMs, clock: time.clock, sleep: time.sleep });
          const counted: number[] = [];
          for (const [index, gap] of gaps.entries()) {
            time.advance(gap);
            const release = await limiter.acquire();
            // The portal counts the request somewhere between its start and its end.
            time.advance(durations[index % durations.length]!);
            counted.push(time.clock());
            release();
          }
          for (const [index, at] of counted.entries()) {
            const inWindow = counted.filter((other, j) => j <= index && other > at - windowMs).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });

  it('lets a burst up to the limit through without waiting, then waits for the window', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ limit: 3, windowMs: 1_000, clock: time.clock, sleep: time.sleep });
    for (let index = 0; index < 3; index += 1) (await limiter.acquire())();
    expect(time.slept).toEqual([]);
    (await limiter.acquire())();
    expect(time.slept.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('holds a request back while the limit is taken by requests still in flight', async () => {
    const time = virtualTime();
    const limiter = createRateLimiter({ limit: 1, windowMs: 100, clock: time.clock, sleep: time.sleep });
    const first = await limiter.acquire();
    let secondStarted = false;
    const second = limiter.acquire().then((release) => {
      secondStarted = true;
      return release;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(secondStarted).toBe(false);
    first();
    (await second)();
    expect(secondStarted).toBe(true);
  });
});

describe('backoff and Retry-After', () => {
  it('grows exponentially up to the cap, with jitter between half and all of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelay(DEFAULT_RETRY, () => r, attempt);
          const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
    expect(backoffDelay(DEFAULT_RETRY, () => 0, 1)).toBe(250);
    expect(backoffDelay(DEFAULT_RETRY, () => 0, 3)).toBe(1_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-05T09:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2_000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Mon, 05 Jan 2026 09:00:03 GMT', now)).toBe(3_000);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});
