import { MINUTE_MS } from '@abm-pilot/shared';
import { afterEach, describe, expect, it } from 'vitest';

import { ACCOUNTS_PER_HISTORY_QUERY } from './history.ts';
import type { TestOrg } from './testSupport.ts';
import {
  connectorCalls,
  connectorFor,
  liveRows,
  rest,
  seedDataset,
  sleepLog,
  startTestOrg,
  updateAccounts,
} from './testSupport.ts';

// Who last changed an account's tier, from AccountHistory rows of the tier field, against the emulator:
// a change made with a user's session names that user, one the integration made names the integration
// user.

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

interface Seeded {
  readonly testOrg: TestOrg;
  /** Accounts with no tier yet, so that setting one is always a change. */
  readonly accountIds: string[];
  /** Seeded users other than the integration user: people who edit accounts in Salesforce. */
  readonly userIds: string[];
}

async function seededOrg(accounts = 500): Promise<Seeded> {
  const testOrg = await startTestOrg();
  org = testOrg;
  testOrg.loadSeed(seedDataset(accounts), { contacts: false, opportunities: false, engagements: false });
  const accountIds = liveRows(testOrg, 'Account')
    .filter((row) => row['ABM_Tier__c'] === null)
    .map((row) => String(row['Id']));
  const userIds = liveRows(testOrg, 'User')
    .map((row) => String(row['Id']))
    .filter((id) => id !== testOrg.org.data.integrationUserId);
  return { testOrg, accountIds, userIds };
}

const setTier = (testOrg: TestOrg, id: string, tier: string | null, asUser?: string) =>
  rest(testOrg, 'PATCH', `/sobjects/Account/${id}`, { ABM_Tier__c: tier }, testOrg.org, asUser);

const historyQueries = (testOrg: TestOrg) =>
  connectorCalls(testOrg, /\/query/).filter(
    (call) => call.soql === null || call.soql.includes('FROM AccountHistory'),
  );

const idsIn = (soql: string | null): string[] => [...(soql ?? '').matchAll(/'(001\w+)'/g)].map((m) => m[1]!);

describe('tierFieldChanges', () => {
  it('names the user whose session changed the tier in Salesforce, with the value and when', async () => {
    const { testOrg, accountIds, userIds } = await seededOrg(200);
    const [id] = accountIds;
    testOrg.advance(5 * MINUTE_MS + 400);
    await setTier(testOrg, id!, 'Tier 2', userIds[0]);

    const changes = await connectorFor(testOrg).tierFieldChanges([id!]);
    expect(changes).toEqual(
      new Map([
        [
          id,
          {
            accountCrmId: id,
            value: 'tier_2',
            at: Math.floor(testOrg.now() / 1000) * 1000,
            editorId: userIds[0],
            editorKind: 'owner',
          },
        ],
      ]),
    );
    const [query] = historyQueries(testOrg);
    expect(query!.soql).toBe(
      `SELECT AccountId, Field, OldValue, NewValue, CreatedById, CreatedDate FROM AccountHistory WHERE Field = 'ABM_Tier__c' AND AccountId IN ('${id}') ORDER BY CreatedDate DESC, Id DESC`,
    );
  });

  it('reports the latest change only, and a tier cleared as no tier', async () => {
    const { testOrg, accountIds, userIds } = await seededOrg(200);
    const id = accountIds[1]!;
    await setTier(testOrg, id, 'Tier 1', userIds[0]);
    testOrg.advance(MINUTE_MS);
    await setTier(testOrg, id, 'Tier 3', userIds[1]);
    // Same second: the later row (higher Id) is the latest.
    await setTier(testOrg, id, null, userIds[2]);
    const changes = await connectorFor(testOrg).tierFieldChanges([id]);
    expect(changes.get(id)).toMatchObject({ value: null, editorId: userIds[2] });
  });

  it('names the integration user for a write the connector made, and leaves out accounts never changed', async () => {
    const { testOrg, accountIds } = await seededOrg(200);
    const [written, untouched] = accountIds;
    const connector = connectorFor(testOrg);
    const outcome = await connector.writeAccounts([{ crmId: written!, fields: { tier: 'tier_3' } }]);
    expect(outcome.failed).toEqual([]);
    const changes = await connector.tierFieldChanges([written!, untouched!]);
    expect([...changes.keys()]).toEqual([written]);
    expect(changes.get(written!)).toMatchObject({
      value: 'tier_3',
      editorId: testOrg.org.data.integrationUserId,
      editorKind: 'owner',
    });
  });

  it('answers under the id as asked, 15 or 18 characters, and ignores what is no Salesforce id', async () => {
    const { testOrg, accountIds, userIds } = await seededOrg(200);
    const id = accountIds[2]!;
    await setTier(testOrg, id, 'Tier 1', userIds[0]);
    const changes = await connectorFor(testOrg).tierFieldChanges([id.slice(0, 15), "x' OR Id != '"]);
    expect([...changes.keys()]).toEqual([id.slice(0, 15)]);
    expect(changes.get(id.slice(0, 15))).toMatchObject({ accountCrmId: id.slice(0, 15), value: 'tier_1' });
  });

  it('asks 200 accounts a query: 450 accounts in three calls, counted in usage', async () => {
    const { testOrg, accountIds, userIds } = await seededOrg(1_000);
    const ids = accountIds.slice(0, 450);
    expect(ids).toHaveLength(450);
    await updateAccounts(testOrg, ids, () => ({ ABM_Tier__c: 'Tier 2' }), userIds[3]);
    const connector = connectorFor(testOrg);
    const changes = await connector.tierFieldChanges([...ids, ids[0]!]);

    expect(changes.size).toBe(450);
    expect([...changes.values()].every((change) => change.editorId === userIds[3])).toBe(true);
    const calls = historyQueries(testOrg);
    expect(calls.map((call) => idsIn(call.soql).length)).toEqual([200, 200, 50]);
    expect(ACCOUNTS_PER_HISTORY_QUERY).toBe(200);
    expect(connector.usage().calls).toBe(3);
  });

  it('follows queryMore until every account asked has its latest row, and no further', async () => {
    const { testOrg, accountIds, userIds } = await seededOrg(1_000);
    const [early, ...busy] = accountIds.slice(0, 200);
    await setTier(testOrg, early!, 'Tier 3', userIds[0]);
    // 199 accounts changed 11 times since: 2,189 newer rows push the early change to the second batch.
    for (let round = 0; round < 11; round++) {
      testOrg.advance(MINUTE_MS);
      await updateAccounts(testOrg, busy, () => ({ ABM_Tier__c: round % 2 === 0 ? 'Tier 1' : 'Tier 2' }));
    }
    const connector = connectorFor(testOrg);
    const changes = await connector.tierFieldChanges([early!, ...busy]);

    expect(changes.size).toBe(200);
    expect(changes.get(early!)).toMatchObject({ value: 'tier_3', editorId: userIds[0] });
    expect(changes.get(busy[0]!)).toMatchObject({ value: 'tier_1' });
    const calls = historyQueries(testOrg);
    expect(calls.map((call) => (call.soql === null ? 'queryMore' : 'query'))).toEqual(['query', 'queryMore']);
    expect(connector.usage().calls).toBe(2);
  });

  it('leaves out the accounts of a query Salesforce refuses, and keeps the others', async () => {
    const { testOrg, accountIds } = await seededOrg(1_000);
    const ids = accountIds.slice(0, 300);
    await updateAccounts(testOrg, ids, () => ({ ABM_Tier__c: 'Tier 1' }));
    testOrg.faults.add({
      kind: 'status',
      status: 400,
      method: 'GET',
      path: '/query$',
      count: 1,
      body: [{ errorCode: 'INVALID_TYPE', message: "sObject type 'AccountHistory' is not supported." }],
    });
    const changes = await connectorFor(testOrg).tierFieldChanges(ids);
    expect(historyQueries(testOrg).map((call) => call.status)).toEqual([400, 200]);
    expect([...changes.keys()].sort()).toEqual(ids.slice(200).sort());
  });

  it('retries a transient failure as every call does, and answers an empty map once Salesforce stays down', async () => {
    const { testOrg, accountIds } = await seededOrg(1_000);
    const ids = accountIds.slice(0, 300);
    await updateAccounts(testOrg, ids, () => ({ ABM_Tier__c: 'Tier 1' }));
    testOrg.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/query$', count: 1 });
    const recovered = connectorFor(testOrg);
    expect((await recovered.tierFieldChanges(ids)).size).toBe(300);
    expect(recovered.usage()).toMatchObject({ retries: 1 });

    testOrg.faults.add({ kind: 'status', status: 503, method: 'GET', path: '/query$' });
    const sleeps = sleepLog();
    const down = connectorFor(testOrg, { sleep: sleeps.sleep });
    const before = historyQueries(testOrg).length;
    await expect(down.tierFieldChanges(ids)).resolves.toEqual(new Map());
    // The first query spent its attempts; the read stopped there rather than failing every query.
    expect(historyQueries(testOrg).length - before).toBe(5);
    expect(sleeps.delays).toHaveLength(4);
  });

  it('answers an empty map once the run’s API budget is spent', async () => {
    const { testOrg, accountIds } = await seededOrg(200);
    await setTier(testOrg, accountIds[0]!, 'Tier 1');
    testOrg.setApiBudget(10, { used: 10 });
    const changes = await connectorFor(testOrg).tierFieldChanges([accountIds[0]!]);
    expect(changes.size).toBe(0);
  });

  it('answers an empty map without a call when no account is asked', async () => {
    const { testOrg } = await seededOrg(200);
    const connector = connectorFor(testOrg);
    expect((await connector.tierFieldChanges([])).size).toBe(0);
    expect(connectorCalls(testOrg)).toEqual([]);
  });
});
