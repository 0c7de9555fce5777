import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tenantIdOf } from '../../server/src/model.ts';
import type { Tenant } from '../../server/src/model.ts';
import { START } from '../e2e/support.ts';
import type { ConsoleWorld } from './consoleWorld.ts';
import { startConsoleWorld } from './consoleWorld.ts';

// One business on both CRMs, governed from one console in headless Chromium: logged in to the Salesforce
// org, an operator adds the HubSpot portal with its own token, then switches between the two from the header
// without a token again; a reload keeps both.

const PORTAL: Tenant = {
  id: tenantIdOf('hubspot', '777'),
  crm: 'hubspot',
  externalId: '777',
  name: 'Browser portal',
  language: 'en',
};

let env: ConsoleWorld;
let page: Page;
let salesforceToken: string;
let hubspotToken: string;

beforeAll(async () => {
  env = await startConsoleWorld(100);
  const { store, tenant } = env.world;
  await store.upsertTenant(PORTAL);
  const token = async (tenantId: string) =>
    (await store.issueCredential(tenantId, { grant: { kind: 'admin_token', role: 'viewer' }, now: START }))
      .plaintext;
  salesforceToken = await token(tenant.id);
  hubspotToken = await token(PORTAL.id);
  page = (await env.newPage()).page;
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const who = () => page.locator('header .who').textContent();
const tenantSwitch = () => page.getByLabel('Tenant');
const accountRows = () => page.getByRole('table').first().getByRole('row');

async function logIn(token: string) {
  await page.getByLabel('Admin or viewer token').fill(token);
  await page.keyboard.press('Enter');
  await page.locator('header .who').waitFor();
}

describe('the console across tenants', () => {
  it('adds a second tenant with its token, then switches between both from the header', async () => {
    const salesforceName = env.world.tenant.name;
    await page.goto(`${env.url}/console/#/accounts`);
    await logIn(salesforceToken);
    expect(await who()).toContain(salesforceName);
    expect(await tenantSwitch().count()).toBe(0);
    await accountRows().nth(1).waitFor();

    await page.getByRole('button', { name: 'Add a tenant' }).click();
    await logIn(hubspotToken);
    expect(await who()).toContain(PORTAL.name);
    expect(await tenantSwitch().inputValue()).toBe('hubspot:777');
    expect(await tenantSwitch().locator('option').allTextContents()).toEqual([
      'Browser portal (HubSpot)',
      `${salesforceName} (Salesforce)`,
    ]);
    await env.screenshot(page, 'tenants-01-hubspot');

    await tenantSwitch().selectOption(`salesforce:${env.world.tenant.externalId}`);
    await expect.poll(who).toContain(salesforceName);
    await accountRows().nth(1).waitFor();
    await env.screenshot(page, 'tenants-02-salesforce');

    await page.reload();
    await page.locator('header .who').waitFor();
    expect(await who()).toContain(salesforceName);
    expect(await tenantSwitch().locator('option').count()).toBe(2);
  });

  it('goes back to the session when adding a tenant is cancelled', async () => {
    await page.getByRole('button', { name: 'Add a tenant' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await who()).toContain(env.world.tenant.name);
  });

  it('logs out of every tenant at once', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Admin or viewer token').waitFor();
    await page.reload();
    await page.getByLabel('Admin or viewer token').waitFor();
    expect(await page.context().cookies()).toEqual([]);
  });
});
