import type { Instant } from '@abm-pilot/shared';

import type { Tenant } from '../model.ts';
import type { OperatorLogEntry, Store } from '../store/ports.ts';
import type { CliIo } from './command.ts';
import { CliError } from './command.ts';
import { withOperatorStore as withStore } from './operatorStore.ts';

// The store as an operator's command about one tenant works with it: opened like the server's, the tenant
// named on the command line resolved (or refused by name), and every command written to the operator's log.

export interface OperatorSession {
  readonly store: Store;
  readonly now: Instant;
  /** The tenant `id` names, or `unknown_tenant`. */
  tenant(id: string | undefined): Promise<Tenant>;
  /** Writes the command to the operator's log; never pass a secret in `detail`. */
  record(tenantId: string | null, command: string, detail: OperatorLogEntry['detail']): Promise<void>;
}

export function withOperatorStore<T>(io: CliIo, work: (session: OperatorSession) => Promise<T>): Promise<T> {
  const now = io.now?.() ?? Date.now();
  return withStore(io, (store) =>
    work({
      store,
      now,
      async tenant(id) {
        if (id === undefined) throw new CliError('missing_tenant', 'name the tenant with --tenant', 2);
        const tenant = await store.getTenant(id);
        if (tenant === null) {
          const known = (await store.listTenants()).map((candidate) => candidate.id);
          throw new CliError(
            'unknown_tenant',
            `no tenant '${id}'${known.length > 0 ? ` (known: ${known.join(', ')})` : ' (none connected yet)'}`,
            2,
          );
        }
        return tenant;
      },
      record: (tenantId, command, detail) =>
        store.recordOperatorCommand({
          at: now,
          tenantId,
          command,
          detail,
          operator: io.operator ?? 'unknown',
        }),
    }),
  );
}
