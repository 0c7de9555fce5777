import { randomInt } from 'node:crypto';

import type { FaultResponder } from '../faults.ts';
import type { ApiError } from './errors.ts';
import { apiError, notFound, sessionInvalid } from './errors.ts';

// What an injected status fault answers on the Salesforce emulator when its rule names no body:
// Salesforce's `[{message, errorCode}]` with the code it sends for that status.

/** Salesforce's request-level error for `status`. */
export const salesforceStatusError = (status: number): ApiError => {
  switch (status) {
    case 401:
      return sessionInvalid();
    case 403:
    case 429:
      return apiError(status, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    case 404:
      return notFound();
    case 413:
      return apiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request entity too large');
    case 500:
      return apiError(
        500,
        'UNKNOWN_EXCEPTION',
        `An unexpected error occurred. Please include this ErrorId if you contact support: ${randomInt(1e9)}`,
      );
    case 502:
    case 503:
    case 504:
      return apiError(
        status,
        'SERVER_UNAVAILABLE',
        'Server temporarily unavailable. Please try again later.',
      );
    default:
      return status >= 500
        ? apiError(status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.')
        : apiError(status, 'INVALID_OPERATION', 'The request could not be processed.');
  }
};

export const salesforceFaultResponder: FaultResponder = (status) => {
  const error = salesforceStatusError(status);
  return { body: [{ message: error.message, errorCode: error.errorCode }] };
};
