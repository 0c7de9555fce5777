import { readFileSync } from 'node:fs';

import { DEFAULT_LOCALE, LocaleSchema } from '@abm-pilot/shared';
import { z } from 'zod';

import type { SecretKeys } from './secrets.ts';
import { parseSecretKey } from './secrets.ts';

// The server's settings, parsed once at start-up from the environment (and the connections file it
// names, if any: its connections are imported into the store at start); anything missing or invalid stops
// the process with every problem named. Nothing else in the server reads `process.env`.

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

/** An optional setting: an empty value (`KEY=` in an env file) is no value. */
const optionalText = () => z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  ABM_DB_PATH: z.string().min(1).default('./data/abm-pilot.db'),
  /** Optional: a JSON list of connections imported into the store at start (idempotent). */
  ABM_CONNECTIONS_FILE: optionalText(),
  /** Base64 of 32 random bytes: seals the CRM secrets the store holds. */
  ABM_SECRET_KEY: optionalText(),
  /** The key before the last rotation: what it sealed stays readable until `connection rekey`. */
  ABM_SECRET_KEY_PREVIOUS: optionalText(),
  ABM_SYNC_INTERVAL_SECONDS: seconds(300),
  ABM_SLA_SWEEP_INTERVAL_SECONDS: seconds(60),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The origin HubSpot and Salesforce call; HubSpot signs the full URL, so it must be exact. */
  PUBLIC_URL: z.url().optional(),
  /** The HubSpot app's client secret, which signs card calls and webhooks; without it signed calls are refused. */
  HUBSPOT_APP_CLIENT_SECRET: z.string().min(8).optional(),
  /** The HubSpot app's client id: with it (and the secret), portals install ABM Pilot by OAuth. */
  HUBSPOT_APP_CLIENT_ID: optionalText(),
  HUBSPOT_APP_SCOPES: z
    .string()
    .default(
      'oauth crm.objects.companies.read crm.objects.companies.write crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.owners.read crm.schemas.companies.read crm.schemas.companies.write',
    ),
  /** Where a portal's admin approves the install; HubSpot's, or the emulator's. */
  HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
  /** HubSpot's API (token exchange and the installed portal's data); HubSpot's, or the emulator's. */
  HUBSPOT_API_BASE_URL: z.url().default('https://api.hubapi.com'),
  /** The Salesforce connected app (or external client app): with both, orgs connect by the web server flow. */
  SALESFORCE_APP_CLIENT_ID: optionalText(),
  SALESFORCE_APP_CLIENT_SECRET: optionalText(),
  /** Where an org's admin signs in to approve: production's, test.salesforce.com for sandboxes, or the emulator. */
  SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
});

/** What connecting a Salesforce org by the web server flow needs; the redirect is PUBLIC_URL + /oauth/salesforce/callback. */
export interface SalesforceConnectSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly loginUrl: string;
  readonly redirectUri: string;
}

/** What a HubSpot OAuth install needs; the redirect is PUBLIC_URL + /oauth/hubspot/callback. */
export interface HubSpotInstallSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly redirectUri: string;
  readonly authorizeUrl: string;
  readonly apiBaseUrl: string;
}

export interface ServerConfig {
  readonly dbPath: string;
  /** The connections file's, imported into the store at start; the server then runs from the store's. */
  readonly connections: readonly Connection[];
  /** `null` when ABM_SECRET_KEY is not set: the store then refuses to seal or open CRM secrets. */
  readonly secretKeys: SecretKeys | null;
  readonly syncIntervalMs: number;
  readonly slaSweepIntervalMs: number;
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly hubspotApp: { readonly clientSecret: string; readonly publicUrl: string } | null;
  /** Set with HUBSPOT_APP_CLIENT_ID: /oauth/hubspot/install and its callback answer. */
  readonly hubspotInstall?: HubSpotInstallSettings | null;
  /** Set with SALESFORCE_APP_CLIENT_ID: /oauth/salesforce/connect and its callback answer. */
  readonly salesforceConnect?: SalesforceConnectSettings | null;
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
  if (Boolean(vars.SALESFORCE_APP_CLIENT_ID) !== Boolean(vars.SALESFORCE_APP_CLIENT_SECRET)) {
    throw new ConfigError(['SALESFORCE_APP_CLIENT_ID, SALESFORCE_APP_CLIENT_SECRET: set both or neither']);
  }
  if (vars.SALESFORCE_APP_CLIENT_ID && !vars.PUBLIC_URL) {
    throw new ConfigError([
      'PUBLIC_URL: required when SALESFORCE_APP_CLIENT_ID is set (the callback address)',
    ]);
  }
  if (vars.HUBSPOT_APP_CLIENT_ID && !vars.HUBSPOT_APP_CLIENT_SECRET) {
    throw new ConfigError(['HUBSPOT_APP_CLIENT_SECRET: required when HUBSPOT_APP_CLIENT_ID is set']);
  }
  if (vars.HUBSPOT_APP_CLIENT_SECRET && !vars.PUBLIC_URL) {
    // Fail here: a signature can only be checked against the exact public URL HubSpot called.
    throw new ConfigError(['PUBLIC_URL: required when HUBSPOT_APP_CLIENT_SECRET is set']);
  }
  const secretKeys = readSecretKeys(vars.ABM_SECRET_KEY, vars.ABM_SECRET_KEY_PREVIOUS);
  const connections =
    vars.ABM_CONNECTIONS_FILE === undefined ? [] : readConnections(vars.ABM_CONNECTIONS_FILE);
  if (connections.length > 0 && secretKeys === null) {
    throw new ConfigError([
      'ABM_SECRET_KEY: required to import ABM_CONNECTIONS_FILE (its secrets are stored sealed)',
    ]);
  }
  return Object.freeze({
    dbPath: vars.ABM_DB_PATH,
    connections,
    secretKeys,
    syncIntervalMs: vars.ABM_SYNC_INTERVAL_SECONDS * 1000,
    slaSweepIntervalMs: vars.ABM_SLA_SWEEP_INTERVAL_SECONDS * 1000,
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    hubspotApp:
      vars.HUBSPOT_APP_CLIENT_SECRET && vars.PUBLIC_URL
        ? { clientSecret: vars.HUBSPOT_APP_CLIENT_SECRET, publicUrl: vars.PUBLIC_URL }
        : null,
    hubspotInstall:
      vars.HUBSPOT_APP_CLIENT_ID && vars.HUBSPOT_APP_CLIENT_SECRET && vars.PUBLIC_URL
        ? {
            clientId: vars.HUBSPOT_APP_CLIENT_ID,
            clientSecret: vars.HUBSPOT_APP_CLIENT_SECRET,
            scopes: vars.HUBSPOT_APP_SCOPES.split(/\s+/).filter(Boolean),
            redirectUri: new URL('/oauth/hubspot/callback', vars.PUBLIC_URL).toString(),
            authorizeUrl: vars.HUBSPOT_AUTHORIZE_URL,
            apiBaseUrl: vars.HUBSPOT_API_BASE_URL,
          }
        : null,
    salesforceConnect:
      vars.SALESFORCE_APP_CLIENT_ID && vars.SALESFORCE_APP_CLIENT_SECRET && vars.PUBLIC_URL
        ? {
            clientId: vars.SALESFORCE_APP_CLIENT_ID,
            clientSecret: vars.SALESFORCE_APP_CLIENT_SECRET,
            loginUrl: vars.SALESFORCE_LOGIN_URL,
            redirectUri: new URL('/oauth/salesforce/callback', vars.PUBLIC_URL).toString(),
          }
        : null,
  });
}

function readSecretKeys(current: string | undefined, previous: string | undefined): SecretKeys | null {
  if (current === undefined) {
    if (previous !== undefined)
      throw new ConfigError(['ABM_SECRET_KEY: required with ABM_SECRET_KEY_PREVIOUS']);
    return null;
  }
  const parsedCurrent = parseSecretKey(current);
  const parsedPrevious = previous === undefined ? null : parseSecretKey(previous);
  const problems = [
    typeof parsedCurrent === 'string' ? `ABM_SECRET_KEY: ${parsedCurrent}` : null,
    typeof parsedPrevious === 'string' ? `ABM_SECRET_KEY_PREVIOUS: ${parsedPrevious}` : null,
  ].filter((problem) => problem !== null);
  if (typeof parsedCurrent === 'string' || typeof parsedPrevious === 'string')
    throw new ConfigError(problems);
  return { current: parsedCurrent, previous: parsedPrevious };
}

function readConnections(path: string): Connection[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // JSON.parse quotes the text around a syntax error, which may be a token: say only that it is not JSON.
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
    throw new ConfigError([`ABM_CONNECTIONS_FILE: cannot read ${path}: ${reason}`]);
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
