import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { GovernanceConfig, Locale, Role, Tier, TierOrNone } from '@abm-pilot/shared';
import { API_REVISION, DEFAULT_GOVERNANCE_CONFIG, GovernanceConfigSchema } from '@abm-pilot/shared';
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
import { throwawaySecretKeys } from '../../server/src/secrets.ts';

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
const REGION_FIELD = metadataFieldName('Account', 'region');
const INTENT_FIELD = metadataFieldName('Account', 'intentScore');
const TIER_REASON_FIELD = metadataFieldName('Account', 'tierReason');
const ALERT_KEY_FIELD = metadataFieldName('Activity', 'alertKey');
const ABM_OWNER_FIELD = metadataFieldName('Account', 'owner');

/** Someone in the CRM: the id ABM Pilot knows them by, the id they sign in with, and their name. */
export interface Person {
  readonly ownerId: string;
  readonly signInId: string;
  readonly name: string;
}

/** `lead` is the rep's sales manager: their manager in Salesforce, a manager of their team in HubSpot. */
export type Cast = Readonly<Record<'rep' | 'lead' | 'marketer' | 'manager' | 'committee' | 'chief', Person>>;

const CAST_ROLES: Readonly<Record<keyof Cast, Role>> = {
  rep: 'sales_rep',
  lead: 'sales_manager',
  marketer: 'marketer',
  manager: 'abm_manager',
  committee: 'abm_committee',
  chief: 'chief_abm_officer',
};

/** An ABM Pilot task on a CRM record, as the person it is assigned to sees it in their task list. */
export interface CrmTask {
  /** ABM Pilot's key for it, kept on the CRM task. */
  readonly key: string;
  readonly accountId: string | null;
  readonly assigneeId: string;
  readonly subject: string;
  readonly body: string;
  readonly status: 'open' | 'completed';
  readonly priority: 'high' | 'medium' | 'low';
}

/** A call someone logs (or plans) on the account in the CRM. */
export interface CallLog {
  /** When it took place, or is planned for. */
  readonly at: number;
  /** `false` for a call planned, not made yet. */
  readonly done: boolean;
}

/** What the score and the MQA rule read of an account that a journey can empty in the CRM. */
export type ClearableSignal = 'region' | 'intent';

export interface Answer {
  readonly status: number;
  // Journeys read answers as people read them: whatever the server said.
  readonly body: any;
}

export interface TierHistoryEntry {
  readonly value: TierOrNone;
  readonly at: number;
}

export interface Journey {
  readonly crm: CrmName;
  readonly abm: AbmPilot;
  /** ABM Pilot's SQLite file: what an operator's CLI on the same machine opens. */
  readonly dbPath: string;
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
  /** The ABM Pilot tasks on the account's record, oldest first. */
  crmTasks(accountId: string): Promise<CrmTask[]>;
  /** The ABM Pilot tasks assigned to the person, oldest first. */
  crmTasksOf(person: Person): Promise<CrmTask[]>;
  /** The ABM Pilot tasks whose key starts with `prefix` (e.g. `delivery:`), by key. */
  crmTasksKeyed(prefix: string): Promise<CrmTask[]>;
  /** The account's contacts in the CRM, in id order. */
  contactsOf(accountId: string): Promise<string[]>;
  /**
   * `person` logs a call on the account in the CRM (or plans one). Salesforce keeps a call's date only:
   * one logged on a later day than it was made counts by the end of its date.
   */
  logCall(person: Person, accountId: string, call: CallLog): Promise<void>;
  /**
   * `person` logs a meeting held at `at` on the account (with `contactId` when given), with its exact time,
   * whenever they log it.
   */
  logMeeting(person: Person, accountId: string, at: number, contactId?: string): Promise<void>;
  /** The intent provider's integration writes the account's intent score (0-100) into the CRM. */
  setIntent(accountId: string, score: number): Promise<void>;
  /** Someone empties the account's region or intent score in the CRM: the CRM holds no value for them. */
  clearInCrm(accountId: string, signals: readonly ClearableSignal[]): Promise<void>;
  /** The person's time zone as ABM Pilot knows it (the tenant's when the CRM keeps none). */
  zoneOf(person: Person): Promise<string>;
  /** Someone names `abmOwner` the account's ABM owner on the record in the CRM. */
  nameAbmOwnerInCrm(accountId: string, abmOwner: Person): Promise<void>;
  /** A fault rule on the CRM emulator's write endpoint for account fields, until `clearFaults`. */
  failAccountWrites(): Promise<void>;
  clearFaults(): Promise<void>;

  /** Lets `ms` pass (one sync falls due every five minutes) and waits for what fell due to finish. */
  pass(ms: number): Promise<void>;
  /** Lets one sync interval pass. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** A CRM emulator, listening, and what the journeys read and do through its own REST API. */
export interface CrmSide {
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
  crmTasks(filter: {
    readonly accountId?: string;
    readonly assigneeId?: string;
    readonly keyPrefix?: string;
  }): Promise<CrmTask[]>;
  contactsOf(accountId: string): Promise<string[]>;
  logCall(person: Person, accountId: string, call: CallLog): Promise<void>;
  logMeeting(person: Person, accountId: string, at: number, contactId?: string): Promise<void>;
  setIntent(accountId: string, score: number): Promise<void>;
  clearInCrm(accountId: string, signals: readonly ClearableSignal[]): Promise<void>;
  nameAbmOwnerInCrm(accountId: string, abmOwner: Person): Promise<void>;
  writePath: string;
}

export async function startJourney(
  crm: CrmName,
  options: {
    readonly accounts?: number;
    readonly language?: Locale;
    /** When the journey starts (and the seeded business was last active); `JOURNEY_START` by default. */
    readonly start?: number;
  } = {},
): Promise<Journey> {
  const start = options.start ?? JOURNEY_START;
  const time = virtualTime(start);
  const seed = createSeedDataset({
    seed: 7,
    accounts: options.accounts ?? 160,
    referenceDate: new Date(start).toISOString(),
  });
  const side = await crmSide(crm, time, seed);
  const dir = mkdtempSync(join(tmpdir(), `abm-journey-${crm}-`));
  const config: ServerConfig = {
    dbPath: join(dir, 'abm.db'),
    // The operator sets the tenant's language with its connection.
    connections: [{ ...side.connection, language: options.language ?? 'en' }],
    secretKeys: throwawaySecretKeys(),
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
  // The sales rep is whoever owns the most accounts, and the rep's sales manager leads them (their manager
  // in Salesforce; in HubSpot, which knows no managers, a colleague of their team); the others hold the
  // programme's roles.
  const owned = new Map<string, number>();
  for (const account of await side.accounts(null)) {
    if (account.ownerId !== null) owned.set(account.ownerId, (owned.get(account.ownerId) ?? 0) + 1);
  }
  const synced = await abm.store.listOwners(tenantId);
  const ranked = synced
    .filter(
      (owner) =>
        owner.active && !/integration/i.test(owner.name) && (crm === 'salesforce' || owner.loginUserId),
    )
    .sort((a, b) => (owned.get(b.crmId) ?? 0) - (owned.get(a.crmId) ?? 0) || (a.crmId < b.crmId ? -1 : 1));
  const repOwner = ranked[0];
  if (!repOwner) throw new Error('the seed has nobody');
  const leadOwner =
    crm === 'salesforce'
      ? synced.find((owner) => owner.crmId === repOwner.managerCrmId)
      : ranked.find((owner) => owner !== repOwner && owner.team !== null && owner.team === repOwner.team);
  if (!leadOwner) throw new Error(`no sales manager for ${repOwner.name}`);
  const others = ranked.filter((owner) => owner !== repOwner && owner !== leadOwner);
  const asPerson = (owner: (typeof synced)[number]): Person => ({
    ownerId: owner.crmId,
    signInId: owner.loginUserId ?? owner.crmId,
    name: owner.name,
  });
  const personOf = (index: number): Person => {
    const owner = others[index];
    if (!owner) throw new Error(`the seed has fewer than ${index + 3} people`);
    return asPerson(owner);
  };
  const people: Cast = {
    rep: asPerson(repOwner),
    lead: asPerson(leadOwner),
    marketer: personOf(0),
    manager: personOf(1),
    committee: personOf(2),
    chief: personOf(3),
  };
  const bystander = personOf(4);
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
      ...(options.installedCard ? {} : { apiRevision: String(API_REVISION) }),
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
    dbPath: config.dbPath,
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
    crmTasks: (accountId) => side.crmTasks({ accountId }),
    crmTasksOf: (person) => side.crmTasks({ assigneeId: person.ownerId }),
    async crmTasksKeyed(prefix) {
      return (await side.crmTasks({ keyPrefix: prefix })).sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    contactsOf: (accountId) => side.contactsOf(accountId),
    logCall: (person, accountId, call) => side.logCall(person, accountId, call),
    logMeeting: (person, accountId, at, contactId) => side.logMeeting(person, accountId, at, contactId),
    setIntent: (accountId, score) => side.setIntent(accountId, score),
    clearInCrm: (accountId, signals) => side.clearInCrm(accountId, signals),
    async zoneOf(person) {
      const owner = (await abm.store.listOwners(tenantId)).find((known) => known.crmId === person.ownerId);
      return owner?.timezone ?? DEFAULT_GOVERNANCE_CONFIG.businessHours.timezone;
    },
    nameAbmOwnerInCrm: (accountId, abmOwner) => side.nameAbmOwnerInCrm(accountId, abmOwner),
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

/** The CRM emulator of a journey, seeded, on the journey's clock. */
export function crmSide(
  crm: CrmName,
  time: VirtualTime,
  seed: ReturnType<typeof createSeedDataset>,
): Promise<CrmSide> {
  return crm === 'hubspot' ? hubspotSide(time, seed) : salesforceSide(time, seed);
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
      // The person's own session: Salesforce records the edit, and its field history, as theirs.
      const response = await fetch(`${api}/sobjects/Account/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${await sessionOf(person)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          [TIER_FIELD]: tier === null ? null : SALESFORCE_TIER_PICKLIST[tier],
          ...(reason === undefined ? {} : { [TIER_REASON_FIELD]: reason }),
        }),
      });
      if (response.status !== 204) throw new Error(`edit: ${response.status} ${await response.text()}`);
    },
    async crmTasks({ accountId, assigneeId, keyPrefix }) {
      const where = [
        keyPrefix === undefined ? `${ALERT_KEY_FIELD} != null` : `${ALERT_KEY_FIELD} LIKE '${keyPrefix}%'`,
        ...(accountId === undefined ? [] : [`WhatId = '${accountId}'`]),
        ...(assigneeId === undefined ? [] : [`OwnerId = '${assigneeId}'`]),
      ].join(' AND ');
      const rows = await soql<{
        WhatId: string | null;
        OwnerId: string;
        Subject: string;
        Description: string | null;
        Status: string;
        Priority: string;
        [key: string]: unknown;
      }>(
        `SELECT ${ALERT_KEY_FIELD}, WhatId, OwnerId, Subject, Description, Status, Priority FROM Task WHERE ${where} ORDER BY CreatedDate, Id`,
      );
      return rows.map((row) => ({
        key: String(row[ALERT_KEY_FIELD]),
        body: row.Description ?? '',
        accountId: row.WhatId,
        assigneeId: row.OwnerId,
        subject: row.Subject,
        status: row.Status === 'Completed' ? 'completed' : 'open',
        priority: row.Priority === 'High' ? 'high' : row.Priority === 'Low' ? 'low' : 'medium',
      }));
    },
    async logCall(person, accountId, call) {
      // The person's own session, as "Log a Call" or a planned call task on the record.
      const response = await fetch(`${api}/sobjects/Task`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await sessionOf(person)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          WhatId: accountId,
          OwnerId: person.ownerId,
          Subject: call.done ? 'Call' : 'Planned call',
          TaskSubtype: 'Call',
          Type: 'Call',
          Status: call.done ? 'Completed' : 'Not Started',
          ActivityDate: new Date(call.at).toISOString().slice(0, 10),
        }),
      });
      if (response.status !== 201) throw new Error(`call: ${response.status} ${await response.text()}`);
    },
    async contactsOf(accountId) {
      const rows = await soql<{ Id: string }>(
        `SELECT Id FROM Contact WHERE AccountId = '${accountId}' ORDER BY Id`,
      );
      return rows.map((row) => row.Id);
    },
    async logMeeting(person, accountId, at, contactId) {
      const response = await fetch(`${api}/sobjects/Event`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await sessionOf(person)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          WhatId: accountId,
          ...(contactId === undefined ? {} : { WhoId: contactId }),
          OwnerId: person.ownerId,
          Subject: 'Meeting',
          StartDateTime: new Date(at).toISOString(),
          EndDateTime: new Date(at + 30 * 60_000).toISOString(),
        }),
      });
      if (response.status !== 201) throw new Error(`meeting: ${response.status} ${await response.text()}`);
    },
    async setIntent(accountId, score) {
      const response = await fetch(`${api}/sobjects/Account/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ [INTENT_FIELD]: score }),
      });
      if (response.status !== 204) throw new Error(`intent: ${response.status} ${await response.text()}`);
    },
    async clearInCrm(accountId, signals) {
      // The package's fields, so that a field the connector reads but the package lacks fails here too.
      const fieldOf = { region: REGION_FIELD, intent: INTENT_FIELD } as const;
      const response = await fetch(`${api}/sobjects/Account/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
        body: JSON.stringify(Object.fromEntries(signals.map((signal) => [fieldOf[signal], null]))),
      });
      if (response.status !== 204) throw new Error(`clear: ${response.status} ${await response.text()}`);
    },
    async nameAbmOwnerInCrm(accountId, abmOwner) {
      const response = await fetch(`${api}/sobjects/Account/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ [ABM_OWNER_FIELD]: abmOwner.ownerId }),
      });
      if (response.status !== 204) throw new Error(`ABM owner: ${response.status} ${await response.text()}`);
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
  /** An activity on the company, as HubSpot's record page logs it. */
  const create = async (
    type: 'calls' | 'meetings',
    associationTypeId: number,
    companyId: string,
    contactId: string | undefined,
    properties: Record<string, string>,
  ) => {
    // Activity → contact association types: calls 194, meetings 200.
    const toContact = type === 'calls' ? 194 : 200;
    const response = await fetch(`${url}/crm/v3/objects/${type}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties,
        associations: [
          { to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] },
          ...(contactId === undefined
            ? []
            : [
                {
                  to: { id: contactId },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: toContact }],
                },
              ]),
        ],
      }),
    });
    if (response.status !== 201) throw new Error(`${type}: ${response.status} ${await response.text()}`);
  };
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
    async crmTasks({ accountId, assigneeId, keyPrefix }) {
      type Task = {
        id: string;
        properties: Record<string, string | null>;
        associations?: { companies?: { results: { id: string }[] } };
      };
      const all: Task[] = [];
      let after: string | undefined;
      do {
        const page = await get<{ results: Task[]; paging?: { next?: { after: string } } }>(
          `/crm/v3/objects/tasks?limit=100&associations=companies&properties=hs_task_subject,hs_task_body,hubspot_owner_id,abm_alert_key,hs_task_status,hs_task_priority${after === undefined ? '' : `&after=${after}`}`,
        );
        all.push(...page.results);
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return all
        .filter(
          (task) =>
            (task.properties.abm_alert_key ?? '').startsWith(keyPrefix ?? '') &&
            task.properties.abm_alert_key,
        )
        .map((task) => ({
          key: task.properties.abm_alert_key ?? '',
          body: task.properties.hs_task_body ?? '',
          accountId: task.associations?.companies?.results[0]?.id ?? null,
          assigneeId: task.properties.hubspot_owner_id ?? '',
          subject: task.properties.hs_task_subject ?? '',
          status: task.properties.hs_task_status === 'COMPLETED' ? ('completed' as const) : ('open' as const),
          priority:
            task.properties.hs_task_priority === 'HIGH'
              ? ('high' as const)
              : task.properties.hs_task_priority === 'LOW'
                ? ('low' as const)
                : ('medium' as const),
        }))
        .filter(
          (task) =>
            (accountId === undefined || task.accountId === accountId) &&
            (assigneeId === undefined || task.assigneeId === assigneeId),
        );
    },
    async logCall(person, accountId, call) {
      await create('calls', 182, accountId, undefined, {
        hs_timestamp: new Date(call.at).toISOString(),
        hs_call_title: call.done ? 'Call' : 'Planned call',
        hs_call_status: call.done ? 'COMPLETED' : 'QUEUED',
        hubspot_owner_id: person.ownerId,
      });
    },
    async contactsOf(accountId) {
      const links = await get<{ results: { toObjectId: number }[] }>(
        `/crm/v4/objects/companies/${accountId}/associations/contacts`,
      );
      return links.results
        .map((link) => String(link.toObjectId))
        .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    },
    async logMeeting(person, accountId, at, contactId) {
      await create('meetings', 188, accountId, contactId, {
        hs_timestamp: new Date(at).toISOString(),
        hs_meeting_title: 'Meeting',
        hs_meeting_start_time: new Date(at).toISOString(),
        hs_meeting_end_time: new Date(at + 30 * 60_000).toISOString(),
        hs_meeting_outcome: 'COMPLETED',
        hubspot_owner_id: person.ownerId,
      });
    },
    async setIntent(accountId, score) {
      const response = await fetch(`${url}/crm/v3/objects/companies/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { intent_score: String(score) } }),
      });
      if (!response.ok) throw new Error(`intent: ${response.status} ${await response.text()}`);
    },
    async clearInCrm(accountId, signals) {
      // HubSpot clears a property written as the empty string.
      const propertyOf = { region: 'region', intent: 'intent_score' } as const;
      const response = await fetch(`${url}/crm/v3/objects/companies/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: Object.fromEntries(signals.map((signal) => [propertyOf[signal], ''])),
        }),
      });
      if (!response.ok) throw new Error(`clear: ${response.status} ${await response.text()}`);
    },
    async nameAbmOwnerInCrm(accountId, abmOwner) {
      // The ABM owner property holds an owner id, as HubSpot's user properties do.
      const response = await fetch(`${url}/__sandbox/portals/${portalId}/objects/companies/${accountId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { abm_owner: abmOwner.ownerId } }),
      });
      if (!response.ok) throw new Error(`ABM owner: ${response.status} ${await response.text()}`);
    },
  };
}
