import type {
  ApiIssue,
  ConfigVersionView,
  CostLedgerLine,
  RolesResponse,
  SyncRunView,
} from '@abm-pilot/shared';
import {
  DEFAULT_GOVERNANCE_CONFIG,
  getConfigContract,
  getCostsContract,
  getRolesContract,
  instantToIso,
  parseGovernanceConfig,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  syncStatusContract,
  triggerSyncContract,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import { SYNC_KINDS } from '../../model.ts';
import type {
  ConfigVersion,
  CostLineEntry,
  RoleMapping,
  StoredCostLine,
  SyncRun,
} from '../../store/ports.ts';
import type { Caller } from '../auth.ts';
import type { Failure } from '../bind.ts';
import { bindRoute, failure, success } from '../bind.ts';
import type { ApiDeps } from './index.ts';

// The CRM admin's settings. A viewer token reads everything; only an admin token, or a programme owner
// signed in from the CRM, changes anything. Who saved a change is the token's public id (`abm_adm_…`, never
// its secret) or `user:<CRM user id>`.

type AdminCaller = Extract<Caller, { kind: 'admin' }>;

const RECENT_RUNS = 20;

export function registerAdminRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, getConfigContract, deps, async ({ caller }) => {
    const [current, history] = await Promise.all([
      deps.store.currentGovernanceConfig(caller.tenant.id),
      deps.store.governanceConfigVersions(caller.tenant.id),
    ]);
    if (current === null) return failure('not_configured', 'The tenant has no governance config yet.');
    return success({
      ...configVersionToWire(current),
      history: history.map((info) => ({ ...info, savedAt: instantToIso(info.savedAt) })),
    });
  });

  bindRoute(router, putConfigContract, deps, async ({ body, caller, now }) => {
    const refused = refuseViewer(caller);
    if (refused) return refused;
    const { basedOnVersion, ...edited } = body;
    // The store numbers the version; the domain validates the whole document as it will be stored.
    const parsed = parseGovernanceConfig({ ...edited, version: (basedOnVersion ?? 0) + 1 });
    if (!parsed.ok) {
      const issues: ApiIssue[] = parsed.error.problems.map((problem) => ({
        path: ['body', ...problem.path.split('.').filter(Boolean).map(pathSegment)],
        message: problem.message,
      }));
      return failure('invalid_request', 'The governance config is not valid.', issues);
    }
    const saved = await deps.store.saveGovernanceConfig(caller.tenant.id, parsed.value, {
      basedOnVersion,
      savedAt: now,
      savedBy: caller.actor,
    });
    if (!saved.ok) return failure('config_version_conflict', saved.error.message);
    return success(configVersionToWire(saved.value));
  });

  bindRoute(router, getRolesContract, deps, async ({ caller }) =>
    success(rolesToWire(await deps.store.userRoles(caller.tenant.id))),
  );

  bindRoute(router, putRolesContract, deps, async ({ body, caller, now }) => {
    const refused = refuseViewer(caller);
    if (refused) return refused;
    const assignments = Object.entries(body.users).map(([crmUserId, roles]) => ({ crmUserId, roles }));
    const mapping = await deps.store.replaceUserRoles(caller.tenant.id, assignments, {
      at: now,
      by: caller.actor,
    });
    return success(rolesToWire(mapping));
  });

  bindRoute(router, getCostsContract, deps, async ({ query, caller }) => {
    const [config, lines] = await Promise.all([
      deps.store.currentGovernanceConfig(caller.tenant.id),
      deps.store.costLines(caller.tenant.id, {
        ...(query.from === undefined ? {} : { from: query.from }),
        ...(query.to === undefined ? {} : { to: query.to }),
      }),
    ]);
    const currency = (config?.config ?? DEFAULT_GOVERNANCE_CONFIG).costs.currency;
    return success({ currency, lines: lines.map(costLineToWire) });
  });

  bindRoute(router, postCostsContract, deps, async ({ body, caller, now }) => {
    const refused = refuseViewer(caller);
    if (refused) return refused;
    const entries = body.lines.map(
      (line): CostLineEntry => ({
        period: line.period,
        category: line.category,
        ...(line.amount === undefined ? {} : { amount: line.amount }),
        ...(line.hours === undefined ? {} : { hours: line.hours }),
        ...(line.note === undefined ? {} : { note: line.note }),
      }),
    );
    const stored = await deps.store.appendCostLines(caller.tenant.id, entries, {
      at: now,
      by: caller.actor,
      mode: body.mode ?? 'append',
    });
    return success({ saved: stored.length, lines: stored.map(costLineToWire) });
  });

  bindRoute(router, triggerSyncContract, deps, async ({ body, caller }) => {
    const refused = refuseViewer(caller);
    if (refused) return refused;
    if (body.full === true) {
      for (const kind of SYNC_KINDS) await deps.store.resetCursor(caller.tenant.id, kind);
    }
    // The run goes on in the background; its id is known once the scheduler records it.
    const started = deps.syncNow(caller.tenant.id);
    return success({ status: started ? 'started' : 'already_running', runId: null });
  });

  bindRoute(router, syncStatusContract, deps, async ({ caller }) => {
    const { tenant } = caller;
    const [runs, lastSucceeded] = await Promise.all([
      deps.store.recentRuns(tenant.id, RECENT_RUNS),
      deps.store.lastSucceededRun(tenant.id, 'sync'),
    ]);
    const finishedAt = lastSucceeded?.finishedAt ?? null;
    return success({
      tenant: { system: tenant.crm, externalId: tenant.externalId, name: tenant.name },
      lastSucceededAt: finishedAt === null ? null : instantToIso(finishedAt),
      runs: runs.map(runToWire),
    });
  });
}

function refuseViewer(caller: AdminCaller): Failure | null {
  return caller.role === 'admin'
    ? null
    : failure('forbidden', 'A viewer token may read settings, not change them.');
}

const pathSegment = (segment: string): string | number => (/^\d+$/.test(segment) ? Number(segment) : segment);

const configVersionToWire = (version: ConfigVersion): ConfigVersionView => ({
  version: version.version,
  savedAt: instantToIso(version.savedAt),
  savedBy: version.savedBy,
  config: version.config,
});

const rolesToWire = (mapping: RoleMapping): RolesResponse => ({
  users: Object.fromEntries(mapping.users.map((user) => [user.crmUserId, [...user.roles]])),
  updatedAt: mapping.updatedAt === null ? null : instantToIso(mapping.updatedAt),
  updatedBy: mapping.updatedBy,
});

const costLineToWire = (line: StoredCostLine): CostLedgerLine => ({
  id: String(line.id),
  period: line.period,
  category: line.category,
  ...(line.amount === undefined ? {} : { amount: line.amount }),
  ...(line.hours === undefined ? {} : { hours: line.hours }),
  ...(line.note === undefined ? {} : { note: line.note }),
  enteredAt: instantToIso(line.enteredAt),
  enteredBy: line.enteredBy,
});

const runToWire = (run: SyncRun): SyncRunView => ({
  id: run.id,
  kind: run.kind,
  status: run.status,
  startedAt: instantToIso(run.startedAt),
  updatedAt: instantToIso(run.updatedAt),
  finishedAt: run.finishedAt === null ? null : instantToIso(run.finishedAt),
  counts: { ...run.counts },
  error: run.error,
});
