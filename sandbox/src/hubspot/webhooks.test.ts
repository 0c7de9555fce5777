import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testKit.ts';
import { manualClock, seed, startTestEmulator } from './testKit.ts';

// Webhook delivery to a real receiver on 127.0.0.1: batching, v3 signatures (checked with the SDK's own
// validator), retries with backoff, duplicates. `flushWebhooks` drives each round; no timer runs.

const PORTAL = 7001;
const SECRET = 'sandbox-webhook-secret';

interface Received {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const received: Received[] = [];
let answers: number[] = [];
let receiver: Server;
let targetUrl: string;
// Signatures carry the clock's instant and the SDK rejects ones older than five minutes: start at now.
const clock = manualClock(Date.now());
let hs: TestEmulator;

const events = (delivery: Received) => JSON.parse(delivery.body) as Array<Record<string, unknown>>;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hubspot/webhooks`;
  hs = await startTestEmulator({
    now: clock.now,
    portals: [{ portalId: PORTAL, limits: { tenSecondly: 100_000 } }],
  });
});

beforeEach(() => {
  hs.emulator.reset();
  hs.emulator.loadSeed(PORTAL, seed(100), { contacts: false, deals: false, engagements: false });
  hs.emulator.configureWebhooks(PORTAL, {
    targetUrl,
    clientSecret: SECRET,
    retryBaseMs: 60_000,
    maxAttempts: 3,
  });
  received.length = 0;
  answers = [];
});

afterAll(async () => {
  await hs.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const companyIds = () =>
  [...hs.emulator.portal(PORTAL).data.tables.companies.liveRecords()].map((record) => String(record.id));

describe('webhook delivery', () => {
  it('sends nothing for a seed load, then one signed batch of property changes on flush', async () => {
    expect((await hs.emulator.flushWebhooks()).delivered).toBe(0);
    const id = companyIds()[0]!;
    await hs
      .client()
      .crm.companies.basicApi.update(id, { properties: { hs_ideal_customer_profile: 'tier_1' } });
    const report = await hs.emulator.flushWebhooks();
    expect(report).toEqual({ delivered: 1, failed: 0, duplicates: 0, pending: 0 });
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    const batch = events(delivery);
    expect(batch).toContainEqual(
      expect.objectContaining({
        subscriptionType: 'company.propertyChange',
        portalId: PORTAL,
        objectId: Number(id),
        propertyName: 'hs_ideal_customer_profile',
        propertyValue: 'tier_1',
        changeSource: 'API',
        attemptNumber: 0,
      }),
    );
    const timestamp = Number(delivery.headers['x-hubspot-request-timestamp']);
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(delivery.headers['x-hubspot-signature-v3']),
        clientSecret: SECRET,
        requestBody: delivery.body,
        url: targetUrl,
        method: 'POST',
        timestamp,
      }),
    ).toBe(true);
    expect(
      Signature.isValid({
        signatureVersion: 'v1',
        signature: String(delivery.headers['x-hubspot-signature']),
        clientSecret: SECRET,
        requestBody: delivery.body,
      }),
    ).toBe(true);
  });

  it('signs a target URL without a path for the URL the receiver is called on, with its slash', async () => {
    const origin = new URL(targetUrl).origin;
    hs.emulator.configureWebhooks(PORTAL, { targetUrl: origin, clientSecret: SECRET });
    await hs.client().crm.companies.basicApi.update(companyIds()[0]!, { properties: { description: 'z' } });
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ delivered: 1 });
    const delivery = received[0]!;
    expect(delivery.url).toBe('/');
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(delivery.headers['x-hubspot-signature-v3']),
        clientSecret: SECRET,
        requestBody: delivery.body,
        url: `http://${String(delivery.headers.host)}${delivery.url}`,
        method: 'POST',
        timestamp: Number(delivery.headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
  });

  it('reports creations and deletions', async () => {
    const created = await hs
      .client()
      .crm.companies.basicApi.create({ properties: { name: 'New co' }, associations: [] });
    await hs.client().crm.companies.basicApi.archive(created.id);
    await hs.emulator.flushWebhooks();
    const types = received.flatMap(events).map((event) => event.subscriptionType);
    expect(types).toEqual(expect.arrayContaining(['company.creation', 'company.deletion']));
  });

  it('packs at most 100 events into one request', async () => {
    const inputs = companyIds().map((id) => ({ id, properties: { description: `changed ${id}` } }));
    await hs.client().crm.companies.batchApi.update({ inputs: inputs.slice(0, 100) });
    await hs.client().crm.companies.batchApi.update({
      inputs: inputs.slice(0, 100).map((input) => ({ ...input, properties: { description: 'again' } })),
    });
    await hs.client().crm.companies.basicApi.update(inputs[0]!.id, { properties: { description: 'third' } });
    await hs.emulator.flushWebhooks();
    expect(received.map((delivery) => events(delivery).length)).toEqual([100, 100, 1]);
    const ids = received.flatMap(events).map((event) => event.eventId);
    expect(new Set(ids).size).toBe(201);
  });

  it('retries a failed batch after the backoff delay, with the attempt number raised', async () => {
    answers = [500];
    await hs.client().crm.companies.basicApi.update(companyIds()[0]!, { properties: { description: 'x' } });
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ delivered: 0, failed: 1, pending: 1 });
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ delivered: 0, failed: 0, pending: 1 });
    clock.advance(60_000);
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ delivered: 1, pending: 0 });
    expect(received.map((delivery) => events(delivery)[0]!.attemptNumber)).toEqual([0, 1]);
    expect(events(received[0]!)[0]!.eventId).toBe(events(received[1]!)[0]!.eventId);
  });

  it('gives a batch up after the last attempt and records every attempt', async () => {
    answers = [503, 503, 503];
    await hs.client().crm.companies.basicApi.update(companyIds()[0]!, { properties: { description: 'y' } });
    await hs.emulator.flushWebhooks();
    clock.advance(60_000);
    await hs.emulator.flushWebhooks();
    clock.advance(120_000);
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ failed: 1, pending: 0 });
    const response = await fetch(`${hs.url}/__sandbox/webhooks/deliveries?portalId=${PORTAL}`);
    const { deliveries } = (await response.json()) as {
      deliveries: Array<{ outcome: string; status: number }>;
    };
    expect(deliveries.map((delivery) => delivery.outcome)).toEqual([
      'retry_scheduled',
      'retry_scheduled',
      'abandoned',
    ]);
  });

  it('delivers a batch twice when told to duplicate every delivery', async () => {
    hs.emulator.configureWebhooks(PORTAL, { targetUrl, clientSecret: SECRET, duplicateShare: 1 });
    await hs.client().crm.companies.basicApi.update(companyIds()[0]!, { properties: { description: 'dup' } });
    expect(await hs.emulator.flushWebhooks()).toMatchObject({ delivered: 1, duplicates: 1 });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
  });

  it('sends only the subscribed property, and marks edits made in HubSpot as CRM_UI', async () => {
    hs.emulator.configureWebhooks(PORTAL, {
      targetUrl,
      clientSecret: SECRET,
      subscriptions: [
        { subscriptionType: 'company.propertyChange', propertyName: 'hs_ideal_customer_profile' },
      ],
    });
    const id = companyIds()[0]!;
    await hs.client().crm.companies.basicApi.update(id, { properties: { description: 'ignored' } });
    const edit = await fetch(`${hs.url}/__sandbox/portals/${PORTAL}/objects/companies/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: { hs_ideal_customer_profile: 'tier_2' } }),
    });
    expect(edit.status).toBe(200);
    await hs.emulator.flushWebhooks();
    expect(received.flatMap(events)).toEqual([
      expect.objectContaining({
        propertyName: 'hs_ideal_customer_profile',
        propertyValue: 'tier_2',
        changeSource: 'CRM_UI',
      }),
    ]);
  });
});
