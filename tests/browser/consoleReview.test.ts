import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { START } from '../e2e/support.ts';
import type { ConsoleWorld } from './consoleWorld.ts';
import { startConsoleWorld } from './consoleWorld.ts';

// An ABM manager's portfolio review in headless Chromium: every targeted account synced on day one is past
// its review date three months later; the manager reviews one from the overdue list, another from its
// account page, and each leaves the list with its next review a full cadence away.

const DAY = 86_400_000;
const LATER = START + 91 * DAY;

let env: ConsoleWorld;
let page: Page;
let managerId: string;

beforeAll(async () => {
  env = await startConsoleWorld(120);
  const { store, tenant } = env.world;
  const manager = (await store.listOwners(tenant.id)).find(
    (owner) => owner.active && !/integration/i.test(owner.name),
  );
  if (!manager) throw new Error('the seed has no active user');
  managerId = manager.crmId;
  await store.replaceUserRoles(tenant.id, [{ crmUserId: manager.crmId, roles: ['abm_manager'] }], {
    at: START,
    by: 'test',
  });
  const admin = await store.issueCredential(tenant.id, {
    grant: { kind: 'admin_token', role: 'admin' },
    now: START,
  });
  await store.bindCredentialActor(tenant.id, admin.id, manager.crmId);
  env.world.advance(LATER - START);

  page = (await env.newPage()).page;
  await page.clock.setFixedTime(LATER);
  await page.goto(`${env.url}/console/#/review`);
  await page.getByLabel('Admin or viewer token').fill(admin.plaintext);
  await page.keyboard.press('Enter');
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const overdueTable = () =>
  page.getByRole('table', { name: 'Accounts overdue for review, most overdue first' });

describe('the portfolio review in the console', () => {
  it('lists the overdue reviews and records one in place with a note; the account leaves the list', async () => {
    await page.getByRole('heading', { level: 1, name: 'Portfolio review' }).waitFor();
    const firstRow = overdueTable().getByRole('row').nth(1);
    await firstRow.waitFor();
    const rowsBefore = await overdueTable().getByRole('row').count();
    const name = (await firstRow.getByRole('cell').first().textContent()) ?? '';
    const crmId = (await firstRow.getByRole('cell').nth(1).textContent()) ?? '';
    await env.screenshot(page, 'review-01-overdue');

    await page.getByRole('button', { name: `Record the review of ${name}` }).click();
    await page.getByLabel('Review note (optional)').fill('Sponsor met; renewal on track');
    await page.getByRole('button', { name: 'Record review', exact: true }).click();

    const outcome = page.getByTestId('review-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      new RegExp(`^${escape(name)}: Review recorded: the next one is due [A-Z][a-z]{2} \\d{1,2}, 2027`),
    );
    await expect.poll(() => overdueTable().getByRole('row').count()).toBe(rowsBefore - 1);
    expect(await overdueTable().getByRole('cell', { name: crmId, exact: true }).count()).toBe(0);
    await env.screenshot(page, 'review-02-recorded');
    const [entry] = (await env.world.store.accountAudit(env.world.tenant.id, crmId, { limit: 1 })).entries;
    expect(entry).toMatchObject({
      action: 'review',
      actor: { userId: managerId, role: 'abm_manager' },
      comment: 'Sponsor met; renewal on track',
      at: LATER,
    });
  });

  it('records a review from the account page, which then shows the next one due', async () => {
    const row = overdueTable().getByRole('row').nth(1);
    const name = (await row.getByRole('cell').first().textContent()) ?? '';
    await row.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    expect(await page.getByTestId('review-due').textContent()).toMatch(/^Review overdue since /);

    await page.getByRole('button', { name: 'Record review', exact: true }).click();

    await page.getByTestId('review-outcome').waitFor();
    await expect.poll(() => page.getByTestId('review-due').textContent()).toMatch(/^Next review due /);
    expect(await page.getByTestId('review-last').textContent()).toMatch(/ \(ABM manager\)\.$/);
    await page
      .getByRole('table', { name: 'Audit of this account, newest first' })
      .getByText('portfolio review')
      .waitFor();
    await env.screenshot(page, 'review-03-account');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
