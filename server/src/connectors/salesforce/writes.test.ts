import { MINUTE_MS } from '@abm-pilot/shared';
import { afterEach, describe, expect, it } from 'vitest';

import type { AccountWrite, TaskWrite } from '../../model.ts';
import type { TestOrg } from './testSupport.ts';
import {
  collect,
  connectorCalls,
  connectorFor,
  liveRows,
  rest,
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

async function seededOrg(accounts = 500): Promise<TestOrg> {
  org = await startTestOrg();
  org.loadSeed(seedDataset(accounts), { contacts: false, opportunities: false, engagements: true });
  return org;
}

const accountIds = (testOrg: TestOrg, count: number): string[] =>
  liveRows(testOrg, 'Account')
    .slice(0, count)
    .map((row) => String(row['Id']));

const scoreWrite = (crmId: string, index: number): AccountWrite => ({
  crmId,
  fields: { score: index % 100, lastSyncAt: Date.parse('2026-07-01T12:00:00Z') },
});

const collectionPatches = (testOrg: TestOrg) =>
  connectorCalls(testOrg, /\/composite\/sobjects$/).filter((call) => call.method === 'PATCH');

const recordIdsOf = (body: unknown): string[] =>
  ((body as { records: { id: string }[] }).records ?? []).map((record) => record.id);

describe('writeAccounts', () => {
  it('writes ABM fields 200 accounts a call, and the values read back through SOQL', async () => {
    const testOrg = await seededOrg();
    const ids = accountIds(testOrg, 450);
    const writes: AccountWrite[] = ids.map((crmId, index) => ({
      crmId,
      fields: {
        tier: index % 2 === 0 ? 'tier_2' : null,
        score: index % 100,
        slaStatus: 'at_risk',
        nextSlaDueAt: Date.parse('2026-07-03T09:00:00Z'),
        tierReason: `reason ${index}`,
        lastSyncAt: Date.parse('2026-07-01T12:00:00Z'),
      },
    }));
    const outcome = await connectorFor(testOrg).writeAccounts(writes);
    expect(outcome.failed).toEqual([]);
    expect(new Set(outcome.written)).toEqual(new Set(ids));
    expect(collectionPatches(testOrg).map((call) => recordIdsOf(call.body).length)).toEqual([200, 200, 50]);

    const rows = await soql(
      testOrg,
      `SELECT Id, ABM_Tier__c, ABM_Target__c, ABM_Score__c, ABM_SLA_Status__c, ABM_Next_SLA_Due__c, ABM_Tier_Reason__c, ABM_Last_Sync__c FROM Account WHERE ABM_Last_Sync__c != null`,
    );
    const byId = new Map(rows.map((row) => [row['Id'], row]));
    expect(byId.size).toBe(450);
    ids.forEach((crmId, index) => {
      expect(byId.get(crmId)).toMatchObject({
        ABM_Tier__c: index % 2 === 0 ? 'Tier 2' : null,
        ABM_Target__c: index % 2 === 0,
        ABM_Score__c: index % 100,
        ABM_SLA_Status__c: 'at_risk',
        ABM_Next_SLA_Due__c: '2026-07-03T09:00:00.000+0000',
        ABM_Tier_Reason__c: `reason ${index}`,
        ABM_Last_Sync__c: '2026-07-01T12:00:00.000+0000',
      });
    });
  });

  it('after a partial batch failure resends only the records that failed, then all values are written', async () => {
    const testOrg = await seededOrg();
    const ids = accountIds(testOrg, 400);
    testOrg.faults.add({
      kind: 'partial',
      failShare: 0.3,
      method: 'PATCH',
      path: '/composite/sobjects$',
      count: 1,
    });
    const sleeps = sleepLog();
    const connector = connectorFor(testOrg, { sleep: sleeps.sleep });
    const outcome = await connector.writeAccounts(ids.map(scoreWrite));

    expect(outcome.failed).toEqual([]);
    expect(new Set(outcome.written)).toEqual(new Set(ids));
    const [first, second, retry, ...rest] = collectionPatches(testOrg);
    expect(rest).toEqual([]);
    const lockedInFirst = (first!.answer as { success: boolean; errors: { statusCode: string }[] }[])
      .map((result, index) => ({ result, id: recordIdsOf(first!.body)[index]! }))
      .filter(({ result }) => !result.success);
    expect(lockedInFirst.length).toBeGreaterThan(0);
    expect(lockedInFirst.every(({ result }) => result.errors[0]?.statusCode === 'UNABLE_TO_LOCK_ROW')).toBe(
      true,
    );
    expect(recordIdsOf(retry!.body)).toEqual(lockedInFirst.map(({ id }) => id));
    expect(recordIdsOf(second!.body)).toHaveLength(200);
    expect(connector.usage()).toMatchObject({ calls: 3, retries: 1 });
    expect(sleeps.delays).toEqual([250]);

    const rows = await soql(testOrg, 'SELECT Id, ABM_Score__c FROM Account WHERE ABM_Last_Sync__c != null');
    const scores = new Map(rows.map((row) => [row['Id'], row['ABM_Score__c']]));
    ids.forEach((crmId, index) => expect(scores.get(crmId)).toBe(index % 100));
  });

  it('reports records that stay locked after bounded retries, and records refused for good without retrying', async () => {
    const testOrg = await seededOrg();
    const [locked, deleted] = accountIds(testOrg, 2) as [string, string];
    await rest(testOrg, 'DELETE', `/sobjects/Account/${deleted}`);
    testOrg.faults.add({ kind: 'partial', failShare: 1, method: 'PATCH', path: '/composite/sobjects$' });
    const connector = connectorFor(testOrg);
    const outcome = await connector.writeAccounts([scoreWrite(deleted, 1)]);
    expect(outcome).toEqual({
      written: [],
      failed: [{ id: deleted, code: 'ENTITY_IS_DELETED', message: 'entity is deleted' }],
    });
    expect(collectionPatches(testOrg)).toHaveLength(1);

    const stuck = await connector.writeAccounts([scoreWrite(locked, 1)]);
    expect(stuck.written).toEqual([]);
    expect(stuck.failed).toMatchObject([{ id: locked, code: 'UNABLE_TO_LOCK_ROW' }]);
    expect(collectionPatches(testOrg)).toHaveLength(1 + 5);
  });

  it('sends nothing for writes without fields and one record for an account written twice', async () => {
    const testOrg = await seededOrg();
    const [first, second] = accountIds(testOrg, 2) as [string, string];
    const outcome = await connectorFor(testOrg).writeAccounts([
      { crmId: first, fields: { score: 10 } },
      { crmId: second, fields: {} },
      { crmId: first, fields: { slaStatus: 'breached' } },
    ]);
    expect(new Set(outcome.written)).toEqual(new Set([first, second]));
    const calls = collectionPatches(testOrg);
    expect(calls).toHaveLength(1);
    expect((calls[0]!.body as { records: unknown[] }).records).toEqual([
      { attributes: { type: 'Account' }, id: first, ABM_Score__c: 10, ABM_SLA_Status__c: 'breached' },
    ]);
  });
});

describe('upsertTasks', () => {
  const taskFor = (testOrg: TestOrg, overrides: Partial<TaskWrite> = {}): TaskWrite => {
    const account = liveRows(testOrg, 'Account')[0]!;
    return {
      key: 'task:sales_follow_up:acct-1:owner-1',
      accountCrmId: String(account['Id']),
      assigneeCrmId: String(account['OwnerId']),
      subject: 'Follow up: MQA reached',
      body: 'The account reached MQA; first touch is due.',
      dueAt: Date.parse('2026-07-02T16:00:00Z'),
      priority: 'high',
      status: 'open',
      ...overrides,
    };
  };

  it('keeps one task per alert key when the same alert is sent twice, updated in place', async () => {
    const testOrg = await seededOrg(100);
    const connector = connectorFor(testOrg);
    const task = taskFor(testOrg);
    const first = await connector.upsertTasks([task]);
    const second = await connector.upsertTasks([{ ...task, status: 'completed', subject: 'Followed up' }]);
    expect(first.failed).toEqual([]);
    expect(second.failed).toEqual([]);
    expect(second.saved.get(task.key)).toBe(first.saved.get(task.key));

    const tasks = await soql(
      testOrg,
      `SELECT Id, Subject, Status, Priority, ActivityDate, OwnerId, WhatId, Description FROM Task WHERE ABM_Alert_Key__c = '${task.key}'`,
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      Id: first.saved.get(task.key),
      Subject: 'Followed up',
      Status: 'Completed',
      Priority: 'High',
      ActivityDate: '2026-07-02',
      OwnerId: task.assigneeCrmId,
      WhatId: task.accountCrmId,
      Description: task.body,
    });
  });

  it('saves a task about no account as a Task related to no record, assigned and keyed like the others', async () => {
    const testOrg = await seededOrg(100);
    const task = taskFor(testOrg, { key: 'delivery:2026-06:owner-1', accountCrmId: null });
    const outcome = await connectorFor(testOrg).upsertTasks([task, { ...task, subject: 'Sent again' }]);
    expect(outcome.failed).toEqual([]);
    const tasks = await soql(
      testOrg,
      `SELECT Id, Subject, OwnerId, WhatId, AccountId FROM Task WHERE ABM_Alert_Key__c = '${task.key}'`,
    );
    expect(tasks).toEqual([
      expect.objectContaining({
        Id: outcome.saved.get(task.key),
        Subject: 'Sent again',
        OwnerId: task.assigneeCrmId,
        WhatId: null,
        AccountId: null,
      }),
    ]);
  });

  it('upserts 200 tasks a call, one task for a key repeated in the same call', async () => {
    const testOrg = await seededOrg(100);
    const tasks = Array.from({ length: 250 }, (_, index) => taskFor(testOrg, { key: `task:${index}` }));
    const outcome = await connectorFor(testOrg).upsertTasks([...tasks, { ...tasks[0]!, subject: 'Latest' }]);
    expect(outcome.saved.size).toBe(250);
    const calls = connectorCalls(testOrg, /\/composite\/sobjects\/Task\/ABM_Alert_Key__c$/);
    expect(calls.map((call) => (call.body as { records: unknown[] }).records.length)).toEqual([200, 50]);
    const saved = await soql(testOrg, `SELECT Id, Subject FROM Task WHERE ABM_Alert_Key__c = 'task:0'`);
    expect(saved).toMatchObject([{ Subject: 'Latest' }]);
  });

  it('reports a task whose assignee is inactive and saves the others', async () => {
    const testOrg = await seededOrg(100);
    const owner = liveRows(testOrg, 'Account')[0]!['OwnerId'];
    const inactive = liveRows(testOrg, 'User').find(
      (user) => user['Id'] !== owner && user['Id'] !== testOrg.org.data.integrationUserId,
    )!;
    await rest(testOrg, 'PATCH', `/sobjects/User/${String(inactive['Id'])}`, { IsActive: false });
    const outcome = await connectorFor(testOrg).upsertTasks([
      taskFor(testOrg, { key: 'ok' }),
      taskFor(testOrg, { key: 'nobody', assigneeCrmId: String(inactive['Id']) }),
    ]);
    expect([...outcome.saved.keys()]).toEqual(['ok']);
    expect(outcome.failed).toMatchObject([{ id: 'nobody', code: 'INACTIVE_OWNER_OR_USER' }]);
  });

  it('does not pull ABM alert tasks back as engagements', async () => {
    const testOrg = await seededOrg(100);
    const connector = connectorFor(testOrg, { overlapMs: 0 });
    const full = await collect(connector, 'engagements', null);
    testOrg.advance(10 * MINUTE_MS);
    const saved = await connector.upsertTasks([taskFor(testOrg)]);
    const taskId = [...saved.saved.values()][0]!;
    const changed = await collect(connector, 'engagements', full.at(-1)!.cursor);
    expect(changed.flatMap((page) => page.records)).toEqual([]);
    expect(full.flatMap((page) => page.records).map((record) => record.crmId)).not.toContain(taskId);
  });
});
