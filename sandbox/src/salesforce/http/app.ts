import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

import { authenticate, authorize, handleTokenRequest } from '../auth.ts';
import { apiError, notFound, sendApiError, sessionInvalid } from '../errors.ts';
import { salesforceFaultResponder } from '../faultResponses.ts';
import { limitInfoHeader, recordCalls, usedCalls } from '../usage.ts';
import { sessionUserId } from '../store.ts';
import { formatDatetime } from '../values.ts';
import { adminRouter } from './adminRoutes.ts';
import { registerCollectionRoutes } from './collectionRoutes.ts';
import type { SalesforceEmulatorState } from './context.ts';
import { baseUrlOf, param, sessionOf, setSession } from './context.ts';
import { registerQueryRoutes } from './queryRoutes.ts';
import { registerRecordRoutes } from './recordRoutes.ts';

// The Express app: admin controls first, then the API gate (session, daily budget, Sforce-Limit-Info),
// then the shared fault injector, then the resources. Every API error is Salesforce's JSON array.

const API_PATH = /^\/services\/data\/v(\d+\.\d)(?:\/|$)/;
const LISTED_VERSIONS = ['62.0', '63.0', '64.0', '65.0', '66.0', '67.0'];

export function buildSalesforceApp(state: SalesforceEmulatorState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__sandbox', adminRouter(state));
  app.get('/services/data', (_req, res) => {
    res.json(
      LISTED_VERSIONS.map((version) => ({
        label: `v${version}`,
        url: `/services/data/v${version}`,
        version,
      })),
    );
  });
  app.use(apiGate(state));
  app.use(state.faults.middleware(salesforceFaultResponder));
  // The web server flow's browser leg: the emulator has no login page, so the user who signs in and
  // approves is the one `login_hint` names (a User id of the org), else the org's integration user.
  app.get('/services/oauth2/authorize', (req, res) => {
    const query = Object.fromEntries(
      Object.entries(req.query).flatMap(([key, value]) =>
        typeof value === 'string' ? [[key, value] as const] : [],
      ),
    );
    const result = authorize(
      state.auth,
      oauthClients(state),
      query,
      (orgId, hint) => {
        const org = state.orgs.find((candidate) => candidate.orgId === orgId);
        if (!org) return null;
        const user = sessionUserId(org.data, hint);
        return user.ok ? user.value : null;
      },
      state.clock(),
    );
    if (!result.ok) {
      res
        .status(result.error.status)
        .json({ error: result.error.error, error_description: result.error.error_description });
      return;
    }
    res.redirect(302, result.redirect);
  });
  app.post('/services/oauth2/token', express.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).flatMap(([key, value]) =>
        typeof value === 'string' ? [[key, value] as const] : [],
      ),
    );
    const result = handleTokenRequest(
      state.auth,
      oauthClients(state),
      form,
      req.get('authorization'),
      baseUrlOf(req),
      state.clock(),
    );
    if (!result.ok) {
      res
        .status(result.error.status)
        .json({ error: result.error.error, error_description: result.error.error_description });
      return;
    }
    res.json(result.body);
  });
  app.use('/services/data', express.json({ limit: '50mb' }));
  app.get('/id/:orgId/:userId', (req, res) => identity(req, res));
  registerQueryRoutes(app, state);
  registerCollectionRoutes(app, state);
  registerRecordRoutes(app, state);
  app.use((_req: Request, res: Response) => sendApiError(res, notFound()));
  app.use(errorHandler);
  return app;
}

/**
 * Authenticates API calls and charges them to the org's daily allocation. Once it is spent, calls are
 * refused with 403 REQUEST_LIMIT_EXCEEDED and not counted.
 */
function apiGate(state: SalesforceEmulatorState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const api = API_PATH.exec(req.path);
    if (!api && !req.path.startsWith('/id/')) {
      if (req.path.startsWith('/services/data/')) sendApiError(res, notFound());
      else next();
      return;
    }
    const now = state.clock();
    const session = authenticate(state.auth, req.get('authorization'), now);
    const org = session ? state.orgs.find((candidate) => candidate.orgId === session.orgId) : undefined;
    if (!session || !org) {
      sendApiError(res, sessionInvalid());
      return;
    }
    const used = usedCalls(org.usage, now);
    if (used >= org.usage.limit) {
      res.set('Sforce-Limit-Info', `api-usage=${used}/${org.usage.limit}`);
      sendApiError(res, apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
      return;
    }
    recordCalls(org.usage, now);
    res.set('Sforce-Limit-Info', limitInfoHeader(org.usage, now));
    setSession(res, { org, userId: session.userId, version: api?.[1] ?? '66.0' });
    next();
  };
}

function identity(req: Request, res: Response): void {
  const { org } = sessionOf(res);
  const user = org.data.tables.get('User')?.get(param(req, 'userId'));
  if (param(req, 'orgId') !== org.orgId || !user) {
    sendApiError(res, notFound());
    return;
  }
  const base = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  res.json({
    id: `${base}/id/${org.orgId}/${String(user['Id'])}`,
    asserted_user: true,
    user_id: user['Id'],
    organization_id: org.orgId,
    username: user['Username'],
    nick_name: user['Alias'],
    display_name: user['Name'],
    email: user['Email'],
    first_name: user['FirstName'],
    last_name: user['LastName'],
    timezone: user['TimeZoneSidKey'],
    active: user['IsActive'],
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: formatDatetime(Number(user['LastModifiedDate'])),
    urls: { rest: `${base}/services/data/v{version}/`, query: `${base}/services/data/v{version}/query/` },
  });
}

function errorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    sendApiError(res, apiError(400, 'JSON_PARSER_ERROR', `${detail} at [line:1, column:1]`));
    return;
  }
  if (type === 'entity.too.large') {
    sendApiError(res, apiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request entity too large'));
    return;
  }
  const errorId = Math.floor(Math.random() * 1e9);
  sendApiError(
    res,
    apiError(
      500,
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
    ),
  );
}

const oauthClients = (state: SalesforceEmulatorState) =>
  state.orgs.map((org) => ({
    orgId: org.orgId,
    userId: org.data.integrationUserId,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
  }));
