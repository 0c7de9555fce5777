import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { TierChangeRejectionSchema } from '../config/vocabulary.ts';
import { API_ERROR_CODES, API_ERROR_STATUS, apiError, ApiErrorSchema, issuesOfZodError } from './errors.ts';

describe('API errors', () => {
  it('build bodies that parse as the one error shape, with or without issues', () => {
    expect(ApiErrorSchema.parse(apiError('not_found', 'No such account.'))).toEqual({
      error: { code: 'not_found', message: 'No such account.' },
    });
    const withIssues = apiError('invalid_request', 'Malformed body.', [
      { path: ['body', 'toTier'], message: 'x' },
    ]);
    expect(ApiErrorSchema.parse(withIssues).error.issues).toEqual([
      { path: ['body', 'toTier'], message: 'x' },
    ]);
    expect(ApiErrorSchema.safeParse({ error: { code: 'teapot', message: 'x' } }).success).toBe(false);
  });

  it('give every code a client or server error status, and 5xx only to the server-side ones', () => {
    for (const code of API_ERROR_CODES) {
      expect(API_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(API_ERROR_STATUS[code] >= 500).toBe(code === 'internal_error' || code === 'not_ready');
    }
  });

  it('keep tier change rejections out of the error codes: they are outcomes, answered 200', () => {
    for (const rejection of TierChangeRejectionSchema.options) {
      if (rejection !== 'not_allowed_for_role') expect(API_ERROR_CODES).not.toContain(rejection);
    }
  });

  it('report zod issues at their path under a prefix, one issue per unknown key', () => {
    const schema = z.strictObject({
      tier: z.enum(['tier_1']),
      items: z.array(z.strictObject({ n: z.int() })),
    });
    const result = schema.safeParse({ tier: 'tier_9', items: [{ n: 1 }, { n: 1.5, extra: 1, more: 2 }] });
    if (result.success) throw new Error('expected a failure');
    expect(issuesOfZodError(result.error, ['body']).map((issue) => issue.path)).toEqual([
      ['body', 'tier'],
      ['body', 'items', 1, 'n'],
      ['body', 'items', 1, 'extra'],
      ['body', 'items', 1, 'more'],
    ]);
  });
});
