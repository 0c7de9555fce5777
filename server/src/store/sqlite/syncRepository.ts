import type { Instant } from '@abm-pilot/shared';
import { DEFAULT_LOCALE, localeOf } from '@abm-pilot/shared';

import type { PullPage } from '../../connectors/ports.ts';
import type {
  CrmAccount,
  CrmContact,
  CrmDeal,
  CrmEngagement,
  CrmOwner,
  SyncCursor,
  SyncKind,
  Tenant,
} from '../../model.ts';
import type { SavedPage, SyncRepository, TenantRepository } from '../ports.ts';
import type { Sql } from './database.ts';
import { accountParams, ownerParams } from './rows.ts';

/**
 * An upsert that keeps the newest version: a strictly newer `modified_at` wins; the same version wins
 * only over a live row whose values differ (CRMs with second-resolution timestamps); an older version,
 * or a re-read of a deleted or merged record's last version, changes nothing. `changes` is then 1 exactly
 * when the stored picture changed.
 */
function upsertKeepingNewest(table: string, columns: readonly string[], reset: readonly string[]): string {
  const all = ['tenant_id', 'crm_id', ...columns, 'modified_at'];
  const assignments = [...columns, 'modified_at'].map((column) => `${column} = excluded.${column}`);
  const differs = columns.map((column) => `${table}.${column} IS NOT excluded.${column}`).join(' OR ');
  return `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((column) => `@${column}`).join(', ')})
    ON CONFLICT (tenant_id, crm_id) DO UPDATE SET ${[...assignments, ...reset.map((c) => `${c} = NULL`)].join(', ')}
    WHERE excluded.modified_at > ${table}.modified_at
       OR (excluded.modified_at = ${table}.modified_at AND ${table}.deleted_at IS NULL AND (${differs}))`;
}

/**
 * Run before the upsert: a newer version carrying exactly the values held (a field ABM Pilot does not read
 * was changed, or this is the echo of its own write-back) only moves `modified_at`. The stored picture is
 * the same, so the upsert that follows finds nothing to change and no account is computed again: which
 * accounts are recomputed, and when, must not depend on when the echo of a write happens to be pulled
 * (a run killed after a write pulls it a sync earlier than a clean one).
 */
function touchKeepingValues(table: string, columns: readonly string[], reset: readonly string[]): string {
  const same = columns.map((column) => `${column} IS @${column}`).join(' AND ');
  const live = reset.map((column) => `${column} IS NULL`).join(' AND ');
  return `UPDATE ${table} SET modified_at = @modified_at
    WHERE tenant_id = @tenant_id AND crm_id = @crm_id AND modified_at < @modified_at AND ${live} AND ${same}`;
}

/** The touch and the upsert of one table, run in that order on the same parameters. */
interface KeepNewest {
  readonly touch: string;
  readonly upsert: string;
}

const keepingNewest = (table: string, columns: readonly string[], reset: readonly string[]): KeepNewest => ({
  touch: touchKeepingValues(table, columns, reset),
  upsert: upsertKeepingNewest(table, columns, reset),
});

const UPSERT_OWNER = keepingNewest(
  'owners',
  ['name', 'email', 'timezone', 'manager_crm_id', 'team', 'active', 'login_user_id', 'locale'],
  ['deleted_at'],
);
const UPSERT_ACCOUNT = keepingNewest(
  'accounts',
  [
    'name',
    'domain',
    'industry',
    'region',
    'employees',
    'annual_revenue',
    'owner_crm_id',
    'abm_owner_crm_id',
    'executive_sponsor_crm_id',
    'crm_tier',
    'strategic',
    'intent_score',
  ],
  ['deleted_at', 'merged_into_crm_id'],
);

const KEEP_TIER_REASON = `UPDATE accounts SET crm_tier_reason = @crm_tier_reason
  WHERE tenant_id = @tenant_id AND crm_id = @crm_id AND modified_at = @modified_at
    AND crm_tier_reason IS NOT @crm_tier_reason`;

type ChildKind = 'contacts' | 'deals' | 'engagements';
const CHILD_KINDS: readonly ChildKind[] = ['contacts', 'deals', 'engagements'];

const UPSERT_CHILD: Readonly<Record<ChildKind, KeepNewest>> = {
  contacts: keepingNewest('contacts', ['account_crm_id', 'buying_role'], ['deleted_at']),
  deals: keepingNewest(
    'deals',
    ['account_crm_id', 'owner_crm_id', 'amount', 'stage', 'created_at', 'closed_at'],
    ['deleted_at'],
  ),
  engagements: keepingNewest(
    'engagements',
    ['account_crm_id', 'contact_crm_id', 'owner_crm_id', 'kind', 'occurred_at', 'done'],
    ['deleted_at'],
  ),
};

type ChildRecord = CrmContact | CrmDeal | CrmEngagement;

function childParams(kind: ChildKind, tenantId: string, record: ChildRecord, accountCrmId: string | null) {
  const common = { tenant_id: tenantId, crm_id: record.crmId, account_crm_id: accountCrmId };
  switch (kind) {
    case 'contacts': {
      const contact = record as CrmContact;
      return { ...common, buying_role: contact.buyingRole, modified_at: contact.modifiedAt };
    }
    case 'deals': {
      const deal = record as CrmDeal;
      return {
        ...common,
        owner_crm_id: deal.ownerCrmId,
        amount: deal.amount,
        stage: deal.stage,
        created_at: deal.createdAt,
        closed_at: deal.closedAt,
        modified_at: deal.modifiedAt,
      };
    }
    case 'engagements': {
      const engagement = record as CrmEngagement;
      return {
        ...common,
        contact_crm_id: engagement.contactCrmId,
        owner_crm_id: engagement.ownerCrmId,
        kind: engagement.kind,
        occurred_at: engagement.occurredAt,
        done: engagement.done ? 1 : 0,
        modified_at: engagement.modifiedAt,
      };
    }
  }
}

// A merged-away account may be unknown here (never synced): a tombstone row still records where it went,
// so children arriving later under its id land on the survivor. Its `modified_at` becomes at least the
// survivor's: a version of a merged-away record can only predate the merge, and must not revive it.
const MERGE_ACCOUNT = `INSERT INTO accounts (tenant_id, crm_id, name, modified_at, deleted_at, merged_into_crm_id)
  VALUES (@tenant_id, @merged, '', @modified_at, @now, @survivor)
  ON CONFLICT (tenant_id, crm_id) DO UPDATE SET
    merged_into_crm_id = excluded.merged_into_crm_id,
    deleted_at = COALESCE(accounts.deleted_at, excluded.deleted_at),
    modified_at = MAX(accounts.modified_at, excluded.modified_at)
  WHERE accounts.merged_into_crm_id IS NOT excluded.merged_into_crm_id OR accounts.deleted_at IS NULL`;

// Bumps the revision of a live account, creating its state row on first sight; unknown or removed
// accounts are left alone (a contact may name an account not pulled yet).
const MARK_AFFECTED = `INSERT INTO account_state (tenant_id, account_crm_id)
  SELECT @tenant_id, @account FROM accounts
  WHERE tenant_id = @tenant_id AND crm_id = @account AND deleted_at IS NULL
  ON CONFLICT (tenant_id, account_crm_id) DO UPDATE SET revision = revision + 1, removed_at = NULL`;

const MARK_REMOVED = `UPDATE account_state SET revision = revision + 1, removed_at = @now
  WHERE tenant_id = @tenant_id AND account_crm_id = @account AND removed_at IS NULL`;

const ADVANCE_CURSOR = `INSERT INTO sync_cursors (tenant_id, kind, modified_at, crm_id) VALUES (?, ?, ?, ?)
  ON CONFLICT (tenant_id, kind) DO UPDATE SET modified_at = excluded.modified_at, crm_id = excluded.crm_id
  WHERE (excluded.modified_at, excluded.crm_id) > (sync_cursors.modified_at, sync_cursors.crm_id)`;

export function syncRepository(sql: Sql): TenantRepository & SyncRepository {
  const survivorOf = (tenantId: string, accountCrmId: string): string =>
    (sql
      .statement<string>(
        `SELECT merged_into_crm_id FROM accounts
         WHERE tenant_id = ? AND crm_id = ? AND merged_into_crm_id IS NOT NULL`,
      )
      .pluck()
      .get(tenantId, accountCrmId) as string | undefined) ?? accountCrmId;

  /** 1 when the stored picture of the record changed, else 0. */
  const keepNewest = (statements: KeepNewest, params: Record<string, unknown>): number => {
    sql.statement(statements.touch).run(params);
    return sql.statement(statements.upsert).run(params).changes;
  };

  const markDeleted = (table: SyncKind, tenantId: string, crmId: string, now: Instant): boolean =>
    sql
      .statement(
        `UPDATE ${table} SET deleted_at = ? WHERE tenant_id = ? AND crm_id = ? AND deleted_at IS NULL`,
      )
      .run(now, tenantId, crmId).changes > 0;

  function saveAccounts(
    tenantId: string,
    page: PullPage<'accounts'>,
    now: Instant,
    touched: Set<string>,
    removed: Set<string>,
  ): number {
    let saved = 0;
    for (const account of page.records) {
      const params = accountParams(tenantId, account);
      const upserted = keepNewest(UPSERT_ACCOUNT, params) > 0;
      // The reason rides along with the version held without counting as a change: ABM Pilot's own
      // reason written back must not make the account due for compute; an edited tier does that.
      sql.statement(KEEP_TIER_REASON).run(params);
      const merged = mergeInto(tenantId, account, now, touched, removed);
      // A survivor that took another account in changed, even with the values it had.
      if (upserted || merged > 0) {
        saved++;
        touched.add(account.crmId);
        removed.delete(account.crmId);
      }
      saved += merged;
    }
    for (const crmId of page.deletedCrmIds) {
      if (markDeleted('accounts', tenantId, crmId, now)) {
        saved++;
        removed.add(crmId);
      }
    }
    return saved;
  }

  function mergeInto(
    tenantId: string,
    survivorRecord: CrmAccount,
    now: Instant,
    touched: Set<string>,
    removed: Set<string>,
  ): number {
    const survivor = survivorOf(tenantId, survivorRecord.crmId);
    let saved = 0;
    for (const merged of survivorRecord.mergedFromCrmIds) {
      if (merged === survivor) continue;
      const params = { tenant_id: tenantId, merged, survivor, modified_at: survivorRecord.modifiedAt, now };
      if (sql.statement(MERGE_ACCOUNT).run(params).changes > 0) {
        saved++;
        removed.add(merged);
        touched.add(survivor);
      }
      sql
        .statement(
          `UPDATE accounts INDEXED BY accounts_by_survivor SET merged_into_crm_id = @survivor
           WHERE tenant_id = @tenant_id AND merged_into_crm_id = @merged`,
        )
        .run(params);
      for (const kind of CHILD_KINDS) {
        const moved = sql
          .statement(
            `UPDATE ${kind} INDEXED BY ${kind}_by_account SET account_crm_id = @survivor
             WHERE tenant_id = @tenant_id AND account_crm_id = @merged`,
          )
          .run(params).changes;
        if (moved > 0) touched.add(survivor);
      }
    }
    return saved;
  }

  function saveChildren(
    kind: ChildKind,
    tenantId: string,
    page: PullPage,
    now: Instant,
    touched: Set<string>,
  ): number {
    const previousAccount = sql
      .statement<string | null>(`SELECT account_crm_id FROM ${kind} WHERE tenant_id = ? AND crm_id = ?`)
      .pluck();
    let saved = 0;
    for (const record of page.records as readonly ChildRecord[]) {
      const before = previousAccount.get(tenantId, record.crmId) ?? null;
      const account = record.accountCrmId === null ? null : survivorOf(tenantId, record.accountCrmId);
      if (keepNewest(UPSERT_CHILD[kind], childParams(kind, tenantId, record, account)) > 0) {
        saved++;
        // A contact moved between accounts changes both.
        if (before !== null) touched.add(before);
        if (account !== null) touched.add(account);
      }
    }
    for (const crmId of page.deletedCrmIds) {
      const before = previousAccount.get(tenantId, crmId) ?? null;
      if (markDeleted(kind, tenantId, crmId, now)) {
        saved++;
        if (before !== null) touched.add(before);
      }
    }
    return saved;
  }

  function saveOwners(tenantId: string, page: PullPage<'owners'>, now: Instant): number {
    let saved = 0;
    for (const owner of page.records as readonly CrmOwner[]) {
      saved += keepNewest(UPSERT_OWNER, ownerParams(tenantId, owner));
    }
    for (const crmId of page.deletedCrmIds) if (markDeleted('owners', tenantId, crmId, now)) saved++;
    return saved;
  }

  function savePageNow(tenantId: string, page: PullPage, now: Instant): SavedPage {
    const touched = new Set<string>();
    const removed = new Set<string>();
    let saved: number;
    switch (page.kind) {
      case 'owners':
        saved = saveOwners(tenantId, page as PullPage<'owners'>, now);
        break;
      case 'accounts':
        saved = saveAccounts(tenantId, page as PullPage<'accounts'>, now, touched, removed);
        break;
      default:
        saved = saveChildren(page.kind, tenantId, page, now, touched);
    }
    for (const account of removed) {
      touched.delete(account);
      sql.statement(MARK_REMOVED).run({ tenant_id: tenantId, account, now });
    }
    const affected: string[] = [];
    for (const account of touched) {
      if (sql.statement(MARK_AFFECTED).run({ tenant_id: tenantId, account }).changes > 0)
        affected.push(account);
    }
    if (page.cursor !== null) {
      sql.statement(ADVANCE_CURSOR).run(tenantId, page.kind, page.cursor.modifiedAt, page.cursor.crmId);
    }
    return { saved, affectedAccountCrmIds: affected.sort(), removedAccountCrmIds: [...removed].sort() };
  }

  return {
    async upsertTenant(tenant: Tenant) {
      sql
        .statement(
          `INSERT INTO tenants (tenant_id, crm, external_id, name, language) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET crm = excluded.crm, external_id = excluded.external_id,
             name = excluded.name, language = excluded.language`,
        )
        .run(tenant.id, tenant.crm, tenant.externalId, tenant.name, tenant.language ?? DEFAULT_LOCALE);
    },

    async getTenant(tenantId) {
      const row = sql
        .statement<TenantRow>(
          'SELECT tenant_id, crm, external_id, name, language FROM tenants WHERE tenant_id = ?',
        )
        .get(tenantId);
      return row === undefined ? null : tenantOf(row);
    },

    async listTenants() {
      return sql
        .statement<TenantRow>(
          'SELECT tenant_id, crm, external_id, name, language FROM tenants ORDER BY tenant_id',
        )
        .all()
        .map(tenantOf);
    },

    async savePage(tenantId, page, now) {
      return sql.transaction(() => savePageNow(tenantId, page, now));
    },

    async cursor(tenantId, kind) {
      const row = sql
        .statement<SyncCursor>(
          'SELECT modified_at AS modifiedAt, crm_id AS crmId FROM sync_cursors WHERE tenant_id = ? AND kind = ?',
        )
        .get(tenantId, kind);
      return row === undefined ? null : { modifiedAt: row.modifiedAt, crmId: row.crmId };
    },

    async resetCursor(tenantId, kind) {
      sql.statement('DELETE FROM sync_cursors WHERE tenant_id = ? AND kind = ?').run(tenantId, kind);
    },

    async accountsToCompute(tenantId, limit) {
      return sql
        .statement<string>(
          // The partial index holds only the accounts due, where the primary key would visit them all.
          `SELECT account_crm_id FROM account_state INDEXED BY account_state_to_compute
           WHERE tenant_id = ? AND revision > computed_revision AND removed_at IS NULL
           ORDER BY account_crm_id LIMIT ?`,
        )
        .pluck()
        .all(tenantId, limit);
    },

    async markForCompute(tenantId, accountCrmIds) {
      if (accountCrmIds === 'all') {
        return sql
          .statement(
            'UPDATE account_state SET revision = revision + 1 WHERE tenant_id = ? AND removed_at IS NULL',
          )
          .run(tenantId).changes;
      }
      const mark = sql.statement(
        `UPDATE account_state SET revision = revision + 1
         WHERE tenant_id = ? AND account_crm_id = ? AND removed_at IS NULL`,
      );
      return sql.transaction(() =>
        [...new Set(accountCrmIds)].reduce((marked, id) => marked + mark.run(tenantId, id).changes, 0),
      );
    },
  };
}

interface TenantRow {
  tenant_id: string;
  crm: string;
  external_id: string;
  name: string;
  language: string;
}

const tenantOf = (row: TenantRow): Tenant => ({
  id: row.tenant_id,
  crm: row.crm as Tenant['crm'],
  externalId: row.external_id,
  name: row.name,
  language: localeOf(row.language),
});
