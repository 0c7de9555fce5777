import {
  AdminConfigResponseSchema,
  CostLedgerResponseSchema,
  DEFAULT_GOVERNANCE_CONFIG,
  SyncStatusResponseSchema,
} from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { page, account } from '../../store/sqlite/testSupport.ts';
import type { Harness } from './apiTestHarness.ts';
import {
  adminToken,
  bearerFetch,
  errorOf,
  giveRoles,
  hubspotFetch,
  NOW,
  startApi,
  T0,
  TENANT_A,
  TENANT_C,
} from './apiTestHarness.ts';

let api: Harness;
let admin: string;
let viewer: string;
beforeEach(async () => {
  api = await startApi();
  admin = await adminToken(api, TENANT_A.id, 'admin');
  viewer = await adminToken(api, TENANT_A.id, 'viewer');
});
afterEach(() => api.close());

// JSON drops `version: undefined`: the server numbers versions.
const editable = { ...DEFAULT_GOVERNANCE_CONFIG, version: undefined };
const configBody = (basedOnVersion: number | null, capacity = 25) => ({
  ...editable,
  tiers: { ...editable.tiers, capacity: { ...editable.tiers.capacity, tier_1: capacity } },
  basedOnVersion,
});

describe('admin governance config', () => {
  it('answers not_configured before the first save, then versions each save and keeps the old ones', async () => {
    expect((await errorOf(await bearerFetch(api, 'GET', '/api/v1/admin/config', viewer))).code).toBe(
      'not_configured',
    );
    const first = await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(null, 30));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      version: 1,
      config: { version: 1 },
      savedBy: expect.stringMatching(/^abm_adm_/),
    });
    expect((await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(1, 40))).status).toBe(
      200,
    );
    const current = AdminConfigResponseSchema.parse(
      await (await bearerFetch(api, 'GET', '/api/v1/admin/config', viewer)).json(),
    );
    expect(current.version).toBe(2);
    expect(current.config.tiers.capacity.tier_1).toBe(40);
    expect(current.history.map((info) => info.version)).toEqual([2, 1]);
  });

  it('refuses a save based on a stale version with 409 config_version_conflict', async () => {
    await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(null));
    const stale = await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(null));
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).code).toBe('config_version_conflict');
  });

  it('refuses an invalid config with 400 issues at their body paths, and a viewer writing with 403', async () => {
    const invalid = await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(null, -1));
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).issues?.map((issue) => issue.path)).toContainEqual([
      'body',
      'tiers',
      'capacity',
      'tier_1',
    ]);
    const byViewer = await bearerFetch(api, 'PUT', '/api/v1/admin/config', viewer, configBody(null));
    expect(byViewer.status).toBe(403);
    expect((await errorOf(byViewer)).code).toBe('forbidden');
  });

  it("answers 401 without a valid token, and never shows another tenant's config", async () => {
    expect((await bearerFetch(api, 'GET', '/api/v1/admin/config', null)).status).toBe(401);
    expect((await bearerFetch(api, 'GET', '/api/v1/admin/config', 'abm_adm_forged_token_123')).status).toBe(
      401,
    );
    await bearerFetch(api, 'PUT', '/api/v1/admin/config', admin, configBody(null));
    const neighbour = await adminToken(api, TENANT_C.id, 'admin');
    expect((await errorOf(await bearerFetch(api, 'GET', '/api/v1/admin/config', neighbour))).code).toBe(
      'not_configured',
    );
  });
});

describe('admin roles', () => {
  it('replaces the role mapping and reads it back', async () => {
    const users = { u1: ['abm_manager', 'marketer'], u2: ['sales_rep'] };
    const put = await bearerFetch(api, 'PUT', '/api/v1/admin/roles', admin, { users });
    expect(put.status).toBe(200);
    const read = await (await bearerFetch(api, 'GET', '/api/v1/admin/roles', viewer)).json();
    expect(read).toMatchObject({ users, updatedAt: new Date(NOW).toISOString() });
    expect(await api.temp.store.rolesOf(TENANT_A.id, 'u1')).toEqual(['abm_manager', 'marketer']);
  });

  it('refuses a role listed twice with 400 at its path, and a viewer with 403', async () => {
    const twice = await bearerFetch(api, 'PUT', '/api/v1/admin/roles', admin, {
      users: { u1: ['marketer', 'marketer'] },
    });
    expect(twice.status).toBe(400);
    expect((await errorOf(twice)).issues?.[0]?.path).toEqual(['body', 'users', 'u1']);
    expect((await bearerFetch(api, 'PUT', '/api/v1/admin/roles', viewer, { users: {} })).status).toBe(403);
  });
});

describe('admin from inside a CRM', () => {
  const asUser = (userId: string) => `?portalId=${TENANT_C.externalId}&userId=${userId}`;

  it('lets a signed programme owner change settings, recorded under their CRM user id', async () => {
    await giveRoles(api, TENANT_C.id, { owner: ['abm_manager'] });
    const users = { owner: ['abm_manager'], rep: ['sales_rep'] };
    const put = await hubspotFetch(api, 'PUT', `/api/v1/admin/roles${asUser('owner')}`, { users });
    expect(put.status).toBe(200);
    const read = await (await hubspotFetch(api, 'GET', `/api/v1/admin/roles${asUser('owner')}`)).json();
    expect(read).toMatchObject({ users, updatedBy: 'user:owner' });
  });

  it('refuses a signed user whose role may not administer with 403 not_allowed_for_role', async () => {
    await giveRoles(api, TENANT_C.id, { rep: ['sales_rep'] });
    const refused = await hubspotFetch(api, 'GET', `/api/v1/admin/config${asUser('rep')}`);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('not_allowed_for_role');
  });

  it('refuses a badly signed request that names a user with 401', async () => {
    await giveRoles(api, TENANT_C.id, { owner: ['chief_abm_officer'] });
    const forged = await hubspotFetch(api, 'GET', `/api/v1/admin/config${asUser('owner')}`, undefined, {
      secret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
  });
});

describe('admin cost ledger', () => {
  it('books lines and lists them by month range, in the tenant currency', async () => {
    const post = await bearerFetch(api, 'POST', '/api/v1/admin/costs', admin, {
      lines: [
        { period: '2026-01', category: 'programme_budget', amount: 1000, note: 'events' },
        { period: '2026-02', category: 'sales_time', hours: 12 },
      ],
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({ saved: 2, lines: [{ note: 'events' }, { hours: 12 }] });
    const february = CostLedgerResponseSchema.parse(
      await (await bearerFetch(api, 'GET', '/api/v1/admin/costs?from=2026-02', viewer)).json(),
    );
    expect(february).toMatchObject({ currency: DEFAULT_GOVERNANCE_CONFIG.costs.currency });
    expect(february.lines).toEqual([
      expect.objectContaining({ period: '2026-02', category: 'sales_time', hours: 12 }),
    ]);
  });

  it('refuses a line with both amount and hours, a bad month query, and a viewer', async () => {
    const both = await bearerFetch(api, 'POST', '/api/v1/admin/costs', admin, {
      lines: [{ period: '2026-01', category: 'sales_time', amount: 1, hours: 1 }],
    });
    expect(both.status).toBe(400);
    expect((await errorOf(both)).issues?.map((issue) => issue.path)).toContainEqual([
      'body',
      'lines',
      0,
      'amount',
    ]);
    const badMonth = await bearerFetch(api, 'GET', '/api/v1/admin/costs?from=2026-13', admin);
    expect((await errorOf(badMonth)).issues?.map((issue) => issue.path)).toEqual([['query', 'from']]);
    const byViewer = await bearerFetch(api, 'POST', '/api/v1/admin/costs', viewer, {
      lines: [{ period: '2026-01', category: 'content', amount: 5 }],
    });
    expect(byViewer.status).toBe(403);
    expect(await api.temp.store.costLines(TENANT_A.id)).toEqual([]);
  });
});

describe('admin sync', () => {
  it('starts a sync with 202, says already_running when one holds the lease, and forgets cursors on full', async () => {
    await api.temp.store.savePage(TENANT_A.id, page('accounts', [account('a1')]), T0);
    expect(await api.temp.store.cursor(TENANT_A.id, 'accounts')).not.toBeNull();
    const started = await bearerFetch(api, 'POST', '/api/v1/admin/sync', admin, { full: true });
    expect(started.status).toBe(202);
    expect(await started.json()).toEqual({ status: 'started', runId: null });
    expect(api.syncRequests).toEqual([TENANT_A.id]);
    expect(await api.temp.store.cursor(TENANT_A.id, 'accounts')).toBeNull();
    api.syncStarts = false;
    const again = await bearerFetch(api, 'POST', '/api/v1/admin/sync', admin, {});
    expect(await again.json()).toEqual({ status: 'already_running', runId: null });
  });

  it('refuses a viewer and an unknown body field', async () => {
    expect((await bearerFetch(api, 'POST', '/api/v1/admin/sync', viewer, {})).status).toBe(403);
    const unknown = await bearerFetch(api, 'POST', '/api/v1/admin/sync', admin, { everything: true });
    expect((await errorOf(unknown)).issues?.map((issue) => issue.path)).toEqual([['body', 'everything']]);
    expect(api.syncRequests).toEqual([]);
  });

  it('reports the connection and recent runs, newest first, with the last success', async () => {
    const { store } = api.temp;
    await store.tryAcquireLease(TENANT_A.id, 'test', 60_000, T0);
    const run = await store.startRun(TENANT_A.id, { kind: 'sync', holder: 'test', startedAt: T0 });
    await store.finishRun(TENANT_A.id, run.id, {
      status: 'succeeded',
      finishedAt: T0 + 5_000,
      counts: { pulled: 3 },
      error: null,
    });
    const response = await bearerFetch(api, 'GET', '/api/v1/admin/sync/status', viewer);
    const body = SyncStatusResponseSchema.parse(await response.json());
    expect(body.tenant).toEqual({ system: 'hubspot', externalId: '111', name: 'Portal A' });
    expect(body.lastSucceededAt).toBe(new Date(T0 + 5_000).toISOString());
    expect(body.runs).toEqual([
      expect.objectContaining({ id: run.id, status: 'succeeded', counts: { pulled: 3 } }),
    ]);
  });
});
