import { Client } from '@hubspot/api-client';

import type { SeedDataset } from '../seed/index.ts';
import { createSeedDataset } from '../seed/index.ts';
import type { HubSpotEmulatorOptions, RunningHubSpotEmulator } from './emulator.ts';
import { DEFAULT_PORTAL_ID, startHubSpotEmulator } from './emulator.ts';

// Helpers for the conformance tests: an emulator on 127.0.0.1 port 0, the official SDK pointed at it
// with its own retries and limiter off (so every 429 and 5xx reaches the test), and a hand-moved clock.

export const REFERENCE_DATE = '2026-01-05T00:00:00.000Z';

export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export const manualClock = (start = Date.parse('2026-01-05T09:00:00.000Z')): ManualClock => {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
};

export interface TestEmulator extends RunningHubSpotEmulator {
  readonly token: string;
  client(token?: string): Client;
  /** A raw call for what the SDK cannot send (malformed bodies, headers it hides). */
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

/**
 * No limiter (no `limiterOptions`) and no retries (`numberOfApiCallRetries: 0`). The SDK keeps its
 * decorators in one process-wide service that each new Client resets, so tests build a client per use.
 */
export const sdkClient = (url: string, accessToken: string): Client =>
  new Client({ accessToken, basePath: url, numberOfApiCallRetries: 0 });

export const startTestEmulator = async (options: HubSpotEmulatorOptions = {}): Promise<TestEmulator> => {
  const running = await startHubSpotEmulator({ port: 0, host: '127.0.0.1', ...options });
  const firstPortal = options.portals?.[0]?.portalId ?? DEFAULT_PORTAL_ID;
  const token = running.emulator.privateAppToken(firstPortal);
  if (token === undefined) throw new Error('the first test portal needs a private-app token');
  return {
    ...running,
    token,
    client: (accessToken = token) => sdkClient(running.url, accessToken),
    call: (path, init = {}) => {
      const { token: callToken = token, headers, ...rest } = init;
      return fetch(`${running.url}${path}`, {
        ...rest,
        headers: {
          'Content-Type': 'application/json',
          ...(callToken === null ? {} : { Authorization: `Bearer ${callToken}` }),
          ...(headers as Record<string, string> | undefined),
        },
      });
    },
  };
};

export const seed = (accounts = 100, seedNumber = 7): SeedDataset =>
  createSeedDataset({ seed: seedNumber, accounts, referenceDate: REFERENCE_DATE });

export interface CapturedApiError {
  readonly code: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/** The SDK's ApiException of a call that must fail; a call that succeeds fails the test. */
export const apiError = async (call: Promise<unknown>): Promise<CapturedApiError> => {
  try {
    await call;
  } catch (caught) {
    const error = caught as { code?: unknown; body?: unknown; headers?: unknown };
    if (typeof error.code !== 'number') throw caught;
    return {
      code: error.code,
      body: (error.body ?? {}) as Record<string, unknown>,
      headers: (error.headers ?? {}) as Record<string, string>,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
};

export interface CapturedSocketError {
  readonly name: string;
  readonly type?: string;
  readonly code?: unknown;
  readonly message: string;
}

/**
 * The error of a call that got no HTTP answer at all (the SDK's fetch failed on the socket); a call that
 * succeeds, or fails with an HTTP status, fails the test.
 */
export const socketError = async (call: Promise<unknown>): Promise<CapturedSocketError> => {
  try {
    await call;
  } catch (caught) {
    const error = caught as CapturedSocketError;
    if (typeof error.code === 'number') {
      throw new Error(`expected no HTTP answer, got status ${error.code}`, { cause: caught });
    }
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
};

/** Loosens the SDK's enum typing for filter operators, which the request model types too narrowly. */
export const operator = <T extends string>(name: T) => name as never;
