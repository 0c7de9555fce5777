import { parseArgs } from 'node:util';

import type { Instant } from '@abm-pilot/shared';

// What every operator command shares: how it talks (stdout for results, stderr for progress and errors),
// how it fails (a named error, exit code 2 for a bad call, 1 for a refused one), and `--help` / `--json`.

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
  /** The operator's clock; the system's unless a test sets it. */
  readonly now?: () => Instant;
  /** Who runs the command, for the operator's log: the operating-system user. */
  readonly operator?: string;
}

export interface CliCommand {
  readonly name: string;
  /** One line in `abm-pilot --help`. */
  readonly summary: string;
  /** The whole `abm-pilot <name> --help`. */
  readonly usage: string;
  /** The exit code: 0 done, 1 refused or failed, 2 called wrongly. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** An expected failure of a command, with a stable snake_case code the operator can search for. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** 2 when the call itself is wrong (arguments, settings), 1 when it was refused. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

type OptionSpec = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly multiple?: boolean }>
>;

/** Parses a command's options strictly, with `--help` and `--json` always known. */
export function parseOptions<const O extends OptionSpec>(args: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError('invalid_arguments', (error as Error).message, 2);
  }
}

/** Prints `value` as one JSON document with `--json`, else the text meant for people. */
export function print(io: CliIo, json: boolean | undefined, value: unknown, text: () => string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Runs a command body, turning its named errors into `error <code>: <message>` and their exit codes. */
export async function guarded(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`error ${error.code}: ${error.message}\n${error.exitCode === 2 ? `\n${usage}\n` : ''}`);
    return error.exitCode;
  }
}

/** Lays out rows as aligned columns, for the list commands. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
