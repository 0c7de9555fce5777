import type { HandoverDecision, MarketingDelivery, Tier } from '@abm-pilot/shared';

import type { DeliveryMonthRecord, MarketingDeliveryRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import { json, parseJson } from './rows.ts';
import { writers } from './writers.ts';

// The marketing_delivery SLA: the handovers a month's figures come from, and the months recorded as they
// closed, each once, with the tasks it raised.

interface HandoverRow {
  account_crm_id: string;
  tier: string;
  started_at: number;
  stopped_at: number | null;
  handover_decision: string | null;
}

interface MonthRow {
  month: string;
  period_start: number;
  period_end: number;
  delivery: string;
  min_acceptance_rate: number;
  missed: number;
  config_version: number;
  recorded_at: number;
}

const monthOf = (row: MonthRow): DeliveryMonthRecord => ({
  month: row.month,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  delivery: parseJson<MarketingDelivery>(row.delivery),
  minAcceptanceRate: row.min_acceptance_rate,
  missed: row.missed === 1,
  configVersion: row.config_version,
  recordedAt: row.recorded_at,
});

export function marketingDeliveryRepository(sql: Sql): MarketingDeliveryRepository {
  const write = writers(sql);

  return {
    async handoversStarted(tenantId, from, to) {
      const rows = sql
        .statement<HandoverRow>(
          `SELECT account_crm_id, tier, started_at, stopped_at, handover_decision
           FROM sla_instances INDEXED BY sla_instances_handovers
           WHERE tenant_id = ? AND kind = 'sales_feedback' AND started_at >= ? AND started_at < ?
             AND tier IS NOT NULL
           ORDER BY started_at, account_crm_id`,
        )
        .all(tenantId, from, to);
      return rows.map((row) => ({
        accountId: row.account_crm_id,
        tier: row.tier as Tier,
        startedAt: row.started_at,
        stoppedAt: row.stopped_at,
        handoverDecision: row.handover_decision as HandoverDecision | null,
      }));
    },

    async watchMarketingDelivery(tenantId, now) {
      return sql.transaction(() => {
        sql
          .statement(
            'INSERT INTO marketing_delivery_watch (tenant_id, since) VALUES (?, ?) ON CONFLICT DO NOTHING',
          )
          .run(tenantId, now);
        return sql
          .statement<{ since: number }>('SELECT since FROM marketing_delivery_watch WHERE tenant_id = ?')
          .get(tenantId)!.since;
      });
    },

    async marketingDeliveryWatchedSince(tenantId) {
      const row = sql
        .statement<{ since: number }>('SELECT since FROM marketing_delivery_watch WHERE tenant_id = ?')
        .get(tenantId);
      return row?.since ?? null;
    },

    async recordDeliveryMonth(tenantId, record, tasks) {
      return sql.transaction(() => {
        const inserted = sql
          .statement(
            `INSERT INTO marketing_delivery_months (tenant_id, month, period_start, period_end, delivery,
               min_acceptance_rate, missed, config_version, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (tenant_id, month) DO NOTHING`,
          )
          .run(
            tenantId,
            record.month,
            record.periodStart,
            record.periodEnd,
            json(record.delivery),
            record.minAcceptanceRate,
            record.missed ? 1 : 0,
            record.configVersion,
            record.recordedAt,
          );
        // A month recorded by an earlier run (or another process) raised its tasks with it already.
        if (inserted.changes === 0) return false;
        write.enqueueTasks(tenantId, tasks, record.recordedAt);
        return true;
      });
    },

    async deliveryMonths(tenantId, limit) {
      return sql
        .statement<MonthRow>(
          `SELECT month, period_start, period_end, delivery, min_acceptance_rate, missed, config_version,
             recorded_at
           FROM marketing_delivery_months WHERE tenant_id = ? ORDER BY month DESC LIMIT ?`,
        )
        .all(tenantId, limit)
        .map(monthOf);
    },
  };
}
