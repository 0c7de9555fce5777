import type { ServerConfig } from '../config.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { SecretError } from '../secrets.ts';
import type { Store } from '../store/ports.ts';
import { openSqliteStore } from '../store/sqlite/sqliteStore.ts';
import type { CliIo } from './command.ts';
import { CliError } from './command.ts';

// The store as operator commands open it: configured like the server (ABM_DB_PATH, ABM_SECRET_KEY), the
// connections file (if named) imported first as the server imports it, closed whatever happens.

export async function withOperatorStore<T>(
  io: CliIo,
  work: (store: Store, config: ServerConfig) => Promise<T>,
): Promise<T> {
  let config: ServerConfig;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CliError('invalid_config', error.message, 2);
  }
  const store = openSqliteStore(config.dbPath, { secretKeys: config.secretKeys });
  try {
    const now = (io.now ?? Date.now)();
    for (const connection of config.connections) await store.saveConnection(connection, 'upsert', now);
    return await work(store, config);
  } catch (error) {
    throw error instanceof SecretError ? new CliError(error.code, error.message, 2) : error;
  } finally {
    await store.close();
  }
}
