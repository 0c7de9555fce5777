import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { Approval, AuditEntry, TierChangeRequest } from '../domain/decisions.ts';
import { openApproval, routeTierChange, transitionApproval } from '../domain/decisions.ts';
import { reviewAuditEntry, reviewStatus } from '../domain/reviews.ts';
import type { GovernanceMetrics } from '../domain/metrics.ts';
import { computeGovernanceMetrics } from '../domain/metrics.ts';
import { scoreAccount } from '../domain/scoring.ts';
import { openSlaInstance } from '../domain/sla.ts';
import { DAY_MS, HOUR_MS } from '../domain/time.ts';
import { decodeAuditCursor, encodeAuditCursor, hiddenAuditActions } from './audit.ts';
import type { TierChangeResponse } from './accounts.ts';
import { TierChangeResponseSchema } from './accounts.ts';
import type { GovernanceMetricsWire } from './metrics.ts';
import { GovernanceMetricsWireSchema } from './metrics.ts';
import { instantToIso, isoToInstant } from './primitives.ts';
import { issuesOf, withExtraKey } from './testSupport.ts';
import type { ApprovalView, AuditEntryView } from './views.ts';
import {
  approvalToView,
  auditEntryToView,
  governanceMetricsToWire,
  reviewStatusToView,
  scoreToView,
  slaInstanceToView,
  tierChangeResponseOf,
} from './toWire.ts';
import {
  AccountReviewViewSchema,
  AccountSlaViewSchema,
  ApprovalViewSchema,
  AuditEntryViewSchema,
  ScoreViewSchema,
} from './views.ts';

const config = DEFAULT_GOVERNANCE_CONFIG;
const NOW = Date.parse('2026-04-14T09:12:03.000Z');
const names = (userId: string) => ({ u1: 'Léa Martin', u2: 'Ana Souza' })[userId] ?? null;

const request = (toTier: TierChangeRequest['toTier'], role: 'marketer' | 'sales_rep' = 'marketer') => ({
  accountId: '18230045611',
  actor: { userId: 'u1', role },
  fromTier: 'tier_2' as const,
  toTier,
  reason: 'Renewal in play',
});
const context = (overrides: { tier_1?: number } = {}) => ({
  score: 71.4,
  recommendedTier: 'tier_2' as const,
  tierCounts: { tier_1: overrides.tier_1 ?? 3, tier_2: 40, tier_3: 200 },
  hasPendingApproval: false,
  calendar: config.businessHours,
});

describe('tier change answers from the domain decision', () => {
  it('answers applied with the new tier for a routine move', () => {
    const decision = routeTierChange(request('tier_3'), context(), config, NOW);
    const answer = TierChangeResponseSchema.parse(tierChangeResponseOf(decision, null));
    expect(answer).toEqual({ outcome: 'applied', route: 'routine', tier: 'tier_3' });
  });

  it('answers needs_approval with the approval id, approvers and ISO deadlines for a move into tier_1', () => {
    const tierChange = request('tier_1');
    const decision = routeTierChange(tierChange, context(), config, NOW);
    if (decision.outcome !== 'needs_approval')
      throw new Error(`expected needs_approval, got ${decision.outcome}`);
    const approval = openApproval('apr_1', tierChange, decision);
    const answer = TierChangeResponseSchema.parse(tierChangeResponseOf(decision, approval));
    expect(answer).toMatchObject({ outcome: 'needs_approval', route: 'tier_1', approvalId: 'apr_1' });
    expect(answer.outcome === 'needs_approval' && isoToInstant(answer.dueAt)).toBe(decision.dueAt);
    expect(() => tierChangeResponseOf(decision, null)).toThrow(TypeError);
  });

  it('answers rejected with the domain code and message', () => {
    const decision = routeTierChange({ ...request('tier_2'), toTier: 'tier_2' }, context(), config, NOW);
    const answer = TierChangeResponseSchema.parse(tierChangeResponseOf(decision, null));
    expect(answer).toMatchObject({ outcome: 'rejected', code: 'no_change' });
  });

  it('discriminates on outcome: each variant keeps only its own fields', () => {
    const narrow = (answer: TierChangeResponse): string => {
      switch (answer.outcome) {
        case 'applied':
          return `applied ${answer.tier ?? 'untargeted'}`;
        case 'needs_approval':
          return `waiting on ${answer.approverRoles.join('/')}`;
        case 'rejected':
          return `rejected ${answer.code}`;
      }
    };
    expect(narrow(TierChangeResponseSchema.parse({ outcome: 'applied', route: 'routine', tier: null }))).toBe(
      'applied untargeted',
    );
    const mixed = { outcome: 'applied', route: 'routine', tier: 'tier_3', approvalId: 'apr_1' };
    expect(issuesOf(TierChangeResponseSchema, mixed)).toEqual([
      { path: ['approvalId'], message: expect.any(String) },
    ]);
    const unknown = { outcome: 'maybe', code: 'no_change', message: 'x' };
    expect(issuesOf(TierChangeResponseSchema, unknown)).toEqual([
      { path: ['outcome'], message: expect.any(String) },
    ]);
    const rejectedWithoutCode = { outcome: 'rejected', message: 'x' };
    expect(issuesOf(TierChangeResponseSchema, rejectedWithoutCode)).toEqual([
      { path: ['code'], message: expect.any(String) },
    ]);
  });
});

describe('domain records at the wire', () => {
  const tierChange = request('tier_1');
  const decision = routeTierChange(tierChange, context(), config, NOW);
  if (decision.outcome !== 'needs_approval') throw new Error('expected needs_approval');
  const pending: Approval = openApproval('apr_1', tierChange, decision);

  it('shows an approval with names, ISO instants, and every field of the domain record', () => {
    const view = ApprovalViewSchema.parse(approvalToView(pending, names));
    expect(view.requestedBy).toEqual({ userId: 'u1', role: 'marketer', name: 'Léa Martin' });
    expect(view.requestedAt).toBe('2026-04-14T09:12:03.000Z');
    expect(view.decidedAt).toBeNull();
    expectTypeOf<keyof ApprovalView>().toEqualTypeOf<keyof Approval>();
  });

  it('shows a decided approval with its decider', () => {
    const decided = transitionApproval(
      pending,
      { type: 'reject', by: { userId: 'u2', role: 'abm_committee' }, comment: 'Full this quarter' },
      NOW + HOUR_MS,
    );
    if (!decided.ok) throw new Error(decided.error.message);
    const view = ApprovalViewSchema.parse(approvalToView(decided.value.approval, names));
    expect(view).toMatchObject({
      state: 'rejected',
      decidedBy: { name: 'Ana Souza' },
      comment: 'Full this quarter',
    });
    const entry = AuditEntryViewSchema.parse(auditEntryToView({ ...decided.value.audit, id: 7 }, names));
    expect(entry).toMatchObject({ id: '7', outcome: 'approval_rejected', approvalId: 'apr_1' });
  });

  it('shows an audit entry with its id as a string and a system actor as null', () => {
    const audit: AuditEntry = { ...decision.audit, actor: null };
    const view = AuditEntryViewSchema.parse(auditEntryToView({ ...audit, id: 90211 }));
    expect(view).toMatchObject({ id: '90211', actor: null, outcome: 'needs_approval', route: 'tier_1' });
    expectTypeOf<keyof AuditEntryView>().toEqualTypeOf<keyof AuditEntry | 'id'>();
  });

  it('refuses a domain record carrying a field the contract does not know', () => {
    const view = approvalToView(pending);
    expect(issuesOf(ApprovalViewSchema, withExtraKey(view, [], 'escalatedTo'))).toEqual([
      { path: ['escalatedTo'], message: expect.any(String) },
    ]);
  });

  it('shows a review clock with who reviewed last, and no reviewer while never reviewed', () => {
    const status = reviewStatus(
      { tier: 'tier_1', lastReviewedAt: NOW, tieredAt: NOW - DAY_MS },
      config.tiers,
      NOW,
    );
    if (status === null) throw new Error('expected a review clock');
    const view = AccountReviewViewSchema.parse(
      reviewStatusToView(status, { userId: 'u2', role: 'abm_manager' }, names),
    );
    expect(view).toEqual({
      lastReviewedAt: instantToIso(NOW),
      lastReviewedBy: { userId: 'u2', role: 'abm_manager', name: 'Ana Souza' },
      nextDueAt: instantToIso(NOW + 30 * DAY_MS),
      overdue: false,
    });
    const never = reviewStatus({ tier: 'tier_1', lastReviewedAt: null, tieredAt: NOW }, config.tiers, NOW);
    if (never === null) throw new Error('expected a review clock');
    expect(reviewStatusToView(never, null)).toMatchObject({ lastReviewedAt: null, lastReviewedBy: null });
  });

  it('shows a review in the audit log to revision 3, and leaves it out of the pages of earlier clients', () => {
    const entry = reviewAuditEntry({
      accountId: '18230045611',
      actor: { userId: 'u2', role: 'abm_manager' },
      at: NOW,
      note: 'Renewal on track',
      tier: 'tier_2',
      score: 71.4,
      recommendedTier: 'tier_2',
    });
    expect(AuditEntryViewSchema.parse(auditEntryToView({ ...entry, id: 9 }, names))).toMatchObject({
      action: 'review',
      outcome: 'recorded',
      actor: { name: 'Ana Souza', role: 'abm_manager' },
      comment: 'Renewal on track',
    });
    expect(hiddenAuditActions(3)).toEqual([]);
    expect(hiddenAuditActions(2)).toEqual(['review']);
    expect(hiddenAuditActions(1)).toEqual(['review']);
  });

  it('shows an SLA clock with its status at now', () => {
    const instance = openSlaInstance(
      {
        kind: 'sales_follow_up',
        accountId: '18230045611',
        tier: 'tier_2',
        ownerId: 'u1',
        managerId: null,
        approvalId: null,
        startedAt: NOW,
      },
      config,
      config.businessHours,
    );
    expect(AccountSlaViewSchema.parse(slaInstanceToView(instance, NOW)).status).toBe('on_track');
    expect(slaInstanceToView(instance, instance.atRiskAt).status).toBe('at_risk');
    expect(slaInstanceToView(instance, instance.dueAt + 1).status).toBe('breached');
    expect(slaInstanceToView({ ...instance, stoppedAt: NOW + 1 }, NOW + 2)).toMatchObject({
      status: 'met',
      stoppedAt: instantToIso(NOW + 1),
    });
  });

  it('shows a score with labelled top reasons and its missing criteria', () => {
    const score = scoreAccount(
      {
        annualRevenue: 250_000_000,
        employees: 1200,
        pipelineAmount: 800_000,
        engagementPoints: 60,
        buyingRoles: ['decision_maker', 'champion'],
        existingCustomer: true,
        wonDeals: null,
        industry: 'software',
        region: 'emea',
        strategic: false,
      },
      config.scoring,
    );
    const view = ScoreViewSchema.parse(scoreToView(score));
    expect(view.value).toBe(score.score);
    expect(view.topReasons).toHaveLength(3);
    expect(view.topReasons.every((reason) => reason.label.length > 0)).toBe(true);
    expect(view.missing).toEqual(['win_history']);
  });
});

describe('governance metrics at the wire', () => {
  const period = { start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2026-07-01T00:00:00Z') };
  const computed = computeGovernanceMetrics(
    {
      accounts: [
        { id: 'a1', tier: 'tier_1', ownerId: 'u1', team: 'east' },
        { id: 'a2', tier: null, ownerId: 'u2', team: 'west' },
      ],
      deals: [
        {
          id: 'd1',
          accountId: 'a1',
          amount: 1000,
          stage: 'won',
          createdAt: period.start,
          closedAt: period.start + 86_400_000,
        },
        { id: 'd2', accountId: 'a2', amount: 500, stage: 'open', createdAt: period.start, closedAt: null },
      ],
      costLedger: [{ period: '2026-02', category: 'content', amount: 300 }],
      slaOutcomes: [],
      firstTouches: [],
      approvals: [],
      tierChanges: [],
    },
    period,
    Date.parse('2026-07-02T00:00:00Z'),
    config,
  );
  if (!computed.ok) throw new Error(computed.error.message);
  const metrics: GovernanceMetrics = computed.value;

  it("carries computeGovernanceMetrics' output field for field, instants as ISO", () => {
    const wire = GovernanceMetricsWireSchema.parse(governanceMetricsToWire(metrics));
    expect(wire.period).toEqual({ start: '2026-01-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' });
    expect(wire.wonDealSizeByQuarter.map((quarter) => quarter.quarter)).toEqual(['2026-Q1', '2026-Q2']);
    expect(wire.pipeline.abm.openShare).toEqual(metrics.pipeline.abm.openShare);
    expect(wire.roi).toEqual({ ...metrics.roi });
    expectTypeOf<keyof GovernanceMetricsWire>().toEqualTypeOf<keyof GovernanceMetrics>();
  });

  it('fails the contract when the domain grows a field the wire does not declare', () => {
    const grown = {
      ...metrics,
      pipeline: { ...metrics.pipeline, abm: { ...metrics.pipeline.abm, forecast: 1 } },
    };
    expect(issuesOf(GovernanceMetricsWireSchema, governanceMetricsToWire(grown))).toEqual([
      { path: ['pipeline', 'abm', 'forecast'], message: expect.any(String) },
    ]);
  });
});

describe('audit cursors', () => {
  it('decode to the position they were made from', () => {
    fc.assert(
      fc.property(fc.nat({ max: 8.64e15 }), fc.nat(), (at, id) => {
        expect(decodeAuditCursor(encodeAuditCursor({ at, id }))).toEqual({ at, id });
      }),
    );
  });

  it('refuse anything they were not made by', () => {
    for (const cursor of [
      '',
      'v1',
      'v1.abc',
      'v2.abc.def',
      'v1.ABC.def',
      'v1.zzzzzzzzzzz.1',
      '1700000000000',
    ]) {
      expect(decodeAuditCursor(cursor)).toBeNull();
    }
  });
});

describe('instants', () => {
  it('cross the wire and come back unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (instant) => {
        expect(isoToInstant(instantToIso(instant))).toBe(instant);
      }),
    );
  });
});
