import { Router } from 'express';

import type { AuthState, PortalIdentity } from './auth.ts';
import { accessTokenInfo, exchangeToken, issueAuthorizationCode, refreshTokenInfo } from './auth.ts';
import { sendFailure, stringParam } from './http.ts';
import { failure } from './wire.ts';

// OAuth endpoints: token exchange (v1 and v3 paths take the same form), token metadata, refresh-token
// revocation, and an install page stand-in that grants at once, since there is no user to ask.

export interface OAuthRouteEnv {
  readonly auth: AuthState;
  readonly now: () => number;
  readonly identityOf: (portalId: number) => PortalIdentity | null;
  /** The portal an install lands in when the authorize URL names none. */
  readonly defaultPortalId: () => number | null;
}

export const oauthRoutes = (env: OAuthRouteEnv): Router => {
  const router = Router();

  const token = (req: { body: unknown }, res: Parameters<typeof sendFailure>[0]) => {
    const form =
      typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    const outcome = exchangeToken(env.auth, form, env.identityOf, env.now());
    if (!outcome.ok) return sendFailure(res, outcome.error);
    res.json(outcome.value);
  };
  router.post('/oauth/v1/token', token);
  router.post('/oauth/v3/token', token);

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const outcome = accessTokenInfo(env.auth, req.params.token, env.identityOf, env.now());
    if (!outcome.ok) return sendFailure(res, outcome.error);
    res.json(outcome.value);
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const outcome = refreshTokenInfo(env.auth, req.params.token, env.identityOf);
    if (!outcome.ok) return sendFailure(res, outcome.error);
    res.json(outcome.value);
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    // Revoking a refresh token leaves the access tokens already issued valid, as HubSpot does.
    env.auth.refreshTokens.delete(req.params.token);
    res.status(204).end();
  });

  router.get('/oauth/authorize', (req, res) => {
    const clientId = stringParam(req.query.client_id);
    const redirectUri = stringParam(req.query.redirect_uri);
    if (clientId !== env.auth.app.clientId || redirectUri === undefined) {
      return sendFailure(
        res,
        failure(400, 'Invalid client_id or missing redirect_uri', { category: 'VALIDATION_ERROR' }),
      );
    }
    if (!URL.canParse(redirectUri)) {
      return sendFailure(
        res,
        failure(400, `redirect_uri ${redirectUri} is not a valid URL`, { category: 'VALIDATION_ERROR' }),
      );
    }
    if (env.auth.app.redirectUris.length > 0 && !env.auth.app.redirectUris.includes(redirectUri)) {
      return sendFailure(
        res,
        failure(400, `redirect_uri ${redirectUri} is not allowed for this app`, {
          category: 'VALIDATION_ERROR',
        }),
      );
    }
    const portalText = stringParam(req.query.portalId);
    const portalId = portalText === undefined ? env.defaultPortalId() : Number(portalText);
    if (portalId === null || env.identityOf(portalId) === null) {
      return sendFailure(res, failure(400, 'Unknown portal', { category: 'VALIDATION_ERROR' }));
    }
    const scopes = (stringParam(req.query.scope) ?? env.auth.app.scopes.join(' '))
      .split(/[\s+]+/)
      .filter(Boolean);
    const code = issueAuthorizationCode(env.auth, portalId, redirectUri, scopes, env.now());
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = stringParam(req.query.state);
    if (state !== undefined) target.searchParams.set('state', state);
    res.redirect(302, target.toString());
  });

  return router;
};
