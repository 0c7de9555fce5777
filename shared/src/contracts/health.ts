import { z } from 'zod';

import { COMMON_ERRORS, defineContract } from './contract.ts';

// Liveness, readiness and the API's own description: no authentication.

export const HealthzResponseSchema = z.strictObject({ status: z.literal('ok') });
export type HealthzResponse = z.infer<typeof HealthzResponseSchema>;

export const healthzContract = defineContract({
  method: 'GET',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  auth: 'public',
  response: HealthzResponseSchema,
  errors: COMMON_ERRORS.public,
});

export const ReadyzResponseSchema = z.strictObject({
  status: z.literal('ready'),
  /** Each dependency checked (store, migrations...). */
  checks: z.record(z.string(), z.literal('ok')),
});
export type ReadyzResponse = z.infer<typeof ReadyzResponseSchema>;

export const readyzContract = defineContract({
  method: 'GET',
  path: '/readyz',
  summary: 'Readiness: store open and migrated, not shutting down (503 not_ready otherwise)',
  auth: 'public',
  response: ReadyzResponseSchema,
  errors: [...COMMON_ERRORS.public, 'not_ready'],
});

/** An OpenAPI 3.1 document; `buildOpenApiDocument` makes it. */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const openApiContract = defineContract({
  method: 'GET',
  path: '/api/v1/openapi.json',
  summary: 'This API as an OpenAPI 3.1 document, generated from the same contracts',
  auth: 'public',
  response: OpenApiDocumentSchema,
  errors: COMMON_ERRORS.public,
});
