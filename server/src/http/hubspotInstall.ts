import { Router } from 'express';
import type { Logger } from 'pino';

import type { InstallDeps } from '../usecases/installHubSpot.ts';
import { completeInstall, startInstall } from '../usecases/installHubSpot.ts';

// GET /oauth/hubspot/install and /oauth/hubspot/callback: a person's browser goes through these, so they
// answer with a redirect or a short page, refusals as 400 pages naming their code.

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${body}</p></html>`;

export function hubspotInstallRouter(deps: InstallDeps, log: Logger): Router {
  const router = Router();
  router.get('/hubspot/install', async (_req, res, next) => {
    try {
      res.redirect(302, await startInstall(deps));
    } catch (error) {
      next(error);
    }
  });
  router.get('/hubspot/callback', async (req, res, next) => {
    try {
      const outcome = await completeInstall(deps, req.query);
      if (!outcome.ok) {
        log.warn({ code: outcome.error.code }, 'HubSpot install refused');
        res
          .status(400)
          .type('html')
          .send(
            page(
              'ABM Pilot was not installed',
              `<code>${outcome.error.code}</code>: ${escape(outcome.error.message)}`,
            ),
          );
        return;
      }
      log.info({ tenant: outcome.value.tenantId }, 'HubSpot portal installed');
      res
        .status(200)
        .type('html')
        .send(
          page(
            'ABM Pilot is installed',
            `Portal ${escape(outcome.value.portalId)} is connected; its first sync has started.`,
          ),
        );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
