import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';

import type { CliCommand, CliIo } from './cli/command.ts';
import { table } from './cli/command.ts';
import { connectionCommand } from './cli/connections.ts';
import { credentialCommand } from './cli/credentials.ts';
import { healthCommand } from './cli/health.ts';
import { roleCommand } from './cli/roles.ts';
import { slaCommand, syncCommand } from './cli/runs.ts';
import { signHubspotCommand } from './cli/signHubspot.ts';
import { logCommand, tenantsCommand } from './cli/tenants.ts';

// `npm run abm-pilot -- <command> …`: the operator's tool. Each command lives in `cli/` and owns its
// options and `--help`; this file only finds it. Results go to stdout (JSON with `--json`), progress and
// named errors (`error <code>: …`) to stderr.

export type { CliIo } from './cli/command.ts';

const COMMANDS: readonly CliCommand[] = [
  tenantsCommand,
  connectionCommand,
  credentialCommand,
  roleCommand,
  healthCommand,
  logCommand,
  syncCommand,
  slaCommand,
  signHubspotCommand,
];

const usage = () =>
  `Usage: abm-pilot <command> [options]   (abm-pilot <command> --help for its own)

${table(COMMANDS.map((command) => [`  ${command.name}`, command.summary]))}

Environment: ABM_DB_PATH (default ./data/abm-pilot.db), ABM_SECRET_KEY (opens the stored connections),
ABM_CONNECTIONS_FILE (optional: connections imported into the store first).`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(
      `error unknown_command: ${name === undefined ? 'no command given' : `'${name}'`}\n\n${usage()}\n`,
    );
    return 2;
  }
  return command.run(rest, io);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    operator: userInfo().username,
  });
}
