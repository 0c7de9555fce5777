// The part of better-sqlite3's API this store uses. `@types/better-sqlite3` is not installed in the
// workspace; once it is, this file can be deleted (an ambient declaration takes precedence over it).
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      readonly changes: number;
      readonly lastInsertRowid: number | bigint;
    }

    interface Statement<Row = unknown> {
      readonly reader: boolean;
      run(...params: readonly unknown[]): RunResult;
      get(...params: readonly unknown[]): Row | undefined;
      all(...params: readonly unknown[]): Row[];
      iterate(...params: readonly unknown[]): IterableIterator<Row>;
      pluck(toggle?: boolean): this;
    }

    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      /** Busy timeout in ms. */
      timeout?: number;
    }

    type Transaction<F extends (...args: never[]) => unknown> = F & {
      readonly deferred: F;
      readonly immediate: F;
      readonly exclusive: F;
    };

    interface Database {
      readonly open: boolean;
      readonly inTransaction: boolean;
      readonly memory: boolean;
      readonly name: string;
      prepare<Row = unknown>(source: string): Statement<Row>;
      exec(source: string): this;
      pragma(source: string, options?: { simple?: boolean }): unknown;
      transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
      close(): this;
    }
  }

  interface DatabaseConstructor {
    new (filename?: string, options?: Database.Options): Database.Database;
    (filename?: string, options?: Database.Options): Database.Database;
  }

  const Database: DatabaseConstructor;
  export = Database;
}
