import { afterEach, expect, it } from 'vitest';

import { createSeedDataset } from '../seed/generate.ts';
import type { TestEmulator } from './testSupport.ts';
import { connectWithClientCredentials, startTestEmulator } from './testSupport.ts';

// The emulator keeps up with the sync server: a 100,000-account org loads from the seed generator and
// is read in full through query + queryMore (50 batches of 2,000) by jsforce.

let emulator: TestEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

it('loads 100,000 seeded accounts and returns every one of them through query and queryMore', async () => {
  emulator = await startTestEmulator();
  const dataset = createSeedDataset({
    seed: 42,
    accounts: 100_000,
    referenceDate: '2026-07-01T00:00:00.000Z',
  });
  const loaded = emulator.loadSeed(dataset, { contacts: false, opportunities: false, engagements: false });
  expect(loaded.counts.Account).toBe(100_000);

  const conn = await connectWithClientCredentials(emulator);
  const result = await conn
    .query<{
      Id: string;
      Owner: { Name: string } | null;
    }>(
      'SELECT Id, Name, OwnerId, Owner.Name, ABM_Tier__c, SystemModstamp FROM Account ORDER BY SystemModstamp, Id',
    )
    .autoFetch(true)
    .maxFetch(200_000);
  expect(result.totalSize).toBe(100_000);
  expect(result.records).toHaveLength(100_000);
  expect(new Set(result.records.map((record) => record.Id)).size).toBe(100_000);
  expect(result.records.every((record) => record.Owner !== null)).toBe(true);
  expect(conn.limitInfo.apiUsage?.used).toBe(50);
}, 60_000);
