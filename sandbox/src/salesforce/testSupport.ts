import { Connection } from 'jsforce';
import { setDefaults } from 'jsforce/lib/request';

import type { SalesforceEmulatorOptions, StartedSalesforceEmulator } from './emulator.ts';
import { startSalesforceEmulator } from './emulator.ts';
import type { SalesforceOrg } from './org.ts';
import type { StoredValue } from './schema.ts';
import { insertTrusted } from './store.ts';

// Helpers for the emulator's own tests: a started emulator with a settable clock, jsforce connections
// logged in the way the sync server logs in, and fast bulk inserts that bypass the API.

/** jsforce retries failed GETs for ~15 s by default; the tests want to see each failure once. */
setDefaults({ retry: { maxRetries: 0 } });

export const API_VERSION = '66.0';
export const START_MS = Date.parse('2026-07-01T12:00:00.000Z');

export interface TestEmulator extends StartedSalesforceEmulator {
  /** Moves the emulator's clock. */
  advance(ms: number): void;
  now(): number;
}

export async function startTestEmulator(options: SalesforceEmulatorOptions = {}): Promise<TestEmulator> {
  let now = START_MS;
  const emulator = await startSalesforceEmulator({ clock: () => now, ...options });
  return Object.assign(emulator, {
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  });
}

/** Client-credentials login; a 401 re-runs the flow, since that flow issues no refresh token. */
export async function connectWithClientCredentials(
  emulator: StartedSalesforceEmulator,
  org: SalesforceOrg = emulator.org,
): Promise<Connection> {
  const conn = new Connection({
    loginUrl: emulator.url,
    version: API_VERSION,
    oauth2: { clientId: org.clientId, clientSecret: org.clientSecret, loginUrl: emulator.url },
    refreshFn: (connection, callback) => {
      connection.oauth2
        .requestToken({ grant_type: 'client_credentials' })
        .then((token) => callback(null, token.access_token, token))
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** Adds `count` accounts straight into the store (numbered names, for ordering checks). */
export function insertAccounts(
  org: SalesforceOrg,
  count: number,
  nowMs: number,
  extra: (index: number) => Readonly<Record<string, StoredValue>> = () => ({}),
): string[] {
  const ctx = { now: nowMs, userId: org.data.integrationUserId };
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(
      insertTrusted(
        org.data,
        'Account',
        { Name: `Account ${String(index).padStart(6, '0')}`, ...extra(index) },
        ctx,
      ),
    );
  }
  return ids;
}

/** The error jsforce throws for a Salesforce error response: name and errorCode are the wire errorCode. */
export interface JsforceApiError {
  readonly name: string;
  readonly errorCode: string;
  readonly message: string;
  readonly data?: unknown;
}

export async function failureOf(promise: PromiseLike<unknown>): Promise<JsforceApiError> {
  try {
    await promise;
  } catch (error) {
    return error as JsforceApiError;
  }
  throw new Error('expected the call to fail');
}
