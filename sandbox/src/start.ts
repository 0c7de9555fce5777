import type { RunningHubSpotEmulator } from './hubspot/index.ts';
import { DEFAULT_OAUTH_APP, DEFAULT_PORTAL_ID, startHubSpotEmulator } from './hubspot/index.ts';
import type { StartedSalesforceEmulator } from './salesforce/index.ts';
import { startSalesforceEmulator } from './salesforce/index.ts';
import { createSeedDataset } from './seed/index.ts';

// One call that brings up the sandbox as a user, a test or the demo wants it: either or both emulators,
// listening on 127.0.0.1, loaded with the same seeded business, and the credentials to reach them.

export type SandboxCrm = 'hubspot' | 'salesforce';

export interface SandboxOptions {
  readonly crms: readonly SandboxCrm[];
  readonly accounts: number;
  readonly seed: number;
  readonly referenceDate: string;
  /** 0 picks a free port. */
  readonly hubspotPort?: number;
  readonly salesforcePort?: number;
  /** Deliver HubSpot webhooks on a timer (the demo); tests flush them by hand. */
  readonly webhookIntervalMs?: number;
  /**
   * The emulators' clock (epoch ms): record stamps, field history, token expiry, rate windows. A demo on a
   * simulated clock passes the one ABM Pilot runs on, so timestamps and sync cursors agree. Default: now.
   */
  readonly now?: () => number;
}

export interface HubSpotSandboxInfo {
  readonly url: string;
  readonly portalId: number;
  readonly privateAppToken: string;
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
  readonly companies: number;
}

export interface SalesforceSandboxInfo {
  readonly url: string;
  readonly orgId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly accounts: number;
}

export interface RunningSandbox {
  readonly hubspot: (HubSpotSandboxInfo & { readonly emulator: RunningHubSpotEmulator }) | null;
  readonly salesforce: (SalesforceSandboxInfo & { readonly emulator: StartedSalesforceEmulator }) | null;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const dataset = createSeedDataset({
    seed: options.seed,
    accounts: options.accounts,
    referenceDate: options.referenceDate,
  });
  const started: { close(): Promise<void> }[] = [];
  try {
    let hubspot: RunningSandbox['hubspot'] = null;
    if (options.crms.includes('hubspot')) {
      const running = await startHubSpotEmulator({
        port: options.hubspotPort ?? 0,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.webhookIntervalMs === undefined ? {} : { webhookIntervalMs: options.webhookIntervalMs }),
      });
      started.push(running);
      const report = running.emulator.loadSeed(DEFAULT_PORTAL_ID, dataset);
      hubspot = {
        url: running.url,
        portalId: DEFAULT_PORTAL_ID,
        privateAppToken: running.emulator.privateAppToken(DEFAULT_PORTAL_ID) ?? '',
        oauthClientId: DEFAULT_OAUTH_APP.clientId,
        oauthClientSecret: DEFAULT_OAUTH_APP.clientSecret,
        companies: report.companies,
        emulator: running,
      };
    }
    let salesforce: RunningSandbox['salesforce'] = null;
    if (options.crms.includes('salesforce')) {
      const running = await startSalesforceEmulator({
        port: options.salesforcePort ?? 0,
        ...(options.now === undefined ? {} : { clock: options.now }),
      });
      started.push(running);
      const report = running.loadSeed(dataset);
      salesforce = {
        url: running.url,
        orgId: running.org.orgId,
        clientId: running.org.clientId,
        clientSecret: running.org.clientSecret,
        refreshToken: running.org.refreshToken,
        accounts: report.counts.Account,
        emulator: running,
      };
    }
    return {
      hubspot,
      salesforce,
      close: async () => {
        await Promise.all(started.map((emulator) => emulator.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((emulator) => emulator.close()));
    throw error;
  }
}
