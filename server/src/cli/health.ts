import { instantToIso } from '@abm-pilot/shared';

import { SYNC_KINDS } from '../model.ts';
import type { Tenant } from '../model.ts';
import type { SyncRun } from '../store/ports.ts';
import type { CliCommand } from './command.ts';
import { CliError, guarded, parseOptions, print, table } from './command.ts';
import type { OperatorSession } from './operator.ts';
import { withOperatorStore } from './operator.ts';

// `abm-pilot health`: how a tenant is doing, for whoever is on call. The last runs and how they ended,
// how far each sync cursor has come, what is still waiting to reach the CRM, and the CRM's daily API
// allowance left as its last answer told. Exit code 1 when the last run failed or the outbox is failing.

const USAGE = `Usage: abm-pilot health [--tenant <hubspot:<portalId>|salesforce:<orgId>>] [--runs <n>]

  Every tenant's health, or the one named: its last runs (default 5), its sync cursors, the writes and
  tasks not yet in the CRM, and the API allowance left. Exits 1 when a tenant's last run failed or tasks
  keep failing to reach the CRM.

Options: --json prints the result as JSON.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db).`;

export const healthCommand: CliCommand = {
  name: 'health',
  summary: "a tenant's last runs, cursors, outbox depth and API allowance left",
  usage: USAGE,
  run: (args, io) =>
    guarded(io, USAGE, async () => {
      const { values, positionals } = parseOptions(args, {
        tenant: { type: 'string' },
        runs: { type: 'string' },
      });
      if (values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
      }
      if (positionals.length > 0)
        throw new CliError('invalid_arguments', `unexpected '${positionals.join(' ')}'`, 2);
      const runs = values.runs === undefined ? 5 : Number(values.runs);
      if (!(Number.isInteger(runs) && runs >= 1 && runs <= 100)) {
        throw new CliError('invalid_runs', '--runs must be a whole number from 1 to 100', 2);
      }
      return withOperatorStore(io, async (session) => {
        const tenants =
          values.tenant === undefined
            ? await session.store.listTenants()
            : [await session.tenant(values.tenant)];
        const reports = await Promise.all(tenants.map((tenant) => healthOf(session, tenant, runs)));
        await session.record(values.tenant ?? null, 'health', { tenants: tenants.length });
        print(io, values.json, reports, () =>
          reports.length === 0
            ? 'No tenant is connected yet: see README "Install for real".'
            : reports.map(text).join('\n\n'),
        );
        return reports.every((report) => report.healthy) ? 0 : 1;
      });
    }),
};

type Health = Awaited<ReturnType<typeof healthOf>>;

async function healthOf(session: OperatorSession, tenant: Tenant, limit: number) {
  const { store } = session;
  const [runs, backlog, cursors] = await Promise.all([
    store.recentRuns(tenant.id, limit),
    store.backlog(tenant.id),
    Promise.all(SYNC_KINDS.map(async (kind) => [kind, await store.cursor(tenant.id, kind)] as const)),
  ]);
  const lastFinished = runs.find((run) => run.status !== 'running');
  const withApi = runs.find((run) => run.counts['api_daily_remaining'] !== undefined);
  return {
    tenant: tenant.id,
    name: tenant.name,
    healthy: lastFinished?.status !== 'failed' && backlog.failingTasks === 0,
    runs: runs.map(runToWire),
    cursors: Object.fromEntries(
      cursors.map(([kind, cursor]) => [kind, cursor === null ? null : instantToIso(cursor.modifiedAt)]),
    ),
    outbox: backlog,
    api: {
      callsLastRun: runs[0]?.counts['api_calls'] ?? null,
      dailyRemaining: withApi?.counts['api_daily_remaining'] ?? null,
    },
  };
}

const runToWire = (run: SyncRun) => ({
  kind: run.kind,
  status: run.status,
  startedAt: instantToIso(run.startedAt),
  finishedAt: run.finishedAt === null ? null : instantToIso(run.finishedAt),
  counts: run.counts,
  error: run.error,
});

function text(health: Health): string {
  const runLines = health.runs.map((run) => [
    `  ${run.kind}`,
    run.status,
    run.startedAt,
    run.finishedAt ?? '',
    Object.entries(run.counts)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${n}`)
      .join(', '),
    run.error ?? '',
  ]);
  return [
    `${health.tenant} (${health.name}): ${health.healthy ? 'healthy' : 'NEEDS ATTENTION'}`,
    health.runs.length === 0
      ? '  no run yet'
      : table([['  RUN', 'STATUS', 'STARTED', 'FINISHED', 'COUNTS', 'ERROR'], ...runLines]),
    `  cursors: ${Object.entries(health.cursors)
      .map(([kind, at]) => `${kind} ${at ?? 'not started'}`)
      .join(', ')}`,
    `  outbox: ${health.outbox.accountWrites} account writes, ${health.outbox.tasks} tasks waiting (${health.outbox.failingTasks} failing)`,
    `  API: ${health.api.callsLastRun ?? '?'} calls in the last run; ${health.api.dailyRemaining ?? 'unknown'} left of the CRM's daily allowance`,
  ].join('\n');
}
