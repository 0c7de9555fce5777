import type { Instant } from '@abm-pilot/shared';
import type { Logger } from 'pino';

import type { CrmConnector } from '../connectors/ports.ts';
import type { Store } from '../store/ports.ts';
import { writeBack } from './delivery.ts';
import { recomputeAccounts } from './recompute.ts';
import { governanceConfigOf } from './rules.ts';

// A decision reaches the CRM at once: it was recorded with its outbox entry (the account's pending write)
// in one transaction; here the account is recomputed and its write sent right away, while the answer waits
// a bounded moment for the CRM to confirm. A write the CRM does not take stays pending and goes with the
// next run's write-back: at least once, and idempotent, so the CRM sees one change.

/** Whether the CRM already holds the decision when the answer leaves. */
export type CrmWrite = 'done' | 'pending';

/** How long an answer waits for the CRM to confirm a decision's write before saying it is on its way. */
export const CRM_WRITE_WAIT_MS = 2_000;

export interface DecisionDeps {
  readonly store: Store;
  readonly clock: () => Instant;
  /** Resolves after a real-time delay, however the clock runs: see `Time.deadline`. */
  readonly deadline: (ms: number) => Promise<void>;
  /** The tenant's CRM; `null` when this process has no connection to it (the outbox then keeps the write). */
  readonly crmOf: (tenantId: string) => CrmConnector | null;
  /** Runs work that outlives the request that started it, tracked so that a graceful stop waits for it. */
  readonly background: <T>(work: () => Promise<T>) => Promise<T>;
  readonly log: Logger;
}

export async function deliverDecision(
  deps: DecisionDeps,
  tenantId: string,
  accountCrmId: string,
): Promise<CrmWrite> {
  const connector = deps.crmOf(tenantId);
  if (connector === null) return 'pending';
  const delivered = deps
    .background(() => writeAccountNow(deps, connector, accountCrmId))
    .catch((error: unknown) => {
      deps.log.warn(
        { err: error, tenant: tenantId, account: accountCrmId },
        'decision not written to the CRM yet; the next run retries it',
      );
      return false;
    });
  const confirmed = await Promise.race([delivered, deps.deadline(CRM_WRITE_WAIT_MS).then(() => false)]);
  return confirmed ? 'done' : 'pending';
}

const MAX_RECOMPUTES = 3;

/** Recomputes the account (its clocks, reason and score fields follow the decision) and writes it; `true` once the CRM holds it. */
async function writeAccountNow(
  deps: DecisionDeps,
  connector: CrmConnector,
  accountCrmId: string,
): Promise<boolean> {
  const tenantId = connector.tenant.id;
  const config = await governanceConfigOf(deps.store, tenantId);
  const computeDeps = { store: deps.store, connector, clock: deps.clock };
  for (let attempt = 1; attempt <= MAX_RECOMPUTES; attempt += 1) {
    const recomputed = await recomputeAccounts(computeDeps, [accountCrmId], config);
    if (recomputed.stale.length === 0) break;
  }
  await writeBack(computeDeps, { accountCrmIds: [accountCrmId] });
  return (await deps.store.pendingAccountWrites(tenantId, 1, [accountCrmId])).length === 0;
}
