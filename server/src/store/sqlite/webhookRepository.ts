import type { SyncKind } from '../../model.ts';
import { SYNC_KINDS } from '../../model.ts';
import type { SyncHint, WebhookRepository } from '../ports.ts';
import type { Sql } from './database.ts';

const INSERT_EVENT = `INSERT INTO webhook_events (tenant_id, event_id, object_type, object_id, occurred_at, received_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, event_id) DO NOTHING`;

// Every new event bumps its record's hint. `pending_since` keeps the first unsynced reception, so a record
// hinted over and over is not pushed to the back of the queue (SET reads the row as it was).
const HINT = `INSERT INTO sync_hints (tenant_id, object_type, object_id, pending_since, last_occurred_at)
  VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, object_type, object_id) DO UPDATE SET
    revision = revision + 1,
    pending_since = CASE WHEN revision > done_revision THEN pending_since ELSE excluded.pending_since END,
    last_occurred_at = MAX(last_occurred_at, excluded.last_occurred_at)`;

interface HintRow {
  object_type: string;
  object_id: string;
  last_occurred_at: number;
  pending_since: number;
}

const hintOf = (row: HintRow): SyncHint => ({
  kind: row.object_type as SyncKind,
  crmId: row.object_id,
  lastOccurredAt: row.last_occurred_at,
  pendingSince: row.pending_since,
});

/** The webhook inbox: deduplicated CRM events, turned into durable "sync this record now" hints. */
export function webhookRepository(sql: Sql): WebhookRepository {
  return {
    async recordWebhookEvents(tenantId, events, receivedAt) {
      for (const event of events) {
        if (!SYNC_KINDS.includes(event.objectType)) {
          throw new RangeError(`Unknown object type "${event.objectType}" in event ${event.eventId}`);
        }
      }
      const insertEvent = sql.statement(INSERT_EVENT);
      const hint = sql.statement(HINT);
      return sql.transaction(() => {
        let recorded = 0;
        for (const event of events) {
          const { eventId, objectType, objectId, occurredAt } = event;
          if (
            insertEvent.run(tenantId, eventId, objectType, objectId, occurredAt, receivedAt).changes === 0
          ) {
            continue;
          }
          recorded++;
          hint.run(tenantId, objectType, objectId, receivedAt, occurredAt);
        }
        return { recorded, duplicates: events.length - recorded };
      });
    },

    async takeSyncHints(tenantId, limit) {
      return sql.transaction(() => {
        const rows = sql
          .statement<HintRow>(
            `SELECT object_type, object_id, last_occurred_at, pending_since
             FROM sync_hints INDEXED BY sync_hints_pending
             WHERE tenant_id = ? AND revision > done_revision
             ORDER BY pending_since, object_type, object_id LIMIT ?`,
          )
          .all(tenantId, limit);
        const claim = sql.statement(
          `UPDATE sync_hints SET claimed_revision = revision
           WHERE tenant_id = ? AND object_type = ? AND object_id = ?`,
        );
        for (const row of rows) claim.run(tenantId, row.object_type, row.object_id);
        return rows.map(hintOf);
      });
    },

    async markHintsDone(tenantId, hints) {
      const settle = sql.statement(
        `UPDATE sync_hints SET done_revision = MAX(done_revision, claimed_revision)
         WHERE tenant_id = ? AND object_type = ? AND object_id = ?`,
      );
      sql.transaction(() => {
        for (const hint of hints) settle.run(tenantId, hint.kind, hint.crmId);
      });
    },

    async purgeWebhookEvents(tenantId, receivedBefore) {
      return sql
        .statement(
          `DELETE FROM webhook_events INDEXED BY webhook_events_by_received
           WHERE tenant_id = ? AND received_at < ?`,
        )
        .run(tenantId, receivedBefore).changes;
    },
  };
}
