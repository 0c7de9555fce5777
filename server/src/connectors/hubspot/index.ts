export { createHubSpotConnector, DEFAULT_OVERLAP_MS, DEFAULT_REFRESH_BEFORE_EXPIRY_MS } from './connector.ts';
export type { HubSpotConnectorOptions } from './connector.ts';
export type { HubSpotAuth } from './auth.ts';
export { DEFAULT_LIMITS, DEFAULT_RETRY } from './http.ts';
export type { HubSpotLimits } from './http.ts';
export type { HubSpotRetryPolicy } from '../retry.ts';
export { ABM_GROUP, ALERT_KEY_PROPERTY } from './mapping.ts';
