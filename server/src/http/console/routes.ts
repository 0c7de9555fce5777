import type { ConsoleSession, SlaInstance } from '@abm-pilot/shared';
import {
  CONSOLE_HEADER,
  consoleAccountsContract,
  consoleLoginContract,
  consoleLogoutContract,
  consoleSessionContract,
  instantToIso,
} from '@abm-pilot/shared';
import type { Request, Router } from 'express';

import type { Tenant } from '../../model.ts';
import type { AdminRole, Store } from '../../store/ports.ts';
import { bindRoute, failure, success } from '../bind.ts';
import type { ApiDeps } from '../routes/index.ts';
import { accountRowOf, accountsPage } from './accountsList.ts';
import { sessionCookie } from './cookie.ts';

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
    req.res?.append('Set-Cookie', sessionCookie(body.token, isSecure(req, deps)));
    return success(await sessionOf(deps.store, tenant, resolved.grant.role, resolved.credentialId));
  });

  bindRoute(router, consoleLogoutContract, deps, async ({ req }) => {
    // A cross-site form must not log the browser out either.
    if (req.header(CONSOLE_HEADER) !== '1') {
      return failure('unauthorized', 'Log out from the console page.');
    }
    req.res?.append('Set-Cookie', sessionCookie(null, isSecure(req, deps)));
    return success({ loggedOut: true as const });
  });

  bindRoute(router, consoleSessionContract, deps, async ({ caller }) => {
    if (caller.actor.startsWith('user:')) {
      return failure('not_allowed_for_role', 'The console session is for admin and viewer tokens.');
    }
    return success(await sessionOf(deps.store, caller.tenant, caller.role, caller.actor));
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

/** What a token may do in the console: the bound user's roles decide, and a viewer never writes. */
export async function sessionOf(
  store: Store,
  tenant: Tenant,
  role: AdminRole,
  credentialId: string,
): Promise<ConsoleSession> {
  const actAs = await store.credentialActor(tenant.id, credentialId);
  const owner = actAs === null ? null : await store.getOwner(tenant.id, actAs);
  const roles = actAs === null || !owner?.active ? [] : await store.rolesOf(tenant.id, actAs);
  return {
    tenant: { system: tenant.crm, externalId: tenant.externalId, name: tenant.name },
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
