import { DEFAULT_LOCALE, err, ok } from '@abm-pilot/shared';

import type { Connection } from '../../config.ts';
import { ConnectionSchema } from '../../config.ts';
import { tenantOf } from '../../model.ts';
import type { SecretKeys } from '../../secrets.ts';
import { open, seal } from '../../secrets.ts';
import type { ConnectionInfo, ConnectionRepository } from '../ports.ts';
import type { Sql } from './database.ts';

// Connections with their auth sealed (see secrets.ts), bound to their tenant id: a sealed auth moved onto
// another row does not open. Every write bumps `connections_version` in the same transaction.

interface ConnectionRow {
  tenant_id: string;
  crm: string;
  auth_kind: string;
  settings: string;
  auth_sealed: string | null;
  key_id: string | null;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
}

const infoOf = (row: ConnectionRow): ConnectionInfo => ({
  tenantId: row.tenant_id,
  crm: row.crm as ConnectionInfo['crm'],
  name: (JSON.parse(row.settings) as { name: string }).name,
  authKind: row.auth_kind as ConnectionInfo['authKind'],
  keyId: row.key_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  disabledAt: row.disabled_at,
});

const split = (connection: Connection) => {
  const { auth, ...settings } = connection;
  return { settings: JSON.stringify(settings), auth: JSON.stringify(auth) };
};

export function connectionRepository(sql: Sql, keys: SecretKeys | null): ConnectionRepository {
  const bump = () => sql.statement('UPDATE connections_version SET version = version + 1 WHERE id = 1').run();
  const rowOf = (tenantId: string) =>
    sql.statement<ConnectionRow>('SELECT * FROM connections WHERE tenant_id = ?').get(tenantId);

  return {
    async saveConnection(connection, mode, now) {
      const tenant = tenantOf(connection);
      const parts = split(connection);
      // Sealed before the transaction: a missing key throws before anything is written.
      const sealed = seal(keys, parts.auth, tenant.id);
      return sql.transaction(() => {
        const existing = rowOf(tenant.id);
        if (existing !== undefined && mode === 'add') return err({ code: 'duplicate_connection' as const });
        if (
          existing !== undefined &&
          existing.disabled_at === null &&
          existing.auth_sealed !== null &&
          existing.settings === parts.settings &&
          open(keys, existing.auth_sealed, tenant.id) === parts.auth
        ) {
          return ok(infoOf(existing));
        }
        sql
          .statement(
            `INSERT INTO tenants (tenant_id, crm, external_id, name, language) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, language = excluded.language`,
          )
          .run(tenant.id, tenant.crm, tenant.externalId, tenant.name, tenant.language ?? DEFAULT_LOCALE);
        const row: ConnectionRow = {
          tenant_id: tenant.id,
          crm: connection.crm,
          auth_kind: connection.auth.kind,
          settings: parts.settings,
          auth_sealed: sealed,
          key_id: keys?.current.id ?? null,
          created_at: existing?.created_at ?? now,
          updated_at: now,
          disabled_at: null,
        };
        sql
          .statement(
            `INSERT INTO connections (tenant_id, crm, auth_kind, settings, auth_sealed, key_id, created_at,
               updated_at, disabled_at)
             VALUES (@tenant_id, @crm, @auth_kind, @settings, @auth_sealed, @key_id, @created_at, @updated_at,
               @disabled_at)
             ON CONFLICT (tenant_id) DO UPDATE SET crm = excluded.crm, auth_kind = excluded.auth_kind,
               settings = excluded.settings, auth_sealed = excluded.auth_sealed, key_id = excluded.key_id,
               updated_at = excluded.updated_at, disabled_at = NULL`,
          )
          .run(row);
        bump();
        return ok(infoOf(row));
      });
    },

    async listConnections() {
      return sql.statement<ConnectionRow>('SELECT * FROM connections ORDER BY tenant_id').all().map(infoOf);
    },

    async loadConnections() {
      const rows = sql
        .statement<ConnectionRow>(
          `SELECT * FROM connections WHERE disabled_at IS NULL AND auth_sealed IS NOT NULL ORDER BY tenant_id`,
        )
        .all();
      return rows.map((row) => ({
        info: infoOf(row),
        connection: ConnectionSchema.parse({
          ...(JSON.parse(row.settings) as object),
          auth: JSON.parse(open(keys, row.auth_sealed ?? '', row.tenant_id)) as unknown,
        }),
      }));
    },

    async connectionsVersion() {
      return sql.statement<{ version: number }>('SELECT version FROM connections_version WHERE id = 1').get()!
        .version;
    },

    async removeConnection(tenantId) {
      return sql.transaction(() => {
        const removed =
          sql.statement('DELETE FROM connections WHERE tenant_id = ?').run(tenantId).changes > 0;
        if (removed) bump();
        return removed;
      });
    },

    async disableConnection(tenantId, now) {
      return sql.transaction(() => {
        const disabled =
          sql
            .statement(
              `UPDATE connections SET disabled_at = ?, updated_at = ?, auth_sealed = NULL, key_id = NULL
               WHERE tenant_id = ? AND disabled_at IS NULL`,
            )
            .run(now, now, tenantId).changes > 0;
        if (disabled) bump();
        return disabled;
      });
    },

    async rekeyConnections(now) {
      const current = keys?.current.id ?? null;
      // One transaction: a secret that does not open throws and leaves every row as it was.
      return sql.transaction(() => {
        const stale = sql
          .statement<ConnectionRow>(
            'SELECT * FROM connections WHERE auth_sealed IS NOT NULL AND key_id IS NOT ?',
          )
          .all(current);
        for (const row of stale) {
          const auth = open(keys, row.auth_sealed ?? '', row.tenant_id);
          sql
            .statement(
              'UPDATE connections SET auth_sealed = ?, key_id = ?, updated_at = ? WHERE tenant_id = ?',
            )
            .run(seal(keys, auth, row.tenant_id), current, now, row.tenant_id);
        }
        return stale.length;
      });
    },

    async purgeTenant(tenantId) {
      const tables = sql
        .statement<{ name: string }>(
          `SELECT m.name FROM sqlite_master m
           WHERE m.type = 'table' AND m.name <> 'tenants'
             AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'tenant_id')`,
        )
        .all()
        .map((row) => row.name);
      return sql.transaction(() => {
        const connection = rowOf(tenantId);
        if (connection !== undefined && connection.disabled_at === null) return 'connected';
        // Rows of one tenant reference each other: checked once all are gone, at commit.
        sql.statement('PRAGMA defer_foreign_keys = ON').run();
        for (const table of tables) sql.statement(`DELETE FROM "${table}" WHERE tenant_id = ?`).run(tenantId);
        const purged = sql.statement('DELETE FROM tenants WHERE tenant_id = ?').run(tenantId).changes > 0;
        if (connection !== undefined) bump();
        return purged ? 'purged' : 'unknown';
      });
    },

    async saveOAuthState(state, expiresAt) {
      sql.statement('INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)').run(state, expiresAt);
    },

    async consumeOAuthState(state, now) {
      return sql.transaction(() => {
        // Expired states go with any use, so the table holds only installs in progress.
        const row = sql
          .statement<{ expires_at: number }>('SELECT expires_at FROM oauth_states WHERE state = ?')
          .get(state);
        sql.statement('DELETE FROM oauth_states WHERE state = ? OR expires_at <= ?').run(state, now);
        if (row === undefined) return 'unknown';
        return row.expires_at <= now ? 'expired' : 'valid';
      });
    },

    async recordInstaller(tenantId, hubspotUserId) {
      sql.statement('UPDATE tenants SET installed_by = ? WHERE tenant_id = ?').run(hubspotUserId, tenantId);
    },

    async useChiefClaim(tenantId, hubspotUserId, now) {
      // Read first, outside a write transaction: every signed call asks, and almost always the answer is no.
      const pending = sql
        .statement(
          'SELECT 1 FROM tenants WHERE tenant_id = ? AND installed_by = ? AND chief_claimed_at IS NULL',
        )
        .get(tenantId, hubspotUserId);
      if (pending === undefined) return false;
      return sql.transaction(() => {
        const chiefs = sql
          .statement<{
            n: number;
          }>(`SELECT COUNT(*) AS n FROM user_roles WHERE tenant_id = ? AND role = 'chief_abm_officer'`)
          .get(tenantId)!.n;
        const claimed =
          sql
            .statement(
              `UPDATE tenants SET chief_claimed_at = ?
               WHERE tenant_id = ? AND installed_by = ? AND chief_claimed_at IS NULL`,
            )
            .run(now, tenantId, hubspotUserId).changes > 0;
        return claimed && chiefs === 0;
      });
    },
  };
}
