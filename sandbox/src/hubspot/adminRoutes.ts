import type { Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';

import { FaultRuleSchema } from '../faults.ts';
import { createSeedDataset } from '../seed/index.ts';
import { SeedOptionsSchema } from '../seed/options.ts';
import type { HubSpotEmulator } from './emulator.ts';
import type { RateLimits } from './rateLimits.ts';
import { RateLimitsSchema } from './rateLimits.ts';
import type { UiEditBody } from './uiEdits.ts';
import { editInHubSpotUi } from './uiEdits.ts';
import { WebhookConfigSchema } from './webhooks.ts';

// Sandbox-only controls under /__sandbox: no token, no rate limit, no injected faults. They let tests,
// the CLI and the demo reset the emulator, add portals, load seeds, set limits, set faults, configure
// and flush webhooks, mint authorization codes, and make edits "in HubSpot" (changeSource CRM_UI), by a
// named user when the body gives `userId`.

const adminError = (res: Response, status: number, message: string, issues?: unknown): void => {
  res.status(status).json({ status: 'error', message, ...(issues === undefined ? {} : { issues }) });
};

/** zod's partial objects type absent keys as `undefined`, which exact optional properties refuse. */
const definedOnly = (limits: {
  readonly [K in keyof RateLimits]?: number | undefined;
}): Partial<RateLimits> =>
  Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));

const PortalBodySchema = z.strictObject({
  portalId: z.int().positive(),
  hubDomain: z.string().min(1).optional(),
  privateAppToken: z.string().min(1).nullable().optional(),
  limits: RateLimitsSchema.partial().optional(),
  webhooks: WebhookConfigSchema.optional(),
});

const SeedBodySchema = SeedOptionsSchema.extend({
  contacts: z.boolean().optional(),
  deals: z.boolean().optional(),
  engagements: z.boolean().optional(),
});

const AuthorizeBodySchema = z.strictObject({
  portalId: z.int().positive(),
  redirectUri: z.string().min(1),
  scopes: z.array(z.string()).optional(),
});

export const adminRoutes = (emulator: HubSpotEmulator): Router => {
  const router = Router();

  const portalOr404 = (res: Response, portalIdText: string) => {
    const found = emulator.state.portals.get(Number(portalIdText));
    if (!found) adminError(res, 404, `no portal ${portalIdText}`);
    return found;
  };

  router.get('/__sandbox/state', (_req, res) => {
    res.json({
      portals: [...emulator.state.portals.values()].map((portal) => ({
        portalId: portal.portalId,
        hubDomain: portal.hubDomain,
        privateAppToken: emulator.privateAppToken(portal.portalId) ?? null,
        limits: portal.limits,
        webhooks: portal.webhooks
          ? { targetUrl: portal.webhooks.config.targetUrl, pending: portal.webhooks.queue.length }
          : null,
        counts: Object.fromEntries(
          Object.entries(portal.data.tables).map(([type, table]) => [type, table.countLive()]),
        ),
        owners: portal.data.owners.length,
      })),
      oauthApp: {
        appId: emulator.state.auth.app.appId,
        clientId: emulator.state.auth.app.clientId,
        clientSecret: emulator.state.auth.app.clientSecret,
        scopes: emulator.state.auth.app.scopes,
      },
      faults: emulator.faults.list(),
    });
  });

  router.post('/__sandbox/reset', (_req, res) => {
    emulator.reset();
    res.status(204).end();
  });

  router.post('/__sandbox/portals', (req, res) => {
    const parsed = PortalBodySchema.safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid portal', parsed.error.issues);
    if (emulator.state.portals.has(parsed.data.portalId)) {
      return adminError(res, 409, `portal ${parsed.data.portalId} already exists`);
    }
    const { portalId, hubDomain, privateAppToken, limits, webhooks } = parsed.data;
    const portal = emulator.addPortal({
      portalId,
      ...(hubDomain === undefined ? {} : { hubDomain }),
      ...(privateAppToken === undefined ? {} : { privateAppToken }),
      ...(limits === undefined ? {} : { limits: definedOnly(limits) }),
      ...(webhooks === undefined ? {} : { webhooks }),
    });
    res.status(201).json({
      portalId: portal.portalId,
      hubDomain: portal.hubDomain,
      privateAppToken: emulator.privateAppToken(portal.portalId) ?? null,
    });
  });

  router.post('/__sandbox/portals/:portalId/seed', (req, res) => {
    const portal = portalOr404(res, req.params.portalId);
    if (!portal) return;
    const parsed = SeedBodySchema.safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid seed options', parsed.error.issues);
    const { contacts, deals, engagements, ...seedOptions } = parsed.data;
    const report = emulator.loadSeed(portal.portalId, createSeedDataset(seedOptions), {
      ...(contacts === undefined ? {} : { contacts }),
      ...(deals === undefined ? {} : { deals }),
      ...(engagements === undefined ? {} : { engagements }),
    });
    res.json(report);
  });

  router.put('/__sandbox/portals/:portalId/limits', (req, res) => {
    const portal = portalOr404(res, req.params.portalId);
    if (!portal) return;
    const parsed = RateLimitsSchema.partial().safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid limits', parsed.error.issues);
    res.json(emulator.setLimits(portal.portalId, definedOnly(parsed.data)));
  });

  router.put('/__sandbox/portals/:portalId/webhooks', (req, res) => {
    const portal = portalOr404(res, req.params.portalId);
    if (!portal) return;
    const parsed = WebhookConfigSchema.safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid webhook configuration', parsed.error.issues);
    emulator.configureWebhooks(portal.portalId, parsed.data);
    res.status(204).end();
  });

  router.delete('/__sandbox/portals/:portalId/webhooks', (req, res) => {
    const portal = portalOr404(res, req.params.portalId);
    if (!portal) return;
    emulator.configureWebhooks(portal.portalId, null);
    res.status(204).end();
  });

  router.patch('/__sandbox/portals/:portalId/objects/:objectType/:objectId', (req, res) => {
    const portal = portalOr404(res, req.params.portalId);
    if (!portal) return;
    const outcome = editInHubSpotUi(
      portal,
      emulator.now(),
      req.params.objectType,
      req.params.objectId,
      req.body as UiEditBody | undefined,
    );
    res.status(outcome.status).json(outcome.body);
  });

  router.get('/__sandbox/faults', (_req, res) => {
    res.json({ rules: emulator.faults.list() });
  });

  router.post('/__sandbox/faults', (req, res) => {
    const parsed = FaultRuleSchema.safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid fault rule', parsed.error.issues);
    emulator.faults.add(parsed.data);
    res.status(201).json({ rules: emulator.faults.list() });
  });

  router.delete('/__sandbox/faults', (_req, res) => {
    emulator.faults.clear();
    res.status(204).end();
  });

  router.get('/__sandbox/webhooks/deliveries', (req, res) => {
    const portalId = typeof req.query.portalId === 'string' ? Number(req.query.portalId) : null;
    res.json({
      deliveries: emulator.state.deliveries.filter(
        (delivery) => portalId === null || delivery.portalId === portalId,
      ),
    });
  });

  router.post('/__sandbox/webhooks/flush', async (_req, res) => {
    res.json(await emulator.flushWebhooks());
  });

  router.post('/__sandbox/oauth/authorize', (req, res) => {
    const parsed = AuthorizeBodySchema.safeParse(req.body);
    if (!parsed.success) return adminError(res, 400, 'invalid authorization request', parsed.error.issues);
    if (!emulator.state.portals.has(parsed.data.portalId))
      return adminError(res, 404, `no portal ${parsed.data.portalId}`);
    const code = emulator.issueAuthorizationCode(
      parsed.data.portalId,
      parsed.data.redirectUri,
      parsed.data.scopes,
    );
    res.status(201).json({ code });
  });

  return router;
};
