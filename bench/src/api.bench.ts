import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import pino from 'pino';

import { createApp } from '../../server/src/http/app.ts';
import { createHttpServer } from '../../server/src/http/serve.ts';
import { createApiRouter } from '../../server/src/http/routes/index.ts';
import { systemTime } from '../../server/src/time.ts';
import type { Store } from '../../server/src/store/ports.ts';
import type { TempStore } from '../../server/src/store/sqlite/testSupport.ts';
import {
  account,
  computation,
  emptyBatch,
  openTempStore,
  owner,
  page,
  T0,
  TENANT_B,
} from '../../server/src/store/sqlite/testSupport.ts';
import type { Benchmark } from './harness.ts';
import { timedRun } from './harness.ts';
import type { LoadRequest, LoadResult } from './loadgen.ts';

// The card view under load: the real app (auth, role mapping, governance config, card view, metrics) against a
// bare node:http server doing only the store's lookup, both on one SQLite file of 100,000 scored accounts of a
// Salesforce org. autocannon runs in a child process (loadgen.ts), so on 2 cores the server under test has
// one core to itself, as it would behind a real load balancer.

const ACCOUNTS = 100_000;
const CHUNK = 1_000;
const CONNECTIONS = 50;
const DURATION_S = 5;
const WARMUP_S = 1;
const USER = 'o1';
/** The app's clock: after the seeded instants, as the route tests set it. */
const NOW = T0 + 60 * 86_400_000;

const idOf = (i: number) => `acc-${String(i).padStart(6, '0')}`;
const round2 = (value: number): number => Math.round(value * 100) / 100;

interface World {
  readonly temp: TempStore;
  readonly apiKey: string;
}

let world: Promise<World> | null = null;

/** 100,000 accounts saved as a sync saves them: pages of 1,000, then one computation batch per page. */
async function buildWorld(): Promise<World> {
  const temp = await openTempStore([TENANT_B]);
  process.once('exit', () => void temp.cleanup());
  const { store } = temp;
  const tenantId = TENANT_B.id;
  await store.savePage(tenantId, page('owners', [owner(USER)]), T0);
  for (let start = 0; start < ACCOUNTS; start += CHUNK) {
    const records = Array.from({ length: CHUNK }, (_, k) =>
      account(idOf(start + k), { modifiedAt: T0 + start + k, ownerCrmId: USER }),
    );
    await store.savePage(tenantId, page('accounts', records), T0);
    const contexts = await store.loadAccountContexts(
      tenantId,
      records.map((record) => record.crmId),
      0,
    );
    const saved = await store.saveComputation(tenantId, {
      ...emptyBatch,
      accounts: contexts.map((context) => computation(context)),
    });
    if (!saved.ok) throw new Error(saved.error.message);
  }
  await store.replaceUserRoles(tenantId, [{ crmUserId: USER, roles: ['sales_rep'] }], { at: T0, by: null });
  const issued = await store.issueCredential(tenantId, {
    grant: { kind: 'salesforce_api_key' },
    now: T0,
    rotate: false,
  });
  return { temp, apiKey: issued.plaintext };
}

const worldOnce = (): Promise<World> => (world ??= buildWorld());

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The bench process ends when the benchmarks do; nothing closes these servers.
  server.unref();
  server.on('connection', (socket) => socket.unref());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const startApp = (store: Store): Promise<string> => {
  const log = pino({ level: 'silent' });
  const api = createApiRouter({
    store,
    clock: () => NOW,
    deadline: systemTime.deadline,
    crmOf: () => null,
    background: (work) => work(),
    hubspot: null,
    syncNow: () => false,
    log,
  });
  const app = createApp({ log, ready: async () => true, api });
  return listen(createHttpServer(app));
};

/** Only what the card route cannot do without: the lookup and its JSON, no auth, no view. */
const startBare = (store: Store): Promise<string> =>
  listen(
    createServer((req, res) => {
      const crmId = /^\/api\/v1\/accounts\/([^/]+)\/card/.exec(req.url ?? '')?.[1];
      const lookup = crmId
        ? store.accountCard(TENANT_B.id, decodeURIComponent(crmId))
        : Promise.resolve(null);
      void lookup.then(
        (card) => {
          res.writeHead(card ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(card ? { data: card } : { error: { code: 'not_found' } }));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    }),
  );

interface Measured {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly cpuUsPerRequest: number;
}

/** Runs the load generator in a child process and waits for its figures. */
function generateLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./loadgen.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
    });
    child.once('message', (answer: { ok: true; result: LoadResult } | { ok: false; error: string }) =>
      answer.ok ? resolve(answer.result) : reject(new Error(answer.error)),
    );
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(request);
  });
}

/** One load of DURATION_S seconds after a warm-up; requests walk the accounts with a stride so neighbours are not reused. */
async function load(url: string, apiKey: string): Promise<{ result: LoadResult; measured: Measured }> {
  const request: LoadRequest = {
    url,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    headers: { authorization: `Bearer ${apiKey}` },
    pathPrefix: '/api/v1/accounts/acc-',
    pathSuffix: `/card?userId=${USER}`,
    ids: ACCOUNTS,
    stride: 7_919,
    idWidth: 6,
  };
  // A first, unmeasured second lets V8 compile the hot paths and SQLite fill its page cache.
  await generateLoad({ ...request, durationS: WARMUP_S });
  const cpuBefore = process.cpuUsage();
  const result = await generateLoad(request);
  // This process runs only the server under test: its CPU time per answer does not depend on what else
  // the machine runs, where requests/s and latencies do.
  const cpu = process.cpuUsage(cpuBefore);
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    result,
    measured: {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failed,
      cpuUsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(result.requests.total, 1)),
    },
  };
}

const figuresOf = (measured: Measured, result: LoadResult) => ({
  connections: CONNECTIONS,
  durationS: result.duration,
  requests: result.requests.total,
  p50Ms: measured.p50,
  p99Ms: measured.p99,
  serverCpuUsPerRequest: measured.cpuUsPerRequest,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

export function apiBenchmarks(): Benchmark[] {
  let bare: Measured | null = null;
  let app: { measured: Measured; result: LoadResult } | null = null;
  let bareResult: LoadResult | null = null;
  let bareUrl = '';
  let appUrl = '';
  let apiKey = '';

  // The value is requests per second: one unit is one request, timed as the mean interval between responses.
  const asRate = (measured: Measured) => timedRun(1000 / measured.rps, measured.failed);

  return [
    {
      name: 'api.card.bare_node_http',
      unit: 'requests/s',
      items: 1,
      runs: 1,
      note: `${CONNECTIONS} connections, ${DURATION_S} s, accountCard + JSON.stringify, no auth`,
      async setup() {
        const { temp, apiKey: key } = await worldOnce();
        apiKey = key;
        bareUrl = await startBare(temp.store);
      },
      async run() {
        const { result, measured } = await load(bareUrl, apiKey);
        bare = measured;
        bareResult = result;
        return asRate(measured);
      },
      figures: () => (bare && bareResult ? figuresOf(bare, bareResult) : {}),
    },
    {
      name: 'api.card.app',
      unit: 'requests/s',
      items: 1,
      runs: 1,
      note: `${CONNECTIONS} connections, ${DURATION_S} s, GET /api/v1/accounts/:id/card with the org API key`,
      async setup() {
        const { temp, apiKey: key } = await worldOnce();
        apiKey = key;
        appUrl = await startApp(temp.store);
      },
      async run() {
        app = await load(appUrl, apiKey);
        return asRate(app.measured);
      },
      figures: () => {
        if (!app) return {};
        const own = figuresOf(app.measured, app.result);
        // Ratios only when the bare server ran in the same process, on the same file.
        if (!bare) return own;
        return {
          ...own,
          p99VsBare: round2(app.measured.p99 / Math.max(bare.p99, 1)),
          rpsVsBare: round2(app.measured.rps / bare.rps),
          cpuPerRequestVsBare: round2(app.measured.cpuUsPerRequest / Math.max(bare.cpuUsPerRequest, 1)),
        };
      },
    },
  ];
}
