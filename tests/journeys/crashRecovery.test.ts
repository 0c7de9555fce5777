import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { createSeedDataset } from '../../sandbox/src/seed/index.ts';
import type { LineProcess } from '../e2e/fixtures/lineProcess.ts';
import { spawnLineProcess } from '../e2e/fixtures/lineProcess.ts';
import type { Connection } from '../../server/src/config.ts';
import { tenantIdOf } from '../../server/src/model.ts';
import { openSqliteStore } from '../../server/src/store/sqlite/sqliteStore.ts';
import { virtualTime } from '../../server/src/time.ts';
import type { CrmName, CrmSide, CrmTask } from './world.ts';
import { CRMS, crmSide, JOURNEY_START } from './world.ts';
import { generateSecretKey } from '../../server/src/secrets.ts';

// Journey 5: ABM Pilot killed with SIGKILL in the middle of its work, and started again by its supervisor,
// as often as it takes. The server runs as `npm start` runs it, in a process of its own (the fixture
// `serverProcess.ts`: settings from the environment, the composition root, a virtual clock moved over
// stdin), on a SQLite file, against a CRM emulator it reaches through a front that can kill it at any
// request. Two chains of deaths, each process dying at the next point of the chain until one gets through:
//   - after the 1st, 2nd, 3rd… commit of its runs, while a sync and a sweep raise the day's SLA tasks;
//   - before the CRM handles its 1st request, after the CRM handled it (the answer lost), before the 2nd…,
//     while the next day's runs escalate, fold alerts into digests and complete the task of a touched account.
// Then, in the CRM: every ABM task exists once, the CRM holds what ABM Pilot's outbox says, and the tasks
// are those of the same days lived without a death.

const FIXTURE = fileURLToPath(new URL('./fixtures/serverProcess.ts', import.meta.url));
/** A sync and a sweep fall due at each step; longer than the lease a killed process leaves behind. */
const STEP_MS = 5 * 60_000;
const ACCOUNTS = 100;
/** Monday, 11:00 in Paris: a rep's accounts are moved to tier 1 in the CRM, their follow-up clocks start. */
const PROMOTION = Date.parse('2026-11-30T10:00:00.000Z');
/** Wednesday, 11:00 in Paris: the tier 1 follow-ups started on Monday's first sync are breached. */
const BREACH_DAY = Date.parse('2026-12-02T10:00:00.000Z');
/** Thursday: escalations, a fresh daily cap, and a touch that completes a task. */
const NEXT_DAY = Date.parse('2026-12-03T10:00:00.000Z');

type Death =
  | { readonly at: 'commit'; readonly n: number }
  | { readonly at: 'before_crm' | 'after_crm'; readonly n: number };

// ---------------------------------------------------------------------------------------------------
// The CRM, seen through a front that can kill the server as it calls.

interface Front {
  readonly url: string;
  /** Calls `kill` at the n-th request from now: before the CRM sees it, or once it handled it. */
  arm(when: 'before' | 'after', n: number, kill: () => void): void;
  disarm(): void;
  close(): Promise<void>;
}

async function frontOf(upstream: string): Promise<Front> {
  let armed: { when: 'before' | 'after'; left: number; kill: () => void } | null = null;
  const forward = (
    req: IncomingMessage,
    body: Buffer,
    answered: (answer: IncomingMessage, body: Buffer) => void,
  ) => {
    const call = request(
      `${upstream}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => answered(answer, Buffer.concat(chunks)));
      },
    );
    call.on('error', () => undefined);
    call.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const trigger = armed !== null && --armed.left === 0 ? armed : null;
      if (trigger !== null) armed = null;
      if (trigger?.when === 'before') {
        trigger.kill();
        res.destroy();
        return;
      }
      forward(req, Buffer.concat(chunks), (answer, body) => {
        if (trigger?.when === 'after') {
          trigger.kill();
          res.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm(when, n, kill) {
      armed = { when, left: n, kill };
    },
    disarm() {
      armed = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The server process, and the supervisor that starts another when it dies.

type Heard = { readonly type: 'ready' | 'idle' };
type ServerProcess = LineProcess<Heard>;

const spawnServer = (env: Readonly<Record<string, string>>): ServerProcess =>
  spawnLineProcess<Heard>(FIXTURE, env);

interface Supervisor {
  /** Lets time pass to `to` in the running server (started if none runs); `true` when the process died. */
  step(to: number, death: Death | null): Promise<boolean>;
  readonly processesStarted: number;
  stop(): Promise<void>;
}

function supervise(env: Readonly<Record<string, string>>, front: Front, start: number): Supervisor {
  let current: ServerProcess | null = null;
  // A warm spare, as a supervisor keeps one: its modules load while the current process works.
  let spare: ServerProcess | null = spawnServer(env);
  let now = start;
  let started = 0;

  const running = async (): Promise<ServerProcess> => {
    if (current !== null) return current;
    const server = spare ?? spawnServer(env);
    spare = spawnServer(env);
    server.send({ start: now });
    const ready = await server.next();
    if (ready.type !== 'message' || ready.message.type !== 'ready')
      throw new Error(`the server did not start: ${server.stderr()}`);
    started += 1;
    current = server;
    return server;
  };

  return {
    async step(to, death) {
      const server = await running();
      now = to;
      if (death !== null && death.at !== 'commit') {
        front.arm(death.at === 'before_crm' ? 'before' : 'after', death.n, () =>
          server.child.kill('SIGKILL'),
        );
      }
      server.send({ to, dieAfterCommit: death?.at === 'commit' ? death.n : null });
      const heard = await server.next();
      front.disarm();
      if (heard.type === 'message' && heard.message.type === 'idle') return false;
      if (heard.type === 'exit' && heard.signal === 'SIGKILL') {
        current = null;
        return true;
      }
      throw new Error(`the server process failed: ${server.stderr()}`);
    },
    get processesStarted() {
      return started;
    },
    async stop() {
      for (const server of [current, spare]) {
        if (server === null) continue;
        server.child.stdin.end();
        while ((await server.next()).type !== 'exit');
      }
      current = null;
      spare = null;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// One world: a seeded CRM, ABM Pilot's settings and file, and the days the journey lives.

interface Lived {
  readonly tasks: readonly CrmTask[];
  readonly outbox: readonly { readonly key: string; readonly status: string }[];
  /** Processes killed after a commit, and around a CRM call. */
  readonly deaths: { readonly commit: number; readonly crm: number };
  readonly processes: number;
  readonly steps: number;
}

/** Each chain: the death points its processes meet one after the other, until one gets through. */
interface Chain {
  readonly from: number;
  readonly deaths: (i: number) => Death | null;
  /** What people do in the CRM before the chain starts. */
  readonly before?: (side: CrmSide) => Promise<void>;
}

async function live(
  crm: CrmName,
  chains: readonly Chain[],
  replay?: readonly number[],
): Promise<Lived & { readonly instants: number[] }> {
  const time = virtualTime(JOURNEY_START);
  const seed = createSeedDataset({
    seed: 7,
    accounts: ACCOUNTS,
    referenceDate: new Date(JOURNEY_START).toISOString(),
  });
  const side = await crmSide(crm, time, seed);
  const front = await frontOf(side.url);
  const dir = mkdtempSync(join(tmpdir(), `abm-crash-journey-${crm}-`));
  const connection: Connection =
    side.connection.crm === 'hubspot'
      ? { ...side.connection, baseUrl: front.url }
      : { ...side.connection, loginUrl: front.url };
  writeFileSync(join(dir, 'connections.json'), JSON.stringify([connection]));
  const env = {
    ABM_DB_PATH: join(dir, 'abm.db'),
    ABM_CONNECTIONS_FILE: join(dir, 'connections.json'),
    ABM_SECRET_KEY: generateSecretKey(),
    ABM_SYNC_INTERVAL_SECONDS: String(STEP_MS / 1000),
    ABM_SLA_SWEEP_INTERVAL_SECONDS: String(STEP_MS / 1000),
    PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const supervisor = supervise(env, front, JOURNEY_START);
  const instants: number[] = [];
  const deaths = { commit: 0, crm: 0 };
  try {
    const stepTo = async (to: number, death: Death | null) => {
      time.advanceTo(to);
      instants.push(to);
      const died = await supervisor.step(to, death);
      if (died && death !== null) deaths[death.at === 'commit' ? 'commit' : 'crm'] += 1;
      return died;
    };
    // ABM Pilot's first sync, before anyone acts in the CRM.
    await supervisor.step(JOURNEY_START, null);
    if (replay !== undefined) {
      for (const [i, chain] of chains.entries()) {
        await chain.before?.(side);
        for (const to of replay.filter((at) => at >= chain.from && at < (chains[i + 1]?.from ?? Infinity))) {
          await stepTo(to, null);
        }
      }
    } else {
      for (const chain of chains) {
        await chain.before?.(side);
        let to = chain.from;
        for (let i = 0; await stepTo(to, chain.deaths(i)); i += 1) {
          to += STEP_MS;
          if (i > 400) throw new Error('the chain of deaths does not end');
        }
      }
      // One more step: the run after a death that fell past the end of the work finds nothing left to do.
      await stepTo(instants.at(-1)! + STEP_MS, null);
    }
    const processes = supervisor.processesStarted;
    await supervisor.stop();
    const store = openSqliteStore(env.ABM_DB_PATH);
    const tenantId = tenantIdOf(
      crm,
      crm === 'hubspot'
        ? (connection as { portalId: string }).portalId
        : (connection as { orgId: string }).orgId,
    );
    const outbox = (await store.slaTasks(tenantId, 0)).map((task) => ({
      key: task.key,
      status: task.status,
    }));
    const runs = await store.recentRuns(tenantId, 1);
    await store.close();
    expect(runs[0]?.status).toBe('succeeded');
    return { tasks: await side.crmTasks({}), outbox, deaths, processes, steps: instants.length, instants };
  } finally {
    await supervisor.stop();
    await front.close();
    await new Promise((resolve) => side.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The user the owner signs in as: HubSpot tells it on the owner; in Salesforce the owner is the user. */
async function signInIdOf(side: CrmSide, ownerId: string): Promise<string> {
  if (side.connection.crm !== 'hubspot' || side.connection.auth.kind !== 'private_app') return ownerId;
  const answer = await fetch(`${side.url}/crm/v3/owners/${ownerId}`, {
    headers: { authorization: `Bearer ${side.connection.auth.token}` },
  });
  return String(((await answer.json()) as { userId: number }).userId);
}

const byKey = <T extends { readonly key: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe.each(CRMS)('ABM Pilot killed with SIGKILL and restarted, in %s', (crm) => {
  /** A rep logs a call on an account whose breach task is open: the next runs complete that task. */
  const touchOne = async (side: CrmSide) => {
    const open = (await side.crmTasks({ keyPrefix: 'task:' })).find(
      (task) => task.status === 'open' && task.accountId,
    );
    if (!open?.accountId) throw new Error('no open SLA task to answer');
    await side.logCall({ ownerId: open.assigneeId, signInId: open.assigneeId, name: 'rep' }, open.accountId, {
      at: BREACH_DAY + 60 * 60_000,
      done: true,
    });
  };
  /** Someone moves twelve accounts of one rep to tier 1 in the CRM: twelve follow-up clocks for one person. */
  const promoteTwelve = async (side: CrmSide) => {
    const untiered = await side.accounts(null);
    const owned = new Map<string, string[]>();
    for (const { id, ownerId } of untiered) {
      if (ownerId !== null) owned.set(ownerId, [...(owned.get(ownerId) ?? []), id]);
    }
    const [ownerId, accounts] = [...owned].sort((a, b) => b[1].length - a[1].length)[0]!;
    const owner = { ownerId, signInId: await signInIdOf(side, ownerId), name: 'rep' };
    for (const id of accounts.slice(0, 12)) await side.editTierInCrm(owner, id, 'tier_1');
  };
  const chains: Chain[] = [
    { from: PROMOTION, before: promoteTwelve, deaths: () => null },
    { from: BREACH_DAY, deaths: (i) => ({ at: 'commit', n: i + 1 }) },
    {
      from: NEXT_DAY,
      before: touchOne,
      deaths: (i) => ({ at: i % 2 === 0 ? 'before_crm' : 'after_crm', n: Math.floor(i / 2) + 1 }),
    },
  ];
  let killed: Awaited<ReturnType<typeof live>>;
  let calm: Awaited<ReturnType<typeof live>>;

  beforeAll(async () => {
    killed = await live(crm, chains);
    calm = await live(crm, chains, killed.instants);
  }, 400_000);

  it('dies at every commit and around every CRM call, and holds each ABM task once in the CRM', () => {
    const keys = killed.tasks.map((task) => task.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(killed.deaths.commit).toBeGreaterThan(20);
    expect(killed.deaths.crm).toBeGreaterThan(10);
    expect(killed.processes).toBe(killed.deaths.commit + killed.deaths.crm + 1);
    // Breaches, escalations and a digest were raised, and the touched account's task completed.
    expect(killed.tasks.some((task) => task.key.startsWith('digest:'))).toBe(true);
    expect(killed.tasks.some((task) => task.status === 'completed')).toBe(true);
    expect(killed.tasks.filter((task) => task.status === 'open').length).toBeGreaterThan(5);
  });

  it("holds in the CRM what ABM Pilot's outbox says it sent, task by task", () => {
    expect(byKey(killed.tasks).map(({ key, status }) => ({ key, status }))).toEqual(byKey(killed.outbox));
  });

  it('ends with the tasks of the same days lived without a death', () => {
    expect(byKey(killed.tasks)).toEqual(byKey(calm.tasks));
    expect(calm.deaths).toEqual({ commit: 0, crm: 0 });
  });
});
