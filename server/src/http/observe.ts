import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';

// One listener per request for both the access log and the latency histogram. pino-http did the log part,
// but made a child logger per request even with logging off: on the card view that alone cost as much
// as the account's SQLite read.

const QUIET_PATHS = new Set(['/healthz', '/metrics']);
const REQUEST_ID = /^[\w-]{1,64}$/;

export interface ObservedRequest extends Request {
  /** The caller's `x-request-id` when it is well-formed, else a fresh UUID; echoed in the answer. */
  id?: string;
}

export function observeRequests(log: Logger, duration: Histogram<'method' | 'route' | 'status'>) {
  return (req: ObservedRequest, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const started = performance.now();
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      duration.observe({ method: req.method, route, status: res.statusCode }, seconds);
      if (QUIET_PATHS.has(req.path) || !log.isLevelEnabled('info')) return;
      // The request line only: headers carry signatures and keys.
      log.info(
        {
          req: { id, method: req.method, url: req.originalUrl },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(seconds * 1000),
        },
        'request completed',
      );
    });
    next();
  };
}
