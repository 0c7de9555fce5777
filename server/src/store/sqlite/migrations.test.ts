import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { openDatabase } from './database.ts';
import { MIGRATIONS, runMigrations } from './migrations.ts';
import { openSqliteStore } from './sqliteStore.ts';
import { TENANT_A } from './testSupport.ts';

const dirs: string[] = [];
const freshPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'abm-migrations-'));
  dirs.push(dir);
  return join(dir, 'data', 'sub', 'abm-pilot.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('opening a database', () => {
  it('creates the folder and the file, and applies every migration once', () => {
    const path = freshPath();
    const sql = openDatabase(path);
    expect(existsSync(path)).toBe(true);
    const applied = sql.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(applied).toEqual(MIGRATIONS.map((migration) => migration.version));
    sql.db.close();
  });

  it('re-opening the same file applies nothing and keeps the data', async () => {
    const path = freshPath();
    const first = openSqliteStore(path);
    await first.upsertTenant(TENANT_A);
    await first.close();

    const db = new Database(path);
    expect(runMigrations(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    db.close();

    const second = openSqliteStore(path);
    expect(await second.getTenant(TENANT_A.id)).toEqual(TENANT_A);
    await second.close();
  });

  it('applies only the steps not recorded yet, and a failing step leaves no trace', () => {
    const db = new Database(':memory:');
    const shipped = MIGRATIONS.map((migration) => migration.version);
    const last = Math.max(...shipped);
    expect(runMigrations(db)).toEqual(shipped);
    const next = { version: last + 1, name: 'add a note', sql: 'ALTER TABLE tenants ADD COLUMN note TEXT;' };
    expect(runMigrations(db, [...MIGRATIONS, next])).toEqual([last + 1]);
    expect(runMigrations(db, [...MIGRATIONS, next])).toEqual([]);

    const broken = {
      version: last + 2,
      name: 'broken',
      sql: 'CREATE TABLE t3 (a); INSERT INTO nowhere VALUES (1);',
    };
    expect(() => runMigrations(db, [...MIGRATIONS, next, broken])).toThrow(/nowhere/);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(last + 1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't3'").pluck().get()).toBe(0);
    db.close();
  });

  it('sets WAL, synchronous NORMAL, foreign keys and a busy timeout on a file', () => {
    const sql = openDatabase(freshPath());
    expect(sql.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sql.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(sql.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sql.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    sql.db.close();
  });

  it('opens an in-memory store without touching the disk', async () => {
    const store = openSqliteStore(':memory:');
    await store.upsertTenant(TENANT_A);
    expect(await store.listTenants()).toEqual([TENANT_A]);
    await store.close();
  });
});

describe('the migration list', () => {
  it('numbers its steps 1, 2, 3... in order, so a step appended later can never run before a shipped one', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it('upgrades a file made by the first schema, keeping its data', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    runMigrations(db, MIGRATIONS.slice(0, 1));
    db.prepare(
      "INSERT INTO tenants (tenant_id, crm, external_id, name) VALUES ('hubspot:111', 'hubspot', '111', 'Portal A')",
    ).run();
    db.close();

    const store = openSqliteStore(path);
    expect(await store.getTenant(TENANT_A.id)).toEqual(TENANT_A);
    expect(await store.listCredentials(TENANT_A.id)).toEqual([]);
    await store.close();
  });
});

describe('the schema', () => {
  it('remembers, on upgrade, that a CRM still holding the last tier written for an account shows no edit', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    runMigrations(
      db,
      MIGRATIONS.filter((migration) => migration.version < 12),
    );
    db.exec(`INSERT INTO tenants VALUES ('${TENANT_A.id}', 'hubspot', '111', 'A')`);
    const state = db.prepare(
      'INSERT INTO account_state (tenant_id, account_crm_id, assigned_tier, written_fields) VALUES (?, ?, ?, ?)',
    );
    // A decision not written yet; one written; one untargeted, still targeted in the CRM; one never written.
    state.run(TENANT_A.id, 'decided', 'tier_2', '{"tier":"tier_3","score":40}');
    state.run(TENANT_A.id, 'written', 'tier_2', '{"tier":"tier_2"}');
    state.run(TENANT_A.id, 'untargeted', null, '{"tier":"tier_1"}');
    state.run(TENANT_A.id, 'fresh', 'tier_1', '{}');
    expect(runMigrations(db)).toContain(12);
    expect(
      db.prepare('SELECT account_crm_id, tier_ledger FROM account_state ORDER BY account_crm_id').all(),
    ).toEqual([
      { account_crm_id: 'decided', tier_ledger: '["tier_3"]' },
      { account_crm_id: 'fresh', tier_ledger: '[]' },
      { account_crm_id: 'untargeted', tier_ledger: '["tier_1"]' },
      { account_crm_id: 'written', tier_ledger: '[]' },
    ]);
    db.close();
  });

  it('gives every table tenant_id first in its primary key or in an index', () => {
    const sql = openDatabase(':memory:');
    const tables = sql.db
      .prepare<
        [],
        string
      >("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all();
    expect(tables.length).toBeGreaterThan(10);
    // About no tenant: the one-row change counter of all connections, and the state of a HubSpot install
    // in progress, whose tenant does not exist yet.
    const tenantless = new Set(['connections_version', 'oauth_states']);
    for (const table of tables.filter((name) => !tenantless.has(name))) {
      const primaryKey = sql.db
        .prepare<
          [string],
          { name: string; pk: number }
        >(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`)
        .all(table);
      const indexes = sql.db
        .prepare<[string], string>('SELECT name FROM pragma_index_list(?)')
        .pluck()
        .all(table);
      const firstColumns = indexes.map((index) =>
        sql.db
          .prepare<[string], string>('SELECT name FROM pragma_index_info(?) WHERE seqno = 0')
          .pluck()
          .get(index),
      );
      const tenantFirst = primaryKey[0]?.name === 'tenant_id' || firstColumns.includes('tenant_id');
      expect({ table, tenantFirst }).toEqual({ table, tenantFirst: true });
    }
    sql.db.close();
  });
});
