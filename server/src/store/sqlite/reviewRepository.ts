import { err, ok } from '@abm-pilot/shared';

import type { ReviewRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import { writers } from './writers.ts';

/** Portfolio reviews: an account's last review beside its state, and the review in the permanent audit log. */
export function reviewRepository(sql: Sql): ReviewRepository {
  const write = writers(sql);

  return {
    async recordReview(tenantId, review) {
      const { accountCrmId } = review;
      return sql.transaction(() =>
        write.once(tenantId, review.idempotency, () => {
          if (write.liveRevision(tenantId, accountCrmId) !== review.basedOnRevision) {
            return err({
              code: 'stale_context' as const,
              message: 'The account changed since it was read; review it again as it is now.',
              accountCrmIds: [accountCrmId],
            });
          }
          sql
            .statement(
              'UPDATE account_state SET last_reviewed_at = ? WHERE tenant_id = ? AND account_crm_id = ?',
            )
            .run(review.reviewedAt, tenantId, accountCrmId);
          write.appendAudit(tenantId, [review.audit]);
          // A computation read before the review would otherwise save the previous review date back.
          write.bumpRevision(tenantId, accountCrmId);
          return ok(undefined);
        }),
      );
    },
  };
}
