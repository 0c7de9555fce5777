import { randomBytes, randomUUID } from 'node:crypto';

import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';
import { z } from 'zod';

import type { TokenKind } from './rateLimits.ts';
import type { HubSpotFailure } from './wire.ts';
import { correlationId, failure, formatInstant } from './wire.ts';

// Who may call the emulator: private-app static tokens (one portal each, never expire) and OAuth access
// tokens obtained through the authorization-code and refresh-token grants of /oauth/v1/token. Access
// tokens expire after a settable lifetime; refresh tokens do not rotate, as HubSpot's do not.

export const OAuthAppSchema = z.strictObject({
  appId: z.int().positive(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Allowed redirect URIs; any URI is accepted when the list is empty. */
  redirectUris: z.array(z.string()),
  scopes: z.array(z.string()),
});
export type OAuthApp = z.infer<typeof OAuthAppSchema>;

export const DEFAULT_OAUTH_APP: OAuthApp = {
  appId: 1_160_452,
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  redirectUris: [],
  scopes: [
    'oauth',
    'crm.objects.companies.read',
    'crm.objects.companies.write',
    'crm.objects.contacts.read',
    'crm.objects.contacts.write',
    'crm.objects.deals.read',
    'crm.objects.owners.read',
    'crm.schemas.companies.read',
    'crm.schemas.companies.write',
  ],
};

/** HubSpot access tokens live 30 minutes. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_S = 1800;
/** Authorization codes are short-lived and single-use. */
const CODE_LIFETIME_MS = 10 * 60_000;

interface AccessTokenGrant {
  readonly portalId: number;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
  readonly refreshToken: string;
}

interface RefreshTokenGrant {
  readonly portalId: number;
  readonly scopes: readonly string[];
}

interface AuthorizationCode {
  readonly portalId: number;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

export interface AuthState {
  app: OAuthApp;
  accessTokenLifetimeS: number;
  readonly privateTokens: Map<string, number>;
  readonly accessTokens: Map<string, AccessTokenGrant>;
  readonly refreshTokens: Map<string, RefreshTokenGrant>;
  readonly codes: Map<string, AuthorizationCode>;
}

export const createAuthState = (app: OAuthApp, accessTokenLifetimeS: number): AuthState => ({
  app,
  accessTokenLifetimeS,
  privateTokens: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map(),
  codes: new Map(),
});

/** A stable private-app token per portal, shaped like HubSpot's `pat-<region>-<uuid>`. */
export const defaultPrivateAppToken = (portalId: number): string =>
  `pat-na1-00000000-0000-4000-8000-${String(portalId).padStart(12, '0').slice(-12)}`;

export interface Caller {
  readonly portalId: number;
  readonly kind: TokenKind;
}

export const CREDENTIALS_NOT_FOUND =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** HubSpot states how long ago the token expired in the largest whole unit. */
const expiredAgo = (elapsedMs: number): string => {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  if (seconds < 60) return `${seconds} second(s)`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} minute(s)`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} hour(s)`;
  return `${Math.floor(seconds / 86_400)} day(s)`;
};

export const authenticate = (
  state: AuthState,
  authorization: string | undefined,
  now: number,
): Result<Caller, HubSpotFailure> => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined)
    return err(failure(401, CREDENTIALS_NOT_FOUND, { category: 'INVALID_AUTHENTICATION' }));
  const privatePortal = state.privateTokens.get(token);
  if (privatePortal !== undefined) return ok({ portalId: privatePortal, kind: 'private_app' });
  const grant = state.accessTokens.get(token);
  if (!grant) return err(failure(401, CREDENTIALS_NOT_FOUND, { category: 'INVALID_AUTHENTICATION' }));
  if (grant.expiresAt <= now) {
    return err(
      failure(
        401,
        `The OAuth token used to make this call expired ${expiredAgo(now - grant.expiresAt)} ago.`,
        {
          category: 'EXPIRED_AUTHENTICATION',
          context: { 'expire time': [formatInstant(grant.expiresAt)] },
        },
      ),
    );
  }
  return ok({ portalId: grant.portalId, kind: 'oauth' });
};

export const issueAuthorizationCode = (
  state: AuthState,
  portalId: number,
  redirectUri: string,
  scopes: readonly string[],
  now: number,
): string => {
  const code = randomUUID();
  state.codes.set(code, { portalId, redirectUri, scopes, expiresAt: now + CODE_LIFETIME_MS });
  return code;
};

/** HubSpot's token-endpoint errors: RFC 6749 `error` fields plus its own `status` / `message`. */
const oauthFailure = (status: string, error: string, message: string, httpStatus = 400): HubSpotFailure => ({
  status: httpStatus,
  body: { error, error_description: message, status, message, correlationId: correlationId() },
});

export interface PortalIdentity {
  readonly hubDomain: string;
  readonly userId: number;
  readonly userEmail: string;
}

const newAccessToken = (): string => `CO${randomBytes(48).toString('base64url')}`;

const grantTokens = (
  state: AuthState,
  portalId: number,
  scopes: readonly string[],
  refreshToken: string,
  identity: PortalIdentity,
  now: number,
) => {
  const accessToken = newAccessToken();
  state.accessTokens.set(accessToken, {
    portalId,
    scopes,
    refreshToken,
    expiresAt: now + state.accessTokenLifetimeS * 1000,
  });
  return {
    token_type: 'bearer',
    refresh_token: refreshToken,
    access_token: accessToken,
    expires_in: state.accessTokenLifetimeS,
    hub_id: portalId,
    user_id: identity.userId,
    scopes: [...scopes],
    token_use: 'access_token',
  };
};

/** POST /oauth/v1/token: the authorization_code and refresh_token grants, form-encoded. */
export const exchangeToken = (
  state: AuthState,
  form: Readonly<Record<string, unknown>>,
  identityOf: (portalId: number) => PortalIdentity | null,
  now: number,
): Result<Record<string, unknown>, HubSpotFailure> => {
  const field = (name: string): string | undefined => {
    const value = form[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const grantType = field('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return err(oauthFailure('BAD_GRANT_TYPE', 'unsupported_grant_type', 'missing or unknown grant type'));
  }
  if (field('client_id') !== state.app.clientId) {
    return err(oauthFailure('BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id'));
  }
  if (field('client_secret') !== state.app.clientSecret) {
    return err(oauthFailure('BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret'));
  }
  if (grantType === 'refresh_token') {
    const refreshToken = field('refresh_token');
    const grant = refreshToken === undefined ? undefined : state.refreshTokens.get(refreshToken);
    const identity = grant ? identityOf(grant.portalId) : null;
    if (!grant || !refreshToken || !identity) {
      return err(
        oauthFailure('BAD_REFRESH_TOKEN', 'invalid_grant', 'refresh token is invalid, expired or revoked'),
      );
    }
    return ok(grantTokens(state, grant.portalId, grant.scopes, refreshToken, identity, now));
  }
  const code = field('code');
  const authorization = code === undefined ? undefined : state.codes.get(code);
  if (!authorization || !code || authorization.expiresAt <= now) {
    return err(oauthFailure('BAD_AUTH_CODE', 'invalid_grant', 'missing or unknown auth code'));
  }
  if (field('redirect_uri') !== authorization.redirectUri) {
    return err(
      oauthFailure('BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match the authorization'),
    );
  }
  const identity = identityOf(authorization.portalId);
  if (!identity) return err(oauthFailure('BAD_HUB', 'access_denied', 'missing or unknown hub id'));
  state.codes.delete(code);
  const refreshToken = `na1-${randomUUID()}`;
  state.refreshTokens.set(refreshToken, { portalId: authorization.portalId, scopes: authorization.scopes });
  return ok(grantTokens(state, authorization.portalId, authorization.scopes, refreshToken, identity, now));
};

/** GET /oauth/v1/access-tokens/{token}. */
export const accessTokenInfo = (
  state: AuthState,
  token: string,
  identityOf: (portalId: number) => PortalIdentity | null,
  now: number,
): Result<Record<string, unknown>, HubSpotFailure> => {
  const grant = state.accessTokens.get(token);
  const identity = grant ? identityOf(grant.portalId) : null;
  if (!grant || !identity || grant.expiresAt <= now) {
    return err(failure(404, 'The access token is invalid or has expired', { category: 'OBJECT_NOT_FOUND' }));
  }
  return ok({
    token,
    user: identity.userEmail,
    hub_domain: identity.hubDomain,
    scopes: [...grant.scopes],
    hub_id: grant.portalId,
    app_id: state.app.appId,
    expires_in: Math.floor((grant.expiresAt - now) / 1000),
    user_id: identity.userId,
    token_type: 'access',
    is_private_distribution: false,
  });
};

/** GET /oauth/v1/refresh-tokens/{token}. */
export const refreshTokenInfo = (
  state: AuthState,
  token: string,
  identityOf: (portalId: number) => PortalIdentity | null,
): Result<Record<string, unknown>, HubSpotFailure> => {
  const grant = state.refreshTokens.get(token);
  const identity = grant ? identityOf(grant.portalId) : null;
  if (!grant || !identity) {
    return err(
      failure(404, 'The refresh token is invalid or has been revoked', { category: 'OBJECT_NOT_FOUND' }),
    );
  }
  return ok({
    token,
    user: identity.userEmail,
    hub_domain: identity.hubDomain,
    scopes: [...grant.scopes],
    hub_id: grant.portalId,
    client_id: state.app.clientId,
    user_id: identity.userId,
    token_type: 'refresh',
  });
};
