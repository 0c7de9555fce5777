import type { TierOrNone } from '@abm-pilot/shared';

import type { ConsoleAccountRecord, Store } from '../ports.ts';
import type { Sql } from './database.ts';

type ConsoleRepository = Pick<Store, 'bindCredentialActor' | 'credentialActor' | 'consoleAccounts'>;

interface ConsoleAccountRow {
  crm_id: string;
  name: string;
  tier: string | null;
  recommended_tier: string | null;
  score: number | null;
  computed_at: number | null;
  owner_crm_id: string | null;
  owner_name: string | null;
}

// Never-computed accounts show the CRM's tier, as the card and the metrics snapshot do.
const ACCOUNTS = `SELECT a.crm_id, a.name,
    CASE WHEN s.computed_at IS NULL THEN a.crm_tier ELSE s.assigned_tier END AS tier,
    s.recommended_tier, s.score, s.computed_at, a.owner_crm_id, o.name AS owner_name
  FROM accounts a
  JOIN account_state s ON s.tenant_id = a.tenant_id AND s.account_crm_id = a.crm_id
  LEFT JOIN owners o ON o.tenant_id = a.tenant_id AND o.crm_id = a.owner_crm_id
  WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND s.removed_at IS NULL
  ORDER BY a.crm_id`;

const recordOf = (row: ConsoleAccountRow): ConsoleAccountRecord => ({
  crmId: row.crm_id,
  name: row.name,
  tier: row.tier as TierOrNone,
  recommendedTier: row.computed_at === null ? null : (row.recommended_tier as TierOrNone),
  score: row.computed_at === null ? null : row.score,
  owner: row.owner_crm_id === null ? null : { crmId: row.owner_crm_id, name: row.owner_name },
});

/** What the web console reads and binds beside the API's own read models. */
export function consoleRepository(sql: Sql): ConsoleRepository {
  return {
    async bindCredentialActor(tenantId, credentialId, crmUserId) {
      return (
        sql
          .statement(
            `UPDATE credentials SET act_as = ?
             WHERE tenant_id = ? AND credential_id = ? AND kind = 'admin_token'`,
          )
          .run(crmUserId, tenantId, credentialId).changes > 0
      );
    },

    async credentialActor(tenantId, credentialId) {
      const actor = sql
        .statement<
          string | null
        >(`SELECT act_as FROM credentials WHERE tenant_id = ? AND credential_id = ? AND kind = 'admin_token'`)
        .pluck()
        .get(tenantId, credentialId);
      return actor ?? null;
    },

    async consoleAccounts(tenantId) {
      return sql.statement<ConsoleAccountRow>(ACCOUNTS).all(tenantId).map(recordOf);
    },
  };
}
