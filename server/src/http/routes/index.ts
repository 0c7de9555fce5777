import type { Instant } from '@abm-pilot/shared';
import { Router } from 'express';
import type { Logger } from 'pino';

import type { Store } from '../../store/ports.ts';
import type { HubSpotAppAuth } from '../auth.ts';
import { registerConsoleRoutes } from '../console/routes.ts';
import { registerAccountRoutes } from './accounts.ts';
import { registerAdminRoutes } from './admin.ts';
import { registerApprovalRoutes } from './approvals.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerMetricsRoutes } from './metrics.ts';
import { registerOpenApiRoutes } from './openapi.ts';
import { registerWebhookRoutes } from './webhooks.ts';

export interface ApiDeps {
  readonly store: Store;
  readonly clock: () => Instant;
  /** `null` when no HubSpot app is configured: signed calls are then refused. */
  readonly hubspot: HubSpotAppAuth | null;
  /** Starts a sync of the tenant now (the scheduler's lease keeps it single); resolves with the run's status. */
  readonly triggerSync: (tenantId: string) => Promise<{ readonly started: boolean }>;
  readonly log: Logger;
}

/** The versioned API: one route per contract of `shared/contracts`. */
export function createApiRouter(deps: ApiDeps): Router {
  const router = Router();
  registerAccountRoutes(router, deps);
  registerApprovalRoutes(router, deps);
  registerAuditRoutes(router, deps);
  registerMetricsRoutes(router, deps);
  registerAdminRoutes(router, deps);
  registerWebhookRoutes(router, deps);
  registerOpenApiRoutes(router, deps);
  registerConsoleRoutes(router, deps);
  return router;
}
