import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

// Small helpers for HubSpot's wire conventions: instants, ids and error bodies.

/** Like Java's `Instant.toString()`, which HubSpot uses: no fraction when the milliseconds are zero. */
export const formatInstant = (epochMs: number): string => {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
};

/** `YYYY-MM-DD` of the UTC day, the wire form of `date` properties. */
export const formatDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/**
 * HubSpot accepts instants as epoch milliseconds (string or number) or ISO 8601 text; anything else is
 * not an instant.
 */
export const parseInstant = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : parsed;
};

export const correlationId = (): string => randomUUID();

export interface HubSpotErrorBody {
  readonly status: string;
  readonly message: string;
  readonly correlationId: string;
  readonly category?: string;
  readonly subCategory?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly errors?: readonly unknown[];
  readonly links?: Readonly<Record<string, string>>;
  readonly [extra: string]: unknown;
}

/** An HTTP status and the exact body HubSpot answers it with. */
export interface HubSpotFailure {
  readonly status: number;
  readonly body: HubSpotErrorBody | Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export const failure = (
  status: number,
  message: string,
  extra: Omit<Partial<HubSpotErrorBody>, 'status' | 'message' | 'correlationId'> = {},
): HubSpotFailure => ({
  status,
  body: { status: 'error', message, correlationId: correlationId(), ...extra },
});

export const validationFailure = (
  message: string,
  extra: Omit<Partial<HubSpotErrorBody>, 'status' | 'message' | 'correlationId'> = {},
): HubSpotFailure => failure(400, message, { ...extra, category: 'VALIDATION_ERROR' });

/** Jackson's wording for a request body HubSpot cannot bind; HubSpot sends it without a category. */
export const invalidInputJson = (column: number, reason: string): HubSpotFailure =>
  failure(400, `Invalid input JSON on line 1, column ${column}: ${reason}`);

/** What a numeric id that names no live record gets: no category (captured bodies). */
export const resourceNotFound = (): HubSpotFailure => failure(404, 'resource not found');

export const isHubSpotFailure = (value: unknown): value is HubSpotFailure =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  'body' in value &&
  typeof (value as { status: unknown }).status === 'number';

/**
 * HubSpot's batch answer: `COMPLETE` with the results, and the errors when any, which turn the status into
 * 207 Multi-Status; otherwise the endpoint's own success status.
 */
export function sendBatch(
  res: Response,
  successStatus: 200 | 201,
  results: readonly unknown[],
  errors: readonly unknown[],
  startedAt: number,
  now: number,
): void {
  const body: Record<string, unknown> = { status: 'COMPLETE', results };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  body.startedAt = formatInstant(startedAt);
  body.completedAt = formatInstant(now);
  res.status(errors.length > 0 ? 207 : successStatus).json(body);
}
