import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Owner } from '../../../../sandbox/src/hubspot/store.ts';
import { HISTORY_BATCH_SIZE } from './history.ts';
import type { TestPortal } from './testKit.ts';
import { recordingFetch, seedDataset, startPortal } from './testKit.ts';

// Who last changed a company's tier, from HubSpot's property history, against the emulator: edits made
// in HubSpot by a user name that user (a login user id), API writes name nobody.

let portal: TestPortal;
let untiered: string[];
let tiered: string[];
let owners: Owner[];

beforeAll(async () => {
  portal = await startPortal();
  portal.emulator.loadSeed(portal.portalId, seedDataset(300), { contacts: false, engagements: false });
  const hub = portal.emulator.portal(portal.portalId);
  const companies = [...hub.data.tables.companies.liveRecords()];
  untiered = companies
    .filter((record) => record.properties.hs_ideal_customer_profile === undefined)
    .map((record) => String(record.id));
  tiered = companies
    .filter((record) => record.properties.hs_ideal_customer_profile !== undefined)
    .map((record) => String(record.id));
  owners = hub.data.owners.filter((owner) => !owner.archived);
  expect(untiered.length).toBeGreaterThan(150);
  expect(tiered.length).toBeGreaterThan(3);
  // 120 companies whose tier users set in HubSpot, for the batching and failure tests.
  for (const [index, id] of edited().entries()) {
    portal.emulator.editInHubSpot(
      portal.portalId,
      'companies',
      id,
      { hs_ideal_customer_profile: 'tier_2' },
      { userId: owners[index % owners.length]!.userId },
    );
  }
});

const edited = (): string[] => untiered.slice(20, 140);

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

/** An edit made in HubSpot by the user, through the sandbox's admin route. */
const editInHubSpot = async (id: string, tier: string | null, userId?: number): Promise<void> => {
  const response = await fetch(`${portal.url}/__sandbox/portals/${portal.portalId}/objects/companies/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      properties: { hs_ideal_customer_profile: tier ?? '' },
      ...(userId === undefined ? {} : { userId }),
    }),
  });
  expect(response.status).toBe(200);
};

const historyReads = (recorder: ReturnType<typeof recordingFetch>) =>
  recorder.requests.filter((request) => request.path === '/crm/v3/objects/companies/batch/read');

const inputsOf = (body: unknown): string[] =>
  (body as { inputs: { id: string }[] }).inputs.map((input) => input.id);

describe('tierFieldChanges', () => {
  it('names the HubSpot user who changed the tier in HubSpot, with the value and when', async () => {
    const [first, second] = untiered;
    const editor = owners[0]!;
    portal.clock.advance(60_000);
    await editInHubSpot(first!, 'tier_2', editor.userId);
    const editedAt = portal.clock.now();
    portal.clock.advance(1_000);
    // The same edit through the emulator object, by another user.
    portal.emulator.editInHubSpot(
      portal.portalId,
      'companies',
      second!,
      { hs_ideal_customer_profile: 'tier_1' },
      { userId: owners[1]!.userId },
    );

    const changes = await portal.connector().tierFieldChanges([first!, second!]);
    expect(changes.get(first!)).toEqual({
      accountCrmId: first,
      value: 'tier_2',
      at: editedAt,
      editorId: String(editor.userId),
      editorKind: 'login_user',
    });
    expect(changes.get(second!)).toMatchObject({ value: 'tier_1', editorId: String(owners[1]!.userId) });
    expect(String(editor.userId)).not.toBe(String(editor.id));
  });

  it('reports the latest change only, and a tier cleared in HubSpot as no tier', async () => {
    const id = untiered[2]!;
    await editInHubSpot(id, 'tier_3', owners[0]!.userId);
    portal.clock.advance(1_000);
    await editInHubSpot(id, null, owners[2]!.userId);
    const changes = await portal.connector().tierFieldChanges([id]);
    expect(changes.get(id)).toMatchObject({ value: null, editorId: String(owners[2]!.userId) });
  });

  it('names nobody for a write the integration made through the API', async () => {
    const id = untiered[3]!;
    await editInHubSpot(id, 'tier_3', owners[0]!.userId);
    portal.clock.advance(1_000);
    const connector = portal.connector();
    const outcome = await connector.writeAccounts([{ crmId: id, fields: { tier: 'tier_1' } }]);
    expect(outcome.failed).toEqual([]);
    const changes = await connector.tierFieldChanges([id]);
    expect(changes.get(id)).toEqual({
      accountCrmId: id,
      value: 'tier_1',
      at: portal.clock.now(),
      editorId: null,
      editorKind: 'login_user',
    });
  });

  it('leaves out a company whose tier was never set, and names nobody for a tier set at import', async () => {
    const never = untiered[4]!;
    const imported = tiered[0]!;
    const changes = await portal.connector().tierFieldChanges([never, imported, '999999999999']);
    expect(changes.has(never)).toBe(false);
    expect(changes.has('999999999999')).toBe(false);
    expect(changes.get(imported)).toMatchObject({ editorId: null, value: expect.stringMatching(/^tier_/) });
  });

  it('reads 120 companies in batches of 50, one call each, counted in usage', async () => {
    const ids = edited();
    const recorder = recordingFetch();
    const connector = portal.connector({ fetch: recorder.fetch });
    const changes = await connector.tierFieldChanges([...ids, ids[0]!]);

    expect(changes.size).toBe(120);
    for (const [index, id] of ids.entries()) {
      expect(changes.get(id)?.editorId).toBe(String(owners[index % owners.length]!.userId));
    }
    const calls = historyReads(recorder);
    expect(calls.map((call) => inputsOf(call.body).length)).toEqual([50, 50, 20]);
    expect(HISTORY_BATCH_SIZE).toBe(50);
    for (const call of calls) {
      expect(call.body).toMatchObject({ propertiesWithHistory: ['hs_ideal_customer_profile'] });
      expect(call.status).toBe(200);
    }
    expect(connector.usage().calls).toBe(3);
  });

  it('leaves out a batch HubSpot refuses with a 4xx, and keeps the others', async () => {
    const ids = edited();
    await addFault({ kind: 'status', status: 400, path: '/companies/batch/read$', count: 1 });
    const recorder = recordingFetch();
    const changes = await portal.connector({ fetch: recorder.fetch }).tierFieldChanges(ids);
    expect(historyReads(recorder).map((call) => call.status)).toEqual([400, 200, 200]);
    expect([...changes.keys()].sort()).toEqual(ids.slice(50).sort());
  });

  it('retries a transient failure as every call does, and answers an empty map once HubSpot stays down', async () => {
    const ids = edited().slice(0, 10);
    await addFault({ kind: 'status', status: 503, path: '/companies/batch/read$', count: 1 });
    const recovered = portal.connector();
    expect((await recovered.tierFieldChanges(ids)).size).toBe(10);
    expect(recovered.usage()).toMatchObject({ calls: 2, retries: 1 });

    await addFault({ kind: 'status', status: 503, path: '/companies/batch/read$' });
    const down = portal.connector({ retry: { maxAttempts: 3 } });
    const changes = await down.tierFieldChanges(edited());
    expect(changes.size).toBe(0);
    // The first batch spent its attempts; the read stopped there rather than failing every batch.
    expect(down.usage()).toMatchObject({ calls: 3, retries: 2 });
  });

  it('asks again for the companies a batch failed transiently', async () => {
    const ids = edited().slice(0, 40);
    await addFault({ kind: 'partial', failShare: 0.5, path: '/companies/batch/read$', count: 1 });
    const recorder = recordingFetch();
    const changes = await portal.connector({ fetch: recorder.fetch }).tierFieldChanges(ids);
    expect(changes.size).toBe(40);
    const calls = historyReads(recorder);
    expect(calls).toHaveLength(2);
    expect(inputsOf(calls[1]!.body).length).toBeLessThan(40);
  });

  it('answers an empty map without a call when no company is asked', async () => {
    const recorder = recordingFetch();
    const connector = portal.connector({ fetch: recorder.fetch });
    expect((await connector.tierFieldChanges([])).size).toBe(0);
    expect(recorder.requests).toEqual([]);
  });
});
