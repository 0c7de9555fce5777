import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { TestEmulator } from './testKit.ts';
import { apiError, manualClock, seed, startTestEmulator } from './testKit.ts';

// Conformance of the CRM v3 object endpoints, driven through the official @hubspot/api-client.

const clock = manualClock();
let hs: TestEmulator;
let companyIds: string[];

beforeAll(async () => {
  hs = await startTestEmulator({
    now: clock.now,
    portals: [{ portalId: DEFAULT_PORTAL_ID, limits: { tenSecondly: 100_000 } }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.setLimits(DEFAULT_PORTAL_ID, { tenSecondly: 100_000, searchPerSecond: 100_000 });
  hs.emulator.loadSeed(DEFAULT_PORTAL_ID, seed(100));
  companyIds = [...hs.emulator.portal(DEFAULT_PORTAL_ID).data.tables.companies.liveRecords()].map((record) =>
    String(record.id),
  );
});

afterAll(async () => {
  await hs.close();
});

describe('listing objects', () => {
  it('pages through every company with the after cursor, in id order, until no paging is returned', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hs.client().crm.companies.basicApi.getPage(7, after);
      seen.push(...page.results.map((company) => company.id));
      after = page.paging?.next?.after;
      pages += 1;
    } while (after !== undefined);
    expect(seen).toEqual(companyIds);
    expect(pages).toBe(Math.ceil(companyIds.length / 7));
  });

  it('caps a page at 100 results when a larger limit is asked', async () => {
    await hs.client().crm.companies.basicApi.create({ properties: { name: 'One more' }, associations: [] });
    const page = await hs.client().crm.companies.basicApi.getPage(250);
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toBeDefined();
  });

  it('returns the named properties plus the ones HubSpot always adds, null when unset, unknown ones left out', async () => {
    const page = await hs
      .client()
      .crm.companies.basicApi.getPage(1, undefined, [
        'name',
        'hs_ideal_customer_profile',
        'description',
        'no_such_prop',
      ]);
    const properties = page.results[0]!.properties;
    expect(Object.keys(properties).sort()).toEqual([
      'createdate',
      'description',
      'hs_ideal_customer_profile',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
    expect(properties.description).toBeNull();
  });

  it('lists generic engagement objects carrying the seed activity, associated to their company', async () => {
    const page = await hs
      .client()
      .crm.objects.basicApi.getPage('meetings', 5, undefined, ['hs_meeting_title'], undefined, ['companies']);
    expect(page.results.length).toBeGreaterThan(0);
    const meeting = page.results[0]!;
    expect(meeting.properties.hs_meeting_title).toMatch(/^Meeting with /);
    expect(meeting.associations?.companies?.results[0]?.type).toBe('meeting_to_company');
  });
});

describe('reading one object', () => {
  it('reads a contact by id and by its email as idProperty', async () => {
    const page = await hs.client().crm.contacts.basicApi.getPage(1, undefined, ['email', 'hs_buying_role']);
    const contact = page.results[0]!;
    expect(contact.properties).toHaveProperty('hs_buying_role');
    const byEmail = await hs
      .client()
      .crm.contacts.basicApi.getById(
        contact.properties.email!,
        ['email'],
        undefined,
        undefined,
        false,
        'email',
      );
    expect(byEmail.id).toBe(contact.id);
  });

  it('gives contacts buying roles drawn from the options of the hs_buying_role property', async () => {
    const definition = await hs.client().crm.properties.coreApi.getByName('contacts', 'hs_buying_role');
    const options = new Set(definition.options.map((option) => option.value));
    expect(options.size).toBeGreaterThan(0);
    const page = await hs.client().crm.contacts.basicApi.getPage(100, undefined, ['hs_buying_role']);
    const roles = page.results.flatMap((contact) => contact.properties.hs_buying_role?.split(';') ?? []);
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter((role) => !options.has(role))).toEqual([]);
  });

  it('answers a missing numeric id with 404 "resource not found" and no category', async () => {
    const error = await apiError(hs.client().crm.companies.basicApi.getById('999'));
    expect(error.code).toBe(404);
    expect(error.body).toEqual({
      status: 'error',
      message: 'resource not found',
      correlationId: expect.any(String),
    });
  });

  it('answers a non-numeric id with OBJECT_NOT_FOUND and the id in the context', async () => {
    const error = await apiError(hs.client().crm.companies.basicApi.getById('acme'));
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({
      message: 'Object not found.  objectId are usually numeric.',
      category: 'OBJECT_NOT_FOUND',
      context: { id: ['acme'] },
    });
  });

  it('answers an unknown object type as HubSpot does', async () => {
    const error = await apiError(hs.client().crm.objects.basicApi.getPage('widgets'));
    expect(error.code).toBe(400);
    expect(error.body.message).toBe('Unable to infer object type from: widgets');
  });
});

describe('writing objects', () => {
  it('creates a company with 201 and a Location header, and returns what was stored', async () => {
    const response = await hs.call('/crm/v3/objects/companies', {
      method: 'POST',
      body: JSON.stringify({
        properties: { name: 'Acme', domain: 'acme.test', hs_ideal_customer_profile: 'tier_2' },
      }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; properties: Record<string, string> };
    expect(response.headers.get('location')).toBe(`${hs.url}/crm/v3/objects/companies/${created.id}`);
    expect(created.properties).toMatchObject({
      name: 'Acme',
      hs_ideal_customer_profile: 'tier_2',
      hs_object_id: created.id,
    });
    const viaSdk = await hs
      .client()
      .crm.companies.basicApi.create({ properties: { name: 'Beta' }, associations: [] });
    expect(viaSdk.properties.name).toBe('Beta');
  });

  it('moves hs_lastmodifieddate and updatedAt on every change, even within one millisecond', async () => {
    const id = companyIds[0]!;
    const before = await hs.client().crm.companies.basicApi.getById(id, ['hs_lastmodifieddate']);
    const first = await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_ideal_customer_profile: 'tier_1' } });
    const second = await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_is_target_account: 'true' } });
    const stamps = [before, first, second].map((record) =>
      Date.parse(record.properties.hs_lastmodifieddate!),
    );
    expect(stamps[1]).toBeGreaterThan(stamps[0]!);
    expect(stamps[2]).toBeGreaterThan(stamps[1]!);
    expect(second.updatedAt.getTime()).toBe(stamps[2]);
  });

  it('moves hs_lastmodifieddate to the archiving instant when a company is archived', async () => {
    const id = companyIds[3]!;
    const before = await hs.client().crm.companies.basicApi.getById(id, ['hs_lastmodifieddate']);
    clock.advance(60_000);
    await hs.client().crm.companies.basicApi.archive(id);
    const archived = await hs
      .client()
      .crm.companies.basicApi.getById(id, ['hs_lastmodifieddate'], undefined, undefined, true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(Date.parse(archived.properties.hs_lastmodifieddate!)).toBe(archived.archivedAt!.getTime());
    expect(archived.properties.hs_lastmodifieddate).not.toBe(before.properties.hs_lastmodifieddate);
    expect(archived.updatedAt.getTime()).toBe(archived.archivedAt!.getTime());
  });

  it('keeps hs_lastmodifieddate when an update changes nothing', async () => {
    const id = companyIds[1]!;
    const before = await hs.client().crm.companies.basicApi.getById(id, ['name']);
    const after = await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { name: before.properties.name! } });
    expect(after.properties.hs_lastmodifieddate).toBe(before.properties.hs_lastmodifieddate);
  });

  it('refuses a write to an unknown property with HubSpot PROPERTY_DOESNT_EXIST body', async () => {
    const error = await apiError(
      hs.client().crm.companies.basicApi.update(companyIds[0]!, { properties: { abm_scroe: '87' } }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: `Property values were not valid: [{"isValid":false,"message":"Property \\"abm_scroe\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"abm_scroe","localizedErrorMessage":"Property \\"abm_scroe\\" does not exist","portalId":${DEFAULT_PORTAL_ID}}]`,
    });
  });

  it('lists every invalid property of a write: a bad option, a read-only value and a bad owner', async () => {
    const error = await apiError(
      hs.client().crm.companies.basicApi.update(companyIds[0]!, {
        properties: { hs_ideal_customer_profile: 'tier_9', hs_lastmodifieddate: '0', hubspot_owner_id: '42' },
      }),
    );
    const codes = (error.body.errors as Array<{ code: string }>).map((entry) => entry.code);
    expect(codes).toEqual(['INVALID_OPTION', 'READ_ONLY_VALUE', 'INVALID_OWNER_ID']);
    expect(error.body.message).toContain('tier_9 was not one of the allowed options: [label: \\"Tier 1\\"');
  });

  it('archives with 204, then hides the company from reads, lists and search but not from archived=true', async () => {
    const id = companyIds[2]!;
    await hs.client().crm.companies.basicApi.archive(id);
    expect((await apiError(hs.client().crm.companies.basicApi.getById(id))).code).toBe(404);
    const archived = await hs
      .client()
      .crm.companies.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((company) => company.id)).toEqual([id]);
    expect(archived.results[0]!.archivedAt).toBeInstanceOf(Date);
    const search = await hs.client().crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ' as never, value: id }] }],
    });
    expect(search.total).toBe(0);
  });

  it('creates a task due on a date, associated to its company with type 192', async () => {
    const task = await hs.client().crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: '2026-01-06T16:00:00.000Z',
        hs_task_subject: 'SLA breach: follow up',
        hs_task_priority: 'HIGH',
        hs_task_type: 'TODO',
      },
      associations: [
        {
          to: { id: companyIds[0]! },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 192 }],
        },
      ],
    });
    expect(task.properties.hs_task_status).toBe('NOT_STARTED');
    const links = await hs
      .client()
      .crm.associations.v4.basicApi.getPage('companies', companyIds[0]!, 'tasks');
    expect(links.results.map((link) => String(link.toObjectId))).toEqual([task.id]);
    expect(links.results[0]!.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 191, label: null },
    ]);
  });

  it('refuses a task without hs_timestamp and an association type of the wrong direction', async () => {
    const missing = await apiError(
      hs
        .client()
        .crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'x' }, associations: [] }),
    );
    expect(missing.code).toBe(400);
    const wrongWay = await apiError(
      hs.client().crm.objects.tasks.basicApi.create({
        properties: { hs_timestamp: '1767600000000' },
        associations: [
          {
            to: { id: companyIds[0]! },
            types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 191 }],
          },
        ],
      }),
    );
    expect(wrongWay.body.message).toBe(
      'invalid from object type 0-27 for associations to be created. expected: 0-2',
    );
  });

  it('refuses a second contact with an existing email with 409 CONFLICT naming the existing id', async () => {
    const page = await hs.client().crm.contacts.basicApi.getPage(1, undefined, ['email']);
    const existing = page.results[0]!;
    const error = await apiError(
      hs.client().crm.contacts.basicApi.create({
        properties: { email: existing.properties.email!.toUpperCase() },
        associations: [],
      }),
    );
    expect(error.code).toBe(409);
    expect(error.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${existing.id}`,
    });
  });

  it('merges two companies: the merged id reads as the primary, which records it', async () => {
    const [primary, secondary] = [companyIds[3]!, companyIds[4]!];
    const merged = await hs
      .client()
      .crm.companies.basicApi.merge({ primaryObjectId: primary, objectIdToMerge: secondary });
    expect(merged.properties.hs_merged_object_ids).toBe(secondary);
    const viaOldId = await hs.client().crm.companies.basicApi.getById(secondary);
    expect(viaOldId.id).toBe(primary);
  });
});

describe('batch endpoints', () => {
  it('reads a batch with 200 and status COMPLETE when every id exists', async () => {
    const batch = await hs.client().crm.companies.batchApi.read({
      inputs: companyIds.slice(0, 3).map((id) => ({ id })),
      properties: ['name'],
      propertiesWithHistory: [],
    });
    expect(batch.status).toBe('COMPLETE');
    expect(batch.results.map((company) => company.id)).toEqual(companyIds.slice(0, 3));
  });

  it('answers unknown ids in a batch read with 207 and one OBJECT_NOT_FOUND error listing them', async () => {
    const response = await hs.call('/crm/v3/objects/companies/batch/read', {
      method: 'POST',
      body: JSON.stringify({
        inputs: [{ id: companyIds[0] }, { id: '17' }, { id: '18' }],
        properties: ['name'],
      }),
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message:
            'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
          context: { ids: ['17', '18'] },
        },
      ],
    });
    expect((body.results as unknown[]).length).toBe(1);
  });

  it('fails the inputs a partial fault rule picks with 207 and applies the rest', async () => {
    hs.emulator.faults.add({ kind: 'partial', path: '/batch/update$', failShare: 0.5 });
    const inputs = companyIds.slice(0, 20).map((id) => ({ id, properties: { name: 'Renamed' } }));
    const batch = await hs.client().crm.companies.batchApi.update({ inputs });
    const failed =
      (batch as { errors?: Array<{ context: { ids: string[] } }> }).errors?.[0]?.context.ids ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(batch.results.length + failed.length).toBe(20);
    const reread = await hs.client().crm.companies.batchApi.read({
      inputs: companyIds.slice(0, 20).map((id) => ({ id })),
      properties: ['name'],
      propertiesWithHistory: [],
    });
    for (const company of reread.results) {
      expect(company.properties.name === 'Renamed').toBe(!failed.includes(company.id));
    }
  });

  it('refuses more than 100 inputs with 400 and HubSpot batch-limit message', async () => {
    const inputs = Array.from({ length: 101 }, (_, index) => ({
      id: String(index + 1),
      properties: { name: 'x' },
    }));
    const error = await apiError(hs.client().crm.companies.batchApi.update({ inputs }));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message:
        'The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again',
    });
  });

  it('refuses a batch update that names the same id twice', async () => {
    const id = companyIds[0]!;
    const error = await apiError(
      hs.client().crm.companies.batchApi.update({
        inputs: [
          { id, properties: { name: 'a' } },
          { id, properties: { name: 'b' } },
        ],
      }),
    );
    expect(error.body.message).toBe(`Duplicate IDs found in batch input: [${id}]. IDs must be unique`);
  });

  it('limits batch reads with property history to 50 inputs', async () => {
    const error = await apiError(
      hs.client().crm.companies.batchApi.read({
        inputs: companyIds.slice(0, 51).map((id) => ({ id })),
        properties: [],
        propertiesWithHistory: ['name'],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.message).toMatch(/property histories is 50/);
  });

  it('keeps each value written in the property history, newest first', async () => {
    const id = companyIds[5]!;
    await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_ideal_customer_profile: 'tier_3' } });
    clock.advance(1000);
    await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_ideal_customer_profile: 'tier_2' } });
    const batch = await hs.client().crm.companies.batchApi.read({
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: ['hs_ideal_customer_profile'],
    });
    const history = batch.results[0]!.propertiesWithHistory!.hs_ideal_customer_profile!;
    expect(history.slice(0, 2).map((entry) => entry.value)).toEqual(['tier_2', 'tier_3']);
    expect(history[0]!.sourceType).toBe('API');
  });

  it('creates in batch with 201, upserts by a unique property, and archives in batch', async () => {
    const created = await hs.client().crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'ana@new.test', firstname: 'Ana' }, associations: [] },
        { properties: { email: 'bo@new.test', firstname: 'Bo' }, associations: [] },
      ],
    });
    expect(created.results).toHaveLength(2);
    const upserted = await hs.client().crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'ana@new.test', idProperty: 'email', properties: { lastname: 'Silva' } },
        { id: 'cy@new.test', idProperty: 'email', properties: { firstname: 'Cy' } },
      ],
    });
    const byEmail = new Map(upserted.results.map((contact) => [contact.properties.email, contact]));
    expect(byEmail.get('ana@new.test')?._new).toBe(false);
    expect(byEmail.get('ana@new.test')?.properties.lastname).toBe('Silva');
    expect(byEmail.get('cy@new.test')?._new).toBe(true);
    await hs
      .client()
      .crm.contacts.batchApi.archive({ inputs: created.results.map((contact) => ({ id: contact.id })) });
    expect((await apiError(hs.client().crm.contacts.basicApi.getById(created.results[0]!.id))).code).toBe(
      404,
    );
  });
});
