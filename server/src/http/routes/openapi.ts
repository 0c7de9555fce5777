import type { ContractResponse } from '@abm-pilot/shared';
import {
  API_COMPONENT_SCHEMAS,
  API_CONTRACTS,
  buildOpenApiDocument,
  openApiContract,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import { bindRoute, success } from '../bind.ts';
import type { ApiDeps } from './index.ts';

// The document is a pure function of the contracts, so it is built once, on first request: startup does
// not pay for zod's JSON Schema output, and every answer is the same object.

export function registerOpenApiRoutes(router: Router, deps: ApiDeps): void {
  let document: ContractResponse<typeof openApiContract> | null = null;
  bindRoute(router, openApiContract, deps, async () => {
    document ??= { ...buildOpenApiDocument(API_CONTRACTS, { components: API_COMPONENT_SCHEMAS }) };
    return success(document);
  });
}
