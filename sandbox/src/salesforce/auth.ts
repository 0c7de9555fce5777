import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { HOUR_MS } from '@abm-pilot/shared';

// OAuth 2.0 for emulated orgs: the client-credentials flow (a connected app runs as the org's
// integration user), the refresh-token flow, and the web server flow with PKCE (an admin approves the
// connected app in the browser; the code, bound to its redirect URI and code challenge, is used once). Access tokens are bound to one org and one user and
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
  /** Authorization code → what the user approved, until it is exchanged (once) or expires. */
  readonly codes: Map<string, AuthorizationGrant>;
  ttlMs: number;
}

export interface AuthorizationGrant {
  readonly orgId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** The S256 code challenge, when the client sent one. */
  readonly codeChallenge: string | null;
  readonly expiresAt: number;
}

/** Salesforce's authorization codes live 15 minutes. */
export const AUTHORIZATION_CODE_TTL_MS = 15 * 60_000;

export const createAuthState = (ttlMs: number): AuthState => ({
  sessions: new Map(),
  refreshTokens: new Map(),
  codes: new Map(),
  ttlMs,
});

/**
 * `GET /services/oauth2/authorize` once the user signed in and approved: a code for `redirect_uri`. Checks
 * what Salesforce checks before it shows the approval page: a known client, a redirect URI, and for PKCE
 * the S256 method.
 */
export function authorize(
  state: AuthState,
  clients: readonly OAuthClient[],
  query: Readonly<Record<string, string | undefined>>,
  userIdOf: (orgId: string, loginHint: string | undefined) => string | null,
  nowMs: number,
): { ok: true; redirect: string } | { ok: false; error: OAuthError } {
  if (query['response_type'] !== 'code') {
    return { ok: false, error: oauthError('unsupported_response_type', 'response type not supported') };
  }
  const client = clients.find((candidate) => candidate.clientId === query['client_id']);
  if (!client) return { ok: false, error: oauthError('invalid_client_id', 'client identifier invalid') };
  const redirectUri = query['redirect_uri'];
  if (redirectUri === undefined || !URL.canParse(redirectUri)) {
    return { ok: false, error: oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration') };
  }
  const challenge = query['code_challenge'] ?? null;
  if (challenge !== null && (query['code_challenge_method'] ?? 'S256') !== 'S256') {
    return { ok: false, error: oauthError('invalid_request', 'code_challenge_method must be S256') };
  }
  const userId = userIdOf(client.orgId, query['login_hint']);
  if (userId === null)
    return { ok: false, error: oauthError('access_denied', 'end-user denied authorization') };
  const code = `aPr${randomBytes(24).toString('base64url')}`;
  state.codes.set(code, {
    orgId: client.orgId,
    userId,
    clientId: client.clientId,
    redirectUri,
    codeChallenge: challenge,
    expiresAt: nowMs + AUTHORIZATION_CODE_TTL_MS,
  });
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  if (query['state'] !== undefined) target.searchParams.set('state', query['state']);
  return { ok: true, redirect: target.toString() };
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

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
  if (
    grantType !== 'client_credentials' &&
    grantType !== 'refresh_token' &&
    grantType !== 'authorization_code'
  ) {
    return { ok: false, error: oauthError('unsupported_grant_type', 'grant type not supported') };
  }
  const credentials = clientCredentials(form, authorization);
  if (!credentials) return { ok: false, error: oauthError('invalid_client', 'invalid client credentials') };
  const { clientId, clientSecret } = credentials;
  const client = clients.find((candidate) => candidate.clientId === clientId);
  if (!client) return { ok: false, error: oauthError('invalid_client_id', 'client identifier invalid') };
  let orgId = client.orgId;
  let userId = client.userId;
  let refreshToken: string | undefined;
  if (grantType === 'authorization_code') {
    const code = form['code'] ?? '';
    const grant = state.codes.get(code);
    // A code is good once, whatever happens next.
    state.codes.delete(code);
    if (clientSecret !== undefined && !sameSecret(clientSecret, client.clientSecret)) {
      return { ok: false, error: oauthError('invalid_client', 'invalid client credentials') };
    }
    if (!grant || grant.clientId !== client.clientId || grant.expiresAt <= nowMs) {
      return { ok: false, error: oauthError('invalid_grant', 'invalid authorization code') };
    }
    if (form['redirect_uri'] !== grant.redirectUri) {
      return { ok: false, error: oauthError('invalid_grant', 'redirect_uri must match configuration') };
    }
    const verifier = form['code_verifier'];
    if (
      grant.codeChallenge !== null
        ? verifier === undefined || s256(verifier) !== grant.codeChallenge
        : clientSecret === undefined
    ) {
      return { ok: false, error: oauthError('invalid_grant', 'invalid code verifier') };
    }
    orgId = grant.orgId;
    userId = grant.userId;
    refreshToken = issueRefreshToken(state, orgId, userId);
  } else if (grantType === 'client_credentials') {
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
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    },
  };
}
