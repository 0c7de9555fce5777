import { MINUTE_MS } from '@abm-pilot/shared';
import { afterEach, describe, expect, it } from 'vitest';

import type { SyncKind } from '../../model.ts';
import { compareKeyed } from './soql.ts';
import type { TestOrg } from './testSupport.ts';
import {
  collect,
  connectorCalls,
  connectorFor,
  liveRows,
  rest,
  seedDataset,
  startTestOrg,
  updateAccounts,
} from './testSupport.ts';

// Pulls against a seeded emulator: 5,000 accounts with their contacts, opportunities, tasks, events.

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function seededOrg(accounts = 5_000): Promise<TestOrg> {
  org = await startTestOrg();
  org.loadSeed(seedDataset(accounts));
  return org;
}

const batchesOf = (count: number): number => Math.max(1, Math.ceil(count / 2000));
const idsOf = (records: readonly { crmId: string }[]): string[] => records.map((record) => record.crmId);

describe('full pull', () => {
  it('returns every seeded record of each kind in ceil(n/2000) query calls, one page per batch', async () => {
    const testOrg = await seededOrg();
    const connector = connectorFor(testOrg);
    await connector.prepare();
    const isEngagement = (row: Record<string, unknown>) =>
      typeof row['AccountId'] === 'string' && (row['ABM_Alert_Key__c'] ?? null) === null;
    const expected: Record<SyncKind, { ids: Set<string>; calls: number }> = {
      owners: { ids: new Set(liveRows(testOrg, 'User').map((row) => String(row['Id']))), calls: 0 },
      accounts: { ids: new Set(liveRows(testOrg, 'Account').map((row) => String(row['Id']))), calls: 0 },
      contacts: { ids: new Set(liveRows(testOrg, 'Contact').map((row) => String(row['Id']))), calls: 0 },
      deals: { ids: new Set(liveRows(testOrg, 'Opportunity').map((row) => String(row['Id']))), calls: 0 },
      engagements: { ids: new Set(), calls: 0 },
    };
    const tasks = liveRows(testOrg, 'Task').filter(isEngagement);
    const events = liveRows(testOrg, 'Event').filter(isEngagement);
    expected.engagements.ids = new Set([...tasks, ...events].map((row) => String(row['Id'])));
    for (const kind of ['owners', 'accounts', 'contacts', 'deals'] as const) {
      expected[kind].calls = batchesOf(expected[kind].ids.size);
    }
    expected.engagements.calls = batchesOf(tasks.length) + batchesOf(events.length);
    expect(expected.accounts.ids.size).toBe(5_000);
    expect(expected.engagements.ids.size).toBeGreaterThan(30_000);

    for (const kind of ['owners', 'accounts', 'contacts', 'deals', 'engagements'] as const) {
      const before = connectorCalls(testOrg).length;
      const usageBefore = connector.usage().calls;
      const pages = await collect(connector, kind, null);
      const calls = connectorCalls(testOrg).slice(before);
      const records = pages.flatMap(
        (page) => page.records as readonly { crmId: string; modifiedAt: number }[],
      );

      expect(new Set(idsOf(records)), kind).toEqual(expected[kind].ids);
      expect(records, kind).toHaveLength(expected[kind].ids.size);
      expect(calls, kind).toHaveLength(expected[kind].calls);
      expect(
        calls.every((call) => /\/query(\/|$)/.test(call.path)),
        kind,
      ).toBe(true);
      expect(connector.usage().calls - usageBefore, kind).toBe(expected[kind].calls);
      if (kind !== 'engagements') expect(pages, kind).toHaveLength(expected[kind].calls);
      // Oldest first across pages and across Task and Event: each cursor covers all that came before.
      const keys = records.map((record) => ({ modifiedAt: record.modifiedAt, crmId: record.crmId }));
      for (let index = 1; index < keys.length; index++) {
        expect(compareKeyed(keys[index - 1]!, keys[index]!)).toBeLessThan(0);
      }
      for (const page of pages) {
        const last = page.records.at(-1) as { crmId: string; modifiedAt: number } | undefined;
        if (last) expect(page.cursor).toEqual({ modifiedAt: last.modifiedAt, crmId: last.crmId });
      }
    }
  }, 60_000);

  it('maps seeded accounts with their owner, tier, region and industry', async () => {
    const testOrg = await seededOrg(200);
    const pages = await collect(connectorFor(testOrg), 'accounts', null);
    const byId = new Map(pages.flatMap((page) => page.records).map((account) => [account.crmId, account]));
    for (const row of liveRows(testOrg, 'Account')) {
      const account = byId.get(String(row['Id']));
      const tierLabel = row['ABM_Tier__c'];
      expect(account).toMatchObject({
        name: row['Name'],
        ownerCrmId: row['OwnerId'],
        region: row['Region__c'],
        industry: row['Industry'],
        employees: row['NumberOfEmployees'],
        crmTier: tierLabel === null ? null : `tier_${String(tierLabel).slice(-1)}`,
        modifiedAt: row['SystemModstamp'],
      });
    }
  });
});

describe('incremental pull', () => {
  it('returns exactly the accounts changed after the cursor, and the overlap window on top by default', async () => {
    const testOrg = await seededOrg();
    const full = await collect(connectorFor(testOrg), 'accounts', null);
    const cursor = full.at(-1)!.cursor!;
    testOrg.advance(10 * MINUTE_MS);
    const changed = liveRows(testOrg, 'Account')
      .filter((_, index) => index % 200 === 3)
      .map((row) => String(row['Id']));
    await updateAccounts(testOrg, changed, (_, index) => ({ Intent_Score__c: index }));

    const exact = await collect(connectorFor(testOrg, { overlapMs: 0 }), 'accounts', cursor);
    expect(new Set(exact.flatMap((page) => idsOf(page.records)))).toEqual(new Set(changed));
    expect(exact.flatMap((page) => page.deletedCrmIds)).toEqual([]);

    const withOverlap = await collect(connectorFor(testOrg), 'accounts', cursor);
    const reread = liveRows(testOrg, 'Account')
      .filter((row) => Number(row['SystemModstamp']) >= cursor.modifiedAt - MINUTE_MS)
      .map((row) => String(row['Id']));
    expect(reread.length).toBeGreaterThan(changed.length);
    expect(new Set(withOverlap.flatMap((page) => idsOf(page.records)))).toEqual(new Set(reread));
    expect(withOverlap.at(-1)!.cursor).toEqual(exact.at(-1)!.cursor);
  }, 60_000);

  it('never skips or repeats records that share one SystemModstamp second across a batch boundary', async () => {
    const testOrg = await seededOrg();
    const full = await collect(connectorFor(testOrg), 'accounts', null);
    testOrg.advance(10 * MINUTE_MS);
    const changed = liveRows(testOrg, 'Account')
      .slice(0, 3_000)
      .map((row) => String(row['Id']));
    await updateAccounts(testOrg, changed, () => ({ ABM_Score__c: 50 }));
    const stamps = new Set(
      liveRows(testOrg, 'Account')
        .filter((row) => changed.includes(String(row['Id'])))
        .map((row) => row['SystemModstamp']),
    );
    expect(stamps.size).toBe(1);

    const connector = connectorFor(testOrg, { overlapMs: 0 });
    const pages = await collect(connector, 'accounts', full.at(-1)!.cursor);
    expect(pages.map((page) => page.records.length)).toEqual([2_000, 1_000]);
    const pulled = pages.flatMap((page) => idsOf(page.records));
    expect(pulled).toHaveLength(3_000);
    expect(new Set(pulled)).toEqual(new Set(changed));

    // A run that stopped after the first page resumes on the tie: exactly the other 1,000.
    const resumed = await collect(connector, 'accounts', pages[0]!.cursor);
    expect(resumed.flatMap((page) => idsOf(page.records))).toEqual(idsOf(pages[1]!.records));
  }, 60_000);

  it('resumes after the last record received when the query locator expires mid-pull', async () => {
    const testOrg = await seededOrg();
    const connector = connectorFor(testOrg);
    const ids: string[] = [];
    for await (const page of connector.pull('accounts', null)) {
      ids.push(...idsOf(page.records));
      testOrg.advance(16 * MINUTE_MS);
    }
    expect(ids).toHaveLength(5_000);
    expect(new Set(ids).size).toBe(5_000);
    const calls = connectorCalls(testOrg, /\/query/);
    expect(calls.filter((call) => call.status === 400)).toHaveLength(2);
    expect(calls.filter((call) => call.status === 200)).toHaveLength(3);
    expect(calls.at(-1)!.soql).toContain('Id >');
  }, 60_000);

  it('reports deleted accounts, their cascaded contacts, and merged accounts on the survivor', async () => {
    const testOrg = await seededOrg(300);
    const full = await collect(connectorFor(testOrg), 'accounts', null);
    const contactsFull = await collect(connectorFor(testOrg), 'contacts', null);
    testOrg.advance(10 * MINUTE_MS);
    const [deleted, master, mergedA, mergedB] = liveRows(testOrg, 'Account')
      .slice(10, 14)
      .map((row) => String(row['Id']));
    await rest(testOrg, 'DELETE', `/sobjects/Account/${deleted}`);
    const response = await fetch(`${testOrg.url}/__sandbox/merge`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'Account', masterId: master, mergedIds: [mergedA, mergedB] }),
    });
    expect(response.status).toBe(200);

    const connector = connectorFor(testOrg, { overlapMs: 0 });
    const pages = await collect(connector, 'accounts', full.at(-1)!.cursor);
    const records = pages.flatMap((page) => page.records);
    expect(records.map((account) => [account.crmId, account.mergedFromCrmIds])).toEqual([
      [master, [mergedA, mergedB].sort()],
    ]);
    expect(pages.flatMap((page) => page.deletedCrmIds)).toEqual([deleted]);

    const liveContacts = liveRows(testOrg, 'Contact').length;
    const contactPages = await collect(connector, 'contacts', contactsFull.at(-1)!.cursor);
    const cascaded = [...testOrg.org.data.tables.get('Contact')!.values()]
      .filter((row) => row['IsDeleted'] === true && row['AccountId'] === deleted)
      .map((row) => String(row['Id']));
    expect(cascaded.length + liveContacts).toBe(contactsFull.flatMap((page) => page.records).length);
    expect(new Set(contactPages.flatMap((page) => page.deletedCrmIds))).toEqual(new Set(cascaded));
  });

  it('puts merged ids on the survivor even when the merge straddles a batch boundary', async () => {
    const testOrg = await seededOrg();
    const full = await collect(connectorFor(testOrg), 'accounts', null);
    testOrg.advance(10 * MINUTE_MS);
    const touched = liveRows(testOrg, 'Account')
      .slice(0, 2_500)
      .map((row) => String(row['Id']))
      .sort();
    await updateAccounts(testOrg, touched, () => ({ ABM_Score__c: 10 }));
    const master = touched[5]!;
    const merged = touched.at(-1)!;
    const response = await fetch(`${testOrg.url}/__sandbox/merge`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'Account', masterId: master, mergedIds: [merged] }),
    });
    expect(response.status).toBe(200);

    const pages = await collect(connectorFor(testOrg, { overlapMs: 0 }), 'accounts', full.at(-1)!.cursor);
    expect(pages.length).toBe(2);
    const firstSeen = pages[0]!.records.find((account) => account.crmId === master);
    expect(firstSeen?.mergedFromCrmIds).toEqual([]);
    const survivor = pages[1]!.records.find((account) => account.crmId === master);
    expect(survivor?.mergedFromCrmIds).toEqual([merged]);
    expect(pages.flatMap((page) => page.deletedCrmIds)).not.toContain(merged);
    expect(pages.flatMap((page) => idsOf(page.records))).not.toContain(merged);
  }, 60_000);
});
