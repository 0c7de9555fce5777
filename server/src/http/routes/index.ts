import { Router } from 'express';

import type { DecisionDeps } from '../../usecases/deliverDecision.ts';
import type { HubSpotAppAuth } from '../auth.ts';
import { registerConsoleRoutes } from '../console/routes.ts';
import { registerAccountRoutes } from './accounts.ts';
import { registerAdminRoutes } from './admin.ts';
import { registerApprovalRoutes } from './approvals.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerMetricsRoutes } from './metrics.ts';
import { registerOpenApiRoutes } from './openapi.ts';
import { registerWebhookRoutes } from './webhooks.ts';

/** What the routes need: the use cases' own dependencies, the HubSpot app's secret, and the scheduler. */
export interface ApiDeps extends DecisionDeps {
  /** `null` when no HubSpot app is configured: signed calls are then refused. */
  readonly hubspot: HubSpotAppAuth | null;
  /** Starts a sync of the tenant now; `false` when one is already running here or none can start. */
  readonly syncNow: (tenantId: string) => boolean;
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
