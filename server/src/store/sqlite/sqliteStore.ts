import type { HotReadOptions } from '../hotReads.ts';
import { withHotReads } from '../hotReads.ts';
import type { Store } from '../ports.ts';
import type { SecretKeys } from '../../secrets.ts';
import { computationRepository } from './computationRepository.ts';
import { connectionRepository } from './connectionRepository.ts';
import { consoleRepository } from './consoleRepository.ts';
import { costLedgerRepository } from './costLedgerRepository.ts';
import { credentialRepository } from './credentialRepository.ts';
import { DEFAULT_DATABASE_PATH, openDatabase } from './database.ts';
import { deliveryRepository } from './deliveryRepository.ts';
import { feedbackRepository } from './feedbackRepository.ts';
import { governanceRepository } from './governanceRepository.ts';
import { historyRepository } from './historyRepository.ts';
import { idempotencyRepository } from './idempotencyRepository.ts';
import { marketingDeliveryRepository } from './marketingDeliveryRepository.ts';
import { readModelRepository } from './readModelRepository.ts';
import { operationsRepository } from './operationsRepository.ts';
import { reviewRepository } from './reviewRepository.ts';
import { roleRepository } from './roleRepository.ts';
import { runRepository } from './runRepository.ts';
import { syncRepository } from './syncRepository.ts';
import { webhookRepository } from './webhookRepository.ts';

export { DEFAULT_DATABASE_PATH };

/**
 * The store on one SQLite file (created with its folder if missing, migrated on open), or `:memory:`.
 * better-sqlite3 is synchronous: every method completes before its promise settles, so a transaction
 * never spans an `await` and the event loop never sees one half-done.
 */
export function openSqliteStore(
  path: string = DEFAULT_DATABASE_PATH,
  options: {
    readonly hotReads?: HotReadOptions;
    /** Seal and open the connections' secrets; without them the store refuses to. */
    readonly secretKeys?: SecretKeys | null;
  } = {},
): Store {
  const sql = openDatabase(path);
  return withHotReads(
    {
      ...syncRepository(sql),
      ...connectionRepository(sql, options.secretKeys ?? null),
      ...computationRepository(sql),
      ...deliveryRepository(sql),
      ...governanceRepository(sql),
      ...runRepository(sql),
      ...credentialRepository(sql),
      ...idempotencyRepository(sql),
      ...roleRepository(sql),
      ...costLedgerRepository(sql),
      ...webhookRepository(sql),
      ...feedbackRepository(sql),
      ...reviewRepository(sql),
      ...marketingDeliveryRepository(sql),
      ...historyRepository(sql),
      ...operationsRepository(sql),
      ...readModelRepository(sql),
      ...consoleRepository(sql),
      async close() {
        sql.close();
      },
    },
    options.hotReads,
  );
}
