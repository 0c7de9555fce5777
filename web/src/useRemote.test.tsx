// @vitest-environment jsdom
import { CONSOLE_HEADER, consoleSessionContract } from '@abm-pilot/shared';
import { CONTRACT_EXAMPLES } from '@abm-pilot/shared/fixtures';
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ApiResult, Remote } from './api.ts';
import { useApi, useRemote } from './api.ts';

// The hooks in a real React tree (jsdom), with answers that arrive when each test says.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

let container: HTMLElement;
let root: Root;
let shown: Remote<string>;
let reload: () => void;

beforeEach(() => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement('div');
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  vi.unstubAllGlobals();
});

function Reader({ load, id }: { load: (() => Promise<ApiResult<string>>) | null; id: string }) {
  const remote = useRemote(load, id);
  shown = remote.state;
  reload = remote.reload;
  return null;
}

/** An answer the test delivers later, with `answer`. */
function pending() {
  let answer: (result: ApiResult<string>) => void = () => undefined;
  const promise = new Promise<ApiResult<string>>((resolve) => {
    answer = resolve;
  });
  return {
    load: vi.fn(() => promise),
    answer: (value: string) => act(async () => answer({ ok: true, value })),
  };
}

const render = (load: (() => Promise<ApiResult<string>>) | null, id: string) =>
  act(async () => root.render(<Reader load={load} id={id} />));

describe('useRemote', () => {
  it('shows only the answer to the latest request, even when an older one answers last', async () => {
    const first = pending();
    const second = pending();
    await render(first.load, 'tier_1');
    await render(second.load, 'tier_2');
    await second.answer('tier 2 rows');
    expect(shown).toEqual({ status: 'ready', data: 'tier 2 rows' });
    await first.answer('tier 1 rows');
    expect(shown).toEqual({ status: 'ready', data: 'tier 2 rows' });
  });

  it('asks once per key, and again with the same key on reload', async () => {
    let calls = 0;
    const load = vi.fn(async (): Promise<ApiResult<string>> => ({ ok: true, value: `answer ${++calls}` }));
    await render(load, 'q=acme');
    await render(load, 'q=acme');
    expect(load).toHaveBeenCalledTimes(1);
    expect(shown).toEqual({ status: 'ready', data: 'answer 1' });
    await act(async () => reload());
    expect(load).toHaveBeenCalledTimes(2);
    expect(shown).toEqual({ status: 'ready', data: 'answer 2' });
  });

  it('shows a failure as the shared client described it', async () => {
    await render(async () => ({ ok: false, failure: { kind: 'busy' } }), 'x');
    expect(shown).toEqual({ status: 'failed', failure: { kind: 'busy' } });
  });

  it('drops an answer that lands after the page stopped asking', async () => {
    const stale = pending();
    await render(stale.load, 'valid period');
    await render(null, 'invalid period');
    await stale.answer('old figures');
    expect(shown).toEqual({ status: 'loading' });
  });
});

describe('useApi', () => {
  const session = CONTRACT_EXAMPLES.getConsoleSession.response;

  function SessionReader() {
    const { state } = useApi(consoleSessionContract, {}, 'session');
    return <p>{state.status === 'ready' ? state.data.tenant.name : state.status}</p>;
  }

  it('reads a contract through the console transport and shows the answer its contract parsed', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(session), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await act(async () => root.render(<SessionReader />));
    expect(container.textContent).toBe('Northwind portal');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/console/session');
    expect(init.headers).toMatchObject({ [CONSOLE_HEADER]: '1' });
  });
});
