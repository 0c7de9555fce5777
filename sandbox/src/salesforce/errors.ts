import type { Response } from 'express';

// Salesforce's two error shapes: a request-level error (HTTP status + `[{message, errorCode, fields?}]`)
// and a record-level error inside a SaveResult (`{statusCode, message, fields}`; note `statusCode`, not
// `errorCode`, as the real API sends it).

export interface ApiError {
  readonly status: number;
  readonly errorCode: string;
  readonly message: string;
  readonly fields?: readonly string[];
}

export interface RecordError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

export const apiError = (
  status: number,
  errorCode: string,
  message: string,
  fields?: readonly string[],
): ApiError => (fields ? { status, errorCode, message, fields } : { status, errorCode, message });

export const recordError = (
  statusCode: string,
  message: string,
  fields: readonly string[] = [],
): RecordError => ({
  statusCode,
  message,
  fields,
});

export function sendApiError(res: Response, error: ApiError): void {
  const body: Record<string, unknown> = { message: error.message, errorCode: error.errorCode };
  if (error.fields) body['fields'] = error.fields;
  res.status(error.status).json([body]);
}

export const notFound = (): ApiError => apiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const sessionInvalid = (): ApiError =>
  apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** A record-level failure as the single-record endpoints report it: HTTP 400 with the same code. */
export const fromRecordError = (error: RecordError): ApiError =>
  apiError(
    error.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400,
    error.statusCode,
    error.message,
    error.fields,
  );
