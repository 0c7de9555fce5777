import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testKit.ts';
import { apiError, manualClock, sdkClient, seed, startTestEmulator } from './testKit.ts';

// OAuth: code and refresh-token grants through the SDK's token API, token metadata, expiry, and the
// rule that a token opens one portal only.

const PORTAL = 6001;
const OTHER = 6002;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const clock = manualClock();
let hs: TestEmulator;
let client: ReturnType<TestEmulator['client']>;

beforeAll(async () => {
  hs = await startTestEmulator({
    now: clock.now,
    accessTokenLifetimeS: 60,
    portals: [{ portalId: PORTAL }, { portalId: OTHER }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.loadSeed(PORTAL, seed(100, 1), { contacts: false, deals: false, engagements: false });
  hs.emulator.loadSeed(OTHER, seed(100, 2), { contacts: false, deals: false, engagements: false });
  client = hs.client('unused');
});

afterAll(async () => {
  await hs.close();
});

const app = () => hs.emulator.state.auth.app;

const exchangeCode = (code: string, redirectUri = REDIRECT) =>
  client.oauth.tokensApi.create('authorization_code', code, redirectUri, app().clientId, app().clientSecret);

describe('token grants', () => {
  it('exchanges an authorization code for tokens that open the portal it was granted in', async () => {
    const code = hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT);
    const tokens = await exchangeCode(code);
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 60 });
    const page = await sdkClient(hs.url, tokens.accessToken).crm.companies.basicApi.getPage(5);
    expect(page.results).toHaveLength(5);
  });

  it('refuses a code used twice with BAD_AUTH_CODE', async () => {
    const code = hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT);
    await exchangeCode(code);
    const error = await apiError(exchangeCode(code));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });
  });

  it('refuses a wrong client secret and a redirect URI other than the authorized one', async () => {
    const code = hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT);
    const secret = await apiError(
      client.oauth.tokensApi.create('authorization_code', code, REDIRECT, app().clientId, 'wrong'),
    );
    expect(secret.body).toMatchObject({ status: 'BAD_CLIENT_SECRET', error: 'invalid_client' });
    const redirect = await apiError(exchangeCode(code, 'http://127.0.0.1:9/elsewhere'));
    expect(redirect.body).toMatchObject({ status: 'BAD_REDIRECT_URI' });
  });

  it('refreshes an access token with the refresh token, and refuses an unknown refresh token', async () => {
    const tokens = await exchangeCode(hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT));
    const refreshed = await client.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      app().clientId,
      app().clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    const error = await apiError(
      client.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        app().clientId,
        app().clientSecret,
        'na1-nope',
      ),
    );
    expect(error.body).toEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid, expired or revoked',
      status: 'BAD_REFRESH_TOKEN',
      message: 'refresh token is invalid, expired or revoked',
      correlationId: expect.any(String),
    });
  });

  it('redirects the install URL to the redirect URI with a code and the state', async () => {
    const url = `${hs.url}/oauth/authorize?client_id=${app().clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=oauth&state=abc&portalId=${OTHER}`;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('abc');
    const tokens = await exchangeCode(location.searchParams.get('code')!);
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(OTHER);
  });

  it('answers an install URL whose redirect_uri is not a URL with 400 VALIDATION_ERROR, and keeps serving', async () => {
    const url = `${hs.url}/oauth/authorize?client_id=${app().clientId}&redirect_uri=notaurl&portalId=${PORTAL}`;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: 'error',
      message: 'redirect_uri notaurl is not a valid URL',
      category: 'VALIDATION_ERROR',
      correlationId: expect.any(String),
    });
    expect(hs.emulator.state.auth.codes.size).toBe(0);
    const valid = `${hs.url}/oauth/authorize?client_id=${app().clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&portalId=${PORTAL}`;
    expect((await fetch(valid, { redirect: 'manual' })).status).toBe(302);
  });
});

describe('access tokens', () => {
  it('describes a live token: hub, app, scopes and seconds left', async () => {
    const tokens = await exchangeCode(
      hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT, ['oauth', 'crm.objects.companies.read']),
    );
    clock.advance(20_000);
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({
      hubId: PORTAL,
      appId: app().appId,
      scopes: ['oauth', 'crm.objects.companies.read'],
      expiresIn: 40,
      tokenType: 'access',
    });
  });

  it('answers a call with an expired token with 401 EXPIRED_AUTHENTICATION as HubSpot does', async () => {
    const tokens = await exchangeCode(hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT));
    clock.advance(75_000);
    const error = await apiError(sdkClient(hs.url, tokens.accessToken).crm.companies.basicApi.getPage(1));
    expect(error.code).toBe(401);
    expect(error.body).toEqual({
      status: 'error',
      message: 'The OAuth token used to make this call expired 15 second(s) ago.',
      correlationId: expect.any(String),
      category: 'EXPIRED_AUTHENTICATION',
      context: { 'expire time': [expect.stringMatching(/Z$/)] },
    });
  });

  it('answers a call without credentials with 401 INVALID_AUTHENTICATION', async () => {
    const response = await hs.call('/crm/v3/objects/companies', { token: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      message: expect.stringMatching(/^Authentication credentials not found\./),
    });
  });

  it('sends no daily-limit headers to OAuth callers', async () => {
    const tokens = await exchangeCode(hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT));
    const response = await hs.call('/crm/v3/objects/companies', { token: tokens.accessToken });
    expect(response.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(response.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });
});

describe('one portal per token', () => {
  it('answers a record of another portal with the same 404 as a missing one, for reads and writes', async () => {
    const otherCompany = [...hs.emulator.portal(OTHER).data.tables.companies.liveRecords()][0]!;
    const mine = hs.client(hs.emulator.privateAppToken(PORTAL));
    const read = await apiError(mine.crm.companies.basicApi.getById(String(otherCompany.id)));
    expect(read.code).toBe(404);
    expect(read.body.message).toBe('resource not found');
    const write = await apiError(
      mine.crm.companies.basicApi.update(String(otherCompany.id), { properties: { name: 'hijacked' } }),
    );
    expect(write.code).toBe(404);
    expect(otherCompany.properties.name).not.toBe('hijacked');
    const tokens = await exchangeCode(hs.emulator.issueAuthorizationCode(PORTAL, REDIRECT));
    const viaOAuth = await apiError(
      sdkClient(hs.url, tokens.accessToken).crm.companies.basicApi.getById(String(otherCompany.id)),
    );
    expect(viaOAuth.code).toBe(404);
  });
});
