import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Router } from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { createApp } from './app.ts';

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(ready = true, log = pino({ level: 'silent' })) {
  const api = Router();
  api.post('/echo', (req, res) => void res.json({ got: req.body }));
  api.get('/boom', () => {
    throw new Error('secret detail');
  });
  const app = createApp({ log, ready: async () => ready, api, bodyLimit: '1kb' });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** A logger writing JSON lines into an array, as pino writes them to stdout. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('the HTTP front door', () => {
  it('logs one request line per answer with its id and status, never the headers, and not health checks', async () => {
    const { log, lines } = capturedLog();
    const url = await serve(true, log);
    await fetch(`${url}/healthz`);
    await fetch(`${url}/api/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abm_sf_0123456789abcdef.s3cret' },
      body: '{}',
    });
    const requests = lines.filter((line) => line.msg === 'request completed');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      req: { method: 'POST', url: '/api/v1/echo', id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('logs an unexpected error with the request id and answers without its detail', async () => {
    const { log, lines } = capturedLog();
    const url = await serve(true, log);
    const answer = await fetch(`${url}/api/v1/boom`, { headers: { 'x-request-id': 'trace-boom' } });
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain('secret detail');
    expect(lines.find((line) => line.msg === 'unhandled error')).toMatchObject({ reqId: 'trace-boom' });
  });

  it('answers health and readiness, and says not ready when the store is not', async () => {
    const url = await serve(false);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: 'not_ready' });
  });

  it('answers malformed JSON with 400 and an oversize body with 413, in the one error shape', async () => {
    const url = await serve();
    const malformed = await post(`${url}/api/v1/echo`, '{"oops":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: { code: 'invalid_request', message: 'The body is not valid JSON.' },
    });
    const huge = await post(`${url}/api/v1/echo`, JSON.stringify({ text: 'x'.repeat(5_000) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers an unknown route with 404 not_found, and an unexpected failure with 500 without its details', async () => {
    const url = await serve();
    const missing = await fetch(`${url}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const boom = await fetch(`${url}/api/v1/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).toContain('internal_error');
    expect(text).not.toContain('secret detail');
  });

  it('gives every response a request id, keeping a well-formed one the caller sent', async () => {
    const url = await serve();
    expect((await fetch(`${url}/healthz`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const traced = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(traced.headers.get('x-request-id')).toBe('trace-123');
  });

  it('exposes Prometheus metrics with request durations by route', async () => {
    const url = await serve();
    await post(`${url}/api/v1/echo`, '{"a":1}');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /abm_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/echo",status="200"\} 1/,
    );
  });
});
