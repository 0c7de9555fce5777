import { randomBytes } from 'node:crypto';

import type { Instant, Result } from '@abm-pilot/shared';
import { DAY_MS, DEFAULT_LOCALE, err, ok } from '@abm-pilot/shared';
import { z } from 'zod';

import type { HubSpotInstallSettings } from '../config.ts';
import { tenantOf } from '../model.ts';
import type { Store } from '../store/ports.ts';

// A HubSpot portal installs ABM Pilot by OAuth: the install link sends its admin to HubSpot's authorize page
// with a random, single-use, expiring state; HubSpot sends them back with a code, exchanged for tokens. The
// portal (hub_id) and the installing user come from HubSpot's access-token metadata; the refresh token is
// stored sealed as the tenant's connection, which the running server then schedules (its first sync creates
// the ABM properties, then syncs). The installing user may claim the Chief ABM Officer role once.

export const STATE_LIFETIME_MS = 10 * 60_000;
/** How long the data of a tenant whose app was uninstalled is kept (a reinstall finds it), then purged. */
export const UNINSTALLED_RETENTION_MS = 30 * DAY_MS;

export type InstallFailureCode =
  | 'invalid_state'
  | 'expired_state'
  | 'missing_code'
  | 'install_denied'
  | 'token_exchange_failed';

export interface InstallFailure {
  readonly code: InstallFailureCode;
  readonly message: string;
}

export interface InstallDeps {
  readonly store: Store;
  readonly settings: HubSpotInstallSettings;
  readonly clock: () => Instant;
  /** Makes the running server load the new connection now (schedule the tenant, start its first sync). */
  readonly connectionsChanged: () => Promise<void>;
  readonly fetch?: typeof fetch;
}

/** The authorize URL to send the installing admin to, with a fresh state remembered for the callback. */
export async function startInstall(deps: InstallDeps): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await deps.store.saveOAuthState(state, deps.clock() + STATE_LIFETIME_MS);
  const url = new URL(deps.settings.authorizeUrl);
  url.searchParams.set('client_id', deps.settings.clientId);
  url.searchParams.set('scope', deps.settings.scopes.join(' '));
  url.searchParams.set('redirect_uri', deps.settings.redirectUri);
  url.searchParams.set('state', state);
  return url.toString();
}

const TokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number(),
});
const TokenInfoSchema = z.object({
  hub_id: z.number().int().positive(),
  user_id: z.number().int().positive(),
  hub_domain: z.string().min(1).optional(),
});

/** The callback: checks the state, exchanges the code, stores the connection and the installer. */
export async function completeInstall(
  deps: InstallDeps,
  query: { readonly code?: unknown; readonly state?: unknown; readonly error?: unknown },
): Promise<Result<{ readonly tenantId: string; readonly portalId: string }, InstallFailure>> {
  const state = typeof query.state === 'string' ? query.state : '';
  const verdict = state === '' ? 'unknown' : await deps.store.consumeOAuthState(state, deps.clock());
  if (verdict === 'unknown') {
    return err({
      code: 'invalid_state',
      message: 'This install link was not issued here or was used already.',
    });
  }
  if (verdict === 'expired') {
    return err({ code: 'expired_state', message: 'This install link has expired: start the install again.' });
  }
  if (typeof query.error === 'string') {
    return err({ code: 'install_denied', message: 'HubSpot did not grant the install.' });
  }
  if (typeof query.code !== 'string' || query.code === '') {
    return err({ code: 'missing_code', message: 'HubSpot sent no authorization code.' });
  }

  const { settings } = deps;
  const fetchImpl = deps.fetch ?? fetch;
  const exchange = await fetchImpl(`${settings.apiBaseUrl.replace(/\/+$/, '')}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uri: settings.redirectUri,
      code: query.code,
    }).toString(),
  }).catch(() => null);
  const tokens = exchange?.ok ? TokenSchema.safeParse(await exchange.json().catch(() => null)) : null;
  if (!tokens?.success) {
    return err({
      code: 'token_exchange_failed',
      message: `HubSpot did not exchange the code (HTTP ${exchange?.status ?? 'unreachable'}).`,
    });
  }
  const infoAnswer = await fetchImpl(
    `${settings.apiBaseUrl.replace(/\/+$/, '')}/oauth/v1/access-tokens/${encodeURIComponent(tokens.data.access_token)}`,
    { headers: { accept: 'application/json' } },
  ).catch(() => null);
  const info = infoAnswer?.ok ? TokenInfoSchema.safeParse(await infoAnswer.json().catch(() => null)) : null;
  if (!info?.success) {
    return err({ code: 'token_exchange_failed', message: 'HubSpot did not say which portal installed.' });
  }

  const portalId = String(info.data.hub_id);
  const connection = {
    crm: 'hubspot' as const,
    portalId,
    name: info.data.hub_domain ?? `HubSpot portal ${portalId}`,
    baseUrl: settings.apiBaseUrl,
    auth: {
      kind: 'oauth' as const,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      refreshToken: tokens.data.refresh_token,
    },
    language: DEFAULT_LOCALE,
  };
  const tenantId = tenantOf(connection).id;
  await deps.store.saveConnection(connection, 'upsert', deps.clock());
  await deps.store.recordInstaller(tenantId, String(info.data.user_id));
  await deps.connectionsChanged();
  return ok({ tenantId, portalId });
}

/**
 * The bootstrap claim: the user who installed the app, on their first signed call, becomes the programme's
 * Chief ABM Officer if nobody is yet (once per tenant), keeping whatever roles they hold. `actingId` is the
 * id roles are mapped to (their owner id once synced).
 */
export async function claimChiefOnce(
  store: Store,
  tenantId: string,
  hubspotUserId: string,
  actingId: string,
  now: Instant,
): Promise<boolean> {
  if (!(await store.useChiefClaim(tenantId, hubspotUserId, now))) return false;
  const mapping = await store.userRoles(tenantId);
  const held = mapping.users.find((user) => user.crmUserId === actingId)?.roles ?? [];
  await store.replaceUserRoles(
    tenantId,
    [
      ...mapping.users.filter((user) => user.crmUserId !== actingId),
      { crmUserId: actingId, roles: [...new Set([...held, 'chief_abm_officer' as const])] },
    ],
    { at: now, by: `install:${hubspotUserId}` },
  );
  return true;
}

/** Purges the tenants disabled longer than the retention period; returns their ids. */
export async function purgeUninstalled(store: Store, now: Instant): Promise<readonly string[]> {
  const expired = (await store.listConnections()).filter(
    (info) => info.disabledAt !== null && info.disabledAt <= now - UNINSTALLED_RETENTION_MS,
  );
  const purged: string[] = [];
  for (const info of expired) {
    if ((await store.purgeTenant(info.tenantId)) === 'purged') purged.push(info.tenantId);
  }
  return purged;
}
