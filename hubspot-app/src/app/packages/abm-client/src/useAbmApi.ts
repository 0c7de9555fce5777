import type { ApiFailure, ApiRequest, ApiResult } from '@abm-pilot/shared/client';
import { latestGate } from '@abm-pilot/shared/client';
import { hubspot } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useRef, useState } from 'react';

import type { Caller, Fetcher } from './hubspotApi.ts';
import { callAbmApi, urlOf } from './hubspotApi.ts';

// The extensions' one data hook: it reads what the view shows, reloads on demand, and sends writes as the
// same caller; every answer goes through `callAbmApi`, which parses it with the contract's schema.

export type LoadState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'failed'; readonly failure: ApiFailure };

export interface AbmApi<T> {
  readonly state: LoadState<T>;
  /** Reads again, showing loading meanwhile. */
  readonly reload: () => void;
  /** Reads again behind the data shown, which stays if the read fails. */
  readonly refresh: () => void;
  /** Replaces the data shown, e.g. with what a write answered. */
  readonly replace: (data: T) => void;
  readonly send: <U>(request: ApiRequest<U>) => Promise<ApiResult<U>>;
}

/** Looked up at call time, so tests that spy on `hubspot.fetch` after import are answered. */
const hubspotFetcher: Fetcher = (url, options) => hubspot.fetch(url, options);

export function useAbmApi<T>(
  caller: Caller,
  read: ApiRequest<T>,
  fetcher: Fetcher = hubspotFetcher,
): AbmApi<T> {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Only the latest read may settle the state: a slow answer to an earlier filter must not win.
  const [gate] = useState(latestGate);
  const quietNext = useRef(false);
  const readRef = useRef(read);
  readRef.current = read;
  const readKey = urlOf(caller, read);

  useEffect(() => {
    const isLatest = gate.take();
    const quiet = quietNext.current;
    quietNext.current = false;
    if (!quiet) setState({ status: 'loading' });
    void callAbmApi(fetcher, caller, readRef.current).then((result) => {
      if (!isLatest()) return;
      if (result.ok) setState({ status: 'ready', data: result.value });
      else if (!quiet) setState({ status: 'failed', failure: result.failure });
    });
    return gate.expire;
    // `readKey` names the read (path, query and caller): a new read object with the same key is the same read.
  }, [readKey, attempt, fetcher, gate]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => {
    quietNext.current = true;
    setAttempt((n) => n + 1);
  }, []);
  const replace = useCallback(
    (data: T) => {
      gate.expire();
      setState({ status: 'ready', data });
    },
    [gate],
  );
  const send = useCallback(
    <U>(request: ApiRequest<U>) => callAbmApi(fetcher, caller, request),
    [fetcher, caller],
  );
  return { state, reload, refresh, replace, send };
}
