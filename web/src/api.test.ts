import { accountCardContract, consoleLogoutContract, CONSOLE_HEADER } from '@abm-pilot/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { allOf, callApi, urlOf } from './api.ts';

afterEach(() => vi.unstubAllGlobals());

const answer = (status: number, body: unknown) =>
  vi.fn(
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('urlOf', () => {
  it('fills path parameters escaped, and drops empty query values', () => {
    expect(
      urlOf('/api/v1/accounts/:crmId/card', { crmId: 'a b/c' }, { userId: 'u1', q: '', tier: undefined }),
    ).toBe('/api/v1/accounts/a%20b%2Fc/card?userId=u1');
  });
});

describe('callApi', () => {
  it('sends the console header and the body, and returns the answer its contract parsed', async () => {
    const fetch = answer(200, { loggedOut: true });
    vi.stubGlobal('fetch', fetch);
    expect(await callApi(consoleLogoutContract, { body: {} })).toEqual({
      ok: true,
      data: { loggedOut: true },
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/console/logout');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    expect((init.headers as Record<string, string>)[CONSOLE_HEADER]).toBe('1');
  });

  it('refuses a 200 answer that breaks its contract instead of showing it', async () => {
    vi.stubGlobal('fetch', answer(200, { crm: { name: 'half a card' } }));
    const result = await callApi(accountCardContract, { params: { crmId: 'a1' }, query: { userId: 'u1' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_response', status: 200 } });
  });

  it("passes the server's error code and message on, and names a lost connection", async () => {
    vi.stubGlobal('fetch', answer(403, { error: { code: 'not_allowed_for_role', message: 'Read only.' } }));
    expect(await callApi(consoleLogoutContract, { body: {} })).toEqual({
      ok: false,
      error: { code: 'not_allowed_for_role', message: 'Read only.', status: 403 },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    );
    expect(await callApi(consoleLogoutContract, { body: {} })).toMatchObject({
      ok: false,
      error: { code: 'network' },
    });
  });
});

describe('allOf', () => {
  it('gives every answer in order, or the first failure', async () => {
    const failure = { ok: false as const, error: { code: 'network' as const, message: 'x', status: 0 } };
    expect(
      await allOf([
        Promise.resolve({ ok: true as const, data: 1 }),
        Promise.resolve({ ok: true as const, data: 2 }),
      ]),
    ).toEqual({
      ok: true,
      data: [1, 2],
    });
    expect(await allOf([Promise.resolve({ ok: true as const, data: 1 }), Promise.resolve(failure)])).toEqual(
      failure,
    );
  });
});
