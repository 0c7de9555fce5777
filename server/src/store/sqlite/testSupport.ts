import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AccountScore, Approval, AuditEntry, SlaInstance } from '@abm-pilot/shared';

import type { PullPage } from '../../connectors/ports.ts';
import type {
  AbmAccountFields,
  CrmAccount,
  CrmContact,
  CrmDeal,
  CrmEngagement,
  CrmOwner,
  RecordOfKind,
  SyncCursor,
  SyncKind,
  TaskWrite,
  Tenant,
} from '../../model.ts';
import type { AccountComputation, AccountContext, Store } from '../ports.ts';
import { openSqliteStore } from './sqliteStore.ts';

// Builders and a temp-file store for the store's tests. Instants are fixed: 2026-11-30T09:00Z onwards.

export const T0 = Date.UTC(2026, 10, 30, 9);
export const DAY = 86_400_000;

export const TENANT_A: Tenant = {
  id: 'hubspot:111',
  crm: 'hubspot',
  externalId: '111',
  name: 'Portal A',
  language: 'en',
};
export const TENANT_B: Tenant = {
  id: 'salesforce:00D2',
  crm: 'salesforce',
  externalId: '00D2',
  name: 'Org B',
  language: 'en',
};

export interface TempStore {
  readonly store: Store;
  readonly path: string;
  readonly dir: string;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** A store on a real file in a fresh temp folder, with both test tenants registered. */
export async function openTempStore(tenants: readonly Tenant[] = [TENANT_A, TENANT_B]): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'abm-store-'));
  const path = join(dir, 'nested', 'abm-pilot.db');
  let store = openSqliteStore(path);
  for (const tenant of tenants) await store.upsertTenant(tenant);
  return {
    get store() {
      return store;
    },
    path,
    dir,
    async reopen() {
      await store.close();
      store = openSqliteStore(path);
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const account = (crmId: string, overrides: Partial<CrmAccount> = {}): CrmAccount => ({
  crmId,
  name: `Account ${crmId}`,
  domain: `${crmId}.example`,
  industry: 'software',
  region: 'emea',
  employees: 500,
  annualRevenue: 50_000_000,
  ownerCrmId: 'o1',
  abmOwnerCrmId: null,
  executiveSponsorCrmId: null,
  crmTier: null,
  crmTierReason: null,
  strategic: null,
  intentScore: null,
  modifiedAt: T0,
  mergedFromCrmIds: [],
  ...overrides,
});

export const owner = (crmId: string, overrides: Partial<CrmOwner> = {}): CrmOwner => ({
  crmId,
  name: `Owner ${crmId}`,
  email: `${crmId}@example.com`,
  timezone: 'Europe/Paris',
  managerCrmId: 'm1',
  team: 'emea',
  locale: null,
  active: true,
  modifiedAt: T0,
  loginUserId: null,
  ...overrides,
});

export const contact = (crmId: string, accountCrmId: string | null, overrides: Partial<CrmContact> = {}) =>
  ({ crmId, accountCrmId, buyingRole: null, modifiedAt: T0, ...overrides }) satisfies CrmContact;

export const deal = (
  crmId: string,
  accountCrmId: string | null,
  overrides: Partial<CrmDeal> = {},
): CrmDeal => ({
  crmId,
  accountCrmId,
  ownerCrmId: 'o1',
  amount: 10_000,
  stage: 'open',
  createdAt: T0 - 30 * DAY,
  closedAt: null,
  modifiedAt: T0,
  ...overrides,
});

export const engagement = (
  crmId: string,
  accountCrmId: string | null,
  overrides: Partial<CrmEngagement> = {},
): CrmEngagement => ({
  crmId,
  accountCrmId,
  contactCrmId: null,
  ownerCrmId: null,
  kind: 'email_open',
  occurredAt: T0 - DAY,
  done: true,
  modifiedAt: T0,
  ...overrides,
});

export function page<K extends SyncKind>(
  kind: K,
  records: readonly RecordOfKind[K][],
  options: { deleted?: readonly string[]; cursor?: SyncCursor | null } = {},
): PullPage<K> {
  const last = records.at(-1);
  return {
    kind,
    records,
    deletedCrmIds: options.deleted ?? [],
    cursor:
      options.cursor !== undefined
        ? options.cursor
        : last === undefined
          ? null
          : { modifiedAt: last.modifiedAt, crmId: last.crmId },
  };
}

export const score = (value: number, modelVersion = 'test-1'): AccountScore => ({
  score: value,
  axes: { revenue_potential: value, probability_of_success: value, strategic_alignment: value },
  contributions: [
    { criterion: 'annual_revenue', axis: 'revenue_potential', value: 0.7, points: 11.2, maxPoints: 16 },
  ],
  missing: ['strategic_flag'],
  modelVersion,
});

export const fields = (overrides: Partial<AbmAccountFields> = {}): AbmAccountFields => ({
  tier: 'tier_2',
  score: 60,
  slaStatus: null,
  nextSlaDueAt: null,
  tierReason: 'score 60',
  lastSyncAt: T0,
  ...overrides,
});

/** A computation of a loaded context: score 60, tier_2 assigned and recommended, unless overridden. */
export const computation = (
  context: AccountContext,
  overrides: Partial<AccountComputation> = {},
): AccountComputation => ({
  accountCrmId: context.account.crmId,
  basedOnRevision: context.state.revision,
  score: score(60),
  computedAt: T0,
  recommendedTier: 'tier_2',
  drift: { assigned: 'tier_2', recommended: 'tier_2', steps: 0, direction: 'none' },
  assignedTier: 'tier_2',
  tieredAt: T0,
  lastReviewedAt: null,
  slaInstances: [],
  desiredFields: fields(),
  tierLedger: [],
  crmShows: {},
  ...overrides,
});

export const slaInstance = (accountId: string, overrides: Partial<SlaInstance> = {}): SlaInstance => {
  const startedAt = overrides.startedAt ?? T0;
  return {
    key: `sales_follow_up:${accountId}:${startedAt}`,
    kind: 'sales_follow_up',
    accountId,
    tier: 'tier_2',
    ownerId: 'o1',
    managerId: 'm1',
    approvalId: null,
    startedAt,
    dueAt: startedAt + 2 * DAY,
    atRiskAt: startedAt + DAY,
    escalateAt: startedAt + 3 * DAY,
    stoppedAt: null,
    stopReason: null,
    handoverDecision: null,
    ...overrides,
  };
};

export const audit = (accountId: string, at: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at,
  accountId,
  action: 'tier_change',
  actor: { userId: 'u1', role: 'marketer' },
  fromTier: 'tier_3',
  toTier: 'tier_2',
  reason: null,
  route: 'routine',
  outcome: 'applied',
  code: null,
  score: 60,
  recommendedTier: 'tier_2',
  approverRoles: [],
  approvalId: null,
  comment: null,
  ...overrides,
});

export const approval = (id: string, accountId: string, overrides: Partial<Approval> = {}): Approval => ({
  id,
  accountId,
  requestedBy: { userId: 'u1', role: 'marketer' },
  requestedAt: T0,
  fromTier: 'tier_2',
  toTier: 'tier_1',
  reason: 'strategic',
  route: 'tier_1',
  approverRoles: ['abm_committee', 'chief_abm_officer'],
  dueAt: T0 + 7 * DAY,
  expiresAt: T0 + 14 * DAY,
  score: 70,
  recommendedTier: 'tier_2',
  state: 'pending',
  decidedAt: null,
  decidedBy: null,
  comment: null,
  ...overrides,
});

export const task = (key: string, accountCrmId: string, overrides: Partial<TaskWrite> = {}): TaskWrite => ({
  key,
  accountCrmId,
  assigneeCrmId: 'o1',
  subject: 'Follow up',
  body: 'The follow-up SLA is at risk.',
  dueAt: T0 + DAY,
  priority: 'medium',
  status: 'open',
  ...overrides,
});

export const emptyBatch = { accounts: [], audit: [], approvals: [] } as const;

/** Loads one live account's context, failing the test when it is not there. */
export async function contextOf(store: Store, tenantId: string, crmId: string): Promise<AccountContext> {
  const [context] = await store.loadAccountContexts(tenantId, [crmId], T0 - 90 * DAY);
  if (context === undefined) throw new Error(`no live account ${crmId} in ${tenantId}`);
  return context;
}
