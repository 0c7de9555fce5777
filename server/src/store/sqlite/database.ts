import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { runMigrations } from './migrations.ts';

export const DEFAULT_DATABASE_PATH = './data/abm-pilot.db';

/**
 * A connection with its prepared statements, compiled once per distinct SQL text. Statements on tables that
 * grow with a portal name their index (INDEXED BY): statistics gathered while a table was still empty would
 * otherwise lead the planner to scan a whole tenant, and a dropped index fails loudly at prepare time.
 */
export interface Sql {
  readonly db: Database.Database;
  statement<Row = unknown>(source: string): Database.Statement<unknown[], Row>;
  close(): void;
  /** Runs `work` in one IMMEDIATE transaction: the write lock is taken up front, so it never fails half-way on a busy lock. */
  transaction<T>(work: () => T): T;
  /** Runs reads in one DEFERRED transaction: they see one snapshot even while another process commits. */
  snapshot<T>(work: () => T): T;
}

export function openDatabase(path: string): Sql {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5_000 });
  try {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL never corrupts the file and loses nothing on an application crash; only an OS
    // crash or power loss may roll back the last commits. Each of those rolls back whole (page and cursor
    // together), the next sync re-pulls it and the CRM upserts are keyed, so the 4-5x faster commits
    // (reference 4.3) cost no correctness.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    runMigrations(db);
    // Gathers the statistics the planner lacks on a young file, cheaply (SQLite's advice for long-lived
    // connections); `close` runs it again.
    db.pragma('optimize = 0x10002');
  } catch (error) {
    db.close();
    throw error;
  }
  const cache = new Map<string, Database.Statement>();
  return {
    db,
    statement<Row>(source: string) {
      let statement = cache.get(source);
      if (statement === undefined) {
        statement = db.prepare(source);
        cache.set(source, statement);
      }
      return statement as Database.Statement<unknown[], Row>;
    },
    transaction<T>(work: () => T): T {
      return db.transaction(work).immediate();
    },
    snapshot<T>(work: () => T): T {
      return db.transaction(work).deferred();
    },
    close() {
      if (!db.open) return;
      db.pragma('optimize');
      db.close();
    },
  };
}
