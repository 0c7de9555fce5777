import { accountCardContract, IdempotencyKeySchema, pendingApprovalsContract } from '@abm-pilot/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { failureMessage, failureOf, newIdempotencyKey, requestOf, urlOf } from './abmApi.ts';

describe('requests', () => {
  it('fills path parameters, escaped, and puts the caller first in the query', () => {
    const request = requestOf(accountCardContract, { params: { crmId: 'a b' } });
    expect(urlOf({ portalId: 1, userId: 2 }, request)).toBe(
      'https://abm.example.com/api/v1/accounts/a%20b/card?portalId=1&userId=2&apiRevision=2',
    );
  });

  it('leaves out query values that are not given', () => {
    const request = requestOf(pendingApprovalsContract, { query: { role: undefined, limit: '5' } });
    expect(urlOf({ portalId: 1, userId: 2 }, request)).toBe(
      'https://abm.example.com/api/v1/approvals?portalId=1&userId=2&apiRevision=2&limit=5',
    );
  });
});

describe('failures', () => {
  const body = (code: string) => ({ error: { code, message: `server says ${code}` } });

  it('reads the stable code first', () => {
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

  it('falls back on the status when the body is not an API error', () => {
    expect(failureOf(401, '<html>').kind).toBe('no_permission');
    expect(failureOf(502, null).kind).toBe('server_error');
    expect(failureOf(418, null).kind).toBe('unexpected_answer');
  });

  it('names the fields of an invalid request', () => {
    const failure = failureOf(400, {
      error: {
        code: 'invalid_request',
        message: 'The request is not valid.',
        issues: [{ path: ['body', 'reason'], message: 'Too long' }],
      },
    });
    expect(failureMessage(failure)).toBe('The request is not valid. body.reason: Too long');
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
