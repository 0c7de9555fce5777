import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import express from 'express';

import { FaultInjector } from '../faults.ts';
import type { SeedDataset } from '../seed/types.ts';
import { adminRoutes } from './adminRoutes.ts';
import { associationRoutes } from './associationRoutes.ts';
import type { AuthState, OAuthApp, PortalIdentity } from './auth.ts';
import {
  DEFAULT_ACCESS_TOKEN_LIFETIME_S,
  DEFAULT_OAUTH_APP,
  authenticate,
  createAuthState,
  defaultPrivateAppToken,
  issueAuthorizationCode,
} from './auth.ts';
import { hubSpotFaultResponder } from './faultResponses.ts';
import { sendFailure } from './http.ts';
import { oauthRoutes } from './oauthRoutes.ts';
import { objectRoutes } from './objectRoutes.ts';
import { ownerRoutes } from './ownerRoutes.ts';
import type { Portal } from './portal.ts';
import { createPortal } from './portal.ts';
import { propertyRoutes } from './propertyRoutes.ts';
import type { RateLimits } from './rateLimits.ts';
import {
  DEFAULT_RATE_LIMITS,
  RateLimitsSchema,
  admitCall,
  admitSearch,
  createRateUsage,
} from './rateLimits.ts';
import type { SearchLimits } from './search.ts';
import { SEARCH_LIMITS } from './search.ts';
import type { SeedLoadOptions, SeedLoadReport } from './seedLoader.ts';
import { loadSeed } from './seedLoader.ts';
import { editInHubSpotUi } from './uiEdits.ts';
import type { WebhookConfigInput, WebhookDelivery, WebhookFlushReport } from './webhooks.ts';
import { createWebhookState, flushPortalWebhooks } from './webhooks.ts';
import { failure, invalidInputJson } from './wire.ts';

// The HubSpot emulator: an Express 5 application (it never listens by itself) serving the CRM v3 / v4,
// Properties, Owners and OAuth endpoints ABM Pilot uses, per portal, with HubSpot's limits, errors and
// webhooks; plus admin routes under /__sandbox. `startHubSpotEmulator` puts it on a port.

export interface PortalConfig {
  readonly portalId: number;
  readonly hubDomain?: string;
  /** The private-app token that opens this portal; `null` for none. Default: `defaultPrivateAppToken`. */
  readonly privateAppToken?: string | null;
  readonly limits?: Partial<RateLimits>;
  readonly webhooks?: WebhookConfigInput;
}

export interface HubSpotEmulatorOptions {
  /** Default: one portal, DEFAULT_PORTAL_ID. */
  readonly portals?: readonly PortalConfig[];
  readonly oauthApp?: Partial<OAuthApp>;
  readonly accessTokenLifetimeS?: number;
  /** The emulator's clock (epoch ms): token expiry, rate windows, timestamps. */
  readonly now?: () => number;
  /** Shared fault injector; one seeded with `faultSeed` is made when none is given. */
  readonly faults?: FaultInjector;
  readonly faultSeed?: number;
  /** Transport for webhook deliveries. */
  readonly webhookFetch?: typeof fetch;
  readonly searchLimits?: Partial<SearchLimits>;
  /** Deliveries kept for GET /__sandbox/webhooks/deliveries. */
  readonly maxDeliveryLog?: number;
  /** Told of unexpected errors, which the client sees as a 500. */
  readonly onInternalError?: (error: unknown) => void;
}

export const DEFAULT_PORTAL_ID = 1_234_567;

export interface EmulatorState {
  readonly portals: Map<number, Portal>;
  readonly auth: AuthState;
  readonly deliveries: WebhookDelivery[];
}

export interface HubSpotEmulator {
  readonly app: Express;
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  readonly now: () => number;
  addPortal(config: PortalConfig): Portal;
  /** The portal, or an exception: asking for a portal that was never added is a programming error. */
  portal(portalId: number): Portal;
  privateAppToken(portalId: number): string | undefined;
  loadSeed(portalId: number, dataset: SeedDataset, options?: SeedLoadOptions): SeedLoadReport;
  setLimits(portalId: number, limits: Partial<RateLimits>): RateLimits;
  configureWebhooks(portalId: number, config: WebhookConfigInput | null): void;
  issueAuthorizationCode(portalId: number, redirectUri: string, scopes?: readonly string[]): string;
  /**
   * An edit made "in HubSpot" (change source CRM_UI), as `PATCH /__sandbox/portals/:portalId/objects/
   * :objectType/:objectId` makes it: by `options.userId` (an owner's `userId`) when given, whom the
   * property history then names as `updatedByUserId`. Returns the record after the edit; throws when the
   * edit is refused (unknown record, invalid value, a user who is none of the portal's owners).
   */
  editInHubSpot(
    portalId: number,
    objectType: string,
    objectId: number | string,
    properties: Readonly<Record<string, string | null>>,
    options?: { readonly userId?: number },
  ): Record<string, unknown>;
  /** Delivers every webhook batch that is due now; failed ones are rescheduled, never awaited on a timer. */
  flushWebhooks(): Promise<WebhookFlushReport>;
  /**
   * Back to the configured portals with no data, tokens or deliveries; the fault rules are cleared too
   * unless the injector was passed in (it may serve the Salesforce emulator as well).
   */
  reset(): void;
}

/** Portals never share ids, so a record id of one portal names nothing in another. */
const PORTAL_ID_SPAN = 1_000_000_000;

const jsonParseFailure: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const typed = error as { type?: string; message?: string; status?: number };
  if (typed.type === 'entity.parse.failed') {
    const position = /position (\d+)/.exec(typed.message ?? '')?.[1];
    return sendFailure(
      res,
      invalidInputJson(
        position === undefined ? 1 : Number(position) + 1,
        `Unexpected character: ${typed.message ?? 'malformed JSON'}`,
      ),
    );
  }
  if (typed.type === 'entity.too.large') return sendFailure(res, failure(413, 'Request entity too large'));
  return next(error);
};

/** An emulator bug answers 500 like HubSpot's own failures; the error goes to `onInternalError`. */
const internalError =
  (report: (error: unknown) => void): ErrorRequestHandler =>
  (error: unknown, _req, res, _next) => {
    report(error);
    sendFailure(res, failure(500, 'internal error'));
  };

export function createHubSpotEmulator(options: HubSpotEmulatorOptions = {}): HubSpotEmulator {
  const now = options.now ?? Date.now;
  const faults = options.faults ?? new FaultInjector(options.faultSeed ?? 1);
  const searchLimits: SearchLimits = { ...SEARCH_LIMITS, ...options.searchLimits };
  const webhookFetch = options.webhookFetch ?? fetch;
  const maxDeliveryLog = options.maxDeliveryLog ?? 10_000;
  const app: OAuthApp = { ...DEFAULT_OAUTH_APP, ...options.oauthApp };
  const initialPortals = options.portals ?? [{ portalId: DEFAULT_PORTAL_ID }];
  const state: EmulatorState = {
    portals: new Map(),
    auth: createAuthState(app, options.accessTokenLifetimeS ?? DEFAULT_ACCESS_TOKEN_LIFETIME_S),
    deliveries: [],
  };
  const configs: PortalConfig[] = [];
  let nextDeliveryId = 1;
  let flushing: Promise<unknown> = Promise.resolve();

  const portal = (portalId: number): Portal => {
    const found = state.portals.get(portalId);
    if (!found) throw new Error(`no portal ${portalId} in this emulator`);
    return found;
  };

  const addPortal = (config: PortalConfig): Portal => {
    if (state.portals.has(config.portalId)) throw new Error(`portal ${config.portalId} already exists`);
    const index = configs.findIndex((known) => known.portalId === config.portalId);
    const slot = index >= 0 ? index : configs.push(config) - 1;
    const limits = RateLimitsSchema.parse({ ...DEFAULT_RATE_LIMITS, ...config.limits });
    const created = createPortal(
      config.portalId,
      config.hubDomain ?? `portal-${config.portalId}.sandbox.hubspot.test`,
      (slot + 1) * PORTAL_ID_SPAN + 1,
      limits,
      config.webhooks ? createWebhookState(config.webhooks, config.portalId) : null,
    );
    state.portals.set(config.portalId, created);
    const token =
      config.privateAppToken === undefined ? defaultPrivateAppToken(config.portalId) : config.privateAppToken;
    if (token !== null) state.auth.privateTokens.set(token, config.portalId);
    return created;
  };

  const identityOf = (portalId: number): PortalIdentity | null => {
    const found = state.portals.get(portalId);
    if (!found) return null;
    const owner = found.data.owners[0];
    return {
      hubDomain: found.hubDomain,
      userId: owner?.userId ?? 1_000 + portalId,
      userEmail: owner?.email ?? `admin@${found.hubDomain}`,
    };
  };

  const flushWebhooks = (): Promise<WebhookFlushReport> => {
    const run = flushing.then(async () => {
      const totals = { delivered: 0, failed: 0, duplicates: 0, pending: 0 };
      for (const target of state.portals.values()) {
        if (!target.webhooks) continue;
        const report = await flushPortalWebhooks(target.webhooks, {
          portalId: target.portalId,
          now: now(),
          fetch: webhookFetch,
          nextDeliveryId: () => nextDeliveryId++,
          log: (delivery) => {
            state.deliveries.push(delivery);
            if (state.deliveries.length > maxDeliveryLog)
              state.deliveries.splice(0, state.deliveries.length - maxDeliveryLog);
          },
        });
        totals.delivered += report.delivered;
        totals.failed += report.failed;
        totals.duplicates += report.duplicates;
        totals.pending += report.pending;
      }
      return totals;
    });
    flushing = run.catch(() => undefined);
    return run;
  };

  const emulator: HubSpotEmulator = {
    app: express(),
    state,
    faults,
    now,
    addPortal,
    portal,
    privateAppToken: (portalId) =>
      [...state.auth.privateTokens.entries()].find(([, owner]) => owner === portalId)?.[0],
    loadSeed: (portalId, dataset, loadOptions = {}) => loadSeed(portal(portalId), dataset, loadOptions),
    setLimits: (portalId, limits) => {
      const target = portal(portalId);
      target.limits = RateLimitsSchema.parse({ ...target.limits, ...limits });
      target.usage = createRateUsage();
      return target.limits;
    },
    configureWebhooks: (portalId, config) => {
      const target = portal(portalId);
      target.webhooks = config === null ? null : createWebhookState(config, portalId);
    },
    issueAuthorizationCode: (portalId, redirectUri, scopes = state.auth.app.scopes) => {
      portal(portalId);
      return issueAuthorizationCode(state.auth, portalId, redirectUri, scopes, now());
    },
    editInHubSpot: (portalId, objectType, objectId, properties, editOptions = {}) => {
      const outcome = editInHubSpotUi(portal(portalId), now(), objectType, String(objectId), {
        properties,
        ...(editOptions.userId === undefined ? {} : { userId: editOptions.userId }),
      });
      if (outcome.status !== 200) {
        const message = (outcome.body as { message?: unknown }).message;
        throw new Error(`the edit was refused with ${outcome.status}: ${String(message)}`);
      }
      return outcome.body as Record<string, unknown>;
    },
    flushWebhooks,
    reset: () => {
      state.portals.clear();
      state.auth.privateTokens.clear();
      state.auth.accessTokens.clear();
      state.auth.refreshTokens.clear();
      state.auth.codes.clear();
      state.deliveries.splice(0);
      if (!options.faults) faults.clear();
      for (const config of [...configs]) addPortal(config);
    },
  };
  for (const config of initialPortals) addPortal(config);

  const authenticateCrm: RequestHandler = (req, res, next) => {
    const at = now();
    const caller = authenticate(state.auth, req.get('authorization'), at);
    if (!caller.ok) return sendFailure(res, caller.error);
    const target = state.portals.get(caller.value.portalId);
    if (!target)
      return sendFailure(
        res,
        failure(401, 'The portal of this token no longer exists', { category: 'INVALID_AUTHENTICATION' }),
      );
    const search = req.method === 'POST' && /\/search\/?$/.test(req.path);
    const admission = (search ? admitSearch : admitCall)(target.limits, target.usage, at, caller.value.kind);
    if (!admission.ok) return sendFailure(res, admission.failure);
    res.set(admission.headers);
    res.locals.portal = target;
    res.locals.caller = caller.value;
    next();
  };

  const server = emulator.app;
  server.disable('x-powered-by');
  // ETags would hash every 100-record page for nothing: clients never send If-None-Match here.
  server.set('etag', false);
  server.use(express.json({ limit: '50mb' }));
  server.use(express.urlencoded({ extended: false, limit: '1mb' }));
  server.use(adminRoutes(emulator));
  server.use(faults.middleware(hubSpotFaultResponder({ auth: state.auth, portals: state.portals, now })));
  server.use(
    oauthRoutes({
      auth: state.auth,
      now,
      identityOf,
      defaultPortalId: () => state.portals.keys().next().value ?? null,
    }),
  );
  server.use('/crm', authenticateCrm);
  server.use(objectRoutes({ now, faults, searchLimits }));
  server.use(propertyRoutes(now));
  server.use(ownerRoutes());
  server.use(associationRoutes(now, faults));
  server.use((_req, res) => sendFailure(res, failure(404, 'resource not found')));
  server.use(jsonParseFailure);
  server.use(internalError(options.onInternalError ?? (() => undefined)));
  return emulator;
}

export interface StartHubSpotEmulatorOptions extends HubSpotEmulatorOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, webhooks are flushed on this interval (for the demo); tests call `flushWebhooks`. */
  readonly webhookIntervalMs?: number;
  /** An emulator built beforehand, e.g. to load a seed before listening. */
  readonly emulator?: HubSpotEmulator;
}

export interface RunningHubSpotEmulator {
  readonly url: string;
  readonly emulator: HubSpotEmulator;
  close(): Promise<void>;
}

export async function startHubSpotEmulator(
  options: StartHubSpotEmulatorOptions = {},
): Promise<RunningHubSpotEmulator> {
  const emulator = options.emulator ?? createHubSpotEmulator(options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const listening = emulator.app.listen(options.port ?? 0, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const timer =
    options.webhookIntervalMs === undefined
      ? null
      : setInterval(() => void emulator.flushWebhooks().catch(() => undefined), options.webhookIntervalMs);
  timer?.unref();
  return {
    url: `http://${host}:${port}`,
    emulator,
    close: async () => {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
