import type { DomainError, GovernanceConfig, Instant, Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { ApiUsage, CrmConnector } from '../connectors/ports.ts';
import { ConnectorFailure } from '../connectors/ports.ts';
import type { SyncKind } from '../model.ts';
import { SYNC_KINDS } from '../model.ts';
import type { RunKind, Store } from '../store/ports.ts';
import { reconcileAlertTasks } from './alertTasks.ts';
import { checkMarketingDelivery } from './checkMarketingDelivery.ts';
import { expireApprovals } from './decideApproval.ts';
import { deliverTasks, writeBack } from './delivery.ts';
import { recomputeAccounts } from './recompute.ts';
import { governanceConfigOf } from './rules.ts';

// The data plane of one tenant: pull what changed, recompute the accounts it touched, bring the SLA tasks
// in line with the clocks, write back the ABM fields that changed, and deliver the tasks from the outbox. Every step saves as it goes, so a run
// killed at any point resumes where it stopped: cursors only move with saved pages, recompute marks are
// durable, and write-back and tasks are idempotent by design.

export interface SyncDeps {
  readonly store: Store;
  readonly connector: CrmConnector;
  readonly clock: () => Instant;
  /** Who holds the tenant's lease: one run of a tenant at a time, across processes. */
  readonly holder: string;
  readonly onProgress?: (progress: SyncProgress) => void;
}

export interface SyncProgress {
  readonly tenantId: string;
  readonly step: 'pull' | 'compute' | 'alerts' | 'write_back' | 'tasks';
  readonly kind?: SyncKind;
  readonly done: number;
}

export interface SyncReport {
  readonly pulled: Readonly<Record<SyncKind, number>>;
  readonly computed: number;
  readonly written: number;
  readonly writeFailures: number;
  readonly tasksSent: number;
  readonly taskFailures: number;
}

export type SyncError = DomainError<'sync_in_progress' | 'crm_failure'>;

// Short, and renewed at every step of a run: a process that dies frees its tenant within two minutes,
// while a live run, however long, keeps it.
const LEASE_TTL_MS = 2 * 60_000;
const COMPUTE_BATCH = 500;
const MAX_STALE_RETRIES = 5;

/** A full run: pull, recompute, write back, deliver tasks. */
export async function syncTenant(deps: SyncDeps): Promise<Result<SyncReport, SyncError>> {
  return withRun(deps, 'sync', async (runId) => {
    deps.connector.beginRun?.();
    const pulled = await pullChanges(deps, runId);
    return { pulled, ...(await settle(deps)) };
  });
}

/**
 * The SLA sweep: clocks and approvals move with time alone, so approvals past their expiry expire, and
 * accounts with a running clock are recomputed and delivered.
 */
export async function sweepSlas(deps: SyncDeps): Promise<Result<SyncReport, SyncError>> {
  return withRun(deps, 'sla', async () => {
    deps.connector.beginRun?.();
    const tenantId = deps.connector.tenant.id;
    await expireApprovals(deps, tenantId);
    const running = await deps.store.openSlaInstances(tenantId);
    await deps.store.markForCompute(tenantId, [...new Set(running.map((instance) => instance.accountId))]);
    await checkMarketingDelivery(deps);
    return { pulled: emptyPulled(), ...(await settle(deps)) };
  });
}

async function settle(deps: SyncDeps) {
  const tenantId = deps.connector.tenant.id;
  const config = await governanceConfigOf(deps.store, tenantId);
  const computed = await recomputeDueAccounts(deps, config);
  const alerts = await reconcileAlertTasks(deps, deps.connector.tenant, config);
  await progressed(deps, { tenantId, step: 'alerts', done: alerts });
  const written = await writeBack(deps, {
    onBatch: (done) => progressed(deps, { tenantId, step: 'write_back', done }),
  });
  const tasks = await deliverTasks(deps, (done) => progressed(deps, { tenantId, step: 'tasks', done }));
  return { computed, ...written, ...tasks };
}

/** Another process took the tenant over after this one's lease lapsed: this run must stop writing. */
class LeaseLost extends Error {}

/** Reports progress and renews the tenant's lease, which proves this run still owns the tenant. */
async function progressed(deps: SyncDeps, progress: SyncProgress): Promise<void> {
  deps.onProgress?.(progress);
  if (!(await deps.store.tryAcquireLease(progress.tenantId, deps.holder, LEASE_TTL_MS, deps.clock()))) {
    throw new LeaseLost(`The lease of ${progress.tenantId} passed to another process.`);
  }
}

async function withRun(
  deps: SyncDeps,
  kind: RunKind,
  work: (runId: number) => Promise<SyncReport>,
): Promise<Result<SyncReport, SyncError>> {
  const { store, connector, clock, holder } = deps;
  const tenantId = connector.tenant.id;
  if (!(await store.tryAcquireLease(tenantId, holder, LEASE_TTL_MS, clock()))) {
    return err({ code: 'sync_in_progress', message: `A run for ${tenantId} is already in progress.` });
  }
  const run = await store.startRun(tenantId, { kind, holder, startedAt: clock() });
  const callsBefore = connector.usage().calls;
  try {
    const report = await work(run.id);
    await store.finishRun(tenantId, run.id, {
      status: 'succeeded',
      finishedAt: clock(),
      // The API calls it took, and the CRM's daily allowance left after it: what an operator's health shows.
      counts: { ...countsOf(report), ...apiCountsOf(connector.usage(), callsBefore) },
      error: null,
    });
    return ok(report);
  } catch (error) {
    if (error instanceof LeaseLost) {
      await store.finishRun(tenantId, run.id, {
        status: 'stopped',
        finishedAt: clock(),
        counts: {},
        error: 'lease_lost',
      });
      return err({ code: 'sync_in_progress', message: error.message });
    }
    if (!(error instanceof ConnectorFailure)) {
      await store.finishRun(tenantId, run.id, {
        status: 'failed',
        finishedAt: clock(),
        counts: {},
        error: 'internal_error',
      });
      throw error;
    }
    await store.finishRun(tenantId, run.id, {
      status: 'failed',
      finishedAt: clock(),
      counts: {},
      error: error.failure.code,
    });
    return err({ code: 'crm_failure', message: error.message });
  } finally {
    await store.releaseLease(tenantId, holder);
  }
}

async function pullChanges(deps: SyncDeps, runId: number): Promise<Record<SyncKind, number>> {
  const { store, connector, clock } = deps;
  const tenantId = connector.tenant.id;
  const pulled = emptyPulled();
  for (const kind of SYNC_KINDS) {
    const since = await store.cursor(tenantId, kind);
    for await (const page of connector.pull(kind, since)) {
      await store.savePage(tenantId, page, clock());
      pulled[kind] += page.records.length + page.deletedCrmIds.length;
      await progressed(deps, { tenantId, step: 'pull', kind, done: pulled[kind] });
    }
    await store.recordRunProgress(tenantId, runId, pulled, clock());
  }
  return pulled;
}

/** Recomputes every account marked due, in batches; a batch refused as stale is simply read again. */
async function recomputeDueAccounts(deps: SyncDeps, config: GovernanceConfig): Promise<number> {
  const tenantId = deps.connector.tenant.id;
  let computed = 0;
  let staleRetries = 0;
  for (;;) {
    const due = await deps.store.accountsToCompute(tenantId, COMPUTE_BATCH);
    if (due.length === 0) return computed;
    const batch = await recomputeAccounts(deps, due, config);
    computed += batch.saved;
    // Accounts changed under the batch (a tier decision through the API): read them again, a few times.
    if (batch.stale.length > 0 && ++staleRetries > MAX_STALE_RETRIES) return computed;
    if (batch.saved === 0 && batch.stale.length === 0) return computed;
    await progressed(deps, { tenantId, step: 'compute', done: computed });
  }
}

const emptyPulled = (): Record<SyncKind, number> => ({
  owners: 0,
  accounts: 0,
  contacts: 0,
  deals: 0,
  engagements: 0,
});

function apiCountsOf(usage: ApiUsage, callsBefore: number): Record<string, number> {
  return {
    api_calls: usage.calls - callsBefore,
    ...(usage.dailyRemaining === undefined ? {} : { api_daily_remaining: usage.dailyRemaining }),
  };
}

function countsOf(report: SyncReport): Record<string, number> {
  return {
    ...Object.fromEntries(Object.entries(report.pulled).map(([kind, count]) => [`pulled_${kind}`, count])),
    computed: report.computed,
    written: report.written,
    write_failures: report.writeFailures,
    tasks_sent: report.tasksSent,
    task_failures: report.taskFailures,
  };
}
