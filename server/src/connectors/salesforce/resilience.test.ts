import { afterEach, describe, expect, it } from 'vitest';

import { ConnectorFailure } from '../ports.ts';
import { backoffDelay, dispositionOf, parseLimitInfo } from './http.ts';
import type { TestOrg } from './testSupport.ts';
import {
  collect,
  connectorCalls,
  connectorFor,
  liveRows,
  seedDataset,
  sleepLog,
  soql,
  startTestOrg,
} from './testSupport.ts';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function seededOrg(
  accounts: number,
  options: Parameters<typeof startTestOrg>[0] = {},
): Promise<TestOrg> {
  org = await startTestOrg(options);
  org.loadSeed(seedDataset(accounts), { contacts: false, opportunities: false, engagements: false });
  return org;
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorFailure) return error;
    throw error;
  }
  throw new Error('expected a ConnectorFailure');
}

const tokenRequests = (testOrg: TestOrg) =>
  testOrg.requests.filter((request) => request.path === '/services/oauth2/token');

describe('transient failures', () => {
  it('survives 5xx answers and connection resets on queries, backing off with jitter', async () => {
    const testOrg = await seededOrg(5_000);
    testOrg.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/query$', count: 2 });
    testOrg.faults.add({ kind: 'reset', method: 'GET', path: '/query/', count: 1 });
    testOrg.faults.add({ kind: 'status', status: 500, method: 'GET', path: '/query/', count: 1 });
    const sleeps = sleepLog();
    const connector = connectorFor(testOrg, { sleep: sleeps.sleep, random: () => 0.5 });

    const pages = await collect(connector, 'accounts', null);
    expect(new Set(pages.flatMap((page) => page.records.map((record) => record.crmId))).size).toBe(5_000);
    expect(pages).toHaveLength(3);
    const statuses = connectorCalls(testOrg, /\/query/).map((call) => call.status);
    expect(statuses).toEqual([503, 503, 200, 0, 500, 200, 200]);
    expect(connector.usage()).toMatchObject({ retries: 4, rateLimited: 0 });
    // Half of 0.5 s · 2^attempt, restarting for each call.
    expect(sleeps.delays).toEqual([250, 500, 250, 500]);
  });

  it('retries the writes of a batch answered 503 and writes each record once', async () => {
    const testOrg = await seededOrg(300);
    testOrg.faults.add({
      kind: 'status',
      status: 503,
      method: 'PATCH',
      path: '/composite/sobjects$',
      count: 1,
    });
    testOrg.faults.add({ kind: 'reset', method: 'PATCH', path: '/composite/sobjects$', count: 1 });
    const ids = liveRows(testOrg, 'Account').map((row) => String(row['Id']));
    const connector = connectorFor(testOrg);
    const outcome = await connector.writeAccounts(ids.map((crmId) => ({ crmId, fields: { score: 7 } })));
    expect(outcome.failed).toEqual([]);
    expect(outcome.written).toHaveLength(300);
    const rows = await soql(testOrg, 'SELECT Id FROM Account WHERE ABM_Score__c = 7');
    expect(rows).toHaveLength(300);
  });

  it('gives up with crm_unavailable after a bounded number of attempts', async () => {
    const testOrg = await seededOrg(100);
    testOrg.faults.add({ kind: 'status', status: 500, method: 'GET', path: '/query$' });
    const connector = connectorFor(testOrg);
    const failure = await failureOf(collect(connector, 'owners', null));
    expect(failure.failure.code).toBe('crm_unavailable');
    expect(connectorCalls(testOrg, /\/query$/)).toHaveLength(5);
  });

  it('decides per failure: retry 5xx, 429, resets and row locks; re-authorise 401; stop on limits', () => {
    expect(dispositionOf(null, 'FetchError')).toBe('retry');
    expect(dispositionOf(503, 'SERVER_UNAVAILABLE')).toBe('retry');
    expect(dispositionOf(429, 'Error')).toBe('retry');
    expect(dispositionOf(400, 'UNABLE_TO_LOCK_ROW')).toBe('retry');
    expect(dispositionOf(401, 'INVALID_SESSION_ID')).toBe('reauthorize');
    expect(dispositionOf(403, 'REQUEST_LIMIT_EXCEEDED')).toBe('limit_exceeded');
    expect(dispositionOf(400, 'MALFORMED_QUERY')).toBe('fail');
    expect(parseLimitInfo('api-usage=18/5000')).toEqual({ used: 18, limit: 5000 });
    expect(backoffDelay(10, () => 0.999)).toBeLessThan(8_000);
  });
});

describe('sessions', () => {
  it('re-authorises once when the session expired and replays the call', async () => {
    const testOrg = await seededOrg(100);
    const connector = connectorFor(testOrg);
    await collect(connector, 'owners', null);
    expect(testOrg.expireTokens()).toBeGreaterThan(0);
    const pages = await collect(connector, 'accounts', null);
    expect(pages.flatMap((page) => page.records)).toHaveLength(100);
    expect(tokenRequests(testOrg)).toHaveLength(2);
    expect(connectorCalls(testOrg).map((call) => call.status)).toContain(401);
  });

  it('fails with auth_failed when a fresh session is refused too', async () => {
    const testOrg = await seededOrg(100);
    testOrg.faults.add({
      kind: 'status',
      status: 401,
      path: '/query$',
      count: 2,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    });
    const failure = await failureOf(collect(connectorFor(testOrg), 'owners', null));
    expect(failure.failure.code).toBe('auth_failed');
    expect(tokenRequests(testOrg)).toHaveLength(2);
  });

  it('signs in with a refresh token as well', async () => {
    const testOrg = await seededOrg(100);
    const { clientId, clientSecret, refreshToken } = testOrg.org;
    const connector = connectorFor(testOrg, {
      auth: { kind: 'refresh_token', clientId, clientSecret, refreshToken },
    });
    expect(await connector.prepare()).toEqual({ ok: true, value: { created: [] } });
    expect(tokenRequests(testOrg)[0]!.body).toMatchObject({ grant_type: 'refresh_token' });
  });
});

describe('API budget', () => {
  it("stops a run with api_budget_exhausted once it has used its share, before the org's limit is hit", async () => {
    const testOrg = await seededOrg(5_000);
    testOrg.setApiBudget(1_000, { used: 994 });
    const connector = connectorFor(testOrg, { budgetShare: 0.5 });
    await collect(connector, 'owners', null);
    const saved: number[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const page of connector.pull('accounts', null)) saved.push(page.records.length);
      })(),
    );
    expect(failure.failure.code).toBe('api_budget_exhausted');
    // Six calls remained: a half share is three (owners, Account describe, the first batch).
    expect(saved).toEqual([2_000]);
    expect(connector.usage()).toMatchObject({ calls: 3, rateLimited: 0 });
    expect(testOrg.requests.some((request) => request.status === 403)).toBe(false);

    // The next run gets half of what is left then: three calls remain, so one call.
    connector.beginRun();
    const next = await failureOf(collect(connector, 'accounts', null));
    expect(next.failure.code).toBe('api_budget_exhausted');
    expect(connector.usage().calls).toBe(4);
  });

  it('counts what other clients spend from the org during the run against its share', async () => {
    const testOrg = await seededOrg(5_000);
    testOrg.setApiBudget(1_000, { used: 900 });
    const connector = connectorFor(testOrg, { budgetShare: 0.5 });
    await connector.prepare();
    const saved: number[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const page of connector.pull('accounts', null)) {
          saved.push(page.records.length);
          // Another integration spends 60 calls of the 100 that were left.
          if (saved.length === 1) testOrg.setApiBudget(1_000, { used: 960 });
        }
      })(),
    );
    expect(failure.failure.code).toBe('api_budget_exhausted');
    expect(saved).toEqual([2_000, 2_000]);
    expect(connector.usage().calls).toBeLessThan(50);
  });

  it('turns REQUEST_LIMIT_EXCEEDED into rate_limited', async () => {
    const testOrg = await seededOrg(100);
    testOrg.setApiBudget(100, { used: 100 });
    const connector = connectorFor(testOrg, { budgetShare: 1 });
    const failure = await failureOf(collect(connector, 'owners', null));
    expect(failure.failure.code).toBe('rate_limited');
    expect(connector.usage()).toMatchObject({ calls: 1, rateLimited: 1 });
  });
});

describe('tenant isolation', () => {
  it("refuses another org's credentials for this tenant and cannot read or write another org's records", async () => {
    const testOrg = await startTestOrg({ orgs: [{}, {}] });
    org = testOrg;
    const [orgA, orgB] = testOrg.orgs as [(typeof testOrg.orgs)[0], (typeof testOrg.orgs)[0]];
    testOrg.loadSeed(seedDataset(100), {
      orgId: orgA.orgId,
      contacts: false,
      opportunities: false,
      engagements: false,
    });

    const mismatched = connectorFor(testOrg, {
      org: orgA,
      auth: { kind: 'client_credentials', clientId: orgB.clientId, clientSecret: orgB.clientSecret },
    });
    const refused = await mismatched.prepare();
    expect(refused.ok ? null : refused.error.code).toBe('auth_failed');
    expect(connectorCalls(testOrg)).toHaveLength(0);

    const inB = connectorFor(testOrg, { org: orgB });
    const pulled = await collect(inB, 'accounts', null);
    expect(pulled.flatMap((page) => page.records)).toEqual([]);
    const idInA = String(liveRows(testOrg, 'Account', orgA)[0]!['Id']);
    const outcome = await inB.writeAccounts([{ crmId: idInA, fields: { score: 99 } }]);
    expect(outcome.written).toEqual([]);
    expect(outcome.failed).toMatchObject([{ id: idInA }]);
    const [row] = await soql(testOrg, `SELECT ABM_Score__c FROM Account WHERE Id = '${idInA}'`, orgA);
    expect(row?.['ABM_Score__c']).toBeNull();
  });
});
