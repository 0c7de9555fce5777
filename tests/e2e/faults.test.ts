import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { SyncDeps } from '../../server/src/usecases/runSync.ts';
import type { FaultRule } from '../../sandbox/src/faults.ts';
import type { CrmAdmin, CrmState, RunStep } from './support.ts';
import {
  hubspotAdmin,
  hubspotWorld,
  playScenario,
  runOnce,
  runUntilCompleted,
  salesforceAdmin,
  salesforceWorld,
} from './support.ts';

// The same scenario is played in a clean world and in worlds whose CRM fails under the connector: 429s,
// 5xx, dropped connections and batches that fail part of their records, on the pull, write-back and task
// routes. Runs that end early are made again, as the scheduler would; in the end the CRM must show exactly
// what the clean world's CRM shows.

const ACCOUNTS = 120;

interface World {
  readonly admin: CrmAdmin;
  readonly deps: SyncDeps;
  close(): Promise<void>;
}

interface Crm {
  readonly name: string;
  world(): Promise<World>;
  /** Every kind of fault, on every route, drawn at random from the emulator's seeded generator. */
  readonly byRate: readonly FaultRule[];
  /** Bursts longer than the connector's retries: runs end early, or leave records refused, and are made again. */
  readonly byCount: readonly FaultRule[];
}

const hubspot: Crm = {
  name: 'HubSpot',
  async world() {
    const world = await hubspotWorld(ACCOUNTS);
    expect(await world.deps.connector.prepare()).toMatchObject({ ok: true });
    return { admin: hubspotAdmin(world), deps: world.deps, close: world.close };
  },
  byRate: [
    { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, path: '^/crm/', rate: 0.08 },
    { kind: 'status', status: 503, path: '^/crm/', rate: 0.06 },
    { kind: 'status', status: 502, path: '^/crm/', rate: 0.03 },
    { kind: 'reset', path: '^/crm/', rate: 0.04 },
    { kind: 'partial', failShare: 0.3, path: '/batch/(update|upsert|read)$', rate: 0.6 },
  ],
  byCount: [
    // Pull: the contacts of every run are refused past the six attempts, then come through.
    { kind: 'reset', path: '^/crm/v3/objects/contacts', count: 6 },
    { kind: 'status', status: 429, headers: { 'Retry-After': '2' }, path: '/search$', count: 3 },
    // Write-back: a batch that keeps failing ends the run; records refused six times stay pending.
    { kind: 'status', status: 503, path: '/companies/batch/update$', count: 6 },
    { kind: 'partial', failShare: 1, path: '/companies/batch/update$', count: 6 },
    // Tasks: a Retry-After too long to wait out stops the run; failed associations are sent again.
    {
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '120' },
      path: '/tasks/batch/upsert$',
      count: 1,
    },
    { kind: 'status', status: 500, path: '/associations/tasks/companies/batch/create$', count: 6 },
  ],
};

const salesforce: Crm = {
  name: 'Salesforce',
  async world() {
    const world = await salesforceWorld(ACCOUNTS);
    return { admin: salesforceAdmin(world), deps: world.deps, close: world.close };
  },
  byRate: [
    // Salesforce answers 429 with REQUEST_LIMIT_EXCEEDED: the run stops at once and is made again.
    { kind: 'status', status: 429, path: '^/services/data/', rate: 0.02 },
    { kind: 'status', status: 503, path: '^/services/data/', rate: 0.08 },
    { kind: 'status', status: 500, path: '^/services/data/', rate: 0.04 },
    { kind: 'reset', path: '^/services/data/', rate: 0.05 },
    { kind: 'partial', failShare: 0.3, path: '/composite/sobjects', rate: 0.6 },
  ],
  byCount: [
    { kind: 'status', status: 503, path: '^/services/oauth2/token$', count: 2 },
    { kind: 'status', status: 429, path: '/query', count: 1 },
    { kind: 'reset', method: 'GET', path: '/query', count: 2 },
    { kind: 'status', status: 401, path: '/composite/sobjects$', count: 1 },
    { kind: 'reset', method: 'PATCH', path: '/composite/sobjects$', count: 5 },
    { kind: 'partial', failShare: 1, path: '/composite/sobjects/Task/', count: 5 },
  ],
};

const ruleName = (rule: FaultRule): string =>
  `${rule.kind}${rule.kind === 'status' ? ` ${rule.status}` : ''} ${rule.method ?? ''} ${rule.path}`;

interface FaultLog {
  /** Runs each step took to complete. */
  readonly runs: number[];
  /** Times each rule fired over the whole scenario. */
  readonly fired: Map<string, number>;
}

/** Adds the rules for the length of one step, runs it until it completes, and counts what fired. */
function underFaults(world: World, rules: readonly FaultRule[], log: FaultLog): RunStep {
  return async (kind) => {
    for (const rule of rules) world.admin.faults.add(rule);
    try {
      log.runs.push(await runUntilCompleted(world.deps, kind));
    } finally {
      for (const hit of world.admin.faults.hits()) {
        const name = ruleName(hit.rule);
        log.fired.set(name, (log.fired.get(name) ?? 0) + hit.fired);
      }
      world.admin.faults.clear();
    }
  };
}

const opened: World[] = [];
const open = async (crm: Crm): Promise<World> => {
  const world = await crm.world();
  opened.push(world);
  return world;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((world) => world.close()));
});

describe.each([hubspot, salesforce])('$name under injected faults', (crm) => {
  let clean: CrmState;

  beforeAll(async () => {
    const world = await crm.world();
    await playScenario(world.admin, async (kind) => {
      expect(await runOnce(world.deps, kind)).toMatchObject({
        ok: true,
        value: { writeFailures: 0, taskFailures: 0 },
      });
    });
    clean = await world.admin.state();
    await world.close();
  });

  it('plays a clean scenario that scores every account and raises, escalates and completes tasks', () => {
    const accounts = Object.values(clean.accounts);
    expect(accounts).toHaveLength(ACCOUNTS);
    expect(accounts.every((fields) => Object.values(fields).some((value) => value !== null))).toBe(true);
    expect(clean.tasks.length).toBeGreaterThanOrEqual(6);
    expect(new Set(clean.tasks.map((task) => task.status)).size).toBe(2);
  });

  it('ends with the clean CRM state and one task per alert when faults hit at random', async () => {
    const world = await open(crm);
    const log: FaultLog = { runs: [], fired: new Map() };

    await playScenario(world.admin, underFaults(world, crm.byRate, log));

    const state = await world.admin.state();
    expect(state.accounts).toEqual(clean.accounts);
    expect(state.tasks).toEqual(clean.tasks);
    expect(new Set(state.tasks.map((task) => task.key)).size).toBe(state.tasks.length);
    expect(state.taskCount).toBe(clean.taskCount);
    for (const rule of crm.byRate) expect(log.fired.get(ruleName(rule)), ruleName(rule)).toBeGreaterThan(0);
    expect(world.deps.connector.usage().retries).toBeGreaterThan(0);
  });

  it('ends with the clean CRM state when bursts of faults outlast the retries and runs are made again', async () => {
    const world = await open(crm);
    const log: FaultLog = { runs: [], fired: new Map() };

    await playScenario(world.admin, underFaults(world, crm.byCount, log));

    const state = await world.admin.state();
    expect(state.accounts).toEqual(clean.accounts);
    expect(state.tasks).toEqual(clean.tasks);
    expect(new Set(state.tasks.map((task) => task.key)).size).toBe(state.tasks.length);
    expect(state.taskCount).toBe(clean.taskCount);
    for (const rule of crm.byCount) expect(log.fired.get(ruleName(rule)), ruleName(rule)).toBeGreaterThan(0);
    // Every step needed more than one run: the first ended early or left records undelivered.
    expect(log.runs.every((runs) => runs > 1)).toBe(true);
  });
});
