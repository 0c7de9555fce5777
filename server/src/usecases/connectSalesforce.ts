import { createHash, createHmac, randomBytes } from 'node:crypto';

import type { Instant, Result } from '@abm-pilot/shared';
import { DEFAULT_LOCALE, err, ok } from '@abm-pilot/shared';
import { z } from 'zod';

import type { SalesforceConnectSettings, SalesforceConnection } from '../config.ts';
import { tenantOf } from '../model.ts';
import type { Store } from '../store/ports.ts';
import { STATE_LIFETIME_MS } from './installHubSpot.ts';

// A Salesforce org connects by the OAuth 2.0 web server flow with PKCE, as a connected app does: the org's
// admin is sent to Salesforce's authorize page with a random, single-use, expiring state and an S256 code
// challenge; Salesforce sends them back with a code, exchanged (with the verifier) for a refresh token that
// is stored sealed as the tenant's connection. The org key the Named Credential will carry is issued at the
// end and shown once. The verifier is never stored: it is derived from the state with the app's secret, so
// only this server can complete a flow it started.

const STATE_PREFIX = 'sf.';

export type ConnectFailureCode =
  | 'invalid_state'
  | 'expired_state'
  | 'missing_code'
  | 'connect_denied'
  | 'token_exchange_failed';

export interface ConnectFailure {
  readonly code: ConnectFailureCode;
  readonly message: string;
}

export interface ConnectDeps {
  readonly store: Store;
  readonly settings: SalesforceConnectSettings;
  readonly clock: () => Instant;
  /** Makes the running server load the new connection now (schedule the tenant, start its first sync). */
  readonly connectionsChanged: () => Promise<void>;
  readonly fetch?: typeof fetch;
}

export interface Connected {
  readonly tenantId: string;
  readonly orgId: string;
  /** The org key, shown this once: the admin puts it in the Named Credential. */
  readonly orgKey: string;
  readonly orgKeyId: string;
}

const verifierOf = (settings: SalesforceConnectSettings, state: string): string =>
  createHmac('sha256', settings.clientSecret).update(`pkce:${state}`).digest('base64url');

const loginBase = (settings: SalesforceConnectSettings) => settings.loginUrl.replace(/\/+$/, '');

/** The authorize URL to send the org's admin to; `loginHint` pre-fills who signs in. */
export async function startConnect(deps: ConnectDeps, loginHint?: string): Promise<string> {
  const state = `${STATE_PREFIX}${randomBytes(32).toString('base64url')}`;
  await deps.store.saveOAuthState(state, deps.clock() + STATE_LIFETIME_MS);
  const challenge = createHash('sha256').update(verifierOf(deps.settings, state)).digest('base64url');
  const url = new URL(`${loginBase(deps.settings)}/services/oauth2/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', deps.settings.clientId);
  url.searchParams.set('redirect_uri', deps.settings.redirectUri);
  url.searchParams.set('scope', 'api refresh_token');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (loginHint !== undefined && loginHint !== '') url.searchParams.set('login_hint', loginHint);
  return url.toString();
}

const TokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  instance_url: z.url(),
  /** `https://login.salesforce.com/id/<orgId>/<userId>`: which org and who approved. */
  id: z.string().regex(/\/id\/00D[0-9A-Za-z]{12,15}\/005[0-9A-Za-z]{12,15}$/),
});

/** The callback: checks the state, exchanges the code, stores the connection, issues the org key. */
export async function completeConnect(
  deps: ConnectDeps,
  query: { readonly code?: unknown; readonly state?: unknown; readonly error?: unknown },
): Promise<Result<Connected, ConnectFailure>> {
  const state = typeof query.state === 'string' ? query.state : '';
  const verdict = state.startsWith(STATE_PREFIX)
    ? await deps.store.consumeOAuthState(state, deps.clock())
    : 'unknown';
  if (verdict === 'unknown') {
    return err({
      code: 'invalid_state',
      message: 'This connect link was not issued here or was used already.',
    });
  }
  if (verdict === 'expired') {
    return err({ code: 'expired_state', message: 'This connect link has expired: start again.' });
  }
  if (typeof query.error === 'string') {
    return err({ code: 'connect_denied', message: 'Salesforce did not grant access to the org.' });
  }
  if (typeof query.code !== 'string' || query.code === '') {
    return err({ code: 'missing_code', message: 'Salesforce sent no authorization code.' });
  }

  const { settings } = deps;
  const answer = await (deps.fetch ?? fetch)(`${loginBase(settings)}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      redirect_uri: settings.redirectUri,
      code: query.code,
      code_verifier: verifierOf(settings, state),
    }).toString(),
  }).catch(() => null);
  const tokens = answer?.ok ? TokenSchema.safeParse(await answer.json().catch(() => null)) : null;
  if (!tokens?.success) {
    return err({
      code: 'token_exchange_failed',
      message: `Salesforce did not exchange the code (HTTP ${answer?.status ?? 'unreachable'}).`,
    });
  }

  const [orgId, userId] = tokens.data.id.split('/').slice(-2) as [string, string];
  const connection: SalesforceConnection = {
    crm: 'salesforce',
    orgId,
    name: `Salesforce org ${orgId}`,
    loginUrl: settings.loginUrl,
    auth: {
      kind: 'refresh_token',
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      refreshToken: tokens.data.refresh_token,
    },
    budgetShare: 0.5,
    language: DEFAULT_LOCALE,
  };
  const tenantId = tenantOf(connection).id;
  await deps.store.saveConnection(connection, 'upsert', deps.clock());
  // A reconnect rotates the org key: the previous one keeps working a week, time to update the Named Credential.
  const key = await deps.store.issueCredential(tenantId, {
    grant: { kind: 'salesforce_api_key' },
    now: deps.clock(),
    label: `connected by ${userId}`,
  });
  await deps.connectionsChanged();
  return ok({ tenantId, orgId, orgKey: key.plaintext, orgKeyId: key.id });
}
