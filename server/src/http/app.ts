import type { IncomingMessage } from 'node:http';

import express from 'express';
import type { ErrorRequestHandler, Express, Router } from 'express';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

import { consoleStatic } from './console/static.ts';
import type { ObservedRequest } from './observe.ts';
import { observeRequests } from './observe.ts';
import { sendError } from './respond.ts';

// createApp builds the HTTP front door and never listens: main.ts does, and tests mount it on port 0.
// Every body is kept raw as well as parsed, because HubSpot signs the exact bytes it sent.

export interface AppDeps {
  readonly log: Logger;
  /** Whether the process can serve (store open, migrations run). */
  readonly ready: () => Promise<boolean>;
  /** The versioned API, mounted at /api/v1. */
  readonly api: Router;
  /** The HubSpot install's OAuth routes, mounted at /oauth, when the app's OAuth is configured. */
  readonly oauth?: Router;
  /** Largest accepted body; HubSpot webhook batches stay far below it. */
  readonly bodyLimit?: string;
  /** The web console's built files; default web/dist. */
  readonly consoleDir?: string;
}

export interface RawBodyRequest extends IncomingMessage {
  rawBody?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'abm_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });

  app.use(observeRequests(deps.log, duration));
  const bodyLimit = deps.bodyLimit ?? '256kb';
  const parseJson = express.json({
    limit: bodyLimit,
    verify: (req: RawBodyRequest, _res, buffer) => {
      req.rawBody = buffer.toString('utf8');
    },
  });
  // Most calls are bodiless GETs (the card view): they skip the parser's stream handling entirely.
  app.use((req, res, next) => (hasBody(req) ? parseJson(req, res, next) : next()));
  // A body no parser took (a form, a GET with a body) is read to its end and dropped before any route
  // answers: closing while the client still uploads resets the connection and cuts a long answer short.
  const drainLimit = bytesOf(bodyLimit);
  app.use((req, res, next) => {
    // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 §6.3): nothing to wait for.
    if (req.complete || !hasBody(req)) return next();
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= drainLimit) return;
      req.off('data', onData).off('end', next);
      sendError(res, 'payload_too_large', 'The body is too large.');
    };
    req.on('data', onData).once('end', next);
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/', (_req, res) => res.redirect(302, '/console/'));
  app.use('/console', consoleStatic(deps.consoleDir));
  app.use('/api/v1', deps.api);
  if (deps.oauth) app.use('/oauth', deps.oauth);
  app.use((_req, res) => sendError(res, 'not_found', 'No such route.'));
  app.use(errorHandlerOf(deps.log));
  return app;
}

const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** `256kb`, `1mb` or a number of bytes, as body-parser reads its `limit`. */
function bytesOf(limit: string): number {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new RangeError(`bodyLimit must read like 256kb, got ${limit}`);
  const unit = (match[2] ?? 'b').toLowerCase();
  return Number(match[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

/** The one place unexpected failures land: malformed bodies are the client's, anything else is ours. */
const errorHandlerOf =
  (log: Logger): ErrorRequestHandler =>
  (error: unknown, req, res, _next) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed')
      return sendError(res, 'invalid_request', 'The body is not valid JSON.');
    if (type === 'entity.too.large') return sendError(res, 'payload_too_large', 'The body is too large.');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendError(res, 'unsupported_media_type', 'Unsupported body encoding.');
    }
    // The router cannot decode a malformed escape in a path parameter (`/accounts/%E0%A4%A/card`): a client's
    // mistake, like any other 4xx a parser raises.
    if (error instanceof URIError) return sendError(res, 'invalid_request', 'The URL is not valid.');
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, 'invalid_request', 'The request is not valid.');
    }
    log.error({ err: error, reqId: (req as ObservedRequest).id }, 'unhandled error');
    if (res.headersSent) return;
    sendError(res, 'internal_error', 'Something went wrong on our side; it has been logged.');
  };
