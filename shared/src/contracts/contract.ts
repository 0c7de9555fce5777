import { z } from 'zod';

import type { ApiErrorCode } from './errors.ts';
import { API_REVISION } from './primitives.ts';

export const HttpMethodSchema = z.enum(['GET', 'POST', 'PUT']);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

/**
 * How a caller proves who it is: `card` is a HubSpot-signed request or a Salesforce org's API key (cards,
 * governance pages); `admin` a tenant's admin token; `webhook` the CRM's own signature or org key;
 * `public` nothing.
 */
export const ApiAuthSchema = z.enum(['card', 'admin', 'webhook', 'public']);
export type ApiAuth = z.infer<typeof ApiAuthSchema>;

/**
 * One endpoint: everything a route, a client and the OpenAPI document need to agree on. Inputs are strict
 * zod objects, so an unknown field is an error rather than silently ignored.
 */
export interface ApiContract {
  readonly method: HttpMethod;
  /** Express-style path from the origin, `:name` for a path parameter. */
  readonly path: string;
  readonly summary: string;
  readonly auth: ApiAuth;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** 200 unless said otherwise. */
  readonly successStatus?: 200 | 202;
  readonly response: z.ZodType;
  /** Every code this endpoint may answer, protocol codes included. */
  readonly errors: readonly ApiErrorCode[];
}

/** Keeps each contract's exact schema types, so routes and clients infer their inputs and outputs. */
export const defineContract = <const C extends ApiContract>(contract: C): C => contract;

/**
 * The query a client of this code base adds to every call, so that it gets the answers of the revision it
 * was built for (see `API_REVISION`); empty for an endpoint without revised answers.
 */
export function revisionQueryOf(contract: ApiContract): Readonly<Record<string, string>> {
  return contract.query !== undefined && 'apiRevision' in contract.query.shape
    ? { apiRevision: String(API_REVISION) }
    : {};
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : never;
type Sent<S> = S extends z.ZodType ? z.input<S> : never;

/** What a route reads once its inputs parsed. */
export type ContractParams<C extends ApiContract> = Parsed<C['params']>;
export type ContractQuery<C extends ApiContract> = Parsed<C['query']>;
export type ContractBody<C extends ApiContract> = Parsed<C['body']>;
/** What a client sends (before defaults). */
export type ContractQueryInput<C extends ApiContract> = Sent<C['query']>;
export type ContractBodyInput<C extends ApiContract> = Sent<C['body']>;
export type ContractResponse<C extends ApiContract> = z.output<C['response']>;

/** `/api/v1/accounts/:crmId/card` → `/api/v1/accounts/{crmId}/card`. */
export const openApiPathOf = (path: string): string => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** The `:name` parameters of an Express-style path, in order. */
export const pathParamNames = (path: string): string[] =>
  [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');

/** Protocol codes each kind of endpoint may answer besides its own. */
export const COMMON_ERRORS = {
  public: ['rate_limited', 'internal_error'],
  card: [
    'invalid_request',
    'unauthorized',
    'unknown_user',
    'not_configured',
    'rate_limited',
    'internal_error',
  ],
  admin: [
    'invalid_request',
    'unauthorized',
    'unknown_user',
    'not_allowed_for_role',
    'rate_limited',
    'internal_error',
  ],
  webhook: ['invalid_request', 'unauthorized', 'rate_limited', 'internal_error'],
  /** Added where a request carries a JSON body. */
  body: ['payload_too_large', 'unsupported_media_type'],
} as const satisfies Record<ApiAuth | 'body', readonly ApiErrorCode[]>;
