import type Database from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Numbered steps, applied in order and never edited once shipped: a change is a new step.
// Every table carries `tenant_id` first in its primary key or in a composite index (`audit_log` and
// `sync_runs` have integer keys for keyset paging, and an index starting with the tenant).
// Instants are INTEGER epoch ms. Closed sets (tiers, roles, kinds) are not CHECK-constrained: a
// vocabulary that grows would otherwise need a table rebuild; the typed repository guards writes.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE tenants (
  tenant_id TEXT PRIMARY KEY,
  crm TEXT NOT NULL,
  external_id TEXT NOT NULL,
  name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE owners (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  timezone TEXT,
  manager_crm_id TEXT,
  team TEXT,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  modified_at INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (tenant_id, crm_id)
) WITHOUT ROWID;

CREATE TABLE accounts (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_id TEXT NOT NULL,
  name TEXT NOT NULL,
  domain TEXT,
  industry TEXT,
  region TEXT,
  employees REAL,
  annual_revenue REAL,
  owner_crm_id TEXT,
  crm_tier TEXT,
  strategic INTEGER CHECK (strategic IN (0, 1)),
  intent_score REAL,
  modified_at INTEGER NOT NULL,
  deleted_at INTEGER,
  merged_into_crm_id TEXT,
  PRIMARY KEY (tenant_id, crm_id)
) WITHOUT ROWID;
CREATE INDEX accounts_by_survivor ON accounts (tenant_id, merged_into_crm_id)
  WHERE merged_into_crm_id IS NOT NULL;

CREATE TABLE contacts (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_id TEXT NOT NULL,
  account_crm_id TEXT,
  buying_role TEXT,
  modified_at INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (tenant_id, crm_id)
) WITHOUT ROWID;
CREATE INDEX contacts_by_account ON contacts (tenant_id, account_crm_id);

CREATE TABLE deals (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_id TEXT NOT NULL,
  account_crm_id TEXT,
  owner_crm_id TEXT,
  amount REAL,
  stage TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  modified_at INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (tenant_id, crm_id)
) WITHOUT ROWID;
CREATE INDEX deals_by_account ON deals (tenant_id, account_crm_id);

CREATE TABLE engagements (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_id TEXT NOT NULL,
  account_crm_id TEXT,
  contact_crm_id TEXT,
  owner_crm_id TEXT,
  kind TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (tenant_id, crm_id)
) WITHOUT ROWID;
CREATE INDEX engagements_by_account ON engagements (tenant_id, account_crm_id, occurred_at);

CREATE TABLE sync_cursors (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  kind TEXT NOT NULL,
  modified_at INTEGER NOT NULL,
  crm_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, kind)
) WITHOUT ROWID;

-- One row per account ever seen live: what ABM Pilot computed and decided, and what it wrote back.
CREATE TABLE account_state (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  account_crm_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  computed_revision INTEGER NOT NULL DEFAULT 0,
  removed_at INTEGER,
  score REAL,
  axes TEXT,
  contributions TEXT,
  missing TEXT,
  model_version TEXT,
  computed_at INTEGER,
  recommended_tier TEXT,
  drift_steps INTEGER,
  drift_direction TEXT,
  assigned_tier TEXT,
  tiered_at INTEGER,
  last_reviewed_at INTEGER,
  desired_fields TEXT,
  written_fields TEXT NOT NULL DEFAULT '{}',
  write_pending INTEGER NOT NULL DEFAULT 0,
  write_attempts INTEGER NOT NULL DEFAULT 0,
  write_error TEXT,
  PRIMARY KEY (tenant_id, account_crm_id)
) WITHOUT ROWID;
CREATE INDEX account_state_to_compute ON account_state (tenant_id, account_crm_id)
  WHERE revision > computed_revision AND removed_at IS NULL;
CREATE INDEX account_state_to_write ON account_state (tenant_id, write_attempts, account_crm_id)
  WHERE write_pending = 1 AND removed_at IS NULL;
CREATE INDEX account_state_by_tier ON account_state (tenant_id, assigned_tier)
  WHERE assigned_tier IS NOT NULL AND removed_at IS NULL;

CREATE TABLE sla_instances (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  instance_key TEXT NOT NULL,
  account_crm_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  tier TEXT,
  owner_id TEXT NOT NULL,
  manager_id TEXT,
  approval_id TEXT,
  started_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  at_risk_at INTEGER NOT NULL,
  escalate_at INTEGER NOT NULL,
  stopped_at INTEGER,
  stop_reason TEXT,
  handover_decision TEXT,
  PRIMARY KEY (tenant_id, instance_key)
) WITHOUT ROWID;
CREATE INDEX sla_instances_by_account ON sla_instances (tenant_id, account_crm_id);
CREATE INDEX sla_instances_running ON sla_instances (tenant_id, due_at) WHERE stopped_at IS NULL;

CREATE TABLE approvals (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  approval_id TEXT NOT NULL,
  account_crm_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  from_tier TEXT,
  to_tier TEXT,
  reason TEXT,
  route TEXT NOT NULL,
  approver_roles TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  score REAL,
  recommended_tier TEXT,
  state TEXT NOT NULL,
  decided_at INTEGER,
  decided_by TEXT,
  comment TEXT,
  PRIMARY KEY (tenant_id, approval_id)
) WITHOUT ROWID;
-- The domain allows one pending approval per account; the index makes a race between two writers fail.
CREATE UNIQUE INDEX approvals_one_pending ON approvals (tenant_id, account_crm_id) WHERE state = 'pending';
CREATE INDEX approvals_pending_by_due ON approvals (tenant_id, due_at, approval_id) WHERE state = 'pending';

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  account_crm_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT,
  from_tier TEXT,
  to_tier TEXT,
  reason TEXT,
  route TEXT,
  outcome TEXT NOT NULL,
  code TEXT,
  score REAL,
  recommended_tier TEXT,
  approver_roles TEXT NOT NULL,
  approval_id TEXT,
  comment TEXT
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, at, id);
CREATE INDEX audit_log_by_account ON audit_log (tenant_id, account_crm_id, at, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The task outbox: one row per task key. A version is sent when sent_revision reaches revision;
-- claimed_revision is the version handed to the sender, so a change in flight is not marked sent.
CREATE TABLE task_outbox (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  task_key TEXT NOT NULL,
  account_crm_id TEXT NOT NULL,
  assignee_crm_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  claimed_revision INTEGER NOT NULL DEFAULT 0,
  sent_revision INTEGER NOT NULL DEFAULT 0,
  crm_task_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  PRIMARY KEY (tenant_id, task_key)
) WITHOUT ROWID;
CREATE INDEX task_outbox_pending ON task_outbox (tenant_id, attempts, task_key)
  WHERE revision > sent_revision;

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  kind TEXT NOT NULL,
  holder TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  counts TEXT NOT NULL DEFAULT '{}',
  error TEXT
);
CREATE INDEX sync_runs_by_tenant ON sync_runs (tenant_id, id);
CREATE INDEX sync_runs_running ON sync_runs (tenant_id) WHERE status = 'running';

CREATE TABLE leases (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (tenant_id),
  holder TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE governance_configs (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  saved_by TEXT,
  PRIMARY KEY (tenant_id, version)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'credentials',
    sql: `
-- Salesforce API keys and admin tokens. The key's public id is the primary key, so a presented key finds
-- its row (and its tenant) without knowing the tenant; only a SHA-256 of its secret part is kept.
CREATE TABLE credentials (
  credential_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  kind TEXT NOT NULL,
  role TEXT,
  label TEXT,
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX credentials_by_tenant ON credentials (tenant_id, kind, created_at);
`,
  },
  {
    version: 3,
    name: 'idempotency keys',
    sql: `
CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (tenant_id, stored_at);
`,
  },
  {
    version: 4,
    name: 'user roles',
    sql: `
CREATE TABLE user_roles (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  crm_user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (tenant_id, crm_user_id, role)
) WITHOUT ROWID;
CREATE INDEX user_roles_by_role ON user_roles (tenant_id, role, crm_user_id);
-- When and by whom the mapping was last replaced (one row per tenant once set).
CREATE TABLE user_roles_updates (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (tenant_id),
  updated_at INTEGER NOT NULL,
  updated_by TEXT
) WITHOUT ROWID;
`,
  },
  {
    version: 5,
    name: 'cost ledger',
    sql: `
CREATE TABLE cost_ledger (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  period TEXT NOT NULL,
  category TEXT NOT NULL,
  amount REAL,
  hours REAL,
  note TEXT,
  entered_at INTEGER NOT NULL,
  entered_by TEXT,
  -- A line replaced by a later entry for its month and category is kept, no longer counted.
  superseded_at INTEGER
);
CREATE INDEX cost_ledger_by_period ON cost_ledger (tenant_id, period, category, id) WHERE superseded_at IS NULL;
`,
  },
  {
    version: 6,
    name: 'webhook inbox and sync hints',
    sql: `
-- Event ids seen, for deduplication of redelivered webhooks; purged after the CRM's retry horizon.
CREATE TABLE webhook_events (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  event_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
) WITHOUT ROWID;
CREATE INDEX webhook_events_by_received ON webhook_events (tenant_id, received_at);

-- One row per record hinted: events on the same record collapse into it. Versions as in task_outbox:
-- a hint is pending while revision > done_revision, and claimed_revision is the version handed to the
-- sync engine, so an event arriving while the record is being synced leaves it pending.
CREATE TABLE sync_hints (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  claimed_revision INTEGER NOT NULL DEFAULT 0,
  done_revision INTEGER NOT NULL DEFAULT 0,
  pending_since INTEGER NOT NULL,
  last_occurred_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, object_type, object_id)
) WITHOUT ROWID;
CREATE INDEX sync_hints_pending ON sync_hints (tenant_id, pending_since, object_type, object_id)
  WHERE revision > done_revision;
`,
  },
  {
    version: 7,
    name: 'handover feedback',
    sql: `
CREATE TABLE handover_feedback (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  account_crm_id TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX handover_feedback_by_tenant ON handover_feedback (tenant_id, at, id);
CREATE INDEX handover_feedback_by_account ON handover_feedback (tenant_id, account_crm_id, at, id);
`,
  },
  {
    version: 8,
    name: 'last succeeded run index',
    sql: `
-- The card's "last sync time" on every request: without it the newest-first scan walks every SLA run and
-- failed sync since the last success.
CREATE INDEX sync_runs_succeeded ON sync_runs (tenant_id, kind, id) WHERE status = 'succeeded';
`,
  },
  {
    version: 9,
    name: 'console actor of admin tokens',
    sql: `
-- The CRM user an admin or viewer token acts as in the web console (its audit identity and roles).
ALTER TABLE credentials ADD COLUMN act_as TEXT;
`,
  },
  {
    version: 10,
    name: 'account ABM owner and executive sponsor',
    sql: `
-- The card's owners besides the CRM owner: set by people in the CRM, read by the sync.
ALTER TABLE accounts ADD COLUMN abm_owner_crm_id TEXT;
ALTER TABLE accounts ADD COLUMN executive_sponsor_crm_id TEXT;
-- Values people entered before this version are behind the cursors: pull every account once more.
DELETE FROM sync_cursors WHERE kind = 'accounts';
`,
  },
  {
    version: 11,
    name: 'owner login user id',
    sql: `
-- HubSpot signs card calls with the user's login id, which it numbers apart from the owner id that
-- accounts, tasks and the role mapping use: the sign-in id finds the owner. Owners are pulled again.
ALTER TABLE owners ADD COLUMN login_user_id TEXT;
CREATE INDEX owners_by_login_user ON owners (tenant_id, login_user_id) WHERE login_user_id IS NOT NULL;
DELETE FROM sync_cursors WHERE kind = 'owners';
`,
  },
  {
    version: 12,
    name: 'tier ledger',
    sql: `
-- Tiers the CRM may show without anyone having edited it there (see TierLedger in shared/): a tier
-- decided but not yet confirmed written leaves the previous one in the CRM meanwhile, and that is no edit.
ALTER TABLE account_state ADD COLUMN tier_ledger TEXT NOT NULL DEFAULT '[]';
-- The reason someone wrote in the CRM with a tier edit, which the rules may ask for.
ALTER TABLE accounts ADD COLUMN crm_tier_reason TEXT;
UPDATE account_state SET tier_ledger = json_array(json_extract(written_fields, '$.tier'))
  WHERE json_type(written_fields, '$.tier') IS NOT NULL
    AND json_extract(written_fields, '$.tier') IS NOT assigned_tier;
`,
  },
  {
    version: 13,
    name: 'languages',
    sql: `
-- What ABM Pilot writes in a CRM (tier reasons, tasks) is in the tenant's language, or in the language of
-- the person a task is for where the CRM says it (Salesforce users). Owners are pulled again for theirs.
ALTER TABLE tenants ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE owners ADD COLUMN locale TEXT;
DELETE FROM sync_cursors WHERE kind = 'owners';
`,
  },
  {
    version: 14,
    name: 'sla_follow_through',
    sql: `
-- A planned activity (an open task, a scheduled call or meeting) has not happened: it is no first touch.
-- Engagements are pulled again to learn which ones are.
ALTER TABLE engagements ADD COLUMN done INTEGER NOT NULL DEFAULT 1;
DELETE FROM sync_cursors WHERE kind = 'engagements';
-- The alert cap counts the tasks opened for a person each day, across runs; open SLA tasks are reconciled
-- with the alerts due at every run.
ALTER TABLE task_outbox ADD COLUMN opened_at INTEGER;
CREATE INDEX task_outbox_opened ON task_outbox (tenant_id, opened_at) WHERE opened_at IS NOT NULL;
CREATE INDEX task_outbox_open ON task_outbox (tenant_id, task_key) WHERE status = 'open';
`,
  },
  {
    version: 15,
    name: 'marketing delivery months',
    sql: `
-- The marketing_delivery SLA month by month (YYYY-MM in the tenant's zone): a month is recorded once, with
-- its figures as measured when it closed, in the transaction that enqueues the tasks it raises.
CREATE TABLE marketing_delivery_months (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  month TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  delivery TEXT NOT NULL,
  min_acceptance_rate REAL NOT NULL,
  missed INTEGER NOT NULL CHECK (missed IN (0, 1)),
  config_version INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, month)
) WITHOUT ROWID;
-- Since when a tenant's marketing delivery is watched: its first month recorded is the first watched whole.
CREATE TABLE marketing_delivery_watch (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (tenant_id),
  since INTEGER NOT NULL
) WITHOUT ROWID;
-- A month's handovers: the sales_feedback clocks started in it.
CREATE INDEX sla_instances_handovers ON sla_instances (tenant_id, started_at) WHERE kind = 'sales_feedback';
-- Tasks about no account (the programme's own) keep '' in task_outbox.account_crm_id, which is NOT NULL.
`,
  },
  {
    version: 16,
    name: 'connections in the store, sealed secrets, HubSpot installs',
    sql: `
-- How ABM Pilot reaches a tenant's CRM. settings: the connection without its auth (JSON); auth_sealed:
-- its auth (tokens, client secrets) sealed with AES-256-GCM under the key named by key_id, NULL once
-- deleted (a disabled connection).
CREATE TABLE connections (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (tenant_id),
  crm TEXT NOT NULL,
  auth_kind TEXT NOT NULL,
  settings TEXT NOT NULL,
  auth_sealed TEXT,
  key_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  disabled_at INTEGER
) WITHOUT ROWID;
-- One row: grows with every change to connections, so a running server checks one integer to know.
CREATE TABLE connections_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO connections_version (id, version) VALUES (1, 0);
-- The one-time claim of the Chief ABM Officer role by whoever installed the HubSpot app.
ALTER TABLE tenants ADD COLUMN chief_claimed_at INTEGER;
ALTER TABLE tenants ADD COLUMN installed_by TEXT;
-- A HubSpot install's state parameter: random, single use, expiring.
CREATE TABLE oauth_states (
  state TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 17,
    name: 'operator log',
    sql: `
-- What operators did with the CLI (credentials issued and revoked, roles granted, connections changed),
-- one row per command, never a secret: who answers for a credential is found here.
CREATE TABLE operator_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  tenant_id TEXT,
  command TEXT NOT NULL,
  detail TEXT NOT NULL,
  operator TEXT NOT NULL
);
CREATE INDEX operator_log_by_tenant ON operator_log (tenant_id, id);
`,
  },
];

/**
 * Applies the steps not yet recorded in `schema_migrations`, each in its own IMMEDIATE transaction so that
 * two processes opening the same file do not both apply one. Returns the versions applied now.
 */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const isApplied = db.prepare<number>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
