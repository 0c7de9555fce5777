import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import express from 'express';
import type { ErrorRequestHandler, Express, Router } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

import { sendError } from './respond.ts';

// createApp builds the HTTP front door and never listens: main.ts does, and tests mount it on port 0.
// Every body is kept raw as well as parsed, because HubSpot signs the exact bytes it sent.

export interface AppDeps {
  readonly log: Logger;
  /** Whether the process can serve (store open, migrations run). */
  readonly ready: () => Promise<boolean>;
  /** The versioned API, mounted at /api/v1. */
  readonly api: Router;
  /** Largest accepted body; HubSpot webhook batches stay far below it. */
  readonly bodyLimit?: string;
}

export interface RawBodyRequest extends IncomingMessage {
  rawBody?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
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

  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Headers carry signatures and keys: the log keeps the request line, never them.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const stop = duration.startTimer({ method: req.method });
    res.on('finish', () =>
      stop({
        route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched',
        status: res.statusCode,
      }),
    );
    next();
  });
  app.use(
    express.json({
      limit: deps.bodyLimit ?? '256kb',
      verify: (req: RawBodyRequest, _res, buffer) => {
        req.rawBody = buffer.toString('utf8');
      },
    }),
  );

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.use('/api/v1', deps.api);
  app.use((_req, res) => sendError(res, 'not_found', 'No such route.'));
  app.use(errorHandler);
  return app;
}

/** The one place unexpected failures land: malformed bodies are the client's, anything else is ours. */
const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed') return sendError(res, 'invalid_request', 'The body is not valid JSON.');
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
  req.log.error({ err: error }, 'unhandled error');
  if (res.headersSent) return;
  sendError(res, 'internal_error', 'Something went wrong on our side; it has been logged.');
};
