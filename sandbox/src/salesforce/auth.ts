import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { HOUR_MS } from '@abm-pilot/shared';

// OAuth 2.0 for emulated orgs: the client-credentials flow (a connected app runs as the org's
// integration user) and the refresh-token flow. Access tokens are bound to one org and one user and
// expire; refresh tokens do not. Responses follow Salesforce's token endpoint.

export const DEFAULT_TOKEN_TTL_MS = 2 * HOUR_MS;

export interface Session {
  readonly orgId: string;
  readonly userId: string;
  readonly issuedAt: number;
  expiresAt: number;
}

export interface AuthState {
  readonly sessions: Map<string, Session>;
  /** Refresh token → the org and user it opens. */
  readonly refreshTokens: Map<string, { readonly orgId: string; readonly userId: string }>;
  ttlMs: number;
}

export const createAuthState = (ttlMs: number): AuthState => ({
  sessions: new Map(),
  refreshTokens: new Map(),
  ttlMs,
});

export interface OAuthClient {
  readonly orgId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly signature: string;
  readonly scope: string;
  readonly instance_url: string;
  readonly id: string;
  readonly token_type: 'Bearer';
  readonly issued_at: string;
  readonly refresh_token?: string;
}

export interface OAuthError {
  readonly status: number;
  readonly error: string;
  readonly error_description: string;
}

const oauthError = (error: string, description: string, status = 400): OAuthError => ({
  status,
  error,
  error_description: description,
});

export function issueAccessToken(state: AuthState, orgId: string, userId: string, nowMs: number): string {
  pruneExpired(state, nowMs);
  const token = `${orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
  state.sessions.set(token, { orgId, userId, issuedAt: nowMs, expiresAt: nowMs + state.ttlMs });
  return token;
}

export function issueRefreshToken(state: AuthState, orgId: string, userId: string, token?: string): string {
  const value = token ?? `5Aep${randomBytes(30).toString('base64url')}`;
  state.refreshTokens.set(value, { orgId, userId });
  return value;
}

/** The session behind `Authorization: Bearer <token>` (or the older `OAuth <token>`), if still valid. */
export function authenticate(state: AuthState, header: string | undefined, nowMs: number): Session | null {
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  const session = match?.[1] ? state.sessions.get(match[1]) : undefined;
  return session && session.expiresAt > nowMs ? session : null;
}

export function expireSessions(state: AuthState, orgId?: string): number {
  let count = 0;
  for (const session of state.sessions.values()) {
    if (orgId === undefined || session.orgId === orgId) {
      session.expiresAt = Number.NEGATIVE_INFINITY;
      count += 1;
    }
  }
  return count;
}

function pruneExpired(state: AuthState, nowMs: number): void {
  if (state.sessions.size < 10_000) return;
  for (const [token, session] of state.sessions) if (session.expiresAt <= nowMs) state.sessions.delete(token);
}

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const decodeComponent = (text: string): string | null => {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
};

/**
 * Client id and secret from the form body or from HTTP Basic authentication; `null` when the Basic
 * credentials are not valid URL-encoding (RFC 6749 §2.3.1), which no client can be matched with.
 */
function clientCredentials(form: Readonly<Record<string, string>>, authorization: string | undefined) {
  const basic = authorization ? /^Basic\s+(\S+)$/i.exec(authorization) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const clientId = decodeComponent(decoded.slice(0, colon));
      const clientSecret = decodeComponent(decoded.slice(colon + 1));
      return clientId === null || clientSecret === null ? null : { clientId, clientSecret };
    }
  }
  return { clientId: form['client_id'], clientSecret: form['client_secret'] };
}

/**
 * `POST /services/oauth2/token`. The signature is Salesforce's: base64 HMAC-SHA256 of `id + issued_at`
 * keyed with the client secret, so a client can check the response came from its org.
 */
export function handleTokenRequest(
  state: AuthState,
  clients: readonly OAuthClient[],
  form: Readonly<Record<string, string>>,
  authorization: string | undefined,
  baseUrl: string,
  nowMs: number,
): { ok: true; body: TokenResponse } | { ok: false; error: OAuthError } {
  const grantType = form['grant_type'];
  if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
    return { ok: false, error: oauthError('unsupported_grant_type', 'grant type not supported') };
  }
  const credentials = clientCredentials(form, authorization);
  if (!credentials) return { ok: false, error: oauthError('invalid_client', 'invalid client credentials') };
  const { clientId, clientSecret } = credentials;
  const client = clients.find((candidate) => candidate.clientId === clientId);
  if (!client) return { ok: false, error: oauthError('invalid_client_id', 'client identifier invalid') };
  let orgId = client.orgId;
  let userId = client.userId;
  if (grantType === 'client_credentials') {
    if (clientSecret === undefined || !sameSecret(clientSecret, client.clientSecret)) {
      return { ok: false, error: oauthError('invalid_client', 'invalid client credentials') };
    }
  } else {
    if (clientSecret !== undefined && !sameSecret(clientSecret, client.clientSecret)) {
      return { ok: false, error: oauthError('invalid_client', 'invalid client credentials') };
    }
    const grant = state.refreshTokens.get(form['refresh_token'] ?? '');
    if (!grant || grant.orgId !== client.orgId) {
      return { ok: false, error: oauthError('invalid_grant', 'expired access/refresh token') };
    }
    orgId = grant.orgId;
    userId = grant.userId;
  }
  const accessToken = issueAccessToken(state, orgId, userId, nowMs);
  const id = `${baseUrl}/id/${orgId}/${userId}`;
  const issuedAt = String(nowMs);
  const signature = createHmac('sha256', client.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return {
    ok: true,
    body: {
      access_token: accessToken,
      signature,
      scope: 'api',
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    },
  };
}
