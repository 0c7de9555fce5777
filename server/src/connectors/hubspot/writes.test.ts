import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { AccountWrite, TaskWrite } from '../../model.ts';
import type { TestPortal } from './testKit.ts';
import { recordingFetch, seedDataset, startPortal } from './testKit.ts';

// Write-back of ABM fields and SLA tasks, read back through the emulator's own API.

let portal: TestPortal;
let companyIds: string[];
let ownerIds: string[];

beforeAll(async () => {
  portal = await startPortal();
  portal.emulator.loadSeed(portal.portalId, seedDataset(300), { contacts: false, engagements: false });
  const hub = portal.emulator.portal(portal.portalId);
  companyIds = [...hub.data.tables.companies.liveRecords()].map((record) => String(record.id));
  ownerIds = hub.data.owners.map((owner) => String(owner.id));
  const prepared = await portal.connector().prepare();
  expect(prepared.ok).toBe(true);
});

afterEach(async () => {
  expect((await fetch(`${portal.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
});

afterAll(async () => {
  await portal.close();
});

const addFault = async (rule: Record<string, unknown>): Promise<void> => {
  const response = await fetch(`${portal.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(response.status).toBe(201);
};

const company = async (id: string): Promise<Record<string, string | null>> => {
  const properties = [
    'abm_score',
    'abm_sla_status',
    'abm_next_sla_due',
    'abm_tier_reason',
    'abm_last_sync',
    'hs_ideal_customer_profile',
    'hs_is_target_account',
  ];
  const response = await portal.api(`/crm/v3/objects/companies/${id}?properties=${properties.join(',')}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { properties: Record<string, string | null> }).properties;
};

const inputsOf = (body: unknown): { id: string }[] => (body as { inputs: { id: string }[] }).inputs;

describe('writeAccounts', () => {
  it('writes 250 accounts in three batch calls and the values read back from HubSpot', async () => {
    const due = Date.parse('2026-01-07T15:00:00.000Z');
    const synced = Date.parse('2026-01-05T09:00:00.000Z');
    const writes: AccountWrite[] = companyIds.slice(0, 250).map((crmId, index) => ({
      crmId,
      fields: {
        tier: 'tier_2',
        score: 50 + (index % 40),
        slaStatus: 'at_risk',
        nextSlaDueAt: due,
        tierReason: 'High intent and open pipeline',
        lastSyncAt: synced,
      },
    }));
    const connector = portal.connector();
    const outcome = await connector.writeAccounts(writes);
    expect(outcome.failed).toEqual([]);
    expect(outcome.written).toEqual(writes.map((write) => write.crmId));
    expect(connector.usage().calls).toBe(3);
    expect(await company(companyIds[7]!)).toMatchObject({
      abm_score: '57',
      abm_sla_status: 'at_risk',
      abm_next_sla_due: '2026-01-07T15:00:00Z',
      abm_tier_reason: 'High intent and open pipeline',
      abm_last_sync: '2026-01-05T09:00:00Z',
      hs_ideal_customer_profile: 'tier_2',
      hs_is_target_account: 'true',
    });
  });

  it('clears a value written as null and un-targets an account whose tier is removed', async () => {
    const id = companyIds[3]!;
    await portal
      .connector()
      .writeAccounts([{ crmId: id, fields: { tier: 'tier_1', score: 90, slaStatus: 'breached' } }]);
    await portal.connector().writeAccounts([{ crmId: id, fields: { tier: null, score: null } }]);
    expect(await company(id)).toMatchObject({
      abm_score: null,
      hs_ideal_customer_profile: null,
      hs_is_target_account: 'false',
      abm_sla_status: 'breached',
    });
  });

  it('sends again only the records a partial failure names, and all of them end up written', async () => {
    await addFault({
      kind: 'partial',
      failShare: 0.3,
      path: '/crm/v3/objects/companies/batch/update',
      count: 1,
    });
    const recorder = recordingFetch();
    const writes = companyIds.slice(0, 100).map((crmId) => ({ crmId, fields: { score: 42 } }));
    const outcome = await portal.connector({ fetch: recorder.fetch }).writeAccounts(writes);
    expect(outcome.failed).toEqual([]);
    expect(outcome.written.length).toBe(100);
    const [first, second, ...rest] = recorder.requests;
    expect(rest).toEqual([]);
    expect(first!.status).toBe(207);
    const failedIds = (first!.responseBody as { errors: { context: { ids: string[] } }[] }).errors.flatMap(
      (error) => error.context.ids,
    );
    expect(failedIds.length).toBeGreaterThan(0);
    expect(failedIds.length).toBeLessThan(100);
    expect(inputsOf(second!.body).map((input) => input.id)).toEqual(failedIds);
    expect(second!.status).toBe(200);
    for (const id of [...failedIds.slice(0, 3), companyIds[99]!])
      expect((await company(id)).abm_score).toBe('42');
  });

  it('reports records that keep failing after the bounded retries, and those HubSpot does not know', async () => {
    await addFault({ kind: 'partial', failShare: 1, path: '/crm/v3/objects/companies/batch/update' });
    const connector = portal.connector({ retry: { maxAttempts: 3 } });
    const outcome = await connector.writeAccounts([{ crmId: companyIds[0]!, fields: { score: 1 } }]);
    expect(outcome.written).toEqual([]);
    expect(outcome.failed).toEqual([
      expect.objectContaining({ id: companyIds[0], code: 'retries_exhausted' }),
    ]);
    expect(connector.usage().calls).toBe(3);

    await fetch(`${portal.url}/__sandbox/faults`, { method: 'DELETE' });
    const missing = '999999999999';
    const mixed = await portal.connector().writeAccounts([
      { crmId: companyIds[1]!, fields: { score: 2 } },
      { crmId: missing, fields: { score: 2 } },
    ]);
    expect(mixed.written).toEqual([companyIds[1]]);
    expect(mixed.failed).toEqual([expect.objectContaining({ id: missing, code: 'not_found' })]);
  });
});

const task = (index: number, overrides: Partial<TaskWrite> = {}): TaskWrite => ({
  key: `sla:${companyIds[index]}:sales_follow_up:breach`,
  accountCrmId: companyIds[index]!,
  assigneeCrmId: ownerIds[index % ownerIds.length]!,
  subject: `SLA breach: follow up account ${index}`,
  body: 'The follow-up SLA is breached.',
  dueAt: Date.parse('2026-01-06T09:00:00.000Z'),
  priority: 'high',
  status: 'open',
  ...overrides,
});

const tasksInPortal = () => [...portal.emulator.portal(portal.portalId).data.tables.tasks.liveRecords()];

describe('upsertTasks', () => {
  it('makes one task per key, associated to the company and assigned, even when sent twice', async () => {
    const before = tasksInPortal().length;
    const first = await portal.connector().upsertTasks([task(10), task(11)]);
    expect(first.failed).toEqual([]);
    const second = await portal.connector().upsertTasks([task(10, { status: 'completed' }), task(11)]);
    expect(second.failed).toEqual([]);
    expect(tasksInPortal().length).toBe(before + 2);
    expect([...second.saved.entries()]).toEqual([...first.saved.entries()]);

    const taskId = first.saved.get(task(10).key)!;
    const read = await portal.api(
      `/crm/v3/objects/tasks/${taskId}?properties=hs_task_status,hubspot_owner_id,hs_task_subject,abm_alert_key,hs_timestamp`,
    );
    expect(((await read.json()) as { properties: Record<string, string> }).properties).toMatchObject({
      hs_task_status: 'COMPLETED',
      hubspot_owner_id: task(10).assigneeCrmId,
      hs_task_subject: task(10).subject,
      abm_alert_key: task(10).key,
      hs_timestamp: '2026-01-06T09:00:00Z',
    });
    const links = await portal.api(`/crm/v4/objects/tasks/${taskId}/associations/companies`);
    const body = (await links.json()) as {
      results: { toObjectId: number; associationTypes: { typeId: number }[] }[];
    };
    expect(body.results).toEqual([
      expect.objectContaining({
        toObjectId: Number(companyIds[10]),
        associationTypes: [expect.objectContaining({ typeId: 192 })],
      }),
    ]);
  });

  it('saves a task about no account without associating it to anything', async () => {
    const unattached = task(12, { key: 'delivery:2026-06:owner', accountCrmId: null });
    const recorder = recordingFetch();
    const outcome = await portal.connector({ fetch: recorder.fetch }).upsertTasks([unattached]);
    expect(outcome.failed).toEqual([]);
    const taskId = outcome.saved.get(unattached.key)!;
    const read = await portal.api(
      `/crm/v3/objects/tasks/${taskId}?properties=hubspot_owner_id,abm_alert_key`,
    );
    expect(((await read.json()) as { properties: Record<string, string> }).properties).toMatchObject({
      hubspot_owner_id: unattached.assigneeCrmId,
      abm_alert_key: unattached.key,
    });
    const links = await portal.api(`/crm/v4/objects/tasks/${taskId}/associations/companies`);
    expect(((await links.json()) as { results: unknown[] }).results).toEqual([]);
    expect(recorder.requests.map((request) => request.path)).toEqual(['/crm/v3/objects/tasks/batch/upsert']);
  });

  it('upserts 150 tasks with two upsert calls and two association calls', async () => {
    const tasks = Array.from({ length: 150 }, (_, index) => task(index, { key: `bulk:${index}` }));
    const connector = portal.connector();
    const outcome = await connector.upsertTasks(tasks);
    expect(outcome.failed).toEqual([]);
    expect(outcome.saved.size).toBe(150);
    expect(connector.usage().calls).toBe(4);
  });

  it('isolates a task HubSpot refuses (unknown owner) and saves the rest of its batch', async () => {
    const tasks = Array.from({ length: 10 }, (_, index) => task(index, { key: `owner-check:${index}` }));
    tasks[6] = { ...tasks[6]!, assigneeCrmId: '123' };
    const outcome = await portal.connector().upsertTasks(tasks);
    expect(outcome.failed).toEqual([
      expect.objectContaining({ id: 'owner-check:6', code: 'invalid_request' }),
    ]);
    expect(outcome.saved.size).toBe(9);
    expect(outcome.saved.has('owner-check:6')).toBe(false);
  });

  it('reports a task whose company is gone as saved but not associated, so the outbox sends it again', async () => {
    const gone = companyIds[299]!;
    expect((await portal.api(`/crm/v3/objects/companies/${gone}`, { method: 'DELETE' })).status).toBe(204);
    const outcome = await portal.connector().upsertTasks([task(299, { key: 'orphan' })]);
    expect(outcome.saved.has('orphan')).toBe(true);
    expect(outcome.failed).toEqual([expect.objectContaining({ id: 'orphan', code: 'association_failed' })]);
  });
});
