import type { DomainError, Instant, Result, TierOrNone } from '@abm-pilot/shared';

import type { AccountWrite, RecordOfKind, SyncCursor, SyncKind, TaskWrite, Tenant } from '../model.ts';

/** One page of a pull, saved with its cursor in one transaction: the cursor never passes an unsaved record. */
export interface PullPage<K extends SyncKind = SyncKind> {
  readonly kind: K;
  readonly records: readonly RecordOfKind[K][];
  /** CRM ids deleted (archived) since the cursor; merged-away ids come through `mergedFromCrmIds`. */
  readonly deletedCrmIds: readonly string[];
  /** Resume point after this page. */
  readonly cursor: SyncCursor | null;
}

export type ConnectorErrorCode =
  | 'auth_failed'
  | 'missing_fields'
  | 'rate_limited'
  | 'api_budget_exhausted'
  | 'crm_unavailable'
  | 'invalid_request';

export type ConnectorError = DomainError<ConnectorErrorCode> & {
  /** For `missing_fields`: the fields the CRM lacks, by API name. */
  readonly missing?: readonly string[];
};

export interface PrepareReport {
  /** What the connector created on connect (HubSpot properties and group), by name. */
  readonly created: readonly string[];
}

export interface WriteOutcome {
  readonly written: readonly string[];
  /** Records still failing after the retries of retryable errors; the rest of the batch went through. */
  readonly failed: readonly { readonly id: string; readonly code: string; readonly message: string }[];
}

export interface TaskOutcome {
  /** Task key → CRM task id, for every task now in the CRM. */
  readonly saved: ReadonlyMap<string, string>;
  readonly failed: readonly { readonly id: string; readonly code: string; readonly message: string }[];
}

/**
 * The last change of an account's tier field as the CRM's field history tells it (HubSpot property history,
 * Salesforce AccountHistory on the tier field). `editorId` is the person who made it: a HubSpot login user
 * id (`login_user`, which the store maps to an owner) or a Salesforce User id (`owner`).
 */
export interface TierFieldChange {
  readonly accountCrmId: string;
  /** The value the change set, so a caller can tell whether it is the change it is looking at. */
  readonly value: TierOrNone;
  readonly at: Instant;
  readonly editorId: string | null;
  readonly editorKind: 'owner' | 'login_user';
}

export interface ApiUsage {
  readonly calls: number;
  readonly rateLimited: number;
  readonly retries: number;
  /** The CRM's daily API allowance left, as its last answer told (Salesforce's Sforce-Limit-Info); absent when unknown. */
  readonly dailyRemaining?: number;
}

/**
 * What the sync engine needs of a CRM. One instance per tenant: limits, tokens and retries are the
 * tenant's own, so one noisy portal never slows another.
 */
export interface CrmConnector {
  readonly tenant: Tenant;
  /** Creates what ABM Pilot needs in the CRM (HubSpot) or checks it exists (Salesforce). */
  prepare(): Promise<Result<PrepareReport, ConnectorError>>;
  /** Pages of records of `kind` modified at or after `since` (everything when null), oldest first. */
  pull<K extends SyncKind>(kind: K, since: SyncCursor | null): AsyncIterable<PullPage<K>>;
  /** Writes ABM fields in full batches; a partial failure retries only the failed records. */
  writeAccounts(writes: readonly AccountWrite[]): Promise<WriteOutcome>;
  /** Creates or updates tasks by key, associated to the account and assigned to the person. */
  upsertTasks(tasks: readonly TaskWrite[]): Promise<TaskOutcome>;
  /**
   * The latest change of the tier field of each account asked, where the CRM keeps its history; accounts
   * without history are left out. Best effort: a CRM that keeps no history (or refuses the read) gives an
   * empty map rather than failing the run, since the editor's name only enriches the audit.
   */
  tierFieldChanges(accountCrmIds: readonly string[]): Promise<ReadonlyMap<string, TierFieldChange>>;
  /** Calls made so far by this connector, for progress, budgets and benchmarks. */
  usage(): ApiUsage;
  /**
   * Marks the start of a sync run, for connectors whose budget is per run (Salesforce stops a run
   * before it spends more than a set share of the org's daily allocation). Optional.
   */
  beginRun?(): void;
}

/**
 * Thrown from `pull`, `writeAccounts` or `upsertTasks` when the CRM cannot be worked with for now (bad
 * credentials, budget spent, outage past the retries). The sync run stops cleanly on it: everything saved
 * so far stays saved and the cursors point just after it.
 */
export class ConnectorFailure extends Error {
  constructor(readonly failure: ConnectorError) {
    super(`${failure.code}: ${failure.message}`);
    this.name = 'ConnectorFailure';
  }
}
