import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_PORTAL_ID } from './emulator.ts';
import { createPortal, createRecord } from './portal.ts';
import { DEFAULT_RATE_LIMITS } from './rateLimits.ts';
import type { Operator } from './search.ts';
import { parseSearchRequest, runSearch } from './search.ts';
import type { CrmRecord } from './store.ts';
import type { TestEmulator } from './testKit.ts';
import { apiError, operator, seed, startTestEmulator } from './testKit.ts';

// Conformance of POST /crm/v3/objects/{type}/search through the official SDK, plus a property test of
// the filter semantics against a brute-force reading of the same records.

let hs: TestEmulator;
let companies: CrmRecord[];

beforeAll(async () => {
  hs = await startTestEmulator({
    portals: [{ portalId: DEFAULT_PORTAL_ID, limits: { tenSecondly: 100_000, searchPerSecond: 100_000 } }],
  });
  hs.emulator.loadSeed(DEFAULT_PORTAL_ID, seed(150), { contacts: false, deals: false, engagements: false });
  companies = [...hs.emulator.portal(DEFAULT_PORTAL_ID).data.tables.companies.liveRecords()];
});

afterAll(async () => {
  await hs.close();
});

const search = (request: Record<string, unknown>) =>
  hs.client().crm.companies.searchApi.doSearch(request as never);

const idsWhere = (test: (properties: Record<string, string>) => boolean): string[] =>
  companies.filter((record) => test(record.properties)).map((record) => String(record.id));

const allIds = async (request: Record<string, unknown>): Promise<string[]> => {
  const ids: string[] = [];
  let after: string | undefined = '0';
  while (after !== undefined) {
    const page = await search({ ...request, limit: 200, after });
    ids.push(...page.results.map((result) => result.id));
    after = page.paging?.next?.after;
  }
  return ids;
};

describe('search filters', () => {
  it('matches EQ on text whatever the case', async () => {
    const name = companies[3]!.properties.name!;
    const page = await search({
      filterGroups: [
        { filters: [{ propertyName: 'name', operator: operator('EQ'), value: name.toUpperCase() }] },
      ],
    });
    expect(page.results.map((result) => result.id)).toContain(String(companies[3]!.id));
  });

  it('ANDs the filters of a group and ORs the groups', async () => {
    const ids = await allIds({
      filterGroups: [
        {
          filters: [
            { propertyName: 'annualrevenue', operator: operator('GTE'), value: '10000000' },
            { propertyName: 'numberofemployees', operator: operator('LT'), value: '500' },
          ],
        },
        {
          filters: [
            {
              propertyName: 'hs_ideal_customer_profile',
              operator: operator('IN'),
              values: ['tier_1', 'tier_2'],
            },
          ],
        },
      ],
    });
    const expected = idsWhere(
      (p) =>
        (Number(p.annualrevenue) >= 10_000_000 && Number(p.numberofemployees) < 500) ||
        p.hs_ideal_customer_profile === 'tier_1' ||
        p.hs_ideal_customer_profile === 'tier_2',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(expected.sort());
  });

  it('splits the records between HAS_PROPERTY and NOT_HAS_PROPERTY', async () => {
    const has = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_ideal_customer_profile', operator: operator('HAS_PROPERTY') }] },
      ],
    });
    const hasNot = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_ideal_customer_profile', operator: operator('NOT_HAS_PROPERTY') }] },
      ],
    });
    expect(has.total).toBe(idsWhere((p) => p.hs_ideal_customer_profile !== undefined).length);
    expect(has.total + hasNot.total).toBe(companies.length);
  });

  it('compares datetimes given as epoch milliseconds with BETWEEN', async () => {
    const low = Date.parse('2023-01-01T00:00:00Z');
    const high = Date.parse('2024-01-01T00:00:00Z');
    const ids = await allIds({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'createdate',
              operator: operator('BETWEEN'),
              value: String(low),
              highValue: String(high),
            },
          ],
        },
      ],
    });
    expect(ids.sort()).toEqual(
      idsWhere((p) => Date.parse(p.createdate!) >= low && Date.parse(p.createdate!) <= high).sort(),
    );
  });

  it('finds a word of the name with CONTAINS_TOKEN and a wildcard', async () => {
    const word = companies[0]!.properties.name!.split(' ')[0]!;
    const page = await search({
      filterGroups: [
        {
          filters: [
            { propertyName: 'name', operator: operator('CONTAINS_TOKEN'), value: `${word.slice(0, 3)}*` },
          ],
        },
      ],
      limit: 200,
    });
    expect(page.results.map((result) => result.id)).toContain(String(companies[0]!.id));
  });

  it('searches the free-text query in the name and domain', async () => {
    const domain = companies[5]!.properties.domain!;
    const page = await search({ query: domain, limit: 10 });
    expect(page.results.map((result) => result.id)).toContain(String(companies[5]!.id));
  });

  it('treats a property no record holds as always empty', async () => {
    const page = await search({
      filterGroups: [{ filters: [{ propertyName: 'not_a_property', operator: operator('EQ'), value: 'x' }] }],
    });
    expect(page.total).toBe(0);
  });
});

describe('search sorting and paging', () => {
  it('sorts by a string sort with a minus for descending and by a sort object', async () => {
    const descending = await search({ sorts: ['-annualrevenue'], properties: ['annualrevenue'], limit: 50 });
    const values = descending.results.map((result) => Number(result.properties.annualrevenue));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const ascending = await search({
      sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
      properties: ['createdate'],
      limit: 50,
    });
    const stamps = ascending.results.map((result) => Date.parse(result.properties.createdate!));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it('pages to the end: every match once, total equal to the matches, no paging on the last page', async () => {
    const first = await search({ limit: 40 });
    expect(first.total).toBe(companies.length);
    const ids = await allIds({});
    expect(ids).toHaveLength(companies.length);
    expect(new Set(ids).size).toBe(companies.length);
  });

  it('defaults to 10 results with the default company properties', async () => {
    const page = await search({});
    expect(page.results).toHaveLength(10);
    expect(Object.keys(page.results[0]!.properties).sort()).toEqual([
      'createdate',
      'domain',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
  });

  it('refuses a limit above 200', async () => {
    const error = await apiError(search({ limit: 201 }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
  });

  it('refuses a limit below 1 with 400 instead of an empty page that points at itself', async () => {
    for (const limit of [0, -5]) {
      const error = await apiError(search({ limit }));
      expect(error.code).toBe(400);
      expect(error.body).toEqual({
        status: 'error',
        message: 'limit must be greater than or equal to 1',
        category: 'VALIDATION_ERROR',
        correlationId: expect.any(String),
      });
    }
  });

  it('never offers a next page from an empty page', () => {
    const portal = hs.emulator.portal(DEFAULT_PORTAL_ID);
    const parsed = parseSearchRequest({});
    if (!parsed.ok) throw new Error('an empty search request is valid');
    const outcome = runSearch('companies', portal.data.tables.companies, portal.data.properties.companies, {
      ...parsed.value,
      limit: 0,
    });
    expect(outcome).toMatchObject({ ok: true, total: companies.length, records: [], nextAfter: null });
  });

  it('sorts by a name no property has, even one every object has built in, as by an empty property', async () => {
    const inIdOrder = companies.slice(0, 5).map((record) => String(record.id));
    for (const sorts of [
      ['constructor'],
      ['-toString'],
      [{ propertyName: '__proto__' }],
      ['hasOwnProperty'],
    ]) {
      const page = await search({ sorts, limit: 5 });
      expect(page.results.map((result) => result.id)).toEqual(inIdOrder);
    }
  });
});

describe('malformed search requests', () => {
  it('answers a filter without operator with the Jackson binding message and no category', async () => {
    const error = await apiError(
      search({ filterGroups: [{ filters: [{ propertyName: 'name', value: 'x' }] }] }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toEqual({
      status: 'error',
      message: expect.stringMatching(
        /^Invalid input JSON on line 1, column \d+: Cannot build Filter, some of required attributes are not set \[operator\]$/,
      ),
      correlationId: expect.any(String),
    });
  });

  it('answers an unknown operator and a BETWEEN without highValue', async () => {
    const unknown = await apiError(
      search({ filterGroups: [{ filters: [{ propertyName: 'name', operator: 'LIKE', value: 'x' }] }] }),
    );
    expect(unknown.body.message).toMatch(/from String "LIKE": not one of the values accepted for Enum class/);
    const between = await apiError(
      search({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'BETWEEN', value: '1' }] }],
      }),
    );
    expect(between.body.message).toMatch(/problem: operator BETWEEN requires a highValue$/);
  });

  it('points the column just past the faulty filter in the raw body', async () => {
    const body = JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'name' }] }] });
    const response = await hs.call('/crm/v3/objects/companies/search', { method: 'POST', body });
    const payload = (await response.json()) as { message: string };
    const filterEnd = body.indexOf('{"propertyName":"name"}') + '{"propertyName":"name"}'.length;
    expect(payload.message).toContain(`column ${filterEnd + 1}:`);
  });

  it('refuses more filter groups than HubSpot allows', async () => {
    const group = { filters: [{ propertyName: 'name', operator: 'HAS_PROPERTY' }] };
    const error = await apiError(search({ filterGroups: Array.from({ length: 6 }, () => group) }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
  });

  it('answers a filter value nested thousands of arrays deep with 400 at column 1, and keeps serving', async () => {
    const depth = 10_000;
    const body = `{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":${'['.repeat(depth)}${']'.repeat(depth)}}]}]}`;
    const response = await hs.call('/crm/v3/objects/companies/search', { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: 'error',
      message:
        'Invalid input JSON on line 1, column 1: Cannot deserialize value of type `java.lang.String` from Array value',
      correlationId: expect.any(String),
    });
    expect((await search({ limit: 1 })).results).toHaveLength(1);
  });

  it('answers a body that is not JSON with 400, not a crash', async () => {
    const response = await hs.call('/crm/v3/objects/companies/search', {
      method: 'POST',
      body: '{"filterGroups": [',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^Invalid input JSON on line 1, column \d+/,
    );
  });
});

describe('the 10,000-result window', () => {
  it('offers after=10000 on the page that reaches the window, then answers that page with 400', async () => {
    const big = await startTestEmulator({
      portals: [{ portalId: 9, limits: { tenSecondly: 100_000, searchPerSecond: 100_000 } }],
    });
    try {
      big.emulator.loadSeed(9, seed(10_050, 3), { contacts: false, deals: false, engagements: false });
      const client = big.client();
      let after: string | undefined = '0';
      let fetched = 0;
      let lastTotal = 0;
      while (after !== undefined && after !== '10000') {
        const page = await client.crm.companies.searchApi.doSearch({
          limit: 200,
          after,
          sorts: ['hs_object_id'],
        });
        fetched += page.results.length;
        lastTotal = page.total;
        after = page.paging?.next?.after;
      }
      expect(fetched).toBe(10_000);
      expect(lastTotal).toBe(10_050);
      expect(after).toBe('10000');
      const error = await apiError(client.crm.companies.searchApi.doSearch({ limit: 200, after: '10000' }));
      expect(error.code).toBe(400);
      expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    } finally {
      await big.close();
    }
  });
});

describe('filter semantics (property)', () => {
  const OPS: readonly Operator[] = [
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
  ];

  const expected = (op: Operator, value: number | undefined, low: number, high: number): boolean => {
    switch (op) {
      case 'EQ':
        return value === low;
      case 'NEQ':
        return value !== low;
      case 'LT':
        return value !== undefined && value < low;
      case 'LTE':
        return value !== undefined && value <= low;
      case 'GT':
        return value !== undefined && value > low;
      case 'GTE':
        return value !== undefined && value >= low;
      case 'BETWEEN':
        return value !== undefined && value >= low && value <= high;
      case 'HAS_PROPERTY':
        return value !== undefined;
      default:
        return value === undefined;
    }
  };

  it('selects exactly the records a brute-force reading of the numeric filter selects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }), { maxLength: 40 }),
        fc.constantFrom(...OPS),
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        (values, op, low, width) => {
          const portal = createPortal(1, 'p.test', 1, DEFAULT_RATE_LIMITS, null);
          const records = values.map((value) =>
            createRecord(
              portal,
              'companies',
              new Map(value === undefined ? [] : [['annualrevenue', String(value)]]),
              { now: 0, changeSource: 'API' },
            ),
          );
          const request = parseSearchRequest({
            filterGroups: [
              {
                filters: [
                  {
                    propertyName: 'annualrevenue',
                    operator: op,
                    value: String(low),
                    highValue: String(low + width),
                  },
                ],
              },
            ],
            limit: 200,
          });
          if (!request.ok) throw new Error('the request must parse');
          const outcome = runSearch(
            'companies',
            portal.data.tables.companies,
            portal.data.properties.companies,
            request.value,
          );
          if (!outcome.ok) throw new Error('the search must run');
          const want = records
            .filter((_, index) => expected(op, values[index], low, low + width))
            .map((record) => record.id);
          expect(outcome.records.map((record) => record.id)).toEqual(want);
          expect(outcome.total).toBe(want.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
