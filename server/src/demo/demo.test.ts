import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AccountCardResponseSchema,
  CONSOLE_HEADER,
  ConsoleSessionSchema,
  DEFAULT_GOVERNANCE_CONFIG,
  MINUTE_MS,
  TIERS,
} from '@abm-pilot/shared';

import { runCli } from '../cli.ts';

import type { VirtualTime } from '../time.ts';
import { simulatedTime, virtualTime } from '../time.ts';
import { DEFAULT_SPEED } from './args.ts';
import type { DashboardData } from './dashboard.ts';
import { readDashboard } from './dashboard.ts';
import { setTheScene } from './scene.ts';
import type { Scene } from './scene.ts';
import type { Stage, StoryOutcome } from './slaStory.ts';
import { DemoTimeout, playSlaStory } from './slaStory.ts';
import type { DemoWorld } from './world.ts';
import { signedCardArgs, whereToLookLines } from './whereToLook.ts';
import { startDemoWorld } from './world.ts';

// The demo's flow on its simulated clock at the default speed, with real time played by a virtual clock
// the test moves: a year of history fills every panel of the dashboard, and in both CRMs an account that
// enters tier 1 shows its clock at risk, then a breach task, then that task completed after its owner's
// call. What the CRMs show is read from the emulators' REST APIs; the five minutes the demo promises are
// measured on the virtual clock.

const ACCOUNTS = 600;
/** Monday 7 December 2026, 09:30 in Paris. */
const START = Date.parse('2026-12-07T08:30:00.000Z');
const STEP_MS = 500;
const FIVE_MINUTES = 5 * MINUTE_MS;

let dir: string;
let real: VirtualTime;
let world: DemoWorld;
let scene: Scene;
let dashboard: DashboardData;
let outcomes: StoryOutcome[];
const narrated: string[] = [];

/** Real time passes half a second at a time, and ABM Pilot finishes what fell due before each look. */
const virtualStage = (budgetMs: number): Stage => ({
  async until(what, check) {
    const giveUpAt = real.now() + budgetMs;
    for (;;) {
      const found = await check();
      if (found !== null) return found;
      if (real.now() > giveUpAt) throw new DemoTimeout(`no ${what} within ${budgetMs / 1000} s`);
      real.advance(STEP_MS);
      await world.abm.scheduler.idle();
    }
  },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'abm-demo-'));
  real = virtualTime(0);
  const time = simulatedTime({
    start: START,
    businessHoursPerMinute: DEFAULT_SPEED,
    calendar: DEFAULT_GOVERNANCE_CONFIG.businessHours,
    real,
  });
  world = await startDemoWorld({
    accounts: ACCOUNTS,
    seed: 42,
    time,
    dbPath: join(dir, 'demo.db'),
    port: 0,
    publicUrl: 'https://abm.demo.test',
    syncIntervalMs: 30 * MINUTE_MS,
    slaSweepIntervalMs: 10 * MINUTE_MS,
    log: pino({ level: 'silent' }),
  });
  scene = await setTheScene(world, 42);
  const salesforce = world.tenants.salesforce;
  dashboard = await readDashboard(salesforce.crm, salesforce.people.chief, time.now());
  outcomes = await playSlaStory(world, scene.stories, {
    stage: virtualStage(FIVE_MINUTES),
    narrate: (line) => narrated.push(line),
    realNow: real.now,
  });
}, 120_000);

afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('fills every panel of the dashboard, with accounts in every tier and recommended for tier 1', async () => {
    const { year, months, review } = dashboard;
    for (const tier of TIERS) expect(review.capacity[tier].count, tier).toBeGreaterThan(0);
    expect(review.totals.drift).toBeGreaterThan(0);
    expect(year.slaCompliance.overall.met).toBeGreaterThan(0);
    expect(year.slaCompliance.overall.breached).toBeGreaterThan(0);
    for (const { month, metrics } of months) {
      const { met, breached } = metrics.slaCompliance.overall;
      expect(met + breached, month).toBeGreaterThan(0);
    }
    expect(year.pipeline.all.openAmount).toBeGreaterThan(0);
    expect(year.pipeline.abm.openAmount).toBeGreaterThan(0);
    const wonIn = (segment: 'abm' | 'non_abm') =>
      year.wonDealSizeByQuarter.filter(
        (quarter) => quarter.bySegment[segment].averageWonDealSize.value !== null,
      );
    expect(wonIn('abm').length).toBeGreaterThan(0);
    expect(wonIn('non_abm').length).toBeGreaterThan(0);
    expect(year.conversion.abm.winRate.value).toBeGreaterThan(year.conversion.non_abm.winRate.value ?? 1);
    expect(year.roi.fullCost).toBeGreaterThan(0);
    expect(year.roi.roi.value).toBeGreaterThan(0);
    expect(year.governance.approvals.decided).toBeGreaterThan(0);
    expect(year.governance.tierChanges.total).toBeGreaterThan(0);

    const recommended = (await world.abm.store.consoleAccounts(world.tenants.salesforce.tenant.id)).filter(
      (account) => account.recommendedTier === 'tier_1',
    );
    expect(recommended.length).toBeGreaterThan(0);
  });

  it.each(['hubspot', 'salesforce'] as const)(
    'shows in %s a tier 1 clock at risk, its breach task, and the task completed after the owner’s call',
    async (crm) => {
      const outcome = outcomes.find((candidate) => candidate.crm === crm)!;
      const at = (milestone: string) => outcome.milestones.find((seen) => seen.milestone === milestone)!;

      // At risk: the owner's reminder, before the breach.
      expect(outcome.tasks.atRisk).toMatchObject({ high: false, completed: false, ownerId: outcome.ownerId });
      expect(at('at_risk').at).toBeLessThan(outcome.dueAt);
      // The breach: the same task, raised, after the due time; within two real minutes of the clock's start.
      expect(outcome.tasks.breach).toMatchObject({
        id: outcome.tasks.atRisk!.id,
        high: true,
        completed: false,
      });
      expect(at('breached').at).toBeGreaterThan(outcome.dueAt);
      expect(at('breached').realMs).toBeLessThanOrEqual(2 * MINUTE_MS);
      // Completed once the call was synced, all within five real minutes.
      expect(at('completed').realMs).toBeGreaterThanOrEqual(at('touched').realMs);
      expect(at('completed').realMs).toBeLessThanOrEqual(FIVE_MINUTES);

      const { crm: client } = world.tenants[crm];
      const tasks = await client.alertTasks(outcome.accountId);
      expect(tasks).toEqual([
        expect.objectContaining({
          id: outcome.tasks.breach.id,
          high: true,
          completed: true,
          ownerId: outcome.ownerId,
        }),
      ]);
      expect((await client.account(outcome.accountId)).tier).toBe('tier_1');
    },
  );

  it('narrates each step in both CRMs', () => {
    for (const label of ['HubSpot', 'Salesforce']) {
      const lines = narrated.filter((line) => line.includes(label));
      expect(lines.some((line) => line.includes('to Tier 1: applied'))).toBe(true);
      expect(lines.some((line) => line.includes('at risk:'))).toBe(true);
      expect(lines.some((line) => line.includes('breached:'))).toBe(true);
      expect(lines.some((line) => line.includes('logs a call'))).toBe(true);
      expect(lines.some((line) => line.includes('the next sync saw the call'))).toBe(true);
    }
  });

  it.each(['hubspot', 'salesforce'] as const)(
    'prints console tokens of the %s tenant that log in as its Chief ABM Officer and a committee member',
    async (crm) => {
      const { console: tokens, people, tenant } = world.tenants[crm];
      const printed = whereToLookLines(world, scene.stories, 'demo.db').join('\n');
      const logIn = async (token: string) => {
        const answer = await fetch(`${world.abm.url}/api/v1/console/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CONSOLE_HEADER]: '1' },
          body: JSON.stringify({ token }),
        });
        expect(answer.status).toBe(200);
        return ConsoleSessionSchema.parse(await answer.json());
      };
      for (const [token, role, person] of [
        [tokens.adminToken, 'admin', people.chief],
        [tokens.viewerToken, 'viewer', people.committee],
      ] as const) {
        expect(printed).toContain(token);
        const session = await logIn(token);
        expect(session).toMatchObject({ role, actingAs: { userId: person.ownerId } });
        expect(session.tenant).toMatchObject({ system: crm, externalId: tenant.externalId });
      }
    },
  );

  it('prints a HubSpot card call for the SLA story that signs when run and is answered', async () => {
    const story = scene.stories.find((candidate) => candidate.tenant.crm.crm === 'hubspot')!;
    const args = signedCardArgs(world, story);
    const printed = whereToLookLines(world, scene.stories, 'demo.db');
    expect(printed.some((line) => line.endsWith(`npm run -s abm-pilot -- ${args.join(' ')}`))).toBe(true);

    const captured = { stdout: '', stderr: '' };
    const code = await runCli(args, {
      env: { HUBSPOT_APP_CLIENT_SECRET: world.sandbox.hubspot!.oauthClientSecret },
      stdout: (text) => void (captured.stdout += text),
      stderr: (text) => void (captured.stderr += text),
      stderrIsTty: false,
      now: world.time.now,
    });
    expect(captured.stderr).toBe('');
    expect(code).toBe(0);
    const [status, ...body] = captured.stdout.split('\n');
    expect(status).toBe('HTTP 200');
    const card = AccountCardResponseSchema.parse(JSON.parse(body.join('\n')));
    expect(card.crm).toMatchObject({ system: 'hubspot', crmId: story.accountId });
    expect(card.viewer.userId).toBe(story.owner.ownerId);
  });
});
