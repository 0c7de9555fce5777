import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { GovernanceConfig, Locale, Role, Tier, TierOrNone } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, GovernanceConfigSchema } from '@abm-pilot/shared';
import pino from 'pino';

import { createHubSpotEmulator, DEFAULT_PORTAL_ID } from '../../sandbox/src/hubspot/index.ts';
import type { HubSpotEmulator } from '../../sandbox/src/hubspot/index.ts';
import { createSalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import type { SalesforceEmulator } from '../../sandbox/src/salesforce/index.ts';
import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import type { AbmPilot } from '../../server/src/compose.ts';
import { startAbmPilot } from '../../server/src/compose.ts';
import type { Connection, ServerConfig } from '../../server/src/config.ts';
import { SALESFORCE_TIER_PICKLIST } from '../../server/src/connectors/salesforce/index.ts';
import { signV3 } from '../../server/src/http/hubspotSignature.ts';
import type { VirtualTime } from '../../server/src/time.ts';
import { virtualTime } from '../../server/src/time.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';

// A tenant as its people live it: a CRM emulator seeded with a business, and ABM Pilot started through the
// composition root of `npm start` on a virtual clock. Setting the tenant up (its connection, the org key,
// the role mapping) uses the store, as an operator would; from then on everything happens as people and
// the CRM do it: signed HubSpot calls or the Salesforce org key on the card API, an admin token on the
// admin API, edits and reads through the emulator's REST API. Time passes only when the journey says so.

export type CrmName = 'hubspot' | 'salesforce';
export const CRMS: readonly CrmName[] = ['hubspot', 'salesforce'];

/** Monday 30 November 2026, 10:00 in Paris: business hours. */
export const JOURNEY_START = Date.parse('2026-11-30T09:00:00.000Z');
export const SYNC_INTERVAL_MS = 5 * 60_000;
const SLA_SWEEP_INTERVAL_MS = 60 * 60_000;
const HUBSPOT_SECRET = 'journey-app-client-secret';
const PUBLIC_URL = 'https://abm.journey.test';
const TIER_FIELD = metadataFieldName('Account', 'tier');
const TIER_REASON_FIELD = metadataFieldName('Account', 'tierReason');

/** Someone in the CRM: the id ABM Pilot knows them by, the id they sign in with, and their name. */
export interface Person {
  readonly ownerId: string;
  readonly signInId: string;
  readonly name: string;
}

export type Cast = Readonly<Record<'rep' | 'marketer' | 'manager' | 'committee' | 'chief', Person>>;

const CAST_ROLES: Readonly<Record<keyof Cast, Role>> = {
  rep: 'sales_rep',
  marketer: 'marketer',
  manager: 'abm_manager',
  committee: 'abm_committee',
  chief: 'chief_abm_officer',
};

export interface Answer {
  readonly status: number;
  // Journeys read answers as people read them: whatever the server said.
  readonly body: any;
}

export interface TierHistoryEntry {
  readonly value: TierOrNone;
  readonly at: number;
}

/** A task ABM Pilot wrote in the CRM, as the CRM shows it. */
export interface CrmTask {
  /** Its ABM alert key (HubSpot `abm_alert_key`, Salesforce `ABM_Alert_Key__c`). */
  readonly key: string;
  readonly ownerId: string;
  readonly subject: string;
  readonly body: string;
  readonly completed: boolean;
  /** The account it is attached to; `null` for a task about no record. */
  readonly accountId: string | null;
}

export interface Journey {
  readonly crm: CrmName;
  readonly abm: AbmPilot;
  readonly time: VirtualTime;
  readonly tenantId: string;
  readonly people: Cast;
  /** A person with no governance role, who edits in the CRM. */
  readonly bystander: Person;

  /** Live accounts with the given CRM tier (owned by `owner` when given), read from the CRM, in id order. */
  accounts(tier: TierOrNone, count: number, owner?: Person): Promise<string[]>;

  /**
   * A card API call as the person makes it from the CRM (HubSpot signs it; Apex sends the org key), from a
   * card of this code base (API revision 2) or, with `installedCard`, one installed before revisions existed.
   */
  call(
    person: Person,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: { readonly installedCard?: boolean },
  ): Promise<Answer>;
  changeTier(person: Person, accountId: string, toTier: TierOrNone, reason?: string): Promise<Answer>;
  card(person: Person, accountId: string): Promise<Answer>;
  approvals(person: Person): Promise<Answer>;
  approve(person: Person, approvalId: string, comment?: string): Promise<Answer>;
  reject(person: Person, approvalId: string, comment: string): Promise<Answer>;
  /** The account's audit log as the card shows it, oldest first. */
  audit(person: Person, accountId: string): Promise<any[]>;
  /** The CRM admin changes the governance config through the admin API. */
  configure(change: (config: GovernanceConfig) => GovernanceConfig): Promise<void>;

  /** The tier the CRM record holds, read through the CRM's API. */
  crmTier(accountId: string): Promise<TierOrNone>;
  /** The tier reason the CRM record holds. */
  crmTierReason(accountId: string): Promise<string | null>;
  /** Changes of the CRM record's tier field, oldest first, from the CRM's field history. */
  crmTierHistory(accountId: string): Promise<TierHistoryEntry[]>;
  /** Accounts holding `tier` in the CRM. */
  crmTierCount(tier: Tier): Promise<number>;
  /** `person` sets the tier on the record in the CRM itself (a list view, an inline edit), with a reason. */
  editTierInCrm(person: Person, accountId: string, tier: TierOrNone, reason?: string): Promise<void>;
  /** A fault rule on the CRM emulator's write endpoint for account fields, until `clearFaults`. */
  failAccountWrites(): Promise<void>;
  clearFaults(): Promise<void>;
  /** The account's contacts in the CRM, in id order. */
  contactsOf(accountId: string): Promise<string[]>;
  /** `person` logs in the CRM a meeting held at `at` with the contact of the account. */
  logMeeting(person: Person, accountId: string, contactId: string, at: number): Promise<void>;
  /** Tasks ABM Pilot wrote in the CRM whose key starts with `keyPrefix`, in key order. */
  crmTasks(keyPrefix: string): Promise<CrmTask[]>;

  /** Lets `ms` pass (one sync falls due every five minutes) and waits for what fell due to finish. */
  pass(ms: number): Promise<void>;
  /** Lets one sync interval pass. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

interface CrmSide {
  readonly connection: Connection;
  readonly server: Server;
  readonly url: string;
  crmTier(accountId: string): Promise<TierOrNone>;
  crmTierReason(accountId: string): Promise<string | null>;
  crmTierHistory(accountId: string): Promise<TierHistoryEntry[]>;
  crmTierCount(tier: Tier): Promise<number>;
  /** Accounts in `tier` with their owners, in id order. */
  accounts(tier: TierOrNone): Promise<{ readonly id: string; readonly ownerId: string | null }[]>;
  editTierInCrm(person: Person, accountId: string, tier: TierOrNone, reason?: string): Promise<void>;
  writePath: string;
  contactsOf(accountId: string): Promise<string[]>;
  logMeeting(person: Person, accountId: string, contactId: string, at: number): Promise<void>;
  crmTasks(keyPrefix: string): Promise<CrmTask[]>;
}

export async function startJourney(
  crm: CrmName,
  options: { readonly accounts?: number; readonly language?: Locale } = {},
): Promise<Journey> {
  const time = virtualTime(JOURNEY_START);
  const seed = createSeedDataset({
    seed: 7,
    accounts: options.accounts ?? 160,
    referenceDate: new Date(JOURNEY_START).toISOString(),
  });
  const side = crm === 'hubspot' ? await hubspotSide(time, seed) : await salesforceSide(time, seed);
  const dir = mkdtempSync(join(tmpdir(), `abm-journey-${crm}-`));
  const config: ServerConfig = {
    dbPath: join(dir, 'abm.db'),
    // The operator sets the tenant's language with its connection.
    connections: [{ ...side.connection, language: options.language ?? 'en' }],
    syncIntervalMs: SYNC_INTERVAL_MS,
    slaSweepIntervalMs: SLA_SWEEP_INTERVAL_MS,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    hubspotApp: { clientSecret: HUBSPOT_SECRET, publicUrl: PUBLIC_URL },
  };
  const abm = await startAbmPilot(config, { log: pino({ level: 'silent' }), time });
  await abm.scheduler.idle();
  const [tenant] = await abm.store.listTenants();
  if (!tenant) throw new Error('no tenant');
  const tenantId = tenant.id;

  // The operator's part: credentials and the role mapping.
  const orgKey = (
    await abm.store.issueCredential(tenantId, { grant: { kind: 'salesforce_api_key' }, now: time.now() })
  ).plaintext;
  const adminToken = (
    await abm.store.issueCredential(tenantId, {
      grant: { kind: 'admin_token', role: 'admin' },
      now: time.now(),
    })
  ).plaintext;
  // The sales rep is whoever owns the most accounts; the others hold the programme's roles.
  const owned = new Map<string, number>();
  for (const account of await side.accounts(null)) {
    if (account.ownerId !== null) owned.set(account.ownerId, (owned.get(account.ownerId) ?? 0) + 1);
  }
  const owners = (await abm.store.listOwners(tenantId))
    .filter(
      (owner) =>
        owner.active && !/integration/i.test(owner.name) && (crm === 'salesforce' || owner.loginUserId),
    )
    .sort((a, b) => (owned.get(b.crmId) ?? 0) - (owned.get(a.crmId) ?? 0) || (a.crmId < b.crmId ? -1 : 1));
  const personOf = (index: number): Person => {
    const owner = owners[index];
    if (!owner) throw new Error(`the seed has fewer than ${index + 1} people`);
    return { ownerId: owner.crmId, signInId: owner.loginUserId ?? owner.crmId, name: owner.name };
  };
  const people: Cast = {
    rep: personOf(0),
    marketer: personOf(1),
    manager: personOf(2),
    committee: personOf(3),
    chief: personOf(4),
  };
  const bystander = personOf(5);
  await abm.store.replaceUserRoles(
    tenantId,
    (Object.keys(CAST_ROLES) as (keyof Cast)[]).map((part) => ({
      crmUserId: people[part].ownerId,
      roles: [CAST_ROLES[part]],
    })),
    { at: time.now(), by: 'journey-setup' },
  );

  const call = async (
    person: Person,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    options: { readonly installedCard?: boolean } = {},
  ) => {
    const query = new URLSearchParams({
      userId: person.signInId,
      ...(options.installedCard ? {} : { apiRevision: '3' }),
      ...(crm === 'hubspot' ? { portalId: String(DEFAULT_PORTAL_ID) } : {}),
    });
    const pathAndQuery = `/api/v1${path}${path.includes('?') ? '&' : '?'}${query.toString()}`;
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (crm === 'hubspot') {
      const timestamp = String(time.now());
      headers['x-hubspot-request-timestamp'] = timestamp;
      headers['x-hubspot-signature-v3'] = signV3(
        HUBSPOT_SECRET,
        method,
        `${PUBLIC_URL}${pathAndQuery}`,
        raw,
        timestamp,
      ).toString('base64');
    } else {
      headers.authorization = `Bearer ${orgKey}`;
    }
    const response = await fetch(`${abm.url}${pathAndQuery}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: raw }),
    });
    return { status: response.status, body: await response.json() };
  };
  const admin = async (method: 'GET' | 'PUT', path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${abm.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  let keys = 0;
  const emulatorPost = (path: string, body?: unknown) =>
    fetch(`${side.url}${path}`, {
      method: body === undefined ? 'DELETE' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const journey: Journey = {
    crm,
    abm,
    time,
    tenantId,
    people,
    bystander,
    async accounts(tier, count, owner) {
      const found = (await side.accounts(tier))
        .filter((account) => owner === undefined || account.ownerId === owner.ownerId)
        .map((account) => account.id);
      if (found.length < count) {
        throw new Error(
          `${found.length} accounts in ${tier ?? 'no tier'}${owner ? ` of ${owner.name}` : ''}, not ${count}`,
        );
      }
      return found.slice(0, count);
    },
    call,
    changeTier: (person, accountId, toTier, reason) =>
      call(person, 'POST', `/accounts/${accountId}/tier-change`, {
        toTier,
        ...(reason === undefined ? {} : { reason }),
        idempotencyKey: `journey-change-${++keys}`,
      }),
    card: (person, accountId) => call(person, 'GET', `/accounts/${accountId}/card`),
    approvals: (person) => call(person, 'GET', '/approvals'),
    approve: (person, approvalId, comment) =>
      call(person, 'POST', `/approvals/${approvalId}/approve`, comment === undefined ? {} : { comment }),
    reject: (person, approvalId, comment) =>
      call(person, 'POST', `/approvals/${approvalId}/reject`, { comment }),
    async audit(person, accountId) {
      const answer = await call(person, 'GET', `/accounts/${accountId}/audit?limit=200`);
      if (answer.status !== 200) throw new Error(`audit: HTTP ${answer.status}`);
      return [...(answer.body.entries as unknown[])].reverse();
    },
    async configure(change) {
      const current = await admin('GET', '/admin/config');
      const base: GovernanceConfig =
        current.status === 200
          ? GovernanceConfigSchema.parse(current.body.config)
          : DEFAULT_GOVERNANCE_CONFIG;
      const changed: Partial<GovernanceConfig> = { ...change(base) };
      delete changed.version;
      const saved = await admin('PUT', '/admin/config', {
        ...changed,
        basedOnVersion: current.status === 200 ? current.body.version : null,
      });
      if (saved.status !== 200) throw new Error(`config: HTTP ${saved.status} ${JSON.stringify(saved.body)}`);
    },
    crmTier: (accountId) => side.crmTier(accountId),
    crmTierReason: (accountId) => side.crmTierReason(accountId),
    crmTierHistory: (accountId) => side.crmTierHistory(accountId),
    crmTierCount: (tier) => side.crmTierCount(tier),
    editTierInCrm: (person, accountId, tier, reason) => side.editTierInCrm(person, accountId, tier, reason),
    async failAccountWrites() {
      const answer = await emulatorPost('/__sandbox/faults', {
        kind: 'status',
        status: 503,
        method: crm === 'hubspot' ? 'POST' : 'PATCH',
        path: side.writePath,
      });
      if (answer.status !== 201) throw new Error(`fault rule: HTTP ${answer.status}`);
    },
    async clearFaults() {
      await emulatorPost('/__sandbox/faults');
    },
    contactsOf: (accountId) => side.contactsOf(accountId),
    logMeeting: (person, accountId, contactId, at) => side.logMeeting(person, accountId, contactId, at),
    crmTasks: (keyPrefix) => side.crmTasks(keyPrefix),
    async pass(ms) {
      time.advance(ms);
      await abm.scheduler.idle();
    },
    sync: () => journey.pass(SYNC_INTERVAL_MS),
    async close() {
      await abm.stop();
      await new Promise((resolve) => side.server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return journey;
}

async function listen(app: { listen: (port: number, host: string, done: () => void) => Server }) {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const TIER_OF_LABEL = new Map<string, Tier>(
  (Object.entries(SALESFORCE_TIER_PICKLIST) as [Tier, string][]).map(([tier, label]) => [label, tier]),
);

async function salesforceSide(
  time: VirtualTime,
  seed: ReturnType<typeof createSeedDataset>,
): Promise<CrmSide> {
  const org: SalesforceEmulator = createSalesforceEmulator({ clock: time.now });
  org.loadSeed(seed);
  const { server, url } = await listen(org.app);
  const api = `${url}/services/data/v66.0`;
  const admin = () => org.issueAccessToken();
  const soql = async <T>(query: string): Promise<T[]> => {
    const response = await fetch(`${api}/query?q=${encodeURIComponent(query)}`, {
      headers: { authorization: `Bearer ${admin()}` },
    });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return ((await response.json()) as { records: T[] }).records;
  };
  const tierOf = (label: unknown): TierOrNone =>
    typeof label === 'string' ? (TIER_OF_LABEL.get(label) ?? null) : null;
  /** The person's own session: Salesforce records what they do, and its history, as theirs. */
  const sessionOf = async (person: Person): Promise<string> => {
    const session = await fetch(`${url}/__sandbox/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: person.ownerId }),
    });
    return ((await session.json()) as { accessToken: string }).accessToken;
  };
  return {
    connection: {
      crm: 'salesforce',
      orgId: org.org.orgId,
      name: 'Journey org',
      loginUrl: url,
      auth: { kind: 'client_credentials', clientId: org.org.clientId, clientSecret: org.org.clientSecret },
      budgetShare: 0.5,
      language: 'en',
    },
    server,
    url,
    writePath: '^/services/data/v66\\.0/composite/sobjects$',
    async crmTier(accountId) {
      const [row] = await soql<Record<string, unknown>>(
        `SELECT ${TIER_FIELD} FROM Account WHERE Id = '${accountId}'`,
      );
      return tierOf(row?.[TIER_FIELD]);
    },
    async crmTierReason(accountId) {
      const [row] = await soql<Record<string, unknown>>(
        `SELECT ${TIER_REASON_FIELD} FROM Account WHERE Id = '${accountId}'`,
      );
      const reason = row?.[TIER_REASON_FIELD];
      return typeof reason === 'string' ? reason : null;
    },
    async crmTierHistory(accountId) {
      const rows = await soql<{ NewValue: unknown; CreatedDate: string }>(
        `SELECT NewValue, CreatedDate FROM AccountHistory WHERE AccountId = '${accountId}' AND Field = '${TIER_FIELD}' ORDER BY CreatedDate, Id`,
      );
      return rows.map((row) => ({ value: tierOf(row.NewValue), at: Date.parse(row.CreatedDate) }));
    },
    async crmTierCount(tier) {
      const rows = await soql<{ Id: string }>(
        `SELECT Id FROM Account WHERE ${TIER_FIELD} = '${SALESFORCE_TIER_PICKLIST[tier]}'`,
      );
      return rows.length;
    },
    async accounts(tier) {
      const rows = await soql<{ Id: string; OwnerId: string | null }>(
        `SELECT Id, OwnerId FROM Account WHERE ${TIER_FIELD} = ${tier === null ? 'null' : `'${SALESFORCE_TIER_PICKLIST[tier]}'`} ORDER BY Id`,
      );
      return rows.map((row) => ({ id: row.Id, ownerId: row.OwnerId }));
    },
    async editTierInCrm(person, accountId, tier, reason) {
      const accessToken = await sessionOf(person);
      const response = await fetch(`${api}/sobjects/Account/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          [TIER_FIELD]: tier === null ? null : SALESFORCE_TIER_PICKLIST[tier],
          ...(reason === undefined ? {} : { [TIER_REASON_FIELD]: reason }),
        }),
      });
      if (response.status !== 204) throw new Error(`edit: ${response.status} ${await response.text()}`);
    },
    async contactsOf(accountId) {
      const rows = await soql<{ Id: string }>(
        `SELECT Id FROM Contact WHERE AccountId = '${accountId}' ORDER BY Id`,
      );
      return rows.map((row) => row.Id);
    },
    async logMeeting(person, accountId, contactId, at) {
      const response = await fetch(`${api}/sobjects/Event`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await sessionOf(person)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          Subject: 'Discovery meeting',
          WhatId: accountId,
          WhoId: contactId,
          StartDateTime: new Date(at).toISOString(),
          EndDateTime: new Date(at + 30 * 60_000).toISOString(),
        }),
      });
      if (response.status !== 201) throw new Error(`meeting: ${response.status} ${await response.text()}`);
    },
    async crmTasks(keyPrefix) {
      const rows = await soql<{
        ABM_Alert_Key__c: string;
        OwnerId: string;
        Subject: string;
        Description: string | null;
        Status: string;
        WhatId: string | null;
      }>(
        `SELECT ABM_Alert_Key__c, OwnerId, Subject, Description, Status, WhatId FROM Task WHERE ABM_Alert_Key__c LIKE '${keyPrefix}%' ORDER BY ABM_Alert_Key__c`,
      );
      return rows.map((row) => ({
        key: row.ABM_Alert_Key__c,
        ownerId: row.OwnerId,
        subject: row.Subject,
        body: row.Description ?? '',
        completed: row.Status === 'Completed',
        accountId: row.WhatId,
      }));
    },
  };
}

async function hubspotSide(time: VirtualTime, seed: ReturnType<typeof createSeedDataset>): Promise<CrmSide> {
  const hub: HubSpotEmulator = createHubSpotEmulator({ now: time.now });
  const portalId = DEFAULT_PORTAL_ID;
  hub.loadSeed(portalId, seed);
  hub.setLimits(portalId, { tenSecondly: 100_000, searchPerSecond: 100_000 });
  const { server, url } = await listen(hub.app);
  const token = hub.privateAppToken(portalId) ?? '';
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  type Company = { id: string; properties: Record<string, string | null> };
  const companies = async (): Promise<Company[]> => {
    const all: Company[] = [];
    let after: string | undefined;
    do {
      const page = await get<{ results: Company[]; paging?: { next?: { after: string } } }>(
        `/crm/v3/objects/companies?limit=100&properties=hs_ideal_customer_profile,hubspot_owner_id${after === undefined ? '' : `&after=${after}`}`,
      );
      all.push(...page.results);
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return all;
  };
  const tierOf = (value: string | null | undefined): TierOrNone =>
    value === 'tier_1' || value === 'tier_2' || value === 'tier_3' ? value : null;
  return {
    connection: {
      crm: 'hubspot',
      portalId: String(portalId),
      name: 'Journey portal',
      baseUrl: url,
      auth: { kind: 'private_app', token },
      limits: { tenSecondly: 100_000, searchPerSecond: 100_000 },
      language: 'en',
    },
    server,
    url,
    writePath: '^/crm/v3/objects/companies/batch/update$',
    async crmTier(accountId) {
      const company = await get<Company>(
        `/crm/v3/objects/companies/${accountId}?properties=hs_ideal_customer_profile`,
      );
      return tierOf(company.properties.hs_ideal_customer_profile);
    },
    async crmTierReason(accountId) {
      const company = await get<Company>(`/crm/v3/objects/companies/${accountId}?properties=abm_tier_reason`);
      return company.properties.abm_tier_reason ?? null;
    },
    async crmTierHistory(accountId) {
      const company = await get<{
        propertiesWithHistory?: Record<string, { value: string; timestamp: string }[]>;
      }>(`/crm/v3/objects/companies/${accountId}?propertiesWithHistory=hs_ideal_customer_profile`);
      return (company.propertiesWithHistory?.hs_ideal_customer_profile ?? [])
        .map((entry) => ({ value: tierOf(entry.value), at: Date.parse(entry.timestamp) }))
        .reverse();
    },
    async crmTierCount(tier) {
      return (await companies()).filter((company) => company.properties.hs_ideal_customer_profile === tier)
        .length;
    },
    async accounts(tier) {
      return (await companies())
        .filter((company) => tierOf(company.properties.hs_ideal_customer_profile) === tier)
        .map((company) => ({ id: company.id, ownerId: company.properties.hubspot_owner_id ?? null }))
        .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : 1));
    },
    async editTierInCrm(person, accountId, tier, reason) {
      // An edit in HubSpot's own screens by the person: HubSpot's property history names them.
      const response = await fetch(`${url}/__sandbox/portals/${portalId}/objects/companies/${accountId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: {
            hs_ideal_customer_profile: tier ?? '',
            ...(reason === undefined ? {} : { abm_tier_reason: reason }),
          },
          userId: Number(person.signInId),
        }),
      });
      if (!response.ok) throw new Error(`edit: ${response.status} ${await response.text()}`);
    },
    async contactsOf(accountId) {
      const links = await get<{ results: { toObjectId: number }[] }>(
        `/crm/v4/objects/companies/${accountId}/associations/contacts`,
      );
      return links.results
        .map((link) => String(link.toObjectId))
        .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    },
    async logMeeting(person, accountId, contactId, at) {
      const response = await fetch(`${url}/crm/v3/objects/meetings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: {
            hs_timestamp: new Date(at).toISOString(),
            hs_meeting_title: 'Discovery meeting',
            hubspot_owner_id: person.ownerId,
          },
          associations: [
            {
              to: { id: accountId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 188 }],
            },
            {
              to: { id: contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 200 }],
            },
          ],
        }),
      });
      if (response.status !== 201) throw new Error(`meeting: ${response.status} ${await response.text()}`);
    },
    async crmTasks(keyPrefix) {
      type Task = { id: string; properties: Record<string, string | null> };
      const found: CrmTask[] = [];
      let after: string | undefined;
      do {
        const page = await get<{ results: Task[]; paging?: { next?: { after: string } } }>(
          `/crm/v3/objects/tasks?limit=100&properties=abm_alert_key,hubspot_owner_id,hs_task_subject,hs_task_body,hs_task_status${after === undefined ? '' : `&after=${after}`}`,
        );
        for (const task of page.results) {
          const key = task.properties.abm_alert_key ?? '';
          if (!key.startsWith(keyPrefix)) continue;
          const links = await get<{ results: { toObjectId: number }[] }>(
            `/crm/v4/objects/tasks/${task.id}/associations/companies`,
          );
          found.push({
            key,
            ownerId: task.properties.hubspot_owner_id ?? '',
            subject: task.properties.hs_task_subject ?? '',
            body: task.properties.hs_task_body ?? '',
            completed: task.properties.hs_task_status === 'COMPLETED',
            accountId: links.results[0] === undefined ? null : String(links.results[0].toObjectId),
          });
        }
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return found.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
  };
}
