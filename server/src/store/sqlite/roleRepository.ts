import type { Role } from '@abm-pilot/shared';
import { ROLES } from '@abm-pilot/shared';

import type { RoleMapping, RoleRepository, UserRoles } from '../ports.ts';
import type { Sql } from './database.ts';
import type { OwnerRow } from './rows.ts';
import { ownerOf } from './rows.ts';

const inVocabularyOrder = (roles: Iterable<Role>): Role[] =>
  [...new Set(roles)].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));

/** Governance roles of CRM users, and the synced users they are. */
export function roleRepository(sql: Sql): RoleRepository {
  const rolesOf = (tenantId: string, crmUserId: string): Role[] =>
    inVocabularyOrder(
      sql
        .statement<Role>('SELECT role FROM user_roles WHERE tenant_id = ? AND crm_user_id = ?')
        .pluck()
        .all(tenantId, crmUserId),
    );

  function mappingOf(tenantId: string): RoleMapping {
    const rows = sql
      .statement<{
        crm_user_id: string;
        role: Role;
      }>('SELECT crm_user_id, role FROM user_roles WHERE tenant_id = ? ORDER BY crm_user_id')
      .all(tenantId);
    const byUser = new Map<string, Role[]>();
    for (const row of rows) {
      const roles = byUser.get(row.crm_user_id);
      if (roles === undefined) byUser.set(row.crm_user_id, [row.role]);
      else roles.push(row.role);
    }
    const update = sql
      .statement<{
        updated_at: number;
        updated_by: string | null;
      }>('SELECT updated_at, updated_by FROM user_roles_updates WHERE tenant_id = ?')
      .get(tenantId);
    return {
      users: [...byUser].map(
        ([crmUserId, roles]): UserRoles => ({ crmUserId, roles: inVocabularyOrder(roles) }),
      ),
      updatedAt: update?.updated_at ?? null,
      updatedBy: update?.updated_by ?? null,
    };
  }

  return {
    async replaceUserRoles(tenantId, assignments, change) {
      for (const { crmUserId, roles } of assignments) {
        const unknown = roles.filter((role) => !ROLES.includes(role));
        if (unknown.length > 0) {
          throw new RangeError(`Unknown role(s) ${unknown.join(', ')} for user ${crmUserId}`);
        }
      }
      const insert = sql.statement(
        'INSERT OR IGNORE INTO user_roles (tenant_id, crm_user_id, role) VALUES (?, ?, ?)',
      );
      return sql.transaction(() => {
        sql.statement('DELETE FROM user_roles WHERE tenant_id = ?').run(tenantId);
        for (const { crmUserId, roles } of assignments) {
          for (const role of roles) insert.run(tenantId, crmUserId, role);
        }
        sql
          .statement(
            `INSERT INTO user_roles_updates (tenant_id, updated_at, updated_by) VALUES (?, ?, ?)
             ON CONFLICT (tenant_id) DO UPDATE SET updated_at = excluded.updated_at,
               updated_by = excluded.updated_by`,
          )
          .run(tenantId, change.at, change.by);
        return mappingOf(tenantId);
      });
    },

    async userRoles(tenantId) {
      return sql.snapshot(() => mappingOf(tenantId));
    },

    async rolesOf(tenantId, crmUserId) {
      return rolesOf(tenantId, crmUserId);
    },

    async usersWithRole(tenantId, role) {
      return sql
        .statement<string>(
          `SELECT crm_user_id FROM user_roles INDEXED BY user_roles_by_role
           WHERE tenant_id = ? AND role = ? ORDER BY crm_user_id`,
        )
        .pluck()
        .all(tenantId, role);
    },

    async getOwner(tenantId, crmId) {
      const row = sql
        .statement<OwnerRow>('SELECT * FROM owners WHERE tenant_id = ? AND crm_id = ? AND deleted_at IS NULL')
        .get(tenantId, crmId);
      return row === undefined ? null : ownerOf(row);
    },

    async ownerOfLoginUser(tenantId, loginUserId) {
      const row = sql
        .statement<OwnerRow>(
          `SELECT * FROM owners WHERE tenant_id = ? AND login_user_id = ? AND deleted_at IS NULL
           ORDER BY active DESC, crm_id LIMIT 1`,
        )
        .get(tenantId, loginUserId);
      return row === undefined ? null : ownerOf(row);
    },

    async listOwners(tenantId) {
      return sql
        .statement<OwnerRow>(
          'SELECT * FROM owners WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY crm_id',
        )
        .all(tenantId)
        .map(ownerOf);
    },

    async people(tenantId, crmIds) {
      const ids = [...new Set(crmIds)];
      if (ids.length === 0) return new Map();
      return new Map(
        sql
          .statement<{ crm_id: string; name: string; locale: string | null }>(
            `SELECT o.crm_id, o.name, o.locale FROM json_each(?) AS ids CROSS JOIN owners o
             ON o.tenant_id = ? AND o.crm_id = ids.value`,
          )
          .all(JSON.stringify(ids), tenantId)
          .map((row) => [row.crm_id, { name: row.name, locale: row.locale }]),
      );
    },
  };
}
