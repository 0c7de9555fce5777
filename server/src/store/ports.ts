import type {
  AccountScore,
  Approval,
  AuditEntry,
  BuyingRole,
  DomainError,
  GovernanceConfig,
  Instant,
  Result,
  Role,
  SlaInstance,
  TierCounts,
  TierDrift,
  TierOrNone,
} from '@abm-pilot/shared';

import type { PullPage } from '../connectors/ports.ts';
import type {
  AbmAccountFields,
  AccountWrite,
  CrmAccount,
  CrmEngagement,
  CrmOwner,
  SyncCursor,
  SyncKind,
  TaskWrite,
  Tenant,
} from '../model.ts';

// The server's persistence port. Every method is asynchronous, so that a PostgreSQL store can replace the
// SQLite one without touching a use case, and every method but the tenant registry's takes the tenant
// first: no query runs without it, and a record of another tenant is indistinguishable from a missing one.
// Domain ids (`accountId` of audit entries, approvals and SLA instances) are account CRM ids.

// ---------------------------------------------------------------------------------------------------
// Tenants

export interface TenantRepository {
  upsertTenant(tenant: Tenant): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | null>;
  /** Every connected portal and org: the scheduler's list. */
  listTenants(): Promise<readonly Tenant[]>;
}

// ---------------------------------------------------------------------------------------------------
// Pulled records

export interface SavedPage {
  /** Records inserted or changed; re-reads of a version already held, and older versions, do not count. */
  readonly saved: number;
  /** Live accounts whose inputs changed (directly or through a contact, deal or engagement), now due for compute. */
  readonly affectedAccountCrmIds: readonly string[];
  /** Accounts deleted, or merged into another, by this page: nothing is computed for or written to them again. */
  readonly removedAccountCrmIds: readonly string[];
}

export interface SyncRepository {
  /**
   * One transaction: upserts the records (a version older than the one held is ignored, a deleted or merged
   * record comes back only with a newer version), marks `deletedCrmIds` deleted (rows kept for the audit),
   * applies merges (the merged-away accounts point at the survivor, their contacts, deals and engagements
   * move to it), marks the affected accounts due for compute, and advances the cursor of the page's kind
   * (never backwards). Either all of it is saved or none of it.
   */
  savePage(tenantId: string, page: PullPage, now: Instant): Promise<SavedPage>;
  cursor(tenantId: string, kind: SyncKind): Promise<SyncCursor | null>;
  /** Forgets the cursor of `kind`, so the next pull of it is a full one. */
  resetCursor(tenantId: string, kind: SyncKind): Promise<void>;
  /**
   * Live accounts whose stored picture changed since their last saved computation. Durable: an account
   * marked by `savePage` stays listed across a crash until `saveComputation` saves its result.
   */
  accountsToCompute(tenantId: string, limit: number): Promise<readonly string[]>;
  /** Marks accounts due for compute (all of the tenant's with `'all'`); returns how many were marked. */
  markForCompute(tenantId: string, accountCrmIds: readonly string[] | 'all'): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------
// Computing accounts

export interface DealSummary {
  readonly openCount: number;
  /** Sum of open deal amounts (missing amounts count 0). */
  readonly openAmount: number;
  readonly wonCount: number;
  readonly wonAmount: number;
  readonly lostCount: number;
  readonly lastWonAt: Instant | null;
}

export interface StoredScore extends AccountScore {
  readonly computedAt: Instant;
}

/** What ABM Pilot itself knows of an account, beside what the CRM says. */
export interface AccountState {
  /** Bumped whenever the stored picture of the account changes; a computation saves against it. */
  readonly revision: number;
  /** The revision the last saved computation was made from; `< revision` when due for compute. */
  readonly computedRevision: number;
  /** `null` until the first computation is saved. */
  readonly score: StoredScore | null;
  readonly recommendedTier: TierOrNone;
  readonly drift: TierDrift | null;
  /** The tier as ABM Pilot knows it (the last human decision); meaningful once `score` is set. */
  readonly assignedTier: TierOrNone;
  readonly tieredAt: Instant | null;
  readonly lastReviewedAt: Instant | null;
}

export interface AccountWriteBack {
  /** What the last computation wants in the CRM; `null` before the first. */
  readonly desired: AbmAccountFields | null;
  /** What was last written, field by field (a field never written is absent). */
  readonly written: Partial<AbmAccountFields>;
}

/** Everything computing one account needs, read in a few set-based queries. */
export interface AccountContext {
  readonly account: CrmAccount;
  readonly owner: CrmOwner | null;
  readonly contactCount: number;
  /** Distinct buying roles held by its live contacts, sorted. */
  readonly buyingRoles: readonly BuyingRole[];
  readonly deals: DealSummary;
  /** Live engagements that occurred at or after the `engagementsSince` asked, oldest first. */
  readonly engagements: readonly CrmEngagement[];
  readonly state: AccountState;
  /** All of its SLA instances, running and stopped (a replayed start must find a stopped one). */
  readonly slaInstances: readonly SlaInstance[];
  readonly pendingApproval: Approval | null;
  readonly writeBack: AccountWriteBack;
}

/** The result of computing one account, saved against the revision it was computed from. */
export interface AccountComputation {
  readonly accountCrmId: string;
  readonly basedOnRevision: number;
  readonly score: AccountScore;
  readonly computedAt: Instant;
  readonly recommendedTier: TierOrNone;
  readonly drift: TierDrift;
  readonly assignedTier: TierOrNone;
  readonly tieredAt: Instant | null;
  readonly lastReviewedAt: Instant | null;
  /** Replaces all of the account's SLA instances. */
  readonly slaInstances: readonly SlaInstance[];
  /** What the CRM should show; only the fields differing from the last write are sent. */
  readonly desiredFields: AbmAccountFields;
}

export interface ComputationBatch {
  readonly accounts: readonly AccountComputation[];
  /** Appended to the permanent audit log. */
  readonly audit: readonly AuditEntry[];
  /** Opened approvals (an id already stored is left as it is). */
  readonly approvals: readonly Approval[];
  /** Outbox tasks, upserted by key: see `OutboxRepository.enqueueTasks`. */
  readonly tasks: readonly TaskWrite[];
}

/** Accounts changed (synced, decided, removed) since their context was read: nothing of the batch was saved. */
export type StaleContext = DomainError<'stale_context'> & { readonly accountCrmIds: readonly string[] };

export interface ComputationRepository {
  /** Contexts of the live accounts among `accountCrmIds`, in the order asked; removed or unknown ones are left out. */
  loadAccountContexts(
    tenantId: string,
    accountCrmIds: readonly string[],
    engagementsSince: Instant,
  ): Promise<readonly AccountContext[]>;
  /** Live accounts per assigned tier, among those computed at least once. */
  tierCounts(tenantId: string): Promise<TierCounts>;
  /** One transaction for the whole batch, refused as a whole when any account's revision moved. */
  saveComputation(
    tenantId: string,
    batch: ComputationBatch,
  ): Promise<Result<{ saved: number }, StaleContext>>;
  /** Running SLA instances of live accounts, earliest due first: what the SLA sweep looks at. */
  openSlaInstances(tenantId: string): Promise<readonly SlaInstance[]>;
}

// ---------------------------------------------------------------------------------------------------
// Write-back and task outbox

/** A record the CRM refused after the connector's retries, as the connectors report it. */
export interface DeliveryFailure {
  /** Account CRM id, or task key. */
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface WriteBackRepository {
  /**
   * Live accounts with at least one field whose desired value differs from the last written one, with
   * only those fields; accounts that failed least often first.
   */
  pendingAccountWrites(tenantId: string, limit: number): Promise<readonly AccountWrite[]>;
  /** Records the values as written; a field changed since by a computation stays pending. */
  markAccountsWritten(tenantId: string, writes: readonly AccountWrite[]): Promise<void>;
  markAccountWritesFailed(tenantId: string, failures: readonly DeliveryFailure[]): Promise<void>;
}

export interface OutboxTask extends TaskWrite {
  /** The CRM's id once a version of the task was sent. */
  readonly crmTaskId: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface OutboxRepository {
  /**
   * Upserts tasks by (tenant, key): the same alert never makes two rows; a changed task (breach after
   * reminder, completed) is due to be sent again, an unchanged one is left as it is, sent or not.
   */
  enqueueTasks(tenantId: string, tasks: readonly TaskWrite[]): Promise<void>;
  /**
   * Tasks whose current version is not sent yet, fewest attempts first. Claims the versions returned, so
   * `markTasksSent` marks exactly those sent, and a task changed in between stays pending.
   */
  pendingTasks(tenantId: string, limit: number): Promise<readonly OutboxTask[]>;
  /** Task key → CRM task id, as `CrmConnector.upsertTasks` reports them saved. */
  markTasksSent(tenantId: string, sent: ReadonlyMap<string, string>): Promise<void>;
  markTasksFailed(tenantId: string, failures: readonly DeliveryFailure[]): Promise<void>;
  getTask(tenantId: string, key: string): Promise<OutboxTask | null>;
}

// ---------------------------------------------------------------------------------------------------
// Decisions: approvals and the audit log

export interface TierAssignment {
  readonly tier: TierOrNone;
  readonly at: Instant;
}

/** Effects a decision may carry on its account, saved in the same transaction as its audit entry. */
interface DecisionEffects {
  /** Sets the assigned tier (and tiered-at); the account then needs a compute to write it back. */
  readonly assignTier?: TierAssignment;
  /** Replaces the account's SLA instances (a clock started or stopped by the decision). */
  readonly slaInstances?: readonly SlaInstance[];
  readonly tasks?: readonly TaskWrite[];
}

/** A settled approval (`transitionApproval`'s result) to persist over its pending version. */
export interface ApprovalDecisionWrite extends DecisionEffects {
  readonly approval: Approval;
  readonly audit: AuditEntry;
}

/** A tier change routed by the API: applied, opened for approval, or rejected (audit only). */
export interface TierDecisionWrite extends DecisionEffects {
  readonly accountCrmId: string;
  /** The revision of the context the decision was routed on. */
  readonly basedOnRevision: number;
  readonly audit: AuditEntry;
  readonly openApproval?: Approval;
}

export type ApprovalWriteError = DomainError<'approval_not_found' | 'approval_not_pending'>;

export interface ApprovalRepository {
  /** Pending approvals, earliest due first; only those a `approverRole` may decide when given. */
  pendingApprovals(
    tenantId: string,
    filter?: { readonly approverRole?: Role; readonly limit?: number },
  ): Promise<readonly Approval[]>;
  getApproval(tenantId: string, approvalId: string): Promise<Approval | null>;
  /** Compare-and-set from `pending`: of two concurrent decisions one wins, the other gets `approval_not_pending`. */
  decideApproval(
    tenantId: string,
    decision: ApprovalDecisionWrite,
  ): Promise<Result<Approval, ApprovalWriteError>>;
  recordTierDecision(tenantId: string, decision: TierDecisionWrite): Promise<Result<void, StaleContext>>;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** Where the next page resumes: newest first, keyset on (at, id). */
export interface AuditCursor {
  readonly at: Instant;
  readonly id: number;
}

export interface AuditPageRequest {
  readonly limit: number;
  readonly before?: AuditCursor | null;
}

export interface AuditPage {
  readonly entries: readonly StoredAuditEntry[];
  /** `null` on the last page. */
  readonly next: AuditCursor | null;
}

export interface AuditRepository {
  accountAudit(tenantId: string, accountCrmId: string, page: AuditPageRequest): Promise<AuditPage>;
  tenantAudit(tenantId: string, page: AuditPageRequest): Promise<AuditPage>;
}

// ---------------------------------------------------------------------------------------------------
// Runs and leases

export type RunKind = 'sync' | 'sla';
/** `interrupted`: found still running when the next run of its tenant started (the process died). */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'interrupted';
export type RunCounts = Readonly<Record<string, number>>;

export interface SyncRun {
  readonly id: number;
  readonly kind: RunKind;
  readonly holder: string;
  readonly status: RunStatus;
  readonly startedAt: Instant;
  readonly updatedAt: Instant;
  readonly finishedAt: Instant | null;
  readonly counts: RunCounts;
  readonly error: string | null;
}

export interface RunEnd {
  readonly status: 'succeeded' | 'failed' | 'stopped';
  readonly finishedAt: Instant;
  readonly counts: RunCounts;
  readonly error: string | null;
}

export interface RunRepository {
  /**
   * Takes the tenant's lease for `ttlMs` when it is free, expired, or already `holder`'s (a renewal).
   * An expired lease is how a crashed holder's tenant becomes runnable again.
   */
  tryAcquireLease(tenantId: string, holder: string, ttlMs: number, now: Instant): Promise<boolean>;
  /** Releases the lease if `holder` still holds it; `false` if it had lost it. */
  releaseLease(tenantId: string, holder: string): Promise<boolean>;
  /** Call while holding the lease: runs of the tenant still `running` are marked `interrupted`. */
  startRun(tenantId: string, start: { kind: RunKind; holder: string; startedAt: Instant }): Promise<SyncRun>;
  recordRunProgress(tenantId: string, runId: number, counts: RunCounts, now: Instant): Promise<void>;
  finishRun(tenantId: string, runId: number, end: RunEnd): Promise<void>;
  /** Newest first. */
  recentRuns(tenantId: string, limit: number): Promise<readonly SyncRun[]>;
  /** The last run of `kind` that succeeded: the card's "last sync time". */
  lastSucceededRun(tenantId: string, kind: RunKind): Promise<SyncRun | null>;
}

// ---------------------------------------------------------------------------------------------------
// Governance config

export interface ConfigVersionInfo {
  readonly version: number;
  readonly savedAt: Instant;
  readonly savedBy: string | null;
}

export interface ConfigVersion extends ConfigVersionInfo {
  /** Its `version` is the stored version. */
  readonly config: GovernanceConfig;
}

export interface ConfigSave {
  /** The version the edit started from (`null` for a tenant's first config): a concurrent save is refused. */
  readonly basedOnVersion: number | null;
  readonly savedAt: Instant;
  readonly savedBy: string | null;
}

export type ConfigWriteError = DomainError<'config_version_conflict'>;

export interface ConfigRepository {
  /**
   * Stores `config` as the next version (older ones kept) and, in the same transaction, marks every
   * account due for compute, as scores and tiers depend on it.
   */
  saveGovernanceConfig(
    tenantId: string,
    config: GovernanceConfig,
    save: ConfigSave,
  ): Promise<Result<ConfigVersion, ConfigWriteError>>;
  currentGovernanceConfig(tenantId: string): Promise<ConfigVersion | null>;
  governanceConfigVersion(tenantId: string, version: number): Promise<ConfigVersion | null>;
  /** Newest first. */
  governanceConfigVersions(tenantId: string): Promise<readonly ConfigVersionInfo[]>;
}

// ---------------------------------------------------------------------------------------------------

export interface Store
  extends
    TenantRepository,
    SyncRepository,
    ComputationRepository,
    WriteBackRepository,
    OutboxRepository,
    ApprovalRepository,
    AuditRepository,
    RunRepository,
    ConfigRepository {
  close(): Promise<void>;
}
