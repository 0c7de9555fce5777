import type { ApiContract, ContractBodyInput, ContractQueryInput, ContractResponse } from '@abm-pilot/shared';
import { CONSOLE_HEADER } from '@abm-pilot/shared';
import type { ApiFailure, ApiResult, Transport } from '@abm-pilot/shared/client';
import { callApi, latestGate, pathAndQueryOf, requestOf } from '@abm-pilot/shared/client';
import { useEffect, useRef, useState } from 'react';

// The console's side of the one API client: how its requests travel (the browser's fetch, the session
// cookie, the console header) and the React hooks its pages read with. Paths, queries, revisions, answer
// parsing and failures are the shared client's.

export type { ApiFailure, ApiResult };

/**
 * The session cookie is HttpOnly and travels by itself on same-origin requests; the console header beside
 * it is what a cross-site form cannot send, so the server takes the cookie only with it.
 */
export const consoleTransport: Transport = (request) =>
  fetch(pathAndQueryOf(request), {
    method: request.method,
    credentials: 'same-origin',
    headers: {
      [CONSOLE_HEADER]: '1',
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });

export interface CallInput<C extends ApiContract> {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: ContractQueryInput<C>;
  readonly body?: ContractBodyInput<C>;
}

/** One call of a shared contract from the console, typed by that contract's inputs and answer. */
export const callContract = <C extends ApiContract>(
  contract: C,
  input: CallInput<C> = {},
): Promise<ApiResult<ContractResponse<C>>> =>
  // The contract types the input; the shared client only needs its shape (strings, a JSON body).
  callApi(consoleTransport, requestOf(contract, input as Parameters<typeof requestOf<C>>[1]));

export type Remote<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'failed'; readonly failure: ApiFailure };

/**
 * The console's one data hook: runs `load` whenever `key` changes (none while `load` is null), and shows
 * only the answer to the latest request, so a slow answer to an older filter never overwrites a newer one,
 * nor lands after the page stopped asking. `reload` asks again with the same input.
 */
export function useRemote<T>(
  load: (() => Promise<ApiResult<T>>) | null,
  key: string,
): { readonly state: Remote<T>; readonly reload: () => void } {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [gate] = useState(latestGate);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const run = loader.current;
    if (run === null) return;
    const isLatest = gate.take();
    setState({ status: 'loading' });
    void run().then((result) => {
      if (!isLatest()) return;
      setState(
        result.ok ? { status: 'ready', data: result.value } : { status: 'failed', failure: result.failure },
      );
    });
    return gate.expire;
  }, [key, generation, gate]);
  return { state, reload: () => setGeneration((value) => value + 1) };
}

/** `useRemote` of one contract call; `key` must change whenever `input` does. */
export const useApi = <C extends ApiContract>(contract: C, input: CallInput<C>, key: string) =>
  useRemote(() => callContract(contract, input), `${contract.method} ${contract.path} ${key}`);

/** All of the calls, or the first failure. */
export async function allOf<T>(calls: readonly Promise<ApiResult<T>>[]): Promise<ApiResult<T[]>> {
  const results = await Promise.all(calls);
  const values: T[] = [];
  for (const result of results) {
    if (!result.ok) return result;
    values.push(result.value);
  }
  return { ok: true, value: values };
}
