import { createHmac } from 'node:crypto';

import { AccountCardResponseSchema, ApiErrorSchema, TierChangeResponseSchema } from '@abm-pilot/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Harness } from '../../server/src/http/routes/apiTestHarness.ts';
import {
  giveRoles,
  HUBSPOT,
  NOW,
  seedAccounts,
  startApi,
  TENANT_A,
} from '../../server/src/http/routes/apiTestHarness.ts';
import type { Caller, Fetcher, FetchOptions } from '@abm-pilot/hubspot-abm-client';
import {
  accountCardContract,
  callAbmApi,
  requestOf,
  tierChangeContract,
  urlOf,
} from '@abm-pilot/hubspot-abm-client';

// The card's own requests (the built client package the extensions ship with), signed as HubSpot's proxy
// signs them and sent to the real server: accepted as they are, refused with one byte changed.

const CALLER: Caller = { portalId: Number(TENANT_A.externalId), userId: 4242 };

let api: Harness;
beforeAll(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {} });
  await giveRoles(api, TENANT_A.id, { [String(CALLER.userId)]: ['abm_manager'] });
});
afterAll(async () => {
  await api.close();
});

interface ProxiedRequest {
  readonly method: string;
  /** The public URL the card asked for: what HubSpot signs. */
  readonly url: string;
  /** `JSON.stringify` of the card's body object, as the proxy sends it; empty without one. */
  readonly body: string;
}

/**
 * HubSpot's v3 request signature: base64 of HMAC-SHA256 under the app's client secret, over method, full
 * public URL (query included), raw body and the timestamp it sends beside it. Written here from HubSpot's
 * documentation rather than taken from the server, so the two are checked against each other.
 */
const signatureV3 = (secret: string, request: ProxiedRequest, timestamp: string) =>
  createHmac('sha256', secret)
    .update(`${request.method}${request.url}${request.body}${timestamp}`, 'utf8')
    .digest('base64');

/** Delivers a signed request to the server under test, at the path and query of the public URL. */
function deliver(signed: ProxiedRequest, sent: ProxiedRequest = signed): Promise<Response> {
  const timestamp = String(NOW);
  const target = new URL(sent.url);
  return fetch(`${api.url}${target.pathname}${target.search}`, {
    method: sent.method,
    headers: {
      'x-hubspot-signature-v3': signatureV3(HUBSPOT.clientSecret, signed, timestamp),
      'x-hubspot-request-timestamp': timestamp,
      ...(sent.body === '' ? {} : { 'content-type': 'application/json' }),
    },
    ...(sent.body === '' ? {} : { body: sent.body }),
  });
}

const asProxied = (url: string, options: FetchOptions): ProxiedRequest => ({
  method: options.method,
  url,
  body: options.body === undefined ? '' : JSON.stringify(options.body),
});

/** `hubspot.fetch` as HubSpot's proxy serves it: sign, forward, hand back the server's answer. */
const hubspotProxy: Fetcher = (url, options) => deliver(asProxied(url, options));

/** Changes one character of a text at a position: one byte of ASCII. */
const oneByteOff = (text: string, index: number) =>
  `${text.slice(0, index)}${text[index] === 'x' ? 'y' : 'x'}${text.slice(index + 1)}`;

const cardRequest = requestOf(accountCardContract, { params: { crmId: 'a1' } });
const tierChange = requestOf(tierChangeContract, {
  params: { crmId: 'a1' },
  body: { toTier: 'tier_1', reason: 'Board sponsor engaged', idempotencyKey: 'signed-test-0001' },
});

describe('a card request signed as HubSpot signs it', () => {
  it('is answered 200 with an account card the contract parses', async () => {
    const response = await deliver({ method: 'GET', url: urlOf(CALLER, cardRequest), body: '' });
    expect(response.status).toBe(200);
    const card = AccountCardResponseSchema.parse(await response.json());
    expect(card.crm).toMatchObject({ system: 'hubspot', tenantExternalId: '111', crmId: 'a1' });
    expect(card.viewer.governanceRoles).toEqual(['abm_manager']);
  });

  it("goes through the card's own client end to end", async () => {
    const result = await callAbmApi(hubspotProxy, CALLER, cardRequest);
    expect(result.ok && result.value.crm.crmId).toBe('a1');
  });

  it('carries a write: the tier change body is signed as sent', async () => {
    const response = await deliver(asProxied(urlOf(CALLER, tierChange), { timeout: 1, ...tierChange }));
    expect(response.status).toBe(200);
    expect(TierChangeResponseSchema.safeParse(await response.json()).success).toBe(true);
  });

  it('is refused 401 when one byte of the URL differs from what was signed', async () => {
    const signed: ProxiedRequest = { method: 'GET', url: urlOf(CALLER, cardRequest), body: '' };
    for (const index of [signed.url.indexOf('/a1/') + 1, signed.url.indexOf('userId=') + 'userId='.length]) {
      const response = await deliver(signed, { ...signed, url: oneByteOff(signed.url, index) });
      expect(response.status, `byte ${index}`).toBe(401);
      expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('unauthorized');
    }
  });

  it('is refused 401 when one byte of the body differs from what was signed', async () => {
    const signed = asProxied(urlOf(CALLER, tierChange), {
      method: 'POST',
      timeout: 1,
      body: { ...tierChange.body, idempotencyKey: 'signed-test-0002' },
    });
    const tampered = { ...signed, body: signed.body.replace('tier_1', 'tier_2') };
    expect(tampered.body).not.toBe(signed.body);
    expect(tampered.body).toHaveLength(signed.body.length);
    const response = await deliver(signed, tampered);
    expect(response.status).toBe(401);
    expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('unauthorized');
  });

  it('is refused when signed with another secret, which the card shows as no access', async () => {
    const forged: Fetcher = (url, options) => {
      const request = asProxied(url, options);
      const timestamp = String(NOW);
      const target = new URL(url);
      return fetch(`${api.url}${target.pathname}${target.search}`, {
        method: request.method,
        headers: {
          'x-hubspot-signature-v3': signatureV3('not-the-client-secret', request, timestamp),
          'x-hubspot-request-timestamp': timestamp,
        },
      });
    };
    const result = await callAbmApi(forged, CALLER, cardRequest);
    expect(result.ok ? null : result.failure.kind).toBe('no_permission');
  });
});
