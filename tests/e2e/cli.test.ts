import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { CliIo } from '../../server/src/cli.ts';
import { runCli } from '../../server/src/cli.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld } from './support.ts';
import { generateSecretKey } from '../../server/src/secrets.ts';

let world: SalesforceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function memoryIo(env: Record<string, string>) {
  const captured = { stdout: '', stderr: '' };
  const io: CliIo = {
    env,
    stdout: (text) => void (captured.stdout += text),
    stderr: (text) => void (captured.stderr += text),
    stderrIsTty: false,
  };
  return { io, captured };
}

describe('abm-pilot CLI', () => {
  it('syncs every configured tenant once, with progress on stderr and a summary on stdout', async () => {
    world = await salesforceWorld(120);
    const dir = mkdtempSync(join(tmpdir(), 'abm-cli-'));
    const connections = join(dir, 'connections.json');
    writeFileSync(
      connections,
      JSON.stringify([
        {
          crm: 'salesforce',
          orgId: world.org.org.orgId,
          name: 'CLI org',
          loginUrl: world.url,
          auth: {
            kind: 'client_credentials',
            clientId: world.org.org.clientId,
            clientSecret: world.org.org.clientSecret,
          },
        },
      ]),
    );
    const env = {
      ABM_CONNECTIONS_FILE: connections,
      ABM_DB_PATH: join(dir, 'cli.db'),
      ABM_SECRET_KEY: generateSecretKey(),
    };

    const sync = memoryIo(env);
    expect(await runCli(['sync'], sync.io)).toBe(0);
    expect(sync.captured.stdout).toMatch(
      new RegExp(`^salesforce:${world.org.org.orgId}: pulled .*accounts 120.* · scored 120 · written 120`),
    );
    expect(sync.captured.stderr).toContain('pull accounts');
    expect(sync.captured.stderr).not.toContain(world.org.org.clientSecret);

    const sla = memoryIo(env);
    expect(await runCli(['sla', '--tenant', `salesforce:${world.org.org.orgId}`], sla.io)).toBe(0);
    expect(sla.captured.stdout).toContain('pulled nothing');
  });

  it('refuses to run with a named error when the configuration is invalid or the store holds no connection', async () => {
    const invalid = memoryIo({ ABM_SECRET_KEY: 'too-short' });
    expect(await runCli(['sync'], invalid.io)).toBe(2);
    expect(invalid.captured.stderr).toMatch(/^error invalid_config: .*ABM_SECRET_KEY/s);

    const dir = mkdtempSync(join(tmpdir(), 'abm-cli-'));
    const empty = memoryIo({ ABM_DB_PATH: join(dir, 'empty.db') });
    expect(await runCli(['sync'], empty.io)).toBe(2);
    expect(empty.captured.stderr).toMatch(/^error unknown_tenant: no connections in the store/);
  });

  it('names an unknown command and an unknown tenant', async () => {
    const unknown = memoryIo({});
    expect(await runCli(['resync'], unknown.io)).toBe(2);
    expect(unknown.captured.stderr).toContain("error unknown_command: 'resync'");
  });
});
