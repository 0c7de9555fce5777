import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { startAbmPilot } from '../../server/src/compose.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld } from './support.ts';
import { throwawaySecretKeys } from '../../server/src/secrets.ts';

const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let world: SalesforceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('npm start', () => {
  it('refuses to start with a named error when a setting is missing, and never prints a stack', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', PORT: 'not-a-port' },
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/^error invalid_config: Invalid configuration:/);
    expect(child.stderr).toContain('PORT');
    expect(child.stderr).not.toMatch(/^\s+at /m);
  });

  it('serves health and readiness for its configured tenants, then stops cleanly with its cursors saved', async () => {
    world = await salesforceWorld(100);
    const dir = mkdtempSync(join(tmpdir(), 'abm-start-'));
    const connections = [
      {
        crm: 'salesforce' as const,
        orgId: world.org.org.orgId,
        name: 'Started org',
        loginUrl: world.url,
        auth: {
          kind: 'client_credentials' as const,
          clientId: world.org.org.clientId,
          clientSecret: world.org.org.clientSecret,
        },
        budgetShare: 0.5,
        language: 'en' as const,
      },
    ];
    writeFileSync(join(dir, 'connections.json'), JSON.stringify(connections));
    const running = await startAbmPilot(
      {
        dbPath: join(dir, 'server.db'),
        connections,
        secretKeys: throwawaySecretKeys(),
        syncIntervalMs: 3_600_000,
        slaSweepIntervalMs: 3_600_000,
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        hubspotApp: null,
      },
      { log: pino({ level: 'silent' }) },
    );
    expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${running.url}/api/v1/openapi.json`)).status).toBe(200);

    // The scheduler's first sync is in flight: stop() lets it finish its batch before closing the store.
    await running.stop();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    const reopened = openSqliteStore(join(dir, 'server.db'));
    expect(await reopened.lastSucceededRun(world.tenant.id, 'sync')).not.toBeNull();
    expect(await reopened.cursor(world.tenant.id, 'accounts')).not.toBeNull();
    await reopened.close();
  });
});
