import type {
  ApiContract,
  ApiErrorCode,
  ContractBodyInput,
  ContractQueryInput,
  ContractResponse,
} from '@abm-pilot/shared';
import { ApiErrorSchema, CONSOLE_HEADER, revisionQueryOf } from '@abm-pilot/shared';
import { useEffect, useRef, useState } from 'react';

// The console's one way to the server: a contract names the path, method and the schema its answer must
// parse with; the session cookie travels by itself (HttpOnly), with the console's header beside it.

export type ApiFailure = {
  /** `network` and `bad_response` are the console's own: no answer, or one that broke the contract. */
  readonly code: ApiErrorCode | 'network' | 'bad_response';
  readonly message: string;
  readonly status: number;
};

export type Remote<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'failed'; readonly error: ApiFailure };

export type ApiResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: ApiFailure };

export interface CallInput<C extends ApiContract> {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: ContractQueryInput<C>;
  readonly body?: ContractBodyInput<C>;
}

/** `/api/v1/accounts/:crmId/card` with `{ crmId: 'a b' }` → `/api/v1/accounts/a%20b/card`, plus the query. */
export function urlOf(
  path: string,
  params: Readonly<Record<string, string>> = {},
  query: object = {},
): string {
  const filled = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

export async function callApi<C extends ApiContract>(
  contract: C,
  input: CallInput<C> = {},
): Promise<ApiResult<ContractResponse<C>>> {
  let response: Response;
  try {
    // Answers are read at the revision this console was built for.
    const query = { ...revisionQueryOf(contract), ...input.query };
    response = await fetch(urlOf(contract.path, input.params, query), {
      method: contract.method,
      credentials: 'same-origin',
      headers: {
        [CONSOLE_HEADER]: '1',
        accept: 'application/json',
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'The server did not answer.', status: 0 } };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = contract.response.safeParse(json);
    return parsed.success
      ? { ok: true, data: parsed.data as ContractResponse<C> }
      : {
          ok: false,
          error: {
            code: 'bad_response',
            message: 'The answer did not match its contract.',
            status: response.status,
          },
        };
  }
  const error = ApiErrorSchema.safeParse(json);
  return {
    ok: false,
    error: error.success
      ? { code: error.data.error.code, message: error.data.error.message, status: response.status }
      : { code: 'bad_response', message: `HTTP ${response.status}`, status: response.status },
  };
}

/**
 * The console's one data hook: runs `load` whenever `key` changes, and keeps only the answer to the latest
 * request, so a slow answer to an older filter never overwrites a newer one. Every `load` goes through
 * `callApi`, so every answer was parsed with its contract. `reload` asks again with the same input.
 */
export function useRemote<T>(
  load: (() => Promise<ApiResult<T>>) | null,
  key: string,
): { readonly state: Remote<T>; readonly reload: () => void } {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const run = loader.current;
    if (run === null) return;
    const request = ++latest.current;
    setState({ status: 'loading' });
    void run().then((result) => {
      if (request !== latest.current) return;
      setState(
        result.ok ? { status: 'ready', data: result.data } : { status: 'failed', error: result.error },
      );
    });
  }, [key, generation]);
  return { state, reload: () => setGeneration((value) => value + 1) };
}

/** `useRemote` of one contract call; `key` must change whenever `input` does. */
export const useApi = <C extends ApiContract>(contract: C, input: CallInput<C>, key: string) =>
  useRemote(() => callApi(contract, input), `${contract.method} ${contract.path} ${key}`);

/** All of the calls, or the first failure. */
export async function allOf<T>(calls: readonly Promise<ApiResult<T>>[]): Promise<ApiResult<T[]>> {
  const results = await Promise.all(calls);
  const data: T[] = [];
  for (const result of results) {
    if (!result.ok) return result;
    data.push(result.data);
  }
  return { ok: true, data };
}
