export { DEFAULT_PORTAL_ID, createHubSpotEmulator, startHubSpotEmulator } from './emulator.ts';
export type {
  EmulatorState,
  HubSpotEmulator,
  HubSpotEmulatorOptions,
  PortalConfig,
  RunningHubSpotEmulator,
  StartHubSpotEmulatorOptions,
} from './emulator.ts';
export { DEFAULT_ACCESS_TOKEN_LIFETIME_S, DEFAULT_OAUTH_APP, defaultPrivateAppToken } from './auth.ts';
export type { OAuthApp } from './auth.ts';
export { DEFAULT_RATE_LIMITS } from './rateLimits.ts';
export type { RateLimits } from './rateLimits.ts';
export { SEARCH_LIMITS } from './search.ts';
export type { SearchLimits } from './search.ts';
export type { SeedLoadOptions, SeedLoadReport } from './seedLoader.ts';
export { signatureV1, signatureV3 } from './webhooks.ts';
export type { WebhookConfigInput, WebhookDelivery, WebhookFlushReport } from './webhooks.ts';
export { OBJECT_TYPES } from './objectTypes.ts';
export type { ObjectType } from './objectTypes.ts';
