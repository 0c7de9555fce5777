import { createHash, createHmac } from 'node:crypto';

import { z } from 'zod';

import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';

// Webhook delivery as HubSpot does it for a portal whose app has a target URL and a client secret:
// change events are batched (at most 100 per request), POSTed as a JSON array signed with
// X-HubSpot-Signature-v3, retried with growing delays when the target fails (any non-2xx, a
// connection error or a slow answer), and now and then delivered twice. Nothing runs on a timer here:
// `flushWebhooks` does one round, so tests drive delivery step by step.

export const WebhookSubscriptionSchema = z.strictObject({
  subscriptionType: z.string().regex(/^(company|contact|deal)\.(creation|deletion|propertyChange|merge)$/),
  /** For `propertyChange`: only this property; all properties when absent. */
  propertyName: z.string().min(1).optional(),
});

export const WebhookConfigSchema = z.strictObject({
  targetUrl: z.url(),
  clientSecret: z.string().min(1),
  appId: z.int().positive().default(1_160_452),
  /** Default: creation, deletion, merge and every property change of companies, contacts and deals. */
  subscriptions: z.array(WebhookSubscriptionSchema).min(1).optional(),
  maxBatchSize: z.int().min(1).max(100).default(100),
  /** HubSpot tries a batch up to 10 times. */
  maxAttempts: z.int().min(1).max(20).default(10),
  /** Delay before the first retry; each later retry waits twice as long as the one before. */
  retryBaseMs: z.int().min(0).default(60_000),
  /** HubSpot counts an answer slower than 5 s as a failure. */
  timeoutMs: z.int().positive().default(5_000),
  /** Share of successful deliveries sent a second time, as HubSpot's at-least-once delivery may. */
  duplicateShare: z.number().min(0).max(1).default(0),
});
export type WebhookConfigInput = z.input<typeof WebhookConfigSchema>;
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

export type ChangeKind = 'creation' | 'deletion' | 'propertyChange' | 'merge';

export interface ChangeEvent {
  readonly kind: ChangeKind;
  readonly objectType: ObjectType;
  readonly objectId: number;
  readonly occurredAt: number;
  readonly changeSource: string;
  readonly propertyName?: string;
  readonly propertyValue?: string;
  readonly primaryObjectId?: number;
  readonly mergedObjectIds?: readonly number[];
}

/** One event as it travels on the wire, before `attemptNumber` is stamped on it. */
export type WireEvent = Readonly<Record<string, string | number | readonly number[]>>;

interface Subscription {
  readonly id: number;
  readonly subscriptionType: string;
  readonly propertyName?: string;
}

interface PendingBatch {
  readonly events: readonly WireEvent[];
  /** Attempts already made. */
  attempts: number;
  nextAttemptAt: number;
}

export interface WebhookState {
  readonly config: WebhookConfig;
  readonly subscriptions: readonly Subscription[];
  nextEventId: number;
  unbatched: WireEvent[];
  readonly queue: PendingBatch[];
  random: () => number;
}

export interface WebhookDelivery {
  readonly deliveryId: number;
  readonly portalId: number;
  readonly targetUrl: string;
  readonly attemptNumber: number;
  readonly duplicate: boolean;
  readonly eventIds: readonly number[];
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly sentAt: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly outcome: 'delivered' | 'retry_scheduled' | 'abandoned' | 'duplicate';
}

export interface WebhookFlushReport {
  readonly delivered: number;
  readonly failed: number;
  readonly duplicates: number;
  /** Batches still waiting for a later retry. */
  readonly pending: number;
}

const DEFAULT_SUBSCRIPTIONS: readonly Subscription[] = ['company', 'contact', 'deal'].flatMap(
  (prefix, index) =>
    ['creation', 'deletion', 'merge', 'propertyChange'].map((kind, offset) => ({
      id: 1000 + index * 10 + offset,
      subscriptionType: `${prefix}.${kind}`,
    })),
);

/** mulberry32: deterministic duplicate picks for a given portal. */
const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const createWebhookState = (input: WebhookConfigInput, portalId: number): WebhookState => {
  const config = WebhookConfigSchema.parse(input);
  return {
    config,
    subscriptions: config.subscriptions
      ? config.subscriptions.map((subscription, index) => ({
          id: 2000 + index,
          subscriptionType: subscription.subscriptionType,
          ...(subscription.propertyName === undefined ? {} : { propertyName: subscription.propertyName }),
        }))
      : DEFAULT_SUBSCRIPTIONS,
    nextEventId: 1,
    unbatched: [],
    queue: [],
    random: seededRandom(portalId),
  };
};

/** Turns a change into the wire events of every subscription it matches. */
export const recordChange = (state: WebhookState, portalId: number, change: ChangeEvent): void => {
  const prefix = OBJECT_TYPE_INFO[change.objectType].webhookPrefix;
  if (prefix === null) return;
  const subscriptionType = `${prefix}.${change.kind}`;
  for (const subscription of state.subscriptions) {
    if (subscription.subscriptionType !== subscriptionType) continue;
    if (subscription.propertyName !== undefined && subscription.propertyName !== change.propertyName)
      continue;
    const event: Record<string, string | number | readonly number[]> = {
      eventId: state.nextEventId,
      subscriptionId: subscription.id,
      portalId,
      appId: state.config.appId,
      occurredAt: change.occurredAt,
      subscriptionType,
      objectId: change.objectId,
      changeSource: change.changeSource,
    };
    state.nextEventId += 1;
    if (change.propertyName !== undefined) event.propertyName = change.propertyName;
    if (change.propertyValue !== undefined) event.propertyValue = change.propertyValue;
    if (change.kind === 'creation') event.changeFlag = 'NEW';
    if (change.kind === 'deletion') event.changeFlag = 'DELETED';
    if (change.kind === 'merge') {
      event.primaryObjectId = change.primaryObjectId ?? change.objectId;
      event.mergedObjectIds = change.mergedObjectIds ?? [];
      event.newObjectId = change.primaryObjectId ?? change.objectId;
    }
    state.unbatched.push(event);
  }
};

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of method + URI + body + timestamp with the client secret. */
export const signatureV3 = (
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: number,
): string =>
  createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');

/** Legacy `X-HubSpot-Signature` (v1): hex SHA-256 of the client secret followed by the body. */
export const signatureV1 = (clientSecret: string, body: string): string =>
  createHash('sha256').update(`${clientSecret}${body}`, 'utf8').digest('hex');

export interface FlushContext {
  readonly portalId: number;
  readonly now: number;
  readonly fetch: typeof fetch;
  readonly nextDeliveryId: () => number;
  readonly log: (delivery: WebhookDelivery) => void;
}

const send = async (
  config: WebhookConfig,
  events: readonly WireEvent[],
  attemptNumber: number,
  context: FlushContext,
): Promise<{
  body: string;
  headers: Record<string, string>;
  status: number | null;
  error: string | null;
}> => {
  const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber })));
  // The receiver checks the signature against the URL it was called on, which fetch normalises
  // (`http://host:port` is requested as `http://host:port/`): sign that same form.
  const requestUri = new URL(config.targetUrl).href;
  const headers = {
    'Content-Type': 'application/json',
    'X-HubSpot-Request-Timestamp': String(context.now),
    'X-HubSpot-Signature-v3': signatureV3(config.clientSecret, 'POST', requestUri, body, context.now),
    'X-HubSpot-Signature': signatureV1(config.clientSecret, body),
    'X-HubSpot-Signature-Version': 'v1',
  };
  try {
    const response = await context.fetch(config.targetUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { body, headers, status: response.status, error: null };
  } catch (caught) {
    return { body, headers, status: null, error: caught instanceof Error ? caught.message : String(caught) };
  }
};

/**
 * One delivery round for a portal: packs new events into batches, then sends every batch that is due.
 * A failed batch is retried after `retryBaseMs × 2^(attempts − 1)` until `maxAttempts` is reached.
 */
export const flushPortalWebhooks = async (
  state: WebhookState,
  context: FlushContext,
): Promise<WebhookFlushReport> => {
  const { config } = state;
  for (let start = 0; start < state.unbatched.length; start += config.maxBatchSize) {
    state.queue.push({
      events: state.unbatched.slice(start, start + config.maxBatchSize),
      attempts: 0,
      nextAttemptAt: context.now,
    });
  }
  state.unbatched = [];
  let delivered = 0;
  let failed = 0;
  let duplicates = 0;
  const due = state.queue.filter((batch) => batch.nextAttemptAt <= context.now);
  for (const batch of due) {
    const attemptNumber = batch.attempts;
    const result = await send(config, batch.events, attemptNumber, context);
    batch.attempts += 1;
    const success = result.status !== null && result.status >= 200 && result.status < 300;
    const abandoned = !success && batch.attempts >= config.maxAttempts;
    const eventIds = batch.events.map((event) => Number(event.eventId));
    context.log({
      deliveryId: context.nextDeliveryId(),
      portalId: context.portalId,
      targetUrl: config.targetUrl,
      attemptNumber,
      duplicate: false,
      eventIds,
      body: result.body,
      headers: result.headers,
      sentAt: context.now,
      status: result.status,
      error: result.error,
      outcome: success ? 'delivered' : abandoned ? 'abandoned' : 'retry_scheduled',
    });
    if (success || abandoned) state.queue.splice(state.queue.indexOf(batch), 1);
    if (success) {
      delivered += 1;
      if (config.duplicateShare > 0 && state.random() < config.duplicateShare) {
        const again = await send(config, batch.events, attemptNumber, context);
        duplicates += 1;
        context.log({
          deliveryId: context.nextDeliveryId(),
          portalId: context.portalId,
          targetUrl: config.targetUrl,
          attemptNumber,
          duplicate: true,
          eventIds,
          body: again.body,
          headers: again.headers,
          sentAt: context.now,
          status: again.status,
          error: again.error,
          outcome: 'duplicate',
        });
      }
    } else {
      failed += 1;
      batch.nextAttemptAt = context.now + config.retryBaseMs * 2 ** (batch.attempts - 1);
    }
  }
  return { delivered, failed, duplicates, pending: state.queue.length };
};
