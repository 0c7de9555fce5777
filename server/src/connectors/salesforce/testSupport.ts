import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { tenantIdOf } from '../../model.ts';
import type { SyncCursor, SyncKind } from '../../model.ts';
import type { PullPage } from '../ports.ts';
import type {
  SalesforceEmulator,
  SalesforceEmulatorOptions,
} from '../../../../sandbox/src/salesforce/index.ts';
import { createSalesforceEmulator } from '../../../../sandbox/src/salesforce/index.ts';
import type { SalesforceOrg } from '../../../../sandbox/src/salesforce/org.ts';
import type { SeedDataset } from '../../../../sandbox/src/seed/index.ts';
import { createSeedDataset } from '../../../../sandbox/src/seed/index.ts';
import type { SalesforceConnector, SalesforceConnectorOptions } from './connector.ts';
import { createSalesforceConnector } from './connector.ts';
import { SALESFORCE_API_VERSION } from './fields.ts';

// The Salesforce emulator on 127.0.0.1 behind a recorder: every request the connector makes is kept
// (method, path, decoded SOQL, status, parsed body and JSON answer), so tests count calls exactly
// and see which records a retry resent. Its clock is the test's: it moves only when told to.

export const START_MS = Date.parse('2026-07-01T12:00:00.000Z');
export const REFERENCE_DATE = '2026-07-01T00:00:00.000Z';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The SOQL of a query or queryAll call. */
  readonly soql: string | null;
  readonly status: number;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
  readonly answer: unknown;
  /** Made by the test itself (setup, checks), not by the connector. */
  readonly byTest: boolean;
}

export interface TestOrg extends SalesforceEmulator {
  readonly url: string;
  readonly requests: RecordedRequest[];
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

const TEST_HEADER = 'x-abm-test';

export async function startTestOrg(options: SalesforceEmulatorOptions = {}): Promise<TestOrg> {
  let now = START_MS;
  const emulator = createSalesforceEmulator({ clock: () => now, ...options });
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let answer: unknown = null;
    // An own property outlives the prototype Express gives the response, so every JSON answer passes here.
    const json = function (this: typeof res & { json(body: unknown): unknown }, body: unknown) {
      answer = body;
      return (Object.getPrototypeOf(this) as { json(body: unknown): unknown }).json.call(this, body);
    };
    Object.assign(res, { json });
    res.on('close', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        soql: url.searchParams.get('q'),
        status: res.writableFinished ? res.statusCode : 0,
        body: (req as { body?: unknown }).body ?? null,
        answer,
        byTest: req.headers[TEST_HEADER] === '1',
      });
    });
    emulator.app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(emulator, {
    url: `http://127.0.0.1:${port}`,
    requests,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  });
}

const datasets = new Map<number, SeedDataset>();

/** The shared seed generator's business, built once per size for the whole test file. */
export function seedDataset(accounts: number): SeedDataset {
  let dataset = datasets.get(accounts);
  if (!dataset) {
    dataset = createSeedDataset({ seed: 7, accounts, referenceDate: REFERENCE_DATE });
    datasets.set(accounts, dataset);
  }
  return dataset;
}

export interface SleepLog {
  readonly delays: number[];
  sleep(ms: number): Promise<void>;
}

/** Records the waits the connector asks for and returns at once: tests never wait for real. */
export function sleepLog(): SleepLog {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

export function tenantOf(org: SalesforceOrg) {
  return {
    id: tenantIdOf('salesforce', org.orgId),
    crm: 'salesforce' as const,
    externalId: org.orgId,
    name: org.name,
    language: 'en' as const,
  };
}

export function connectorFor(
  testOrg: TestOrg,
  overrides: Partial<SalesforceConnectorOptions> & { readonly org?: SalesforceOrg } = {},
): SalesforceConnector {
  const { org = testOrg.org, ...rest } = overrides;
  return createSalesforceConnector({
    tenant: tenantOf(org),
    loginUrl: testOrg.url,
    auth: { kind: 'client_credentials', clientId: org.clientId, clientSecret: org.clientSecret },
    sleep: sleepLog().sleep,
    random: () => 0.5,
    ...rest,
  });
}

export async function collect<K extends SyncKind>(
  connector: SalesforceConnector,
  kind: K,
  since: SyncCursor | null,
): Promise<PullPage<K>[]> {
  const pages: PullPage<K>[] = [];
  for await (const page of connector.pull(kind, since)) pages.push(page);
  return pages;
}

/**
 * A REST call made by the test through the org's own API, as any other client would: as the org's
 * integration user, or as `asUser` (a User id), as if that person had made the change in Salesforce.
 */
export async function rest(
  testOrg: TestOrg,
  method: string,
  path: string,
  body?: unknown,
  org: SalesforceOrg = testOrg.org,
  asUser?: string,
): Promise<unknown> {
  const response = await fetch(`${testOrg.url}/services/data/v${SALESFORCE_API_VERSION}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${testOrg.issueAccessToken(org.orgId, asUser)}`,
      'Content-Type': 'application/json',
      [TEST_HEADER]: '1',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return null;
  const answer: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Every record of a SOQL query, through query and queryMore. */
export async function soql(
  testOrg: TestOrg,
  query: string,
  org: SalesforceOrg = testOrg.org,
): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let page = (await rest(testOrg, 'GET', `/query?q=${encodeURIComponent(query)}`, undefined, org)) as {
    records: Record<string, unknown>[];
    nextRecordsUrl?: string;
  };
  records.push(...page.records);
  while (page.nextRecordsUrl) {
    const locator = page.nextRecordsUrl.split('/').at(-1) ?? '';
    page = (await rest(testOrg, 'GET', `/query/${locator}`, undefined, org)) as typeof page;
    records.push(...page.records);
  }
  return records;
}

/**
 * Updates accounts through sObject Collections, 200 at a time, all at the org's current second, as the
 * integration user or as `asUser`.
 */
export async function updateAccounts(
  testOrg: TestOrg,
  ids: readonly string[],
  values: (id: string, index: number) => Record<string, unknown>,
  asUser?: string,
): Promise<void> {
  for (let index = 0; index < ids.length; index += 200) {
    const records = ids
      .slice(index, index + 200)
      .map((id, offset) => ({ attributes: { type: 'Account' }, id, ...values(id, index + offset) }));
    await rest(testOrg, 'PATCH', '/composite/sobjects', { allOrNone: true, records }, testOrg.org, asUser);
  }
}

/** Calls the connector made (not the test), optionally only those whose path matches. */
export const connectorCalls = (testOrg: TestOrg, path?: RegExp): RecordedRequest[] =>
  testOrg.requests.filter(
    (request) =>
      !request.byTest &&
      request.path.startsWith('/services/data/') &&
      (path === undefined || path.test(request.path)),
  );

/** Live rows of a table straight from the emulator's store: the truth pulls are compared with. */
export function liveRows(testOrg: TestOrg, sobject: string, org: SalesforceOrg = testOrg.org) {
  const table = org.data.tables.get(sobject as 'Account');
  return [...(table?.values() ?? [])].filter((row) => row['IsDeleted'] !== true);
}
