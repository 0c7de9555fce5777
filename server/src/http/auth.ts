import type { ApiAuth, ApiErrorCode, Instant, Role } from '@abm-pilot/shared';
import { mayAdminister } from '@abm-pilot/shared';
import type { Request } from 'express';

import type { Tenant } from '../model.ts';
import { tenantIdOf } from '../model.ts';
import type { AdminRole, Store } from '../store/ports.ts';
import type { RawBodyRequest } from './app.ts';
import { consoleCookieOf } from './console/cookie.ts';
import { verifyHubSpotSignature } from './hubspotSignature.ts';
import { claimChiefOnce } from '../usecases/installHubSpot.ts';

// Who is calling, decided before any route runs. The tenant always comes from a credential: a HubSpot
// signature (then the portal in the signed URL), a Salesforce org's API key, or an admin token; never
// from an unsigned parameter.

export interface HubSpotAppAuth {
  /** The app's client secret: HubSpot signs card calls and webhooks with it. */
  readonly clientSecret: string;
  /** The origin HubSpot calls (the app's `permittedUrls`), e.g. https://abm.example.com. */
  readonly publicUrl: string;
  /**
   * HubSpot's clock, which its signatures' timestamps are read against; the server's by default. The demo's
   * business clock runs ahead of the wall clock HubSpot (or an operator's signing command) signs with.
   */
  readonly clock?: () => Instant;
}

export interface AuthDeps {
  readonly store: Store;
  readonly hubspot: HubSpotAppAuth | null;
  readonly clock: () => Instant;
}

export interface CardUser {
  readonly userId: string;
  readonly name: string | null;
  readonly roles: readonly Role[];
}

export type Caller =
  | { readonly kind: 'card'; readonly tenant: Tenant; readonly user: CardUser }
  | {
      readonly kind: 'admin';
      readonly tenant: Tenant;
      readonly role: AdminRole;
      /** Who acts, for the audit: the token's public id, or `user:<CRM user id>` from inside a CRM. */
      readonly actor: string;
    }
  | { readonly kind: 'webhook'; readonly tenant: Tenant | null; readonly via: 'hubspot' | 'salesforce' }
  | { readonly kind: 'public' };

export interface AuthFailure {
  readonly code: Extract<ApiErrorCode, 'unauthorized' | 'unknown_user' | 'not_allowed_for_role'>;
  readonly message: string;
}

const unauthorized = (message: string): AuthFailure => ({ code: 'unauthorized', message });

export async function authenticate(
  auth: ApiAuth,
  req: Request,
  deps: AuthDeps,
): Promise<{ ok: true; caller: Caller } | { ok: false; failure: AuthFailure }> {
  switch (auth) {
    case 'public':
      return { ok: true, caller: { kind: 'public' } };
    case 'card':
      return cardCaller(req, deps);
    case 'admin':
      return adminCaller(req, deps);
    case 'webhook':
      return webhookCaller(req, deps);
  }
}

async function cardCaller(req: Request, deps: AuthDeps) {
  const userId = typeof req.query.userId === 'string' ? req.query.userId : null;
  if (req.header('x-hubspot-signature-v3') !== undefined) {
    const verdict = verifyHubSpot(req, deps);
    if (verdict !== 'valid') return fail(unauthorized(`HubSpot signature ${verdict}.`));
    const portalId = typeof req.query.portalId === 'string' ? req.query.portalId : null;
    const tenant = portalId ? await deps.store.getTenant(tenantIdOf('hubspot', portalId)) : null;
    if (!tenant) return fail(unauthorized('The signed request names no connected portal.'));
    if (!userId) return fail(unauthorized('The signed request names no user.'));
    // HubSpot vouches for its own user ids, which it numbers apart from the owner ids that accounts, tasks
    // and the role mapping use: the user acts as the owner they sign in as, or as themselves if they own
    // nothing (an admin without an owner record reads, and decides by whatever the mapping gives that id).
    const owner = await deps.store.ownerOfLoginUser(tenant.id, userId);
    const actingId = owner?.crmId ?? userId;
    // The user who installed the app may become the Chief ABM Officer of a programme without one, once,
    // as the owner the first sync found for them (roles are mapped to owner ids).
    if (owner) await claimChiefOnce(deps.store, tenant.id, userId, owner.crmId, deps.clock());
    const roles = await deps.store.rolesOf(tenant.id, actingId);
    return {
      ok: true as const,
      caller: {
        kind: 'card' as const,
        tenant,
        user: { userId: actingId, name: owner?.name ?? null, roles },
      },
    };
  }
  const key = bearer(req);
  if (!key && consoleCookieOf(req).kind !== 'none') return consoleCardCaller(req, deps, userId);
  if (!key) return fail(unauthorized('Sign the request (HubSpot) or send the org API key (Salesforce).'));
  const resolved = await deps.store.resolveCredential('salesforce_api_key', key, deps.clock());
  const tenant = resolved ? await deps.store.getTenant(resolved.tenantId) : null;
  if (!tenant) return fail(unauthorized('Unknown or revoked API key.'));
  if (!userId) return fail(unauthorized('The request names no acting user.'));
  const owner = await deps.store.getOwner(tenant.id, userId);
  if (!owner || !owner.active) {
    return fail({ code: 'unknown_user', message: 'The acting user is not an active user of this org.' });
  }
  const roles = await deps.store.rolesOf(tenant.id, userId);
  return {
    ok: true as const,
    caller: { kind: 'card' as const, tenant, user: { userId, name: owner.name, roles } },
  };
}

async function adminCaller(req: Request, deps: AuthDeps) {
  // Inside a CRM (HubSpot settings page, Salesforce through Apex) the programme's owners administer with
  // their own signed identity; shared's decision rights say which roles may.
  // A console session never takes this path: its token's own role decides, whatever user it acts as.
  const signedOrKeyed =
    req.header('x-hubspot-signature-v3') !== undefined ||
    (typeof req.query.userId === 'string' && (bearer(req)?.startsWith('abm_sf_') ?? false));
  if (signedOrKeyed) {
    const card = await cardCaller(req, deps);
    if (!card.ok) return card;
    if (!mayAdminister(card.caller.user.roles))
      return fail({
        code: 'not_allowed_for_role',
        message: 'Your ABM role may not change the programme settings.',
      });
    return {
      ok: true as const,
      caller: {
        kind: 'admin' as const,
        tenant: card.caller.tenant,
        role: 'admin' as const,
        actor: `user:${card.caller.user.userId}`,
      },
    };
  }
  const session = consoleToken(req);
  if (!session.ok) return session;
  const resolved = await resolveAdminToken(session.token, deps);
  if (!resolved) return fail(unauthorized('Unknown or revoked admin token.'));
  const { tenant, role, credentialId } = resolved;
  return { ok: true as const, caller: { kind: 'admin' as const, tenant, role, actor: credentialId } };
}

/** The admin token of a request: the bearer header, else the console's session cookie (with its header). */
function consoleToken(
  req: Request,
): { ok: true; token: string | null } | { ok: false; failure: AuthFailure } {
  const token = bearer(req);
  if (token) return { ok: true, token };
  const cookie = consoleCookieOf(req);
  if (cookie.kind === 'missing_header')
    return fail(unauthorized('A console request carries the X-ABM-Console header.'));
  return { ok: true, token: cookie.kind === 'token' ? cookie.token : null };
}

async function resolveAdminToken(token: string | null, deps: AuthDeps) {
  const resolved = token ? await deps.store.resolveCredential('admin_token', token, deps.clock()) : null;
  const tenant = resolved ? await deps.store.getTenant(resolved.tenantId) : null;
  if (!resolved || !tenant || resolved.grant.kind !== 'admin_token') return null;
  return { tenant, role: resolved.grant.role, credentialId: resolved.credentialId };
}

/**
 * The web console calling a card endpoint: it acts as the CRM user its token is bound to, with that user's
 * mapped roles, so the card's own rules decide. A viewer token, or one bound to nobody, only reads.
 */
async function consoleCardCaller(req: Request, deps: AuthDeps, userId: string | null) {
  const session = consoleToken(req);
  if (!session.ok) return session;
  const resolved = await resolveAdminToken(session.token, deps);
  if (!resolved) return fail(unauthorized('Unknown or revoked admin token.'));
  const { tenant, role, credentialId } = resolved;
  const actAs = await deps.store.credentialActor(tenant.id, credentialId);
  if (userId !== (actAs ?? credentialId)) {
    return fail(unauthorized('The console acts as the user its token is bound to; send that userId.'));
  }
  if (req.method !== 'GET' && (role !== 'admin' || actAs === null)) {
    return fail({
      code: 'not_allowed_for_role',
      message: 'This console session reads only: a viewer token, or a token bound to no CRM user.',
    });
  }
  if (actAs === null) {
    const user = { userId: credentialId, name: null, roles: [] };
    return { ok: true as const, caller: { kind: 'card' as const, tenant, user } };
  }
  const owner = await deps.store.getOwner(tenant.id, actAs);
  if (!owner || !owner.active) {
    return fail({ code: 'unknown_user', message: 'The token acts as a user who is not active in the CRM.' });
  }
  const roles = await deps.store.rolesOf(tenant.id, actAs);
  return {
    ok: true as const,
    caller: { kind: 'card' as const, tenant, user: { userId: actAs, name: owner.name, roles } },
  };
}

async function webhookCaller(req: Request, deps: AuthDeps) {
  if (req.header('x-hubspot-signature-v3') !== undefined) {
    const verdict = verifyHubSpot(req, deps);
    if (verdict !== 'valid') return fail(unauthorized(`HubSpot signature ${verdict}.`));
    // The tenant of each event is its portal, checked by the route: one app delivers for many portals.
    return { ok: true as const, caller: { kind: 'webhook' as const, tenant: null, via: 'hubspot' as const } };
  }
  const key = bearer(req);
  const resolved = key ? await deps.store.resolveCredential('salesforce_api_key', key, deps.clock()) : null;
  const tenant = resolved ? await deps.store.getTenant(resolved.tenantId) : null;
  if (!tenant) return fail(unauthorized('Sign the webhook (HubSpot) or send the org API key (Salesforce).'));
  return { ok: true as const, caller: { kind: 'webhook' as const, tenant, via: 'salesforce' as const } };
}

function verifyHubSpot(req: Request, deps: AuthDeps) {
  if (!deps.hubspot) return 'missing' as const;
  return verifyHubSpotSignature(
    {
      method: req.method,
      url: `${deps.hubspot.publicUrl.replace(/\/$/, '')}${req.originalUrl}`,
      rawBody: (req as unknown as RawBodyRequest).rawBody ?? '',
      signature: req.header('x-hubspot-signature-v3'),
      timestamp: req.header('x-hubspot-request-timestamp'),
    },
    deps.hubspot.clientSecret,
    (deps.hubspot.clock ?? deps.clock)(),
  );
}

function bearer(req: Request): string | null {
  const header = req.header('authorization');
  const match = header ? /^Bearer\s+(\S{10,512})$/i.exec(header) : null;
  return match?.[1] ?? null;
}

const fail = (failure: AuthFailure) => ({ ok: false as const, failure });
