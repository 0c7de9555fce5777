import { z } from 'zod';

import { COMMON_ERRORS, defineContract } from './contract.ts';

// "Sync this record now" hints from the CRMs. Each is persisted before the 2xx and deduplicated; the
// sync engine does the rest on its own schedule.

/**
 * One HubSpot webhook event as HubSpot posts it (a batch is a JSON array of these). Loose on purpose: HubSpot
 * adds fields over time (`sourceId`, `isSensitive`...), and refusing a delivery for an unknown field would
 * make HubSpot retry it for a day and then drop it. The fields the server reads are checked.
 */
export const HubSpotWebhookEventSchema = z.looseObject({
  /** Not unique on its own: dedupe on (subscriptionId, eventId, occurredAt, objectId). */
  eventId: z.int().nonnegative(),
  subscriptionId: z.int().nonnegative().optional(),
  portalId: z.int().positive(),
  appId: z.int().nonnegative().optional(),
  /** Epoch milliseconds, as HubSpot sends them. */
  occurredAt: z.int().nonnegative(),
  /** `company.propertyChange`, `deal.creation`, or `object.propertyChange` with `objectTypeId`. */
  subscriptionType: z.string().min(1).max(100),
  attemptNumber: z.int().nonnegative().optional(),
  objectId: z.int().nonnegative(),
  objectTypeId: z.string().max(20).optional(),
  changeSource: z.string().max(100).optional(),
  changeFlag: z.string().max(50).optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().optional(),
  /** Merge events. */
  primaryObjectId: z.int().nonnegative().optional(),
  mergedObjectIds: z.array(z.int().nonnegative()).optional(),
  newObjectId: z.int().nonnegative().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEventSchema>;

export const HubSpotWebhookBodySchema = z.array(HubSpotWebhookEventSchema).min(1).max(1000);
export type HubSpotWebhookBody = z.infer<typeof HubSpotWebhookBodySchema>;

export const WebhookAckSchema = z.strictObject({
  received: z.int().nonnegative(),
  /** Already received before (a retried or duplicated delivery): not hinted again. */
  duplicates: z.int().nonnegative(),
});
export type WebhookAck = z.infer<typeof WebhookAckSchema>;

export const hubspotWebhookContract = defineContract({
  method: 'POST',
  path: '/api/v1/webhooks/hubspot',
  summary: 'HubSpot webhook batch (X-HubSpot-Signature-v3), turned into sync hints',
  auth: 'webhook',
  body: HubSpotWebhookBodySchema,
  response: WebhookAckSchema,
  errors: [...COMMON_ERRORS.webhook, ...COMMON_ERRORS.body],
});

export const SalesforceObjectSchema = z.enum(['Account', 'Contact', 'Opportunity', 'User', 'Task', 'Event']);
export type SalesforceObject = z.infer<typeof SalesforceObjectSchema>;

export const SalesforceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, 'expected a 15 or 18 character Salesforce id');

/** Hints a record-triggered Flow posts through its HTTP callout, authenticated by the org's key. */
export const SalesforceWebhookBodySchema = z.strictObject({
  records: z
    .array(z.strictObject({ sobject: SalesforceObjectSchema, id: SalesforceIdSchema }))
    .min(1)
    .max(200),
});
export type SalesforceWebhookBody = z.infer<typeof SalesforceWebhookBodySchema>;

export const salesforceWebhookContract = defineContract({
  method: 'POST',
  path: '/api/v1/webhooks/salesforce',
  summary: 'Salesforce Flow callout with records to sync now',
  auth: 'webhook',
  body: SalesforceWebhookBodySchema,
  response: WebhookAckSchema,
  errors: [...COMMON_ERRORS.webhook, ...COMMON_ERRORS.body],
});
