import { readFileSync } from 'node:fs';

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ConsoleAccountRecord } from '../../server/src/store/ports.ts';
import { csvCell } from '../../web/src/csv.ts';
import { salesforceState, START } from '../e2e/support.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';
import type { ConsoleWorld } from './consoleWorld.ts';
import { startConsoleWorld } from './consoleWorld.ts';

const TIER = metadataFieldName('Account', 'tier');

// A committee member's session in headless Chromium, on the sandbox's synced data: log in, read the
// dashboard, find an account, change its tier, approve a request, export a table. The steps run in order on
// one page, as a person would; each leaves a screenshot in test-results/screenshots/.

let env: ConsoleWorld;
let page: Page;
let adminToken: string;
let viewerToken: string;
let target: ConsoleAccountRecord;
let requested: ConsoleAccountRecord;
/** The account the French-speaking member changes. */
let frenchTarget: ConsoleAccountRecord;
let chiefName: string;

beforeAll(async () => {
  env = await startConsoleWorld(300);
  const { store, tenant } = env.world;
  const accounts = await store.consoleAccounts(tenant.id);
  const owners = await store.listOwners(tenant.id);
  const stable = accounts.filter(
    (account) => account.tier === 'tier_3' && account.recommendedTier === 'tier_3',
  );
  const [first, second, third] = stable;
  if (!first?.owner || !second?.owner) throw new Error('the seed has no two tier_3 accounts with owners');
  if (!third) throw new Error('the seed has no third stable tier_3 account');
  target = first;
  requested = second;
  frenchTarget = third;
  const chief = owners.find(
    (owner) => owner.active && owner.crmId !== first.owner?.crmId && owner.crmId !== second.owner?.crmId,
  );
  if (!chief) throw new Error('the seed has no third active user');
  chiefName = chief.name;
  await store.replaceUserRoles(
    tenant.id,
    [
      { crmUserId: chief.crmId, roles: ['chief_abm_officer'] },
      { crmUserId: second.owner.crmId, roles: ['sales_rep'] },
    ],
    { at: START, by: 'test' },
  );
  await store.appendCostLines(
    tenant.id,
    [
      { period: '2026-06', category: 'programme_budget', amount: 120_000 },
      { period: '2026-06', category: 'content', amount: 30_000 },
    ],
    { at: START, by: 'test' },
  );
  const admin = await store.issueCredential(tenant.id, {
    grant: { kind: 'admin_token', role: 'admin' },
    now: START,
  });
  await store.bindCredentialActor(tenant.id, admin.id, chief.crmId);
  adminToken = admin.plaintext;
  viewerToken = (
    await store.issueCredential(tenant.id, { grant: { kind: 'admin_token', role: 'viewer' }, now: START })
  ).plaintext;

  // A sales rep asks, through the card API as the Salesforce LWC would, to take an account out of targeting.
  const orgKey = (
    await store.issueCredential(tenant.id, { grant: { kind: 'salesforce_api_key' }, now: START })
  ).plaintext;
  const asked = await fetch(
    `${env.url}/api/v1/accounts/${second.crmId}/tier-change?userId=${second.owner.crmId}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        toTier: null,
        reason: 'No budget this year',
        idempotencyKey: 'browser-test-request',
      }),
    },
  );
  expect(await asked.json()).toMatchObject({ outcome: 'needs_approval' });

  const opened = await env.newPage();
  page = opened.page;
  // The browser's clock reads the sandbox's day, so the dashboard's default period ends at the server's now.
  await page.clock.setFixedTime(START);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('the web console in a browser', () => {
  it('logs in with the token typed into the form, never putting it in the URL', async () => {
    await page.goto(`${env.url}/console/`);
    const token = page.getByLabel('Admin or viewer token');
    await expect.poll(() => token.evaluate((element) => element === document.activeElement)).toBe(true);
    await token.fill('abm_adm_0000000000000000.not-a-real-token-at-all-0000000000000000');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Unknown or revoked admin token');

    await token.fill(adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Governance dashboard' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(page.url()).not.toContain(adminToken.split('.')[1] ?? adminToken);
    expect(await page.locator('.who').textContent()).toContain(`as ${chiefName} (Chief ABM Officer)`);
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'abm_console')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
  });

  it('reads the dashboard: every section, its charts and the accounts behind a figure', async () => {
    for (const title of [
      'Portfolio by tier against capacity',
      'SLA compliance over time',
      'Pipeline contribution',
      'Average won deal size by quarter, ABM against non-ABM',
      'Conversion funnel',
      'ROI at full cost',
      'Marketing delivery',
    ]) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await page.getByRole('table', { name: 'SLA compliance by month' }).waitFor();
    // Marketing's MQAs of the month so far, per tier, against the commitment.
    const delivery = page.getByRole('table', { name: 'Marketing delivery this month' });
    expect(await delivery.getByRole('row').filter({ hasText: 'Tier 1' }).count()).toBe(1);
    expect(await delivery.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['MQAs delivered', 'MQAs committed', 'Sales acceptance', 'Commitment']),
    );
    const portfolio = page.getByRole('table', { name: 'Portfolio by tier (now)' });
    const tier3Row = portfolio.getByRole('row').filter({ hasText: 'Tier 3' });
    const tier3Count = Number((await tier3Row.getByRole('cell').nth(1).textContent()) ?? 'NaN');
    expect(tier3Count).toBeGreaterThan(0);
    expect(await page.locator('canvas[role="img"]').count()).toBe(6);
    const fullCost = page
      .getByRole('table', { name: 'Cost breakdown' })
      .getByRole('row')
      .filter({ hasText: 'Content' });
    expect(await fullCost.getByRole('cell').nth(1).textContent()).toBe('€30,000');
    await env.screenshot(page, '01-dashboard');

    // The figure links to the accounts behind it: the list shows exactly that many.
    await tier3Row.getByRole('link', { name: 'Tier 3' }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByText(`${tier3Count} accounts`, { exact: false }).waitFor();
  });

  it('finds an account by name and opens the same content as its CRM card', async () => {
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    const [all] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export all 300 as CSV' }).click(),
    ]);
    const rows = readFileSync(await all.path(), 'utf8').split('\r\n');
    expect(rows[0]).toBe('Account,CRM id,Tier,Recommended,Score,Drift,SLA,Owner,Pending approval');
    expect(rows).toHaveLength(1 + 300 + 1);
    await page.getByLabel('Name contains').fill(target.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=/);
    const link = page.locator(`a[href="#/accounts/${target.crmId}"]`);
    await link.waitFor();
    await env.screenshot(page, '02-accounts');
    await link.click();
    await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
    expect(await page.getByTestId('assigned-tier').textContent()).toBe('Tier 3');
    await page.getByRole('heading', { name: 'Why this score' }).waitFor();
    await page.getByRole('table', { name: 'SLA clocks of the account' }).waitFor();
  });

  it('changes the tier with the card rules and shows the outcome', async () => {
    await page.getByLabel('New tier').selectOption('tier_2');
    await page.getByLabel(/^Reason/).fill('Expansion signed with the CFO');
    await page.getByRole('button', { name: 'Request tier change' }).click();
    const outcome = page.getByTestId('tier-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      /^Applied \((Routine change|Over capacity)\): the account is now Tier 2\. The CRM record shows it now\.$/,
    );
    await expect.poll(() => page.getByTestId('assigned-tier').textContent()).toBe('Tier 2');
    await env.screenshot(page, '03-tier-change');
    const audit = await env.world.store.accountAudit(env.world.tenant.id, target.crmId, { limit: 1 });
    expect(audit.entries[0]).toMatchObject({ outcome: 'applied', fromTier: 'tier_3', toTier: 'tier_2' });
    expect((await salesforceState(env.world)).accounts[target.crmId]?.[TIER]).toBe('Tier 2');
  });

  it('approves the pending request from the queue', async () => {
    await page.getByRole('link', { name: 'Approvals' }).click();
    const approve = page.getByRole('button', {
      name: `Approve ${requested.name} (${requested.crmId}): Tier 3 to Not targeted`,
    });
    await approve.waitFor();
    await env.screenshot(page, '04-approvals');
    await approve.click();
    const outcome = page.getByTestId('approval-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toBe(
      `Approved: ${requested.name} is now Not targeted. The CRM record shows it now.`,
    );
    await page.getByText('Nothing waiting for your decision.').waitFor();
    const card = await env.world.store.accountCard(env.world.tenant.id, requested.crmId);
    expect(card?.state.assignedTier).toBeNull();
  });

  it('exports the audit log as CSV, quoted, with the decisions just made', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: /^Audit log, newest first/ });
    await table.getByRole('row').nth(2).waitFor();
    await env.screenshot(page, '05-audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV of Audit log, newest first' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('When,Account,CRM id,Action,By,From,To,Outcome,Route,Reason or comment');
    expect(csv).toContain(
      `${csvCell(requested.name)},${requested.crmId},approval decision,${chiefName} (Chief ABM Officer),Tier 3,Not targeted,approved`,
    );
    expect(csv).toContain(
      `${csvCell(target.name)},${target.crmId},tier change,${chiefName} (Chief ABM Officer),Tier 3,Tier 2,applied`,
    );
    expect(lines.at(-1)).toBe('');
  });

  it('gives a viewer token a read-only console: no tier change control, a 403 if forced', async () => {
    const { context, page: viewer } = await env.newPage();
    await viewer.goto(`${env.url}/console/#/accounts/${target.crmId}`);
    await viewer.getByLabel('Admin or viewer token').fill(viewerToken);
    await viewer.getByRole('button', { name: 'Log in' }).click();
    await viewer.getByRole('heading', { level: 1, name: target.name }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Request tier change' }).count()).toBe(0);
    await viewer.getByText('This session reads only').waitFor();
    const status = await viewer.evaluate(async (crmId) => {
      const session = await (
        await fetch('/api/v1/console/session', { headers: { 'x-abm-console': '1' } })
      ).json();
      const response = await fetch(`/api/v1/accounts/${crmId}/tier-change?userId=${session.cardUserId}`, {
        method: 'POST',
        headers: { 'x-abm-console': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ toTier: 'tier_1', idempotencyKey: 'forced-by-a-viewer' }),
      });
      return [response.status, (await response.json()).error.code];
    }, target.crmId);
    expect(status).toEqual([403, 'not_allowed_for_role']);
    await env.screenshot(viewer, '06-viewer-account');
    await context.close();
  });
});

describe('the web console in a French-speaking browser', () => {
  let french: Page;
  let frenchContext: BrowserContext;

  beforeAll(async () => {
    ({ page: french, context: frenchContext } = await env.newPage({ locale: 'fr-FR' }));
    await french.clock.setFixedTime(START);
  });

  afterAll(async () => {
    await frenchContext?.close();
  });

  it('logs in and reads the dashboard in French, with French numbers', async () => {
    await french.goto(`${env.url}/console/`);
    const token = french.getByLabel('Jeton administrateur ou lecteur');
    await token.waitFor();
    expect(await french.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await french.title()).toBe('Console ABM Pilot');
    await token.fill('abm_adm_0000000000000000.not-a-real-token-at-all-0000000000000000');
    await french.getByRole('button', { name: 'Se connecter' }).click();
    await french.getByRole('alert').waitFor();
    expect(await french.getByRole('alert').textContent()).toContain('Ce jeton n’a pas été accepté.');

    await token.fill(adminToken);
    await french.getByRole('button', { name: 'Se connecter' }).click();
    await french.getByRole('heading', { name: 'Tableau de bord de la gouvernance' }).waitFor();
    expect(await french.locator('.who').textContent()).toContain(
      `en tant que ${chiefName} (Chief ABM Officer)`,
    );
    for (const title of [
      'Portefeuille par tier face à la capacité',
      'Respect des SLA dans le temps',
      'Contribution au pipeline',
      'Taille moyenne des affaires gagnées par trimestre, ABM face au hors ABM',
      'Entonnoir de conversion',
      'ROI à coût complet',
    ]) {
      await french.getByRole('heading', { name: title }).waitFor();
    }
    expect(await french.getByLabel('Segment').locator('option[value="non_abm"]').textContent()).toBe(
      'Hors ABM',
    );
    const pipeline = french.getByRole('table', { name: 'Pipeline par segment' });
    await pipeline.getByRole('link', { name: 'Hors ABM', exact: true }).waitFor();
    const content = french
      .getByRole('table', { name: 'Répartition des coûts' })
      .getByRole('row')
      .filter({ hasText: 'Contenus' });
    // French writes 30 000 € with no-break spaces.
    expect(await content.getByRole('cell').nth(1).textContent()).toMatch(/^30\s000\s€$/);
    await env.screenshot(french, '07-dashboard-fr');
  });

  it('changes a tier on the account page and reads the outcome, the CRM note and the SLA in French', async () => {
    await french.getByRole('link', { name: 'Comptes', exact: true }).click();
    await french.getByLabel('Le nom contient').fill(frenchTarget.name);
    await french.getByRole('button', { name: 'Rechercher' }).click();
    await french.waitForURL(/q=/);
    await french.locator(`a[href="#/accounts/${frenchTarget.crmId}"]`).click();
    await french.getByRole('heading', { level: 1, name: frenchTarget.name }).waitFor();
    await french.getByRole('heading', { name: 'Pourquoi ce score' }).waitFor();
    expect(await french.getByTestId('assigned-tier').textContent()).toBe('Tier 3');

    await french.getByLabel('Nouveau tier').selectOption('tier_2');
    await french.getByLabel(/^Motif/).fill('Extension signée avec le DAF');
    await french.getByRole('button', { name: 'Demander le changement de tier' }).click();
    const outcome = french.getByTestId('tier-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(
      /^Appliqué \((Changement courant|Hors capacité)\) : le compte est désormais Tier 2\. L'enregistrement CRM l'affiche déjà\.$/,
    );
    await expect.poll(() => french.getByTestId('assigned-tier').textContent()).toBe('Tier 2');
    const clocks = french.getByRole('table', { name: 'Échéances SLA du compte' });
    await clocks.getByRole('row').filter({ hasText: 'Premier contact commercial' }).waitFor();
    expect(await clocks.getByRole('cell', { name: 'Dans les temps', exact: true }).count()).toBeGreaterThan(
      0,
    );
    await env.screenshot(french, '08-account-fr');
    expect((await salesforceState(env.world)).accounts[frenchTarget.crmId]?.[TIER]).toBe('Tier 2');
  });
});
