import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { Instant } from '@abm-pilot/shared';

import { createHubSpotConnector } from '../../server/src/connectors/hubspot/index.ts';
import type { ApiUsage, CrmConnector } from '../../server/src/connectors/ports.ts';
import { createSalesforceConnector } from '../../server/src/connectors/salesforce/index.ts';
import type { CrmKind, Tenant } from '../../server/src/model.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import type { Store } from '../../server/src/store/ports.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { SyncDeps, SyncProgress, SyncReport } from '../../server/src/usecases/runSync.ts';
import { syncTenant } from '../../server/src/usecases/runSync.ts';
import { associationTypeById, primaryTypeId } from '../../sandbox/src/hubspot/associationTypes.ts';
import { createHubSpotEmulator, DEFAULT_PORTAL_ID } from '../../sandbox/src/hubspot/index.ts';
import { associate, createRecord } from '../../sandbox/src/hubspot/portal.ts';
import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { insertTrusted, tableOf } from '../../sandbox/src/salesforce/store.ts';
import { accountId, createSeedDataset } from '../../sandbox/src/seed/index.ts';
import type { Benchmark } from './harness.ts';
import { timedRun } from './harness.ts';

// Sync benchmarks: the real server (syncTenant, the HubSpot or Salesforce connector, a SQLite file) against
// the emulator on 127.0.0.1, as the end-to-end tests assemble a tenant. The emulator runs in this process,
// on the same thread as the sync, so every figure carries the emulator's own work too.

const COMPANIES = 100_000;
const DEALS = 200_000;
const CHANGES = 1_000;
const SCORE_CHANGES = 10_000;
/**
 * The HubSpot portal's limits, raised from a private app's 190 / 10 s and 5 searches / s so that the
 * server and the emulator set the pace, not the limits (at 190 / 10 s the 4,000 calls of a full sync
 * would take 3.5 minutes); the connector's limiter is set to the same values.
 */
const HUBSPOT_LIMITS = { tenSecondly: 10_000, searchPerSecond: 1_000 } as const;
/** HubSpot list and batch pages, Salesforce query batches and sObject Collections. */
const PAGE = { hubspot: { read: 100, search: 200, write: 100 }, salesforce: { read: 2_000, write: 200 } };
/**
 * Object types an incremental poll reads: HubSpot owners, companies, contacts, deals, meetings, calls and
 * emails; Salesforce User, Account, Contact, Opportunity, Task and Event.
 */
const POLLED_TYPES = { hubspot: 7, salesforce: 6 } as const;
/** Moves the clock past the connectors' 60 s overlap window and the 10 s rate windows between steps. */
const QUIET_MS = 5 * 60_000;

const ceil = (count: number, page: number): number => Math.ceil(count / page);
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Wall time plus a skew the bench moves forward between syncs; emulator, connector and sync share it. */
interface BenchClock {
  now(): Instant;
  advance(ms: number): void;
}

const benchClock = (): BenchClock => {
  let skew = 0;
  return { now: () => Date.now() + skew, advance: (ms) => void (skew += ms) };
};

/** A tenant as the server sees it the first time: an empty SQLite file and a fresh connector. */
interface Session {
  readonly store: Store;
  readonly connector: CrmConnector;
  readonly deps: SyncDeps;
  close(): Promise<void>;
}

interface World {
  readonly crm: CrmKind;
  readonly clock: BenchClock;
  readonly companies: number;
  readonly deals: number;
  /** Account CRM ids, in seed order. */
  readonly accountIds: readonly string[];
  /** Sleeps of the connectors: the HubSpot limiter's waits, and backoffs before retries. */
  readonly waits: { count: number };
  openSession(): Promise<Session>;
  /** Sets each account's employee count through the CRM's API, as a user editing records would. */
  setEmployees(ids: readonly string[], employees: number): Promise<void>;
  /** The tenant of the last full sync, kept for the incremental and write-back benchmarks. */
  synced: { readonly session: Session; settled: boolean } | null;
  close(): Promise<void>;
}

const listen = async (app: { listen: (port: number, host: string, ready: () => void) => Server }) => {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  // Compute runs for minutes without a call: idle connections stay open, as HubSpot's and Salesforce's do,
  // rather than closing under the connector's next request.
  server.keepAliveTimeout = 15 * 60_000;
  // The bench process ends when the benchmarks do, not when someone closes the emulator or its connections.
  server.unref();
  server.on('connection', (socket) => socket.unref());
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the emulator has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
};

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Store directories still on disk; the last tenant's is never closed, so the process removes it on exit. */
const storeDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of storeDirs) rmSync(dir, { recursive: true, force: true });
});

const openStore = async (tenant: Tenant) => {
  const dir = mkdtempSync(join(tmpdir(), 'abm-bench-'));
  storeDirs.add(dir);
  const store = openSqliteStore(join(dir, 'abm.db'));
  await store.upsertTenant(tenant);
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      storeDirs.delete(dir);
    },
  };
};

const send = async (url: string, token: string, method: string, body: unknown): Promise<void> => {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
};

const countedSleep = () => {
  const waits = { count: 0 };
  const sleep = (ms: number): Promise<void> => {
    waits.count += 1;
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
  return { waits, sleep };
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

/**
 * A HubSpot portal with COMPANIES companies and DEALS deals, no contacts or engagements: the seed gives
 * ~1.3 deals a company, the rest are added to the portal's store, one more deal per company in turn.
 */
async function hubspotWorld(): Promise<World> {
  const clock = benchClock();
  const portalId = DEFAULT_PORTAL_ID;
  const hub = createHubSpotEmulator({ now: clock.now, portals: [{ portalId, limits: HUBSPOT_LIMITS }] });
  const dataset = createSeedDataset({
    seed: 7,
    accounts: COMPANIES,
    referenceDate: new Date(clock.now()).toISOString(),
  });
  const loaded = hub.loadSeed(portalId, dataset, { contacts: false, engagements: false });
  const portal = hub.portal(portalId);
  const accountIds = Array.from({ length: COMPANIES }, (_, index) => {
    const id = portal.data.seedIds.get(accountId(index));
    if (id === undefined) throw new Error(`seed company ${index} was not loaded`);
    return id;
  });
  const dealToCompany = associationTypeById(primaryTypeId('deals', 'companies') ?? -1);
  if (dealToCompany === null) throw new Error('no primary deal → company association');
  const loadedAt = clock.now();
  for (let index = loaded.deals; index < DEALS; index += 1) {
    const companyId = Number(accountIds[index % COMPANIES]);
    const company = portal.data.tables.companies.raw(companyId);
    const createdAt = loadedAt - (30 + (index % 600)) * 86_400_000;
    const won = index % 3 === 0;
    const deal = createRecord(
      portal,
      'deals',
      new Map([
        ['dealname', `${company?.properties.name ?? companyId} - renewal`],
        ['amount', String(5_000 + (index % 97) * 1_000)],
        ['dealstage', won ? 'closedwon' : index % 3 === 1 ? 'closedlost' : 'appointmentscheduled'],
        ['pipeline', 'default'],
        ['closedate', new Date(createdAt + 90 * 86_400_000).toISOString()],
        ['createdate', new Date(createdAt).toISOString()],
        ['hubspot_owner_id', company?.properties.hubspot_owner_id ?? null],
      ]),
      { now: loadedAt, changeSource: 'IMPORT' },
      { createdAt, recordHistory: false },
    );
    associate(portal, dealToCompany, deal.id, companyId);
  }
  const { server, url } = await listen(hub.app);
  const token = hub.privateAppToken(portalId) ?? '';
  const tenant: Tenant = {
    id: tenantIdOf('hubspot', String(portalId)),
    crm: 'hubspot',
    externalId: String(portalId),
    name: 'Bench portal',
    language: 'en',
  };
  const { waits, sleep } = countedSleep();
  const batchUpdate = async (inputs: readonly { id: string; properties: Record<string, string> }[]) => {
    for (const chunk of chunks(inputs, PAGE.hubspot.write)) {
      await send(`${url}/crm/v3/objects/companies/batch/update`, token, 'POST', { inputs: chunk });
    }
  };
  const world: World = {
    crm: 'hubspot',
    clock,
    companies: COMPANIES,
    deals: DEALS,
    accountIds,
    waits,
    synced: null,
    async openSession() {
      const { store, dispose } = await openStore(tenant);
      const connector = createHubSpotConnector({
        tenant,
        baseUrl: url,
        auth: { kind: 'private_app', token },
        limits: HUBSPOT_LIMITS,
        clock: clock.now,
        sleep,
      });
      const prepared = await connector.prepare();
      if (!prepared.ok) throw new Error(`prepare: ${prepared.error.message}`);
      return {
        store,
        connector,
        deps: { store, connector, clock: clock.now, holder: 'bench' },
        close: dispose,
      };
    },
    async setEmployees(ids, employees) {
      await batchUpdate(ids.map((id) => ({ id, properties: { numberofemployees: String(employees) } })));
    },
    async close() {
      await world.synced?.session.close();
      await closeServer(server);
    },
  };
  return world;
}

/** The same business in a Salesforce org: the seed's accounts and opportunities, topped up to DEALS. */
async function salesforceWorld(): Promise<World> {
  const clock = benchClock();
  const org = createSalesforceEmulator({ clock: clock.now });
  const dataset = createSeedDataset({
    seed: 7,
    accounts: COMPANIES,
    referenceDate: new Date(clock.now()).toISOString(),
  });
  org.loadSeed(dataset, { contacts: false, engagements: false });
  const { data } = org.org;
  const accounts = tableOf(data, 'Account');
  const accountIds = [...accounts.keys()];
  const loadedAt = clock.now();
  const system = { now: loadedAt, userId: data.integrationUserId };
  for (let index = tableOf(data, 'Opportunity').size; index < DEALS; index += 1) {
    const accountCrmId = accountIds[index % accountIds.length]!;
    const account = accounts.get(accountCrmId);
    const created = loadedAt - (30 + (index % 600)) * 86_400_000;
    const stage = index % 3 === 0 ? 'Closed Won' : index % 3 === 1 ? 'Closed Lost' : 'Prospecting';
    insertTrusted(
      data,
      'Opportunity',
      {
        AccountId: accountCrmId,
        OwnerId: account?.['OwnerId'] ?? null,
        Name: `${String(account?.['Name'] ?? accountCrmId)} - renewal`,
        Amount: 5_000 + (index % 97) * 1_000,
        StageName: stage,
        CloseDate: new Date(created + 90 * 86_400_000).toISOString().slice(0, 10),
        Type: 'Existing Customer - Upgrade',
      },
      system,
      { created, modified: created },
    );
  }
  const { server, url } = await listen(org.app);
  const tenant: Tenant = {
    id: tenantIdOf('salesforce', org.org.orgId),
    crm: 'salesforce',
    externalId: org.org.orgId,
    name: 'Bench org',
    language: 'en',
  };
  const api = `${url}/services/data/v66.0`;
  const collections = async (records: readonly Record<string, unknown>[]) => {
    for (const chunk of chunks(records, PAGE.salesforce.write)) {
      await send(`${api}/composite/sobjects`, org.issueAccessToken(), 'PATCH', {
        allOrNone: true,
        records: chunk.map((record) => ({ attributes: { type: 'Account' }, ...record })),
      });
    }
  };
  const { waits, sleep } = countedSleep();
  const world: World = {
    crm: 'salesforce',
    clock,
    companies: accountIds.length,
    deals: tableOf(data, 'Opportunity').size,
    accountIds,
    waits,
    synced: null,
    async openSession() {
      const { store, dispose } = await openStore(tenant);
      const connector = createSalesforceConnector({
        tenant,
        loginUrl: url,
        auth: { kind: 'client_credentials', clientId: org.org.clientId, clientSecret: org.org.clientSecret },
        clock: clock.now,
        sleep,
      });
      const prepared = await connector.prepare();
      if (!prepared.ok) throw new Error(`prepare: ${prepared.error.message}`);
      return {
        store,
        connector,
        deps: { store, connector, clock: clock.now, holder: 'bench' },
        close: dispose,
      };
    },
    async setEmployees(ids, employees) {
      await collections(ids.map((id) => ({ id, NumberOfEmployees: employees })));
    },
    async close() {
      await world.synced?.session.close();
      await closeServer(server);
    },
  };
  return world;
}

type Step = SyncProgress['step'];
const STEPS: readonly Step[] = ['pull', 'compute', 'write_back', 'tasks'];

interface Phase {
  readonly ms: number;
  readonly calls: number;
}

interface MeasuredSync {
  readonly report: SyncReport;
  readonly ms: number;
  readonly phases: Readonly<Record<Step, Phase>>;
  /** Over the whole run. */
  readonly usage: ApiUsage;
}

/**
 * One `syncTenant` run, cut into its steps by the progress it reports: a step ends with its last report
 * (a saved page, batch or write), and the next one begins there. Compute makes no API call.
 */
async function measuredSync(session: Session): Promise<MeasuredSync> {
  const { connector } = session;
  const marks = new Map<Step, { at: number; calls: number }>();
  const before = connector.usage();
  const start = { at: performance.now(), calls: before.calls };
  const result = await syncTenant({
    ...session.deps,
    onProgress: (progress) =>
      marks.set(progress.step, { at: performance.now(), calls: connector.usage().calls }),
  });
  const after = connector.usage();
  const end = { at: performance.now(), calls: after.calls };
  if (!result.ok) throw new Error(`sync failed: ${result.error.code}: ${result.error.message}`);
  const phases = {} as Record<Step, Phase>;
  let previous = start;
  for (const step of STEPS) {
    const mark = step === 'tasks' ? end : (marks.get(step) ?? previous);
    phases[step] = { ms: mark.at - previous.at, calls: mark.calls - previous.calls };
    previous = mark;
  }
  return {
    report: result.value,
    ms: end.at - start.at,
    phases,
    usage: {
      calls: after.calls - before.calls,
      rateLimited: after.rateLimited - before.rateLimited,
      retries: after.retries - before.retries,
    },
  };
}

const print = (name: string, figures: Readonly<Record<string, number>>): void => {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key} ${value.toLocaleString('en-US')}`)
    .join(', ');
  process.stderr.write(`  ${name}: ${text}\n`);
};

/** The fewest calls that can pull `records` of one object type: one page at least, to learn it is empty. */
const pages = (records: number, page: number): number => Math.max(1, ceil(records, page));

function suiteFor(crm: CrmKind, world: () => Promise<World>): Benchmark[] {
  const prefix = `sync.${crm}`;
  const figures: Record<string, Record<string, number>> = {};
  const read = crm === 'hubspot' ? PAGE.hubspot.read : PAGE.salesforce.read;
  const write = crm === 'hubspot' ? PAGE.hubspot.write : PAGE.salesforce.write;
  const record = (name: string, values: Record<string, number>): void => {
    figures[name] = values;
    print(name, values);
  };

  /** A full sync on an empty store; the session is kept as the world's synced tenant. */
  const fullSync = async (target: World): Promise<MeasuredSync> => {
    const session = await target.openSession();
    const measured = await measuredSync(session);
    await target.synced?.session.close();
    target.synced = { session, settled: false };
    return measured;
  };

  /**
   * A synced tenant in steady state, where the next poll sees only what changed since the last one. The
   * CRM stamps our own writes like anyone's, so each poll reads the last one's write-back again (its
   * echo), and re-reads the overlap window before its cursor. After a full sync that echo is every
   * account: the next poll would search through all of them, which takes minutes on the emulator (each
   * search scans and sorts the whole table). So once after a full sync the accounts are listed again
   * instead (the store's `resetCursor`, as a reconciliation does), after one edited account has put the
   * newest change, and so the cursor, past the echo and its overlap window.
   */
  const steady = async (): Promise<{ target: World; session: Session }> => {
    const target = await world();
    if (target.synced === null) await fullSync(target);
    const synced = target.synced!;
    target.clock.advance(QUIET_MS);
    if (!synced.settled) {
      await target.setEmployees(target.accountIds.slice(-1), 70_000);
      target.clock.advance(QUIET_MS);
      await synced.session.store.resetCursor(synced.session.connector.tenant.id, 'accounts');
      synced.settled = true;
    }
    await measuredSync(synced.session);
    return { target, session: synced.session };
  };

  let round = 0;
  const full = `${prefix}.full_sync`;
  const incremental = `${prefix}.incremental_sync`;
  const writeBack = `${prefix}.write_back`;
  return [
    {
      name: full,
      unit: 'records/s',
      items: COMPANIES + DEALS,
      runs: 1,
      warmUp: false,
      note: `${COMPANIES.toLocaleString('en-US')} companies and ${DEALS.toLocaleString('en-US')} deals pulled into an empty SQLite store, scored and written back, end to end; no contacts or engagements; ${
        crm === 'hubspot'
          ? `portal and limiter both at ${HUBSPOT_LIMITS.tenSecondly.toLocaleString('en-US')} calls / 10 s and ${HUBSPOT_LIMITS.searchPerSecond.toLocaleString('en-US')} searches / s`
          : 'Salesforce has no request-rate limit, only the daily budget'
      }; calls and minimumCalls are the pull's (${read} a page), the write-back's are apart`,
      setup: async () => void (await world()),
      async run() {
        const target = await world();
        const waitsBefore = target.waits.count;
        const measured = await fullSync(target);
        const { report, phases, usage } = measured;
        const pulled = report.pulled.accounts + report.pulled.deals;
        if (report.pulled.accounts !== target.companies || report.pulled.deals !== target.deals) {
          throw new Error(`${full} pulled ${JSON.stringify(report.pulled)}`);
        }
        const minimumCalls = ceil(target.companies, read) + ceil(target.deals, read);
        record(full, {
          calls: phases.pull.calls,
          minimumCalls,
          callRatio: round3(phases.pull.calls / minimumCalls),
          rateLimited: usage.rateLimited,
          retries: usage.retries,
          waits: target.waits.count - waitsBefore,
          pulledPerSecond: Math.round(pulled / (phases.pull.ms / 1000)),
          pullMs: Math.round(phases.pull.ms),
          computeMs: Math.round(phases.compute.ms),
          writeBackMs: Math.round(phases.write_back.ms),
          tasksMs: Math.round(phases.tasks.ms),
          written: report.written,
          writeCalls: phases.write_back.calls,
          writeMinimumCalls: ceil(report.written, write),
          tasksSent: report.tasksSent,
          taskCalls: phases.tasks.calls,
          totalCalls: usage.calls,
        });
        return timedRun(measured.ms, pulled);
      },
      figures: () => figures[full] ?? {},
    },
    {
      name: incremental,
      unit: 'changes/s',
      items: CHANGES,
      runs: 3,
      note: `${CHANGES.toLocaleString('en-US')} companies' employee counts changed through the CRM API on the synced tenant, then one sync: pull, rescore, write back; it also re-reads the last sync's own write-back (the CRM's echo) and the overlap window`,
      setup: async () => void (await world()),
      async run() {
        const { target, session } = await steady();
        round += 1;
        const changed = target.accountIds.slice(0, CHANGES);
        // Above the seed's largest headcount, then back to 5 and so on: each round changes every one of them,
        // and moves its headcount score.
        await target.setEmployees(changed, round % 2 === 1 ? 500_000 : 5);
        target.clock.advance(QUIET_MS);
        const measured = await measuredSync(session);
        const { report, phases, usage } = measured;
        if (report.pulled.accounts < CHANGES)
          throw new Error(`${incremental} pulled ${report.pulled.accounts}`);
        // One search (HubSpot) or query (Salesforce) per object type polled, owners included; full pages
        // of what changed in the accounts (the echo too: the CRM cannot tell it apart); full write batches.
        const accountPage = crm === 'hubspot' ? PAGE.hubspot.search : read;
        const minimumCalls =
          pages(report.pulled.accounts, accountPage) + POLLED_TYPES[crm] - 1 + ceil(report.written, write);
        record(incremental, {
          calls: usage.calls,
          minimumCalls,
          callRatio: round3(usage.calls / minimumCalls),
          rateLimited: usage.rateLimited,
          retries: usage.retries,
          pulledAccounts: report.pulled.accounts,
          pullCalls: phases.pull.calls,
          computed: report.computed,
          written: report.written,
          writeCalls: phases.write_back.calls,
          pullMs: Math.round(phases.pull.ms),
          computeMs: Math.round(phases.compute.ms),
          writeBackMs: Math.round(phases.write_back.ms),
        });
        return timedRun(measured.ms, report.computed);
      },
      figures: () => figures[incremental] ?? {},
    },
    {
      name: writeBack,
      unit: 'records/s',
      items: SCORE_CHANGES,
      runs: 3,
      note: `the write-back step of a sync after the store was told the CRM holds an older score for ${SCORE_CHANGES.toLocaleString('en-US')} accounts: one field each, the new score`,
      setup: async () => void (await world()),
      async run() {
        const { target, session } = await steady();
        const ids = target.accountIds.slice(CHANGES, CHANGES + SCORE_CHANGES);
        const tenantId = session.connector.tenant.id;
        const contexts = await session.store.loadAccountContexts(tenantId, ids, 0);
        // The store now remembers an older score as the one in the CRM: as if each account had been
        // rescored since its last write. The CRM itself already holds the new score.
        await session.store.markAccountsWritten(
          tenantId,
          contexts.map((context) => {
            const score = context.writeBack.desired?.score ?? 0;
            return { crmId: context.account.crmId, fields: { score: score >= 50 ? score - 10 : score + 10 } };
          }),
        );
        target.clock.advance(QUIET_MS);
        const measured = await measuredSync(session);
        const { report, phases, usage } = measured;
        if (report.written !== SCORE_CHANGES) throw new Error(`${writeBack} wrote ${report.written}`);
        const minimumCalls = ceil(SCORE_CHANGES, write);
        record(writeBack, {
          calls: phases.write_back.calls,
          minimumCalls,
          callRatio: round3(phases.write_back.calls / minimumCalls),
          rateLimited: usage.rateLimited,
          retries: usage.retries,
        });
        return timedRun(phases.write_back.ms, report.written);
      },
      figures: () => figures[writeBack] ?? {},
    },
  ];
}

/** Full, incremental and write-back syncs for HubSpot and Salesforce; one CRM's world is held at a time. */
export function syncBenchmarks(): Benchmark[] {
  let current: { readonly crm: CrmKind; readonly world: Promise<World> } | null = null;
  const worldOf = (crm: CrmKind, build: () => Promise<World>) => async (): Promise<World> => {
    if (current?.crm !== crm) {
      const previous = current;
      current = {
        crm,
        world: (async () => {
          if (previous) await (await previous.world).close();
          process.stderr.write(`  seeding the ${crm} emulator ...\n`);
          return build();
        })(),
      };
    }
    return current.world;
  };
  return [
    ...suiteFor('hubspot', worldOf('hubspot', hubspotWorld)),
    ...suiteFor('salesforce', worldOf('salesforce', salesforceWorld)),
  ];
}
