import type { Instant } from '@abm-pilot/shared';

// HubSpot counts requests in a rolling window (190 per 10 s, search 5 per second) at the moment they
// arrive. A classic token bucket of capacity C refilling C per window lets 2·C through in one rolling
// window (a full bucket, then a full refill), which the portal answers with 429s. So this limiter keeps
// the window itself: a request may start only when fewer than `limit` requests were in flight or
// finished within the last `windowMs`. A finished request is dated by its completion, which is no
// earlier than the moment HubSpot counted it, so the portal's window can never hold more than `limit`.

export interface RateLimiter {
  /** Resolves when a request may start; call the returned function once the response is in. */
  acquire(): Promise<() => void>;
}

export interface RateLimiterOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: () => Instant;
  readonly sleep: (ms: number) => Promise<void>;
}

const IN_FLIGHT = Number.POSITIVE_INFINITY;

export const createRateLimiter = (options: RateLimiterOptions): RateLimiter => {
  const { limit, windowMs, clock, sleep } = options;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`rate limit must be a positive integer: ${limit}`);
  /** Completion instants of recent requests; IN_FLIGHT while a request is still out. */
  const slots: number[] = [];
  let releaseWaiters: (() => void)[] = [];
  // Acquisitions are served one after the other so that waiters keep their order.
  let queue: Promise<unknown> = Promise.resolve();

  const prune = (now: Instant): void => {
    for (let index = slots.length - 1; index >= 0; index -= 1) {
      if (slots[index]! <= now - windowMs) slots.splice(index, 1);
    }
  };

  const take = async (): Promise<() => void> => {
    for (;;) {
      const now = clock();
      prune(now);
      if (slots.length < limit) {
        slots.push(IN_FLIGHT);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          // In-flight markers are interchangeable until they finish, so any one of them will do.
          const position = slots.indexOf(IN_FLIGHT);
          if (position >= 0) slots[position] = clock();
          const waiters = releaseWaiters;
          releaseWaiters = [];
          for (const wake of waiters) wake();
        };
      }
      const finished = slots.filter((at) => at !== IN_FLIGHT);
      if (finished.length === 0) {
        await new Promise<void>((resolve) => releaseWaiters.push(resolve));
        continue;
      }
      const oldest = Math.min(...finished);
      await sleep(Math.max(1, oldest + windowMs - now + 1));
    }
  };

  return {
    acquire: () => {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
};
