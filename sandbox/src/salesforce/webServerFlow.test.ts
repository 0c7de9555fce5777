import { createHash, randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testSupport.ts';
import { startTestEmulator } from './testSupport.ts';

// The OAuth 2.0 web server flow with PKCE, as a connected app runs it: the admin approves in the browser,
// the app exchanges the code (once, with its verifier and the same redirect URI) for tokens.

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const REDIRECT = 'https://abm.example.test/oauth/salesforce/callback';

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function approve(emu: TestEmulator, params: Record<string, string>) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: emu.org.clientId,
    redirect_uri: REDIRECT,
    state: 'st-1',
    ...params,
  });
  return fetch(`${emu.url}/services/oauth2/authorize?${query.toString()}`, { redirect: 'manual' });
}

const exchange = (emu: TestEmulator, form: Record<string, string>) =>
  fetch(`${emu.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: emu.org.clientId,
      client_secret: emu.org.clientSecret,
      redirect_uri: REDIRECT,
      ...form,
    }),
  });

describe('the web server flow with PKCE', () => {
  it('redirects with a code and the state, and exchanges the code once for a session and a refresh token', async () => {
    emulator = await startTestEmulator();
    const emu = emulator;
    const { verifier, challenge } = pkce();
    const approved = await approve(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code')!;

    const tokens = await exchange(emu, { code, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: emu.url });
    expect(body['id']).toContain(`/id/${emu.org.orgId}/`);
    expect(body['refresh_token']).toMatch(/^5Aep/);

    const refreshed = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: emu.org.clientId,
        client_secret: emu.org.clientSecret,
        refresh_token: body['refresh_token']!,
      }),
    });
    expect(refreshed.status).toBe(200);

    const replayed = await exchange(emu, { code, code_verifier: verifier });
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong verifier, another redirect URI, and an unknown client', async () => {
    emulator = await startTestEmulator();
    const emu = emulator;
    const { challenge } = pkce();
    const codeOf = async () =>
      new URL(
        (await approve(emu, { code_challenge: challenge, code_challenge_method: 'S256' })).headers.get(
          'location',
        )!,
      ).searchParams.get('code')!;

    expect(
      await (await exchange(emu, { code: await codeOf(), code_verifier: pkce().verifier })).json(),
    ).toMatchObject({
      error: 'invalid_grant',
    });
    expect(
      await (
        await exchange(emu, {
          code: await codeOf(),
          code_verifier: 'x',
          redirect_uri: 'https://elsewhere.test/cb',
        })
      ).json(),
    ).toMatchObject({ error: 'invalid_grant' });
    const unknown = await approve(emu, { client_id: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client_id' });
    const plain = await approve(emu, { code_challenge: challenge, code_challenge_method: 'plain' });
    expect(plain.status).toBe(400);
  });
});
