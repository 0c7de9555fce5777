import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from './config.ts';
import { createConnector } from './connectors/index.ts';
import { systemTime } from './time.ts';
import { openSqliteStore } from './store/sqlite/sqliteStore.ts';
import type { SyncProgress, SyncReport } from './usecases/runSync.ts';
import { sweepSlas, syncTenant } from './usecases/runSync.ts';

// `abm-pilot sync` and `abm-pilot sla`: one run per configured tenant (or the one named), now, with a
// progress line. Configured like the server, from the environment and the connections file.

const USAGE = `Usage: abm-pilot <sync|sla> [--tenant hubspot:<portalId>|salesforce:<orgId>]

  sync   pull what changed, rescore, write back, deliver SLA tasks
  sla    sweep SLA clocks: recompute accounts with a running clock, deliver alert tasks

Environment: ABM_CONNECTIONS_FILE (required), ABM_DB_PATH (default ./data/abm-pilot.db).`;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'sync' && command !== 'sla') {
    io.stderr(
      `error unknown_command: ${command === undefined ? 'no command given' : `'${command}'`}\n\n${USAGE}\n`,
    );
    return 2;
  }
  let tenantFilter: string | undefined;
  try {
    tenantFilter = parseArgs({ args: [...rest], options: { tenant: { type: 'string' } }, strict: true })
      .values.tenant;
  } catch (error) {
    io.stderr(`error invalid_arguments: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`error invalid_config: ${error.message}\n`);
    return 2;
  }
  const clock = systemTime.now;
  const connectors = config.connections.map((connection) => createConnector(connection, systemTime));
  const chosen = connectors.filter(
    (connector) => tenantFilter === undefined || connector.tenant.id === tenantFilter,
  );
  if (chosen.length === 0) {
    io.stderr(`error unknown_tenant: no connection for '${tenantFilter}'\n`);
    return 2;
  }

  const store = openSqliteStore(config.dbPath);
  let failures = 0;
  try {
    for (const connector of chosen) {
      await store.upsertTenant(connector.tenant);
      if (command === 'sync') {
        const prepared = await connector.prepare();
        if (!prepared.ok) {
          io.stderr(`${connector.tenant.id}: error ${prepared.error.code}: ${prepared.error.message}\n`);
          failures += 1;
          continue;
        }
      }
      const deps = { store, connector, clock, holder: `cli:${process.pid}`, onProgress: progressLine(io) };
      const result = await (command === 'sync' ? syncTenant(deps) : sweepSlas(deps));
      if (io.stderrIsTty) io.stderr('\n');
      if (result.ok) io.stdout(`${connector.tenant.id}: ${summary(result.value)}\n`);
      else {
        failures += 1;
        io.stderr(`${connector.tenant.id}: error ${result.error.code}: ${result.error.message}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return failures === 0 ? 0 : 1;
}

function progressLine(io: CliIo): (progress: SyncProgress) => void {
  let lastLine = '';
  let lastPhase = '';
  let lastPrintedAt = 0;
  return (progress) => {
    const phase = `${progress.step.replace('_', ' ')}${progress.kind ? ` ${progress.kind}` : ''}`;
    const line = `${progress.tenantId}: ${phase} ${progress.done.toLocaleString('en-US')}`;
    if (io.stderrIsTty) io.stderr(`\r${line.padEnd(lastLine.length)}`);
    // Logs get a line per phase and at most one a second within it, not one per page.
    else if (phase !== lastPhase || Date.now() - lastPrintedAt >= 1_000) {
      io.stderr(`${line}\n`);
      lastPrintedAt = Date.now();
    }
    lastLine = line;
    lastPhase = phase;
  };
}

function summary(report: SyncReport): string {
  const pulled = Object.entries(report.pulled)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count.toLocaleString('en-US')}`)
    .join(', ');
  return [
    `pulled ${pulled || 'nothing'}`,
    `scored ${report.computed.toLocaleString('en-US')}`,
    `written ${report.written.toLocaleString('en-US')}${report.writeFailures ? ` (${report.writeFailures} failed)` : ''}`,
    `tasks ${report.tasksSent.toLocaleString('en-US')}${report.taskFailures ? ` (${report.taskFailures} failed)` : ''}`,
  ].join(' · ');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
  });
}
