import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

import { createHttpServer } from './serve.ts';

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(app: express.Express, onRequest: (req: unknown, res: unknown) => void) {
  server = createHttpServer(app);
  // Runs before Express sees the request: what the objects are as Node made them.
  server.prependListener('request', onRequest);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the HTTP server', () => {
  it("makes requests and responses with Express's prototypes, so Express never reshapes them", async () => {
    const app = express();
    app.get('/ping', (_req, res) => void res.status(204).end());
    const born: boolean[] = [];
    const url = await listen(app, (req, res) =>
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response),
    );
    expect((await fetch(`${url}/ping`)).status).toBe(204);
    expect(born).toEqual([true]);
  });

  it("keeps Express's request and response helpers and Node's streaming working", async () => {
    const app = express();
    app.use(express.json());
    app.post('/echo', (req, res) => {
      res.set('x-seen', String(req.get('x-probe')));
      res.status(201).json({ query: req.query, body: req.body as unknown });
    });
    app.get('/stream', (_req, res) => {
      res.write('a');
      res.end('b');
    });
    const url = await listen(app, () => undefined);
    const echoed = await fetch(`${url}/echo?tier=tier_1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-probe': 'yes' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(echoed.status).toBe(201);
    expect(echoed.headers.get('x-seen')).toBe('yes');
    expect(await echoed.json()).toEqual({ query: { tier: 'tier_1' }, body: { n: 1 } });
    expect(await (await fetch(`${url}/stream`)).text()).toBe('ab');
  });
});
