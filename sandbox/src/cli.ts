import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

import type { DomainError, Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { SeedAccountBundle, SeedDataset, SeedSummary } from './seed/index.ts';
import type { RunningSandbox, SandboxCrm } from './start.ts';
import { startSandbox } from './start.ts';
import {
  MAX_SEED_ACCOUNTS,
  MIN_SEED_ACCOUNTS,
  createSeedDataset,
  createSummaryAccumulator,
} from './seed/index.ts';

// The sandbox's command line: `npx tsx sandbox/src/cli.ts <command> [options]`. Each command parses its own
// arguments (node:util parseArgs, then zod) and reports expected failures as values; `runCli` turns them
// into a message on stderr and an exit code, so a wrong flag never ends in a stack trace.

export type CliErrorCode = 'invalid_arguments' | 'unknown_command' | 'write_failed' | 'start_failed';
export type CliError = DomainError<CliErrorCode>;

/** 2 for a command line the user must fix, 1 for a failure while doing what it asked. */
const EXIT_CODES: Readonly<Record<CliErrorCode, number>> = {
  invalid_arguments: 2,
  unknown_command: 2,
  write_failed: 1,
  start_failed: 1,
};

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress rewrites one line on a terminal, and appends lines elsewhere (CI logs, files). */
  readonly stderrIsTty: boolean;
  /** The clock, for defaults that follow today, such as the seed's reference date. */
  readonly now: () => Date;
  /** Resolves when the user asks a long-running command to stop (Ctrl-C, SIGTERM). */
  readonly untilStopped: () => Promise<void>;
}

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<Result<void, CliError>>;
}

// ---------------------------------------------------------------------------------------------------------
// Command table.
// ---------------------------------------------------------------------------------------------------------

const COMMANDS: Readonly<Record<string, Command>> = {
  seed: {
    summary: 'generate a seed dataset, print its summary, and optionally write it as JSON lines',
    usage: [
      'Usage: cli.ts seed [--accounts N] [--seed S] [--reference-date ISO] [--out file.jsonl] [--json]',
      '',
      `  --accounts N          accounts to generate, ${MIN_SEED_ACCOUNTS} to ${MAX_SEED_ACCOUNTS.toLocaleString('en-US')} (default 1000)`,
      '  --seed S              integer seed: the same seed gives the same data (default 42)',
      '  --reference-date ISO  the "now" of the data, an ISO instant or YYYY-MM-DD (default: today, 00:00 UTC)',
      '  --out file.jsonl      also write every record, one {"kind","record"} object per line',
      '  --json                print the summary as JSON instead of text',
    ].join('\n'),
    run: runSeedCommand,
  },
  start: {
    summary: 'start the HubSpot and / or Salesforce emulators with seeded data, print URLs and credentials',
    usage: [
      'Usage: cli.ts start [--crm hubspot|salesforce|both] [--hubspot-port P] [--salesforce-port P]',
      '                    [--accounts N] [--seed S] [--reference-date ISO] [--json]',
      '',
      '  --crm                 which emulators to start (default both)',
      '  --hubspot-port P      port on 127.0.0.1 for the HubSpot emulator (default 4010; 0 picks a free one)',
      '  --salesforce-port P   port on 127.0.0.1 for the Salesforce emulator (default 4020; 0 picks a free one)',
      `  --accounts N          accounts to load, ${MIN_SEED_ACCOUNTS} to ${MAX_SEED_ACCOUNTS.toLocaleString('en-US')} (default 1000)`,
      '  --seed S              integer seed (default 42)',
      '  --reference-date ISO  the "now" of the data (default: today, 00:00 UTC)',
      '  --json                print the URLs and credentials as JSON',
      '',
      'Runs until interrupted (Ctrl-C).',
    ].join('\n'),
    run: runStartCommand,
  },
};

// ---------------------------------------------------------------------------------------------------------

const GENERAL_USAGE = [
  'Usage: cli.ts <command> [options]    (cli.ts <command> --help for its options)',
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`),
].join('\n');

/** Runs one command line (without the node and script paths) and returns the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${GENERAL_USAGE}\n`);
    return 0;
  }
  if (name === undefined)
    return report(io, { code: 'unknown_command', message: 'no command given' }, GENERAL_USAGE);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    return report(io, { code: 'unknown_command', message: `unknown command '${name}'` }, GENERAL_USAGE);
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  const outcome = await command.run(args, io);
  return outcome.ok ? 0 : report(io, outcome.error, command.usage);
}

function report(io: CliIo, error: CliError, usage: string): number {
  const hint = EXIT_CODES[error.code] === 2 ? `\n\n${usage}` : '';
  io.stderr(`error ${error.code}: ${error.message}${hint}\n`);
  return EXIT_CODES[error.code];
}

/**
 * node:util parseArgs for the shape of the line (unknown flags, missing values), then zod for the values;
 * both kinds of mistake come back as one `invalid_arguments` naming the flag.
 */
function parseCommandArgs<S extends z.ZodType>(
  args: readonly string[],
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'],
  schema: S,
): Result<z.output<S>, CliError> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    if (isParseArgsError(error)) return err({ code: 'invalid_arguments', message: error.message });
    throw error;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return ok(parsed.data);
  const message = parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `--${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return err({ code: 'invalid_arguments', message });
}

const isParseArgsError = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

/** A whole number as typed by a person: `1000000`, `1_000_000` and `1,000,000` are the same. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d[\d_,]*$/, 'must be a whole number')
    .transform((text) => Number(text.replace(/[_,]/g, '')))
    .pipe(z.int().min(min).max(max));

const instant = z
  .string()
  .transform((text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text))
  .pipe(z.iso.datetime({ offset: true, message: 'must be an ISO instant or a YYYY-MM-DD date' }))
  .transform((text) => new Date(text).toISOString());

const SEED_OPTIONS = {
  accounts: { type: 'string' },
  seed: { type: 'string' },
  'reference-date': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const SeedArgsSchema = z.strictObject({
  accounts: wholeNumber(MIN_SEED_ACCOUNTS, MAX_SEED_ACCOUNTS).default(1_000),
  seed: wholeNumber(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).default(42),
  'reference-date': instant.optional(),
  out: z.string().min(1, 'must name a file').optional(),
  json: z.boolean().default(false),
});

/** Sizes from which a run is long enough that silence would look like a hang. */
const PROGRESS_FROM_ACCOUNTS = 20_000;
const PROGRESS_STEPS = 10;

async function runSeedCommand(args: readonly string[], io: CliIo): Promise<Result<void, CliError>> {
  const parsed = parseCommandArgs(args, SEED_OPTIONS, SeedArgsSchema);
  if (!parsed.ok) return parsed;
  const { accounts, seed, out, json } = parsed.value;
  const referenceDate = parsed.value['reference-date'] ?? startOfUtcDay(io.now());
  const dataset = createSeedDataset({ seed, accounts, referenceDate });

  const sink = out === undefined ? null : await openJsonLines(out);
  if (sink !== null && !sink.ok) return sink;
  const lines = sink?.value ?? null;
  lines?.append(jsonLine('options', dataset.options));
  for (const owner of dataset.owners) lines?.append(jsonLine('owner', owner));

  const summary = createSummaryAccumulator(dataset.options, dataset.owners);
  const progress = progressReporter(io, accounts);
  for (const bundle of dataset.accounts()) {
    summary.add(bundle);
    if (lines !== null) {
      appendBundle(lines, bundle);
      const flushed = await lines.flushIfFull();
      if (!flushed.ok) return flushed;
    }
    progress.tick();
  }
  progress.done();
  if (lines !== null) {
    const closed = await lines.close();
    if (!closed.ok) return closed;
  }

  const result = summary.result();
  io.stdout(
    json
      ? `${JSON.stringify({ ...result, out: out ?? null }, null, 2)}\n`
      : formatSummary(result, dataset, out),
  );
  return ok(undefined);
}

function appendBundle(lines: JsonLinesSink, bundle: SeedAccountBundle): void {
  lines.append(jsonLine('company', bundle.company));
  for (const contact of bundle.contacts) lines.append(jsonLine('contact', contact));
  for (const deal of bundle.deals) lines.append(jsonLine('deal', deal));
  for (const engagement of bundle.engagements) lines.append(jsonLine('engagement', engagement));
}

const jsonLine = (kind: string, record: unknown): string => `${JSON.stringify({ kind, record })}\n`;

interface JsonLinesSink {
  append(line: string): void;
  /** Writes the buffer once it is big, waiting for the disk when the stream asks to. */
  flushIfFull(): Promise<Result<void, CliError>>;
  close(): Promise<Result<void, CliError>>;
}

const FLUSH_CHARS = 1 << 20;

async function openJsonLines(path: string): Promise<Result<JsonLinesSink, CliError>> {
  const stream = createWriteStream(path);
  let failure: Error | null = null;
  stream.on('error', (error) => (failure ??= error));
  try {
    await once(stream, 'open');
  } catch (error) {
    return err(writeFailed(path, error));
  }
  let buffer: string[] = [];
  let buffered = 0;
  const flush = async (): Promise<Result<void, CliError>> => {
    if (failure !== null) return err(writeFailed(path, failure));
    if (buffer.length === 0) return ok(undefined);
    const chunk = buffer.join('');
    buffer = [];
    buffered = 0;
    try {
      if (!stream.write(chunk)) await once(stream, 'drain');
    } catch (error) {
      return err(writeFailed(path, error));
    }
    return failure === null ? ok(undefined) : err(writeFailed(path, failure));
  };
  return ok({
    append(line) {
      buffer.push(line);
      buffered += line.length;
    },
    flushIfFull: () => (buffered >= FLUSH_CHARS ? flush() : Promise.resolve(ok(undefined))),
    async close() {
      const flushed = await flush();
      if (!flushed.ok) return flushed;
      try {
        stream.end();
        await once(stream, 'finish');
      } catch (error) {
        return err(writeFailed(path, error));
      }
      return failure === null ? ok(undefined) : err(writeFailed(path, failure));
    },
  });
}

const writeFailed = (path: string, error: unknown): CliError => ({
  code: 'write_failed',
  message: `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
});

function progressReporter(io: CliIo, total: number): { tick(): void; done(): void } {
  if (total < PROGRESS_FROM_ACCOUNTS) return { tick: () => undefined, done: () => undefined };
  const step = Math.ceil(total / PROGRESS_STEPS);
  let count = 0;
  const line = () =>
    `seed: ${count.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} accounts (${Math.round((count / total) * 100)}%)`;
  return {
    tick() {
      count += 1;
      if (count % step === 0 && count < total) io.stderr(io.stderrIsTty ? `\r${line()}` : `${line()}\n`);
    },
    done() {
      io.stderr(io.stderrIsTty ? `\r${line()}\n` : `${line()}\n`);
    },
  };
}

function formatSummary(summary: SeedSummary, dataset: SeedDataset, out: string | undefined): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const list = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .map(([key, value]) => `${key} ${n(value)}`)
      .join(' · ');
  const { options } = dataset;
  return [
    `seed ${options.seed} · ${n(summary.accounts)} accounts · reference date ${options.referenceDate}`,
    `records  contacts ${n(summary.contacts)} · deals ${n(summary.deals)} · engagements ${n(summary.engagements)}`,
    `tiers    ${list(summary.tiers)} · strategic ${n(summary.strategic)} · intent score ${n(summary.withIntentScore)}`,
    `regions  ${list(summary.regions)}`,
    `deals    ${list(summary.dealStages)}`,
    `owners   ${n(summary.owners.total)}: ${list(summary.owners.byRole)}`,
    `zones    ${list(summary.owners.byTimezone)}`,
    ...(out === undefined ? [] : [`written  ${out}`]),
    '',
  ].join('\n');
}

const START_OPTIONS = {
  crm: { type: 'string' },
  'hubspot-port': { type: 'string' },
  'salesforce-port': { type: 'string' },
  accounts: { type: 'string' },
  seed: { type: 'string' },
  'reference-date': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const StartArgsSchema = z.strictObject({
  crm: z.enum(['hubspot', 'salesforce', 'both']).default('both'),
  'hubspot-port': wholeNumber(0, 65_535).default(4010),
  'salesforce-port': wholeNumber(0, 65_535).default(4020),
  accounts: wholeNumber(MIN_SEED_ACCOUNTS, MAX_SEED_ACCOUNTS).default(1_000),
  seed: wholeNumber(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).default(42),
  'reference-date': instant.optional(),
  json: z.boolean().default(false),
});

async function runStartCommand(args: readonly string[], io: CliIo): Promise<Result<void, CliError>> {
  const parsed = parseCommandArgs(args, START_OPTIONS, StartArgsSchema);
  if (!parsed.ok) return parsed;
  const { crm, accounts, seed, json } = parsed.value;
  const crms: SandboxCrm[] = crm === 'both' ? ['hubspot', 'salesforce'] : [crm];
  io.stderr(`sandbox: seeding ${accounts.toLocaleString('en-US')} accounts into ${crms.join(' and ')} ...\n`);
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({
      crms,
      accounts,
      seed,
      referenceDate: parsed.value['reference-date'] ?? startOfUtcDay(io.now()),
      hubspotPort: parsed.value['hubspot-port'],
      salesforcePort: parsed.value['salesforce-port'],
      webhookIntervalMs: 1_000,
    });
  } catch (error) {
    return err({ code: 'start_failed', message: error instanceof Error ? error.message : String(error) });
  }
  io.stdout(json ? `${JSON.stringify(sandboxInfo(sandbox), null, 2)}\n` : formatSandbox(sandbox));
  await io.untilStopped();
  await sandbox.close();
  io.stderr('sandbox: stopped\n');
  return ok(undefined);
}

function sandboxInfo(sandbox: RunningSandbox) {
  const { hubspot, salesforce } = sandbox;
  return {
    hubspot:
      hubspot &&
      (({ url, portalId, privateAppToken, oauthClientId, oauthClientSecret, companies }) => ({
        url,
        portalId,
        privateAppToken,
        oauthClientId,
        oauthClientSecret,
        companies,
      }))(hubspot),
    salesforce:
      salesforce &&
      (({ url, orgId, clientId, clientSecret, refreshToken, accounts }) => ({
        url,
        orgId,
        clientId,
        clientSecret,
        refreshToken,
        accounts,
      }))(salesforce),
  };
}

// Sandbox credentials open nothing but these local emulators, so they are printed for the user to copy.
function formatSandbox(sandbox: RunningSandbox): string {
  const lines: string[] = [];
  const { hubspot, salesforce } = sandbox;
  if (hubspot) {
    lines.push(
      `HubSpot emulator     ${hubspot.url}  (portal ${hubspot.portalId}, ${hubspot.companies.toLocaleString('en-US')} companies)`,
      `  private app token  ${hubspot.privateAppToken}`,
      `  OAuth client       ${hubspot.oauthClientId} / ${hubspot.oauthClientSecret}`,
      `  try                curl -H "Authorization: Bearer ${hubspot.privateAppToken}" "${hubspot.url}/crm/v3/objects/companies?limit=2"`,
    );
  }
  if (salesforce) {
    lines.push(
      `Salesforce emulator  ${salesforce.url}  (org ${salesforce.orgId}, ${salesforce.accounts.toLocaleString('en-US')} accounts)`,
      `  client credentials ${salesforce.clientId} / ${salesforce.clientSecret}`,
      `  refresh token      ${salesforce.refreshToken}`,
      `  token              curl -d grant_type=client_credentials -d client_id=${salesforce.clientId} -d client_secret=${salesforce.clientSecret} ${salesforce.url}/services/oauth2/token`,
    );
  }
  lines.push('Ctrl-C stops the sandbox.', '');
  return lines.join('\n');
}

const startOfUtcDay = (now: Date): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    now: () => new Date(),
    untilStopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = await runCli(process.argv.slice(2));
