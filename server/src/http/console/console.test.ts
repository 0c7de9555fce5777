import {
  AccountCardResponseSchema,
  ConsoleAccountsResponseSchema,
  ConsoleSessionSchema,
  TierChangeResponseSchema,
} from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { owner, page, slaInstance } from '../../store/sqlite/testSupport.ts';
import type { Harness } from '../routes/apiTestHarness.ts';
import {
  adminToken,
  errorOf,
  giveRoles,
  NOW,
  seedAccounts,
  startApi,
  T0,
  TENANT_A,
  TENANT_C,
} from '../routes/apiTestHarness.ts';

// The console's session over real HTTP: a token turned into a cookie, the CSRF header, and the card
// endpoints answering the session as the CRM user its token is bound to.

let api: Harness;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, {
    a1: { recommendedTier: 'tier_3', assignedTier: 'tier_3' },
    a2: { score: { ...scoreOf(80) }, recommendedTier: 'tier_1', assignedTier: 'tier_2' },
    a3: { slaInstances: [slaInstance('a3', { startedAt: NOW - 10 * 86_400_000 })] },
  });
  await api.temp.store.savePage(TENANT_A.id, page('owners', [owner('cao', { name: 'Chief Officer' })]), T0);
  await giveRoles(api, TENANT_A.id, { cao: ['chief_abm_officer'] });
  await seedAccounts(api, TENANT_C.id, { c1: {} });
});
afterEach(() => api.close());

function scoreOf(value: number) {
  return {
    score: value,
    axes: { revenue_potential: value, probability_of_success: value, strategic_alignment: value },
    contributions: [],
    missing: [],
    modelVersion: 'test-1',
  };
}

const CONSOLE = { 'x-abm-console': '1' };

async function login(token: string) {
  const response = await fetch(`${api.url}/api/v1/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...CONSOLE },
    body: JSON.stringify({ token }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { response, setCookie, cookie: setCookie.split(';')[0] ?? '' };
}

const consoleFetch = (cookie: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie,
      ...CONSOLE,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

async function boundToken(role: 'admin' | 'viewer', actAs: string | null) {
  const token = await adminToken(api, TENANT_A.id, role);
  const credentialId = token.split('.')[0] ?? '';
  if (actAs !== null) await api.temp.store.bindCredentialActor(TENANT_A.id, credentialId, actAs);
  return { token, credentialId };
}

describe('console login', () => {
  it('turns a valid token into an HttpOnly, SameSite=Strict cookie on / (Secure behind an https PUBLIC_URL)', async () => {
    const { token } = await boundToken('admin', 'cao');
    const { response, setCookie } = await login(token);
    expect(response.status).toBe(200);
    expect(setCookie).toMatch(/^abm_console=abm_adm_[0-9a-f]{16}\.[\w-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Secure');
    const session = ConsoleSessionSchema.parse(await response.json());
    expect(session).toMatchObject({
      role: 'admin',
      actingAs: { userId: 'cao', name: 'Chief Officer', roles: ['chief_abm_officer'] },
      cardUserId: 'cao',
      mayAct: true,
      mayViewGovernance: true,
    });
  });

  it('refuses an unknown token and a login without the console header, setting no cookie', async () => {
    const { token } = await boundToken('admin', null);
    const unknown = await login(`${token.slice(0, -4)}AAAA`);
    expect(unknown.response.status).toBe(401);
    expect(unknown.setCookie).toBe('');
    const forged = await fetch(`${api.url}/api/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  it('logout clears the cookie', async () => {
    const response = await fetch(`${api.url}/api/v1/console/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...CONSOLE },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^abm_console=; .*Max-Age=0/);
  });

  it('remembers one token per tenant and switches between them without asking for a token again', async () => {
    const a = await boundToken('admin', 'cao');
    const c = await adminToken(api, TENANT_C.id, 'viewer');
    const jar = new Map<string, string>();
    const keep = (response: Response) => {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    };
    const cookies = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies(), ...CONSOLE },
        body: JSON.stringify(body),
      });
      keep(response);
      return response;
    };
    const tenantOf = (tenant: typeof TENANT_C) => ({ system: tenant.crm, externalId: tenant.externalId });

    keep((await login(a.token)).response);
    const second = ConsoleSessionSchema.parse(
      await (await post('/api/v1/console/session', { token: c })).json(),
    );
    expect(second).toMatchObject({ tenant: tenantOf(TENANT_C), role: 'viewer' });
    expect(second.tenants).toEqual([
      expect.objectContaining(tenantOf(TENANT_C)),
      expect.objectContaining(tenantOf(TENANT_A)),
    ]);
    expect(jar.get('abm_console_tenants')).toBe(`${c}~${a.token}`);

    const switched = await post('/api/v1/console/switch', tenantOf(TENANT_A));
    expect(switched.status).toBe(200);
    expect(ConsoleSessionSchema.parse(await switched.json())).toMatchObject({
      tenant: tenantOf(TENANT_A),
      role: 'admin',
      actingAs: { userId: 'cao' },
    });
    const session = await consoleFetch(cookies(), '/api/v1/console/session');
    expect(ConsoleSessionSchema.parse(await session.json()).tenants).toHaveLength(2);

    const elsewhere = await post('/api/v1/console/switch', { system: 'hubspot', externalId: '999' });
    expect(elsewhere.status).toBe(404);
    expect((await errorOf(elsewhere)).code).toBe('not_found');

    await post('/api/v1/console/logout', {});
    expect(jar.get('abm_console')).toBe('');
    expect(jar.get('abm_console_tenants')).toBe('');
  });

  it('refuses a logout without the console header, as a cross-site form would send it', async () => {
    const response = await fetch(`${api.url}/api/v1/console/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('cookie sessions on admin endpoints', () => {
  it('accept the cookie like the bearer token, but only with the X-ABM-Console header', async () => {
    const { cookie } = await login((await boundToken('admin', null)).token);
    expect((await consoleFetch(cookie, '/api/v1/admin/sync/status')).status).toBe(200);
    const withoutHeader = await fetch(`${api.url}/api/v1/admin/sync/status`, { headers: { cookie } });
    expect(withoutHeader.status).toBe(401);
  });

  it('never let a viewer session administer through the role of the user it acts as', async () => {
    const { cookie } = await login((await boundToken('viewer', 'cao')).token);
    const response = await consoleFetch(cookie, '/api/v1/admin/roles?userId=cao', {
      method: 'PUT',
      body: { users: { cao: ['chief_abm_officer'] } },
    });
    expect(response.status).toBe(403);
  });
});

describe('cookie sessions on card endpoints', () => {
  it("read and change a tier as the bound user, with the card's own rules and answers", async () => {
    const { cookie } = await login((await boundToken('admin', 'cao')).token);
    const card = AccountCardResponseSchema.parse(
      await (await consoleFetch(cookie, '/api/v1/accounts/a1/card?userId=cao')).json(),
    );
    expect(card.viewer).toEqual({
      userId: 'cao',
      name: 'Chief Officer',
      governanceRoles: ['chief_abm_officer'],
    });
    expect(card.actions.tierChange.allowed).toBe(true);
    const changed = await consoleFetch(cookie, '/api/v1/accounts/a1/tier-change?userId=cao', {
      method: 'POST',
      body: { toTier: 'tier_2', idempotencyKey: 'console-test-1' },
    });
    expect(TierChangeResponseSchema.parse(await changed.json())).toEqual({
      outcome: 'applied',
      route: 'routine',
      tier: 'tier_2',
    });
    const audit = await api.temp.store.accountAudit(TENANT_A.id, 'a1', { limit: 1 });
    expect(audit.entries[0]?.actor).toEqual({ userId: 'cao', role: 'chief_abm_officer' });
  });

  it('refuse a userId other than the bound user', async () => {
    const { cookie } = await login((await boundToken('admin', 'cao')).token);
    const response = await consoleFetch(cookie, '/api/v1/accounts/a1/card?userId=o1');
    expect(response.status).toBe(401);
  });

  it('let a viewer or an unbound token read only: tier change answers 403 not_allowed_for_role', async () => {
    const viewer = await login((await boundToken('viewer', 'cao')).token);
    const refused = await consoleFetch(viewer.cookie, '/api/v1/accounts/a1/tier-change?userId=cao', {
      method: 'POST',
      body: { toTier: 'tier_2', idempotencyKey: 'console-test-2' },
    });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('not_allowed_for_role');

    const unbound = await boundToken('admin', null);
    const { cookie } = await login(unbound.token);
    const card = AccountCardResponseSchema.parse(
      await (await consoleFetch(cookie, `/api/v1/accounts/a1/card?userId=${unbound.credentialId}`)).json(),
    );
    expect(card.actions.tierChange.allowed).toBe(false);
    const write = await consoleFetch(
      cookie,
      `/api/v1/accounts/a1/tier-change?userId=${unbound.credentialId}`,
      {
        method: 'POST',
        body: { toTier: 'tier_2', idempotencyKey: 'console-test-3' },
      },
    );
    expect((await errorOf(write)).code).toBe('not_allowed_for_role');
    expect((await api.temp.store.accountAudit(TENANT_A.id, 'a1', { limit: 5 })).entries).toEqual([]);
  });
});

describe('GET /api/v1/console/accounts', () => {
  const list = async (query: string) => {
    const { cookie } = await login((await boundToken('viewer', null)).token);
    const response = await consoleFetch(cookie, `/api/v1/console/accounts?${query}`);
    expect(response.status).toBe(200);
    return ConsoleAccountsResponseSchema.parse(await response.json());
  };

  it("lists only the tenant's live accounts, best score first by default", async () => {
    const page1 = await list('');
    expect(page1.accounts.map((row) => row.crmId)).toEqual(['a2', 'a1', 'a3']);
    expect(page1.total).toBe(3);
    expect(page1.accounts[0]).toMatchObject({
      tier: 'tier_2',
      recommendedTier: 'tier_1',
      drift: { steps: 1, direction: 'below' },
      owner: { userId: 'o1', name: 'Owner o1' },
      pendingApproval: false,
    });
  });

  it('searches by name, filters by segment, SLA and drift, sorts and pages', async () => {
    expect((await list('q=ACCOUNT%20A3')).accounts.map((row) => row.crmId)).toEqual(['a3']);
    expect((await list('segment=tier_3')).accounts.map((row) => row.crmId)).toEqual(['a1']);
    expect((await list('sla=breached')).accounts.map((row) => [row.crmId, row.sla])).toEqual([
      ['a3', 'breached'],
    ]);
    expect((await list('drift=drifting')).accounts.map((row) => row.crmId)).toEqual(['a2']);
    expect((await list('sort=tier&order=asc')).accounts.map((row) => row.crmId)).toEqual(['a1', 'a2', 'a3']);
    const paged = await list('sort=name&order=asc&offset=1&limit=1');
    expect(paged).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(paged.accounts.map((row) => row.crmId)).toEqual(['a2']);
  });

  it('refuses an unknown sort with 400 naming the query field', async () => {
    const { cookie } = await login((await boundToken('viewer', null)).token);
    const response = await consoleFetch(cookie, '/api/v1/console/accounts?sort=revenue');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.[0]?.path).toEqual(['query', 'sort']);
  });
});
