import type { DomainError, GovernanceConfig, Instant, Result, SlaAlert, TaskClose } from '@abm-pilot/shared';
import { DAY_MS, DEFAULT_GOVERNANCE_CONFIG, err, foldIntoDigests, ok } from '@abm-pilot/shared';

import type { CrmConnector } from '../connectors/ports.ts';
import { ConnectorFailure } from '../connectors/ports.ts';
import type { AccountWrite, SyncKind, TaskWrite } from '../model.ts';
import { SYNC_KINDS } from '../model.ts';
import type { AccountContext, RunKind, Store } from '../store/ports.ts';
import type { AccountComputation as ComputedAccount, AccountSnapshot } from './computeAccount.ts';
import { computeAccount } from './computeAccount.ts';

// The data plane of one tenant: pull what changed, recompute the accounts it touched, write back the ABM
// fields that changed, and deliver the SLA tasks from the outbox. Every step saves as it goes, so a run
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
  readonly step: 'pull' | 'compute' | 'write_back' | 'tasks';
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
const WRITE_BATCH = 1_000;
const ENGAGEMENT_WINDOW_MS = 90 * DAY_MS;
const MAX_STALE_RETRIES = 5;

/** A full run: pull, recompute, write back, deliver tasks. */
export async function syncTenant(deps: SyncDeps): Promise<Result<SyncReport, SyncError>> {
  return withRun(deps, 'sync', async (runId) => {
    deps.connector.beginRun?.();
    const pulled = await pullChanges(deps, runId);
    return { pulled, ...(await settle(deps)) };
  });
}

/** The SLA sweep: clocks move with time alone, so accounts with a running clock are recomputed and delivered. */
export async function sweepSlas(deps: SyncDeps): Promise<Result<SyncReport, SyncError>> {
  return withRun(deps, 'sla', async () => {
    deps.connector.beginRun?.();
    const tenantId = deps.connector.tenant.id;
    const running = await deps.store.openSlaInstances(tenantId);
    await deps.store.markForCompute(tenantId, [...new Set(running.map((instance) => instance.accountId))]);
    return { pulled: emptyPulled(), ...(await settle(deps)) };
  });
}

async function settle(deps: SyncDeps) {
  const computed = await recomputeDueAccounts(deps);
  const written = await writeBack(deps);
  const tasks = await deliverTasks(deps);
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
  try {
    const report = await work(run.id);
    await store.finishRun(tenantId, run.id, {
      status: 'succeeded',
      finishedAt: clock(),
      counts: countsOf(report),
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
async function recomputeDueAccounts(deps: SyncDeps): Promise<number> {
  const { store, connector, clock } = deps;
  const tenantId = connector.tenant.id;
  const config = (await store.currentGovernanceConfig(tenantId))?.config ?? DEFAULT_GOVERNANCE_CONFIG;
  let computed = 0;
  let staleRetries = 0;
  for (;;) {
    const due = await store.accountsToCompute(tenantId, COMPUTE_BATCH);
    if (due.length === 0) return computed;
    const now = clock();
    const contexts = await store.loadAccountContexts(tenantId, due, now - ENGAGEMENT_WINDOW_MS);
    if (contexts.length === 0) return computed;
    const tierCounts = await store.tierCounts(tenantId);
    const results = contexts.map((context) =>
      computeAccount(snapshotOf(context, config, now), {
        config,
        now,
        tierCounts,
        newApprovalId: (crmId) => `apr_${crmId}_${now}`,
      }),
    );
    const tasks = await tasksFor(deps, contexts, results, config, now);
    const saved = await store.saveComputation(tenantId, {
      accounts: results.map((result, i) => storedComputation(result, contexts[i]!, now)),
      audit: results.flatMap((result) => result.audit),
      approvals: results.flatMap((result) => result.approvals),
      tasks,
    });
    if (saved.ok) computed += saved.value.saved;
    // Accounts changed under the batch (a tier decision through the API): read them again, a few times.
    else if (++staleRetries > MAX_STALE_RETRIES) return computed;
    await progressed(deps, { tenantId, step: 'compute', done: computed });
  }
}

function snapshotOf(context: AccountContext, config: GovernanceConfig, now: Instant): AccountSnapshot {
  const { state } = context;
  const seen = state.score !== null;
  const mqaWindowStart = now - config.mqa.windowDays * DAY_MS;
  return {
    account: context.account,
    owner: context.owner,
    buyingRoles: context.buyingRoles,
    openPipeline: context.deals.openAmount,
    wonAmount: context.deals.wonAmount,
    wonDeals: context.deals.wonCount,
    engagements: context.engagements,
    previous: seen
      ? {
          recommendedTier: state.recommendedTier,
          assignedTier: state.assignedTier,
          tieredAt: state.tieredAt,
          // An MQA raises one follow-up clock per qualification window, not one per sync.
          mqa: context.slaInstances.some(
            (instance) => instance.kind === 'sales_follow_up' && instance.startedAt > mqaWindowStart,
          ),
        }
      : null,
    slaInstances: context.slaInstances,
    hasPendingApproval: context.pendingApproval !== null,
  };
}

function storedComputation(result: ComputedAccount, context: AccountContext, now: Instant) {
  const previous = context.writeBack.desired;
  const unchanged =
    previous !== null &&
    previous.tier === result.desired.tier &&
    previous.score === result.desired.score &&
    previous.slaStatus === result.desired.slaStatus &&
    previous.nextSlaDueAt === result.desired.nextSlaDueAt &&
    previous.tierReason === result.desired.tierReason;
  return {
    accountCrmId: result.accountCrmId,
    basedOnRevision: context.state.revision,
    score: result.score,
    computedAt: now,
    recommendedTier: result.recommendedTier,
    drift: result.drift,
    assignedTier: result.assignedTier,
    tieredAt: result.tieredAt,
    lastReviewedAt: context.state.lastReviewedAt,
    slaInstances: result.slaInstances,
    // The sync stamp rides along with real changes only: otherwise every sync would rewrite every account.
    desiredFields: { ...result.desired, lastSyncAt: unchanged ? previous.lastSyncAt : now },
  };
}

/** Alerts become outbox tasks (capped per person, the rest folded into a digest); stopped clocks close theirs. */
async function tasksFor(
  deps: SyncDeps,
  contexts: readonly AccountContext[],
  results: readonly ComputedAccount[],
  config: GovernanceConfig,
  now: Instant,
): Promise<TaskWrite[]> {
  const names = new Map(contexts.map((context) => [context.account.crmId, context.account.name]));
  const alerts = results.flatMap((result) => result.alerts);
  const tasks: TaskWrite[] = [];
  for (const alert of foldIntoDigests(alerts, config.sla.alertCapPerPersonPerDay, now)) {
    if (alert.kind === 'digest') {
      const first = alert.folded[0]!;
      tasks.push({
        key: alert.taskKey,
        accountCrmId: first.accountId,
        assigneeCrmId: alert.recipientId,
        subject: `ABM SLA digest: ${alert.folded.length} more accounts need attention`,
        body: alert.folded
          .map((folded) => `${folded.kind}: ${names.get(folded.accountId) ?? folded.accountId}`)
          .join('\n'),
        dueAt: Math.min(...alert.folded.map((folded) => folded.dueAt)),
        priority: 'medium',
        status: 'open',
      });
    } else {
      tasks.push(alertTask(alert, names.get(alert.accountId) ?? alert.accountId));
    }
  }
  const closes = results.flatMap((result) => result.closes);
  tasks.push(...(await closedTasks(deps, closes)));
  return tasks;
}

const ALERT_WORDING: Readonly<
  Record<SlaAlert['kind'], { readonly title: string; readonly priority: TaskWrite['priority'] }>
> = {
  reminder: { title: 'SLA at risk', priority: 'medium' },
  breach: { title: 'SLA breached', priority: 'high' },
  escalation: { title: 'SLA breach escalated', priority: 'high' },
};

const SLA_WORDING: Readonly<Record<SlaAlert['slaKind'], string>> = {
  sales_follow_up: 'log a first touch',
  sales_feedback: 'accept or reject the handover',
  approval_decision: 'decide the tier change',
  marketing_delivery: 'deliver the committed MQAs',
};

function alertTask(alert: SlaAlert, accountName: string): TaskWrite {
  const wording = ALERT_WORDING[alert.kind];
  return {
    key: alert.taskKey,
    accountCrmId: alert.accountId,
    assigneeCrmId: alert.recipientId,
    subject: `${wording.title}: ${SLA_WORDING[alert.slaKind]} on ${accountName}`,
    body: `ABM Pilot: the ${alert.slaKind.replaceAll('_', ' ')} SLA on ${accountName} was due ${new Date(alert.dueAt).toISOString()}.`,
    dueAt: alert.dueAt,
    priority: wording.priority,
    status: 'open',
  };
}

/** Completes the tasks of stopped clocks, only those that were really opened. */
async function closedTasks(deps: SyncDeps, closes: readonly TaskClose[]): Promise<TaskWrite[]> {
  const tenantId = deps.connector.tenant.id;
  const tasks: TaskWrite[] = [];
  for (const close of closes) {
    const open = await deps.store.getTask(tenantId, close.taskKey);
    if (open === null || open.status === 'completed') continue;
    tasks.push({ ...stripOutbox(open), status: 'completed' });
  }
  return tasks;
}

const stripOutbox = ({
  key,
  accountCrmId,
  assigneeCrmId,
  subject,
  body,
  dueAt,
  priority,
  status,
}: TaskWrite): TaskWrite => ({
  key,
  accountCrmId,
  assigneeCrmId,
  subject,
  body,
  dueAt,
  priority,
  status,
});

async function writeBack(deps: SyncDeps): Promise<{ written: number; writeFailures: number }> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  let written = 0;
  let writeFailures = 0;
  const failedThisRun = new Set<string>();
  for (;;) {
    const pending = (await store.pendingAccountWrites(tenantId, WRITE_BATCH)).filter(
      (write: AccountWrite) => !failedThisRun.has(write.crmId),
    );
    if (pending.length === 0) return { written, writeFailures };
    await store.markAccountWritesInFlight(tenantId, pending);
    const outcome = await connector.writeAccounts(pending);
    const writtenIds = new Set(outcome.written);
    await store.markAccountsWritten(
      tenantId,
      pending.filter((write) => writtenIds.has(write.crmId)),
    );
    await store.markAccountWritesFailed(tenantId, outcome.failed);
    for (const failure of outcome.failed) failedThisRun.add(failure.id);
    written += writtenIds.size;
    writeFailures += outcome.failed.length;
    await progressed(deps, { tenantId, step: 'write_back', done: written });
    // The CRM refused everything it was sent: try again on the next run, not in a loop now.
    if (writtenIds.size === 0) return { written, writeFailures };
  }
}

async function deliverTasks(deps: SyncDeps): Promise<{ tasksSent: number; taskFailures: number }> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  let tasksSent = 0;
  let taskFailures = 0;
  for (;;) {
    const pending = await store.pendingTasks(tenantId, WRITE_BATCH);
    if (pending.length === 0) return { tasksSent, taskFailures };
    const outcome = await connector.upsertTasks(pending.map(stripOutbox));
    await store.markTasksSent(tenantId, outcome.saved);
    await store.markTasksFailed(tenantId, outcome.failed);
    tasksSent += outcome.saved.size;
    taskFailures += outcome.failed.length;
    await progressed(deps, { tenantId, step: 'tasks', done: tasksSent });
    if (outcome.saved.size === 0) return { tasksSent, taskFailures };
  }
}

const emptyPulled = (): Record<SyncKind, number> => ({
  owners: 0,
  accounts: 0,
  contacts: 0,
  deals: 0,
  engagements: 0,
});

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
