import type { ApiErrorCode } from '@abm-pilot/shared';
import { API_ERROR_STATUS, apiError } from '@abm-pilot/shared';
import type { Response } from 'express';

/**
 * A JSON answer in one write. Express's `res.json` hashes every body for an ETag and writes headers and
 * body as two chunks; API answers are never revalidated, and on the card view, the hottest route, the two
 * cost more than the handler itself.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** Every error answer has one shape, `{ error: { code, message, issues? } }`, its status set by its code. */
export function sendError(res: Response, code: ApiErrorCode, message: string): void {
  sendJson(res, API_ERROR_STATUS[code], apiError(code, message));
}
