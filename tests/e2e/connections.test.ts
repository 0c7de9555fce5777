import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import type { CliIo } from '../../server/src/cli.ts';
import { runCli } from '../../server/src/cli.ts';
import type { AbmPilot } from '../../server/src/compose.ts';
import { startAbmPilot } from '../../server/src/compose.ts';
import { loadConfig } from '../../server/src/config.ts';
import { generateSecretKey } from '../../server/src/secrets.ts';
import { virtualTime } from '../../server/src/time.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld, START } from './support.ts';

// The operator manages connections with the CLI while the server runs: the server picks up a connection
// added, changed or removed within an SLA sweep tick, and the CLI never prints a secret.

const SWEEP_MS = 60_000;

let world: SalesforceWorld | null = null;
let running: AbmPilot | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  await world?.close();
  world = null;
});

function cli(env: Record<string, string>) {
  return async (...args: string[]) => {
    const captured = { stdout: '', stderr: '' };
    const io: CliIo = {
      env,
      stdout: (text) => void (captured.stdout += text),
      stderr: (text) => void (captured.stderr += text),
      stderrIsTty: false,
      now: () => START,
    };
    const code = await runCli(args, io);
    return { code, ...captured };
  };
}

describe('connections in the store', () => {
  it('a running server schedules a connection added with the CLI, and stops one removed', async () => {
    world = await salesforceWorld(100);
    const secret = world.org.org.clientSecret;
    const dir = mkdtempSync(join(tmpdir(), 'abm-connections-'));
    const env = { ABM_DB_PATH: join(dir, 'abm.db'), ABM_SECRET_KEY: generateSecretKey() };
    const time = virtualTime(START);
    running = await startAbmPilot(
      {
        ...loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent' }),
        syncIntervalMs: 10 * SWEEP_MS,
        slaSweepIntervalMs: SWEEP_MS,
      },
      { log: pino({ level: 'silent' }), time },
    );
    const tenantId = world.tenant.id;
    const runsOf = async () => (await running!.store.recentRuns(tenantId, 100)).length;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(503);

    const abm = cli(env);
    const file = join(dir, 'connection.json');
    const connection = {
      crm: 'salesforce',
      orgId: world.org.org.orgId,
      name: 'Added org',
      loginUrl: world.url,
      auth: { kind: 'client_credentials', clientId: world.org.org.clientId, clientSecret: secret },
    };
    writeFileSync(file, JSON.stringify(connection));
    expect(await abm('connection', 'add', '--file', file)).toMatchObject({
      code: 0,
      stdout: `saved ${tenantId}\n`,
    });

    // Within a sweep tick the server loads it, schedules the tenant and runs its first sync.
    time.advance(SWEEP_MS);
    await running.scheduler.idle();
    expect(await running.store.lastSucceededRun(tenantId, 'sync')).not.toBeNull();
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);

    const listed = await abm('connection', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        tenantId,
        name: 'Added org',
        authKind: 'client_credentials',
        disabledAt: null,
      }),
    ]);
    expect(listed.stdout + (await abm('connection', 'list')).stdout).not.toContain(secret);

    // Changed: the new settings take effect at the next tick (a new connector, a sync at once).
    writeFileSync(file, JSON.stringify({ ...connection, name: 'Renamed org' }));
    expect((await abm('connection', 'add', '--file', file)).stderr).toMatch(/^error duplicate_connection:/);
    expect((await abm('connection', 'add', '--file', file, '--replace')).code).toBe(0);
    const beforeChange = await runsOf();
    time.advance(SWEEP_MS);
    await running.scheduler.idle();
    expect(await runsOf()).toBeGreaterThan(beforeChange);
    expect((await running.store.getTenant(tenantId))?.name).toBe('Renamed org');

    // Removed: the next tick unschedules it; no run starts for it any more.
    expect(await abm('connection', 'remove', '--tenant', tenantId)).toMatchObject({ code: 0 });
    time.advance(SWEEP_MS);
    await running.scheduler.idle();
    const afterRemoval = await runsOf();
    for (let tick = 0; tick < 12; tick += 1) time.advance(SWEEP_MS);
    await running.scheduler.idle();
    expect(await runsOf()).toBe(afterRemoval);
  });

  it('names what is wrong with a connection, an unknown tenant and a missing key, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abm-connections-'));
    const env = { ABM_DB_PATH: join(dir, 'abm.db'), ABM_SECRET_KEY: generateSecretKey() };
    const abm = cli(env);
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        crm: 'hubspot',
        portalId: 'not-a-number',
        name: 'Bad portal',
        auth: { kind: 'private_app', token: 'tiny' },
      }),
    );
    const invalid = await abm('connection', 'add', '--file', file);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error invalid_connection:/);
    expect(invalid.stderr).toContain('connection.portalId');
    expect(invalid.stderr).toContain('connection.auth.token');
    expect(invalid.stderr).not.toContain('tiny');

    writeFileSync(file, '{ "token": "pat-na1-leaked-token"');
    const broken = await abm('connection', 'add', '--file', file);
    expect(broken.stderr).toMatch(/^error invalid_connection: .*not valid JSON/);
    expect(broken.stderr).not.toContain('pat-na1');

    expect(await abm('connection', 'remove', '--tenant', 'hubspot:1')).toMatchObject({
      code: 1,
      stderr: "error unknown_tenant: no connection for 'hubspot:1'\n",
    });

    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        crm: 'hubspot',
        portalId: '123',
        name: 'Portal',
        auth: { kind: 'private_app', token: 'pat-na1-a-real-looking-token' },
      }),
    );
    const keyless = await cli({ ABM_DB_PATH: env.ABM_DB_PATH })('connection', 'add', '--file', good);
    expect(keyless).toMatchObject({ code: 2 });
    expect(keyless.stderr).toMatch(/^error secret_key_missing:/);
    expect(JSON.parse((await abm('connection', 'list', '--json')).stdout)).toEqual([]);

    expect((await abm('connection', '--help')).stdout).toContain(
      'abm-pilot connection <add|list|remove|rekey|purge>',
    );
  });

  it('rotates the key: the previous key still opens, rekey seals under the new one, then the old is not needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abm-connections-'));
    const old = generateSecretKey();
    const fresh = generateSecretKey();
    const db = join(dir, 'abm.db');
    const file = join(dir, 'portal.json');
    writeFileSync(
      file,
      JSON.stringify({
        crm: 'hubspot',
        portalId: '123',
        name: 'Portal',
        auth: { kind: 'private_app', token: 'pat-na1-a-real-looking-token' },
      }),
    );
    expect(
      (await cli({ ABM_DB_PATH: db, ABM_SECRET_KEY: old })('connection', 'add', '--file', file)).code,
    ).toBe(0);

    const stale = await cli({ ABM_DB_PATH: db, ABM_SECRET_KEY: fresh })('sla');
    expect(stale.stderr).toMatch(/^error secret_key_unknown:/);

    const rotating = cli({ ABM_DB_PATH: db, ABM_SECRET_KEY: fresh, ABM_SECRET_KEY_PREVIOUS: old });
    expect(JSON.parse((await rotating('connection', 'rekey', '--json')).stdout)).toMatchObject({
      resealed: 1,
    });
    const listed = JSON.parse(
      (await cli({ ABM_DB_PATH: db, ABM_SECRET_KEY: fresh })('connection', 'list', '--json')).stdout,
    ) as { keyId: string }[];
    expect(listed[0]?.keyId).toBe(JSON.parse((await rotating('connection', 'rekey', '--json')).stdout).keyId);
  });

  it('a server without the key refuses to start on a store holding sealed connections, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abm-connections-'));
    const db = join(dir, 'abm.db');
    const file = join(dir, 'portal.json');
    writeFileSync(
      file,
      JSON.stringify({
        crm: 'hubspot',
        portalId: '123',
        name: 'Portal',
        auth: { kind: 'private_app', token: 'pat-na1-a-real-looking-token' },
      }),
    );
    const key = generateSecretKey();
    expect(
      (await cli({ ABM_DB_PATH: db, ABM_SECRET_KEY: key })('connection', 'add', '--file', file)).code,
    ).toBe(0);
    const keyless = loadConfig({ ABM_DB_PATH: db, PORT: '0', LOG_LEVEL: 'silent' });
    await expect(startAbmPilot(keyless, { log: pino({ level: 'silent' }) })).rejects.toMatchObject({
      code: 'secret_key_missing',
    });
  });
});
