import { afterEach, describe, expect, it } from 'vitest';

import { createSeedDataset } from '../seed/generate.ts';
import type { TestEmulator } from './testSupport.ts';
import { API_VERSION, startTestEmulator } from './testSupport.ts';

// Field history tracking on Account (ABM_Tier__c is tracked, as the package deploys it) and sessions
// of a given user: every committed change of the tier adds an AccountHistory row naming the user whose
// session made it, whatever REST path made it; AccountHistory is queryable and read-only.

const dataset = createSeedDataset({ seed: 7, accounts: 100, referenceDate: '2026-07-01T00:00:00.000Z' });

let emulator: TestEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Seeded {
  readonly emu: TestEmulator;
  /** Seeded accounts with no tier yet, so that setting one is always a change. */
  readonly accountIds: string[];
  /** Seeded users other than the integration user: people who edit accounts in Salesforce. */
  readonly userIds: string[];
}

async function seeded(): Promise<Seeded> {
  const emu = await startTestEmulator();
  emulator = emu;
  emu.loadSeed(dataset, { contacts: false, opportunities: false, engagements: false });
  const accountIds = [...emu.org.data.tables.get('Account')!.values()]
    .filter((row) => row['ABM_Tier__c'] === null)
    .map((row) => String(row['Id']));
  expect(accountIds.length).toBeGreaterThan(20);
  const userIds = [...emu.org.data.tables.get('User')!.keys()].filter(
    (id) => id !== emu.org.data.integrationUserId,
  );
  return { emu, accountIds, userIds };
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function api(
  emu: TestEmulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${emu.url}/services/data/v${API_VERSION}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function query(
  emu: TestEmulator,
  soql: string,
  resource = 'query',
): Promise<Record<string, unknown>[]> {
  const answer = await api(emu, emu.issueAccessToken(), 'GET', `/${resource}?q=${encodeURIComponent(soql)}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body as { records: Record<string, unknown>[] }).records;
}

const tierHistorySoql = (ids: readonly string[]) =>
  `SELECT AccountId, Field, OldValue, NewValue, CreatedById, CreatedDate FROM AccountHistory WHERE Field = 'ABM_Tier__c' AND AccountId IN (${ids.map((id) => `'${id}'`).join(', ')}) ORDER BY CreatedDate DESC, Id DESC`;

const withoutAttributes = (records: readonly Record<string, unknown>[]) =>
  records.map(({ attributes: _attributes, ...fields }) => fields);

const setTier = (emu: TestEmulator, token: string, id: string, tier: string | null) =>
  api(emu, token, 'PATCH', `/sobjects/Account/${id}`, { ABM_Tier__c: tier });

describe('sessions of a given user', () => {
  it('makes REST writes as the user of the token: LastModifiedById and the history row name them', async () => {
    const { emu, accountIds, userIds } = await seeded();
    const marketer = userIds[0]!;
    const token = emu.issueAccessToken(undefined, marketer);
    const [id] = accountIds;
    expect((await setTier(emu, token, id!, 'Tier 1')).status).toBe(204);

    const [account] = await query(emu, `SELECT LastModifiedById FROM Account WHERE Id = '${id}'`);
    expect(account!['LastModifiedById']).toBe(marketer);
    const [row] = await query(emu, tierHistorySoql([id!]));
    expect(row!['CreatedById']).toBe(marketer);
    const identity = await fetch(`${emu.url}/id/${emu.org.orgId}/${marketer}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await identity.json()) as { user_id: string }).user_id).toBe(marketer);
  });

  it('issues the integration user’s session by default and accepts a 15-character user id', async () => {
    const { emu, accountIds, userIds } = await seeded();
    await setTier(emu, emu.issueAccessToken(), accountIds[0]!, 'Tier 2');
    await setTier(
      emu,
      emu.issueAccessToken(emu.org.orgId, userIds[1]!.slice(0, 15)),
      accountIds[1]!,
      'Tier 2',
    );
    const rows = await query(emu, tierHistorySoql(accountIds.slice(0, 2)));
    expect(new Map(rows.map((row) => [row['AccountId'], row['CreatedById']]))).toEqual(
      new Map([
        [accountIds[0], emu.org.data.integrationUserId],
        [accountIds[1], userIds[1]],
      ]),
    );
  });

  it('refuses to issue a session for an unknown or inactive user', async () => {
    const { emu, userIds } = await seeded();
    expect(() => emu.issueAccessToken(undefined, '005000000000000AAA')).toThrow(/no user/);
    expect(() => emu.issueAccessToken(undefined, 'not-an-id')).toThrow(/no user/);
    const inactive = userIds[2]!;
    const patched = await api(emu, emu.issueAccessToken(), 'PATCH', `/sobjects/User/${inactive}`, {
      IsActive: false,
    });
    expect(patched.status).toBe(204);
    expect(() => emu.issueAccessToken(undefined, inactive)).toThrow(/inactive/);
  });

  it('issues a user’s session through POST /__sandbox/tokens, and refuses an unknown user with 400', async () => {
    const { emu, accountIds, userIds } = await seeded();
    const admin = (body: unknown) =>
      fetch(`${emu.url}/__sandbox/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const issued = await admin({ userId: userIds[3] });
    expect(issued.status).toBe(201);
    const session = (await issued.json()) as { accessToken: string; orgId: string; userId: string };
    expect(session).toEqual({ accessToken: expect.any(String), orgId: emu.org.orgId, userId: userIds[3] });
    expect((await setTier(emu, session.accessToken, accountIds[0]!, 'Tier 3')).status).toBe(204);
    const [row] = await query(emu, tierHistorySoql([accountIds[0]!]));
    expect(row!['CreatedById']).toBe(userIds[3]);

    const integration = (await (await admin({})).json()) as { userId: string };
    expect(integration.userId).toBe(emu.org.data.integrationUserId);
    const unknown = await admin({ userId: '005000000000000AAA' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: expect.stringMatching(/no user/) });
    expect((await admin({ orgId: '00Dnope', userId: userIds[3] })).status).toBe(404);
  });
});

describe('AccountHistory', () => {
  it('adds one row per change of the tier, old and new values as the API shows them, at the emulator’s second', async () => {
    const { emu, accountIds, userIds } = await seeded();
    const id = accountIds[4]!;
    const marketer = emu.issueAccessToken(undefined, userIds[0]);
    emu.advance(2_400);
    await setTier(emu, marketer, id, 'Tier 1');
    emu.advance(60_000);
    await setTier(emu, emu.issueAccessToken(), id, null);

    const rows = await query(
      emu,
      `SELECT Id, AccountId, Field, DataType, OldValue, NewValue, CreatedById, CreatedDate, IsDeleted FROM AccountHistory WHERE AccountId = '${id}' ORDER BY CreatedDate DESC, Id DESC`,
    );
    expect(withoutAttributes(rows)).toEqual([
      {
        Id: expect.stringMatching(/^017\w{15}$/),
        AccountId: id,
        Field: 'ABM_Tier__c',
        DataType: 'DynamicEnum',
        OldValue: 'Tier 1',
        NewValue: null,
        CreatedById: emu.org.data.integrationUserId,
        CreatedDate: '2026-07-01T12:01:02.000+0000',
        IsDeleted: false,
      },
      {
        Id: expect.stringMatching(/^017\w{15}$/),
        AccountId: id,
        Field: 'ABM_Tier__c',
        DataType: 'DynamicEnum',
        OldValue: null,
        NewValue: 'Tier 1',
        CreatedById: userIds[0],
        CreatedDate: '2026-07-01T12:00:02.000+0000',
        IsDeleted: false,
      },
    ]);
    expect(rows[0]!['attributes']).toEqual({
      type: 'AccountHistory',
      url: `/services/data/v${API_VERSION}/sobjects/AccountHistory/${String(rows[0]!['Id'])}`,
    });
  });

  it('adds no row for a write that leaves the tier as it was or changes only untracked fields', async () => {
    const { emu, accountIds } = await seeded();
    const id = accountIds[5]!;
    const token = emu.issueAccessToken();
    await setTier(emu, token, id, 'Tier 2');
    await setTier(emu, token, id, 'Tier 2');
    await api(emu, token, 'PATCH', `/sobjects/Account/${id}`, { ABM_Score__c: 42, Name: 'Renamed' });
    expect(await query(emu, `SELECT Id FROM AccountHistory WHERE AccountId = '${id}'`)).toHaveLength(1);
  });

  it('records changes made through sObject Collections, and none for a batch rolled back by allOrNone', async () => {
    const { emu, accountIds, userIds } = await seeded();
    const token = emu.issueAccessToken(undefined, userIds[1]);
    const update = (allOrNone: boolean, records: Record<string, unknown>[]) =>
      api(emu, token, 'PATCH', '/composite/sobjects', {
        allOrNone,
        records: records.map((record) => ({ attributes: { type: 'Account' }, ...record })),
      });
    const committed = await update(false, [
      { id: accountIds[10], ABM_Tier__c: 'Tier 1' },
      { id: accountIds[11], ABM_Tier__c: 'Tier 9' },
      { id: accountIds[12], ABM_Tier__c: 'Tier 3' },
    ]);
    expect((committed.body as { success: boolean }[]).map((result) => result.success)).toEqual([
      true,
      false,
      true,
    ]);
    const rolledBack = await update(true, [
      { id: accountIds[13], ABM_Tier__c: 'Tier 1' },
      { id: accountIds[14], ABM_Tier__c: 'Tier 9' },
    ]);
    expect((rolledBack.body as { success: boolean }[]).every((result) => !result.success)).toBe(true);

    const rows = await query(emu, tierHistorySoql(accountIds.slice(10, 15)));
    expect(rows.map((row) => [row['AccountId'], row['NewValue'], row['CreatedById']]).sort()).toEqual(
      [
        [accountIds[10], 'Tier 1', userIds[1]],
        [accountIds[12], 'Tier 3', userIds[1]],
      ].sort(),
    );
  });

  it('orders changes made within one second by Id, newest first', async () => {
    const { emu, accountIds, userIds } = await seeded();
    const id = accountIds[6]!;
    await setTier(emu, emu.issueAccessToken(undefined, userIds[0]), id, 'Tier 3');
    await setTier(emu, emu.issueAccessToken(undefined, userIds[1]), id, 'Tier 2');
    await setTier(emu, emu.issueAccessToken(undefined, userIds[2]), id, 'Tier 1');
    const rows = await query(emu, tierHistorySoql([id]));
    expect(rows.map((row) => [row['NewValue'], row['CreatedById']])).toEqual([
      ['Tier 1', userIds[2]],
      ['Tier 2', userIds[1]],
      ['Tier 3', userIds[0]],
    ]);
    expect(new Set(rows.map((row) => row['CreatedDate'])).size).toBe(1);
  });

  it('adds a created row for an account created through the API, and none when a seed is loaded', async () => {
    const { emu } = await seeded();
    expect(emu.org.data.tables.get('AccountHistory')!.size).toBe(0);
    const created = await api(emu, emu.issueAccessToken(), 'POST', '/sobjects/Account', {
      Name: 'New Co',
      ABM_Tier__c: 'Tier 2',
    });
    const id = (created.body as { id: string }).id;
    const rows = await query(
      emu,
      `SELECT Field, OldValue, NewValue, CreatedById FROM AccountHistory WHERE AccountId = '${id}'`,
    );
    expect(withoutAttributes(rows)).toEqual([
      { Field: 'created', OldValue: null, NewValue: null, CreatedById: emu.org.data.integrationUserId },
    ]);
  });

  it('sends an account’s history to the Recycle Bin with it: gone from query, IsDeleted in queryAll', async () => {
    const { emu, accountIds } = await seeded();
    const id = accountIds[7]!;
    const token = emu.issueAccessToken();
    await setTier(emu, token, id, 'Tier 1');
    expect((await api(emu, token, 'DELETE', `/sobjects/Account/${id}`)).status).toBe(204);
    expect(await query(emu, tierHistorySoql([id]))).toEqual([]);
    const all = await query(
      emu,
      `SELECT IsDeleted FROM AccountHistory WHERE AccountId = '${id}'`,
      'queryAll',
    );
    expect(withoutAttributes(all)).toEqual([{ IsDeleted: true }]);
  });

  it('refuses a filter on OldValue or NewValue with INVALID_FIELD, as they are not filterable', async () => {
    const { emu } = await seeded();
    const answer = await api(
      emu,
      emu.issueAccessToken(),
      'GET',
      `/query?q=${encodeURIComponent("SELECT Id FROM AccountHistory WHERE NewValue = 'Tier 1'")}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("field 'NewValue' can not be filtered"),
      },
    ]);
  });

  it('cannot be created, updated or deleted through the API', async () => {
    const { emu, accountIds } = await seeded();
    const token = emu.issueAccessToken();
    await setTier(emu, token, accountIds[8]!, 'Tier 1');
    const [row] = await query(emu, `SELECT Id FROM AccountHistory WHERE AccountId = '${accountIds[8]}'`);
    const historyId = String(row!['Id']);

    const created = await api(emu, token, 'POST', '/sobjects/AccountHistory', {
      AccountId: accountIds[8],
      Field: 'ABM_Tier__c',
    });
    expect(created).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_TYPE_FOR_OPERATION',
          message: 'entity type cannot be inserted: Account History',
          fields: [],
        },
      ],
    });
    const updated = await api(emu, token, 'PATCH', `/sobjects/AccountHistory/${historyId}`, {
      Field: 'created',
    });
    expect(updated).toMatchObject({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_TYPE_FOR_OPERATION',
          message: 'entity type cannot be updated: Account History',
        },
      ],
    });
    const deleted = await api(emu, token, 'DELETE', `/sobjects/AccountHistory/${historyId}`);
    expect(deleted).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_TYPE_FOR_OPERATION' }] });
    const collection = await api(emu, token, 'POST', '/composite/sobjects', {
      records: [{ attributes: { type: 'AccountHistory' }, AccountId: accountIds[8] }],
    });
    expect(collection.body).toEqual([
      {
        success: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE_FOR_OPERATION',
            message: 'entity type cannot be inserted: Account History',
            fields: [],
          },
        ],
      },
    ]);
    expect(
      await query(emu, `SELECT Id FROM AccountHistory WHERE AccountId = '${accountIds[8]}'`),
    ).toHaveLength(1);
  });

  it('is listed by describe as a read-only object, with Account’s Histories relationship', async () => {
    const { emu } = await seeded();
    const token = emu.issueAccessToken();
    const global = (await api(emu, token, 'GET', '/sobjects')).body as {
      sobjects: Record<string, unknown>[];
    };
    expect(global.sobjects.find((sobject) => sobject['name'] === 'AccountHistory')).toMatchObject({
      keyPrefix: '017',
      label: 'Account History',
      createable: false,
      updateable: false,
      deletable: false,
      queryable: true,
      retrieveable: true,
    });
    const history = (await api(emu, token, 'GET', '/sobjects/AccountHistory/describe')).body as {
      fields: {
        name: string;
        type: string;
        filterable: boolean;
        sortable: boolean;
        picklistValues: { value: string }[];
      }[];
    };
    const fields = new Map(history.fields.map((field) => [field.name, field]));
    expect([...fields.keys()]).toEqual([
      'Id',
      'IsDeleted',
      'AccountId',
      'CreatedById',
      'CreatedDate',
      'Field',
      'DataType',
      'OldValue',
      'NewValue',
    ]);
    expect(fields.get('NewValue')).toMatchObject({ type: 'anyType', filterable: false, sortable: true });
    expect(fields.get('Field')!.picklistValues.map((value) => value.value)).toEqual([
      'created',
      'ABM_Tier__c',
    ]);
    const account = (await api(emu, token, 'GET', '/sobjects/Account/describe')).body as {
      childRelationships: Record<string, unknown>[];
    };
    expect(account.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'AccountHistory',
        field: 'AccountId',
        relationshipName: 'Histories',
      }),
    );
  });

  it('tracks nothing of an org that lacks the tier field', async () => {
    const emu = await startTestEmulator({ orgs: [{ omitFields: ['Account.ABM_Tier__c'] }] });
    emulator = emu;
    const token = emu.issueAccessToken();
    const created = await api(emu, token, 'POST', '/sobjects/Account', { Name: 'Plain' });
    const id = (created.body as { id: string }).id;
    await api(emu, token, 'PATCH', `/sobjects/Account/${id}`, { Name: 'Plainer' });
    expect(await query(emu, tierHistorySoql([id]))).toEqual([]);
  });
});
