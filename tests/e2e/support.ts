import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Result, Tier } from '@abm-pilot/shared';
import { DAY_MS, TIERS } from '@abm-pilot/shared';

import type { Logger } from 'pino';

import { createHubSpotConnector } from '../../server/src/connectors/hubspot/index.ts';
import type { ApiDeps } from '../../server/src/http/routes/index.ts';
import { systemTime } from '../../server/src/time.ts';
import {
  createSalesforceConnector,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_TIER_PICKLIST,
} from '../../server/src/connectors/salesforce/index.ts';
import type { Tenant } from '../../server/src/model.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { RunKind, Store } from '../../server/src/store/ports.ts';
import type { SyncDeps, SyncError, SyncReport } from '../../server/src/usecases/runSync.ts';
import { sweepSlas, syncTenant } from '../../server/src/usecases/runSync.ts';
import type { FaultInjector } from '../../sandbox/src/faults.ts';
import type { HubSpotEmulator } from '../../sandbox/src/hubspot/index.ts';
import { createHubSpotEmulator, DEFAULT_PORTAL_ID } from '../../sandbox/src/hubspot/index.ts';
import type { SalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';

// Salesforce field names as the package deploys them, read from its metadata.
const TIER = metadataFieldName('Account', 'tier');
const ALERT_KEY = metadataFieldName('Activity', 'alertKey');

// A whole tenant for end-to-end tests: a seeded Salesforce emulator on 127.0.0.1, a real SQLite file,
// the real connector, and one clock shared by all three that moves only when the test says so.

export const START = Date.parse('2026-11-30T09:00:00.000Z');

export interface SalesforceWorld {
  readonly org: SalesforceEmulator;
  readonly url: string;
  readonly store: Store;
  /** The SQLite file behind `store`, for a second process to open. */
  readonly dbPath: string;
  readonly tenant: Tenant;
  readonly deps: SyncDeps;
  advance(ms: number): void;
  now(): number;
  /** SOQL through the REST API, as an admin would check the org. */
  soql<T = Record<string, unknown>>(query: string): Promise<{ totalSize: number; records: T[] }>;
  patch(sobject: string, id: string, fields: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function salesforceWorld(accounts = 200): Promise<SalesforceWorld> {
  let now = START;
  const clock = () => now;
  const org = createSalesforceEmulator({ clock });
  org.loadSeed(createSeedDataset({ seed: 11, accounts, referenceDate: new Date(START).toISOString() }));
  const server: Server = await new Promise((resolve) => {
    const listening = org.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;

  const dir = mkdtempSync(join(tmpdir(), 'abm-e2e-'));
  const dbPath = join(dir, 'abm.db');
  const store = openSqliteStore(dbPath);
  const tenant: Tenant = {
    id: tenantIdOf('salesforce', org.org.orgId),
    crm: 'salesforce',
    externalId: org.org.orgId,
    name: 'E2E org',
    language: 'en',
  };
  await store.upsertTenant(tenant);
  const connector = createSalesforceConnector({
    tenant,
    loginUrl: url,
    auth: { kind: 'client_credentials', clientId: org.org.clientId, clientSecret: org.org.clientSecret },
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });

  const token = () => org.issueAccessToken();
  const api = `${url}/services/data/v66.0`;
  return {
    org,
    url,
    store,
    dbPath,
    tenant,
    deps: { store, connector, clock, holder: 'e2e' },
    advance: (ms) => void (now += ms),
    now: clock,
    async soql(query) {
      const response = await fetch(`${api}/query?q=${encodeURIComponent(query)}`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return response.json() as never;
    },
    async patch(sobject, id, fields) {
      const response = await fetch(`${api}/sobjects/${sobject}/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      if (response.status !== 204) throw new Error(`${response.status} ${await response.text()}`);
    },
    async close() {
      await store.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface HubSpotWorld {
  readonly hub: HubSpotEmulator;
  readonly url: string;
  readonly portalId: number;
  readonly token: string;
  readonly store: Store;
  /** The SQLite file behind `store`, for a second process to open. */
  readonly dbPath: string;
  readonly tenant: Tenant;
  readonly deps: SyncDeps;
  advance(ms: number): void;
  now(): number;
  /** The HubSpot REST API with the portal's private-app token, as an admin would check the portal. */
  api<T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  close(): Promise<void>;
}

/** The same for a seeded HubSpot portal. Limits are lifted: the limiter is tested on its own. */
export async function hubspotWorld(accounts = 200): Promise<HubSpotWorld> {
  let now = START;
  const clock = () => now;
  const hub = createHubSpotEmulator({ now: clock });
  const portalId = DEFAULT_PORTAL_ID;
  hub.loadSeed(
    portalId,
    createSeedDataset({ seed: 11, accounts, referenceDate: new Date(START).toISOString() }),
  );
  hub.setLimits(portalId, { tenSecondly: 100_000, searchPerSecond: 100_000 });
  const server: Server = await new Promise((resolve) => {
    const listening = hub.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const token = hub.privateAppToken(portalId) ?? '';

  const dir = mkdtempSync(join(tmpdir(), 'abm-e2e-hs-'));
  const dbPath = join(dir, 'abm.db');
  const store = openSqliteStore(dbPath);
  const tenant: Tenant = {
    id: tenantIdOf('hubspot', String(portalId)),
    crm: 'hubspot',
    externalId: String(portalId),
    name: 'E2E portal',
    language: 'en',
  };
  await store.upsertTenant(tenant);
  const connector = createHubSpotConnector({
    tenant,
    baseUrl: url,
    auth: { kind: 'private_app', token },
    limits: { tenSecondly: 100_000, searchPerSecond: 100_000 },
    clock,
    random: () => 0.5,
    sleep: async () => undefined,
  });
  return {
    hub,
    url,
    portalId,
    token,
    store,
    dbPath,
    tenant,
    deps: { store, connector, clock, holder: 'e2e' },
    advance: (ms) => void (now += ms),
    now: clock,
    async api(path, init = {}) {
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
      return (response.status === 204 ? null : await response.json()) as never;
    },
    async close() {
      await store.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The API's dependencies on a world, without a scheduler: its store and clock, and its CRM, which a
 * decision writes to at once (awaited in the request).
 */
export function apiDepsOn(
  world: { readonly store: Store; readonly tenant: Tenant; readonly deps: SyncDeps; now(): number },
  log: Logger,
): ApiDeps {
  return {
    store: world.store,
    clock: () => world.now(),
    deadline: systemTime.deadline,
    crmOf: (tenantId) => (tenantId === world.tenant.id ? world.deps.connector : null),
    background: (work) => work(),
    hubspot: null,
    syncNow: () => false,
    log,
  };
}

// ---------------------------------------------------------------------------------------------------
// Scenarios: the same scripted life of a tenant played in several worlds (clean, faulty, crashing), and
// what its CRM shows at the end, read through the CRM's own API, so that worlds can be compared.

/** How a scenario asks for a run; the world decides how it is made (in process, under faults, in a child). */
export type RunStep = (kind: RunKind) => Promise<void>;

/** An SLA alert task as the CRM shows it, without the CRM's own id (which may differ between worlds). */
export interface AlertTaskView {
  readonly key: string;
  readonly accountIds: readonly string[];
  readonly ownerId: string | null;
  readonly subject: string | null;
  readonly status: string | null;
  readonly priority: string | null;
  readonly due: string | null;
}

export interface CrmState {
  /** The ABM fields of every live account, by CRM id. */
  readonly accounts: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Tasks carrying an alert key, sorted by key; a key found twice is listed twice. */
  readonly tasks: readonly AlertTaskView[];
  /** Every task in the CRM, keyed or not: a stray task shows here. */
  readonly taskCount: number;
}

/** A world seen as its CRM admin sees it. */
export interface CrmAdmin {
  readonly faults: FaultInjector;
  advance(ms: number): void;
  now(): number;
  /** Live accounts with an owner and no tier, in id order. */
  untieredOwnedAccounts(): Promise<readonly { readonly id: string; readonly ownerId: string }[]>;
  setTier(accountId: string, tier: Tier): Promise<void>;
  /** A call logged now by `ownerId` on the account: the first touch that meets a follow-up SLA. */
  logCall(accountId: string, ownerId: string): Promise<string>;
  /** Deletes a call logged by `logCall`. */
  deleteCall(callId: string): Promise<void>;
  state(): Promise<CrmState>;
}

export const SCENARIO_TIER_EDITS = 6;

/**
 * Full sync; tiers set in the CRM on a few owned accounts (an out-of-app edit that starts their follow-up
 * clocks); incremental sync; a sweep two days later (reminders, breaches); a first touch on one of them
 * and a sync (its task completed); a sweep five days later (escalations).
 */
export async function playScenario(admin: CrmAdmin, run: RunStep): Promise<void> {
  await run('sync');
  const picked = (await admin.untieredOwnedAccounts()).slice(0, SCENARIO_TIER_EDITS);
  const touched = picked[0];
  if (touched === undefined || picked.length < SCENARIO_TIER_EDITS) throw new Error('seed too small');
  admin.advance(60_000);
  for (const [index, account] of picked.entries()) {
    await admin.setTier(account.id, TIERS[index % TIERS.length] ?? 'tier_3');
  }
  admin.advance(60_000);
  await run('sync');
  admin.advance(2 * DAY_MS);
  await run('sla');
  admin.advance(60_000);
  await admin.logCall(touched.id, touched.ownerId);
  admin.advance(60_000);
  await run('sync');
  admin.advance(5 * DAY_MS);
  await run('sla');
}

/** The run a scheduler would make for `kind`. */
export const runOnce = (deps: SyncDeps, kind: RunKind): Promise<Result<SyncReport, SyncError>> =>
  kind === 'sync' ? syncTenant(deps) : sweepSlas(deps);

/** A run that left nothing undelivered: no connector failure, no record refused. */
export const completed = (result: Result<SyncReport, SyncError>): boolean =>
  result.ok && result.value.writeFailures === 0 && result.value.taskFailures === 0;

/**
 * Runs `kind` again, as the scheduler would at its next tick, until a run completes; returns how many
 * runs it took. Gives up (throws) after `maxRuns`, which would mean the faults never let a run through.
 */
export async function runUntilCompleted(deps: SyncDeps, kind: RunKind, maxRuns = 40): Promise<number> {
  for (let runs = 1; runs <= maxRuns; runs += 1) {
    if (completed(await runOnce(deps, kind))) return runs;
  }
  throw new Error(`${kind} did not complete in ${maxRuns} runs`);
}

/** mulberry32, for test choices that must be the same on every run (kill and death points). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const byKey = (a: AlertTaskView, b: AlertTaskView): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface HubSpotPage {
  results: {
    id: string;
    properties: Record<string, string | null>;
    associations?: Record<string, { results: { id: string }[] }>;
  }[];
  paging?: { next?: { after: string } };
}

async function hubspotList(
  world: Pick<HubSpotWorld, 'api'>,
  type: string,
  query: string,
): Promise<HubSpotPage['results']> {
  const all: HubSpotPage['results'] = [];
  let after: string | undefined;
  do {
    const page = await world.api<HubSpotPage>(
      `/crm/v3/objects/${type}?limit=100&${query}${after === undefined ? '' : `&after=${after}`}`,
    );
    all.push(...page.results);
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return all;
}

const HUBSPOT_ABM_PROPERTIES = [
  'hs_ideal_customer_profile',
  'hs_is_target_account',
  'abm_score',
  'abm_sla_status',
  'abm_next_sla_due',
  'abm_tier_reason',
  'abm_last_sync',
];

/** Reads every company's ABM properties and every task through the portal's REST API. */
export async function hubspotState(world: Pick<HubSpotWorld, 'api'>): Promise<CrmState> {
  const companies = await hubspotList(world, 'companies', `properties=${HUBSPOT_ABM_PROPERTIES.join(',')}`);
  const accounts: Record<string, Record<string, unknown>> = {};
  for (const company of companies) {
    accounts[company.id] = Object.fromEntries(
      HUBSPOT_ABM_PROPERTIES.map((name) => [name, company.properties[name] ?? null]),
    );
  }
  const tasks = await hubspotList(
    world,
    'tasks',
    'properties=abm_alert_key,hs_task_subject,hs_task_status,hs_task_priority,hs_timestamp,hubspot_owner_id&associations=companies',
  );
  return {
    accounts,
    tasks: tasks
      .filter((task) => (task.properties.abm_alert_key ?? '') !== '')
      .map((task) => ({
        key: task.properties.abm_alert_key ?? '',
        accountIds: [...new Set(task.associations?.companies?.results.map((link) => link.id) ?? [])].sort(),
        ownerId: task.properties.hubspot_owner_id ?? null,
        subject: task.properties.hs_task_subject ?? null,
        status: task.properties.hs_task_status ?? null,
        priority: task.properties.hs_task_priority ?? null,
        due: task.properties.hs_timestamp ?? null,
      }))
      .sort(byKey),
    taskCount: tasks.length,
  };
}

export function hubspotAdmin(world: HubSpotWorld): CrmAdmin {
  return {
    faults: world.hub.faults,
    advance: world.advance,
    now: world.now,
    async untieredOwnedAccounts() {
      const companies = await hubspotList(
        world,
        'companies',
        'properties=hs_ideal_customer_profile,hubspot_owner_id',
      );
      return companies
        .filter(
          (company) => !company.properties.hs_ideal_customer_profile && company.properties.hubspot_owner_id,
        )
        .map((company) => ({ id: company.id, ownerId: company.properties.hubspot_owner_id ?? '' }))
        .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : 1));
    },
    async setTier(accountId, tier) {
      await world.api(`/crm/v3/objects/companies/${accountId}`, {
        method: 'PATCH',
        body: { properties: { hs_ideal_customer_profile: tier } },
      });
    },
    async logCall(accountId, ownerId) {
      const call = await world.api<{ id: string }>('/crm/v3/objects/calls', {
        method: 'POST',
        body: {
          properties: {
            hs_timestamp: new Date(world.now()).toISOString(),
            hubspot_owner_id: ownerId,
            hs_call_title: 'First touch',
          },
          associations: [
            {
              to: { id: accountId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 182 }],
            },
          ],
        },
      });
      return call.id;
    },
    async deleteCall(callId) {
      await world.api(`/crm/v3/objects/calls/${callId}`, { method: 'DELETE' });
    },
    state: () => hubspotState(world),
  };
}

const SALESFORCE_ABM_FIELDS = Object.values(SALESFORCE_ABM_ACCOUNT_FIELDS);

/** Reads every account's ABM fields and every task through the org's REST API. */
export async function salesforceState(world: Pick<SalesforceWorld, 'soql'>): Promise<CrmState> {
  const rows = await world.soql<Record<string, unknown> & { Id: string }>(
    `SELECT Id, ${SALESFORCE_ABM_FIELDS.join(', ')} FROM Account ORDER BY Id`,
  );
  const accounts: Record<string, Record<string, unknown>> = {};
  for (const row of rows.records) {
    accounts[row.Id] = Object.fromEntries(SALESFORCE_ABM_FIELDS.map((name) => [name, row[name] ?? null]));
  }
  const tasks = await world.soql<{
    [field: string]: string | null;
    WhatId: string | null;
    OwnerId: string | null;
    Subject: string | null;
    Status: string | null;
    Priority: string | null;
    ActivityDate: string | null;
  }>(`SELECT ${ALERT_KEY}, WhatId, OwnerId, Subject, Status, Priority, ActivityDate FROM Task`);
  const count = await world.soql('SELECT COUNT() FROM Task');
  return {
    accounts,
    tasks: tasks.records
      .filter((task) => (task[ALERT_KEY] ?? '') !== '')
      .map((task) => ({
        key: task[ALERT_KEY] ?? '',
        accountIds: task.WhatId === null ? [] : [task.WhatId],
        ownerId: task.OwnerId,
        subject: task.Subject,
        status: task.Status,
        priority: task.Priority,
        due: task.ActivityDate,
      }))
      .sort(byKey),
    taskCount: count.totalSize,
  };
}

export function salesforceAdmin(world: SalesforceWorld): CrmAdmin {
  return {
    faults: world.org.faults,
    advance: world.advance,
    now: world.now,
    async untieredOwnedAccounts() {
      const rows = await world.soql<{ Id: string; OwnerId: string }>(
        `SELECT Id, OwnerId FROM Account WHERE ${TIER} = null AND OwnerId != null ORDER BY Id`,
      );
      return rows.records.map((row) => ({ id: row.Id, ownerId: row.OwnerId }));
    },
    async setTier(accountId, tier) {
      await world.patch('Account', accountId, { [TIER]: SALESFORCE_TIER_PICKLIST[tier] });
    },
    logCall(accountId, ownerId) {
      return salesforceCreate(world, 'Task', {
        Subject: 'First touch',
        TaskSubtype: 'Call',
        Status: 'Completed',
        WhatId: accountId,
        OwnerId: ownerId,
        ActivityDate: new Date(world.now()).toISOString().slice(0, 10),
      });
    },
    async deleteCall(callId) {
      const response = await fetch(`${world.url}/services/data/v66.0/sobjects/Task/${callId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${world.org.issueAccessToken()}` },
      });
      if (response.status !== 204) throw new Error(`${response.status} ${await response.text()}`);
    },
    state: () => salesforceState(world),
  };
}

/** Creates a record through the org's REST API, as a user would; returns its id. */
export async function salesforceCreate(
  world: SalesforceWorld,
  sobject: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const response = await fetch(`${world.url}/services/data/v66.0/sobjects/${sobject}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.org.issueAccessToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
