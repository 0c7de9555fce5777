import type { AuditPageResponse } from '@abm-pilot/shared';
import {
  accountAuditContract,
  auditEntryToView,
  decodeAuditCursor,
  encodeAuditCursor,
  hiddenAuditActions,
  tenantAuditContract,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import type { AuditPage, AuditPageRequest, Store } from '../../store/ports.ts';
import type { CardUser } from '../auth.ts';
import type { Outcome } from '../bind.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { namesOf } from './caller.ts';
import type { ApiDeps } from './index.ts';

// The permanent audit log, paged newest first. The cursor is opaque to clients; one we did not make is the
// client's mistake (400 on `before`), never a store error.

/**
 * Tenant-wide governance views (the tenant's audit log, metrics, portfolio review) are for people who hold a
 * governance role in the tenant's mapping; a CRM user without one sees only the cards of their accounts.
 */
export const mayViewGovernance = (user: CardUser): boolean => user.roles.length > 0;

export function registerAuditRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, accountAuditContract, deps, async ({ params, query, caller }) => {
    const request = pageRequestOf(query);
    if (!request.ok) return request;
    // A missing account and another tenant's look the same: the card read model is tenant-scoped.
    const card = await deps.store.accountCard(caller.tenant.id, params.crmId);
    if (card === null) return failure('not_found', 'No such account.');
    const page = await deps.store.accountAudit(caller.tenant.id, params.crmId, request.body);
    return success(await pageToWire(deps.store, caller.tenant.id, page));
  });

  bindRoute(router, tenantAuditContract, deps, async ({ query, caller }) => {
    if (!mayViewGovernance(caller.user)) {
      return failure('forbidden', 'The tenant audit log is for users with a governance role.');
    }
    const request = pageRequestOf(query);
    if (!request.ok) return request;
    const page = await deps.store.tenantAudit(caller.tenant.id, request.body);
    return success(await pageToWire(deps.store, caller.tenant.id, page));
  });
}

function pageRequestOf(query: {
  readonly limit: number;
  readonly before?: string | undefined;
  readonly apiRevision: number;
}): Outcome<AuditPageRequest> {
  const page = { limit: query.limit, withoutActions: hiddenAuditActions(query.apiRevision) };
  if (query.before === undefined) return success(page);
  const before = decodeAuditCursor(query.before);
  if (before === null) {
    return failure('invalid_request', 'The request is not valid.', [
      { path: ['query', 'before'], message: 'expected a cursor from a page' },
    ]);
  }
  return success({ ...page, before });
}

async function pageToWire(store: Store, tenantId: string, page: AuditPage): Promise<AuditPageResponse> {
  const nameOf = await namesOf(
    store,
    tenantId,
    page.entries.map((entry) => entry.actor),
  );
  return {
    entries: page.entries.map((entry) => auditEntryToView(entry, nameOf)),
    nextCursor: page.next === null ? null : encodeAuditCursor(page.next),
  };
}
