import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Tier } from '../config/vocabulary.ts';
import type { Handover } from '../domain/deliveryMonths.ts';
import { calendarMonthNamed, handoverDelivery } from '../domain/deliveryMonths.ts';
import { computeGovernanceMetrics } from '../domain/metrics.ts';
import type { ApiOperationId } from './catalog.ts';
import { deliveryPeriodToWire } from './marketingDelivery.ts';
import { governanceMetricsToWire } from './toWire.ts';

// Realistic requests and responses of every contract, as JSON at the wire: the contract tests parse
// them, mutate them, and round-trip them. Not exported from the package.

export interface ContractExample {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
  readonly response: unknown;
}

const caller = { userId: '81234567', portalId: '44871203' };

const approval = {
  id: 'apr_01HZX3K9T2',
  accountId: '18230045611',
  requestedBy: { userId: '81234567', role: 'marketer', name: 'Léa Martin' },
  requestedAt: '2026-04-14T09:12:03.000Z',
  fromTier: 'tier_2',
  toTier: 'tier_1',
  reason: 'Board-level sponsor and a 1.2M renewal in play',
  route: 'tier_1',
  approverRoles: ['abm_committee', 'chief_abm_officer'],
  dueAt: '2026-04-21T09:12:03.000Z',
  expiresAt: '2026-04-28T09:12:03.000Z',
  score: 71.4,
  recommendedTier: 'tier_2',
  state: 'pending',
  decidedAt: null,
  decidedBy: null,
  comment: null,
};

const consoleSession = {
  tenant: { system: 'hubspot', externalId: '44871203', name: 'Northwind portal' },
  tenants: [
    { system: 'hubspot', externalId: '44871203', name: 'Northwind portal' },
    { system: 'salesforce', externalId: '00D5g000004NwXyEAK', name: 'Northwind org' },
  ],
  role: 'admin',
  credentialId: 'abm_adm_0123456789abcdef',
  actingAs: { userId: '81234567', name: 'Léa Martin', roles: ['chief_abm_officer'] },
  cardUserId: '81234567',
  mayAct: true,
  mayViewGovernance: true,
};

const auditEntry = {
  id: '90211',
  at: '2026-04-14T09:12:03.000Z',
  accountId: '18230045611',
  action: 'tier_change',
  actor: { userId: '81234567', role: 'marketer', name: 'Léa Martin' },
  fromTier: 'tier_2',
  toTier: 'tier_1',
  reason: 'Board-level sponsor and a 1.2M renewal in play',
  route: 'tier_1',
  outcome: 'needs_approval',
  code: null,
  score: 71.4,
  recommendedTier: 'tier_2',
  approverRoles: ['abm_committee', 'chief_abm_officer'],
  approvalId: 'apr_01HZX3K9T2',
  comment: null,
};

const capacity = (count: number, cap: number) => ({
  count,
  capacity: cap,
  available: cap - count,
  usedShare: count / cap,
  over: count > cap,
});

const at = (iso: string) => Date.parse(iso);

const metrics = computeGovernanceMetrics(
  {
    accounts: [
      { id: 'a1', tier: 'tier_1', ownerId: 'u1', team: 'enterprise', recommendedTier: 'tier_1' },
      { id: 'a2', tier: 'tier_2', ownerId: 'u2', team: 'mid_market', recommendedTier: 'tier_3' },
      { id: 'a3', tier: null, ownerId: 'u2', team: 'mid_market' },
    ],
    deals: [
      {
        id: 'd1',
        accountId: 'a1',
        amount: 120_000,
        stage: 'won',
        createdAt: at('2026-01-05T00:00:00Z'),
        closedAt: at('2026-02-20T00:00:00Z'),
      },
      {
        id: 'd2',
        accountId: 'a2',
        amount: 40_000,
        stage: 'open',
        createdAt: at('2026-02-01T00:00:00Z'),
        closedAt: null,
      },
      {
        id: 'd3',
        accountId: 'a3',
        amount: 15_000,
        stage: 'lost',
        createdAt: at('2025-12-01T00:00:00Z'),
        closedAt: at('2026-01-20T00:00:00Z'),
      },
    ],
    costLedger: [
      { period: '2026-01', category: 'programme_budget', amount: 20_000 },
      { period: '2026-02', category: 'sales_time', hours: 120 },
    ],
    slaOutcomes: [
      {
        kind: 'sales_follow_up',
        ownerId: 'u1',
        team: 'enterprise',
        startedAt: at('2026-01-10T09:00:00Z'),
        dueAt: at('2026-01-11T17:00:00Z'),
        stoppedAt: at('2026-01-11T10:00:00Z'),
      },
    ],
    firstTouches: [
      { accountId: 'a1', startedAt: at('2026-01-10T09:00:00Z'), touchedAt: at('2026-01-11T10:00:00Z') },
    ],
    approvals: [
      {
        requestedAt: at('2026-02-02T09:00:00Z'),
        decidedAt: at('2026-02-04T15:00:00Z'),
        dueAt: at('2026-02-09T09:00:00Z'),
        state: 'approved',
        route: 'tier_1',
      },
    ],
    tierChanges: [{ at: at('2026-02-04T15:00:00Z'), route: 'tier_1' }],
  },
  { start: at('2026-01-01T00:00:00Z'), end: at('2026-04-01T00:00:00Z') },
  at('2026-04-15T08:00:00Z'),
  DEFAULT_GOVERNANCE_CONFIG,
);
if (!metrics.ok) throw new Error(metrics.error.message);

// Marketing delivery: March 2026 closed short of tier 1 MQAs; April so far, as of the 15th.
const deliveryZone = DEFAULT_GOVERNANCE_CONFIG.businessHours.timezone;
const march = calendarMonthNamed('2026-03', deliveryZone);
const april = calendarMonthNamed('2026-04', deliveryZone);
const deliveryAsOf = at('2026-04-15T08:00:00Z');
const handovers = (
  tier: Tier,
  startedAt: number,
  answers: { accepted: number; rejected: number; pending: number },
): Handover[] =>
  (['accepted', 'rejected', 'pending'] as const).flatMap((answer) =>
    Array.from({ length: answers[answer] }, (_, i) => ({
      accountId: `${tier}-${startedAt}-${answer}-${i}`,
      tier,
      startedAt,
      stoppedAt: answer === 'pending' ? null : startedAt + 86_400_000,
      handoverDecision: answer === 'pending' ? null : answer,
    })),
  );
const deliveredHandovers = [
  ...handovers('tier_1', at('2026-03-10T09:00:00Z'), { accepted: 3, rejected: 1, pending: 0 }),
  ...handovers('tier_2', at('2026-03-12T09:00:00Z'), { accepted: 10, rejected: 5, pending: 1 }),
  ...handovers('tier_3', at('2026-03-16T09:00:00Z'), { accepted: 30, rejected: 10, pending: 2 }),
  ...handovers('tier_1', at('2026-04-07T09:00:00Z'), { accepted: 2, rejected: 0, pending: 1 }),
  ...handovers('tier_2', at('2026-04-08T09:00:00Z'), { accepted: 3, rejected: 3, pending: 1 }),
  ...handovers('tier_3', at('2026-04-09T09:00:00Z'), { accepted: 12, rejected: 4, pending: 4 }),
];
const minAcceptanceRate = DEFAULT_GOVERNANCE_CONFIG.sla.marketingDelivery.minAcceptanceRate;
const deliveryOf = (month: typeof march, period: { start: number; end: number }) =>
  deliveryPeriodToWire(
    month,
    period,
    handoverDelivery(deliveredHandovers, period, DEFAULT_GOVERNANCE_CONFIG),
    minAcceptanceRate,
  );

/** A PUT sends no `version`: the server numbers versions. */
const configWithoutVersion: Record<string, unknown> = { ...DEFAULT_GOVERNANCE_CONFIG };
delete configWithoutVersion.version;

export const CONTRACT_EXAMPLES: { readonly [K in ApiOperationId]: ContractExample } = {
  getAccountCard: {
    params: { crmId: '18230045611' },
    query: { ...caller, apiRevision: '4' },
    response: {
      crm: {
        system: 'hubspot',
        tenantExternalId: '44871203',
        crmId: '18230045611',
        name: 'Northwind Logistics',
      },
      viewer: { userId: '81234567', name: 'Léa Martin', governanceRoles: ['marketer'] },
      tier: { assigned: 'tier_2', recommended: 'tier_2', drift: { steps: 0, direction: 'none' } },
      score: {
        value: 71.4,
        axes: { revenue_potential: 78.2, probability_of_success: 64.9, strategic_alignment: 70 },
        topReasons: [
          { criterion: 'annual_revenue', label: 'Annual revenue', points: 13.1, maxPoints: 16 },
          { criterion: 'engagement', label: 'Engagement', points: 9.8, maxPoints: 12.25 },
          { criterion: 'icp_industry', label: 'ICP industry', points: 10, maxPoints: 10 },
        ],
        missing: ['win_history'],
        missingSignals: ['intent'],
        modelVersion: 'default-2026.1',
      },
      slas: [
        {
          key: 'sales_follow_up:18230045611:1776157200000',
          kind: 'sales_follow_up',
          status: 'at_risk',
          dueAt: '2026-04-15T16:00:00.000Z',
          startedAt: '2026-04-14T09:00:00.000Z',
          stoppedAt: null,
        },
      ],
      owners: [
        { role: 'account_owner', userId: '81230001', name: 'Tom Becker', governanceRoles: ['sales_rep'] },
        { role: 'abm_owner', userId: '81234567', name: 'Léa Martin', governanceRoles: ['marketer'] },
      ],
      pendingApproval: approval,
      lastSyncAt: '2026-04-15T07:55:12.481Z',
      actions: {
        tierChange: {
          allowed: true,
          targets: [
            { tier: 'tier_1', reasonRequired: false },
            { tier: 'tier_3', reasonRequired: false },
            { tier: null, reasonRequired: true },
          ],
        },
        handoverFeedback: {
          pending: false,
          reasonCodes: {
            accepted: ['fit_confirmed', 'active_project'],
            rejected: ['no_budget', 'wrong_contact'],
          },
        },
        review: { allowed: true },
      },
      review: {
        lastReviewedAt: '2026-02-09T10:30:00.000Z',
        lastReviewedBy: { userId: '81234567', role: 'marketer', name: 'Léa Martin' },
        nextDueAt: '2026-04-10T10:30:00.000Z',
        overdue: true,
      },
    },
  },
  requestTierChange: {
    params: { crmId: '18230045611' },
    query: caller,
    body: {
      toTier: 'tier_1',
      reason: 'Board-level sponsor and a 1.2M renewal in play',
      idempotencyKey: '0f8c1d52-3b7a-4c51-9a7e-2f0e6d1c4b9a',
    },
    response: {
      outcome: 'needs_approval',
      route: 'tier_1',
      approvalId: 'apr_01HZX3K9T2',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
      dueAt: '2026-04-21T09:12:03.000Z',
      expiresAt: '2026-04-28T09:12:03.000Z',
    },
  },
  handOverAccount: {
    params: { crmId: '18230045611' },
    query: { userId: '81230002', portalId: '44871203', apiRevision: '3' },
    body: { idempotencyKey: 'ho-2b7f9c11-08aa' },
    response: {
      handedOverAt: '2026-04-10T10:00:00.000Z',
      slas: [
        {
          key: 'sales_follow_up:18230045611:1775815200000',
          kind: 'sales_follow_up',
          status: 'on_track',
          dueAt: '2026-04-13T10:00:00.000Z',
          startedAt: '2026-04-10T10:00:00.000Z',
          stoppedAt: null,
        },
        {
          key: 'sales_feedback:18230045611:1775815200000',
          kind: 'sales_feedback',
          status: 'on_track',
          dueAt: '2026-04-14T10:00:00.000Z',
          startedAt: '2026-04-10T10:00:00.000Z',
          stoppedAt: null,
        },
      ],
    },
  },
  giveHandoverFeedback: {
    params: { crmId: '18230045611' },
    query: { userId: '81230001', portalId: '44871203' },
    body: { decision: 'accepted', reasonCode: 'fit_confirmed', idempotencyKey: 'fb-7c1e2a90-55d1' },
    response: {
      decision: 'accepted',
      reasonCode: 'fit_confirmed',
      recordedAt: '2026-04-15T10:02:44.000Z',
      sla: {
        key: 'sales_feedback:18230045611:1775815200000',
        kind: 'sales_feedback',
        status: 'met',
        dueAt: '2026-04-15T18:00:00.000Z',
        startedAt: '2026-04-10T10:00:00.000Z',
        stoppedAt: '2026-04-15T10:02:44.000Z',
      },
    },
  },
  recordAccountReview: {
    params: { crmId: '18230045611' },
    query: { ...caller, apiRevision: '3' },
    body: { note: 'Renewal on track; sponsor met in March', idempotencyKey: 'rv-3d9f1c0a-77b2' },
    response: {
      recordedAt: '2026-04-15T10:05:00.000Z',
      reviewedBy: { userId: '81234567', role: 'marketer', name: 'Léa Martin' },
      note: 'Renewal on track; sponsor met in March',
      tier: 'tier_2',
      review: {
        lastReviewedAt: '2026-04-15T10:05:00.000Z',
        lastReviewedBy: { userId: '81234567', role: 'marketer', name: 'Léa Martin' },
        nextDueAt: '2026-06-14T10:05:00.000Z',
        overdue: false,
      },
    },
  },
  listPendingApprovals: {
    query: { userId: '81239999', portalId: '44871203', role: 'abm_committee', limit: '20' },
    response: { approvals: [approval] },
  },
  approveTierChange: {
    params: { id: 'apr_01HZX3K9T2' },
    query: { userId: '81239999', portalId: '44871203', apiRevision: '3' },
    body: { comment: 'Agreed: renewal justifies 1:1 coverage' },
    response: {
      approval: {
        ...approval,
        state: 'approved',
        decidedAt: '2026-04-16T14:30:00.000Z',
        decidedBy: { userId: '81239999', role: 'abm_committee', name: 'Ana Souza' },
        comment: 'Agreed: renewal justifies 1:1 coverage',
      },
      applied: true,
      assignedTier: 'tier_1',
      crmWrite: 'done',
    },
  },
  rejectTierChange: {
    params: { id: 'apr_01HZX3K9T2' },
    query: { userId: '005Hs00000ABCdeIAF' },
    body: { comment: 'tier_1 is full this quarter; revisit in July' },
    response: {
      approval: {
        ...approval,
        state: 'rejected',
        decidedAt: '2026-04-16T14:30:00.000Z',
        decidedBy: { userId: '005Hs00000ABCdeIAF', role: 'chief_abm_officer', name: null },
        comment: 'tier_1 is full this quarter; revisit in July',
      },
      applied: false,
      assignedTier: 'tier_2',
    },
  },
  getAccountAudit: {
    params: { crmId: '18230045611' },
    query: { ...caller, limit: '2', apiRevision: '3' },
    response: {
      entries: [
        {
          ...auditEntry,
          id: '90412',
          at: '2026-04-15T10:05:00.000Z',
          action: 'review',
          fromTier: 'tier_2',
          toTier: 'tier_2',
          reason: null,
          route: null,
          outcome: 'recorded',
          approverRoles: [],
          approvalId: null,
          comment: 'Renewal on track; sponsor met in March',
        },
        auditEntry,
      ],
      nextCursor: 'v1.mnz1x2yo.1xkb',
    },
  },
  getTenantAudit: {
    query: { ...caller, before: 'v1.mnz1x2yo.1xkb' },
    response: {
      entries: [
        {
          ...auditEntry,
          id: '90188',
          at: '2026-04-13T22:00:00.000Z',
          action: 'out_of_app_edit',
          actor: null,
          fromTier: 'tier_3',
          toTier: 'tier_2',
          reason: null,
          route: null,
          outcome: 'audited',
          approverRoles: [],
          approvalId: null,
        },
      ],
      nextCursor: null,
    },
  },
  getGovernanceMetrics: {
    query: { ...caller, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', tier: 'abm' },
    response: { tier: 'abm', metrics: governanceMetricsToWire(metrics.value) },
  },
  getPortfolioReview: {
    query: { ...caller, limit: '50', apiRevision: '3' },
    response: {
      asOf: '2026-04-15T08:00:00.000Z',
      drift: [
        {
          crmId: '18230045700',
          name: 'Contoso Retail',
          assigned: 'tier_1',
          recommended: 'tier_3',
          steps: 2,
          direction: 'above',
          score: 41.2,
        },
      ],
      overdueReviews: [
        {
          crmId: '18230045611',
          name: 'Northwind Logistics',
          tier: 'tier_2',
          dueAt: '2026-03-30T09:00:00.000Z',
          overdueDays: 15,
          reviewAllowed: true,
        },
      ],
      capacity: { tier_1: capacity(24, 25), tier_2: capacity(103, 100), tier_3: capacity(311, 500) },
      totals: { drift: 1, overdueReviews: 1 },
    },
  },
  getMarketingDelivery: {
    query: { ...caller, months: '6' },
    response: {
      asOf: '2026-04-15T08:00:00.000Z',
      timezone: deliveryZone,
      currentMonth: deliveryOf(april, { start: april.start, end: deliveryAsOf }),
      months: [
        {
          ...deliveryOf(march, march),
          recordedAt: '2026-03-31T22:05:00.000Z',
          configVersion: 3,
        },
      ],
    },
  },
  getConfig: {
    response: {
      version: 3,
      savedAt: '2026-03-02T11:00:00.000Z',
      savedBy: 'admin@northwind.example',
      config: { ...DEFAULT_GOVERNANCE_CONFIG, version: 3 },
      history: [
        { version: 3, savedAt: '2026-03-02T11:00:00.000Z', savedBy: 'admin@northwind.example' },
        { version: 2, savedAt: '2026-02-01T11:00:00.000Z', savedBy: 'admin@northwind.example' },
        { version: 1, savedAt: '2026-01-05T08:00:00.000Z', savedBy: null },
      ],
    },
  },
  putConfig: {
    body: { ...configWithoutVersion, basedOnVersion: 3 },
    response: {
      version: 4,
      savedAt: '2026-04-15T09:00:00.000Z',
      savedBy: 'admin@northwind.example',
      config: { ...DEFAULT_GOVERNANCE_CONFIG, version: 4 },
    },
  },
  getRoles: {
    response: {
      users: { '81234567': ['marketer'], '81239999': ['abm_committee', 'abm_manager'] },
      updatedAt: '2026-03-02T11:05:00.000Z',
      updatedBy: 'admin@northwind.example',
    },
  },
  putRoles: {
    body: {
      users: {
        '81234567': ['marketer'],
        '81239999': ['abm_committee', 'abm_manager'],
        '81230001': ['sales_rep'],
      },
    },
    response: {
      users: {
        '81234567': ['marketer'],
        '81239999': ['abm_committee', 'abm_manager'],
        '81230001': ['sales_rep'],
      },
      updatedAt: '2026-04-15T09:05:00.000Z',
      updatedBy: 'admin@northwind.example',
    },
  },
  getCosts: {
    query: { from: '2026-01', to: '2026-03' },
    response: {
      currency: 'EUR',
      lines: [
        {
          id: '311',
          period: '2026-01',
          category: 'programme_budget',
          amount: 20000,
          enteredAt: '2026-02-03T10:00:00.000Z',
          enteredBy: 'admin@northwind.example',
        },
        {
          id: '318',
          period: '2026-02',
          category: 'sales_time',
          hours: 120,
          note: 'AE time on tier 1 plans',
          enteredAt: '2026-03-02T10:00:00.000Z',
          enteredBy: null,
        },
      ],
    },
  },
  postCosts: {
    body: {
      lines: [
        { period: '2026-03', category: 'technology', amount: 4200, note: 'Intent data licence' },
        { period: '2026-03', category: 'sales_time', hours: 96 },
      ],
      mode: 'append',
    },
    response: {
      saved: 2,
      lines: [
        {
          id: '322',
          period: '2026-03',
          category: 'technology',
          amount: 4200,
          note: 'Intent data licence',
          enteredAt: '2026-04-15T09:10:00.000Z',
          enteredBy: 'admin@northwind.example',
        },
        {
          id: '323',
          period: '2026-03',
          category: 'sales_time',
          hours: 96,
          enteredAt: '2026-04-15T09:10:00.000Z',
          enteredBy: 'admin@northwind.example',
        },
      ],
    },
  },
  triggerSync: { body: { full: false }, response: { status: 'started', runId: 412 } },
  getSyncStatus: {
    response: {
      tenant: { system: 'salesforce', externalId: '00D5g000004ABCDEAA', name: 'Northwind (Salesforce)' },
      lastSucceededAt: '2026-04-15T07:55:12.481Z',
      runs: [
        {
          id: 412,
          kind: 'sync',
          status: 'running',
          startedAt: '2026-04-15T08:10:00.000Z',
          updatedAt: '2026-04-15T08:10:04.200Z',
          finishedAt: null,
          counts: { accounts: 1200, computed: 310 },
          error: null,
        },
        {
          id: 411,
          kind: 'sync',
          status: 'succeeded',
          startedAt: '2026-04-15T07:55:00.000Z',
          updatedAt: '2026-04-15T07:55:12.481Z',
          finishedAt: '2026-04-15T07:55:12.481Z',
          counts: { accounts: 14, computed: 14, written: 3 },
          error: null,
        },
      ],
    },
  },
  receiveHubSpotWebhook: {
    body: [
      {
        eventId: 3816279340,
        subscriptionId: 25,
        portalId: 44871203,
        appId: 1160452,
        occurredAt: 1776244307945,
        subscriptionType: 'company.propertyChange',
        attemptNumber: 0,
        objectId: 18230045611,
        propertyName: 'hs_ideal_customer_profile',
        propertyValue: 'tier_1',
        changeSource: 'CRM_UI',
      },
      {
        eventId: 3816279341,
        subscriptionId: 1002,
        portalId: 44871203,
        appId: 1160452,
        occurredAt: 1776244308001,
        subscriptionType: 'company.merge',
        attemptNumber: 0,
        objectId: 18230045700,
        changeSource: 'CRM_UI',
        primaryObjectId: 18230045700,
        mergedObjectIds: [18230045699],
        newObjectId: 18230045700,
      },
    ],
    response: { received: 2, duplicates: 0 },
  },
  receiveSalesforceWebhook: {
    body: {
      records: [
        { sobject: 'Account', id: '0015g00000XyZabAAB' },
        { sobject: 'Opportunity', id: '0065g00000AbCde' },
      ],
    },
    response: { received: 2, duplicates: 1 },
  },
  healthz: { response: { status: 'ok' } },
  readyz: { response: { status: 'ready', checks: { store: 'ok', migrations: 'ok' } } },
  getOpenApiDocument: {
    response: { openapi: '3.1.0', info: { title: 'ABM Pilot API', version: '1' }, paths: {} },
  },
  consoleLogin: {
    body: { token: 'abm_adm_0123456789abcdef.secret-part-of-the-token' },
    response: consoleSession,
  },
  getConsoleSession: { response: consoleSession },
  consoleLogout: { body: {}, response: { loggedOut: true } },
  switchConsoleTenant: {
    body: { system: 'hubspot', externalId: '44871203' },
    response: consoleSession,
  },
  listConsoleAccounts: {
    query: { q: 'north', segment: 'tier_1', sla: 'breached', sort: 'score', order: 'desc', limit: '25' },
    response: {
      asOf: '2026-04-15T10:00:00.000Z',
      total: 1,
      offset: 0,
      limit: 25,
      accounts: [
        {
          crmId: '18230045611',
          name: 'Northwind Logistics',
          tier: 'tier_1',
          recommendedTier: 'tier_2',
          score: 71.4,
          drift: { steps: 1, direction: 'above' },
          sla: 'breached',
          owner: { userId: '81230001', name: 'Tom Becker' },
          pendingApproval: false,
        },
      ],
    },
  },
};
