import type { HubSpotWebhookEvent, SalesforceObject } from '@abm-pilot/shared';
import { hubspotWebhookContract, salesforceWebhookContract } from '@abm-pilot/shared';
import type { Router } from 'express';

import type { SyncKind } from '../../model.ts';
import { tenantIdOf } from '../../model.ts';
import type { WebhookEvent } from '../../store/ports.ts';
import { bindRoute, failure, success } from '../bind.ts';
import type { ApiDeps } from './index.ts';

// Webhooks only say "this record changed": the route stores the events (deduplicated) and their sync hints
// in one transaction before answering, and never calls the CRM, so HubSpot gets its 200 in milliseconds and
// the sync engine pulls the records on its own schedule.

/** HubSpot's object type ids (`object.*` subscriptions) of the records a sync pulls. */
const HUBSPOT_OBJECT_TYPE_IDS: Readonly<Record<string, SyncKind>> = {
  '0-1': 'contacts',
  '0-2': 'accounts',
  '0-3': 'deals',
  '0-27': 'engagements',
  '0-46': 'engagements',
  '0-47': 'engagements',
  '0-48': 'engagements',
  '0-49': 'engagements',
};

/** The object named before the dot of a classic subscription type (`company.propertyChange`). */
const HUBSPOT_SUBSCRIPTION_OBJECTS: Readonly<Record<string, SyncKind>> = {
  company: 'accounts',
  contact: 'contacts',
  deal: 'deals',
};

const SALESFORCE_KINDS: Readonly<Record<SalesforceObject, SyncKind>> = {
  Account: 'accounts',
  Contact: 'contacts',
  Opportunity: 'deals',
  User: 'owners',
  Task: 'engagements',
  Event: 'engagements',
};

export function registerWebhookRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, hubspotWebhookContract, deps, async ({ body, caller, now }) => {
    if (caller.via !== 'hubspot')
      return failure('unauthorized', 'HubSpot webhooks must be signed by HubSpot.');
    // One app delivers for every portal that installed it: each event is filed under its own portal, and
    // events of a portal not connected here are dropped (acknowledged, so HubSpot does not retry them).
    const byPortal = new Map<number, WebhookEvent[]>();
    for (const event of body) {
      const kind = hubspotKindOf(event);
      if (kind === null) continue;
      const events = byPortal.get(event.portalId) ?? [];
      events.push(...hubspotEventsOf(event, kind));
      byPortal.set(event.portalId, events);
    }
    let received = 0;
    let duplicates = 0;
    for (const [portalId, events] of byPortal) {
      const tenant = await deps.store.getTenant(tenantIdOf('hubspot', String(portalId)));
      if (tenant === null) continue;
      const recorded = await deps.store.recordWebhookEvents(tenant.id, events, now);
      received += recorded.recorded;
      duplicates += recorded.duplicates;
    }
    return success({ received, duplicates });
  });

  bindRoute(router, salesforceWebhookContract, deps, async ({ body, caller, now }) => {
    if (caller.via !== 'salesforce' || caller.tenant === null) {
      return failure('unauthorized', 'Salesforce hints must carry the org API key.');
    }
    // A Flow callout has no event id: the record and the instant stand for one, so a batch naming a record
    // twice hints it once.
    const events = body.records.map(
      (record): WebhookEvent => ({
        eventId: `sf:${record.sobject}:${record.id}:${now}`,
        objectType: SALESFORCE_KINDS[record.sobject],
        objectId: record.id,
        occurredAt: now,
      }),
    );
    const recorded = await deps.store.recordWebhookEvents(caller.tenant.id, events, now);
    return success({ received: recorded.recorded, duplicates: recorded.duplicates });
  });
}

function hubspotKindOf(event: HubSpotWebhookEvent): SyncKind | null {
  const [object] = event.subscriptionType.split('.');
  if (object === 'object') return HUBSPOT_OBJECT_TYPE_IDS[event.objectTypeId ?? ''] ?? null;
  return HUBSPOT_SUBSCRIPTION_OBJECTS[object ?? ''] ?? null;
}

/**
 * HubSpot's `eventId` alone is not unique: it is made so with its subscription, time and object. A merge
 * also hints the surviving record, which the sync must pull to learn of the merge.
 */
function hubspotEventsOf(event: HubSpotWebhookEvent, objectType: SyncKind): WebhookEvent[] {
  const eventId = `hs:${event.subscriptionId ?? 0}:${event.eventId}:${event.occurredAt}:${event.objectId}`;
  const of = (objectId: number, suffix: string): WebhookEvent => ({
    eventId: `${eventId}${suffix}`,
    objectType,
    objectId: String(objectId),
    occurredAt: event.occurredAt,
  });
  const survivor = event.primaryObjectId ?? event.newObjectId;
  return survivor === undefined || survivor === event.objectId
    ? [of(event.objectId, '')]
    : [of(event.objectId, ''), of(survivor, ':survivor')];
}
