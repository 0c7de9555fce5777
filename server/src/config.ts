import { readFileSync } from 'node:fs';

import { DEFAULT_LOCALE, LocaleSchema } from '@abm-pilot/shared';
import { z } from 'zod';

// The server's settings, parsed once at start-up from the environment (and the connections file it
// names); anything missing or invalid stops the process with every problem named. Nothing else in the
// server reads `process.env`.

const HubSpotConnectionSchema = z.strictObject({
  crm: z.literal('hubspot'),
  portalId: z.string().regex(/^\d+$/, 'a HubSpot portal id is numeric'),
  name: z.string().min(1),
  baseUrl: z.url().default('https://api.hubapi.com'),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('private_app'), token: z.string().min(10) }),
    z.strictObject({
      kind: z.literal('oauth'),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      refreshToken: z.string().min(1),
    }),
  ]),
  limits: z.strictObject({ tenSecondly: z.int().positive(), searchPerSecond: z.int().positive() }).optional(),
  /** What ABM Pilot writes in the portal (tier reasons, tasks): HubSpot does not tell a user's language. */
  language: LocaleSchema.default(DEFAULT_LOCALE),
});

const SalesforceConnectionSchema = z.strictObject({
  crm: z.literal('salesforce'),
  orgId: z.string().regex(/^00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/, 'a Salesforce org id starts with 00D'),
  name: z.string().min(1),
  loginUrl: z.url(),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('client_credentials'),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
    }),
    z.strictObject({
      kind: z.literal('refresh_token'),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      refreshToken: z.string().min(1),
    }),
  ]),
  /** Share of the org's remaining daily API budget one sync run may use. */
  budgetShare: z.number().gt(0).max(1).default(0.5),
  /** What ABM Pilot writes in the org (tier reasons, tasks to users whose language Salesforce does not give). */
  language: LocaleSchema.default(DEFAULT_LOCALE),
});

export const ConnectionSchema = z.discriminatedUnion('crm', [
  HubSpotConnectionSchema,
  SalesforceConnectionSchema,
]);
export type Connection = z.infer<typeof ConnectionSchema>;
export type HubSpotConnection = z.infer<typeof HubSpotConnectionSchema>;
export type SalesforceConnection = z.infer<typeof SalesforceConnectionSchema>;

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  ABM_DB_PATH: z.string().min(1).default('./data/abm-pilot.db'),
  ABM_CONNECTIONS_FILE: z.string().min(1, 'name the JSON file that lists the CRM connections'),
  ABM_SYNC_INTERVAL_SECONDS: seconds(300),
  ABM_SLA_SWEEP_INTERVAL_SECONDS: seconds(60),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The origin HubSpot and Salesforce call; HubSpot signs the full URL, so it must be exact. */
  PUBLIC_URL: z.url().optional(),
  /** The HubSpot app's client secret, which signs card calls and webhooks; without it signed calls are refused. */
  HUBSPOT_APP_CLIENT_SECRET: z.string().min(8).optional(),
});

export interface ServerConfig {
  readonly dbPath: string;
  readonly connections: readonly Connection[];
  readonly syncIntervalMs: number;
  readonly slaSweepIntervalMs: number;
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly hubspotApp: { readonly clientSecret: string; readonly publicUrl: string } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment and the connections file; throws one ConfigError naming every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const vars = parsed.data;
  if (vars.HUBSPOT_APP_CLIENT_SECRET && !vars.PUBLIC_URL) {
    // Fail here: a signature can only be checked against the exact public URL HubSpot called.
    throw new ConfigError(['PUBLIC_URL: required when HUBSPOT_APP_CLIENT_SECRET is set']);
  }
  return Object.freeze({
    dbPath: vars.ABM_DB_PATH,
    connections: readConnections(vars.ABM_CONNECTIONS_FILE),
    syncIntervalMs: vars.ABM_SYNC_INTERVAL_SECONDS * 1000,
    slaSweepIntervalMs: vars.ABM_SLA_SWEEP_INTERVAL_SECONDS * 1000,
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    hubspotApp:
      vars.HUBSPOT_APP_CLIENT_SECRET && vars.PUBLIC_URL
        ? { clientSecret: vars.HUBSPOT_APP_CLIENT_SECRET, publicUrl: vars.PUBLIC_URL }
        : null,
  });
}

const StoreEnvSchema = z.object({ ABM_DB_PATH: EnvSchema.shape.ABM_DB_PATH });

/** What the operator's commands need of the environment: where the store is. */
export function loadStoreSettings(env: Readonly<Record<string, string | undefined>>): {
  readonly dbPath: string;
} {
  const parsed = StoreEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return { dbPath: parsed.data.ABM_DB_PATH };
}

function readConnections(path: string): Connection[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`ABM_CONNECTIONS_FILE: cannot read ${path}: ${(error as Error).message}`]);
  }
  const parsed = z.array(ConnectionSchema).min(1, 'list at least one connection').safeParse(raw);
  // Issue paths only: the messages of a connection file must never echo the secrets it holds.
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${path}: ${['connections', ...i.path].join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}
