import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';

import { FaultRuleSchema } from '../../faults.ts';
import { expireSessions, issueAccessToken } from '../auth.ts';
import { closeOrgCursors } from '../cursors.ts';
import type { SalesforceOrg } from '../org.ts';
import { loadSeedIntoOrg } from '../seedLoader.ts';
import { mergeRecords, resetOrgData, sessionUserId } from '../store.ts';
import { setUsedCalls, usedCalls } from '../usage.ts';
import type { SalesforceEmulatorState } from './context.ts';
import { auditNow } from './context.ts';

// Test and demo controls under /__sandbox: never part of the Salesforce API, never counted, never faulted.

const OrgRef = { orgId: z.string().optional() };
const ResetBody = z.strictObject({ ...OrgRef });
const SeedBody = z.strictObject({
  ...OrgRef,
  seed: z.int(),
  accounts: z.int().positive(),
  referenceDate: z.string(),
  contacts: z.boolean().optional(),
  opportunities: z.boolean().optional(),
  engagements: z.boolean().optional(),
});
const BudgetBody = z.strictObject({
  ...OrgRef,
  limit: z.int().nonnegative().optional(),
  used: z.int().nonnegative().optional(),
});
const ExpireBody = z.strictObject({ ...OrgRef });
const SessionBody = z.strictObject({ ...OrgRef, userId: z.string().optional() });
const TtlBody = z.strictObject({ ttlMs: z.int().positive() });
const MergeBody = z.strictObject({
  ...OrgRef,
  type: z.enum(['Account', 'Contact']),
  masterId: z.string(),
  mergedIds: z.array(z.string()).min(1).max(2),
});

export function findOrg(
  state: SalesforceEmulatorState,
  orgId: string | undefined,
): SalesforceOrg | undefined {
  if (orgId === undefined) return state.orgs[0];
  return state.orgs.find((org) => org.orgId === orgId || org.orgId.slice(0, 15) === orgId);
}

export function orgSummary(state: SalesforceEmulatorState, org: SalesforceOrg): Record<string, unknown> {
  return {
    orgId: org.orgId,
    name: org.name,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    refreshToken: org.refreshToken,
    integrationUserId: org.data.integrationUserId,
    apiUsage: { used: usedCalls(org.usage, state.clock()), limit: org.usage.limit },
    counts: Object.fromEntries([...org.data.tables].map(([type, table]) => [type, table.size])),
  };
}

export function adminRouter(state: SalesforceEmulatorState): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  const withOrg = <T extends { orgId?: string | undefined }>(
    schema: z.ZodType<T>,
    handle: (org: SalesforceOrg, body: T, res: Response) => void,
  ) => {
    return (req: Request, res: Response): void => {
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) {
        res.status(400).json({ error: z.prettifyError(parsed.error) });
        return;
      }
      const org = findOrg(state, parsed.data.orgId);
      if (!org) {
        res.status(404).json({ error: `no org ${parsed.data.orgId ?? ''}` });
        return;
      }
      handle(org, parsed.data, res);
    };
  };

  router.get('/orgs', (_req, res) => {
    res.json(state.orgs.map((org) => orgSummary(state, org)));
  });
  router.post(
    '/reset',
    withOrg(ResetBody, (org, _body, res) => {
      resetOrgData(org.data, auditNow(state));
      setUsedCalls(org.usage, 0, state.clock());
      closeOrgCursors(state.cursors, org.orgId);
      res.json(orgSummary(state, org));
    }),
  );
  router.post(
    '/seed',
    withOrg(SeedBody, (org, body, res) => {
      if (!state.createDataset) {
        res.status(501).json({ error: 'no seed dataset factory configured' });
        return;
      }
      let dataset;
      try {
        dataset = state.createDataset({
          seed: body.seed,
          accounts: body.accounts,
          referenceDate: body.referenceDate,
        });
      } catch (error) {
        res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
        return;
      }
      closeOrgCursors(state.cursors, org.orgId);
      const loaded = loadSeedIntoOrg(org.data, dataset, {
        nowMs: auditNow(state),
        ...(body.contacts === undefined ? {} : { contacts: body.contacts }),
        ...(body.opportunities === undefined ? {} : { opportunities: body.opportunities }),
        ...(body.engagements === undefined ? {} : { engagements: body.engagements }),
      });
      res.json({ orgId: org.orgId, counts: loaded.counts });
    }),
  );
  router.post(
    '/budget',
    withOrg(BudgetBody, (org, body, res) => {
      if (body.limit !== undefined) org.usage.limit = body.limit;
      if (body.used !== undefined) setUsedCalls(org.usage, body.used, state.clock());
      res.json({ used: usedCalls(org.usage, state.clock()), limit: org.usage.limit });
    }),
  );
  // A session of one user, as if they had logged in: REST writes made with it are made as them.
  router.post(
    '/tokens',
    withOrg(SessionBody, (org, body, res) => {
      const user = sessionUserId(org.data, body.userId);
      if (!user.ok) {
        res.status(400).json({ error: user.error });
        return;
      }
      res.status(201).json({
        accessToken: issueAccessToken(state.auth, org.orgId, user.value, state.clock()),
        orgId: org.orgId,
        userId: user.value,
      });
    }),
  );
  router.post(
    '/tokens/expire',
    withOrg(ExpireBody, (org, _body, res) => {
      res.json({ expired: expireSessions(state.auth, org.orgId) });
    }),
  );
  router.post('/tokens/ttl', (req, res) => {
    const parsed = TtlBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    state.auth.ttlMs = parsed.data.ttlMs;
    res.json({ ttlMs: state.auth.ttlMs });
  });
  router.post(
    '/merge',
    withOrg(MergeBody, (org, body, res) => {
      const ctx = { now: auditNow(state), userId: org.data.integrationUserId };
      const merged = mergeRecords(org.data, body.type, body.masterId, body.mergedIds, ctx);
      if (!merged.ok) {
        res.status(400).json({ error: merged.error.message });
        return;
      }
      res.json({ masterId: body.masterId, mergedIds: body.mergedIds });
    }),
  );
  router.get('/faults', (_req, res) => {
    res.json(state.faults.list());
  });
  router.post('/faults', (req, res) => {
    const parsed = FaultRuleSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    state.faults.add(parsed.data);
    res.status(201).json(state.faults.list());
  });
  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.status(204).end();
  });
  return router;
}
