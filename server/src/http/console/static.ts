import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import express, { Router } from 'express';

import { sendError } from '../respond.ts';

// The web console's built files (web/dist, made by `npm run build -w web` at install), served from the
// server itself: no CDN, nothing fetched at run time, and a policy that lets the page load only its own.

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Chart.js and React set element styles from script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function consoleStatic(dir: string = DEFAULT_CONSOLE_DIR): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  router.use((_req, res, next) => {
    if (existsSync(join(dir, 'index.html'))) return next();
    sendError(res, 'not_ready', 'The console is not built: run `npm run build -w web`.');
  });
  // Hashed asset names change with their content: cache them; index.html is always revalidated.
  router.use(
    express.static(dir, {
      index: 'index.html',
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000'),
    }),
  );
  return router;
}
