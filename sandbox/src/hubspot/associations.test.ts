import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import type { TestEmulator } from './testKit.ts';
import { apiError, seed, startTestEmulator } from './testKit.ts';

// Associations v4 through the official SDK: default and labelled creation, listing, batch read with
// 207 for records without associations, removal.

let hs: TestEmulator;
let companyIds: string[];
let dealIds: string[];
let contactIds: string[];

beforeAll(async () => {
  hs = await startTestEmulator({
    portals: [{ portalId: DEFAULT_PORTAL_ID, limits: { tenSecondly: 100_000 } }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.loadSeed(DEFAULT_PORTAL_ID, seed(100), { engagements: false });
  const tables = hs.emulator.portal(DEFAULT_PORTAL_ID).data.tables;
  companyIds = [...tables.companies.liveRecords()].map((record) => String(record.id));
  dealIds = [...tables.deals.liveRecords()].map((record) => String(record.id));
  contactIds = [...tables.contacts.liveRecords()].map((record) => String(record.id));
});

afterAll(async () => {
  await hs.close();
});

const v4 = () => hs.client().crm.associations.v4;

describe('associations v4', () => {
  it('lists the company of a seeded deal with its primary and unlabeled types', async () => {
    const page = await v4().basicApi.getPage('deals', dealIds[0]!, 'companies');
    expect(page.results).toHaveLength(1);
    expect(page.results[0]!.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
    ]);
  });

  it('creates a default association both ways and answers with both specs', async () => {
    const batch = await v4().basicApi.createDefault('contacts', contactIds[0]!, 'companies', companyIds[9]!);
    expect(batch.status).toBe('COMPLETE');
    expect(batch.results.map((result) => result.associationSpec.associationTypeId).sort()).toEqual([
      279, 280,
    ]);
    const reverse = await v4().basicApi.getPage('companies', companyIds[9]!, 'contacts');
    expect(reverse.results.map((result) => String(result.toObjectId))).toContain(contactIds[0]);
  });

  it('creates a labelled (primary) deal-to-company association with 201', async () => {
    const created = await v4().basicApi.create('deals', dealIds[0]!, 'companies', companyIds[9]!, [
      { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 5 },
    ]);
    expect(created).toMatchObject({ fromObjectTypeId: '0-3', toObjectTypeId: '0-2', labels: ['Primary'] });
    expect(String(created.toObjectId)).toBe(companyIds[9]);
  });

  it('refuses a type that does not join the two object types', async () => {
    const error = await apiError(
      v4().basicApi.create('deals', dealIds[0]!, 'companies', companyIds[0]!, [
        { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 192 },
      ]),
    );
    expect(error.code).toBe(400);
  });

  it('reads associations in batch, with 207 and NO_ASSOCIATIONS_FOUND for a record without any', async () => {
    const lonely = await hs
      .client()
      .crm.deals.basicApi.create({ properties: { dealname: 'Lonely' }, associations: [] });
    const response = await hs.call('/crm/v4/associations/deals/companies/batch/read', {
      method: 'POST',
      body: JSON.stringify({ inputs: [{ id: dealIds[0] }, { id: lonely.id }] }),
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as { results: Array<{ from: { id: string } }>; errors: unknown[] };
    expect(body.results.map((result) => result.from.id)).toEqual([dealIds[0]]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No company is associated with deal ${lonely.id}.`,
      }),
    ]);
    const sdk = await v4().batchApi.getPage('deals', 'companies', { inputs: [{ id: dealIds[0]! }] });
    expect(sdk.results[0]!.to[0]!.associationTypes.map((type) => type.typeId)).toEqual([5, 341]);
  });

  it('removes an association in both directions', async () => {
    const page = await v4().basicApi.getPage('deals', dealIds[0]!, 'companies');
    const companyId = String(page.results[0]!.toObjectId);
    await v4().basicApi.archive('deals', dealIds[0]!, 'companies', companyId);
    expect((await v4().basicApi.getPage('deals', dealIds[0]!, 'companies')).results).toEqual([]);
    const back = await v4().basicApi.getPage('companies', companyId, 'deals');
    expect(back.results.map((result) => String(result.toObjectId))).not.toContain(dealIds[0]);
  });

  it('creates associations in batch with 201 and reports invalid ids as errors', async () => {
    const response = await hs.call('/crm/v4/associations/contacts/companies/batch/create', {
      method: 'POST',
      body: JSON.stringify({
        inputs: [
          {
            from: { id: contactIds[0] },
            to: { id: companyIds[5] },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
          },
          {
            from: { id: '12' },
            to: { id: companyIds[5] },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
          },
        ],
      }),
    });
    expect(response.status).toBe(207);
    const viaSdk = await v4().batchApi.create('contacts', 'companies', {
      inputs: [
        {
          _from: { id: contactIds[1]! },
          to: { id: companyIds[6]! },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }],
        },
      ],
    });
    expect(viaSdk.results).toHaveLength(1);
  });
});
