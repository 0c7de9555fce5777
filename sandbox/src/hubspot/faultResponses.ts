import type { Request } from 'express';

import type { FaultResponder } from '../faults.ts';
import type { AuthState } from './auth.ts';
import { CREDENTIALS_NOT_FOUND, authenticate } from './auth.ts';
import type { Portal } from './portal.ts';
import type { TokenKind } from './rateLimits.ts';
import { DEFAULT_RATE_LIMITS, createRateUsage, injectedRateLimit } from './rateLimits.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure, resourceNotFound } from './wire.ts';

// What an injected status fault answers on the HubSpot emulator when its rule names no body: the body
// and headers HubSpot itself sends with that status, so a client handles it as it would a real one.

const SERVER_MESSAGES: Readonly<Record<number, string>> = {
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The portal limits behind the caller's token, or the defaults when the token opens none. */
interface RateContext {
  readonly portal: Portal | null;
  readonly kind: TokenKind;
}

/** HubSpot's answer for `status`; `search` tells a CRM search call, whose 429 is the per-second one. */
export const hubSpotStatusFailure = (
  status: number,
  context: RateContext,
  search: boolean,
): HubSpotFailure => {
  if (status === 429) {
    const limits = context.portal?.limits ?? DEFAULT_RATE_LIMITS;
    const usage = context.portal?.usage ?? createRateUsage();
    return injectedRateLimit(limits, usage, context.kind, search);
  }
  if (status >= 500) return failure(status, SERVER_MESSAGES[status] ?? 'internal error');
  switch (status) {
    case 400:
      return failure(400, 'There was a problem with the request.', { category: 'VALIDATION_ERROR' });
    case 401:
      return failure(401, CREDENTIALS_NOT_FOUND, { category: 'INVALID_AUTHENTICATION' });
    case 403:
      return failure(403, "This app hasn't been granted all required scopes to make this call.", {
        category: 'MISSING_SCOPES',
      });
    case 404:
      return resourceNotFound();
    case 409:
      return failure(409, 'Conflict', { category: 'CONFLICT' });
    case 413:
      return failure(413, 'Request entity too large');
    default:
      return failure(status, 'There was a problem with the request.');
  }
};

export const hubSpotFaultResponder =
  (env: {
    readonly auth: AuthState;
    readonly portals: ReadonlyMap<number, Portal>;
    readonly now: () => number;
  }): FaultResponder =>
  (status: number, req: Request) => {
    const caller = authenticate(env.auth, req.get('authorization'), env.now());
    const context: RateContext = caller.ok
      ? { portal: env.portals.get(caller.value.portalId) ?? null, kind: caller.value.kind }
      : { portal: null, kind: 'oauth' };
    const search = req.method === 'POST' && /\/search\/?$/.test(req.path);
    const outcome = hubSpotStatusFailure(status, context, search);
    const body = outcome.body as { correlationId?: unknown };
    return {
      body: outcome.body,
      headers: {
        ...outcome.headers,
        ...(typeof body.correlationId === 'string' ? { 'x-hubspot-correlation-id': body.correlationId } : {}),
      },
    };
  };
