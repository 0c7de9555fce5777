import type { Instant } from '@abm-pilot/shared';

import { ConnectorFailure } from '../ports.ts';
import type { HubSpotRetryPolicy } from '../retry.ts';
import { withRetries } from '../retry.ts';
import { TokenResponseSchema } from './wire.ts';

// Where the bearer token of a portal comes from: a private app's static token, or an OAuth access token
// obtained with the refresh-token grant, refreshed shortly before it expires and once more when HubSpot
// answers 401 (revoked or expired early). Tokens never leave this module except in the Authorization
// header; errors name the portal, never a token.

export type HubSpotAuth =
  | { readonly kind: 'private_app'; readonly token: string }
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
    };

export interface TokenSource {
  /** A token to send now (refreshing first when the current one is about to expire). */
  current(): Promise<string>;
  /** Forces a new access token; false when the credential cannot be refreshed (private app). */
  renew(): Promise<boolean>;
  /** Every secret this source holds, for scrubbing messages. */
  secrets(): readonly string[];
}

export interface OAuthTokenSourceOptions {
  readonly baseUrl: string;
  readonly portalId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly clock: () => Instant;
  readonly fetch: typeof fetch;
  readonly refreshBeforeExpiryMs: number;
  /** The token call is retried on network errors and 5xx like any other request. */
  readonly retry: HubSpotRetryPolicy;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Told when HubSpot refuses the refresh token itself (400 invalid_grant, 401): the app was uninstalled
   * or its access revoked, and no retry will bring it back.
   */
  readonly onRevoked?: () => void;
}

export const privateAppTokenSource = (token: string): TokenSource => ({
  current: () => Promise.resolve(token),
  renew: () => Promise.resolve(false),
  secrets: () => [token],
});

const authFailed = (message: string): ConnectorFailure =>
  new ConnectorFailure({ code: 'auth_failed', message });

interface TokenAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

export const oauthTokenSource = (options: OAuthTokenSourceOptions): TokenSource => {
  let refreshToken = options.refreshToken;
  let accessToken: string | null = null;
  let expiresAt = 0;
  let refreshing: Promise<void> | null = null;
  const issued: string[] = [];

  const unreachable = (): ConnectorFailure =>
    new ConnectorFailure({
      code: 'crm_unavailable',
      message: `HubSpot's token endpoint could not be reached for portal ${options.portalId}`,
    });
  const refused = (status: number): ConnectorFailure =>
    authFailed(
      `HubSpot refused to refresh the OAuth token of portal ${options.portalId} (HTTP ${status}); the app must be reinstalled`,
    );

  const requestToken = async (): Promise<void> => {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      refresh_token: refreshToken,
    });
    const answer = await withRetries<TokenAnswer>(
      { policy: options.retry, clock: options.clock, sleep: options.sleep, random: options.random },
      async () => {
        let response: Response;
        try {
          response = await options.fetch(`${options.baseUrl}/oauth/v1/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: form.toString(),
            signal: AbortSignal.timeout(options.retry.requestTimeoutMs),
          });
        } catch {
          return { kind: 'retry', giveUp: unreachable };
        }
        const answer = { status: response.status, ok: response.ok, text: await response.text() };
        if (answer.status >= 500) return { kind: 'retry', giveUp: () => refused(answer.status) };
        return { kind: 'done', value: answer };
      },
    );
    if (!answer.ok) {
      if (answer.status === 400 || answer.status === 401) options.onRevoked?.();
      throw refused(answer.status);
    }
    const parsed = TokenResponseSchema.safeParse(safeJson(answer.text));
    if (!parsed.success) {
      throw authFailed(
        `HubSpot's token endpoint answered portal ${options.portalId} with an unexpected body`,
      );
    }
    const { hub_id: hubId } = parsed.data;
    // A refresh token of another portal would silently sync the wrong tenant.
    if (hubId !== undefined && hubId !== options.portalId) {
      throw authFailed(`The OAuth credentials belong to portal ${hubId}, not to portal ${options.portalId}`);
    }
    accessToken = parsed.data.access_token;
    issued.push(accessToken);
    if (parsed.data.refresh_token !== undefined) refreshToken = parsed.data.refresh_token;
    expiresAt = options.clock() + parsed.data.expires_in * 1000;
  };

  const renew = (): Promise<void> => {
    // Concurrent callers share one refresh instead of racing the token endpoint.
    refreshing ??= requestToken().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    current: async () => {
      if (accessToken === null || expiresAt - options.clock() <= options.refreshBeforeExpiryMs) await renew();
      if (accessToken === null) throw authFailed(`No OAuth access token for portal ${options.portalId}`);
      return accessToken;
    },
    renew: async () => {
      await renew();
      return true;
    },
    secrets: () => [options.clientSecret, refreshToken, options.refreshToken, ...issued.slice(-4)],
  };
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/** Replaces every secret in a message, so that no error or log line can carry a credential. */
export const redact = (message: string, secrets: readonly string[]): string =>
  secrets.reduce(
    (text, secret) => (secret.length >= 6 ? text.split(secret).join('[redacted]') : text),
    message,
  );
