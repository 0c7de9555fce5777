import { API_CONTRACTS, OpenApiDocumentSchema, openApiPathOf } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Harness } from './apiTestHarness.ts';
import { startApi } from './apiTestHarness.ts';

let api: Harness;
beforeEach(async () => {
  api = await startApi();
});
afterEach(() => api.close());

describe('GET /api/v1/openapi.json', () => {
  it('serves the OpenAPI 3.1 document of every contract without credentials, the same each time', async () => {
    const response = await fetch(`${api.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = OpenApiDocumentSchema.parse(await response.json());
    expect(document.openapi).toBe('3.1.0');
    for (const [operationId, contract] of Object.entries(API_CONTRACTS)) {
      const operation = document.paths[openApiPathOf(contract.path)]?.[contract.method.toLowerCase()];
      expect(operation, operationId).toMatchObject({ operationId });
    }
    expect(await (await fetch(`${api.url}/api/v1/openapi.json`)).json()).toEqual(document);
  });

  it('names the credential each operation needs: admin token for admin, signature or org key for cards', async () => {
    const document = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security: unknown }>>;
    };
    expect(document.paths['/api/v1/admin/config']?.['put']?.security).toEqual([{ adminToken: [] }]);
    expect(document.paths['/api/v1/audit']?.['get']?.security).toEqual([
      { hubspotSignature: [] },
      { orgApiKey: [] },
    ]);
    expect(document.paths['/api/v1/openapi.json']?.['get']?.security).toEqual([]);
  });
});
