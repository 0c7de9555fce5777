import type { Logger } from 'pino';

import type { Instant, Role } from '@abm-pilot/shared';

import { createSeedDataset } from '../../../sandbox/src/seed/index.ts';
import type { RunningSandbox } from '../../../sandbox/src/start.ts';
import { startSandbox } from '../../../sandbox/src/start.ts';
import type { AbmPilot } from '../compose.ts';
import { startAbmPilot } from '../compose.ts';
import type { Connection } from '../config.ts';
import type { CrmOwner, Tenant } from '../model.ts';
import type { Time } from '../time.ts';
import type { SyncProgress } from '../usecases/runSync.ts';
import type { CrmName, CrmPerson, DemoCrm } from './crms.ts';
import { hubspotCrm, salesforceCrm } from './crms.ts';
import { throwawaySecretKeys } from '../secrets.ts';

// The demo's world: both CRM sandboxes seeded with one business, and ABM Pilot started on them through the
// composition root of `npm start`, all on one clock, after its first sync of each CRM. Then what an
// operator sets up once, through the store: each CRM user's governance role (the seed's people keep the
// roles they have in the business), the Salesforce org key, and the console's tokens.

export interface DemoWorldOptions {
  readonly accounts: number;
  readonly seed: number;
  /** The one clock of the sandboxes and ABM Pilot. */
  readonly time: Time;
  readonly dbPath: string;
  /** 0 for any free port. */
  readonly port: number;
  /** The origin the HubSpot app is told ABM Pilot answers on: card calls are signed for it. */
  readonly publicUrl: string;
  readonly syncIntervalMs: number;
  readonly slaSweepIntervalMs: number;
  readonly log: Logger;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** The wall clock HubSpot signs card calls with; the demo's clock by default. */
  readonly hubspotClock?: () => Instant;
}

export interface DemoPeople {
  readonly chief: CrmPerson;
  readonly committee: CrmPerson;
  readonly marketer: CrmPerson;
}

/** The console's tokens of a tenant: the admin's acts as its Chief ABM Officer, the viewer's reads as a committee member. */
export interface ConsoleTokens {
  readonly adminToken: string;
  readonly viewerToken: string;
}

export interface DemoTenant {
  readonly tenant: Tenant;
  readonly crm: DemoCrm;
  readonly people: DemoPeople;
  readonly console: ConsoleTokens;
  /** The CRM user behind an owner id; `null` when the sync has not seen them. */
  personOf(ownerId: string): CrmPerson | null;
  ownerOf(ownerId: string): CrmOwner | null;
}

export interface DemoWorld {
  readonly sandbox: RunningSandbox;
  readonly abm: AbmPilot;
  readonly time: Time;
  readonly tenants: Readonly<Record<CrmName, DemoTenant>>;
  readonly orgKey: string;
  /** The origin the HubSpot app is told ABM Pilot answers on. */
  readonly publicUrl: string;
  close(): Promise<void>;
}

/** Generous limits, told to the HubSpot sandbox and the connector alike: the demo never meets a 429. */
const HUBSPOT_LIMITS = { tenSecondly: 100_000, searchPerSecond: 1_000 } as const;

export async function startDemoWorld(options: DemoWorldOptions): Promise<DemoWorld> {
  const { time } = options;
  const referenceDate = new Date(time.now()).toISOString();
  const sandbox = await startSandbox({
    crms: ['hubspot', 'salesforce'],
    accounts: options.accounts,
    seed: options.seed,
    referenceDate,
    now: time.now,
  });
  const { hubspot, salesforce } = sandbox;
  if (!hubspot || !salesforce) throw new Error('the sandbox did not start both CRMs');
  hubspot.emulator.emulator.setLimits(hubspot.portalId, HUBSPOT_LIMITS);

  const connections: Connection[] = [
    {
      crm: 'hubspot',
      portalId: String(hubspot.portalId),
      name: 'Demo HubSpot portal',
      baseUrl: hubspot.url,
      auth: { kind: 'private_app', token: hubspot.privateAppToken },
      limits: HUBSPOT_LIMITS,
      language: 'en',
    },
    {
      crm: 'salesforce',
      orgId: salesforce.orgId,
      name: 'Demo Salesforce org',
      loginUrl: salesforce.url,
      auth: {
        kind: 'client_credentials',
        clientId: salesforce.clientId,
        clientSecret: salesforce.clientSecret,
      },
      budgetShare: 0.5,
      language: 'en',
    },
  ];
  const abm = await startAbmPilot(
    {
      dbPath: options.dbPath,
      connections,
      secretKeys: throwawaySecretKeys(),
      syncIntervalMs: options.syncIntervalMs,
      slaSweepIntervalMs: options.slaSweepIntervalMs,
      port: options.port,
      host: '127.0.0.1',
      logLevel: 'warn',
      hubspotApp: { clientSecret: hubspot.oauthClientSecret, publicUrl: options.publicUrl },
    },
    {
      log: options.log,
      time,
      ...(options.hubspotClock === undefined ? {} : { hubspotClock: options.hubspotClock }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
  ).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  await abm.scheduler.idle();

  const { store } = abm;
  const now = time.now();
  const tenantOf = async (crm: CrmName): Promise<Tenant> => {
    const found = (await store.listTenants()).find((tenant) => tenant.crm === crm);
    if (!found) throw new Error(`no ${crm} tenant`);
    return found;
  };
  const [hubspotTenant, salesforceTenant] = [await tenantOf('hubspot'), await tenantOf('salesforce')];

  const orgKey = (
    await store.issueCredential(salesforceTenant.id, { grant: { kind: 'salesforce_api_key' }, now })
  ).plaintext;
  const crms: Record<CrmName, DemoCrm> = {
    hubspot: hubspotCrm(
      hubspot,
      { url: abm.url, publicUrl: options.publicUrl, appSecret: hubspot.oauthClientSecret },
      options.hubspotClock ?? time.now,
    ),
    salesforce: salesforceCrm(salesforce, { url: abm.url, orgKey }),
  };

  // The console acts as a person: the admin token as the Chief ABM Officer, a viewer token (reads only) as
  // a committee member, so it shows the dashboard and the queue those roles see, in each tenant.
  const consoleTokens = async (tenant: Tenant, people: DemoPeople): Promise<ConsoleTokens> => {
    const admin = await store.issueCredential(tenant.id, {
      grant: { kind: 'admin_token', role: 'admin' },
      now,
    });
    await store.bindCredentialActor(tenant.id, admin.id, people.chief.ownerId);
    const viewer = await store.issueCredential(tenant.id, {
      grant: { kind: 'admin_token', role: 'viewer' },
      now,
    });
    await store.bindCredentialActor(tenant.id, viewer.id, people.committee.ownerId);
    return { adminToken: admin.plaintext, viewerToken: viewer.plaintext };
  };

  // The business's people keep in ABM Pilot the roles they hold in it (the seed names them), matched by
  // e-mail to the users each CRM synced.
  const roster = createSeedDataset({ seed: options.seed, accounts: options.accounts, referenceDate }).owners;
  const roleOf = new Map(roster.map((person) => [person.email.toLowerCase(), person.role]));
  const tenantOfCrm = async (crm: CrmName, tenant: Tenant): Promise<DemoTenant> => {
    const owners = await store.listOwners(tenant.id);
    const byId = new Map(owners.map((owner) => [owner.crmId, owner]));
    const mapped = owners.flatMap((owner) => {
      const role = owner.email === null ? undefined : roleOf.get(owner.email.toLowerCase());
      return role === undefined ? [] : [{ crmUserId: owner.crmId, roles: [role] }];
    });
    await store.replaceUserRoles(tenant.id, mapped, { at: now, by: 'demo' });
    const personOf = (ownerId: string): CrmPerson | null => {
      const owner = byId.get(ownerId);
      return owner === undefined
        ? null
        : { ownerId: owner.crmId, signInId: owner.loginUserId ?? owner.crmId, name: owner.name };
    };
    const holding = (role: Role): CrmPerson => {
      const user = mapped.find((candidate) => candidate.roles.includes(role));
      const person = user === undefined ? null : personOf(user.crmUserId);
      if (person === null) throw new Error(`nobody holds the ${role} role in ${tenant.id}`);
      return person;
    };
    const people = {
      chief: holding('chief_abm_officer'),
      committee: holding('abm_committee'),
      marketer: holding('marketer'),
    };
    return {
      tenant,
      crm: crms[crm],
      people,
      console: await consoleTokens(tenant, people),
      personOf,
      ownerOf: (ownerId) => byId.get(ownerId) ?? null,
    };
  };
  const tenants = {
    hubspot: await tenantOfCrm('hubspot', hubspotTenant),
    salesforce: await tenantOfCrm('salesforce', salesforceTenant),
  };

  return {
    sandbox,
    abm,
    time,
    tenants,
    orgKey,
    publicUrl: options.publicUrl,
    close: async () => {
      await abm.stop();
      await sandbox.close();
    },
  };
}
