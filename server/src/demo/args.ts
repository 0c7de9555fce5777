import { parseArgs } from 'node:util';

import { z } from 'zod';

import type { DomainError, Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

// `npm run demo -- --speed N`: the command line, parsed by node:util for its shape and by zod for its
// values; a mistake comes back as one named error.

/**
 * Business hours per real minute by default: a tier 1 follow-up clock (8 business hours) goes at risk 36 s
 * and breaches 48 s after it starts, a business day (9 hours) takes 54 s.
 */
export const DEFAULT_SPEED = 10;
/**
 * Faster, an SLA sweep (at most one a real second) would find an 8-hour clock past due before at risk:
 * 60 business hours a minute leaves its 2 at-risk hours two sweeps.
 */
export const MAX_SPEED = 60;

export const DemoArgsSchema = z.strictObject({
  speed: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of business hours per real minute, e.g. 10 or 2.5')
    .transform(Number)
    .pipe(z.number().positive('must be above 0').max(MAX_SPEED, `must be at most ${MAX_SPEED}`))
    .default(DEFAULT_SPEED),
  help: z.boolean().default(false),
});
export type DemoArgs = z.infer<typeof DemoArgsSchema>;

export type DemoArgsError = DomainError<'invalid_demo_arguments'>;

export const DEMO_USAGE = `Usage: npm run demo [-- --speed N]

  --speed N   business hours that pass per real minute on the demo's clock (default ${DEFAULT_SPEED}, at most
              ${MAX_SPEED}); nights, weekends and holidays are skipped, so a tier 1 follow-up (8 business hours)
              breaches after 8/N real minutes`;

export function parseDemoArgs(argv: readonly string[]): Result<DemoArgs, DemoArgsError> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { speed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return err({ code: 'invalid_demo_arguments', message: error.message });
    }
    throw error;
  }
  const parsed = DemoArgsSchema.safeParse(values);
  if (parsed.success) return ok(parsed.data);
  return err({
    code: 'invalid_demo_arguments',
    message: parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '),
  });
}
