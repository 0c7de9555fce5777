import { createHmac } from 'node:crypto';

import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';

import type { JsforceApiError, TestEmulator } from './testSupport.ts';
import {
  API_VERSION,
  connectWithClientCredentials,
  failureOf,
  insertAccounts,
  startTestEmulator,
} from './testSupport.ts';

// Conformance of the Salesforce emulator, driven over real HTTP with jsforce 3, the client the sync
// server uses. Each test starts its own emulator on 127.0.0.1, port 0.

interface SaveResultWire {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

let emulator: TestEmulator | undefined;

async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  emulator = await startTestEmulator(options);
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('OAuth token endpoint', () => {
  it('answers client credentials with the Salesforce token shape and a verifiable signature', async () => {
    const emu = await start();
    const response = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.org.clientId,
        client_secret: emu.org.clientSecret,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(
      ['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type'].sort(),
    );
    expect(body['instance_url']).toBe(emu.url);
    expect(body['token_type']).toBe('Bearer');
    expect(body['id']).toBe(`${emu.url}/id/${emu.org.orgId}/${emu.org.data.integrationUserId}`);
    const expected = createHmac('sha256', emu.org.clientSecret)
      .update(`${body['id']}${body['issued_at']}`)
      .digest('base64');
    expect(body['signature']).toBe(expected);
  });

  it('logs jsforce in with client credentials and points it at the instance URL', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    expect(conn.instanceUrl).toBe(emu.url);
    expect(conn.userInfo?.organizationId).toBe(emu.org.orgId);
    const result = await conn.query<{ Id: string }>('SELECT Id FROM User');
    expect(result.totalSize).toBe(1);
  });

  it('rejects a wrong client secret with invalid_client and an unknown client with invalid_client_id', async () => {
    const emu = await start();
    const post = (form: Record<string, string>) =>
      fetch(`${emu.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    const wrongSecret = await post({
      grant_type: 'client_credentials',
      client_id: emu.org.clientId,
      client_secret: 'x',
    });
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const unknown = await post({ grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' });
    expect(await unknown.json()).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
  });

  it('answers Basic credentials that are not URL-encoding with 400 invalid_client, and keeps serving', async () => {
    const emu = await start();
    const response = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('%zz:x').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const conn = await connectWithClientCredentials(emu);
    expect((await conn.query('SELECT Id FROM User')).totalSize).toBe(1);
  });

  it('answers an expired token with 401 INVALID_SESSION_ID when the client cannot refresh', async () => {
    const emu = await start();
    const conn = new Connection({
      instanceUrl: emu.url,
      accessToken: emu.issueAccessToken(),
      version: API_VERSION,
    });
    await conn.query('SELECT Id FROM Account');
    emu.expireTokens();
    const failure = await failureOf(conn.query('SELECT Id FROM Account'));
    expect(failure.errorCode).toBe('INVALID_SESSION_ID');
    expect(failure.message).toBe('Session expired or invalid');
  });

  it('lets jsforce refresh an expired session with its refresh token and replay the call', async () => {
    const emu = await start({ tokenTtlMs: 60_000 });
    const conn = new Connection({
      instanceUrl: emu.url,
      accessToken: emu.issueAccessToken(),
      refreshToken: emu.org.refreshToken,
      version: API_VERSION,
      oauth2: { clientId: emu.org.clientId, clientSecret: emu.org.clientSecret, loginUrl: emu.url },
    });
    const firstToken = conn.accessToken;
    emu.advance(61_000);
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBe(1);
    expect(conn.accessToken).not.toBe(firstToken);
  });

  it('lets a client-credentials connection log in again after its token expires', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const firstToken = conn.accessToken;
    emu.expireTokens();
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBe(1);
    expect(conn.accessToken).not.toBe(firstToken);
  });
});

describe('query and queryMore', () => {
  it('returns 2,000 records per batch with a nextRecordsUrl, and autoFetch reads to the end', async () => {
    const emu = await start();
    insertAccounts(emu.org, 4500, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const first = await conn.query<{ Id: string }>('SELECT Id, Name FROM Account');
    expect(first.totalSize).toBe(4500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/query\/01g\w{15}-2000$/);
    const all = await conn
      .query<{ Id: string }>('SELECT Id, Name FROM Account')
      .autoFetch(true)
      .maxFetch(100_000);
    expect(all.records).toHaveLength(4500);
    expect(new Set(all.records.map((record) => record.Id)).size).toBe(4500);
  });

  it('walks nextRecordsUrl by hand with queryMore until done', async () => {
    const emu = await start();
    insertAccounts(emu.org, 2500, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const first = await conn.query('SELECT Id FROM Account ORDER BY Name DESC');
    expect(first.nextRecordsUrl).toBeDefined();
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.done).toBe(true);
    expect(second.records).toHaveLength(500);
    expect(second.nextRecordsUrl).toBeUndefined();
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    const emu = await start();
    insertAccounts(emu.org, 700, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const batch = await conn.query('SELECT Id FROM Account', {
      headers: { 'Sforce-Query-Options': 'batchSize=300' },
    });
    expect(batch.records).toHaveLength(300);
    expect(batch.done).toBe(false);
  });

  it('answers an unknown locator with INVALID_QUERY_LOCATOR', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const failure = await failureOf(conn.queryMore('01g000000000000AAA-2000'));
    expect(failure.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('resolves parent relationship fields and filters, sorts and pages on them', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const accounts = await conn.sobject('Account').create([
      { Name: 'Zeta Corp', ABM_Tier__c: 'Tier 1', ABM_Score__c: 91 },
      { Name: 'alpha GmbH', ABM_Tier__c: 'Tier 2', ABM_Score__c: 55 },
      { Name: 'Beta SA', ABM_Score__c: 12 },
    ]);
    const [zeta] = accounts as SaveResultWire[];
    await conn
      .sobject('Contact')
      .create({ LastName: 'Doe', AccountId: zeta!.id, ABM_Buying_Role__c: 'champion' });
    const contacts = await conn.query<{ Account: { Name: string; Owner: { Name: string } } }>(
      "SELECT Id, Account.Name, Account.Owner.Name FROM Contact WHERE Account.Name LIKE 'zeta%'",
    );
    expect(contacts.records[0]?.Account.Name).toBe('Zeta Corp');
    expect(contacts.records[0]?.Account.Owner.Name).toBe('Integration User');
    const sorted = await conn.query<{ Name: string; ABM_Tier__c: string | null }>(
      "SELECT Name, ABM_Tier__c FROM Account WHERE (ABM_Score__c > 50 OR ABM_Tier__c = null) AND Name != 'x' ORDER BY ABM_Tier__c DESC NULLS LAST, Name LIMIT 2 OFFSET 1",
    );
    expect(sorted.records.map((record) => record.Name)).toEqual(['Zeta Corp', 'Beta SA']);
    const dated = await conn.query(
      'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:1 AND CreatedDate < TOMORROW',
    );
    expect(dated.totalSize).toBe(3);
    const counted = await conn.query("SELECT COUNT() FROM Account WHERE ABM_Tier__c IN ('Tier 1', 'Tier 2')");
    expect(counted).toMatchObject({ totalSize: 2, done: true, records: [] });
  });

  it('includes deleted records with IsDeleted = true in queryAll only', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const created = (await conn.sobject('Account').create({ Name: 'Gone Ltd' })) as SaveResultWire;
    await conn.sobject('Account').create({ Name: 'Stays Ltd' });
    await conn.sobject('Account').destroy(created.id!);
    const live = await conn.query<{ Name: string }>('SELECT Name FROM Account');
    expect(live.records.map((record) => record.Name)).toEqual(['Stays Ltd']);
    const everything = await conn.query<{ Name: string; IsDeleted: boolean }>(
      'SELECT Name, IsDeleted FROM Account ORDER BY Name',
      { scanAll: true },
    );
    expect(everything.records.map((record) => [record.Name, record.IsDeleted])).toEqual([
      ['Gone Ltd', true],
      ['Stays Ltd', false],
    ]);
  });

  it('answers malformed SOQL with 400 MALFORMED_QUERY and Salesforce’s positioned message', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const failure = await failureOf(conn.query('SELECT Id FRM Account'));
    expect(failure.errorCode).toBe('MALFORMED_QUERY');
    expect(failure.message).toBe(
      "\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'",
    );
    const mixed = await failureOf(
      conn.query("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"),
    );
    expect(mixed.errorCode).toBe('MALFORMED_QUERY');
  });

  it('answers out-of-range date literals, deep nesting and a duplicate field with MALFORMED_QUERY, and keeps serving', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    insertAccounts(emu.org, 1, emu.now());
    const queries = [
      'SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS:999999999',
      'SELECT Id FROM Account WHERE CreatedDate = LAST_N_YEARS:300000',
      `SELECT Id FROM Account WHERE ${'('.repeat(6000)}Name = 'a'${')'.repeat(6000)}`,
      'SELECT Id, Id FROM Account',
    ];
    for (const soql of queries) {
      const failure = await failureOf(conn.query(soql));
      expect(failure.errorCode).toBe('MALFORMED_QUERY');
      expect(failure.message).toMatch(/\nERROR at Row:1:Column:\d+\n/);
    }
    expect((await failureOf(conn.query('SELECT Id, Id FROM Account'))).message).toMatch(
      /duplicate field selected: Id$/,
    );
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(1);
  });

  it('answers unknown fields with INVALID_FIELD and unknown objects with INVALID_TYPE', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    expect((await failureOf(conn.query('SELECT Id, Nope__c FROM Account'))).errorCode).toBe('INVALID_FIELD');
    expect((await failureOf(conn.query('SELECT Id FROM Widget__c'))).errorCode).toBe('INVALID_TYPE');
    const typed = await failureOf(conn.query("SELECT Id FROM Account WHERE CreatedDate > '2026-01-01'"));
    expect(typed.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  });
});

describe('describe and custom fields', () => {
  it('describes the ABM custom fields on Account with their types and picklist values', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const describe = await conn.describe('Account');
    const tier = describe.fields.find((field) => field.name === 'ABM_Tier__c');
    expect(tier).toMatchObject({ type: 'picklist', custom: true, updateable: true, label: 'ABM Tier' });
    expect(tier?.picklistValues?.map((value) => value.value)).toEqual(['Tier 1', 'Tier 2', 'Tier 3']);
    const due = describe.fields.find((field) => field.name === 'ABM_Next_SLA_Due__c');
    expect(due).toMatchObject({ type: 'datetime', custom: true });
    expect(describe.keyPrefix).toBe('001');
  });

  it('makes a missing custom field detectable in describe and rejected in SOQL and writes', async () => {
    const emu = await start({ orgs: [{ omitFields: ['Account.ABM_SLA_Status__c'] }] });
    const conn = await connectWithClientCredentials(emu);
    const names = (await conn.describe('Account')).fields.map((field) => field.name);
    expect(names).toContain('ABM_Tier__c');
    expect(names).not.toContain('ABM_SLA_Status__c');
    const query = await failureOf(conn.query('SELECT ABM_SLA_Status__c FROM Account'));
    expect(query.errorCode).toBe('INVALID_FIELD');
    const write = await failureOf(
      conn.sobject('Account').create({ Name: 'X', ABM_SLA_Status__c: 'at_risk' }),
    );
    expect(write.errorCode).toBe('INVALID_FIELD');
    expect(write.message).toBe("No such column 'ABM_SLA_Status__c' on sobject of type Account");
  });
});

describe('single-record writes', () => {
  it('creates with 201, updates with 204 and moves SystemModstamp and LastModifiedDate, to the second, on each change', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const created = (await conn.sobject('Account').create({ Name: 'Acme' })) as SaveResultWire;
    expect(created).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    const before = await conn.sobject('Account').retrieve(created.id!);
    emu.advance(5_250);
    const updated = await conn
      .sobject('Account')
      .update({ Id: created.id!, ABM_Tier__c: 'Tier 2', ABM_Target__c: true });
    expect(updated).toEqual({ id: created.id, success: true, errors: [] });
    const after = await conn.sobject('Account').retrieve(created.id!);
    expect(after['ABM_Tier__c']).toBe('Tier 2');
    expect(after['SystemModstamp']).not.toBe(before['SystemModstamp']);
    expect(after['LastModifiedDate']).toBe('2026-07-01T12:00:05.000+0000');
    expect(after['SystemModstamp']).toBe('2026-07-01T12:00:05.000+0000');
  });

  it('reports validation failures as Salesforce errors with fields', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const missing = await failureOf(conn.sobject('Opportunity').create({ Amount: 10 }));
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toBe('Required fields are missing: [Name, StageName, CloseDate]');
    const picklist = await failureOf(conn.sobject('Account').create({ Name: 'X', ABM_Tier__c: 'Tier 9' }));
    expect(picklist.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });
});

describe('sObject Collections', () => {
  it('creates records one result each, in order, with per-record statusCode errors', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const results = (await conn
      .sobject('Account')
      .create([
        { Name: 'One' },
        { Name: 'Two', ABM_Tier__c: 'Gold' },
        { Name: 'Three', ABM_Score__c: 72 },
      ])) as SaveResultWire[];
    expect(results.map((result) => result.success)).toEqual([true, false, true]);
    expect(results[1]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          message: 'ABM Tier: bad value for restricted picklist field: Gold',
          fields: ['ABM_Tier__c'],
        },
      ],
    });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(2);
  });

  it('rolls every record back under allOrNone and marks the valid ones ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const emu = await start();
    const ids = insertAccounts(emu.org, 2, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const results = (await conn.sobject('Account').update(
      [
        { Id: ids[0]!, ABM_Tier__c: 'Tier 1' },
        { Id: ids[1]!, ABM_Score__c: 5000 },
      ],
      { allOrNone: true },
    )) as SaveResultWire[];
    expect(results[0]).toMatchObject({
      id: ids[0],
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'NUMBER_OUTSIDE_VALID_RANGE' }],
    });
    const tiers = await conn.query<{ ABM_Tier__c: string | null }>('SELECT ABM_Tier__c FROM Account');
    expect(tiers.records.map((record) => record.ABM_Tier__c)).toEqual([null, null]);
  });

  it('refuses more than 200 records with 400 EXCEEDED_ID_LIMIT', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const records = Array.from({ length: 201 }, (_, index) => ({ Name: `A${index}` }));
    const failure = await failureOf(conn.sobject('Account').create(records));
    expect(failure.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(failure.message).toBe('record limit reached. cannot submit more than 200 records into this call');
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
  });

  it('retrieves by ids (null for unknown ones) and deletes by ids', async () => {
    const emu = await start();
    const ids = insertAccounts(emu.org, 3, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const unknown = '001500000000999AAA';
    const found = await conn.sobject('Account').retrieve([ids[0]!, unknown], { fields: ['Name'] });
    expect(found[0]).toMatchObject({ Name: 'Account 000000' });
    expect(found[1]).toBeNull();
    const deleted = (await conn.sobject('Account').destroy([ids[1]!, ids[2]!])) as SaveResultWire[];
    expect(deleted).toEqual([
      { id: ids[1], success: true, errors: [] },
      { id: ids[2], success: true, errors: [] },
    ]);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(1);
  });

  it('reads by ids and fields on GET, accepting 15-character ids, and refuses more than 2,000 ids', async () => {
    const emu = await start();
    const ids = insertAccounts(emu.org, 2, emu.now());
    const headers = { authorization: `Bearer ${emu.issueAccessToken()}` };
    const base = `${emu.url}/services/data/v${API_VERSION}/composite/sobjects/Account`;
    const response = await fetch(`${base}?ids=${ids[1]!.slice(0, 15)},${ids[0]}&fields=Id,Name`, { headers });
    expect(await response.json()).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${ids[1]}` },
        Id: ids[1],
        Name: 'Account 000001',
      },
      {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${ids[0]}` },
        Id: ids[0],
        Name: 'Account 000000',
      },
    ]);
    const tooMany = Array.from({ length: 2001 }, () => ids[0]);
    const refused = await fetch(base, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: tooMany, fields: ['Id'] }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errorCode: string }[])[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('refuses a retrieve by ids that names no id with 400 MISSING_ARGUMENT, on GET and POST', async () => {
    const emu = await start();
    const headers = { authorization: `Bearer ${emu.issueAccessToken()}` };
    const base = `${emu.url}/services/data/v${API_VERSION}/composite/sobjects/Account`;
    const answers = [
      await fetch(`${base}?fields=Id,Name`, { headers }),
      await fetch(`${base}?ids=&fields=Id`, { headers }),
      await fetch(base, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [], fields: ['Id'] }),
      }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        { message: 'ids parameter is required', errorCode: 'MISSING_ARGUMENT' },
      ]);
    }
  });

  it('upserts Tasks by ABM_Alert_Key__c: the first call creates, a replay updates the same Task', async () => {
    const emu = await start();
    const [accountId] = insertAccounts(emu.org, 1, emu.now());
    const conn = await connectWithClientCredentials(emu);
    const task = { ABM_Alert_Key__c: 'sla-1', Subject: 'Follow up', WhatId: accountId!, Priority: 'High' };
    const first = (await conn.sobject('Task').upsert([task], 'ABM_Alert_Key__c')) as (SaveResultWire & {
      created: boolean;
    })[];
    const replay = (await conn.sobject('Task').upsert([task], 'ABM_Alert_Key__c')) as (SaveResultWire & {
      created: boolean;
    })[];
    expect(first[0]).toMatchObject({ success: true, created: true });
    expect(replay[0]).toMatchObject({ id: first[0]?.id, success: true, created: false });
    const tasks = await conn.query<{ AccountId: string; IsHighPriority: boolean }>(
      'SELECT AccountId, IsHighPriority FROM Task',
    );
    expect(tasks.records).toEqual([expect.objectContaining({ AccountId: accountId, IsHighPriority: true })]);
  });
});

describe('API limits', () => {
  it('reports usage in Sforce-Limit-Info and refuses calls with REQUEST_LIMIT_EXCEEDED once spent', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.setApiBudget(3);
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 3 });
    await conn.query('SELECT Id FROM Account');
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 3, limit: 3 });
    const failure = await failureOf(conn.query('SELECT Id FROM Account'));
    expect(failure.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(failure.message).toBe('TotalRequests Limit exceeded.');
    emu.setApiBudget(10);
    const limits = (await conn.limits()) as unknown as {
      DailyApiRequests: { Max: number; Remaining: number };
    };
    expect(limits.DailyApiRequests).toEqual({ Max: 10, Remaining: 6 });
  });

  it('frees the allocation 24 hours after the calls were made', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.setApiBudget(1);
    await conn.query('SELECT Id FROM Account');
    expect((await failureOf(conn.query('SELECT Id FROM Account'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    emu.advance(24 * 3_600_000 + 60_000);
    emu.expireTokens();
    const result = await conn.query('SELECT Id FROM Account');
    expect(result.totalSize).toBe(0);
  });
});

describe('tenancy and faults', () => {
  it('opens only the token’s org: another org’s records are neither listed nor readable', async () => {
    const emu = await start({ orgs: [{}, {}] });
    const [orgA, orgB] = emu.orgs;
    const [accountA] = insertAccounts(orgA!, 1, emu.now());
    insertAccounts(orgB!, 2, emu.now());
    const connB = await connectWithClientCredentials(emu, orgB);
    expect((await connB.query('SELECT Id FROM Account')).totalSize).toBe(2);
    const failure = await failureOf(connB.sobject('Account').retrieve(accountA!));
    expect(failure.errorCode).toBe('NOT_FOUND');
  });

  it('injects a 503 on a route a set number of times, then serves normally', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.faults.add({
      kind: 'status',
      status: 503,
      path: '/query$',
      count: 1,
      body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Service Unavailable' }],
    });
    expect((await failureOf(conn.query('SELECT Id FROM Account'))).errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(0);
  });

  it('fails the chosen share of a collection batch with UNABLE_TO_LOCK_ROW and commits the rest', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.faults.add({ kind: 'partial', failShare: 1, path: '/composite/sobjects$', count: 1 });
    const results = (await conn
      .sobject('Account')
      .create([{ Name: 'A' }, { Name: 'B' }])) as SaveResultWire[];
    expect(results.every((result) => result.errors[0]?.statusCode === 'UNABLE_TO_LOCK_ROW')).toBe(true);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
    await conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(2);
  });

  it('drops the connection on a reset rule: the call gets no HTTP answer at all', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.faults.add({ kind: 'reset', path: '/query$', count: 1 });
    const failure = (await failureOf(conn.query('SELECT Id FROM Account'))) as JsforceApiError & {
      code?: unknown;
      type?: unknown;
    };
    expect(failure).not.toHaveProperty('errorCode');
    expect(failure).toMatchObject({ name: 'FetchError', type: 'system', code: 'ECONNRESET' });
    expect(failure.message).toMatch(/socket hang up/);
    expect((await conn.query('SELECT Id FROM Account')).done).toBe(true);
  });

  it('answers injected statuses without a body in Salesforce’s error shape', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    emu.faults.add({ kind: 'status', status: 503, path: '/query$', count: 1 });
    emu.faults.add({ kind: 'status', status: 429, path: '/query$', count: 1 });
    const unavailable = await failureOf(conn.query('SELECT Id FROM Account'));
    expect(unavailable.errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await failureOf(conn.query('SELECT Id FROM Account'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    emu.faults.add({ kind: 'status', status: 500, path: '/limits$', count: 1 });
    const response = await fetch(`${emu.url}/services/data/v${API_VERSION}/limits`, {
      headers: { authorization: `Bearer ${emu.issueAccessToken()}` },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual([
      {
        message: expect.stringMatching(/^An unexpected error occurred\. Please include this ErrorId/),
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ]);
  });

  it('fails the same 5 of 20 jsforce queries with a 500 for fault seed 5, and serves the others', async () => {
    const failedQueries = async (): Promise<number[]> => {
      const emu = await start({ faultSeed: 5 });
      try {
        const conn = await connectWithClientCredentials(emu);
        emu.faults.add({ kind: 'status', status: 500, method: 'GET', path: '/query$', rate: 0.3 });
        const failed: number[] = [];
        for (let call = 0; call < 20; call += 1) {
          const outcome = await conn.query('SELECT Id FROM Account').then(
            () => null,
            (error: unknown) => error as JsforceApiError,
          );
          if (outcome === null) continue;
          expect(outcome.errorCode).toBe('UNKNOWN_EXCEPTION');
          failed.push(call);
        }
        expect(emu.faults.hits()[0]?.fired).toBe(failed.length);
        return failed;
      } finally {
        await emu.close();
        emulator = undefined;
      }
    };
    expect(await failedQueries()).toEqual([2, 4, 9, 13, 17]);
    expect(await failedQueries()).toEqual([2, 4, 9, 13, 17]);
  });

  it('delays a query on a slow rule, which still arrives whole', async () => {
    const emu = await start();
    insertAccounts(emu.org, 3, emu.now());
    const conn = await connectWithClientCredentials(emu);
    emu.faults.add({ kind: 'slow', delayMs: 50, path: '/query$', count: 1 });
    const result = await conn.query('SELECT Id FROM Account');
    expect(result.records).toHaveLength(3);
    expect(emu.faults.hits()).toEqual([expect.objectContaining({ fired: 1 })]);
  });
});
