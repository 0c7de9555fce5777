import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testKit.ts';
import { seed, startTestEmulator } from './testKit.ts';

// The emulator has to keep up with the sync server: 100,000 companies load and list in full through the
// official SDK (1,000 pages of 100). No timing is asserted; the suite's timeout bounds the run.

const PORTAL = 9100;
const COMPANIES = 100_000;
let hs: TestEmulator;

beforeAll(async () => {
  hs = await startTestEmulator({ portals: [{ portalId: PORTAL, limits: { tenSecondly: 1_000_000 } }] });
});

afterAll(async () => {
  await hs.close();
});

describe('100,000 companies', () => {
  it('loads them and lists every one of them, page by page, exactly once', async () => {
    const report = hs.emulator.loadSeed(PORTAL, seed(COMPANIES, 5), {
      contacts: false,
      deals: false,
      engagements: false,
    });
    expect(report.companies).toBe(COMPANIES);
    const client = hs.client();
    let count = 0;
    let previous = 0;
    let ordered = true;
    let after: string | undefined;
    do {
      const page = await client.crm.companies.basicApi.getPage(100, after, [
        'name',
        'hs_ideal_customer_profile',
      ]);
      for (const company of page.results) {
        const id = Number(company.id);
        ordered &&= id > previous;
        previous = id;
      }
      count += page.results.length;
      after = page.paging?.next?.after;
    } while (after !== undefined);
    expect(count).toBe(COMPANIES);
    expect(ordered).toBe(true);
  }, 60_000);
});
