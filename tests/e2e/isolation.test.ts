import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DAY_MS } from '@abm-pilot/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotConnector } from '../../server/src/connectors/hubspot/index.ts';
import type { CrmConnector } from '../../server/src/connectors/ports.ts';
import { createSalesforceConnector } from '../../server/src/connectors/salesforce/index.ts';
import type { Tenant } from '../../server/src/model.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { Store } from '../../server/src/store/ports.ts';
import type { SyncDeps } from '../../server/src/usecases/runSync.ts';
import { sweepSlas, syncTenant } from '../../server/src/usecases/runSync.ts';
import { createHubSpotEmulator } from '../../sandbox/src/hubspot/index.ts';
import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import type { SeedAccountBundle, SeedDataset } from '../../sandbox/src/seed/index.ts';
import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import type { CrmState } from './support.ts';
import { START, hubspotState, salesforceState } from './support.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';

const TIER = metadataFieldName('Account', 'tier');

// Two HubSpot portals on one emulator and two Salesforce orgs on another, seeded alike, plus a third
// portal on an emulator of its own whose record ids are exactly the first portal's (with other names and
// sizes, so that a leak would show):
// all five synced side by side, at the same time, into ONE store. Afterwards nothing of one tenant can be
// read or written through another: not through the store, not through its CRM, not with its credentials.

const ACCOUNTS = 100;
const TIER_EDITS = 2;
const LIFTED = { tenSecondly: 100_000, searchPerSecond: 100_000 };

interface Side {
  readonly name: string;
  readonly tenant: Tenant;
  readonly connector: CrmConnector;
  readonly deps: SyncDeps;
  /** Reads the CRM as its admin: every account's ABM fields and every alert task. */
  state(): Promise<CrmState>;
  /** Sets a tier in the CRM on its first owned, untiered accounts (an out-of-app edit: SLA clocks start). */
  editTiers(count: number): Promise<string[]>;
  /** Account ids as the CRM lists them. */
  accountIds(): Promise<string[]>;
}

let now = START;
const clock = () => now;
const servers: Server[] = [];
let dir = '';
let store: Store;
let sides: Side[] = [];
let salesforceUrl = '';
const salesforceCredentials = new Map<string, { clientId: string; clientSecret: string }>();

async function listen(app: RequestListener): Promise<string> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

const dataset = (): SeedDataset =>
  createSeedDataset({ seed: 11, accounts: ACCOUNTS, referenceDate: new Date(START).toISOString() });

/** The same records, so the same ids in a portal of their own, with other names and sizes. */
function lookalikeOf(original: SeedDataset): SeedDataset {
  const disguise = (bundle: SeedAccountBundle): SeedAccountBundle => ({
    ...bundle,
    company: {
      ...bundle.company,
      name: `Lookalike ${bundle.company.name}`,
      annualRevenue: bundle.company.annualRevenue * 7,
      employees: bundle.company.employees * 5,
    },
  });
  return {
    ...original,
    account: (index) => disguise(original.account(index)),
    *accounts() {
      for (const bundle of original.accounts()) yield disguise(bundle);
    },
  };
}

function hubspotApi(url: string, token: string) {
  return async <T = Record<string, unknown>>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  };
}

function salesforceApi(url: string, token: () => string) {
  const api = `${url}/services/data/v66.0`;
  return {
    async soql<T = Record<string, unknown>>(query: string): Promise<{ totalSize: number; records: T[] }> {
      const response = await fetch(`${api}/query?q=${encodeURIComponent(query)}`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return (await response.json()) as { totalSize: number; records: T[] };
    },
    async patch(id: string, fields: Record<string, unknown>): Promise<void> {
      const response = await fetch(`${api}/sobjects/Account/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      if (response.status !== 204) throw new Error(`${response.status} ${await response.text()}`);
    },
  };
}

function hubspotSide(name: string, url: string, portalId: number, token: string): Side {
  const tenant: Tenant = {
    id: tenantIdOf('hubspot', String(portalId)),
    crm: 'hubspot',
    externalId: String(portalId),
    name,
    language: 'en',
  };
  const connector = createHubSpotConnector({
    tenant,
    baseUrl: url,
    auth: { kind: 'private_app', token },
    limits: LIFTED,
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  const api = hubspotApi(url, token);
  const companies = async () =>
    (
      await api<{ results: { id: string; properties: Record<string, string | null> }[] }>(
        '/crm/v3/objects/companies?limit=100&properties=hs_ideal_customer_profile,hubspot_owner_id',
      )
    ).results;
  return {
    name,
    tenant,
    connector,
    deps: { store, connector, clock, holder: 'isolation' },
    state: () => hubspotState({ api }),
    async editTiers(count) {
      const picked = (await companies())
        .filter(
          (company) => !company.properties.hs_ideal_customer_profile && company.properties.hubspot_owner_id,
        )
        .slice(0, count)
        .map((company) => company.id);
      for (const id of picked) {
        await api(`/crm/v3/objects/companies/${id}`, {
          method: 'PATCH',
          body: { properties: { hs_ideal_customer_profile: 'tier_1' } },
        });
      }
      return picked;
    },
    accountIds: async () => Object.keys((await hubspotState({ api })).accounts),
  };
}

function salesforceSide(
  name: string,
  url: string,
  org: { orgId: string; clientId: string; clientSecret: string },
  token: () => string,
): Side {
  const tenant: Tenant = {
    id: tenantIdOf('salesforce', org.orgId),
    crm: 'salesforce',
    externalId: org.orgId,
    name,
    language: 'en',
  };
  const connector = createSalesforceConnector({
    tenant,
    loginUrl: url,
    auth: { kind: 'client_credentials', clientId: org.clientId, clientSecret: org.clientSecret },
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  const api = salesforceApi(url, token);
  return {
    name,
    tenant,
    connector,
    deps: { store, connector, clock, holder: 'isolation' },
    state: () => salesforceState(api),
    async editTiers(count) {
      const rows = await api.soql<{ Id: string }>(
        `SELECT Id FROM Account WHERE ${TIER} = null AND OwnerId != null ORDER BY Id LIMIT ${count}`,
      );
      for (const row of rows.records) await api.patch(row.Id, { [TIER]: 'Tier 1' });
      return rows.records.map((row) => row.Id);
    },
    accountIds: async () =>
      (await api.soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Id')).records.map((row) => row.Id),
  };
}

const byName = (name: string): Side => {
  const side = sides.find((candidate) => candidate.name === name);
  if (!side) throw new Error(name);
  return side;
};

/** What a side's CRM showed and what its store held, once all five were synced. */
const seen = new Map<string, { ids: string[]; state: CrmState; edited: string[] }>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'abm-isolation-'));
  store = openSqliteStore(join(dir, 'one-store.db'));

  const hub = createHubSpotEmulator({ now: clock, portals: [{ portalId: 101 }, { portalId: 202 }] });
  const lookalike = createHubSpotEmulator({ now: clock, portals: [{ portalId: 303 }] });
  for (const [emulator, portalId, data] of [
    [hub, 101, dataset()],
    [hub, 202, dataset()],
    [lookalike, 303, lookalikeOf(dataset())],
  ] as const) {
    emulator.loadSeed(portalId, data);
    emulator.setLimits(portalId, LIFTED);
  }
  const sf = createSalesforceEmulator({ clock, orgs: [{}, {}] });
  for (const org of sf.orgs) sf.loadSeed(dataset(), { orgId: org.orgId });
  const [hubUrl, lookalikeUrl, sfUrl] = await Promise.all([
    listen(hub.app),
    listen(lookalike.app),
    listen(sf.app),
  ]);
  const [orgA, orgB] = sf.orgs;
  if (!orgA || !orgB) throw new Error('two orgs expected');
  salesforceUrl = sfUrl;
  salesforceCredentials.set('org A', orgA);
  salesforceCredentials.set('org B', orgB);

  sides = [
    hubspotSide('portal A', hubUrl, 101, hub.privateAppToken(101) ?? ''),
    hubspotSide('portal B', hubUrl, 202, hub.privateAppToken(202) ?? ''),
    hubspotSide('portal A lookalike', lookalikeUrl, 303, lookalike.privateAppToken(303) ?? ''),
    salesforceSide('org A', sfUrl, orgA, () => sf.issueAccessToken(orgA.orgId)),
    salesforceSide('org B', sfUrl, orgB, () => sf.issueAccessToken(orgB.orgId)),
  ];
  for (const side of sides) {
    await store.upsertTenant(side.tenant);
    expect(await side.connector.prepare(), side.name).toMatchObject({ ok: true });
  }

  const allOk = async (run: (deps: SyncDeps) => ReturnType<typeof syncTenant>) => {
    const results = await Promise.all(sides.map((side) => run(side.deps)));
    for (const result of results) expect(result).toMatchObject({ ok: true, value: { writeFailures: 0 } });
    return results;
  };
  const first = await allOk(syncTenant);
  for (const result of first)
    expect(result).toMatchObject({ value: { computed: ACCOUNTS, written: ACCOUNTS } });
  now += 60_000;
  const edited = new Map<string, string[]>();
  for (const side of sides) edited.set(side.name, await side.editTiers(TIER_EDITS));
  now += 60_000;
  await allOk(syncTenant);
  now += 3 * DAY_MS;
  await allOk(sweepSlas);
  for (const side of sides) {
    seen.set(side.name, {
      ids: await side.accountIds(),
      state: await side.state(),
      edited: edited.get(side.name) ?? [],
    });
  }
}, 60_000);

afterAll(async () => {
  await store?.close();
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const sight = (name: string) => {
  const found = seen.get(name);
  if (!found) throw new Error(name);
  return found;
};

/** Pairs whose CRM ids never meet: a record id of one names nothing in the other. */
const DISJOINT: readonly (readonly [string, string])[] = [
  ['portal A', 'portal B'],
  ['portal B', 'portal A'],
  ['org A', 'org B'],
  ['org B', 'org A'],
  ['portal A', 'org A'],
  ['org A', 'portal A'],
  ['portal A lookalike', 'portal B'],
];

describe('five tenants synced side by side into one store', () => {
  it('syncs each tenant whole from its own CRM, and the identical seeds give disjoint ids except for the lookalike', () => {
    for (const side of sides) expect(sight(side.name).ids, side.name).toHaveLength(ACCOUNTS);
    const a = new Set(sight('portal A').ids);
    expect(sight('portal B').ids.some((id) => a.has(id))).toBe(false);
    expect(sight('portal A lookalike').ids).toEqual(sight('portal A').ids);
    const orgA = new Set(sight('org A').ids);
    expect(sight('org B').ids.some((id) => orgA.has(id))).toBe(false);
  });

  it.each(DISJOINT)(
    '%s: the store, used as %s, neither returns nor changes anything of it',
    async (owner, asker) => {
      const ownerSide = byName(owner);
      const askerSide = byName(asker);
      const { ids, state, edited } = sight(owner);
      expect(await store.loadAccountContexts(askerSide.tenant.id, ids, 0)).toEqual([]);
      expect((await store.loadAccountContexts(ownerSide.tenant.id, ids, 0)).length).toBe(ACCOUNTS);
      for (const id of edited) {
        expect((await store.accountAudit(askerSide.tenant.id, id, { limit: 10 })).entries).toEqual([]);
        expect((await store.accountAudit(ownerSide.tenant.id, id, { limit: 10 })).entries).not.toEqual([]);
      }
      for (const task of state.tasks) {
        expect(await store.getTask(askerSide.tenant.id, task.key)).toBeNull();
        expect(await store.getTask(ownerSide.tenant.id, task.key)).not.toBeNull();
      }
      const askersClocks = await store.openSlaInstances(askerSide.tenant.id);
      expect(askersClocks.some((instance) => ids.includes(instance.accountId))).toBe(false);

      // Writes under the asker's tenant with the owner's ids change nothing of the owner's.
      const writes = ids.map((crmId) => ({ crmId, fields: { score: -1 } }));
      expect(await store.markForCompute(askerSide.tenant.id, ids)).toBe(0);
      await store.markAccountWritesInFlight(askerSide.tenant.id, writes);
      await store.markAccountsWritten(askerSide.tenant.id, writes);
      expect(await store.accountsToCompute(ownerSide.tenant.id, 1_000)).toEqual([]);
      expect(await store.pendingAccountWrites(ownerSide.tenant.id, 1_000)).toEqual([]);
    },
  );

  it('keeps the lookalike portal apart although every record id is the same: each id reads as its own CRM shows it', async () => {
    const ids = sight('portal A').ids;
    const [original, lookalike] = await Promise.all(
      ['portal A', 'portal A lookalike'].map(async (name) => {
        const contexts = await store.loadAccountContexts(byName(name).tenant.id, ids, 0);
        return new Map(contexts.map((context) => [context.account.crmId, context]));
      }),
    );
    let differing = 0;
    for (const id of ids) {
      const mine = original?.get(id);
      const theirs = lookalike?.get(id);
      if (!mine || !theirs) throw new Error(`${id} missing from one tenant`);
      expect(mine.state.score?.score).toBeCloseTo(Number(sight('portal A').state.accounts[id]?.abm_score), 1);
      expect(theirs.state.score?.score).toBeCloseTo(
        Number(sight('portal A lookalike').state.accounts[id]?.abm_score),
        1,
      );
      if (mine.account.name !== theirs.account.name) differing += 1;
    }
    // Other data under the same ids: a leak in either direction would show as a wrong name or score.
    expect(differing).toBeGreaterThan(ACCOUNTS / 2);
    const originalKeys = new Set(sight('portal A').state.tasks.map((task) => task.key));
    for (const task of sight('portal A lookalike').state.tasks) {
      const stored = await store.getTask(byName('portal A').tenant.id, task.key);
      if (!originalKeys.has(task.key)) expect(stored).toBeNull();
    }
  });

  it.each(['portal A', 'portal B', 'portal A lookalike', 'org A', 'org B'])(
    '%s shows only its own tasks, one per alert its store sent, on its own accounts',
    async (name) => {
      const side = byName(name);
      const { ids, state } = sight(name);
      expect(state.tasks.length).toBeGreaterThanOrEqual(TIER_EDITS);
      expect(new Set(state.tasks.map((task) => task.key)).size).toBe(state.tasks.length);
      const own = new Set(ids);
      for (const task of state.tasks) {
        expect(task.accountIds.length).toBe(1);
        expect(own.has(task.accountIds[0] ?? '')).toBe(true);
        expect(await store.getTask(side.tenant.id, task.key)).toMatchObject({
          accountCrmId: task.accountIds[0],
          assigneeCrmId: task.ownerId,
        });
      }
      expect(await store.pendingTasks(side.tenant.id, 100)).toEqual([]);
      const runs = await store.recentRuns(side.tenant.id, 100);
      expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    },
  );

  it("cannot reach portal B with portal A's token: pulls see none of B, writes to B's companies are refused", async () => {
    const a = byName('portal A');
    const b = sight('portal B');
    const pulled: string[] = [];
    for await (const page of a.connector.pull('accounts', null))
      pulled.push(...page.records.map((r) => r.crmId));
    expect(pulled.sort()).toEqual([...sight('portal A').ids].sort());

    const target = b.ids.slice(0, 3);
    const outcome = await a.connector.writeAccounts(
      target.map((crmId) => ({ crmId, fields: { score: 99.9 } })),
    );
    expect(outcome.written).toEqual([]);
    expect(outcome.failed.map((failure) => failure.id).sort()).toEqual([...target].sort());
    expect((await byName('portal B').state()).accounts).toEqual(b.state.accounts);
  });

  it("cannot reach org B with org A's connector, nor open org B's tenant with org A's credentials", async () => {
    const a = byName('org A');
    const b = sight('org B');
    const target = b.ids.slice(0, 3);
    const outcome = await a.connector.writeAccounts(
      target.map((crmId) => ({ crmId, fields: { score: 99.9 } })),
    );
    expect(outcome.written).toEqual([]);
    expect(outcome.failed.map((failure) => failure.id).sort()).toEqual([...target].sort());

    const orgB = byName('org B').tenant;
    const credentialsOfA = salesforceCredentials.get('org A');
    if (!credentialsOfA) throw new Error('org A credentials');
    const misconfigured = createSalesforceConnector({
      tenant: orgB,
      loginUrl: salesforceUrl,
      auth: { kind: 'client_credentials', ...credentialsOfA },
      clock,
      random: () => 0.5,
      sleep: async () => undefined,
    });
    const result = await syncTenant({ store, connector: misconfigured, clock, holder: 'isolation' });
    expect(result).toMatchObject({ ok: false, error: { code: 'crm_failure' } });
    expect((await byName('org B').state()).accounts).toEqual(b.state.accounts);
    expect(await store.recentRuns(orgB.id, 1)).toMatchObject([{ status: 'failed', error: 'auth_failed' }]);
  });
});
