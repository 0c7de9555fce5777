import type { CrmConnector } from '../connectors/ports.ts';
import type { AccountWrite, TaskWrite } from '../model.ts';
import type { OutboxTask, Store } from '../store/ports.ts';

// What goes out to the CRM: the ABM fields of accounts (the write-back) and SLA tasks (the outbox). Both
// are idempotent by design (a value written twice is one change, a task is keyed), so a crash between a
// send and its confirmation only repeats the send.

export interface DeliveryDeps {
  readonly store: Store;
  readonly connector: CrmConnector;
}

const WRITE_BATCH = 1_000;

// One writer of account fields per CRM connection at a time in this process: a decision's immediate write
// and the sync's write-back would otherwise race, and an older value could land after a newer one.
const writeLocks = new WeakMap<CrmConnector, Promise<unknown>>();

async function serialized<T>(connector: CrmConnector, work: () => Promise<T>): Promise<T> {
  const previous = writeLocks.get(connector) ?? Promise.resolve();
  const mine = previous.then(work, work);
  writeLocks.set(
    connector,
    mine.catch(() => undefined),
  );
  return mine;
}

export interface WriteBackReport {
  readonly written: number;
  readonly writeFailures: number;
}

/**
 * Sends the ABM fields that differ from what the CRM was last sent, in full batches; `accountCrmIds` narrows
 * it to a decision's accounts. A record the CRM refuses is retried at the next run, not in a loop now.
 */
export async function writeBack(
  deps: DeliveryDeps,
  options: {
    readonly accountCrmIds?: readonly string[];
    readonly onBatch?: (written: number) => Promise<void>;
  } = {},
): Promise<WriteBackReport> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  let written = 0;
  let writeFailures = 0;
  const failedThisRun = new Set<string>();
  for (;;) {
    const batch = await serialized(connector, async () => {
      const pending = (await store.pendingAccountWrites(tenantId, WRITE_BATCH, options.accountCrmIds)).filter(
        (write: AccountWrite) => !failedThisRun.has(write.crmId),
      );
      if (pending.length === 0) return null;
      await store.markAccountWritesInFlight(tenantId, pending);
      const outcome = await connector.writeAccounts(pending);
      const writtenIds = new Set(outcome.written);
      await store.markAccountsWritten(
        tenantId,
        pending.filter((write) => writtenIds.has(write.crmId)),
      );
      await store.markAccountWritesFailed(tenantId, outcome.failed);
      for (const failure of outcome.failed) failedThisRun.add(failure.id);
      return { written: writtenIds.size, failed: outcome.failed.length };
    });
    if (batch === null) return { written, writeFailures };
    written += batch.written;
    writeFailures += batch.failed;
    await options.onBatch?.(written);
    // The CRM refused everything it was sent: try again on the next run, not in a loop now.
    if (batch.written === 0) return { written, writeFailures };
  }
}

export interface TaskReport {
  readonly tasksSent: number;
  readonly taskFailures: number;
}

/** Sends the outbox's tasks not sent in their current version; keyed, so a resend updates the same task. */
export async function deliverTasks(
  deps: DeliveryDeps,
  onBatch?: (sent: number) => Promise<void>,
): Promise<TaskReport> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  let tasksSent = 0;
  let taskFailures = 0;
  for (;;) {
    const pending = await store.pendingTasks(tenantId, WRITE_BATCH);
    if (pending.length === 0) return { tasksSent, taskFailures };
    const outcome = await connector.upsertTasks(pending.map(taskWriteOf));
    await store.markTasksSent(tenantId, outcome.saved);
    await store.markTasksFailed(tenantId, outcome.failed);
    tasksSent += outcome.saved.size;
    taskFailures += outcome.failed.length;
    await onBatch?.(tasksSent);
    if (outcome.saved.size === 0) return { tasksSent, taskFailures };
  }
}

/** The task as the CRM receives it, without the outbox's bookkeeping. */
export const taskWriteOf = ({
  key,
  accountCrmId,
  assigneeCrmId,
  subject,
  body,
  dueAt,
  priority,
  status,
}: TaskWrite | OutboxTask): TaskWrite => ({
  key,
  accountCrmId,
  assigneeCrmId,
  subject,
  body,
  dueAt,
  priority,
  status,
});
