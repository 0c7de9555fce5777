import { describe, expect, it } from 'vitest';

import { accountCardContract, pendingApprovalsContract, tierChangeContract } from '../contracts/index.ts';
import { CONTRACT_EXAMPLES } from '../contracts/fixtures.ts';
import type { Transport } from './apiClient.ts';
import { callApi, failureOf, latestGate, pathAndQueryOf, requestOf } from './apiClient.ts';

const answering =
  (status: number, body: unknown): Transport =>
  async () => ({ status, json: async () => body });

describe('requests', () => {
  it('fills path parameters, escaped, and asks for the answers of the revision it was built for', () => {
    const request = requestOf(accountCardContract, { params: { crmId: 'a b' } });
    expect(pathAndQueryOf(request, { portalId: '1', userId: '2' })).toBe(
      '/api/v1/accounts/a%20b/card?portalId=1&userId=2&apiRevision=4',
    );
  });

  it('leaves out query values that are not given', () => {
    const request = requestOf(pendingApprovalsContract, { query: { role: undefined, limit: '5' } });
    expect(pathAndQueryOf(request)).toBe('/api/v1/approvals?apiRevision=4&limit=5');
  });
});

describe('answers', () => {
  const card = CONTRACT_EXAMPLES.getAccountCard.response;
  const read = requestOf(accountCardContract, { params: { crmId: '18230045611' } });

  it('are parsed with the contract', async () => {
    expect(await callApi(answering(200, card), read)).toEqual({ ok: true, value: card });
  });

  it('that the contract does not describe are unexpected, unless the carrier unwraps an error from them', async () => {
    expect(await callApi(answering(200, { surprise: true }), read)).toEqual({
      ok: false,
      failure: { kind: 'unexpected_answer' },
    });
    const envelope = {
      status: 'error',
      responseBody: '{"error":{"code":"not_found","message":"No such account."}}',
    };
    const unwrapped = await callApi(answering(200, envelope), read, (body) => {
      const text = (body as { responseBody: string }).responseBody;
      return { status: 404, body: JSON.parse(text) };
    });
    expect(unwrapped).toEqual({ ok: false, failure: { kind: 'not_found', message: 'No such account.' } });
  });

  it('that never came are the server being unreachable', async () => {
    const down: Transport = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await callApi(down, read)).toEqual({ ok: false, failure: { kind: 'unreachable' } });
  });

  it('sends the body of a write as given', async () => {
    const sent: unknown[] = [];
    const change = requestOf(tierChangeContract, {
      params: { crmId: '1' },
      body: { toTier: 'tier_2', idempotencyKey: 'key-0001-abcd' },
    });
    await callApi(async (request) => {
      sent.push(request.body);
      return { status: 200, json: async () => CONTRACT_EXAMPLES.requestTierChange.response };
    }, change);
    expect(sent).toEqual([{ toTier: 'tier_2', idempotencyKey: 'key-0001-abcd' }]);
  });
});

describe('failures', () => {
  const body = (code: string) => ({ error: { code, message: `server says ${code}` } });

  it('read the stable code first', () => {
    expect(failureOf(409, body('not_configured')).kind).toBe('not_configured');
    expect(failureOf(403, body('unknown_user')).kind).toBe('no_permission');
    expect(failureOf(403, body('not_allowed_for_role')).kind).toBe('no_permission');
    expect(failureOf(404, body('not_found')).kind).toBe('not_found');
    expect(failureOf(429, body('rate_limited')).kind).toBe('busy');
    expect(failureOf(500, body('internal_error')).kind).toBe('server_error');
    expect(failureOf(409, body('approval_expired'))).toEqual({
      kind: 'rejected',
      code: 'approval_expired',
      message: 'server says approval_expired',
      issues: [],
    });
  });

  it('fall back on the status when the body is not an API error', () => {
    expect(failureOf(401, '<html>').kind).toBe('no_permission');
    expect(failureOf(502, null).kind).toBe('server_error');
    expect(failureOf(418, null).kind).toBe('unexpected_answer');
  });
});

describe('the latest gate', () => {
  it('lets only the newest read show its answer, and none once the data shown was replaced', () => {
    const gate = latestGate();
    const first = gate.take();
    const second = gate.take();
    expect([first(), second()]).toEqual([false, true]);
    gate.expire();
    expect(second()).toBe(false);
  });
});
