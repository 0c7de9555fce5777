import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { RetryPolicy, RetryRun, Verdict } from './retry.ts';
import { HUBSPOT_RETRY, SALESFORCE_RETRY, backoffDelay, withRetries } from './retry.ts';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  jitter: 'equal',
  ...overrides,
});

/** A clock that moves only when the code under test sleeps, and the waits it asked for. */
const virtualTime = () => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    clock: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    pass: (ms: number) => {
      now += ms;
    },
  };
};

const runOn = (time: ReturnType<typeof virtualTime>, retryPolicy: RetryPolicy): RetryRun => ({
  policy: retryPolicy,
  clock: time.clock,
  sleep: time.sleep,
  random: () => 0.5,
});

const transient = (message = 'still failing'): Verdict<never> => ({
  kind: 'retry',
  giveUp: () => new Error(message),
});

const attempts = <T>(...verdicts: Verdict<T>[]) => {
  const numbers: number[] = [];
  return {
    numbers,
    attempt: (number: number): Promise<Verdict<T>> => {
      numbers.push(number);
      return Promise.resolve(verdicts[numbers.length - 1] ?? verdicts.at(-1)!);
    },
  };
};

describe('backoffDelay', () => {
  it('doubles from the base after each failed attempt and stops growing at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy(), () => 1, attempt));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('keeps equal jitter between half the ceiling and all of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
          const delay = backoffDelay(policy({ jitter: 'equal' }), () => r, attempt);
          expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it('keeps full jitter at or above zero and below the ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
          const delay = backoffDelay(policy({ jitter: 'full' }), () => r, attempt);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('takes the drawn share from the injected random source', () => {
    expect(backoffDelay(policy({ jitter: 'equal' }), () => 0, 3)).toBe(200);
    expect(backoffDelay(policy({ jitter: 'equal' }), () => 0.5, 3)).toBe(300);
    expect(backoffDelay(policy({ jitter: 'full' }), () => 0, 3)).toBe(0);
    expect(backoffDelay(policy({ jitter: 'full' }), () => 0.25, 3)).toBe(100);
  });

  it('gives HubSpot three quarters and Salesforce half of the ceiling at a draw of 0.5', () => {
    const waits = (retryPolicy: RetryPolicy) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(retryPolicy, () => 0.5, attempt));
    expect(waits(HUBSPOT_RETRY)).toEqual([375, 750, 1_500, 3_000, 6_000, 12_000, 22_500, 22_500]);
    expect(waits(SALESFORCE_RETRY)).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
  });
});

describe('withRetries', () => {
  it('answers the first value that comes, after waiting the backoff between failed attempts', async () => {
    const time = virtualTime();
    const { attempt, numbers } = attempts(transient(), transient(), { kind: 'done', value: 'answer' });
    let retries = 0;
    const run = { ...runOn(time, policy()), onRetry: () => (retries += 1) };
    await expect(withRetries(run, attempt)).resolves.toBe('answer');
    expect(numbers).toEqual([1, 2, 3]);
    expect(time.slept).toEqual([75, 150]);
    expect(retries).toBe(2);
  });

  it('gives up with the last failure after the last attempt, without waiting after it', async () => {
    const time = virtualTime();
    const { attempt, numbers } = attempts<string>(transient('first'), transient('second'), transient('last'));
    await expect(withRetries(runOn(time, policy({ maxAttempts: 3 })), attempt)).rejects.toThrow('last');
    expect(numbers).toEqual([1, 2, 3]);
    expect(time.slept).toHaveLength(2);
  });

  it('stops retrying when the next attempt would start past the window', async () => {
    const time = virtualTime();
    const { attempt, numbers } = attempts<string>(transient());
    const windowed = policy({ maxAttempts: 100, maxDelayMs: 400, windowMs: 1_000 });
    await expect(withRetries(runOn(time, windowed), attempt)).rejects.toThrow('still failing');
    // 75 + 150 + 300 + 300 (the cap's three quarters) = 825: a fifth attempt would start at 1 125.
    expect(time.slept).toEqual([75, 150, 300, 300]);
    expect(numbers).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts the time the attempts themselves take against the window', async () => {
    const time = virtualTime();
    const numbers: number[] = [];
    const slowAttempt = (number: number): Promise<Verdict<string>> => {
      numbers.push(number);
      time.pass(400);
      return Promise.resolve(transient());
    };
    await expect(withRetries(runOn(time, policy({ windowMs: 1_000 })), slowAttempt)).rejects.toThrow();
    // 400 + 75 + 400 = 875 after the second attempt: with the wait of 150, a third would start at 1 025.
    expect(numbers).toEqual([1, 2]);
    expect(time.slept).toEqual([75]);
  });

  it('waits what the verdict asks instead of the backoff, given the backoff', async () => {
    const time = virtualTime();
    const { attempt } = attempts<string>(
      { kind: 'retry', giveUp: () => new Error('rate limited'), wait: () => 3_000 },
      { kind: 'retry', giveUp: () => new Error('locked'), wait: (backoffMs) => Math.max(backoffMs, 2_000) },
      { kind: 'done', value: 'answer' },
    );
    await expect(withRetries(runOn(time, policy()), attempt)).resolves.toBe('answer');
    expect(time.slept).toEqual([3_000, 2_000]);
  });

  it('goes again at once after a mended failure, which still uses one of the attempts', async () => {
    const time = virtualTime();
    const { attempt, numbers } = attempts<string>(
      { kind: 'retry_at_once', giveUp: () => new Error('renewed') },
      transient(),
      { kind: 'done', value: 'answer' },
    );
    let retries = 0;
    const run = { ...runOn(time, policy()), onRetry: () => (retries += 1) };
    await expect(withRetries(run, attempt)).resolves.toBe('answer');
    expect(numbers).toEqual([1, 2, 3]);
    expect(time.slept).toEqual([150]);
    expect(retries).toBe(2);
  });

  it('lets a failure thrown by an attempt through at once', async () => {
    const time = virtualTime();
    const numbers: number[] = [];
    const refused = (number: number): Promise<Verdict<string>> => {
      numbers.push(number);
      return Promise.reject(new Error('refused'));
    };
    await expect(withRetries(runOn(time, policy()), refused)).rejects.toThrow('refused');
    expect(numbers).toEqual([1]);
    expect(time.slept).toEqual([]);
  });
});
