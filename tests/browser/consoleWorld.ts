import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import pino from 'pino';

import { createApp } from '../../server/src/http/app.ts';
import { createApiRouter } from '../../server/src/http/routes/index.ts';
import type { SalesforceWorld } from '../e2e/support.ts';
import { apiDepsOn, runUntilCompleted, salesforceWorld } from '../e2e/support.ts';

// The console in a real browser against the real server: a seeded Salesforce sandbox, synced into a real
// store, served by the real app with the console built from the current sources. One Chromium per file.

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const VITE = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleWorld {
  readonly world: SalesforceWorld;
  readonly url: string;
  readonly browser: Browser;
  /**
   * A fresh browser context (own cookies) with one page, for one signed-in person; its language is
   * `locale` (English unless said), whatever the machine's.
   */
  newPage(options?: { readonly locale?: string }): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds the console into a temporary folder, so the test never reads a stale web/dist. */
function buildConsole(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'abm-console-'));
  const built = spawnSync(process.execPath, [VITE, 'build', '--logLevel', 'error', '--outDir', outDir], {
    cwd: WEB,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
  return outDir;
}

export async function startConsoleWorld(accounts = 300): Promise<ConsoleWorld> {
  const consoleDir = buildConsole();
  const world = await salesforceWorld(accounts);
  await runUntilCompleted(world.deps, 'sync');
  const log = pino({ level: 'silent' });
  const api = createApiRouter(apiDepsOn(world, log));
  const app = createApp({ log, ready: async () => true, api, consoleDir });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    world,
    url,
    browser,
    async newPage({ locale = 'en-US' } = {}) {
      const context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        acceptDownloads: true,
        locale,
      });
      return { context, page: await context.newPage() };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await world.close();
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}
