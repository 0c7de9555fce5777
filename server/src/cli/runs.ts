import { createConnector } from '../connectors/index.ts';
import { systemTime } from '../time.ts';
import type { SyncProgress, SyncReport } from '../usecases/runSync.ts';
import { sweepSlas, syncTenant } from '../usecases/runSync.ts';
import type { CliCommand, CliIo } from './command.ts';
import { CliError, guarded, parseOptions } from './command.ts';
import { withOperatorStore } from './operatorStore.ts';

// `abm-pilot sync` and `abm-pilot sla`: one run per configured tenant (or the one named), now, with a
// progress line. Configured like the server: the store's connections (the connections file, if named,
// imported first).

const runUsage = (
  name: 'sync' | 'sla',
  what: string,
) => `Usage: abm-pilot ${name} [--tenant hubspot:<portalId>|salesforce:<orgId>]

  ${what}

Environment: ABM_DB_PATH (default ./data/abm-pilot.db), ABM_SECRET_KEY (opens the stored connections),
ABM_CONNECTIONS_FILE (optional, imported into the store first).`;

const SYNC_USAGE = runUsage('sync', 'pull what changed, rescore, write back, deliver SLA tasks');
const SLA_USAGE = runUsage(
  'sla',
  'sweep SLA clocks: recompute accounts with a running clock, deliver alert tasks',
);

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'pull what changed, rescore, write back, deliver SLA tasks, now',
  usage: SYNC_USAGE,
  run: (args, io) => runOnce('sync', args, io),
};

export const slaCommand: CliCommand = {
  name: 'sla',
  summary: 'sweep SLA clocks and deliver their alert tasks, now',
  usage: SLA_USAGE,
  run: (args, io) => runOnce('sla', args, io),
};

async function runOnce(command: 'sync' | 'sla', args: readonly string[], io: CliIo): Promise<number> {
  const usage = command === 'sync' ? SYNC_USAGE : SLA_USAGE;
  return guarded(io, usage, async () => {
    const { values } = parseOptions(args, { tenant: { type: 'string' } });
    if (values.help) {
      io.stdout(`${usage}\n`);
      return 0;
    }
    const clock = systemTime.now;
    let failures = 0;
    await withOperatorStore(io, async (store) => {
      const connectors = (await store.loadConnections()).map(({ connection }) =>
        createConnector(connection, systemTime),
      );
      const chosen = connectors.filter(
        (connector) => values.tenant === undefined || connector.tenant.id === values.tenant,
      );
      if (chosen.length === 0) {
        throw new CliError(
          'unknown_tenant',
          values.tenant === undefined
            ? 'no connections in the store'
            : `no connection for '${values.tenant}'`,
          2,
        );
      }
      for (const connector of chosen) {
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
    });
    return failures === 0 ? 0 : 1;
  });
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
