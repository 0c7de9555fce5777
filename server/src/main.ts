import type { ServerConfig } from './config.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startAbmPilot } from './compose.ts';
import { createLogger } from './log.ts';
import { SecretError } from './secrets.ts';

// `npm start`: the server alone. It reads its configuration once, builds the server through the
// composition root, listens, and on SIGTERM / SIGINT stops taking requests, lets the batch in flight
// finish (cursors are saved with each page), closes the store and exits, within ten seconds whatever happens.

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`error invalid_config: ${error.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  let running;
  try {
    running = await startAbmPilot(config, { log });
  } catch (error) {
    // The store holds sealed connections this process cannot open: say which key is missing, not a stack.
    if (!(error instanceof SecretError)) throw error;
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    process.exit(2);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1]?.endsWith('main.ts')) await main();
