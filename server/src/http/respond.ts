import type { ApiErrorCode } from '@abm-pilot/shared';
import { API_ERROR_STATUS, apiError } from '@abm-pilot/shared';
import type { Response } from 'express';

/** Every error answer has one shape, `{ error: { code, message, issues? } }`, its status set by its code. */
export function sendError(res: Response, code: ApiErrorCode, message: string): void {
  res.status(API_ERROR_STATUS[code]).json(apiError(code, message));
}
