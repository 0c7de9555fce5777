import { accountCardContract, IdempotencyKeySchema, pendingApprovalsContract } from '@abm-pilot/shared';
import { requestOf } from '@abm-pilot/shared/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { callAbmApi, newIdempotencyKey, unwrapProxyEnvelope, urlOf } from './hubspotApi.ts';

const CALLER = { portalId: 1, userId: 2 };
const json = (status: number, body: unknown) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('requests through HubSpot', () => {
  it('fills path parameters, escaped, and puts the caller first in the query', () => {
    const request = requestOf(accountCardContract, { params: { crmId: 'a b' } });
    expect(urlOf(CALLER, request)).toBe(
      'https://abm.example.com/api/v1/accounts/a%20b/card?portalId=1&userId=2&apiRevision=4',
    );
  });

  it('leaves out query values that are not given', () => {
    const request = requestOf(pendingApprovalsContract, { query: { role: undefined, limit: '5' } });
    expect(urlOf(CALLER, request)).toBe(
      'https://abm.example.com/api/v1/approvals?portalId=1&userId=2&apiRevision=4&limit=5',
    );
  });

  it("sends a write's body as an object, with HubSpot's timeout", async () => {
    const sent: unknown[] = [];
    await callAbmApi(
      (url, options) => {
        sent.push({ url, ...options });
        return json(200, { approvals: [] });
      },
      CALLER,
      { ...requestOf(pendingApprovalsContract), method: 'POST', body: { comment: 'ok' } },
    );
    expect(sent).toEqual([
      {
        url: 'https://abm.example.com/api/v1/approvals?portalId=1&userId=2&apiRevision=4',
        method: 'POST',
        timeout: 15_000,
        body: { comment: 'ok' },
      },
    ]);
  });
});

describe("HubSpot's proxy envelope", () => {
  const envelope = (responseBody: unknown, status = '409') => ({
    status: 'error',
    category: 'BAD_GATEWAY',
    message: 'Error returned from Request Uri',
    context: { appServerStatusCode: [status] },
    responseBody,
  });

  it("gives back the app server's status and its body, sent as text", () => {
    const body = { error: { code: 'not_configured', message: 'No config yet.' } };
    expect(unwrapProxyEnvelope(envelope(JSON.stringify(body)))).toEqual({ status: 409, body });
  });

  it('is not mistaken for an answer that merely says error', () => {
    expect(unwrapProxyEnvelope({ status: 'ok' })).toBeNull();
    expect(unwrapProxyEnvelope({ error: { code: 'not_found', message: 'no' } })).toBeNull();
  });

  it('turns a wrapped refusal into the failure the server meant', async () => {
    const result = await callAbmApi(
      () =>
        json(
          200,
          envelope(JSON.stringify({ error: { code: 'not_found', message: 'No such account.' } }), '404'),
        ),
      CALLER,
      requestOf(accountCardContract, { params: { crmId: 'a1' } }),
    );
    expect(result).toEqual({ ok: false, failure: { kind: 'not_found', message: 'No such account.' } });
  });

  it('says a call that never got an answer is unreachable', async () => {
    const result = await callAbmApi(
      () => Promise.reject(new TypeError('Failed to fetch')),
      CALLER,
      requestOf(pendingApprovalsContract),
    );
    expect(result).toEqual({ ok: false, failure: { kind: 'unreachable' } });
  });
});

describe('idempotency keys', () => {
  it('are keys the server accepts, and differ between attempts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (now, r) => {
          expect(IdempotencyKeySchema.safeParse(newIdempotencyKey(now, () => r)).success).toBe(true);
        },
      ),
    );
    expect(newIdempotencyKey(1, () => 0.1)).not.toBe(newIdempotencyKey(1, () => 0.2));
  });
});
