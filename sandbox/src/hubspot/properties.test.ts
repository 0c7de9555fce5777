import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { TestEmulator } from './testKit.ts';
import { apiError, seed, startTestEmulator } from './testKit.ts';

// The Properties API (definitions and groups) and the Owners API, through the official SDK.

let hs: TestEmulator;

beforeAll(async () => {
  hs = await startTestEmulator({
    portals: [{ portalId: DEFAULT_PORTAL_ID, limits: { tenSecondly: 100_000 } }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.loadSeed(DEFAULT_PORTAL_ID, seed(100), { contacts: false, deals: false, engagements: false });
});

afterAll(async () => {
  await hs.close();
});

const abmScore = {
  name: 'abm_score',
  label: 'ABM score',
  type: 'number' as never,
  fieldType: 'number' as never,
  groupName: 'abm',
};

describe('property definitions', () => {
  it('has the native ABM properties: hs_ideal_customer_profile with three tiers and hs_is_target_account', async () => {
    const all = await hs.client().crm.properties.coreApi.getAll('companies');
    const icp = all.results.find((property) => property.name === 'hs_ideal_customer_profile');
    expect(icp).toMatchObject({ type: 'enumeration', hubspotDefined: true });
    expect(icp?.options.map((option) => option.value)).toEqual(['tier_1', 'tier_2', 'tier_3']);
    const target = await hs.client().crm.properties.coreApi.getByName('companies', 'hs_is_target_account');
    expect(target).toMatchObject({ type: 'bool', fieldType: 'booleancheckbox' });
  });

  it('creates a group and a custom property with 201, after which the property can be written', async () => {
    const group = await hs
      .client()
      .crm.properties.groupsApi.create('companies', { name: 'abm', label: 'ABM', displayOrder: -1 });
    expect(group).toMatchObject({ name: 'abm', label: 'ABM', archived: false });
    const property = await hs.client().crm.properties.coreApi.create('companies', abmScore);
    expect(property).toMatchObject({ name: 'abm_score', groupName: 'abm', hubspotDefined: false });
    const companyId = String(
      [...hs.emulator.portal(DEFAULT_PORTAL_ID).data.tables.companies.liveRecords()][0]!.id,
    );
    const updated = await hs
      .client()
      .crm.companies.basicApi.update(companyId, { properties: { abm_score: '87' } });
    expect(updated.properties.abm_score).toBe('87');
  });

  it('refuses a property that already exists with 409 and a property in a missing group with 400', async () => {
    await hs.client().crm.properties.groupsApi.create('companies', { name: 'abm', label: 'ABM' });
    await hs.client().crm.properties.coreApi.create('companies', abmScore);
    const duplicate = await apiError(hs.client().crm.properties.coreApi.create('companies', abmScore));
    expect(duplicate.code).toBe(409);
    expect(duplicate.body).toMatchObject({
      message: "Property named 'abm_score' already exists.",
      category: 'OBJECT_ALREADY_EXISTS',
    });
    const orphan = await apiError(
      hs
        .client()
        .crm.properties.coreApi.create('companies', { ...abmScore, name: 'abm_other', groupName: 'nope' }),
    );
    expect(orphan.code).toBe(400);
  });

  it('requires a boolean property to have exactly the options true and false', async () => {
    const error = await apiError(
      hs.client().crm.properties.coreApi.create('companies', {
        name: 'abm_flag',
        label: 'Flag',
        type: 'bool' as never,
        fieldType: 'booleancheckbox' as never,
        groupName: 'companyinformation',
      }),
    );
    expect(error.body.message).toBe(
      "Boolean properties must have exactly two options; one with a value of 'true', the other with a value of 'false'.",
    );
  });

  it('upserts companies by a custom property with unique values', async () => {
    await hs.client().crm.properties.coreApi.create('companies', {
      name: 'abm_key',
      label: 'ABM key',
      type: 'string' as never,
      fieldType: 'text' as never,
      groupName: 'companyinformation',
      hasUniqueValue: true,
    });
    const first = await hs.client().crm.companies.batchApi.upsert({
      inputs: [{ id: 'k-1', idProperty: 'abm_key', properties: { name: 'Keyed' } }],
    });
    const second = await hs.client().crm.companies.batchApi.upsert({
      inputs: [{ id: 'k-1', idProperty: 'abm_key', properties: { name: 'Keyed again' } }],
    });
    expect(first.results[0]!._new).toBe(true);
    expect(second.results[0]).toMatchObject({ id: first.results[0]!.id, _new: false });
  });

  it('makes writes to an archived custom property fail as for an unknown one', async () => {
    await hs
      .client()
      .crm.properties.coreApi.create('companies', { ...abmScore, groupName: 'companyinformation' });
    await hs.client().crm.properties.coreApi.archive('companies', 'abm_score');
    const companyId = String(
      [...hs.emulator.portal(DEFAULT_PORTAL_ID).data.tables.companies.liveRecords()][0]!.id,
    );
    const error = await apiError(
      hs.client().crm.companies.basicApi.update(companyId, { properties: { abm_score: '1' } }),
    );
    expect(error.body.message).toContain('"error":"PROPERTY_DOESNT_EXIST"');
  });

  it('lists the groups of an object type', async () => {
    const groups = await hs.client().crm.properties.groupsApi.getAll('contacts');
    expect(groups.results.map((group) => group.name)).toContain('contactinformation');
  });
});

describe('owners', () => {
  it('pages through every owner and finds one by email', async () => {
    const owners = hs.emulator.portal(DEFAULT_PORTAL_ID).data.owners;
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await hs.client().crm.owners.ownersApi.getPage(undefined, after, 5);
      seen.push(...page.results.map((owner) => owner.id));
      after = page.paging?.next?.after;
    } while (after !== undefined);
    expect(seen).toEqual(owners.map((owner) => String(owner.id)));
    const byEmail = await hs.client().crm.owners.ownersApi.getPage(owners[2]!.email);
    expect(byEmail.results.map((owner) => owner.id)).toEqual([String(owners[2]!.id)]);
    expect(byEmail.results[0]).toMatchObject({ type: 'PERSON', userId: owners[2]!.userId, archived: false });
  });

  it('refuses a page larger than 500 owners', async () => {
    const error = await apiError(hs.client().crm.owners.ownersApi.getPage(undefined, undefined, 501));
    expect(error.code).toBe(400);
    expect(error.body.message).toBe('Must be less than or equal to 500');
  });
});
