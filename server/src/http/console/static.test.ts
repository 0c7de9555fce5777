import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Router } from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { createApp } from '../app.ts';

// The console's files served by the app itself, under a policy that loads nothing from elsewhere.

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(consoleDir: string): Promise<string> {
  const app = createApp({
    log: pino({ level: 'silent' }),
    ready: async () => true,
    api: Router(),
    consoleDir,
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'abm-static-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the console files', () => {
  it('serves index.html under /console/ with a same-origin-only policy, and sends / there', async () => {
    const url = await serve(builtConsole());
    const page = await fetch(`${url}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/console/');
  });

  it('caches hashed assets for good, and answers a missing file in the API error shape', async () => {
    const url = await serve(builtConsole());
    const asset = await fetch(`${url}/console/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000');
    const missing = await fetch(`${url}/console/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('says how to build the console when it was not built', async () => {
    const url = await serve(join(tmpdir(), 'abm-no-such-console-dir'));
    const response = await fetch(`${url}/console/`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: { code: 'not_ready', message: expect.stringContaining('npm run build -w web') },
    });
  });
});
