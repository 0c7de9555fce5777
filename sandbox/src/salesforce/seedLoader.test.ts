import { describe, expect, it } from 'vitest';

import { createSeedDataset } from '../seed/generate.ts';
import type { SeedDataset } from '../seed/types.ts';
import { runQuery } from './query.ts';
import { loadSeedIntoOrg } from './seedLoader.ts';
import { planQuery } from './soql/plan.ts';
import type { OrgData, Row } from './store.ts';
import { createOrgData, lookupLive } from './store.ts';

// The seed dataset lands in an org as the same business the HubSpot emulator shows: one Account per
// company, its contacts, deals and engagement history, owned by the seeded users.

const NOW = Date.parse('2026-07-01T00:00:00.000Z');
const dataset: SeedDataset = createSeedDataset({
  seed: 7,
  accounts: 200,
  referenceDate: '2026-07-01T00:00:00.000Z',
});
const bundles = [...dataset.accounts()];

function select(data: OrgData, soql: string): Record<string, unknown>[] {
  const plan = planQuery(soql, data.schema, NOW);
  if (!plan.ok) throw new Error(plan.error.message);
  const lookup = (id: string): Row | undefined => lookupLive(data, id);
  return runQuery(data, plan.value, false).map((row) => plan.value.render(row, lookup, '66.0'));
}

describe('loading the seed dataset into an org', () => {
  it('creates one record per seeded owner, company, contact, deal and engagement', () => {
    const data = createOrgData(0, [], NOW);
    const { counts } = loadSeedIntoOrg(data, dataset, { nowMs: NOW });
    const sum = (pick: (bundle: (typeof bundles)[number]) => number) =>
      bundles.reduce((total, bundle) => total + pick(bundle), 0);
    expect(counts.User).toBe(dataset.owners.length + 1);
    expect(counts.Account).toBe(200);
    expect(counts.Contact).toBe(sum((bundle) => bundle.contacts.length));
    expect(counts.Opportunity).toBe(sum((bundle) => bundle.deals.length));
    expect(counts.Task + counts.Event).toBe(sum((bundle) => bundle.engagements.length));
    expect(counts.Event).toBe(
      sum((bundle) => bundle.engagements.filter((event) => event.type === 'meeting').length),
    );
  });

  it('maps tiers, owners, managers, stages and dates onto Salesforce fields', () => {
    const data = createOrgData(0, [], NOW);
    loadSeedIntoOrg(data, dataset, { nowMs: NOW });
    const accounts = select(
      data,
      'SELECT Name, ABM_Tier__c, ABM_Target__c, Owner.Email, CreatedDate FROM Account',
    );
    bundles.forEach(({ company }, index) => {
      const owner = dataset.owners.find((candidate) => candidate.id === company.ownerId);
      expect(accounts[index]).toMatchObject({
        Name: company.name,
        ABM_Tier__c: company.tier === null ? null : `Tier ${company.tier.slice(-1)}`,
        ABM_Target__c: company.tier !== null,
        Owner: { Email: owner?.email },
        CreatedDate: new Date(Date.parse(company.createdAt)).toISOString().replace('Z', '+0000'),
      });
    });
    const managed = dataset.owners.find((owner) => owner.managerId !== null)!;
    const manager = dataset.owners.find((owner) => owner.id === managed.managerId)!;
    const users = select(data, `SELECT Manager.Email FROM User WHERE Email = '${managed.email}'`);
    expect(users[0]).toMatchObject({ Manager: { Email: manager.email } });
    const won = select(data, "SELECT Id FROM Opportunity WHERE IsWon = true AND StageName = 'Closed Won'");
    expect(won).toHaveLength(
      bundles.flatMap((bundle) => bundle.deals).filter((deal) => deal.stage === 'won').length,
    );
    const meetings = select(data, 'SELECT DurationInMinutes, Account.Name FROM Event');
    expect(
      meetings.every((meeting) => meeting['DurationInMinutes'] === 30 && meeting['Account'] !== null),
    ).toBe(true);
  });

  it('gives the same ids for the same seed, and other ids in another org', () => {
    const first = createOrgData(0, [], NOW);
    const again = createOrgData(0, [], NOW);
    const other = createOrgData(1, [], NOW);
    for (const data of [first, again, other]) loadSeedIntoOrg(data, dataset, { nowMs: NOW });
    const ids = (data: OrgData) => [...data.tables.get('Account')!.keys()];
    expect(ids(again)).toEqual(ids(first));
    expect(ids(other).some((id) => ids(first).includes(id))).toBe(false);
  });

  it('skips fields the org lacks and objects the caller leaves out', () => {
    const data = createOrgData(0, ['Account.ABM_Tier__c'], NOW);
    const { counts } = loadSeedIntoOrg(data, dataset, {
      nowMs: NOW,
      contacts: false,
      opportunities: false,
      engagements: false,
    });
    expect(counts).toMatchObject({ Account: 200, Contact: 0, Opportunity: 0, Task: 0, Event: 0 });
    const row = data.tables.get('Account')!.values().next().value as Row;
    expect('ABM_Tier__c' in row).toBe(false);
    expect(row['ABM_Target__c']).toBeTypeOf('boolean');
  });
});
