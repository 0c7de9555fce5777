import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  AccountCardResponseSchema,
  ApprovalDecisionResponseSchema,
  TierChangeResponseSchema,
} from '@abm-pilot/shared';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { createApp } from '../../server/src/http/app.ts';
import { createApiRouter } from '../../server/src/http/routes/index.ts';
import { syncTenant } from '../../server/src/usecases/runSync.ts';
import type { SalesforceWorld } from './support.ts';
import { apiDepsOn, salesforceWorld } from './support.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';

// Field names as the package deploys them, read from its metadata.
const TIER = metadataFieldName('Account', 'tier');

// The card API over real HTTP, on a Salesforce org synced for real: the LWC's calls as Apex makes them,
// with the org's API key as a bearer token and the acting user in the query.

const worlds: SalesforceWorld[] = [];
let server: Server | null = null;
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = null;
  for (const world of worlds.splice(0)) await world.close();
});

interface Api {
  readonly url: string;
  call(
    method: string,
    path: string,
    options?: { key?: string; user?: string; body?: unknown },
  ): Promise<{ status: number; body: any }>;
}

async function apiOn(world: SalesforceWorld): Promise<Api> {
  const api = createApiRouter(apiDepsOn(world, pino({ level: 'silent' })));
  const app = createApp({ log: pino({ level: 'silent' }), ready: async () => true, api });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(method, path, options = {}) {
      const separator = path.includes('?') ? '&' : '?';
      const response = await fetch(
        `${url}/api/v1${path}${options.user ? `${separator}userId=${options.user}` : ''}`,
        {
          method,
          headers: {
            ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        },
      );
      return { status: response.status, body: await response.json() };
    },
  };
}

async function syncedOrg() {
  const world = await salesforceWorld(120);
  worlds.push(world);
  await syncTenant(world.deps);
  const key = (
    await world.store.issueCredential(world.tenant.id, {
      grant: { kind: 'salesforce_api_key' },
      now: world.now(),
    })
  ).plaintext;
  const [target] = (
    await world.soql<{ Id: string; OwnerId: string }>(
      `SELECT Id, OwnerId FROM Account WHERE ${TIER} = null ORDER BY Id LIMIT 1`,
    )
  ).records;
  const users = (await world.store.listOwners(world.tenant.id)).map((owner) => owner.crmId);
  const committee = users.find((user) => user !== target!.OwnerId)!;
  await world.store.replaceUserRoles(
    world.tenant.id,
    [
      { crmUserId: target!.OwnerId, roles: ['marketer'] },
      { crmUserId: committee, roles: ['abm_committee'] },
    ],
    { at: world.now(), by: 'test' },
  );
  return { world, key, account: target!.Id, owner: target!.OwnerId, committee };
}

describe('card API on a synced Salesforce org', () => {
  it('serves the account card that the contract describes', async () => {
    const { world, key, account, owner } = await syncedOrg();
    const api = await apiOn(world);

    const { status, body } = await api.call('GET', `/accounts/${account}/card`, { key, user: owner });

    expect(status).toBe(200);
    const card = AccountCardResponseSchema.parse(body);
    expect(card).toMatchObject({
      crm: { system: 'salesforce', crmId: account },
      viewer: { userId: owner, governanceRoles: ['marketer'] },
      tier: { assigned: null },
      owners: [{ role: 'account_owner', userId: owner }],
      pendingApproval: null,
    });
    expect(card.score?.topReasons.length).toBeGreaterThan(0);
    expect(card.lastSyncAt).not.toBeNull();
    expect(card.actions.tierChange.allowed).toBe(true);
  });

  it('names the ABM owner set in the CRM, and the executive sponsor once the account is tier 1', async () => {
    const { world, key, account, owner, committee } = await syncedOrg();
    const sponsor = (await world.store.listOwners(world.tenant.id)).find(
      (user) => user.crmId !== owner && user.crmId !== committee,
    )!;
    world.advance(60_000);
    await world.patch('Account', account, {
      [metadataFieldName('Account', 'owner')]: committee,
      [metadataFieldName('Account', 'executiveSponsor')]: sponsor.crmId,
    });
    await syncTenant(world.deps);
    const api = await apiOn(world);

    const before = AccountCardResponseSchema.parse(
      (await api.call('GET', `/accounts/${account}/card`, { key, user: owner })).body,
    );
    expect(before.owners.map((person) => [person.role, person.userId, person.governanceRoles])).toEqual([
      ['account_owner', owner, ['marketer']],
      ['abm_owner', committee, ['abm_committee']],
    ]);

    world.advance(60_000);
    await world.patch('Account', account, { [TIER]: 'Tier 1' });
    await syncTenant(world.deps);
    const after = AccountCardResponseSchema.parse(
      (await api.call('GET', `/accounts/${account}/card`, { key, user: owner })).body,
    );
    expect(after.tier.assigned).toBe('tier_1');
    expect(after.owners.at(-1)).toEqual({
      role: 'executive_sponsor',
      userId: sponsor.crmId,
      name: sponsor.name,
      governanceRoles: [],
    });
  });

  it('applies a routine tier change at once, and replays the first answer when the same request is retried', async () => {
    const { world, key, account, owner } = await syncedOrg();
    const api = await apiOn(world);
    const request = {
      key,
      user: owner,
      body: { toTier: 'tier_3', reason: 'Engaged at the summit', idempotencyKey: 'change-0001' },
    };

    const first = await api.call('POST', `/accounts/${account}/tier-change`, request);
    const retry = await api.call('POST', `/accounts/${account}/tier-change`, request);

    expect(first.status).toBe(200);
    expect(TierChangeResponseSchema.parse(first.body)).toEqual({
      outcome: 'applied',
      route: 'routine',
      tier: 'tier_3',
    });
    expect(retry.body).toEqual(first.body);
    const audit = await world.store.accountAudit(world.tenant.id, account, { limit: 10 });
    expect(audit.entries.filter((entry) => entry.action === 'tier_change')).toHaveLength(1);
    const record = await world.soql<Record<string, unknown>>(
      `SELECT ${TIER} FROM Account WHERE Id = '${account}'`,
    );
    expect(record.records[0]?.[TIER]).toBe('Tier 3');
    const card = await api.call('GET', `/accounts/${account}/card`, { key, user: owner });
    expect(card.body.tier.assigned).toBe('tier_3');

    const reused = await api.call('POST', `/accounts/${account}/tier-change`, {
      ...request,
      body: { ...request.body, toTier: 'tier_2' },
    });
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
  });

  it('tells a client of API revision 2 that the CRM record holds the change, and older clients nothing new', async () => {
    const { world, key, account, owner } = await syncedOrg();
    const api = await apiOn(world);
    const change = (idempotencyKey: string, toTier: string, query: string) =>
      api.call('POST', `/accounts/${account}/tier-change${query}`, {
        key,
        user: owner,
        body: { toTier, reason: 'Engaged at the summit', idempotencyKey },
      });

    const revised = await change('change-rev2-01', 'tier_3', '?apiRevision=2');
    expect(TierChangeResponseSchema.parse(revised.body)).toEqual({
      outcome: 'applied',
      route: 'routine',
      tier: 'tier_3',
      crmWrite: 'done',
    });
    const original = await change('change-rev1-01', 'tier_2', '');
    expect(original.body).toEqual({ outcome: 'applied', route: 'routine', tier: 'tier_2' });
    const record = await world.soql<Record<string, unknown>>(
      `SELECT ${TIER} FROM Account WHERE Id = '${account}'`,
    );
    expect(record.records[0]?.[TIER]).toBe('Tier 2');
  });

  it('lets a marketer hand a targeted account over once, starting the first-touch and feedback clocks', async () => {
    const { world, key, account, owner } = await syncedOrg();
    const api = await apiOn(world);
    const handOver = (user: string, idempotencyKey: string) =>
      api.call('POST', `/accounts/${account}/handover?apiRevision=3`, {
        key,
        user,
        body: { idempotencyKey },
      });
    const cardOf = async (query: string) =>
      AccountCardResponseSchema.parse(
        (await api.call('GET', `/accounts/${account}/card${query}`, { key, user: owner })).body,
      );

    expect((await handOver(owner, 'handover-untargeted')).body.error.code).toBe('not_targeted');
    await api.call('POST', `/accounts/${account}/tier-change`, {
      key,
      user: owner,
      body: { toTier: 'tier_3', idempotencyKey: 'handover-tier-3' },
    });
    expect((await cardOf('?apiRevision=3')).actions.handover).toEqual({ allowed: true });
    expect((await cardOf('?apiRevision=2')).actions).not.toHaveProperty('handover');

    const first = await handOver(owner, 'handover-01');
    expect(first.status).toBe(200);
    expect(first.body.slas.map((sla: { kind: string }) => sla.kind)).toEqual([
      'sales_follow_up',
      'sales_feedback',
    ]);
    expect(await handOver(owner, 'handover-01')).toEqual(first);
    const again = await handOver(owner, 'handover-02');
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'handover_pending' } } });
    const card = await cardOf('?apiRevision=3');
    expect(card.actions.handover).toEqual({ allowed: false });
    expect(card.actions.handoverFeedback.pending).toBe(true);
  });

  it('refuses a handover by someone outside marketing', async () => {
    const { world, key, account, owner } = await syncedOrg();
    const api = await apiOn(world);
    await world.store.replaceUserRoles(world.tenant.id, [{ crmUserId: owner, roles: ['sales_rep'] }], {
      at: world.now(),
      by: 'test',
    });
    const refused = await api.call('POST', `/accounts/${account}/handover`, {
      key,
      user: owner,
      body: { idempotencyKey: 'handover-by-rep' },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'not_allowed_for_role' } } });
  });

  it('sends a move to tier_1 to the committee, who approve it; the card then shows tier_1', async () => {
    const { world, key, account, owner, committee } = await syncedOrg();
    const api = await apiOn(world);

    const noReason = await api.call('POST', `/accounts/${account}/tier-change`, {
      key,
      user: owner,
      body: { toTier: 'tier_1', idempotencyKey: 'change-0002' },
    });
    expect(noReason.body).toMatchObject({ outcome: 'rejected', code: 'reason_required' });

    const asked = await api.call('POST', `/accounts/${account}/tier-change`, {
      key,
      user: owner,
      body: { toTier: 'tier_1', reason: 'Board sponsor signed', idempotencyKey: 'change-0003' },
    });
    expect(asked.body).toMatchObject({
      outcome: 'needs_approval',
      route: 'tier_1',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
    });

    const queue = await api.call('GET', '/approvals', { key, user: committee });
    expect(queue.body.approvals.map((approval: { id: string }) => approval.id)).toEqual([
      asked.body.approvalId,
    ]);
    const ownApproval = await api.call('POST', `/approvals/${asked.body.approvalId}/approve`, {
      key,
      user: owner,
      body: {},
    });
    expect(ownApproval).toMatchObject({ status: 403, body: { error: { code: 'not_allowed_for_role' } } });

    const approved = await api.call('POST', `/approvals/${asked.body.approvalId}/approve`, {
      key,
      user: committee,
      body: { comment: 'Agreed' },
    });
    expect(approved.status).toBe(200);
    expect(ApprovalDecisionResponseSchema.parse(approved.body)).toMatchObject({
      applied: true,
      assignedTier: 'tier_1',
      approval: { state: 'approved' },
    });
    const again = await api.call('POST', `/approvals/${asked.body.approvalId}/approve`, {
      key,
      user: committee,
      body: {},
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'approval_not_pending' } } });

    const card = await api.call('GET', `/accounts/${account}/card`, { key, user: owner });
    expect(card.body.tier.assigned).toBe('tier_1');
    expect(card.body.slas.map((sla: { kind: string }) => sla.kind)).toEqual(
      expect.arrayContaining(['sales_follow_up', 'approval_decision']),
    );
  });

  it('refuses a missing or wrong key, an unknown user, a malformed body, and another org’s account', async () => {
    const first = await syncedOrg();
    // A second org in the same store, whose user ids collide with the first's.
    const store = first.world.store;
    const otherTenant = {
      id: 'salesforce:00D000000000002AAA',
      crm: 'salesforce' as const,
      externalId: '00D000000000002AAA',
      name: 'Other',
      language: 'en' as const,
    };
    await store.upsertTenant(otherTenant);
    const [owner] = (await store.listOwners(first.world.tenant.id)).filter((o) => o.crmId === first.owner);
    await store.savePage(
      otherTenant.id,
      { kind: 'owners', records: [owner!], deletedCrmIds: [], cursor: null },
      first.world.now(),
    );
    const other = {
      owner: first.owner,
      key: (
        await store.issueCredential(otherTenant.id, {
          grant: { kind: 'salesforce_api_key' },
          now: first.world.now(),
        })
      ).plaintext,
    };
    const api = await apiOn(first.world);
    const path = `/accounts/${first.account}/card`;

    expect((await api.call('GET', path, { user: first.owner })).body.error.code).toBe('unauthorized');
    expect(
      (await api.call('GET', path, { key: 'abm_sf_nope.invalid-secret-value', user: first.owner })).status,
    ).toBe(401);
    expect(await api.call('GET', path, { key: first.key, user: '005000000000000AAA' })).toMatchObject({
      status: 403,
      body: { error: { code: 'unknown_user' } },
    });
    const malformed = await api.call('POST', `/accounts/${first.account}/tier-change`, {
      key: first.key,
      user: first.owner,
      body: { toTier: 'platinum', idempotencyKey: 'x', extra: true },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.issues.map((issue: { path: string[] }) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['body.toTier', 'body.idempotencyKey', 'body.extra']),
    );

    // The other org's key opens the other org only: this org's account is "not found", as a missing one.
    const foreign = await api.call('GET', path, { key: other.key, user: other.owner });
    const missing = await api.call('GET', '/accounts/001000000000000AAA/card', {
      key: other.key,
      user: other.owner,
    });
    expect(foreign).toEqual(missing);
    expect(foreign.status).toBe(404);
  });
});
