import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import type { CliIo } from './cli.ts';
import { runCli } from './cli.ts';

const CLI_PATH = fileURLToPath(new URL('./cli.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'abm-seed-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as a user runs it: its own node process, through tsx. */
function runProcess(args: readonly string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function memoryIo(now = new Date('2026-03-01T15:30:00Z'), untilStopped = () => Promise.resolve()) {
  const captured = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => void (captured.stdout += text),
    stderr: (text) => void (captured.stderr += text),
    stderrIsTty: false,
    now: () => now,
    untilStopped,
  };
  return { io, captured };
}

describe('cli as a process', () => {
  it.each([
    [['seed', '--accounts', '99'], 'error invalid_arguments: --accounts: Too small'],
    [['seed', '--acounts', '500'], "error invalid_arguments: Unknown option '--acounts'"],
    [['launch'], "error unknown_command: unknown command 'launch'"],
  ])('exits with 2 and a named error, without a stack trace, for %j', (args, message) => {
    const { status, stderr } = runProcess(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: cli.ts');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('prints a JSON summary and writes every record as a JSON line', () => {
    const out = join(scratch, 'seed.jsonl');
    const args = ['seed', '--accounts', '100', '--seed', '5', '--reference-date', '2026-03-01', '--out', out];
    const { status, stdout } = runProcess([...args, '--json']);
    expect(status).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      accounts: 100,
      options: { seed: 5, accounts: 100, referenceDate: '2026-03-01T00:00:00.000Z' },
    });
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; record: unknown });
    const kinds = (kind: string) => lines.filter((line) => line.kind === kind).length;
    expect(lines[0]).toEqual({ kind: 'options', record: summary.options });
    expect(kinds('owner')).toBe(summary.owners.total);
    expect(kinds('company')).toBe(100);
    expect(kinds('contact')).toBe(summary.contacts);
    expect(kinds('deal')).toBe(summary.deals);
    expect(kinds('engagement')).toBe(summary.engagements);
  });
});

describe('runCli', () => {
  it('prints the same summary for the same seed, and a different one for another seed', async () => {
    const run = async (seed: string) => {
      const { io, captured } = memoryIo();
      expect(await runCli(['seed', '--accounts', '500', '--seed', seed], io)).toBe(0);
      return captured.stdout;
    };
    const first = await run('11');
    expect(await run('11')).toBe(first);
    expect(await run('12')).not.toBe(first);
    expect(first).toMatch(/^seed 11 · 500 accounts/);
    expect(first).toMatch(/tiers +tier_1 \d+ · tier_2 \d+ · tier_3 \d+ · none \d+/);
    expect(first).toMatch(/regions +emea \d+ · north_america \d+ · apac \d+ · latam \d+/);
  });

  it('dates the data at the start of the current UTC day unless told otherwise', async () => {
    const { io, captured } = memoryIo(new Date('2026-03-01T15:30:00Z'));
    await runCli(['seed', '--accounts', '100', '--json'], io);
    expect(JSON.parse(captured.stdout).options).toEqual({
      seed: 42,
      accounts: 100,
      referenceDate: '2026-03-01T00:00:00.000Z',
    });
  });

  it.each([
    [['seed', '--accounts', 'lots'], 'error invalid_arguments: --accounts: must be a whole number'],
    [['seed', '--seed', '1.5'], 'error invalid_arguments: --seed: must be a whole number'],
    [
      ['seed', '--reference-date', 'soon'],
      'error invalid_arguments: --reference-date: must be an ISO instant',
    ],
    [['seed', 'extra'], "error invalid_arguments: Unexpected argument 'extra'"],
    [[], 'error unknown_command: no command given'],
  ])('answers %j with exit 2 and a named error', async (args, message) => {
    const { io, captured } = memoryIo();
    expect(await runCli(args, io)).toBe(2);
    expect(captured.stderr.startsWith(message)).toBe(true);
    expect(captured.stdout).toBe('');
  });

  it('refuses 1,000,001 accounts, even written with thousands separators', async () => {
    const { io, captured } = memoryIo();
    expect(await runCli(['seed', '--accounts', '1,000,001'], io)).toBe(2);
    expect(captured.stderr).toContain('--accounts: Too big');
  });

  it('reports progress on stderr for big sizes, and none for small ones', async () => {
    const big = memoryIo();
    expect(await runCli(['seed', '--accounts', '20_000'], big.io)).toBe(0);
    expect(big.captured.stderr).toContain('seed: 10,000 / 20,000 accounts (50%)');
    expect(big.captured.stderr).toContain('seed: 20,000 / 20,000 accounts (100%)');
    const small = memoryIo();
    await runCli(['seed', '--accounts', '100'], small.io);
    expect(small.captured.stderr).toBe('');
  });

  it('exits with 1 and write_failed when the output file cannot be created', async () => {
    const { io, captured } = memoryIo();
    const out = join(scratch, 'missing-folder', 'seed.jsonl');
    expect(await runCli(['seed', '--accounts', '100', '--out', out], io)).toBe(1);
    expect(captured.stderr).toMatch(/^error write_failed: cannot write .*seed\.jsonl/);
  });

  it('prints the usage with exit 0 when asked for help', async () => {
    const { io, captured } = memoryIo();
    expect(await runCli(['seed', '--help'], io)).toBe(0);
    expect(captured.stdout).toContain('--accounts N');
    expect(await runCli(['--help'], io)).toBe(0);
    expect(captured.stdout).toContain('Commands:');
  });
});

describe('cli start', () => {
  it('serves both emulators with the same seeded business and prints how to reach them', async () => {
    let stop = () => undefined as void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { io, captured } = memoryIo(undefined, () => stopped);
    const args = ['start', '--hubspot-port', '0', '--salesforce-port', '0', '--accounts', '150', '--json'];
    const running = runCli(args, io);
    await expect.poll(() => captured.stdout, { timeout: 20_000 }).toContain('"salesforce"');
    const info = JSON.parse(captured.stdout);

    const companies = await fetch(`${info.hubspot.url}/crm/v3/objects/companies?limit=100`, {
      headers: { authorization: `Bearer ${info.hubspot.privateAppToken}` },
    }).then(
      (response) => response.json() as Promise<{ results: unknown[]; paging: { next: { after: string } } }>,
    );
    expect(companies.results).toHaveLength(100);
    expect(companies.paging.next.after).toBeDefined();

    const token = await fetch(`${info.salesforce.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: info.salesforce.clientId,
        client_secret: info.salesforce.clientSecret,
      }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    const count = await fetch(
      `${info.salesforce.url}/services/data/v66.0/query?q=SELECT+COUNT()+FROM+Account`,
      {
        headers: { authorization: `Bearer ${token.access_token}` },
      },
    ).then((response) => response.json() as Promise<{ totalSize: number }>);
    expect(count.totalSize).toBe(150);
    expect(info.hubspot.companies).toBe(150);

    stop();
    expect(await running).toBe(0);
    expect(captured.stderr).toContain('sandbox: stopped');
    await expect(fetch(`${info.hubspot.url}/crm/v3/objects/companies`)).rejects.toThrow();
  });

  it('names a port that is already taken instead of crashing', async () => {
    let stop = () => undefined as void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const first = memoryIo(undefined, () => stopped);
    const args = ['start', '--crm', 'hubspot', '--accounts', '100'];
    const running = runCli([...args, '--hubspot-port', '0', '--json'], first.io);
    await expect.poll(() => first.captured.stdout, { timeout: 20_000 }).toContain('"url"');
    const port = new URL(JSON.parse(first.captured.stdout).hubspot.url).port;

    const second = memoryIo();
    expect(await runCli([...args, '--hubspot-port', port], second.io)).toBe(1);
    expect(second.captured.stderr).toContain('error start_failed:');
    expect(second.captured.stderr).toContain('EADDRINUSE');
    stop();
    expect(await running).toBe(0);
  });
});
