import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

import { startSandbox } from '../../sandbox/src/start.ts';
import { startAbmPilot } from './compose.ts';
import type { Connection } from './config.ts';
import { SALESFORCE_ABM_OWNERSHIP_FIELDS } from './connectors/salesforce/fields.ts';
import { createLogger } from './log.ts';
import type { Tenant } from './model.ts';
import type { SyncRun } from './store/ports.ts';

// `npm run demo`: the product on its embedded defaults, with no account and no configuration. It starts
// both CRM sandboxes with a seeded business, starts ABM Pilot on them through the same composition root as
// `npm start` (a fresh SQLite file), shows what the first sync wrote back into each CRM, makes one tier
// change as a marketer would and reads the CRM record holding it, and keeps syncing until Ctrl-C.

const ACCOUNTS = 2_000;
const DB_PATH = './data/demo.db';

const say = (text: string) => void process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  say(
    `ABM Pilot demo: seeding ${ACCOUNTS.toLocaleString('en-US')} accounts into the HubSpot and Salesforce sandboxes ...`,
  );
  const sandbox = await startSandbox({
    crms: ['hubspot', 'salesforce'],
    accounts: ACCOUNTS,
    seed: 42,
    referenceDate: new Date().toISOString(),
    webhookIntervalMs: 1_000,
  });
  const { hubspot, salesforce } = sandbox;
  if (!hubspot || !salesforce) throw new Error('the sandbox did not start both CRMs');

  const connections: Connection[] = [
    {
      crm: 'hubspot',
      portalId: String(hubspot.portalId),
      name: 'Demo HubSpot portal',
      baseUrl: hubspot.url,
      auth: { kind: 'private_app', token: hubspot.privateAppToken },
      limits: { tenSecondly: 1_000, searchPerSecond: 50 },
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
  // The sandbox's limits match what the demo connectors are told, so the demo never meets a 429.
  hubspot.emulator.emulator.setLimits(hubspot.portalId, { tenSecondly: 1_000, searchPerSecond: 50 });

  rmSync(DB_PATH, { force: true });
  mkdirSync(dirname(DB_PATH), { recursive: true });
  const port = await freePort();
  say('Starting ABM Pilot; its first sync of each CRM:');
  const abm = await startAbmPilot(
    {
      dbPath: DB_PATH,
      connections,
      syncIntervalMs: 60_000,
      slaSweepIntervalMs: 30_000,
      port,
      host: '127.0.0.1',
      logLevel: 'warn',
      hubspotApp: { clientSecret: hubspot.oauthClientSecret, publicUrl: `http://127.0.0.1:${port}` },
    },
    {
      log: createLogger('warn'),
      onProgress: (progress) =>
        process.stdout.write(
          `\r  ${progress.tenantId}: ${progress.step.replace('_', ' ')}${progress.kind ? ` ${progress.kind}` : ''} ${progress.done.toLocaleString('en-US')}      `,
        ),
    },
  );
  await abm.scheduler.idle();
  process.stdout.write('\n');
  const tenants = await abm.store.listTenants();
  for (const tenant of tenants) say(`  ${tenant.id}: ${summary(await lastRun(abm.store, tenant))}`);

  say('\nTop accounts by ABM score, as each CRM now shows them:');
  say(await topHubSpotCompanies(hubspot.url, hubspot.privateAppToken));
  say(await topSalesforceAccounts(salesforce.url, salesforce.clientId, salesforce.clientSecret));

  // What an operator sets up once: an admin token, the Salesforce org's API key that the Apex bridge
  // sends, and the people's governance roles. Printed once, as a real admin would receive them.
  const { store } = abm;
  const salesforceTenant = tenants.find((tenant) => tenant.crm === 'salesforce')!;
  const hubspotTenant = tenants.find((tenant) => tenant.crm === 'hubspot')!;
  const now = Date.now();
  const adminToken = (
    await store.issueCredential(salesforceTenant.id, { grant: { kind: 'admin_token', role: 'admin' }, now })
  ).plaintext;
  const orgKey = (
    await store.issueCredential(salesforceTenant.id, { grant: { kind: 'salesforce_api_key' }, now })
  ).plaintext;
  // The top-scored account, seen by its owner as a marketer; two other users decide approvals.
  const sample = await topAccountOf(salesforce.url, salesforce.clientId, salesforce.clientSecret);
  const users = await store.listOwners(salesforceTenant.id);
  // People decide approvals, not the API user the org keeps for integrations.
  const deciders = users
    .filter((owner) => owner.active && owner.crmId !== sample.ownerId && !/integration/i.test(owner.name))
    .slice(0, 2);
  await store.replaceUserRoles(
    salesforceTenant.id,
    [
      { crmUserId: sample.ownerId, roles: ['marketer'] },
      ...deciders.map((owner, i) => ({
        crmUserId: owner.crmId,
        roles: [(['abm_committee', 'chief_abm_officer'] as const)[i]!],
      })),
    ],
    { at: now, by: 'demo' },
  );
  const marketer = users.find((owner) => owner.crmId === sample.ownerId);
  // The web console acts as a person: the admin token as the Chief ABM Officer, a viewer token (reads only)
  // as the committee member, so the console shows the dashboard and the queue those roles see.
  const chief = deciders[1] ?? deciders[0];
  const committee = deciders[0];
  await store.bindCredentialActor(salesforceTenant.id, adminToken.split('.')[0] ?? '', chief?.crmId ?? null);
  const viewer = await store.issueCredential(salesforceTenant.id, {
    grant: { kind: 'admin_token', role: 'viewer' },
    now,
  });
  await store.bindCredentialActor(salesforceTenant.id, viewer.id, committee?.crmId ?? null);
  if (committee && chief) {
    // What people do in the CRM and the seed does not: the next sync brings it in.
    await nameAbmOwners(salesforce.url, salesforce.clientId, salesforce.clientSecret, {
      abmOwner: committee.crmId,
      sponsor: chief.crmId,
    });
    abm.scheduler.syncNow(salesforceTenant.id);
    await abm.scheduler.idle();
    process.stdout.write('\n');
  }

  // A marketer's routine tier change through the card API, as the Salesforce LWC makes it, and the CRM
  // record read straight after: the decision is written to the CRM at once, not at the next sync.
  const card = (path: string) => `${abm.url}/api/v1/accounts/${path}`;
  const asMarketer = { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json' };
  const routine = await routineCandidate(
    salesforce.url,
    salesforce.clientId,
    salesforce.clientSecret,
    sample,
  );
  if (routine) {
    const answer = await fetch(card(`${routine.id}/tier-change?userId=${sample.ownerId}&apiRevision=3`), {
      method: 'POST',
      headers: asMarketer,
      body: JSON.stringify({
        toTier: routine.to,
        reason: 'Demo: engaged at the user conference',
        idempotencyKey: 'demo-routine-change',
      }),
    });
    const record = await accountTier(
      salesforce.url,
      salesforce.clientId,
      salesforce.clientSecret,
      routine.id,
    );
    say(`\nA routine tier change by ${marketer?.name ?? 'the marketer'} on ${routine.name} (${routine.id}):`);
    say(`  card API answered  ${await answer.text()}`);
    say(
      `  Salesforce record  ABM_Tier__c = ${record ?? 'empty'} (read from the sandbox right after the answer)`,
    );
  }

  // One tier change waiting for a decision, asked by the marketer through the card API, for the console's
  // queue: a move into or out of tier_1, which only the committee or the Chief ABM Officer decides.
  const sampleCard = (await (
    await fetch(card(`${sample.id}/card?userId=${sample.ownerId}`), { headers: asMarketer })
  )
    .json()
    .catch(() => null)) as { tier?: { assigned?: string | null } } | null;
  await fetch(card(`${sample.id}/tier-change?userId=${sample.ownerId}`), {
    method: 'POST',
    headers: asMarketer,
    body: JSON.stringify({
      toTier: sampleCard?.tier?.assigned === 'tier_1' ? 'tier_2' : 'tier_1',
      reason: 'Demo: a board-level sponsor and a renewal in play',
      idempotencyKey: 'demo-pending-approval',
    }),
  }).catch(() => undefined);

  say('\nWhere to look:');
  say(`  Web console         ${abm.url}/console/`);
  say(
    `    log in with the admin token below (acts as ${chief?.name ?? 'the Chief ABM Officer'}, Chief ABM Officer),`,
  );
  say(
    `    or the viewer token ${viewer.plaintext} (reads only, as ${committee?.name ?? 'a committee member'})`,
  );
  say('    a tier change made there is in the Salesforce record seconds later; read it with:');
  say(
    `    curl -H "Authorization: Bearer $(curl -s -d grant_type=client_credentials -d client_id=${salesforce.clientId} -d client_secret=${salesforce.clientSecret} ${salesforce.url}/services/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')" "${salesforce.url}/services/data/v66.0/query?q=SELECT+Id,Name,ABM_Tier__c,ABM_Tier_Reason__c+FROM+Account+WHERE+Id='<account id>'"`,
  );
  say(
    `  ABM Pilot API       ${abm.url}/api/v1   (OpenAPI: ${abm.url}/api/v1/openapi.json, metrics: ${abm.url}/metrics)`,
  );
  say(`  Account card (as the Salesforce LWC asks for it, marketer ${marketer?.name ?? ''}):`);
  say(
    `    curl -H "Authorization: Bearer ${orgKey}" "${card(`${sample.id}/card?userId=${sample.ownerId}`)}"`,
  );
  say(`  Admin token (${salesforceTenant.id}): ${adminToken}`);
  say(`    curl -H "Authorization: Bearer ${adminToken}" ${abm.url}/api/v1/admin/sync/status`);
  say(
    `  HubSpot sandbox     ${hubspot.url}   token ${hubspot.privateAppToken}   (tenant ${hubspotTenant.id})`,
  );
  say(
    `    curl -H "Authorization: Bearer ${hubspot.privateAppToken}" "${hubspot.url}/crm/v3/objects/companies?limit=5&properties=name,hs_ideal_customer_profile,abm_score,abm_tier_reason,abm_sla_status"`,
  );
  say(`  Salesforce sandbox  ${salesforce.url}   client ${salesforce.clientId} / ${salesforce.clientSecret}`);
  say(`  SQLite store        ${DB_PATH}`);
  say('  Sync and SLA sweeps keep running on a schedule. Ctrl-C stops the demo.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('\nStopping: finishing the run in flight ...');
  await abm.stop();
  await sandbox.close();
  say('Stopped.');
}

async function lastRun(
  store: { recentRuns(tenantId: string, limit: number): Promise<readonly SyncRun[]> },
  tenant: Tenant,
) {
  const runs = await store.recentRuns(tenant.id, 10);
  return runs.find((run) => run.kind === 'sync') ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function salesforceToken(
  url: string,
  clientId: string,
  clientSecret: string,
): Promise<{ access_token: string }> {
  const answer = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  return (await answer.json()) as { access_token: string };
}

/** The first page of a SOQL query, as an admin would run it in the org. */
async function query<T>(url: string, token: { access_token: string }, soql: string): Promise<T[]> {
  const answer = await fetch(`${url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  return ((await answer.json()) as { records: T[] }).records;
}

/**
 * What people do in the CRM and the seed does not: name an ABM owner and an executive sponsor on the top
 * accounts, so the cards show all three owners.
 */
async function nameAbmOwners(
  url: string,
  clientId: string,
  clientSecret: string,
  people: { readonly abmOwner: string; readonly sponsor: string },
): Promise<void> {
  const token = await salesforceToken(url, clientId, clientSecret);
  const headers = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
  const top = await query<{ Id: string }>(
    url,
    token,
    'SELECT Id FROM Account ORDER BY ABM_Score__c DESC LIMIT 10',
  );
  for (const { Id } of top) {
    const answer = await fetch(`${url}/services/data/v66.0/sobjects/Account/${Id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({
        [SALESFORCE_ABM_OWNERSHIP_FIELDS.abmOwner]: people.abmOwner,
        [SALESFORCE_ABM_OWNERSHIP_FIELDS.executiveSponsor]: people.sponsor,
      }),
    });
    if (!answer.ok) throw new Error(`naming the ABM owner of ${Id}: HTTP ${answer.status}`);
  }
}

/** Another account of the marketer's, in tier_3 or tier_2, for a routine move to the other. */
async function routineCandidate(
  url: string,
  clientId: string,
  clientSecret: string,
  sample: { id: string; ownerId: string },
): Promise<{ id: string; name: string; to: 'tier_2' | 'tier_3' } | null> {
  const token = await salesforceToken(url, clientId, clientSecret);
  const records = await query<{ Id: string; Name: string; ABM_Tier__c: string | null }>(
    url,
    token,
    `SELECT Id, Name, ABM_Tier__c FROM Account WHERE OwnerId = '${sample.ownerId}' AND Id != '${sample.id}' AND ABM_Tier__c IN ('Tier 2', 'Tier 3') ORDER BY ABM_Score__c DESC LIMIT 1`,
  );
  const found = records[0];
  if (!found) return null;
  return { id: found.Id, name: found.Name, to: found.ABM_Tier__c === 'Tier 3' ? 'tier_2' : 'tier_3' };
}

async function accountTier(
  url: string,
  clientId: string,
  clientSecret: string,
  id: string,
): Promise<string | null> {
  const token = await salesforceToken(url, clientId, clientSecret);
  const records = await query<{ ABM_Tier__c: string | null }>(
    url,
    token,
    `SELECT ABM_Tier__c FROM Account WHERE Id = '${id}'`,
  );
  return records[0]?.ABM_Tier__c ?? null;
}

async function topAccountOf(
  url: string,
  clientId: string,
  clientSecret: string,
): Promise<{ id: string; ownerId: string }> {
  const token = await salesforceToken(url, clientId, clientSecret);
  const records = await query<{ Id: string; OwnerId: string }>(
    url,
    token,
    'SELECT Id, OwnerId FROM Account ORDER BY ABM_Score__c DESC LIMIT 1',
  );
  return { id: records[0]?.Id ?? '', ownerId: records[0]?.OwnerId ?? '' };
}

function summary(run: SyncRun | null): string {
  if (run === null) return 'no sync yet';
  const n = (name: string) => (run.counts[name] ?? 0).toLocaleString('en-US');
  const seconds = ((run.finishedAt ?? run.updatedAt) - run.startedAt) / 1000;
  return `${run.status}: pulled ${n('pulled_accounts')} accounts, ${n('pulled_contacts')} contacts, ${n('pulled_deals')} deals, ${n('pulled_engagements')} engagements; scored ${n('computed')}; wrote back ${n('written')}; ${n('tasks_sent')} SLA tasks, in ${seconds.toFixed(1)} s`;
}

async function topHubSpotCompanies(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}/crm/v3/objects/companies/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      sorts: [{ propertyName: 'abm_score', direction: 'DESCENDING' }],
      properties: ['name', 'hs_ideal_customer_profile', 'abm_score', 'abm_tier_reason'],
      limit: 5,
    }),
  });
  const body = (await response.json()) as {
    results: { id: string; properties: Record<string, string | null> }[];
  };
  return [
    '  HubSpot companies',
    ...body.results.map(
      ({ id, properties: p }) =>
        `    ${id.padEnd(12)} ${String(p.name).padEnd(34)} ${String(p.hs_ideal_customer_profile ?? 'untargeted').padEnd(11)} ${String(p.abm_score).padStart(5)}  ${p.abm_tier_reason ?? ''}`,
    ),
  ].join('\n');
}

async function topSalesforceAccounts(url: string, clientId: string, clientSecret: string): Promise<string> {
  const token = await salesforceToken(url, clientId, clientSecret);
  const records = await query<Record<string, string | number | null>>(
    url,
    token,
    'SELECT Id, Name, ABM_Tier__c, ABM_Score__c, ABM_Tier_Reason__c FROM Account ORDER BY ABM_Score__c DESC LIMIT 5',
  );
  return [
    '  Salesforce accounts',
    ...records.map(
      (r) =>
        `    ${String(r.Id).padEnd(18)} ${String(r.Name).padEnd(34)} ${String(r.ABM_Tier__c ?? 'untargeted').padEnd(11)} ${String(r.ABM_Score__c).padStart(5)}  ${r.ABM_Tier_Reason__c ?? ''}`,
    ),
  ].join('\n');
}

await main();
