import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { Owner } from './store.ts';
import type { TestEmulator } from './testKit.ts';
import { manualClock, seed, startTestEmulator } from './testKit.ts';

// Edits made "in HubSpot" by a named user: property history names them (`updatedByUserId`, `sourceId`)
// on every read that returns history, while API writes by the private app name nobody.

const clock = manualClock();
let hs: TestEmulator;
let companyIds: string[];
let owners: Owner[];

beforeAll(async () => {
  hs = await startTestEmulator({
    now: clock.now,
    portals: [{ portalId: DEFAULT_PORTAL_ID, limits: { tenSecondly: 100_000 } }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.loadSeed(DEFAULT_PORTAL_ID, seed(100), { contacts: false, deals: false, engagements: false });
  const data = hs.emulator.portal(DEFAULT_PORTAL_ID).data;
  companyIds = [...data.tables.companies.liveRecords()].map((record) => String(record.id));
  owners = data.owners;
});

afterAll(async () => {
  await hs.close();
});

const uiEdit = (id: string, body: unknown) =>
  fetch(`${hs.url}/__sandbox/portals/${DEFAULT_PORTAL_ID}/objects/companies/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

interface WireHistory {
  readonly value: string;
  readonly timestamp: string;
  readonly sourceType: string;
  readonly sourceId?: string;
  readonly updatedByUserId?: number;
}

const tierHistory = async (id: string): Promise<WireHistory[]> => {
  const response = await hs.call('/crm/v3/objects/companies/batch/read', {
    method: 'POST',
    body: JSON.stringify({
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: ['hs_ideal_customer_profile'],
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    results: { propertiesWithHistory: Record<string, WireHistory[]> }[];
  };
  return body.results[0]!.propertiesWithHistory.hs_ideal_customer_profile!;
};

describe('edits made in HubSpot by a user', () => {
  it('names the user in the property history, newest first, as updatedByUserId and sourceId', async () => {
    const id = companyIds[0]!;
    const editor = owners[1]!;
    const edited = await uiEdit(id, {
      properties: { hs_ideal_customer_profile: 'tier_1' },
      userId: editor.userId,
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { properties: Record<string, string> }).properties).toMatchObject({
      hs_ideal_customer_profile: 'tier_1',
    });

    const history = await tierHistory(id);
    expect(history[0]).toEqual({
      value: 'tier_1',
      timestamp: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
      sourceType: 'CRM_UI',
      sourceId: `userId:${editor.userId}`,
      updatedByUserId: editor.userId,
    });
    expect(editor.userId).not.toBe(editor.id);
  });

  it('returns the same history on a single read and on a list page', async () => {
    const id = companyIds[2]!;
    const editor = owners[0]!;
    await uiEdit(id, { properties: { hs_ideal_customer_profile: 'tier_3' }, userId: editor.userId });
    const single = (await (
      await hs.call(`/crm/v3/objects/companies/${id}?propertiesWithHistory=hs_ideal_customer_profile`)
    ).json()) as { propertiesWithHistory: Record<string, WireHistory[]> };
    expect(single.propertiesWithHistory.hs_ideal_customer_profile![0]).toMatchObject({
      value: 'tier_3',
      updatedByUserId: editor.userId,
    });
    const list = (await (
      await hs.call(`/crm/v3/objects/companies?limit=100&propertiesWithHistory=hs_ideal_customer_profile`)
    ).json()) as { results: { id: string; propertiesWithHistory: Record<string, WireHistory[]> }[] };
    const listed = list.results.find((company) => company.id === id)!;
    expect(listed.propertiesWithHistory.hs_ideal_customer_profile![0]).toMatchObject({
      sourceId: `userId:${editor.userId}`,
      updatedByUserId: editor.userId,
    });
  });

  it('keeps API writes as the private app made them: source API, no user, no source id', async () => {
    const id = companyIds[3]!;
    await uiEdit(id, { properties: { hs_ideal_customer_profile: 'tier_1' }, userId: owners[0]!.userId });
    clock.advance(1_000);
    await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_ideal_customer_profile: 'tier_2' } });
    const [latest, previous] = await tierHistory(id);
    expect(latest).toEqual({
      value: 'tier_2',
      timestamp: expect.any(String),
      sourceType: 'API',
    });
    expect(previous).toMatchObject({ value: 'tier_1', updatedByUserId: owners[0]!.userId });
  });

  it('records an edit in HubSpot without a user as CRM_UI that names nobody', async () => {
    const id = companyIds[4]!;
    expect((await uiEdit(id, { properties: { hs_ideal_customer_profile: 'tier_2' } })).status).toBe(200);
    const [latest] = await tierHistory(id);
    expect(latest).toEqual({ value: 'tier_2', timestamp: expect.any(String), sourceType: 'CRM_UI' });
  });

  it('refuses with 400 a user who is none of the portal’s owners, an owner id, or a userId that is no number', async () => {
    const id = companyIds[5]!;
    const before = await tierHistory(id);
    const owner = owners[0]!;
    for (const userId of [424_242, owner.id, String(owner.userId), 1.5]) {
      const response = await uiEdit(id, { properties: { hs_ideal_customer_profile: 'tier_1' }, userId });
      expect(response.status, String(userId)).toBe(400);
      expect(await response.json()).toMatchObject({ status: 'error', message: expect.any(String) });
    }
    expect(await tierHistory(id)).toEqual(before);
  });

  it('makes the same edit through the emulator object, and throws when the user is refused', async () => {
    const id = companyIds[6]!;
    const editor = owners[2]!;
    const record = hs.emulator.editInHubSpot(
      DEFAULT_PORTAL_ID,
      'companies',
      id,
      { hs_ideal_customer_profile: 'tier_3' },
      { userId: editor.userId },
    );
    expect(record).toMatchObject({ id, properties: { hs_ideal_customer_profile: 'tier_3' } });
    expect((await tierHistory(id))[0]).toMatchObject({
      value: 'tier_3',
      sourceType: 'CRM_UI',
      updatedByUserId: editor.userId,
    });
    expect(() =>
      hs.emulator.editInHubSpot(DEFAULT_PORTAL_ID, 'companies', id, { name: 'x' }, { userId: 1 }),
    ).toThrow(/refused with 400/);
  });

  it('records a cleared tier as an empty value by the user who cleared it', async () => {
    const id = companyIds[7]!;
    const editor = owners[0]!;
    hs.emulator.editInHubSpot(DEFAULT_PORTAL_ID, 'companies', id, { hs_ideal_customer_profile: 'tier_1' });
    clock.advance(1_000);
    hs.emulator.editInHubSpot(
      DEFAULT_PORTAL_ID,
      'companies',
      id,
      { hs_ideal_customer_profile: null },
      { userId: editor.userId },
    );
    expect((await tierHistory(id))[0]).toMatchObject({ value: '', updatedByUserId: editor.userId });
  });
});
