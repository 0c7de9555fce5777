import { ok } from '@abm-pilot/shared';

import type { IdempotencyRepository } from '../ports.ts';
import { IDEMPOTENCY_TTL_MS } from '../ports.ts';
import type { Sql } from './database.ts';
import { writers } from './writers.ts';

/** API answers remembered per tenant and key, so that a retried request gets the first answer again. */
export function idempotencyRepository(sql: Sql): IdempotencyRepository {
  const write = writers(sql);

  return {
    async rememberResponse(tenantId, key, fingerprint, response, now) {
      return sql.transaction(() => {
        const request = { key, fingerprint, response, now };
        const prior = write.priorAnswer(tenantId, request);
        if (!prior.ok) return prior;
        if (prior.value !== null) return ok(prior.value);
        write.remember(tenantId, request);
        return ok({ key, fingerprint, response, storedAt: now });
      });
    },

    async recallResponse(tenantId, key, now) {
      return write.recall(tenantId, key, now);
    },

    async purgeIdempotencyKeys(tenantId, now) {
      return sql
        .statement(
          `DELETE FROM idempotency_keys INDEXED BY idempotency_keys_by_age
           WHERE tenant_id = ? AND stored_at <= ?`,
        )
        .run(tenantId, now - IDEMPOTENCY_TTL_MS).changes;
    },
  };
}
