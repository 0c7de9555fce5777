import type { z } from 'zod';

import type { ApiContract, ContractBodyInput, ContractResponse } from '../contracts/contract.ts';
import { revisionQueryOf } from '../contracts/contract.ts';
import type { ApiErrorCode, ApiIssue } from '../contracts/errors.ts';
import { ApiErrorSchema } from '../contracts/errors.ts';

// The one way the front ends talk to ABM Pilot: a request named by its shared contract, sent by whatever
// carries it (HubSpot's signing proxy, the browser with the console's cookie), and an answer parsed by the
// contract's own response schema. Expected failures come back as values the views turn into words.

export interface ApiRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path from the origin with its parameters filled in. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: Record<string, unknown>;
  readonly response: z.ZodType<T>;
}

/** A request built from a shared contract: its method, its path, the revision its answers are read at. */
export function requestOf<C extends ApiContract>(
  contract: C,
  options: {
    readonly params?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string | undefined>>;
    readonly body?: ContractBodyInput<C> & Record<string, unknown>;
  } = {},
): ApiRequest<ContractResponse<C>> {
  const path = contract.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  const query: Record<string, string> = { ...revisionQueryOf(contract) };
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) query[key] = value;
  return {
    method: contract.method,
    path,
    query,
    ...(options.body === undefined ? {} : { body: options.body }),
    response: contract.response as z.ZodType<ContractResponse<C>>,
  };
}

/** `path?query`, with `first` (who calls) ahead of the request's own query; empty values are left out. */
export function pathAndQueryOf(
  request: Pick<ApiRequest<unknown>, 'path' | 'query'>,
  first: Readonly<Record<string, string>> = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...first, ...request.query })) {
    if (value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text === '' ? request.path : `${request.path}?${text}`;
}

export type ApiFailure =
  /** No answer: network, timeout, or the server is down. */
  | { readonly kind: 'unreachable' }
  /** The tenant is connected but has no governance config or first sync yet. */
  | { readonly kind: 'not_configured'; readonly message: string }
  /** Credentials refused, a user the tenant's sync does not know, or a role without the right. */
  | { readonly kind: 'no_permission'; readonly code: ApiErrorCode | null; readonly message: string }
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'busy' }
  | { readonly kind: 'server_error' }
  /** The server understood and said no (validation, conflicts, business rules). */
  | {
      readonly kind: 'rejected';
      readonly code: ApiErrorCode;
      readonly message: string;
      readonly issues: readonly ApiIssue[];
    }
  /** An answer the contract does not describe: a server of another version, or a proxy's page. */
  | { readonly kind: 'unexpected_answer' };

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ApiFailure };

/** What carries a request: the answer's status and a way to read its JSON body. */
export interface TransportAnswer {
  readonly status: number;
  json(): Promise<unknown>;
}

export type Transport = (
  request: Pick<ApiRequest<unknown>, 'method' | 'path' | 'query' | 'body'>,
) => Promise<TransportAnswer>;

/**
 * A successful status whose body is not the contract's answer may still carry an error: HubSpot's proxy
 * answers 200 with its own envelope when the app server did not. `unwrap` finds the real status and body.
 */
export type Unwrap = (body: unknown) => { readonly status: number; readonly body: unknown } | null;

export async function callApi<T>(
  transport: Transport,
  request: ApiRequest<T>,
  unwrap: Unwrap = () => null,
): Promise<ApiResult<T>> {
  let answer: TransportAnswer;
  try {
    answer = await transport(request);
  } catch {
    return failed({ kind: 'unreachable' });
  }
  const ok = answer.status >= 200 && answer.status < 300;
  let json: unknown;
  try {
    json = await answer.json();
  } catch {
    return failed(ok ? { kind: 'unexpected_answer' } : failureOf(answer.status, null));
  }
  if (!ok) return failed(failureOf(answer.status, json));
  const parsed = request.response.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const unwrapped = unwrap(json);
  return failed(
    unwrapped === null ? { kind: 'unexpected_answer' } : failureOf(unwrapped.status, unwrapped.body),
  );
}

const failed = <T>(failure: ApiFailure): ApiResult<T> => ({ ok: false, failure });

const NO_PERMISSION_CODES: readonly ApiErrorCode[] = [
  'unauthorized',
  'unknown_user',
  'forbidden',
  'not_allowed_for_role',
];

/** An error answer as the views know it: by the server's stable code first, by status when there is none. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const parsed = ApiErrorSchema.safeParse(body);
  if (!parsed.success) {
    if (status === 401 || status === 403) return { kind: 'no_permission', code: null, message: '' };
    if (status === 429) return { kind: 'busy' };
    return status >= 500 ? { kind: 'server_error' } : { kind: 'unexpected_answer' };
  }
  const { code, message, issues } = parsed.data.error;
  if (code === 'not_configured') return { kind: 'not_configured', message };
  if (NO_PERMISSION_CODES.includes(code)) return { kind: 'no_permission', code, message };
  if (code === 'not_found') return { kind: 'not_found', message };
  if (code === 'rate_limited') return { kind: 'busy' };
  if (code === 'internal_error' || code === 'not_ready') return { kind: 'server_error' };
  return { kind: 'rejected', code, message, issues: issues ?? [] };
}

/**
 * "Latest request wins": every read takes a ticket, and only the holder of the newest ticket may show its
 * answer, so a slow answer to an earlier filter never overwrites a newer one.
 */
export interface LatestGate {
  /** A new ticket; the returned function says whether it is still the newest. */
  take(): () => boolean;
  /** Makes every ticket taken so far stale (the data shown was replaced by other means). */
  expire(): void;
}

export function latestGate(): LatestGate {
  let newest = 0;
  return {
    take() {
      const ticket = ++newest;
      return () => ticket === newest;
    },
    expire() {
      newest += 1;
    },
  };
}
