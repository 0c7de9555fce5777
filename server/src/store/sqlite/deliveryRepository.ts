import { SLA_TASK_PREFIXES } from '@abm-pilot/shared';

import type { AbmAccountFields, AccountWrite } from '../../model.ts';
import type { OutboxRepository, WriteBackRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import type { TaskRow } from './rows.ts';
import { json, parseJson, taskOf } from './rows.ts';
import { fieldsToWrite, hasFields, writers } from './writers.ts';

/** A task of the SLA alert step (not one another flow put in the outbox). */
const SLA_TASK = `(${SLA_TASK_PREFIXES.map((prefix) => `substr(task_key, 1, ${prefix.length}) = '${prefix}'`).join(' OR ')})`;

const errorText = (failure: { code: string; message: string }): string =>
  `${failure.code}: ${failure.message}`;

/** What goes to the CRM, and what came back: the write-back diff and the task outbox. */
export function deliveryRepository(sql: Sql): WriteBackRepository & OutboxRepository {
  const write = writers(sql);

  return {
    async pendingAccountWrites(tenantId, limit, accountCrmIds) {
      type PendingRow = { account_crm_id: string; desired_fields: string; written_fields: string };
      const rows =
        accountCrmIds === undefined
          ? sql
              .statement<PendingRow>(
                `SELECT account_crm_id, desired_fields, written_fields FROM account_state INDEXED BY account_state_to_write
                 WHERE tenant_id = ? AND write_pending = 1 AND removed_at IS NULL
                 ORDER BY write_attempts, account_crm_id LIMIT ?`,
              )
              .all(tenantId, limit)
          : sql
              .statement<PendingRow>(
                `SELECT s.account_crm_id, s.desired_fields, s.written_fields
                 FROM json_each(?) AS ids CROSS JOIN account_state s
                   ON s.tenant_id = ? AND s.account_crm_id = ids.value
                 WHERE s.write_pending = 1 AND s.removed_at IS NULL
                 ORDER BY s.account_crm_id LIMIT ?`,
              )
              .all(json([...new Set(accountCrmIds)]), tenantId, limit);
      return rows.flatMap((row): AccountWrite[] => {
        const fields = fieldsToWrite(
          parseJson<AbmAccountFields>(row.desired_fields),
          parseJson<Partial<AbmAccountFields>>(row.written_fields),
        );
        return hasFields(fields) ? [{ crmId: row.account_crm_id, fields }] : [];
      });
    },

    async markAccountWritesInFlight(tenantId, writes) {
      // The same text as the computation's read, which plucks: prepared statements are shared by text.
      const read = sql
        .statement<string>(
          'SELECT written_fields FROM account_state WHERE tenant_id = ? AND account_crm_id = ?',
        )
        .pluck();
      const update = sql.statement(
        'UPDATE account_state SET written_fields = ?, write_pending = 1 WHERE tenant_id = ? AND account_crm_id = ?',
      );
      sql.transaction(() => {
        for (const { crmId, fields } of writes) {
          const text = read.get(tenantId, crmId);
          if (text === undefined) continue;
          const written = parseJson<Partial<Record<string, unknown>>>(text);
          for (const name of Object.keys(fields)) delete written[name];
          update.run(json(written), tenantId, crmId);
        }
      });
    },

    async markAccountsWritten(tenantId, writes) {
      const read = sql.statement<{ desired_fields: string | null; written_fields: string }>(
        'SELECT desired_fields, written_fields FROM account_state WHERE tenant_id = ? AND account_crm_id = ?',
      );
      const update = sql.statement(
        `UPDATE account_state SET written_fields = ?, write_pending = ?, write_attempts = 0, write_error = NULL
         WHERE tenant_id = ? AND account_crm_id = ?`,
      );
      sql.transaction(() => {
        for (const { crmId, fields } of writes) {
          const row = read.get(tenantId, crmId);
          if (row === undefined) continue;
          const written = { ...parseJson<Partial<AbmAccountFields>>(row.written_fields), ...fields };
          const pending =
            row.desired_fields !== null &&
            hasFields(fieldsToWrite(parseJson<AbmAccountFields>(row.desired_fields), written));
          update.run(json(written), pending ? 1 : 0, tenantId, crmId);
        }
      });
    },

    async markAccountWritesFailed(tenantId, failures) {
      const update = sql.statement(
        `UPDATE account_state SET write_attempts = write_attempts + 1, write_error = ?
         WHERE tenant_id = ? AND account_crm_id = ?`,
      );
      sql.transaction(() => {
        for (const failure of failures) update.run(errorText(failure), tenantId, failure.id);
      });
    },

    async enqueueTasks(tenantId, tasks, openedAt) {
      sql.transaction(() => write.enqueueTasks(tenantId, tasks, openedAt));
    },

    async slaTasks(tenantId, openedSince) {
      // Both halves use an index of their own: open tasks, and tasks by the day they were opened.
      return sql
        .statement<TaskRow>(
          `SELECT * FROM task_outbox INDEXED BY task_outbox_open
             WHERE tenant_id = @tenant AND status = 'open' AND ${SLA_TASK}
           UNION
           SELECT * FROM task_outbox INDEXED BY task_outbox_opened
             WHERE tenant_id = @tenant AND opened_at >= @since AND ${SLA_TASK}
           ORDER BY task_key`,
        )
        .all({ tenant: tenantId, since: openedSince })
        .map(taskOf);
    },

    async pendingTasks(tenantId, limit) {
      return sql.transaction(() => {
        // A task of a deleted or merged-away account has no record left to attach to in the CRM.
        const rows = sql
          .statement<TaskRow>(
            `SELECT t.* FROM task_outbox t INDEXED BY task_outbox_pending
             WHERE t.tenant_id = ? AND t.revision > t.sent_revision
               AND NOT EXISTS (SELECT 1 FROM account_state s WHERE s.tenant_id = t.tenant_id
                 AND s.account_crm_id = t.account_crm_id AND s.removed_at IS NOT NULL)
             ORDER BY t.attempts, t.task_key LIMIT ?`,
          )
          .all(tenantId, limit);
        const claim = sql.statement(
          'UPDATE task_outbox SET claimed_revision = revision WHERE tenant_id = ? AND task_key = ?',
        );
        for (const row of rows) claim.run(tenantId, row.task_key);
        return rows.map(taskOf);
      });
    },

    async markTasksSent(tenantId, sent) {
      const update = sql.statement(
        `UPDATE task_outbox SET crm_task_id = ?, sent_revision = MAX(sent_revision, claimed_revision),
           attempts = 0, last_error = NULL
         WHERE tenant_id = ? AND task_key = ?`,
      );
      sql.transaction(() => {
        for (const [key, crmTaskId] of sent) update.run(crmTaskId, tenantId, key);
      });
    },

    async markTasksFailed(tenantId, failures) {
      const update = sql.statement(
        `UPDATE task_outbox SET attempts = attempts + 1, last_error = ? WHERE tenant_id = ? AND task_key = ?`,
      );
      sql.transaction(() => {
        for (const failure of failures) update.run(errorText(failure), tenantId, failure.id);
      });
    },

    async getTask(tenantId, key) {
      const row = sql
        .statement<TaskRow>('SELECT * FROM task_outbox WHERE tenant_id = ? AND task_key = ?')
        .get(tenantId, key);
      return row === undefined ? null : taskOf(row);
    },
  };
}
