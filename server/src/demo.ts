import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

import { DEFAULT_GOVERNANCE_CONFIG, MINUTE_MS, tierChangeContract } from '@abm-pilot/shared';

import { SALESFORCE_ABM_OWNERSHIP_FIELDS, SALESFORCE_TIER_PICKLIST } from './connectors/salesforce/fields.ts';
import { DEMO_USAGE, parseDemoArgs } from './demo/args.ts';
import type { DemoCrm } from './demo/crms.ts';
import { dashboardLines, readDashboard } from './demo/dashboard.ts';
import { CRMS, setTheScene } from './demo/scene.ts';
import { clockText, DemoTimeout, playSlaStory, realStage, realText } from './demo/slaStory.ts';
import type { DemoWorld } from './demo/world.ts';
import { startDemoWorld } from './demo/world.ts';
import { whereToLookLines } from './demo/whereToLook.ts';
import { createLogger } from './log.ts';
import { simulatedTime } from './time.ts';

// `npm run demo [-- --speed N]`: the product on its embedded defaults, with no account and no configuration,
// on a simulated clock that runs N business hours a real minute. Both CRM sandboxes are seeded with one
// business, ABM Pilot starts on them through the composition root of `npm start`, a year of history is
// recorded so every panel of the dashboard has data, and then SLAs are shown at work in both CRMs: an
// account enters tier 1, its clock goes at risk, breaches, the breach task appears in the CRM, its owner
// logs a call and the task is completed. It keeps syncing and sweeping until Ctrl-C.

const ACCOUNTS = 2_000;
const SEED = 42;
const DB_PATH = './data/demo.db';
/** In simulated time: at the default speed a sync every 3 real seconds and a sweep every second. */
const SYNC_INTERVAL_MS = 30 * MINUTE_MS;
const SLA_SWEEP_INTERVAL_MS = 10 * MINUTE_MS;
/** What the story may take, in real time, before the demo says it did not happen. */
const STORY_BUDGET_MS = 8 * MINUTE_MS;

const say = (text: string) => void process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (!args.ok) {
    process.stderr.write(`error ${args.error.code}: ${args.error.message}\n\n${DEMO_USAGE}\n`);
    return 2;
  }
  if (args.value.help) {
    say(DEMO_USAGE);
    return 0;
  }
  const { speed } = args.value;
  const realStart = performance.now();
  const real = () => realText(performance.now() - realStart);
  const calendar = DEFAULT_GOVERNANCE_CONFIG.businessHours;
  const time = simulatedTime({ start: Date.now(), businessHoursPerMinute: speed, calendar });

  say(
    `ABM Pilot demo on a simulated clock: ${speed} business hours a real minute (${calendar.timezone}, ${calendar.dayStart}-${calendar.dayEnd}); nights, weekends and holidays are skipped.`,
  );
  say(`  It is ${clockText(time.now(), calendar.timezone)} on the demo's clock.`);
  say(
    `Seeding ${ACCOUNTS.toLocaleString('en-US')} accounts into the HubSpot and Salesforce sandboxes, then ABM Pilot's first sync of each:`,
  );
  rmSync(DB_PATH, { force: true });
  mkdirSync(dirname(DB_PATH), { recursive: true });
  const port = await freePort();
  // A progress line for the first sync, rewritten in place on a terminal; later runs go unannounced.
  let firstSync = process.stdout.isTTY;
  const world = await startDemoWorld({
    accounts: ACCOUNTS,
    seed: SEED,
    time,
    dbPath: DB_PATH,
    port,
    publicUrl: `http://127.0.0.1:${port}`,
    syncIntervalMs: SYNC_INTERVAL_MS,
    slaSweepIntervalMs: SLA_SWEEP_INTERVAL_MS,
    log: createLogger('warn'),
    // HubSpot, and the operator's `sign-hubspot`, sign with the wall clock, not the demo's.
    hubspotClock: Date.now,
    onProgress: (progress) => {
      if (!firstSync) return;
      const line = `  ${progress.tenantId}: ${progress.step.replace('_', ' ')}${progress.kind ? ` ${progress.kind}` : ''} ${progress.done.toLocaleString('en-US')}`;
      process.stdout.write(`\r${line.padEnd(72)}`);
    },
  });
  if (firstSync) process.stdout.write(`\r${''.padEnd(72)}\r`);
  firstSync = false;
  // From here Ctrl-C stops the demo cleanly, whatever it is doing: the runs in flight finish first.
  const stopRequested = new Promise<'stop'>((resolve) => {
    process.once('SIGINT', () => resolve('stop'));
    process.once('SIGTERM', () => resolve('stop'));
  });
  const stop = async () => {
    say('\nStopping: finishing the run in flight ...');
    await world.close();
    say('Stopped.');
    return 0;
  };
  const tenants = [world.tenants.hubspot, world.tenants.salesforce];
  for (const tenant of tenants) {
    const runs = await world.abm.store.recentRuns(tenant.tenant.id, 100);
    const run = runs.findLast((candidate) => candidate.kind === 'sync' && candidate.status === 'succeeded');
    const n = (name: string) => (run?.counts[name] ?? 0).toLocaleString('en-US');
    say(
      `  [${real()}] ${tenant.crm.label.padEnd(10)} pulled ${n('pulled_accounts')} accounts, ${n('pulled_contacts')} contacts, ${n('pulled_deals')} deals, ${n('pulled_engagements')} engagements; scored ${n('computed')}; wrote back ${n('written')}`,
    );
  }

  const scene = await setTheScene(world, SEED);
  const { stories } = scene;
  say('\nThe first sync found accounts marketing-qualified and started their follow-up clocks; their owners');
  say('follow up today, with a call each logged in the CRM (the next sync stops those clocks, met):');
  for (const crm of CRMS) {
    say(`  ${world.tenants[crm].crm.label.padEnd(10)} ${scene.followUps[crm]} calls logged`);
  }
  say('\nA year of history, so that every panel of the dashboard has data:');
  for (const crm of CRMS) {
    const seeded = scene.history[crm];
    say(
      `  ${world.tenants[crm].crm.label.padEnd(10)} ${seeded.slaInstances} SLA clocks met or breached, ${seeded.approvals} approvals decided, ${seeded.audit} audit entries, ${seeded.costLines} cost lines over twelve months`,
    );
  }
  const dashboard = await readDashboard(
    world.tenants.salesforce.crm,
    world.tenants.salesforce.people.chief,
    time.now(),
  );
  say(`\nThe console's dashboard (Salesforce, the last twelve months):`);
  for (const line of dashboardLines(dashboard)) say(`  ${line}`);

  say('\nTop accounts by ABM score, as each CRM now shows them:');
  for (const tenant of tenants) say(await topAccounts(tenant.crm));

  await peopleInTheCrm(world, new Set(stories.map((story) => story.accountId)));

  say(
    `\nSLAs at work, [real time since the account entered Tier 1] and the demo's clock (${real()} after the start):`,
  );
  const story = playSlaStory(world, stories, {
    stage: realStage({ pollMs: 250, budgetMs: STORY_BUDGET_MS, realNow: () => performance.now() }),
    narrate: say,
    realNow: () => performance.now(),
  });
  // A story cut short by Ctrl-C fails on the closed sandboxes: that failure is nobody's news.
  story.catch(() => undefined);
  let outcomes;
  try {
    outcomes = await Promise.race([story, stopRequested]);
  } catch (error) {
    if (!(error instanceof DemoTimeout)) throw error;
    say(`error ${error.code}: ${error.message}`);
    await world.close();
    return 1;
  }
  if (outcomes === 'stop') return stop();
  say(`\n  Milestones in real time after the account entered Tier 1 (${real()} after the start):`);
  for (const outcome of outcomes) {
    say(
      `    ${world.tenants[outcome.crm].crm.label.padEnd(10)} ${outcome.milestones.map((m) => `${m.milestone.replace('_', ' ')} ${realText(m.realMs)}`).join(' · ')}`,
    );
  }

  say('');
  for (const line of whereToLookLines(world, stories, DB_PATH)) say(line);
  await stopRequested;
  return stop();
}

/**
 * What people do in the CRM and the console besides: name an ABM owner and an executive sponsor on the top
 * Salesforce accounts; a marketer's routine tier change, read back from the record right after the answer;
 * and a request into tier 1 left for the committee, for the console's approval queue.
 */
async function peopleInTheCrm(world: DemoWorld, storyAccounts: ReadonlySet<string>): Promise<void> {
  const salesforce = world.tenants.salesforce;
  const { marketer, committee, chief } = salesforce.people;
  const top = (await salesforce.crm.topAccounts(12)).filter((account) => !storyAccounts.has(account.id));
  await nameAbmOwners(
    world,
    top.slice(0, 10).map((account) => account.id),
    committee.ownerId,
    chief.ownerId,
  );

  const routine = (await world.abm.store.consoleAccounts(salesforce.tenant.id)).find(
    (account) =>
      !storyAccounts.has(account.crmId) && account.tier === 'tier_3' && account.recommendedTier === 'tier_2',
  );
  if (routine) {
    const answer = await salesforce.crm.call(marketer, tierChangeContract, {
      params: { crmId: routine.crmId },
      body: { toTier: 'tier_2', reason: 'Engaged at the user conference', idempotencyKey: 'demo-routine' },
    });
    const record = await salesforce.crm.account(routine.crmId);
    say(`\nA routine tier change by ${marketer.name} (marketer) on ${routine.name} (${routine.crmId}):`);
    say(`  the card API answered  ${JSON.stringify(answer.ok ? answer.value : answer.failure)}`);
    say(
      `  the Salesforce record  ABM_Tier__c = ${record.tier === null ? 'empty' : SALESFORCE_TIER_PICKLIST[record.tier]} (read from the sandbox right after)`,
    );
  }
  const sample = top[0];
  if (sample) {
    await salesforce.crm.call(marketer, tierChangeContract, {
      params: { crmId: sample.id },
      body: {
        toTier: sample.tier === 'tier_1' ? 'tier_2' : 'tier_1',
        reason: 'A board-level sponsor and a renewal in play',
        idempotencyKey: 'demo-pending-approval',
      },
    });
  }
}

async function nameAbmOwners(
  world: DemoWorld,
  accountIds: readonly string[],
  abmOwner: string,
  sponsor: string,
): Promise<void> {
  const salesforce = world.sandbox.salesforce!;
  const token = salesforce.emulator.issueAccessToken();
  for (const id of accountIds) {
    const answer = await fetch(`${salesforce.url}/services/data/v66.0/sobjects/Account/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        [SALESFORCE_ABM_OWNERSHIP_FIELDS.abmOwner]: abmOwner,
        [SALESFORCE_ABM_OWNERSHIP_FIELDS.executiveSponsor]: sponsor,
      }),
    });
    if (!answer.ok) throw new Error(`naming the ABM owner of ${id}: HTTP ${answer.status}`);
  }
}

async function topAccounts(crm: DemoCrm): Promise<string> {
  const accounts = await crm.topAccounts(5);
  return [
    `  ${crm.label}`,
    ...accounts.map(
      (account) =>
        `    ${account.id.padEnd(18)} ${account.name.slice(0, 34).padEnd(34)} ${(account.tier ?? 'untargeted').padEnd(11)} ${String(account.score ?? '').padStart(5)}  ${account.tierReason ?? ''}`,
    ),
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

process.exitCode = await main();
