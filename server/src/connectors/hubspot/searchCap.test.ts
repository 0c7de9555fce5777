import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Portal } from '../../../../sandbox/src/hubspot/portal.ts';
import { updateRecord } from '../../../../sandbox/src/hubspot/portal.ts';
import type { TestPortal } from './testKit.ts';
import { drain, recordingFetch, seedDataset, startPortal } from './testKit.ts';

// More changed records than one HubSpot search query can return (10,000), with distinct timestamps, with
// all of them sharing one timestamp, and with records modified while the pull runs.

const COMPANIES = 12_000;
const SEARCH_PAGE = 200;
let portal: TestPortal;
let hub: Portal;

const companyRecords = () => [...hub.data.tables.companies.liveRecords()];

/** Changes every company in-process (as 12,000 edits in HubSpot would), each at `stampOf(index)`. */
const touchAll = (stampOf: (index: number) => number, value: string): void => {
  for (const [index, record] of companyRecords().entries()) {
    updateRecord(hub, 'companies', record, new Map([['intent_score', value]]), {
      now: stampOf(index),
      changeSource: 'CRM_UI',
    });
  }
};

const searchRequests = (requests: ReturnType<typeof recordingFetch>['requests']) =>
  requests.filter((request) => request.path.endsWith('/search'));

beforeAll(async () => {
  portal = await startPortal();
  portal.emulator.loadSeed(portal.portalId, seedDataset(COMPANIES, 11), {
    contacts: false,
    deals: false,
    engagements: false,
  });
  hub = portal.emulator.portal(portal.portalId);
}, 120_000);

afterAll(async () => {
  await portal.close();
});

describe('incremental pull past the 10,000-result search cap', () => {
  it('returns all 12,000 changed companies once each, 200 a call, never paging past the cap', async () => {
    const base = portal.clock.now();
    touchAll((index) => base + index, '101');
    const recorder = recordingFetch();
    const connector = portal.connector({ fetch: recorder.fetch });
    const pulled = await drain(connector, 'accounts', { modifiedAt: base, crmId: '' });

    const ids = pulled.records.map((record) => record.crmId);
    expect(ids.length).toBe(COMPANIES);
    expect(new Set(ids).size).toBe(COMPANIES);
    expect(pulled.records.every((record) => record.intentScore === 101)).toBe(true);
    const searches = searchRequests(recorder.requests);
    expect(searches.length).toBe(COMPANIES / SEARCH_PAGE);
    expect(searches.every((request) => request.status === 200)).toBe(true);
    expect(searches.every((request) => (request.body as { after?: unknown }).after === undefined)).toBe(true);
    // One more call lists archived companies for deletions.
    expect(connector.usage().calls).toBe(searches.length + 1);
    const modified = pulled.pages.map((page) => page.cursor!.modifiedAt);
    expect(modified).toEqual([...modified].sort((a, b) => a - b));
    expect(pulled.cursor).toEqual({ modifiedAt: base + COMPANIES - 1, crmId: ids.at(-1) });
  });

  it('drains 12,000 records that share one timestamp without looping or skipping', async () => {
    const at = portal.clock.now() + 3_600_000;
    touchAll(() => at, '102');
    const recorder = recordingFetch();
    const connector = portal.connector({ fetch: recorder.fetch });
    const pulled = await drain(connector, 'accounts', { modifiedAt: at, crmId: '' });

    const ids = pulled.records.map((record) => record.crmId);
    expect(new Set(ids).size).toBe(COMPANIES);
    expect(ids.length).toBe(COMPANIES);
    expect(pulled.records.every((record) => record.intentScore === 102 && record.modifiedAt === at)).toBe(
      true,
    );
    const searches = searchRequests(recorder.requests);
    // The first page, then the tie drained in id order (its first page re-reads what was seen), then past it.
    expect(searches.length).toBeLessThanOrEqual(COMPANIES / SEARCH_PAGE + 2);
    expect(searches.every((request) => request.status === 200)).toBe(true);
  });

  it('skips nothing when records already read are modified while the pull runs', async () => {
    const base = portal.clock.now() + 7_200_000;
    touchAll((index) => base + index, '103');
    const later = base + COMPANIES + 60_000;
    const recorder = recordingFetch();
    let firstPageIds: string[] = [];
    recorder.onResponse = (request) => {
      if (!request.path.endsWith('/search') || firstPageIds.length > 0) return;
      // Those records jump to the end of the order: offset paging would now skip as many others.
      firstPageIds = (request.responseBody as { results: { id: string }[] }).results
        .slice(0, 50)
        .map((r) => r.id);
      for (const id of firstPageIds) {
        updateRecord(
          hub,
          'companies',
          hub.data.tables.companies.live(Number(id))!,
          new Map([['intent_score', '104']]),
          {
            now: later,
            changeSource: 'CRM_UI',
          },
        );
      }
    };
    const connector = portal.connector({ fetch: recorder.fetch });
    const pulled = await drain(connector, 'accounts', { modifiedAt: base, crmId: '' });

    const ids = pulled.records.map((record) => record.crmId);
    expect(new Set(ids).size).toBe(COMPANIES);
    expect(firstPageIds.length).toBe(50);
    for (const id of firstPageIds) {
      const seen = pulled.records.filter((record) => record.crmId === id);
      expect(seen.map((record) => record.intentScore)).toEqual([103, 104]);
    }
  });
});
