import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { FaultRule } from './faults.ts';
import { FaultInjector, FaultRuleSchema } from './faults.ts';

// The shared fault injector on its own: rule validation, the seeded rate draw, count limits, the
// per-emulator default bodies, and slow rules handing the request on once their timer has fired.

interface Captured {
  status: number | null;
  headers: Record<string, string>;
  body: unknown;
  passedOn: boolean;
}

const request = (path: string, method = 'GET'): Request =>
  ({ method, path, socket: { destroy: vi.fn() }, get: () => undefined }) as unknown as Request;

/** Runs one request through the middleware and records what it answered, or that it passed it on. */
const run = async (
  middleware: (req: Request, res: Response, next: NextFunction) => Promise<void>,
  req: Request,
): Promise<Captured> => {
  const captured: Captured = { status: null, headers: {}, body: undefined, passedOn: false };
  const res = {
    status(code: number) {
      captured.status = code;
      return res;
    },
    set(headers: Record<string, string>) {
      Object.assign(captured.headers, headers);
      return res;
    },
    json(body: unknown) {
      captured.body = body;
      return res;
    },
  };
  await middleware(req, res as unknown as Response, () => {
    captured.passedOn = true;
  });
  return captured;
};

/** Which of `requests` calls to `path` a fresh injector with `seed` answers with the rule's status. */
const failingCalls = async (seed: number, rule: FaultRule, requests: number): Promise<number[]> => {
  const faults = new FaultInjector(seed);
  faults.add(rule);
  const middleware = faults.middleware();
  const failed: number[] = [];
  for (let call = 0; call < requests; call += 1) {
    const outcome = await run(middleware, request('/crm/v3/objects/companies'));
    if (outcome.status !== null) failed.push(call);
  }
  return failed;
};

const rateRule: FaultRule = { kind: 'status', status: 503, path: '^/crm/', rate: 0.25 };

afterEach(() => {
  vi.useRealTimers();
});

describe('fault rules', () => {
  it('refuses a path that is not a regular expression instead of throwing when the rule is added', () => {
    const parsed = FaultRuleSchema.safeParse({ kind: 'reset', path: '(' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['path']);
    expect(FaultRuleSchema.safeParse({ kind: 'reset', path: '^/crm/(companies|deals)$' }).success).toBe(true);
  });
});

describe('rate-based rules', () => {
  it('fires on the same 51 of 200 requests every time for seed 42, and on other ones for another seed', async () => {
    const first = await failingCalls(42, rateRule, 200);
    expect(first).toHaveLength(51);
    expect(await failingCalls(42, rateRule, 200)).toEqual(first);
    expect(await failingCalls(43, rateRule, 200)).not.toEqual(first);
  });

  it('counts every firing, and draws only for requests the rule matches', async () => {
    const faults = new FaultInjector(42);
    faults.add(rateRule);
    const middleware = faults.middleware();
    const failed: number[] = [];
    for (let call = 0; call < 200; call += 1) {
      // Unmatched traffic in between must not shift which matching requests fail.
      await run(middleware, request('/oauth/v1/token', 'POST'));
      if ((await run(middleware, request('/crm/v3/objects/companies'))).status !== null) failed.push(call);
    }
    expect(failed).toEqual(await failingCalls(42, rateRule, 200));
    expect(faults.hits()).toEqual([{ rule: rateRule, fired: 51 }]);
  });

  it('stops after `count` firings even when the rate would fire more often', async () => {
    const failed = await failingCalls(42, { ...rateRule, rate: 0.5, count: 3 }, 200);
    expect(failed).toHaveLength(3);
  });
});

describe('status rules', () => {
  it('answers with the emulator’s body and headers for the status when the rule names no body', async () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'status', status: 503, path: '^/a$', headers: { 'Retry-After': '1' } });
    faults.add({ kind: 'status', status: 500, path: '^/b$', body: { custom: true } });
    const middleware = faults.middleware((status) => ({
      body: [{ errorCode: `E${status}` }],
      headers: { 'X-Emulator': 'yes', 'Retry-After': '9' },
    }));
    const a = await run(middleware, request('/a'));
    expect(a).toMatchObject({ status: 503, body: [{ errorCode: 'E503' }] });
    expect(a.headers).toEqual({ 'X-Emulator': 'yes', 'Retry-After': '1' });
    const b = await run(middleware, request('/b'));
    expect(b).toMatchObject({ status: 500, body: { custom: true } });
  });

  it('keeps the bare message body for an injector used without an emulator', async () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'status', status: 429, path: '^/a$' });
    expect((await run(faults.middleware(), request('/a'))).body).toEqual({ message: 'Injected fault 429' });
  });
});

describe('slow rules', () => {
  it('holds the request on a timer and passes it on once the timer fires', async () => {
    vi.useFakeTimers();
    const faults = new FaultInjector();
    faults.add({ kind: 'slow', delayMs: 250, path: '^/a$' });
    const next = vi.fn();
    const pending = faults.middleware()(request('/a'), {} as Response, next);
    expect(next).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    await vi.runAllTimersAsync();
    await pending;
    expect(next).toHaveBeenCalledTimes(1);
    expect(faults.hits()[0]?.fired).toBe(1);
  });
});
