import type { Instant } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, MINUTE_MS, tierChangeContract } from '@abm-pilot/shared';

import type { CrmName, CrmPerson, CrmTask } from './crms.ts';
import type { DemoTenant, DemoWorld } from './world.ts';

// SLAs at work, as the demo shows them in both CRMs at once: the Chief ABM Officer moves an account the
// model recommends for tier 1 into it, its follow-up clock starts on its owner's business hours, goes at
// risk, then breaches, and each step is read back from the CRM itself (the record, then ABM Pilot's task on
// it); the owner logs a call in the CRM, and after the next sync the task stands completed there. Time
// passes on the demo's clock while it waits; a `Stage` says how (real seconds on a simulated clock in the
// demo, a virtual clock moved by hand in its test).

export interface Stage {
  /** Lets simulated time pass until `check` finds what it waits for; a `DemoTimeout` past the budget. */
  until<T>(what: string, check: () => Promise<T | null>): Promise<T>;
}

export class DemoTimeout extends Error {
  readonly code = 'demo_timeout';
}

/** Waits in real time: `check` every `pollMs`, at most `budgetMs` in all. */
export function realStage(options: {
  readonly pollMs: number;
  readonly budgetMs: number;
  readonly realNow: () => number;
}): Stage {
  return {
    async until(what, check) {
      const giveUpAt = options.realNow() + options.budgetMs;
      for (;;) {
        const found = await check();
        if (found !== null) return found;
        if (options.realNow() > giveUpAt) {
          throw new DemoTimeout(`Waited ${options.budgetMs / 1000} s for ${what}.`);
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs));
      }
    },
  };
}

/** The account whose clock the demo follows in one CRM, and the person who must touch it. */
export interface StoryAccount {
  readonly tenant: DemoTenant;
  readonly accountId: string;
  readonly name: string;
  readonly score: number | null;
  readonly owner: CrmPerson;
  /** The owner's zone: their clock runs on its business hours. */
  readonly zone: string;
}

/**
 * A tier 2 account the model recommends for tier 1 (the best scored) that has never had an SLA clock, owned
 * by someone whose business day overlaps the tenant's most: the demo's clock skips the tenant's nights, and
 * an owner's clock runs on the owner's hours, so an owner far away would see whole hours pass at once.
 * Looser when the seed offers none: any tier 2 or 3 account.
 */
export async function pickStoryAccount(world: DemoWorld, tenant: DemoTenant): Promise<StoryAccount> {
  const { store } = world.abm;
  const tenantId = tenant.tenant.id;
  const now = world.time.now();
  const zone =
    (await store.currentGovernanceConfig(tenantId))?.config.businessHours.timezone ??
    DEFAULT_GOVERNANCE_CONFIG.businessHours.timezone;
  const tenantOffset = utcOffsetMinutes(zone, now);
  const candidates = (await store.consoleAccounts(tenantId)).flatMap((account) => {
    const owner = account.owner === null ? null : tenant.ownerOf(account.owner.crmId);
    const person = owner === null ? null : tenant.personOf(owner.crmId);
    if (owner === null || person === null || (account.tier !== 'tier_2' && account.tier !== 'tier_3'))
      return [];
    // An owner whose zone the CRM does not know works on the tenant's hours.
    const ownerZone = owner.timezone ?? zone;
    const apart = Math.abs(utcOffsetMinutes(ownerZone, now) - tenantOffset);
    const rank = [
      -apart,
      account.recommendedTier === 'tier_1' ? 1 : 0,
      account.tier === 'tier_2' ? 1 : 0,
      account.score ?? 0,
    ];
    return [{ account, person, ownerZone, rank }];
  });
  candidates.sort((a, b) => {
    for (let k = 0; k < a.rank.length; k++) if (a.rank[k] !== b.rank[k]) return b.rank[k]! - a.rank[k]!;
    return 0;
  });
  for (const { account, person, ownerZone } of candidates) {
    const card = await store.accountCard(tenantId, account.crmId);
    if (card === null || card.slaInstances.length > 0 || card.pendingApproval !== null) continue;
    return {
      tenant,
      accountId: account.crmId,
      name: account.name,
      score: account.score,
      owner: person,
      zone: ownerZone,
    };
  }
  throw new Error(`${tenantId} has no account to show an SLA on`);
}

/** Minutes `zone` is ahead of UTC at `at`. */
function utcOffsetMinutes(zone: string, at: Instant): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'));
  return Math.round((wall - Math.floor(at / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/**
 * What the first sync left running: its owners follow up today, as people do, with a call logged in the
 * CRM on each account with a clock running (but the story's), so the demo follows one clock, not a flood.
 * Returns how many calls were logged.
 */
export async function followUpRunningClocks(
  world: DemoWorld,
  tenant: DemoTenant,
  except: ReadonlySet<string>,
): Promise<number> {
  const running = (await tenant.crm.accountsWithRunningClocks()).filter(
    (account) => !except.has(account.id) && account.ownerId !== null,
  );
  let logged = 0;
  for (let start = 0; start < running.length; start += 8) {
    await Promise.all(
      running.slice(start, start + 8).map(async (account) => {
        const person = tenant.personOf(account.ownerId ?? '');
        if (person === null) return;
        await tenant.crm.logCall(person, account.id, world.time.now());
        logged += 1;
      }),
    );
  }
  return logged;
}

export type Milestone = 'promoted' | 'at_risk' | 'breached' | 'touched' | 'completed';

export interface MilestoneSeen {
  readonly milestone: Milestone;
  /** On the demo's clock. */
  readonly at: Instant;
  /** Real milliseconds since the story began. */
  readonly realMs: number;
}

export interface StoryOutcome {
  readonly crm: CrmName;
  readonly accountId: string;
  readonly ownerId: string;
  readonly dueAt: Instant;
  readonly milestones: readonly MilestoneSeen[];
  /** The task as the CRM showed it at each step. */
  readonly tasks: { readonly atRisk: CrmTask | null; readonly breach: CrmTask; readonly completed: CrmTask };
}

export interface StoryOptions {
  readonly stage: Stage;
  readonly narrate: (line: string) => void;
  /** Real time in milliseconds, for the milestones. */
  readonly realNow: () => number;
}

export async function playSlaStory(
  world: DemoWorld,
  stories: readonly StoryAccount[],
  options: StoryOptions,
): Promise<StoryOutcome[]> {
  const { stage, narrate } = options;
  const { store } = world.abm;
  const startedAt = options.realNow();
  const seen = stories.map(() => [] as MilestoneSeen[]);
  const mark = (index: number, milestone: Milestone) => {
    const entry = { milestone, at: world.time.now(), realMs: options.realNow() - startedAt };
    seen[index]!.push(entry);
    return entry;
  };
  const say = (story: StoryAccount, entry: MilestoneSeen, text: string) =>
    narrate(
      `  [${realText(entry.realMs)}] ${clockText(entry.at, story.zone)}  ${story.tenant.crm.label.padEnd(10)} ${text}`,
    );

  // The Chief ABM Officer moves each account into tier 1 from the card, as they would in the CRM.
  const clocks: { readonly dueAt: Instant; readonly atRiskAt: Instant }[] = [];
  for (const [index, story] of stories.entries()) {
    const { chief } = story.tenant.people;
    const answer = await story.tenant.crm.call(chief, tierChangeContract, {
      params: { crmId: story.accountId },
      body: {
        toTier: 'tier_1',
        reason: 'Board-level sponsor confirmed and an expansion in play',
        idempotencyKey: `demo-sla-story-${story.accountId}`,
      },
    });
    if (!answer.ok || answer.value.outcome !== 'applied') {
      throw new Error(`${story.tenant.crm.label}: moving ${story.name} to tier 1: ${JSON.stringify(answer)}`);
    }
    const clock = (await store.openSlaInstances(story.tenant.tenant.id)).find(
      (instance) => instance.accountId === story.accountId && instance.kind === 'sales_follow_up',
    );
    if (clock === undefined) throw new Error(`${story.name}: no follow-up clock started`);
    clocks.push(clock);
    const entry = mark(index, 'promoted');
    say(
      story,
      entry,
      `${chief.name} (Chief ABM Officer) moves ${story.name} (score ${story.score?.toFixed(1) ?? '?'}, recommended Tier 1) to Tier 1: ${answer.value.outcome}, in the CRM ${answer.value.crmWrite === 'done' ? 'at once' : 'with the next sync'}.`,
    );
    narrate(
      `${' '.repeat(30)}Its follow-up clock starts: ${story.owner.name} must touch it by ${clockText(clock.dueAt, story.zone)} ${story.zone}; at risk from ${clockText(clock.atRiskAt, story.zone)}.`,
    );
  }

  /** The owner's task on the account, as the CRM shows it, when `holds`. */
  const ownersTask = async (story: StoryAccount, holds: (task: CrmTask) => boolean) => {
    const tasks = await story.tenant.crm.alertTasks(story.accountId);
    return tasks.find((task) => task.ownerId === story.owner.ownerId && holds(task)) ?? null;
  };
  /** Waits until every story's CRM shows what `find` looks for, narrating each as it shows. */
  const untilEvery = async <T>(
    what: string,
    find: (story: StoryAccount, index: number) => Promise<T | null>,
    onFound: (story: StoryAccount, index: number, found: T) => void,
  ): Promise<T[]> => {
    const found = new Map<number, T>();
    await stage.until(what, async () => {
      for (const [index, story] of stories.entries()) {
        if (found.has(index)) continue;
        const result = await find(story, index);
        if (result === null) continue;
        found.set(index, result);
        onFound(story, index, result);
      }
      return found.size === stories.length ? true : null;
    });
    return stories.map((_, index) => found.get(index) as T);
  };

  const atRisk = await untilEvery(
    'the clocks to go at risk',
    async (story) => {
      const task = await ownersTask(story, (candidate) => !candidate.completed);
      if (task === null) return null;
      return { task, status: (await story.tenant.crm.account(story.accountId)).slaStatus };
    },
    (story, index, { task, status }) => {
      if (task.high) {
        // At this speed a sweep may first find the clock past due: the reminder was never needed.
        say(
          story,
          mark(index, 'at_risk'),
          `was at risk from ${clockText(clocks[index]!.atRiskAt, story.zone)}.`,
        );
        return;
      }
      say(
        story,
        mark(index, 'at_risk'),
        `at risk: the record's ABM SLA status reads "${status}", and the CRM holds task ${task.id} for ${story.owner.name}: "${task.subject}" (${task.priority}, ${task.status}).`,
      );
    },
  );
  const breach = await untilEvery(
    'the breach tasks',
    (story) => ownersTask(story, (task) => task.high && !task.completed),
    (story, index, task) =>
      say(
        story,
        mark(index, 'breached'),
        `breached: task ${task.id} now reads "${task.subject}" (${task.priority}, ${task.status}), read from ${task.url}`,
      ),
  );

  // The owner calls, as a rep does, and logs it in the CRM.
  for (const [index, story] of stories.entries()) {
    const call = await story.tenant.crm.logCall(story.owner, story.accountId, world.time.now());
    say(story, mark(index, 'touched'), `${story.owner.name} logs a call on ${story.name}: ${call}`);
  }
  const completed = await untilEvery(
    'the tasks to be completed',
    (story, index) => ownersTask(story, (task) => task.id === breach[index]!.id && task.completed),
    (story, index, task) =>
      say(
        story,
        mark(index, 'completed'),
        `the next sync saw the call: task ${task.id} is ${task.status} in the CRM (met late: the breach stays counted).`,
      ),
  );

  return stories.map((story, index) => ({
    crm: story.tenant.crm.crm,
    accountId: story.accountId,
    ownerId: story.owner.ownerId,
    dueAt: clocks[index]!.dueAt,
    milestones: seen[index]!,
    tasks: {
      atRisk: atRisk[index]!.task.high ? null : atRisk[index]!.task,
      breach: breach[index]!,
      completed: completed[index]!,
    },
  }));
}

/** `Tue 8 Dec 15:20` in `zone`. */
export function clockText(at: Instant, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('hour')}:${part('minute')}`;
}

/** `1:05`: minutes and seconds of real time. */
export function realText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
