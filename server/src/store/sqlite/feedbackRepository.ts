import { err, ok } from '@abm-pilot/shared';

import type { HandoverFeedbackRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import type { HandoverFeedbackRow } from './rows.ts';
import { handoverFeedbackOf, json } from './rows.ts';
import { writers } from './writers.ts';

/** Sales' answers to handed-over accounts: the marketing-delivery SLA's quality side, and the card's. */
export function feedbackRepository(sql: Sql): HandoverFeedbackRepository {
  const write = writers(sql);

  const staleContext = (accountCrmId: string) =>
    err({
      code: 'stale_context' as const,
      message: 'The account changed since it was read; reload and try again.',
      accountCrmIds: [accountCrmId],
    });

  return {
    async recordHandover(tenantId, handover) {
      const { accountCrmId } = handover;
      return sql.transaction(() =>
        write.once(tenantId, handover.idempotency, () => {
          if (write.liveRevision(tenantId, accountCrmId) !== handover.basedOnRevision) {
            return staleContext(accountCrmId);
          }
          write.replaceSlaInstances(tenantId, accountCrmId, handover.slaInstances);
          // Running clocks change the SLA status the CRM shows.
          write.bumpRevision(tenantId, accountCrmId);
          return ok(undefined);
        }),
      );
    },

    async recordHandoverFeedback(tenantId, feedbackWrite) {
      const { feedback } = feedbackWrite;
      const accountCrmId = feedback.accountCrmId;
      return sql.transaction(() =>
        write.once(tenantId, feedbackWrite.idempotency, () => {
          if (write.liveRevision(tenantId, accountCrmId) !== feedbackWrite.basedOnRevision) {
            return staleContext(accountCrmId);
          }
          sql
            .statement(
              `INSERT INTO handover_feedback (tenant_id, account_crm_id, decision, reason_code, at, actor)
               VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(
              tenantId,
              accountCrmId,
              feedback.decision,
              feedback.reasonCode,
              feedback.at,
              json(feedback.actor),
            );
          if (feedbackWrite.slaInstances) {
            write.replaceSlaInstances(tenantId, accountCrmId, feedbackWrite.slaInstances);
            // A stopped clock changes the SLA status the CRM shows.
            write.bumpRevision(tenantId, accountCrmId);
          }
          return ok(undefined);
        }),
      );
    },

    async handoverFeedback(tenantId, query = {}) {
      const from = query.from ?? Number.MIN_SAFE_INTEGER;
      const to = query.to ?? Number.MAX_SAFE_INTEGER;
      const rows =
        query.accountCrmId === undefined
          ? sql
              .statement<HandoverFeedbackRow>(
                `SELECT id, account_crm_id, decision, reason_code, at, actor
                 FROM handover_feedback INDEXED BY handover_feedback_by_tenant
                 WHERE tenant_id = ? AND at >= ? AND at < ? ORDER BY at, id`,
              )
              .all(tenantId, from, to)
          : sql
              .statement<HandoverFeedbackRow>(
                `SELECT id, account_crm_id, decision, reason_code, at, actor
                 FROM handover_feedback INDEXED BY handover_feedback_by_account
                 WHERE tenant_id = ? AND account_crm_id = ? AND at >= ? AND at < ? ORDER BY at, id`,
              )
              .all(tenantId, query.accountCrmId, from, to);
      return rows.map(handoverFeedbackOf);
    },
  };
}
