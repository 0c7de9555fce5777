import type {
  AccountScore,
  Actor,
  Approval,
  Handover,
  MarketingDelivery,
  AuditEntry,
  BuyingRole,
  DomainError,
  GovernanceConfig,
  HandoverDecision,
  Instant,
  MetricsAccount,
  MetricsApproval,
  MetricsCostLine,
  MetricsDeal,
  MetricsFirstTouch,
  MetricsSlaOutcome,
  MetricsTierChange,
  Result,
  Role,
  SlaInstance,
  Tier,
  TierCounts,
  TierDrift,
  TierLedger,
  TierOrNone,
} from '@abm-pilot/shared';
import { DAY_MS, HOUR_MS } from '@abm-pilot/shared';

import type { Connection } from '../config.ts';
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
// Connections: how ABM Pilot reaches each tenant's CRM. Their secrets (the `auth` of a connection) are
// sealed at rest under ABM_SECRET_KEY; the methods that seal or open them throw a `SecretError`
// (`secret_key_missing`, `secret_key_unknown`) when the key to do so is not set.

/** What may be shown of a connection: never its secrets. */
export interface ConnectionInfo {
  readonly tenantId: string;
  readonly crm: Tenant['crm'];
  readonly name: string;
  readonly authKind: Connection['auth']['kind'];
  /** The key its secrets are sealed under; `null` once they are deleted (a disabled connection). */
  readonly keyId: string | null;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  /** Set when the CRM refused its tokens (the app was uninstalled): no run starts for it. */
  readonly disabledAt: Instant | null;
}

/** An enabled connection, its secrets opened. */
export interface StoredConnection {
  readonly info: ConnectionInfo;
  readonly connection: Connection;
}

export type ConnectionWriteMode = 'add' | 'upsert';

export interface ConnectionRepository {
  /**
   * Adds the connection and its tenant in one transaction (`add`: refused when the tenant has one
   * already), or replaces it (`upsert`, enabling it again). An upsert of what is stored already changes
   * nothing, so importing the same file at every start is free.
   */
  saveConnection(
    connection: Connection,
    mode: ConnectionWriteMode,
    now: Instant,
  ): Promise<Result<ConnectionInfo, { readonly code: 'duplicate_connection' }>>;
  listConnections(): Promise<readonly ConnectionInfo[]>;
  /** The enabled connections, secrets opened: what the server runs. */
  loadConnections(): Promise<readonly StoredConnection[]>;
  /** Grows with every change to any connection: a cheap check of whether to load them again. */
  connectionsVersion(): Promise<number>;
  /** `false` when the tenant has no connection. The tenant's data stays. */
  removeConnection(tenantId: string): Promise<boolean>;
  /** Disables the connection and deletes its secrets at once; `false` when it has none or is disabled. */
  disableConnection(tenantId: string, now: Instant): Promise<boolean>;
  /** Seals again under the current key every secret sealed under another; returns how many. */
  rekeyConnections(now: Instant): Promise<number>;

  /**
   * Deletes every row of a tenant whose connection is disabled or removed, the tenant last, in one
   * transaction: `connected` (nothing deleted) while its connection is enabled.
   */
  purgeTenant(tenantId: string): Promise<'purged' | 'unknown' | 'connected'>;

  /** Remembers the `state` of an install started now, until `expiresAt`. */
  saveOAuthState(state: string, expiresAt: Instant): Promise<void>;
  /** Uses up a state once: `unknown` when never issued or used already, `expired` when too old. */
  consumeOAuthState(state: string, now: Instant): Promise<'valid' | 'unknown' | 'expired'>;
  /** Records who installed the app in the tenant's portal (a HubSpot user id): they may claim the Chief. */
  recordInstaller(tenantId: string, hubspotUserId: string): Promise<void>;
  /**
   * Uses the tenant's one bootstrap claim if `hubspotUserId` installed the app, the claim is unused and
   * nobody holds the Chief ABM Officer role; `true` when the caller is now to be made Chief.
   */
  useChiefClaim(tenantId: string, hubspotUserId: string, now: Instant): Promise<boolean>;
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
  /** Tiers the CRM may still show without anyone having edited it there (see `TierLedger`). */
  readonly tierLedger: TierLedger;
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
  readonly tierLedger: TierLedger;
  /**
   * Field values the CRM was seen holding (an edit made there): they replace what ABM Pilot last wrote, so
   * the write-back sends a governed value over them.
   */
  readonly crmShows: Partial<AbmAccountFields>;
}

export interface ComputationBatch {
  readonly accounts: readonly AccountComputation[];
  /** Appended to the permanent audit log. */
  readonly audit: readonly AuditEntry[];
  /** Opened approvals (an id already stored is left as it is). */
  readonly approvals: readonly Approval[];
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
  /** Names of the accounts among `crmIds` (removed ones included), by id, for the texts of tasks. */
  accountNames(tenantId: string, crmIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
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
  pendingAccountWrites(
    tenantId: string,
    limit: number,
    /** Only these accounts (a decision's), when given. */
    accountCrmIds?: readonly string[],
  ): Promise<readonly AccountWrite[]>;
  /**
   * Call just before sending `writes`: until `markAccountsWritten`, the CRM holds either the old or the new
   * value of their fields, so they are no longer known as written and stay pending. A write the CRM applied
   * but whose answer was lost (the process killed, a run ended on a timeout) is then sent again, instead
   * of the old value being taken for what the CRM shows.
   */
  markAccountWritesInFlight(tenantId: string, writes: readonly AccountWrite[]): Promise<void>;
  /** Records the values as written; a field changed since by a computation stays pending. */
  markAccountsWritten(tenantId: string, writes: readonly AccountWrite[]): Promise<void>;
  markAccountWritesFailed(tenantId: string, failures: readonly DeliveryFailure[]): Promise<void>;
}

export interface OutboxTask extends TaskWrite {
  /** The CRM's id once a version of the task was sent. */
  readonly crmTaskId: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** When the task was first enqueued; `null` for tasks older than the record of it. */
  readonly openedAt: Instant | null;
}

export interface OutboxRepository {
  /**
   * Upserts tasks by (tenant, key): the same alert never makes two rows; a changed task (breach after
   * reminder, completed) is due to be sent again, an unchanged one is left as it is, sent or not. A new
   * one records `openedAt`.
   */
  enqueueTasks(tenantId: string, tasks: readonly TaskWrite[], openedAt: Instant): Promise<void>;
  /**
   * The SLA alert and digest tasks (keys `task:…`, `digest:…`) that are open, or were opened at or after
   * `openedSince` (open or completed since): what the alert step reconciles and caps against.
   */
  slaTasks(tenantId: string, openedSince: Instant): Promise<readonly OutboxTask[]>;
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

/**
 * A rule checked when the decision takes effect, in its transaction: `tier` must hold at most `limit` live
 * accounts once this one is in it. Concurrent decisions cannot then overfill a tier between their routing
 * and their commit.
 */
export interface SeatGuard {
  readonly tier: Tier;
  readonly limit: number;
}

/** The tier's seats went meanwhile: nothing was saved; `counts` are the tenant's tiers now, to route again. */
export type SeatsTaken = DomainError<'seats_taken'> & { readonly counts: TierCounts };

/** Effects a decision may carry on its account, saved in the same transaction as its audit entry. */
interface DecisionEffects {
  /**
   * Sets the assigned tier (and tiered-at), the CRM value to write (an outbox entry, sent by the write-back)
   * and the tier ledger; the account is also marked for a compute.
   */
  readonly assignTier?: TierAssignment;
  readonly seatGuard?: SeatGuard;
  /** Replaces the account's SLA instances (a clock started or stopped by the decision). */
  readonly slaInstances?: readonly SlaInstance[];
}

/** A settled approval (`transitionApproval`'s result) to persist over its pending version. */
export interface ApprovalDecisionWrite extends DecisionEffects {
  readonly approval: Approval;
  readonly audit: AuditEntry;
  /** The revision of the account context the effects were computed on; unchecked when absent. */
  readonly basedOnRevision?: number;
}

/** A tier change routed by the API: applied, opened for approval, or rejected (audit only). */
export interface TierDecisionWrite extends DecisionEffects {
  readonly accountCrmId: string;
  /** The revision of the context the decision was routed on. */
  readonly basedOnRevision: number;
  readonly audit: AuditEntry;
  readonly openApproval?: Approval;
  /** Remembers the API's answer in the same transaction: a retry under the key replays it, deciding nothing. */
  readonly idempotency?: IdempotencyWrite;
}

/** `replayed`: the key had been used by the same request, whose first answer is returned and nothing saved. */
export interface DecisionRecorded {
  readonly replayed: RememberedResponse | null;
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
  ): Promise<Result<Approval, ApprovalWriteError | StaleContext | SeatsTaken>>;
  /**
   * One transaction. With `idempotency`, the key is looked at first: a replay of the same request returns
   * the remembered answer even though the account has moved since (the first decision moved it), another
   * request under the key is `idempotency_key_reused`; either way nothing is saved.
   */
  recordTierDecision(
    tenantId: string,
    decision: TierDecisionWrite,
  ): Promise<Result<DecisionRecorded, StaleContext | IdempotencyKeyReused | SeatsTaken>>;
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
  /** Entries of these actions are left out (a client of an earlier API revision cannot read them). */
  readonly withoutActions?: readonly AuditEntry['action'][];
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
// Credentials: Salesforce API keys and admin tokens

/** Admin tokens: `viewer` reads, `admin` also changes the config, roles, ledger and triggers syncs. */
export type AdminRole = 'admin' | 'viewer';

/** What a credential lets its bearer do: call the API as a Salesforce org, or administer a tenant. */
export type CredentialGrant =
  | { readonly kind: 'salesforce_api_key' }
  | { readonly kind: 'admin_token'; readonly role: AdminRole };
export type CredentialKind = CredentialGrant['kind'];

/**
 * How long a replaced credential keeps working after its successor is issued: long enough for an org admin
 * to update the Named Credential over a weekend or a holiday; `revokeCredential` ends it at once.
 */
export const DEFAULT_ROTATION_GRACE_MS = 7 * DAY_MS;

export interface CredentialInfo {
  /** The key's public part (`abm_sf_…`, `abm_adm_…`): safe to log, list and revoke by. */
  readonly id: string;
  readonly grant: CredentialGrant;
  readonly label: string | null;
  readonly createdAt: Instant;
  /** Set when a newer credential replaced it: it stops working at that instant. */
  readonly expiresAt: Instant | null;
  readonly revokedAt: Instant | null;
}

export interface IssuedCredential extends CredentialInfo {
  /** The whole key, returned this once: only a hash of its secret part is stored. */
  readonly plaintext: string;
}

export interface CredentialIssue {
  readonly grant: CredentialGrant;
  readonly now: Instant;
  readonly label?: string | null;
  /**
   * Default `true`: the tenant's other live credentials of the same grant (kind and role) stop working
   * `graceMs` from now (sooner if they were due to already). `false` adds a credential beside them.
   */
  readonly rotate?: boolean;
  /** Default `DEFAULT_ROTATION_GRACE_MS`; 0 ends the replaced ones now. */
  readonly graceMs?: number;
}

export interface ResolvedCredential {
  readonly tenantId: string;
  readonly credentialId: string;
  readonly grant: CredentialGrant;
  /** When a rotated key stops working; `null` while it is the current one. */
  readonly expiresAt: Instant | null;
}

export interface CredentialRepository {
  issueCredential(tenantId: string, issue: CredentialIssue): Promise<IssuedCredential>;
  /** `false` when the tenant has no such credential, or it was revoked already. */
  revokeCredential(tenantId: string, credentialId: string, now: Instant): Promise<boolean>;
  /** Newest first, revoked and expired ones included; no secret, no hash. */
  listCredentials(tenantId: string): Promise<readonly CredentialInfo[]>;
  /**
   * The tenant of a presented key, looked up across tenants since the key is what identifies the tenant.
   * `null` for a malformed, unknown, revoked or expired key, or a key of another kind than `kind`.
   */
  resolveCredential(
    kind: CredentialKind,
    presented: string,
    now: Instant,
  ): Promise<ResolvedCredential | null>;
}

// ---------------------------------------------------------------------------------------------------
// Idempotency keys

/** How long a key is remembered: HubSpot retries within minutes, and clients are told 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * HOUR_MS;

export interface IdempotentResponse {
  readonly status: number;
  /** JSON-serialisable. */
  readonly body: unknown;
}

export interface RememberedResponse {
  readonly key: string;
  readonly fingerprint: string;
  readonly response: IdempotentResponse;
  readonly storedAt: Instant;
}

export interface IdempotencyWrite {
  readonly key: string;
  /** Identifies the request (e.g. a hash of route, actor and body): the same key with another one is a conflict. */
  readonly fingerprint: string;
  readonly response: IdempotentResponse;
  readonly now: Instant;
}

export type IdempotencyKeyReused = DomainError<'idempotency_key_reused'> & { readonly key: string };

export interface IdempotencyRepository {
  /**
   * Remembers the first answer under a tenant's key and returns the answer to send: this one, or the one
   * remembered for the same fingerprint within `IDEMPOTENCY_TTL_MS` (first answer wins). An expired key
   * is free again.
   */
  rememberResponse(
    tenantId: string,
    key: string,
    requestFingerprint: string,
    response: IdempotentResponse,
    now: Instant,
  ): Promise<Result<RememberedResponse, IdempotencyKeyReused>>;
  /** The answer remembered under the key, `null` when none or expired at `now`. */
  recallResponse(tenantId: string, key: string, now: Instant): Promise<RememberedResponse | null>;
  /** Deletes the keys expired at `now`; returns how many. */
  purgeIdempotencyKeys(tenantId: string, now: Instant): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------
// Governance roles of CRM users, and the synced users themselves

/** A CRM user as names and languages are looked up. */
export interface Person {
  readonly name: string;
  /** As the CRM holds it; `null` where it does not say. */
  readonly locale: string | null;
}

export interface UserRoles {
  readonly crmUserId: string;
  /** Sorted in vocabulary order, without repeats. */
  readonly roles: readonly Role[];
}

export interface RoleMapping {
  /** Users holding at least one role, by user id. */
  readonly users: readonly UserRoles[];
  /** `null` while never set. */
  readonly updatedAt: Instant | null;
  readonly updatedBy: string | null;
}

export interface RoleRepository {
  /** Replaces the tenant's whole mapping in one transaction; a user listed without roles has none. */
  replaceUserRoles(
    tenantId: string,
    assignments: readonly UserRoles[],
    change: { readonly at: Instant; readonly by: string | null },
  ): Promise<RoleMapping>;
  userRoles(tenantId: string): Promise<RoleMapping>;
  rolesOf(tenantId: string, crmUserId: string): Promise<readonly Role[]>;
  /** CRM user ids holding `role`, sorted: who may decide an approval. */
  usersWithRole(tenantId: string, role: Role): Promise<readonly string[]>;
  /** A synced CRM user, `null` when unknown or deleted in the CRM (an `active: false` one is returned). */
  getOwner(tenantId: string, crmId: string): Promise<CrmOwner | null>;
  /** The synced, not deleted owner who signs in as `loginUserId` (HubSpot); `null` when none does. */
  ownerOfLoginUser(tenantId: string, loginUserId: string): Promise<CrmOwner | null>;
  /** Synced users not deleted in the CRM, by id. */
  listOwners(tenantId: string): Promise<readonly CrmOwner[]>;
  /**
   * The synced users among `crmIds` by id, with their name and language (deleted ones included: the audit
   * and the tasks outlive them).
   */
  people(tenantId: string, crmIds: readonly string[]): Promise<ReadonlyMap<string, Person>>;
}

// ---------------------------------------------------------------------------------------------------
// Cost ledger

export interface CostLineEntry extends MetricsCostLine {
  readonly note?: string;
}

export interface StoredCostLine extends CostLineEntry {
  readonly id: number;
  readonly enteredAt: Instant;
  readonly enteredBy: string | null;
}

/** Ledger months `YYYY-MM`, both inclusive; an absent bound is open. */
export interface CostLineRange {
  readonly from?: string;
  readonly to?: string;
}

export interface CostLedgerEntry {
  readonly at: Instant;
  readonly by: string | null;
  /**
   * `append` (default) adds the lines beside those already booked; `replace` makes each line supersede the
   * tenant's current lines of its month and category (kept in the table, no longer listed or counted).
   */
  readonly mode?: 'append' | 'replace';
}

export interface CostLedgerRepository {
  /** One transaction, in the order given. A month not spelled `YYYY-MM` throws (the API validates first). */
  appendCostLines(
    tenantId: string,
    lines: readonly CostLineEntry[],
    entry: CostLedgerEntry,
  ): Promise<readonly StoredCostLine[]>;
  /** Current lines (not superseded), by month, category, then entry order. */
  costLines(tenantId: string, range?: CostLineRange): Promise<readonly StoredCostLine[]>;
}

// ---------------------------------------------------------------------------------------------------
// Webhook inbox and "sync this record now" hints

export interface WebhookEvent {
  /** The CRM's event id: a redelivered event carries the same one. */
  readonly eventId: string;
  readonly objectType: SyncKind;
  readonly objectId: string;
  readonly occurredAt: Instant;
}

export interface RecordedWebhookEvents {
  readonly recorded: number;
  /** Events whose id was seen before (or twice in the batch): nothing done for them. */
  readonly duplicates: number;
}

export interface SyncHint {
  readonly kind: SyncKind;
  readonly crmId: string;
  /** The latest `occurredAt` of the events behind the hint. */
  readonly lastOccurredAt: Instant;
  /** When the hint became pending (received after its last `markHintsDone`); more events keep its place. */
  readonly pendingSince: Instant;
}

export type SyncHintRef = Pick<SyncHint, 'kind' | 'crmId'>;

export interface WebhookRepository {
  /**
   * One transaction, committed before the caller answers 200: new event ids are stored, and each new event
   * makes its record's hint pending (events on the same record collapse into one hint).
   */
  recordWebhookEvents(
    tenantId: string,
    events: readonly WebhookEvent[],
    receivedAt: Instant,
  ): Promise<RecordedWebhookEvents>;
  /**
   * Pending hints, longest pending first. Claims the versions returned, so `markHintsDone` settles exactly
   * those, and a record hinted again meanwhile stays pending; unsettled hints are taken again next time.
   */
  takeSyncHints(tenantId: string, limit: number): Promise<readonly SyncHint[]>;
  markHintsDone(tenantId: string, hints: readonly SyncHintRef[]): Promise<void>;
  /** Forgets event ids received before `receivedBefore` (past the CRM's redelivery horizon); returns how many. */
  purgeWebhookEvents(tenantId: string, receivedBefore: Instant): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------
// Handover feedback

export interface HandoverFeedback {
  readonly accountCrmId: string;
  readonly decision: HandoverDecision;
  readonly reasonCode: string;
  readonly at: Instant;
  readonly actor: Actor;
}

export interface StoredHandoverFeedback extends HandoverFeedback {
  readonly id: number;
}

export interface HandoverFeedbackWrite {
  readonly feedback: HandoverFeedback;
  /** The revision of the context the feedback was applied to. */
  readonly basedOnRevision: number;
  /** The account's SLA instances with the feedback applied (`applySlaEvent`): its sales_feedback clock stopped. */
  readonly slaInstances?: readonly SlaInstance[];
  readonly idempotency?: IdempotencyWrite;
}

export interface HandoverFeedbackQuery {
  readonly accountCrmId?: string;
  /** Inclusive. */
  readonly from?: Instant;
  /** Exclusive. */
  readonly to?: Instant;
}

/** An account handed over to sales from the card: the clocks it starts, checked and replayed like a decision. */
export interface HandoverWrite {
  readonly accountCrmId: string;
  /** The revision of the context the clocks were started on. */
  readonly basedOnRevision: number;
  /** The account's SLA instances with the handover's clocks started. */
  readonly slaInstances: readonly SlaInstance[];
  readonly idempotency: IdempotencyWrite;
}

export interface HandoverFeedbackRepository {
  recordHandover(
    tenantId: string,
    write: HandoverWrite,
  ): Promise<Result<DecisionRecorded, StaleContext | IdempotencyKeyReused>>;
  /** One transaction, checked and replayed like `recordTierDecision`. */
  recordHandoverFeedback(
    tenantId: string,
    write: HandoverFeedbackWrite,
  ): Promise<Result<DecisionRecorded, StaleContext | IdempotencyKeyReused>>;
  /** Oldest first: the marketing-delivery SLA reads a period, the card an account's latest. */
  handoverFeedback(
    tenantId: string,
    query?: HandoverFeedbackQuery,
  ): Promise<readonly StoredHandoverFeedback[]>;
}

// ---------------------------------------------------------------------------------------------------
// Portfolio reviews

export interface ReviewWrite {
  readonly accountCrmId: string;
  /** The revision of the context the review was recorded on: its audit entry describes that account. */
  readonly basedOnRevision: number;
  /** Becomes the account's last review, from which its next one falls due. */
  readonly reviewedAt: Instant;
  readonly audit: AuditEntry;
  readonly idempotency: IdempotencyWrite;
}

export interface ReviewRepository {
  /**
   * One transaction, checked and replayed like `recordTierDecision`: the account's last review and the
   * review's audit entry; the account is marked for compute, as its stored picture changed.
   */
  recordReview(
    tenantId: string,
    write: ReviewWrite,
  ): Promise<Result<DecisionRecorded, StaleContext | IdempotencyKeyReused>>;
}

// ---------------------------------------------------------------------------------------------------
// Marketing delivery

/** A closed month of the marketing_delivery SLA, as measured when it closed. */
export interface DeliveryMonthRecord {
  /** `YYYY-MM` in the tenant's zone. */
  readonly month: string;
  /** The handovers counted are those started in [periodStart, periodEnd). */
  readonly periodStart: Instant;
  readonly periodEnd: Instant;
  readonly delivery: MarketingDelivery;
  readonly minAcceptanceRate: number;
  /** Some tier delivered too few MQAs, or sales accepted too few of them. */
  readonly missed: boolean;
  /** The governance config version whose commitments applied. */
  readonly configVersion: number;
  readonly recordedAt: Instant;
}

export interface MarketingDeliveryRepository {
  /** Handovers (sales_feedback clocks) started in [from, to), with sales' answer where given; oldest first. */
  handoversStarted(tenantId: string, from: Instant, to: Instant): Promise<readonly Handover[]>;
  /** Since when the tenant's marketing delivery is watched: the first call sets it to `now`, later ones keep it. */
  watchMarketingDelivery(tenantId: string, now: Instant): Promise<Instant>;
  /** `null` until `watchMarketingDelivery` was first called. */
  marketingDeliveryWatchedSince(tenantId: string): Promise<Instant | null>;
  /**
   * One transaction: records the month and enqueues the tasks it raises (upserted by key, see
   * `OutboxRepository.enqueueTasks`). A month recorded already is left as it is, its tasks not enqueued
   * again: `false`.
   */
  recordDeliveryMonth(
    tenantId: string,
    record: DeliveryMonthRecord,
    tasks: readonly TaskWrite[],
  ): Promise<boolean>;
  /** The months recorded, newest first. */
  deliveryMonths(tenantId: string, limit: number): Promise<readonly DeliveryMonthRecord[]>;
}

// ---------------------------------------------------------------------------------------------------
// History from before the store held it

/**
 * What happened on a tenant's accounts before this store recorded it: the demo's seeded year (and what a
 * tenant would bring from the tool ABM Pilot replaces). Only settled records: stopped SLA clocks, decided
 * approvals, audit entries.
 */
export interface ImportedHistory {
  readonly audit: readonly AuditEntry[];
  readonly approvals: readonly Approval[];
  /** Stopped instances, kept beside each account's own clocks. */
  readonly slaInstances: readonly SlaInstance[];
  /** When accounts entered the tier they hold: reviews fall due from then. */
  readonly tieredSince: readonly { readonly accountCrmId: string; readonly at: Instant }[];
}

export interface ImportedCounts {
  readonly audit: number;
  readonly approvals: number;
  readonly slaInstances: number;
}

export interface HistoryRepository {
  /**
   * One transaction. Records of live accounts only (others are left out); an approval id or SLA instance
   * key already stored is left as it is, so an import made twice records nothing the second time. The
   * accounts' revisions move: a computation read before the import is refused and read again, and it does
   * not drop the imported clocks. Returns what was recorded.
   */
  importHistory(tenantId: string, history: ImportedHistory): Promise<ImportedCounts>;
}

// ---------------------------------------------------------------------------------------------------
// Read models of the API

/** Everything the card shows of one live account, in a handful of point queries. */
/** A CRM user named on an account; `name` is `null` for a user the sync has not seen. */
export interface CardPerson {
  readonly crmId: string;
  readonly name: string | null;
  readonly roles: readonly Role[];
}

export interface AccountCard {
  readonly account: Omit<CrmAccount, 'mergedFromCrmIds'>;
  readonly state: AccountState;
  /** The CRM owner of the account, as synced (`null` when it has none or the user was never synced). */
  readonly owner: CrmOwner | null;
  readonly ownerRoles: readonly Role[];
  /** Who runs the account's ABM plan, as set in the CRM. */
  readonly abmOwner: CardPerson | null;
  /** Who sponsors the account, as set in the CRM (meant for tier 1 accounts). */
  readonly executiveSponsor: CardPerson | null;
  /** Running and stopped, oldest first. */
  readonly slaInstances: readonly SlaInstance[];
  readonly pendingApproval: Approval | null;
  readonly lastHandoverFeedback: StoredHandoverFeedback | null;
  /** The audit entry of the account's last portfolio review: who recorded it, in what role. */
  readonly lastReview: StoredAuditEntry | null;
  /** When the tenant's last successful sync run finished. */
  readonly lastSyncAt: Instant | null;
}

/**
 * `computeGovernanceMetrics`'s input but the cost ledger (`costLines`) and given counts, unfiltered by
 * period: the domain places each record in the period. Unknown owner ids and teams read `''`.
 */
/** The account a metrics record belongs to, so a view can narrow the sections the domain does not split by tier. */
export interface AccountScoped {
  readonly accountId: string;
}

export interface MetricsSnapshot {
  /**
   * Live accounts. One never computed carries its CRM tier (the tier its first computation adopts) and no
   * recommended tier or review dates, so drift and reviews do not assess it.
   */
  readonly accounts: readonly MetricsAccount[];
  /** Live deals; a deal without an account has account id `''` (non-ABM), a missing amount counts 0. */
  readonly deals: readonly MetricsDeal[];
  /** Every account SLA instance of the tenant, with the team of the person who must act. */
  readonly slaOutcomes: readonly (MetricsSlaOutcome & AccountScoped)[];
  /** From sales_follow_up instances: touched when stopped by a first touch. */
  readonly firstTouches: readonly MetricsFirstTouch[];
  readonly approvals: readonly (MetricsApproval & AccountScoped)[];
  /** Audit entries of tier changes that took effect through a route (applied, approved). */
  readonly tierChanges: readonly (MetricsTierChange & AccountScoped)[];
}

export interface ReadModelRepository {
  /** `null` for an unknown, deleted or merged-away account, and for another tenant's. */
  accountCard(tenantId: string, crmId: string): Promise<AccountCard | null>;
  listAccountsForMetrics(tenantId: string): Promise<MetricsSnapshot>;
}

// ---------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------
// Operations: the operator's log and a tenant's health

export interface OperatorLogEntry {
  readonly at: Instant;
  /** `null` for a command about no one tenant. */
  readonly tenantId: string | null;
  /** The command as typed, without its secrets: `credential issue`, `role grant`. */
  readonly command: string;
  /** What it did: ids, roles, kinds; never a secret. */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  /** Who ran it: the operating-system user. */
  readonly operator: string;
}

export interface TenantBacklog {
  /** Account field writes computed but not yet confirmed written to the CRM. */
  readonly accountWrites: number;
  /** Task versions not yet sent to the CRM, and those of them that failed at least once. */
  readonly tasks: number;
  readonly failingTasks: number;
}

export interface OperationsRepository {
  recordOperatorCommand(entry: OperatorLogEntry): Promise<void>;
  /** Newest first; every tenant's and the global ones when `tenantId` is null. */
  operatorLog(tenantId: string | null, limit: number): Promise<readonly OperatorLogEntry[]>;
  backlog(tenantId: string): Promise<TenantBacklog>;
}

export interface Store
  extends
    TenantRepository,
    ConnectionRepository,
    SyncRepository,
    ComputationRepository,
    WriteBackRepository,
    OutboxRepository,
    ApprovalRepository,
    AuditRepository,
    RunRepository,
    ConfigRepository,
    CredentialRepository,
    IdempotencyRepository,
    RoleRepository,
    CostLedgerRepository,
    WebhookRepository,
    HandoverFeedbackRepository,
    ReviewRepository,
    MarketingDeliveryRepository,
    HistoryRepository,
    OperationsRepository,
    ReadModelRepository {
  close(): Promise<void>;
  /**
   * Binds an admin or viewer token to the CRM user the web console acts as (audit identity, governance
   * roles); `null` unbinds. `false` when the tenant has no such admin token.
   */
  bindCredentialActor(tenantId: string, credentialId: string, crmUserId: string | null): Promise<boolean>;
  /** The CRM user an admin token acts as in the console, `null` when unbound or unknown. */
  credentialActor(tenantId: string, credentialId: string): Promise<string | null>;
  /** Every live account with what the console's list shows of it, by CRM id; SLA clocks are read apart. */
  consoleAccounts(tenantId: string): Promise<readonly ConsoleAccountRecord[]>;
}

/** One live account as the console's accounts list reads it. */
export interface ConsoleAccountRecord {
  readonly crmId: string;
  readonly name: string;
  /** The assigned tier once computed, the CRM's tier before (what the card shows). */
  readonly tier: TierOrNone;
  /** `null` before the first computation. */
  readonly recommendedTier: TierOrNone | null;
  readonly score: number | null;
  readonly owner: { readonly crmId: string; readonly name: string | null } | null;
}
