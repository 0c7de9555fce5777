import type { ConsoleSession, ConsoleTenant, Instant, SlaInstance } from '@abm-pilot/shared';
import {
  CONSOLE_HEADER,
  consoleAccountsContract,
  consoleLoginContract,
  consoleLogoutContract,
  consoleSessionContract,
  consoleSwitchContract,
  instantToIso,
} from '@abm-pilot/shared';
import type { Request, Router } from 'express';

import type { Tenant } from '../../model.ts';
import type { AdminRole, Store } from '../../store/ports.ts';
import { bindRoute, failure, success } from '../bind.ts';
import type { ApiDeps } from '../routes/index.ts';
import { accountRowOf, accountsPage } from './accountsList.ts';
import { consoleTokensOf, MAX_CONSOLE_TENANTS, sessionCookie, tokensCookie } from './cookie.ts';

// The console's own endpoints: login and logout (the session cookie), who the session acts as, and the
// accounts list. Card content, tier changes, approvals, audit and metrics go through the card endpoints
// themselves, which accept the console's session as the CRM user its token is bound to (auth.ts).

export function registerConsoleRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, consoleLoginContract, deps, async ({ body, req, now }) => {
    // Also the login's CSRF guard: a cross-site form cannot log a browser into someone else's tenant.
    if (req.header(CONSOLE_HEADER) !== '1') {
      return failure('unauthorized', 'Log in from the console page.');
    }
    const resolved = await deps.store.resolveCredential('admin_token', body.token, now);
    const tenant = resolved ? await deps.store.getTenant(resolved.tenantId) : null;
    if (!resolved || !tenant || resolved.grant.kind !== 'admin_token') {
      return failure('unauthorized', 'Unknown or revoked admin token.');
    }
    // The new token replaces the one this browser held for its tenant, and joins those of the others.
    const held = await heldTokens(deps.store, [body.token, ...consoleTokensOf(req)], now);
    const secure = isSecure(req, deps);
    req.res?.append('Set-Cookie', sessionCookie(body.token, secure));
    req.res?.append(
      'Set-Cookie',
      tokensCookie(
        held.map((entry) => entry.token),
        secure,
      ),
    );
    return success(
      await sessionOf(deps.store, tenant, resolved.grant.role, resolved.credentialId, tenantsOf(held)),
    );
  });

  bindRoute(router, consoleSwitchContract, deps, async ({ body, req, now }) => {
    const held = await heldTokens(deps.store, consoleTokensOf(req), now);
    const target = held.find(
      ({ tenant }) => tenant.crm === body.system && tenant.externalId === body.externalId,
    );
    if (!target) {
      return failure('not_found', 'This browser holds no token for that tenant: log in with one.');
    }
    req.res?.append('Set-Cookie', sessionCookie(target.token, isSecure(req, deps)));
    return success(
      await sessionOf(deps.store, target.tenant, target.role, target.credentialId, tenantsOf(held)),
    );
  });

  bindRoute(router, consoleLogoutContract, deps, async ({ req }) => {
    // A cross-site form must not log the browser out either.
    if (req.header(CONSOLE_HEADER) !== '1') {
      return failure('unauthorized', 'Log out from the console page.');
    }
    req.res?.append('Set-Cookie', sessionCookie(null, isSecure(req, deps)));
    req.res?.append('Set-Cookie', tokensCookie(null, isSecure(req, deps)));
    return success({ loggedOut: true as const });
  });

  bindRoute(router, consoleSessionContract, deps, async ({ caller, req, now }) => {
    if (caller.actor.startsWith('user:')) {
      return failure('not_allowed_for_role', 'The console session is for admin and viewer tokens.');
    }
    const held = await heldTokens(deps.store, consoleTokensOf(req), now);
    const tenants = held.some(({ tenant }) => tenant.id === caller.tenant.id) ? tenantsOf(held) : [];
    return success(await sessionOf(deps.store, caller.tenant, caller.role, caller.actor, tenants));
  });

  bindRoute(router, consoleAccountsContract, deps, async ({ query, caller, now }) => {
    const tenantId = caller.tenant.id;
    const [records, running, pending] = await Promise.all([
      deps.store.consoleAccounts(tenantId),
      deps.store.openSlaInstances(tenantId),
      deps.store.pendingApprovals(tenantId),
    ]);
    const runningOf = groupByAccount(running);
    const withApproval = new Set(pending.map((approval) => approval.accountId));
    const rows = records.map((record) =>
      accountRowOf(record, runningOf.get(record.crmId) ?? [], withApproval.has(record.crmId), now),
    );
    const page = accountsPage(rows, query);
    return success({ asOf: instantToIso(now), offset: query.offset, limit: query.limit, ...page });
  });
}

interface HeldToken {
  readonly token: string;
  readonly tenant: Tenant;
  readonly role: AdminRole;
  readonly credentialId: string;
}

/** The tokens that still open a tenant, the first of each tenant kept (revoked and unknown ones dropped). */
async function heldTokens(store: Store, tokens: readonly string[], now: Instant): Promise<HeldToken[]> {
  const held: HeldToken[] = [];
  for (const token of tokens) {
    if (held.length === MAX_CONSOLE_TENANTS) break;
    const resolved = await store.resolveCredential('admin_token', token, now);
    if (!resolved || resolved.grant.kind !== 'admin_token') continue;
    if (held.some((entry) => entry.tenant.id === resolved.tenantId)) continue;
    const tenant = await store.getTenant(resolved.tenantId);
    if (tenant) held.push({ token, tenant, role: resolved.grant.role, credentialId: resolved.credentialId });
  }
  return held;
}

const tenantOf = (tenant: Tenant): ConsoleTenant => ({
  system: tenant.crm,
  externalId: tenant.externalId,
  name: tenant.name,
});
const tenantsOf = (held: readonly HeldToken[]) => held.map((entry) => tenantOf(entry.tenant));

/**
 * What a token may do in the console: the bound user's roles decide, and a viewer never writes. `tenants`
 * are those this browser holds tokens for; the session's own is always among them.
 */
export async function sessionOf(
  store: Store,
  tenant: Tenant,
  role: AdminRole,
  credentialId: string,
  tenants: readonly ConsoleTenant[] = [],
): Promise<ConsoleSession> {
  const actAs = await store.credentialActor(tenant.id, credentialId);
  const owner = actAs === null ? null : await store.getOwner(tenant.id, actAs);
  const roles = actAs === null || !owner?.active ? [] : await store.rolesOf(tenant.id, actAs);
  return {
    tenant: tenantOf(tenant),
    tenants: tenants.length === 0 ? [tenantOf(tenant)] : [...tenants],
    role,
    credentialId,
    actingAs: actAs === null ? null : { userId: actAs, name: owner?.name ?? null, roles: [...roles] },
    cardUserId: actAs ?? credentialId,
    mayAct: role === 'admin' && roles.length > 0,
    mayViewGovernance: roles.length > 0,
  };
}

const isSecure = (req: Request, deps: ApiDeps): boolean =>
  req.secure || (deps.hubspot?.publicUrl.startsWith('https:') ?? false);

function groupByAccount(instances: readonly SlaInstance[]): Map<string, SlaInstance[]> {
  const byAccount = new Map<string, SlaInstance[]>();
  for (const instance of instances) {
    const list = byAccount.get(instance.accountId);
    if (list) list.push(instance);
    else byAccount.set(instance.accountId, [instance]);
  }
  return byAccount;
}
