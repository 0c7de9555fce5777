import { z } from 'zod';

import type { DomainError, Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { SeedOptions } from './types.ts';

export const MIN_SEED_ACCOUNTS = 100;
export const MAX_SEED_ACCOUNTS = 1_000_000;

export const SeedOptionsSchema = z.strictObject({
  seed: z.int(),
  accounts: z.int().min(MIN_SEED_ACCOUNTS).max(MAX_SEED_ACCOUNTS),
  referenceDate: z.iso.datetime({ offset: true }),
});

export type SeedOptionsError = DomainError<'invalid_seed_options'>;

export function parseSeedOptions(input: unknown): Result<SeedOptions, SeedOptionsError> {
  const parsed = SeedOptionsSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const message = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
    .join('; ');
  return err({ code: 'invalid_seed_options', message });
}
