import { Router } from 'express';
import type { Logger } from 'pino';

import type { ConnectDeps } from '../usecases/connectSalesforce.ts';
import { completeConnect, startConnect } from '../usecases/connectSalesforce.ts';

// GET /oauth/salesforce/connect and /oauth/salesforce/callback: the org admin's browser goes through these.
// The callback's page shows the org key once, with the Named Credential step it goes into.

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1>${body}</html>`;

export function salesforceConnectRouter(deps: ConnectDeps, log: Logger): Router {
  const router = Router();
  router.get('/salesforce/connect', async (req, res, next) => {
    try {
      const hint = typeof req.query['login_hint'] === 'string' ? req.query['login_hint'] : undefined;
      res.redirect(302, await startConnect(deps, hint));
    } catch (error) {
      next(error);
    }
  });
  router.get('/salesforce/callback', async (req, res, next) => {
    try {
      const outcome = await completeConnect(deps, req.query);
      // The page may hold the org key: no cache keeps it.
      res.set('cache-control', 'no-store');
      if (!outcome.ok) {
        log.warn({ code: outcome.error.code }, 'Salesforce connect refused');
        res
          .status(400)
          .type('html')
          .send(
            page(
              'The Salesforce org was not connected',
              `<p><code>${outcome.error.code}</code>: ${escape(outcome.error.message)}</p>`,
            ),
          );
        return;
      }
      const { orgId, orgKey, orgKeyId, tenantId } = outcome.value;
      log.info({ tenant: tenantId, orgKeyId }, 'Salesforce org connected');
      res
        .status(200)
        .type('html')
        .send(
          page(
            'ABM Pilot is connected to your org',
            `<p>Org ${escape(orgId)} is connected; its first sync has started.</p>
<p>Its org key, shown this once (id <code>${escape(orgKeyId)}</code>):</p>
<pre id="org-key">${escape(orgKey)}</pre>
<p>In the org: Setup &rarr; Named Credentials &rarr; External Credentials &rarr; ABM Pilot &rarr; principal
<code>AbmPilotOrg</code> &rarr; Authentication Parameters &rarr; add <code>ApiKey</code> with the key as value.
An earlier key of this org keeps working for a week.</p>`,
          ),
        );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
