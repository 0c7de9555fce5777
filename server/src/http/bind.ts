import type {
  ApiContract,
  ApiErrorCode,
  ApiIssue,
  ContractBody,
  ContractParams,
  ContractQuery,
  ContractResponse,
  Instant,
} from '@abm-pilot/shared';
import { API_ERROR_STATUS, apiError, issuesOfZodError } from '@abm-pilot/shared';
import type { Request, Response, Router } from 'express';

import type { AuthDeps, Caller } from './auth.ts';
import { authenticate } from './auth.ts';
import { sendJson } from './respond.ts';

// One contract, one route: the contract's zod schemas parse params, query and body (a 400 names every
// issue), the contract's auth decides the caller, and the handler gets only parsed values. Expected
// failures come back from handlers as values with a stable code; the status follows from the code.

export const API_PREFIX = '/api/v1';

export type Failure = {
  readonly ok: false;
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly issues?: readonly ApiIssue[];
};
export type Outcome<T> = { readonly ok: true; readonly body: T } | Failure;

export const success = <T>(body: T): Outcome<T> => ({ ok: true, body });
export const failure = (code: ApiErrorCode, message: string, issues?: readonly ApiIssue[]): Failure => ({
  ok: false,
  code,
  message,
  ...(issues ? { issues } : {}),
});

export interface RouteInput<C extends ApiContract, K extends Caller['kind']> {
  readonly params: ContractParams<C>;
  readonly query: ContractQuery<C>;
  readonly body: ContractBody<C>;
  readonly caller: Extract<Caller, { kind: K }>;
  readonly now: Instant;
  readonly req: Request;
}

const CALLER_OF_AUTH = { card: 'card', admin: 'admin', webhook: 'webhook', public: 'public' } as const;

export function bindRoute<C extends ApiContract>(
  router: Router,
  contract: C,
  deps: AuthDeps,
  handler: (
    input: RouteInput<C, (typeof CALLER_OF_AUTH)[C['auth']]>,
  ) => Promise<Outcome<ContractResponse<C>>>,
): void {
  const path = contract.path.startsWith(API_PREFIX) ? contract.path.slice(API_PREFIX.length) : contract.path;
  const method = contract.method.toLowerCase() as 'get' | 'post' | 'put';
  router[method](path, async (req: Request, res: Response) => {
    const authenticated = await authenticate(contract.auth, req, deps);
    if (!authenticated.ok)
      return send(res, failure(authenticated.failure.code, authenticated.failure.message));
    const issues: ApiIssue[] = [];
    const parse = (schema: ApiContract['body'], value: unknown, where: string) => {
      if (!schema) return undefined;
      const parsed = schema.safeParse(value);
      if (!parsed.success) issues.push(...issuesOfZodError(parsed.error, [where]));
      return parsed.success ? parsed.data : undefined;
    };
    const params = parse(contract.params, req.params, 'params');
    const query = parse(contract.query, req.query, 'query');
    const body = contract.body ? parse(contract.body, req.body ?? {}, 'body') : undefined;
    if (issues.length > 0) return send(res, failure('invalid_request', 'The request is not valid.', issues));
    const outcome = await handler({
      params: params as ContractParams<C>,
      query: query as ContractQuery<C>,
      body: body as ContractBody<C>,
      caller: authenticated.caller as never,
      now: deps.clock(),
      req,
    });
    if (!outcome.ok) return send(res, outcome);
    sendJson(res, contract.successStatus ?? 200, outcome.body);
  });
}

function send(res: Response, outcome: Failure): void {
  sendJson(res, API_ERROR_STATUS[outcome.code], apiError(outcome.code, outcome.message, outcome.issues));
}
