import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ObjectType, SeedLoadReport } from '../../../../sandbox/src/hubspot/index.ts';
import type { SyncCursor, SyncKind } from '../../model.ts';
import { SYNC_KINDS } from '../../model.ts';
import type { Pulled, TestPortal } from './testKit.ts';
import { drain, pageCalls, seedDataset, startPortal } from './testKit.ts';

// Full and incremental pulls against the emulator loaded with a 1,000-account seed.

const MINUTE = 60_000;
const OVERLAP = 60_000;
let portal: TestPortal;
let seeded: SeedLoadReport;

const ENGAGEMENT_TYPES = ['meetings', 'calls', 'emails'] as const;
const TYPE_OF_KIND = { accounts: 'companies', contacts: 'contacts', deals: 'deals' } as const;
const LAST_MODIFIED = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

const table = (type: ObjectType) => portal.emulator.portal(portal.portalId).data.tables[type];

const liveIds = (type: ObjectType): string[] =>
  [...table(type).liveRecords()].map((record) => String(record.id));
const liveIdsWhere = (
  type: ObjectType,
  holds: (properties: Readonly<Record<string, string | null | undefined>>) => boolean,
): string[] =>
  [...table(type).liveRecords()]
    .filter((record) => holds(record.properties))
    .map((record) => String(record.id));

/** Live records the portal holds that were modified at or after `from`. */
const modifiedSince = (type: ObjectType, property: string, from: number): string[] =>
  [...table(type).liveRecords()]
    .filter((record) => Date.parse(record.properties[property] ?? '') >= from)
    .map((record) => String(record.id));

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

const full = new Map<SyncKind, { pulled: Pulled<SyncKind>; calls: number }>();

beforeAll(async () => {
  portal = await startPortal();
  seeded = portal.emulator.loadSeed(portal.portalId, seedDataset(1_000));
  for (const kind of SYNC_KINDS) {
    const connector = portal.connector();
    const pulled = await drain(connector, kind, null);
    full.set(kind, { pulled, calls: connector.usage().calls });
  }
});

afterAll(async () => {
  await portal.close();
});

const fullPull = <K extends SyncKind>(kind: K): { pulled: Pulled<K>; calls: number } => {
  const found = full.get(kind);
  if (!found) throw new Error(`no full pull of ${kind}`);
  return found as unknown as { pulled: Pulled<K>; calls: number };
};

describe('first sync', () => {
  it('pulls every record of every kind exactly once', () => {
    const counts: Record<SyncKind, number> = {
      owners: seeded.owners,
      accounts: seeded.companies,
      contacts: seeded.contacts,
      deals: seeded.deals,
      engagements: seeded.engagements,
    };
    for (const kind of SYNC_KINDS) {
      const ids = fullPull(kind).pulled.records.map((record) => record.crmId);
      expect(new Set(ids).size, kind).toBe(counts[kind]);
      expect(ids.length, kind).toBe(counts[kind]);
    }
  });

  it('uses one call per 100 records of each object type, the fewest the list endpoints allow', () => {
    const companies = seeded.companies;
    expect(fullPull('accounts').calls).toBe(pageCalls(companies, 100));
    expect(fullPull('contacts').calls).toBe(pageCalls(seeded.contacts, 100));
    expect(fullPull('deals').calls).toBe(pageCalls(seeded.deals, 100));
    const engagementCalls = ENGAGEMENT_TYPES.reduce(
      (sum, type) => sum + pageCalls(table(type).countLive(), 100),
      0,
    );
    expect(fullPull('engagements').calls).toBe(engagementCalls);
    // Owners come 500 a page, plus one call for the archived (inactive) ones.
    expect(fullPull('owners').calls).toBe(pageCalls(seeded.owners, 500) + 1);
  });

  it('offers no resume point before the last page, whose cursor does not pass the start of the pull', () => {
    for (const kind of SYNC_KINDS) {
      const { pages } = fullPull(kind).pulled;
      expect(
        pages.slice(0, -1).every((page) => page.cursor === null),
        kind,
      ).toBe(true);
      const last = pages.at(-1)?.cursor;
      expect(last, kind).not.toBeNull();
      expect(last!.modifiedAt, kind).toBeLessThanOrEqual(portal.clock.now());
    }
  });

  it('maps companies as the portal holds them', () => {
    const accounts = fullPull('accounts').pulled.records;
    const ids = new Set(liveIds('companies'));
    expect(accounts.every((account) => ids.has(account.crmId))).toBe(true);
    for (const account of accounts.slice(0, 50)) {
      const record = table('companies').live(Number(account.crmId))!;
      expect(account.name).toBe(record.properties.name);
      expect(account.industry).toBe(record.properties.industry);
      expect(account.region).toBe(record.properties.region);
      expect(account.employees).toBe(Number(record.properties.numberofemployees));
      expect(account.crmTier).toBe(record.properties.hs_ideal_customer_profile ?? null);
      expect(account.ownerCrmId).toBe(record.properties.hubspot_owner_id ?? null);
      expect(account.strategic).toBe(record.properties.strategic_account === 'true');
    }
    expect(accounts.filter((account) => account.crmTier !== null).length).toBe(
      [...table('companies').liveRecords()].filter((record) => record.properties.hs_ideal_customer_profile)
        .length,
    );
  });

  it('attaches contacts, deals and engagements to their companies and reads roles and stages', () => {
    const companyIds = new Set(liveIds('companies'));
    const contacts = fullPull('contacts').pulled.records;
    expect(
      contacts.every((contact) => contact.accountCrmId !== null && companyIds.has(contact.accountCrmId)),
    ).toBe(true);
    expect(contacts.some((contact) => contact.buyingRole === 'decision_maker')).toBe(true);
    const deals = fullPull('deals').pulled.records;
    expect(deals.every((deal) => deal.accountCrmId !== null && companyIds.has(deal.accountCrmId))).toBe(true);
    const won = [...table('deals').liveRecords()].filter(
      (record) => record.properties.dealstage === 'closedwon',
    );
    expect(deals.filter((deal) => deal.stage === 'won').length).toBe(won.length);
    expect(deals.filter((deal) => deal.stage === 'open').every((deal) => deal.closedAt === null)).toBe(true);
    const engagements = fullPull('engagements').pulled.records;
    expect(engagements.every((engagement) => engagement.accountCrmId !== null)).toBe(true);
    expect(engagements.every((engagement) => engagement.contactCrmId !== null)).toBe(true);
    const kinds = new Set(engagements.map((engagement) => engagement.kind));
    expect(kinds).toEqual(new Set(['meeting', 'call', 'email_open', 'email_click']));
  });
});

describe('incremental sync', () => {
  const cursors = new Map<SyncKind, SyncCursor>();
  const changed = {
    companies: [] as string[],
    contacts: [] as string[],
    deals: [] as string[],
    meetings: [] as string[],
  };
  let newDealId = '';
  let changesAt = 0;

  beforeAll(async () => {
    for (const kind of SYNC_KINDS) cursors.set(kind, fullPull(kind).pulled.cursor!);
    portal.clock.advance(30 * MINUTE);
    changesAt = portal.clock.now();
    changed.companies = liveIds('companies').slice(100, 105);
    // Records the update really changes: a value written again is no modification.
    changed.contacts = liveIdsWhere('contacts', (p) => p.hs_buying_role !== 'CHAMPION').slice(7, 10);
    changed.deals = liveIdsWhere('deals', (p) => p.dealstage !== 'closedwon').slice(20, 22);
    changed.meetings = liveIds('meetings').slice(0, 2);
    const update = async (type: string, inputs: { id: string; properties: Record<string, string> }[]) => {
      const response = await portal.api(`/crm/v3/objects/${type}/batch/update`, {
        method: 'POST',
        body: { inputs },
      });
      expect(response.status).toBe(200);
    };
    await update(
      'companies',
      changed.companies.map((id) => ({
        id,
        properties: { intent_score: '99', hs_ideal_customer_profile: 'tier_1' },
      })),
    );
    await update(
      'contacts',
      changed.contacts.map((id) => ({ id, properties: { hs_buying_role: 'CHAMPION' } })),
    );
    await update(
      'deals',
      changed.deals.map((id) => ({ id, properties: { dealstage: 'closedwon' } })),
    );
    await update(
      'meetings',
      changed.meetings.map((id) => ({ id, properties: { hs_meeting_outcome: 'NO_SHOW' } })),
    );
    const companyId = changed.companies[0]!;
    const created = await portal.api('/crm/v3/objects/deals', {
      method: 'POST',
      body: {
        properties: { dealname: 'New deal', amount: '5000', dealstage: 'qualifiedtobuy' },
        associations: [
          {
            to: { id: companyId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    newDealId = ((await created.json()) as { id: string }).id;
  });

  it('returns exactly the records modified since the cursor and its overlap window', async () => {
    for (const kind of ['accounts', 'contacts', 'deals'] as const) {
      const type = TYPE_OF_KIND[kind];
      const since = cursors.get(kind)!;
      const pulled = await drain(portal.connector(), kind, since);
      const expected = modifiedSince(type, LAST_MODIFIED[type], since.modifiedAt - OVERLAP);
      expect(sorted(pulled.records.map((record) => record.crmId)), kind).toEqual(sorted(expected));
      const changedIds = kind === 'deals' ? [...changed.deals, newDealId] : changed[type];
      for (const id of changedIds) expect(expected, kind).toContain(id);
      // Besides the changes, only records inside the overlap window before the cursor come back.
      const others = pulled.records.filter((record) => !changedIds.includes(record.crmId));
      expect(
        others.every(
          (record) => record.modifiedAt >= since.modifiedAt - OVERLAP && record.modifiedAt < changesAt,
        ),
      ).toBe(true);
    }
  });

  it('carries the new values, companies of deals found through the associations API included', async () => {
    const deals = await drain(portal.connector(), 'deals', cursors.get('deals')!);
    const byId = new Map(deals.records.map((deal) => [deal.crmId, deal]));
    for (const id of changed.deals) {
      expect(byId.get(id)?.stage).toBe('won');
      expect(byId.get(id)?.closedAt).not.toBeNull();
      expect(byId.get(id)?.accountCrmId).not.toBeNull();
    }
    expect(byId.get(newDealId)).toMatchObject({
      stage: 'open',
      amount: 5000,
      accountCrmId: changed.companies[0],
    });
    const accounts = await drain(portal.connector(), 'accounts', cursors.get('accounts')!);
    for (const id of changed.companies) {
      expect(accounts.records.find((account) => account.crmId === id)).toMatchObject({
        intentScore: 99,
        crmTier: 'tier_1',
      });
    }
    const contacts = await drain(portal.connector(), 'contacts', cursors.get('contacts')!);
    for (const id of changed.contacts) {
      expect(contacts.records.find((contact) => contact.crmId === id)?.buyingRole).toBe('champion');
    }
  });

  it('pulls changed engagements across meetings, calls and emails with one cursor at the end', async () => {
    const since = cursors.get('engagements')!;
    const pulled = await drain(portal.connector(), 'engagements', since);
    const expected = ENGAGEMENT_TYPES.flatMap((type) =>
      modifiedSince(type, 'hs_lastmodifieddate', since.modifiedAt - OVERLAP),
    );
    expect(sorted(pulled.records.map((record) => record.crmId))).toEqual(sorted(expected));
    for (const id of changed.meetings) expect(pulled.records.map((record) => record.crmId)).toContain(id);
    expect(
      pulled.records
        .filter((record) => changed.meetings.includes(record.crmId))
        .every((record) => record.accountCrmId !== null),
    ).toBe(true);
    expect(pulled.pages.slice(0, -1).every((page) => page.cursor === since)).toBe(true);
    expect(pulled.cursor!.modifiedAt).toBeGreaterThanOrEqual(changesAt);
  });

  it('gives every page of a single-object pull the cursor of its latest record', async () => {
    const pulled = await drain(portal.connector(), 'accounts', cursors.get('accounts')!);
    for (const page of pulled.pages.filter((entry) => entry.records.length > 0)) {
      const latest = Math.max(...page.records.map((record) => record.modifiedAt));
      expect(page.cursor!.modifiedAt).toBe(latest);
    }
    expect(pulled.cursor!.modifiedAt).toBeGreaterThanOrEqual(changesAt);
  });

  it('costs one search per object type plus one archived-list call when little changed', async () => {
    const connector = portal.connector();
    await drain(connector, 'accounts', cursors.get('accounts')!);
    expect(connector.usage().calls).toBe(2);
    const deals = portal.connector();
    await drain(deals, 'deals', cursors.get('deals')!);
    // One more for the companies of the changed deals (the associations API).
    expect(deals.usage().calls).toBe(3);
  });

  it('answers a pull that finds nothing with one empty page that keeps the cursor', async () => {
    const since = { modifiedAt: portal.clock.now() + 10 * MINUTE, crmId: '' };
    for (const kind of ['accounts', 'deals', 'engagements'] as const) {
      const pulled = await drain(portal.connector(), kind, since);
      expect(pulled.pages.length, kind).toBe(1);
      expect(pulled.records, kind).toEqual([]);
      expect(pulled.deleted, kind).toEqual([]);
      expect(pulled.cursor!.modifiedAt, kind).toBeGreaterThanOrEqual(since.modifiedAt);
    }
  });

  it('reflects deletions and merges made after the cursor', async () => {
    const since = {
      accounts: cursors.get('accounts')!,
      deals: cursors.get('deals')!,
      contacts: cursors.get('contacts')!,
    };
    portal.clock.advance(5 * MINUTE);
    const [keep, mergedAway, deletedA, deletedB] = liveIds('companies').slice(300, 304) as [
      string,
      string,
      string,
      string,
    ];
    const deletedDeal = liveIds('deals')[50]!;
    const deletedContact = liveIds('contacts')[60]!;
    for (const [type, id] of [
      ['companies', deletedA],
      ['companies', deletedB],
      ['deals', deletedDeal],
      ['contacts', deletedContact],
    ] as const) {
      expect((await portal.api(`/crm/v3/objects/${type}/${id}`, { method: 'DELETE' })).status).toBe(204);
    }
    const merge = await portal.api('/crm/v3/objects/companies/merge', {
      method: 'POST',
      body: { primaryObjectId: keep, objectIdToMerge: mergedAway },
    });
    expect(merge.status).toBe(200);
    const [keptDeal, mergedDeal] = liveIds('deals').slice(70, 72) as [string, string];
    const dealMerge = await portal.api('/crm/v3/objects/deals/merge', {
      method: 'POST',
      body: { primaryObjectId: keptDeal, objectIdToMerge: mergedDeal },
    });
    expect(dealMerge.status).toBe(200);

    const accounts = await drain(portal.connector(), 'accounts', since.accounts);
    expect(sorted(accounts.deleted)).toEqual(sorted([deletedA, deletedB]));
    expect(accounts.records.find((account) => account.crmId === keep)?.mergedFromCrmIds).toEqual([
      mergedAway,
    ]);
    expect(accounts.records.map((account) => account.crmId)).not.toContain(mergedAway);
    // A merged-away deal is neither live nor archived: it leaves as a deletion, beside the surviving deal.
    const deals = await drain(portal.connector(), 'deals', since.deals);
    expect(sorted(deals.deleted)).toEqual(sorted([deletedDeal, mergedDeal]));
    expect(deals.records.map((deal) => deal.crmId)).toContain(keptDeal);
    expect(deals.records.map((deal) => deal.crmId)).not.toContain(mergedDeal);
    expect((await drain(portal.connector(), 'contacts', since.contacts)).deleted).toEqual([deletedContact]);
  });
});
