import {
  accountCardContract,
  API_REVISION,
  consoleAccountsContract,
  consoleLogoutContract,
  CONSOLE_HEADER,
} from '@abm-pilot/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { allOf, callContract } from './api.ts';

afterEach(() => vi.unstubAllGlobals());

const answer = (status: number, body: unknown) =>
  vi.fn(
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

const sent = (fetch: ReturnType<typeof answer>) => fetch.mock.calls[0] as unknown as [string, RequestInit];

describe('the console transport', () => {
  it('sends the session cookie, the console header and a JSON body, and returns the parsed answer', async () => {
    const fetch = answer(200, { loggedOut: true });
    vi.stubGlobal('fetch', fetch);
    expect(await callContract(consoleLogoutContract, { body: {} })).toEqual({
      ok: true,
      value: { loggedOut: true },
    });
    const [url, init] = sent(fetch);
    expect(url).toBe('/api/v1/console/logout');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    expect(init.headers).toMatchObject({ [CONSOLE_HEADER]: '1', 'content-type': 'application/json' });
  });

  it('reads with no body, escaped path parameters, the query given, and the revision it was built for', async () => {
    const fetch = answer(200, {});
    vi.stubGlobal('fetch', fetch);
    await callContract(accountCardContract, { params: { crmId: 'a b/c' }, query: { userId: 'u1' } });
    const [url, init] = sent(fetch);
    const parsed = new URL(url, 'http://console.test');
    expect(parsed.pathname).toBe('/api/v1/accounts/a%20b%2Fc/card');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      userId: 'u1',
      apiRevision: String(API_REVISION),
    });
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(init.headers).not.toHaveProperty('content-type');
  });

  it('leaves out query values that are empty', async () => {
    const fetch = answer(200, {});
    vi.stubGlobal('fetch', fetch);
    await callContract(consoleAccountsContract, { query: { q: '', limit: '5' } });
    expect(sent(fetch)[0]).toBe('/api/v1/console/accounts?limit=5');
  });
});

describe('console failures', () => {
  it('refuses a 200 answer that breaks its contract instead of showing it', async () => {
    vi.stubGlobal('fetch', answer(200, { crm: { name: 'half a card' } }));
    const result = await callContract(accountCardContract, {
      params: { crmId: 'a1' },
      query: { userId: 'u1' },
    });
    expect(result).toEqual({ ok: false, failure: { kind: 'unexpected_answer' } });
  });

  it('names an ended session and a role without the right by their codes, with the server’s words', async () => {
    vi.stubGlobal('fetch', answer(401, { error: { code: 'unauthorized', message: 'Session expired.' } }));
    expect(await callContract(consoleLogoutContract, { body: {} })).toEqual({
      ok: false,
      failure: { kind: 'no_permission', code: 'unauthorized', message: 'Session expired.' },
    });
    vi.stubGlobal('fetch', answer(403, { error: { code: 'not_allowed_for_role', message: 'Read only.' } }));
    expect(await callContract(consoleLogoutContract, { body: {} })).toEqual({
      ok: false,
      failure: { kind: 'no_permission', code: 'not_allowed_for_role', message: 'Read only.' },
    });
  });

  it('names a lost connection as the server being unreachable', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    );
    expect(await callContract(consoleLogoutContract, { body: {} })).toEqual({
      ok: false,
      failure: { kind: 'unreachable' },
    });
  });
});

describe('allOf', () => {
  it('gives every answer in order, or the first failure', async () => {
    const failure = { ok: false as const, failure: { kind: 'unreachable' as const } };
    expect(
      await allOf([
        Promise.resolve({ ok: true as const, value: 1 }),
        Promise.resolve({ ok: true as const, value: 2 }),
      ]),
    ).toEqual({ ok: true, value: [1, 2] });
    expect(await allOf([Promise.resolve({ ok: true as const, value: 1 }), Promise.resolve(failure)])).toEqual(
      failure,
    );
  });
});
