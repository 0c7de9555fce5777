import type { Instant } from '@abm-pilot/shared';

import type {
  HubSpotEmulator,
  PortalConfig,
  RunningHubSpotEmulator,
} from '../../../../sandbox/src/hubspot/index.ts';
import { startHubSpotEmulator } from '../../../../sandbox/src/hubspot/index.ts';
import type { SeedDataset } from '../../../../sandbox/src/seed/index.ts';
import { createSeedDataset } from '../../../../sandbox/src/seed/index.ts';
import type { RecordOfKind, SyncCursor, SyncKind, Tenant } from '../../model.ts';
import { tenantIdOf } from '../../model.ts';
import type { CrmConnector, PullPage } from '../ports.ts';
import type { HubSpotConnectorOptions } from './connector.ts';
import { createHubSpotConnector } from './connector.ts';

// Test support for the HubSpot connector: the sandbox emulator on 127.0.0.1 port 0 with a hand-moved
// clock shared by emulator and connector, a fetch that records every request, and small helpers.

export const REFERENCE_DATE = '2026-01-05T00:00:00.000Z';
/** High enough that no test meets the emulator's limits unless it sets them. */
export const UNLIMITED = { tenSecondly: 1_000_000, searchPerSecond: 1_000_000, daily: 100_000_000 };

export interface ManualClock {
  readonly now: () => Instant;
  advance(ms: number): void;
}

export const manualClock = (start = Date.parse('2026-01-05T09:00:00.000Z')): ManualClock => {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
};

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly body: unknown;
  status: number | null;
  responseBody: unknown;
}

export interface RecordingFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Called after each response has been read, e.g. to change data in the middle of a pull. */
  onResponse: ((request: RecordedRequest) => void) | null;
}

export const recordingFetch = (): RecordingFetch => {
  const recorder: RecordingFetch = {
    requests: [],
    onResponse: null,
    fetch: async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const bodyText = typeof init?.body === 'string' ? init.body : null;
      const entry: RecordedRequest = {
        method: init?.method ?? 'GET',
        path: url.pathname,
        search: url.search,
        body: bodyText !== null && bodyText.startsWith('{') ? (JSON.parse(bodyText) as unknown) : bodyText,
        status: null,
        responseBody: null,
      };
      recorder.requests.push(entry);
      const response = await fetch(input, init);
      entry.status = response.status;
      const text = await response.clone().text();
      try {
        entry.responseBody = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        entry.responseBody = text;
      }
      recorder.onResponse?.(entry);
      return response;
    },
  };
  return recorder;
};

export interface TestPortal {
  readonly running: RunningHubSpotEmulator;
  readonly emulator: HubSpotEmulator;
  readonly url: string;
  readonly clock: ManualClock;
  readonly portalId: number;
  readonly token: string;
  readonly tenant: Tenant;
  connector(overrides?: Partial<HubSpotConnectorOptions>): CrmConnector;
  /** A raw call to the emulator with this portal's token, as a user of HubSpot's API would make it. */
  api(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<Response>;
  close(): Promise<void>;
}

export const hubspotTenant = (portalId: number): Tenant => ({
  id: tenantIdOf('hubspot', String(portalId)),
  crm: 'hubspot',
  externalId: String(portalId),
  name: `Portal ${portalId}`,
  language: 'en',
});

export interface StartOptions {
  readonly portals?: readonly PortalConfig[];
  readonly accessTokenLifetimeS?: number;
  readonly clock?: ManualClock | null;
}

export const startPortal = async (options: StartOptions = {}): Promise<TestPortal> => {
  const portals = options.portals ?? [{ portalId: 4_242_001, limits: UNLIMITED }];
  const clock = options.clock === undefined ? manualClock() : options.clock;
  const running = await startHubSpotEmulator({
    port: 0,
    host: '127.0.0.1',
    portals,
    ...(clock === null ? {} : { now: clock.now }),
    ...(options.accessTokenLifetimeS === undefined
      ? {}
      : { accessTokenLifetimeS: options.accessTokenLifetimeS }),
  });
  const portalId = portals[0]!.portalId;
  const token = running.emulator.privateAppToken(portalId);
  if (token === undefined) throw new Error('the first test portal needs a private-app token');
  const realClock: ManualClock = { now: Date.now, advance: () => undefined };
  return {
    running,
    emulator: running.emulator,
    url: running.url,
    clock: clock ?? realClock,
    portalId,
    token,
    tenant: hubspotTenant(portalId),
    connector: (overrides = {}) =>
      createHubSpotConnector({
        tenant: hubspotTenant(portalId),
        baseUrl: running.url,
        auth: { kind: 'private_app', token },
        limits: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
        clock: (clock ?? realClock).now,
        random: () => 0.5,
        // On a hand-moved clock nothing is waited for; on the real one, waits are real.
        ...(clock === null ? {} : { sleep: () => Promise.resolve() }),
        ...overrides,
      }),
    api: (path, init = {}) =>
      fetch(`${running.url}${path}`, {
        method: init.method ?? 'GET',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${init.token ?? token}` },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
    close: () => running.close(),
  };
};

export const seedDataset = (accounts: number, seed = 7): SeedDataset =>
  createSeedDataset({ seed, accounts, referenceDate: REFERENCE_DATE });

export interface Pulled<K extends SyncKind> {
  readonly pages: PullPage<K>[];
  readonly records: RecordOfKind[K][];
  readonly deleted: string[];
  readonly cursor: SyncCursor | null;
}

/** Drains a pull; `cursor` is the last page's, as the sync engine would have saved it. */
export const drain = async <K extends SyncKind>(
  connector: CrmConnector,
  kind: K,
  since: SyncCursor | null,
): Promise<Pulled<K>> => {
  const pages: PullPage<K>[] = [];
  for await (const page of connector.pull(kind, since)) pages.push(page);
  return {
    pages,
    records: pages.flatMap((page) => page.records),
    deleted: pages.flatMap((page) => page.deletedCrmIds),
    cursor: pages.at(-1)?.cursor ?? since,
  };
};

export const pageCalls = (count: number, pageSize: number): number =>
  Math.max(1, Math.ceil(count / pageSize));
