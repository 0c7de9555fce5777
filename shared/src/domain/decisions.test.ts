import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { GovernanceConfig } from '../config/schema.ts';
import type { Approval, RoutingContext, TierChangeRequest } from './decisions.ts';
import {
  admitApproval,
  expireDueApprovals,
  governOutOfAppEdit,
  ledgerAfterChange,
  openApproval,
  readCrmTier,
  routeTierChange,
  seatLimitOfRoute,
  transitionApproval,
  UNKNOWN_EDITOR,
} from './decisions.ts';

const config = DEFAULT_GOVERNANCE_CONFIG;
const paris = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toMillis();
// Monday 2026-11-30, 10:00 in Paris.
const now = paris('2026-11-30T10:00');

const context: RoutingContext = {
  score: 58,
  recommendedTier: 'tier_2',
  tierCounts: { tier_1: 20, tier_2: 80, tier_3: 300 },
  hasPendingApproval: false,
  calendar: config.businessHours,
};

const marketer = { userId: 'u-marketer', role: 'marketer' } as const;
const request = (overrides: Partial<TierChangeRequest> = {}): TierChangeRequest => ({
  accountId: 'acc-1',
  actor: marketer,
  fromTier: 'tier_3',
  toTier: 'tier_2',
  reason: null,
  ...overrides,
});

describe('routing a tier change', () => {
  it('applies at once a marketer moving an account from tier_3 to tier_2 within capacity', () => {
    const decision = routeTierChange(request(), context, config, now);
    expect(decision.outcome).toBe('applied');
    expect(decision.audit).toMatchObject({
      at: now,
      actor: marketer,
      fromTier: 'tier_3',
      toTier: 'tier_2',
      route: 'routine',
      outcome: 'applied',
      score: 58,
      recommendedTier: 'tier_2',
    });
  });

  it("sends the same marketer's move to tier_1 to the ABM committee, due in 5 business days", () => {
    const decision = routeTierChange(request({ toTier: 'tier_1' }), context, config, now);
    expect(decision).toMatchObject({
      outcome: 'needs_approval',
      route: 'tier_1',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
      dueAt: paris('2026-12-07T10:00'),
      expiresAt: paris('2026-12-14T10:00'),
    });
    expect(decision.audit.outcome).toBe('needs_approval');
  });

  it('treats a move out of tier_1 as major too', () => {
    const decision = routeTierChange(request({ fromTier: 'tier_1', toTier: 'tier_2' }), context, config, now);
    expect(decision).toMatchObject({ outcome: 'needs_approval', route: 'tier_1' });
  });

  it('lets the committee apply a tier_1 change itself', () => {
    const committee = { userId: 'u-committee', role: 'abm_committee' } as const;
    const decision = routeTierChange(request({ actor: committee, toTier: 'tier_1' }), context, config, now);
    expect(decision).toMatchObject({ outcome: 'applied', route: 'tier_1' });
  });

  it('sends a change that exceeds capacity to the Chief ABM Officer, even from the committee', () => {
    const full = { ...context, tierCounts: { tier_1: 25, tier_2: 80, tier_3: 300 } };
    const committee = { userId: 'u-committee', role: 'abm_committee' } as const;
    const decision = routeTierChange(request({ actor: committee, toTier: 'tier_1' }), full, config, now);
    expect(decision).toMatchObject({
      outcome: 'needs_approval',
      route: 'over_capacity',
      approverRoles: ['chief_abm_officer'],
    });

    const cabo = { userId: 'u-cabo', role: 'chief_abm_officer' } as const;
    expect(routeTierChange(request({ actor: cabo, toTier: 'tier_1' }), full, config, now).outcome).toBe(
      'applied',
    );
  });

  it('refuses a change beyond the hard ceiling over capacity', () => {
    const overflowing = { ...context, tierCounts: { tier_1: 20, tier_2: 120, tier_3: 300 } };
    const decision = routeTierChange(request(), overflowing, config, now);
    expect(decision).toMatchObject({ outcome: 'rejected', code: 'capacity_exceeded' });
    expect(decision.audit).toMatchObject({ outcome: 'rejected', code: 'capacity_exceeded' });
  });

  it('requires a written reason for a target more than one tier from the recommendation', () => {
    const lowScore = { ...context, recommendedTier: null, score: 20 };
    const noReason = routeTierChange(request({ toTier: 'tier_2' }), lowScore, config, now);
    expect(noReason).toMatchObject({ outcome: 'rejected', code: 'reason_required' });
    const blank = routeTierChange(request({ toTier: 'tier_2', reason: '   ' }), lowScore, config, now);
    expect(blank).toMatchObject({ outcome: 'rejected', code: 'reason_required' });
    const reasoned = routeTierChange(
      request({ toTier: 'tier_2', reason: 'Board-level project' }),
      lowScore,
      config,
      now,
    );
    expect(reasoned).toMatchObject({ outcome: 'applied', audit: { reason: 'Board-level project' } });
  });

  it("turns a sales rep's change into a request that an ABM manager decides", () => {
    const rep = { userId: 'u-rep', role: 'sales_rep' } as const;
    const decision = routeTierChange(request({ actor: rep }), context, config, now);
    expect(decision).toMatchObject({
      outcome: 'needs_approval',
      route: 'sales_request',
      approverRoles: ['abm_manager', 'abm_committee', 'chief_abm_officer'],
    });
  });

  it('refuses a role that may not request changes under the tenant rules', () => {
    const strict: GovernanceConfig = {
      ...config,
      decisionRights: {
        ...config.decisionRights,
        roles: { ...config.decisionRights.roles, sales_rep: { mayRequest: false, mayApply: [] } },
      },
    };
    const rep = { userId: 'u-rep', role: 'sales_rep' } as const;
    expect(routeTierChange(request({ actor: rep }), context, strict, now)).toMatchObject({
      outcome: 'rejected',
      code: 'not_allowed_for_role',
    });
  });

  it('applies at once an ABM manager moving an account among tier_2, tier_3 and untargeted', () => {
    const manager = { userId: 'u-manager', role: 'abm_manager' } as const;
    for (const [fromTier, toTier] of [
      ['tier_3', 'tier_2'],
      ['tier_2', 'tier_3'],
      ['tier_3', null],
      [null, 'tier_3'],
    ] as const) {
      const move = request({ actor: manager, fromTier, toTier, reason: 'Portfolio review' });
      const decision = routeTierChange(move, context, config, now);
      expect(decision).toMatchObject({ outcome: 'applied', route: 'routine' });
    }
  });

  it('refuses a no-op and a second request while one is pending', () => {
    expect(routeTierChange(request({ toTier: 'tier_3' }), context, config, now)).toMatchObject({
      code: 'no_change',
    });
    expect(routeTierChange(request(), { ...context, hasPendingApproval: true }, config, now)).toMatchObject({
      code: 'approval_pending',
    });
  });
});

describe('approval state machine', () => {
  const pending = (): Approval => {
    const tierOneRequest = request({ toTier: 'tier_1', reason: 'Signed framework agreement' });
    const decision = routeTierChange(tierOneRequest, context, config, now);
    if (decision.outcome !== 'needs_approval') throw new Error('expected an approval');
    return openApproval('apr-1', tierOneRequest, decision);
  };
  const committee = { userId: 'u-committee', role: 'abm_committee' } as const;
  const later = paris('2026-12-02T11:00');

  it('opens pending with the request, route, approvers and deadlines', () => {
    expect(pending()).toMatchObject({
      id: 'apr-1',
      state: 'pending',
      route: 'tier_1',
      requestedBy: marketer,
      reason: 'Signed framework agreement',
      dueAt: paris('2026-12-07T10:00'),
    });
  });

  it('is approved by an approver role, with an audit entry naming who and when', () => {
    const result = transitionApproval(
      pending(),
      { type: 'approve', by: committee, comment: 'Agreed' },
      later,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.approval).toMatchObject({
      state: 'approved',
      decidedAt: later,
      decidedBy: committee,
    });
    expect(result.value.audit).toMatchObject({
      action: 'approval_decision',
      outcome: 'approved',
      approvalId: 'apr-1',
      actor: committee,
      toTier: 'tier_1',
      comment: 'Agreed',
    });
  });

  it('cannot be decided by a role that is not an approver', () => {
    const result = transitionApproval(pending(), { type: 'approve', by: marketer, comment: null }, later);
    expect(result).toMatchObject({ ok: false, error: { code: 'not_allowed_for_role' } });
  });

  it('needs a comment to reject', () => {
    const result = transitionApproval(pending(), { type: 'reject', by: committee, comment: ' ' }, later);
    expect(result).toMatchObject({ ok: false, error: { code: 'comment_required' } });
    const rejected = transitionApproval(
      pending(),
      { type: 'reject', by: committee, comment: 'No budget' },
      later,
    );
    expect(rejected).toMatchObject({
      ok: true,
      value: { approval: { state: 'rejected' }, audit: { outcome: 'approval_rejected' } },
    });
  });

  it('refuses every transition out of a decided state', () => {
    const approved = transitionApproval(pending(), { type: 'approve', by: committee, comment: null }, later);
    if (!approved.ok) throw new Error('expected approval');
    for (const event of [
      { type: 'approve', by: committee, comment: null },
      { type: 'reject', by: committee, comment: 'x' },
      { type: 'cancel', by: marketer },
      { type: 'expire' },
    ] as const) {
      expect(transitionApproval(approved.value.approval, event, later)).toMatchObject({
        ok: false,
        error: { code: 'illegal_transition' },
      });
    }
  });

  it('expires only once its expiry has passed, and then can no longer be approved', () => {
    const approval = pending();
    expect(transitionApproval(approval, { type: 'expire' }, later)).toMatchObject({
      error: { code: 'not_expired_yet' },
    });
    const afterExpiry = approval.expiresAt + 1;
    expect(
      transitionApproval(approval, { type: 'approve', by: committee, comment: null }, afterExpiry),
    ).toMatchObject({
      error: { code: 'approval_expired' },
    });
    const expired = expireDueApprovals(
      [approval, { ...approval, id: 'apr-2', expiresAt: afterExpiry + 1 }],
      afterExpiry,
    );
    expect(expired.map((t) => [t.approval.id, t.approval.state, t.audit.actor])).toEqual([
      ['apr-1', 'expired', null],
    ]);
  });

  it("lets an ABM manager approve a sales rep's request", () => {
    const rep = { userId: 'u-rep', role: 'sales_rep' } as const;
    const repRequest = request({ actor: rep });
    const decision = routeTierChange(repRequest, context, config, now);
    if (decision.outcome !== 'needs_approval') throw new Error('expected an approval');
    const manager = { userId: 'u-manager', role: 'abm_manager' } as const;
    const result = transitionApproval(
      openApproval('apr-9', repRequest, decision),
      { type: 'approve', by: manager, comment: null },
      later,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { approval: { state: 'approved', decidedBy: manager } },
    });
  });

  it('does not let the committee decide an over-capacity request, which belongs to the Chief ABM Officer', () => {
    const full = { ...context, tierCounts: { tier_1: 25, tier_2: 80, tier_3: 300 } };
    const overRequest = request({ actor: committee, toTier: 'tier_1' });
    const decision = routeTierChange(overRequest, full, config, now);
    if (decision.outcome !== 'needs_approval') throw new Error('expected an approval');
    const approval = openApproval('apr-8', overRequest, decision);
    const otherMember = { userId: 'u-committee-2', role: 'abm_committee' } as const;
    expect(
      transitionApproval(approval, { type: 'approve', by: otherMember, comment: null }, later),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_for_role' },
    });
    const cabo = { userId: 'u-cabo', role: 'chief_abm_officer' } as const;
    expect(transitionApproval(approval, { type: 'approve', by: cabo, comment: null }, later)).toMatchObject({
      ok: true,
    });
  });

  it('does not let the requester approve or reject their own request, even in an approver role', () => {
    const ownRequest: Approval = { ...pending(), requestedBy: committee };
    for (const event of [
      { type: 'approve', by: committee, comment: null },
      { type: 'reject', by: committee, comment: 'Changed my mind' },
    ] as const) {
      expect(transitionApproval(ownRequest, event, later)).toMatchObject({
        ok: false,
        error: { code: 'self_approval' },
      });
    }
    const colleague = { userId: 'u-committee-2', role: 'abm_committee' } as const;
    expect(
      transitionApproval(ownRequest, { type: 'approve', by: colleague, comment: null }, later),
    ).toMatchObject({ ok: true });
    expect(transitionApproval(ownRequest, { type: 'cancel', by: committee }, later)).toMatchObject({
      ok: true,
    });
  });

  it('is expired from its expiry instant exactly: approving then fails and expiring succeeds', () => {
    const approval = pending();
    const justBefore = approval.expiresAt - 1;
    expect(
      transitionApproval(approval, { type: 'approve', by: committee, comment: null }, justBefore),
    ).toMatchObject({ ok: true });
    expect(transitionApproval(approval, { type: 'expire' }, justBefore)).toMatchObject({
      error: { code: 'not_expired_yet' },
    });
    expect(
      transitionApproval(approval, { type: 'approve', by: committee, comment: null }, approval.expiresAt),
    ).toMatchObject({ error: { code: 'approval_expired' } });
    expect(transitionApproval(approval, { type: 'expire' }, approval.expiresAt)).toMatchObject({
      ok: true,
      value: { approval: { state: 'expired', decidedAt: approval.expiresAt } },
    });
    expect(expireDueApprovals([approval], approval.expiresAt)).toHaveLength(1);
  });

  it('refuses every transition out of rejected, expired and cancelled', () => {
    const settled = [
      transitionApproval(pending(), { type: 'reject', by: committee, comment: 'No' }, later),
      transitionApproval(pending(), { type: 'expire' }, pending().expiresAt),
      transitionApproval(pending(), { type: 'cancel', by: marketer }, later),
    ];
    const cabo = { userId: 'u-cabo', role: 'chief_abm_officer' } as const;
    for (const result of settled) {
      if (!result.ok) throw new Error(result.error.message);
      const { approval } = result.value;
      for (const event of [
        { type: 'approve', by: cabo, comment: null },
        { type: 'reject', by: cabo, comment: 'x' },
        { type: 'cancel', by: marketer },
        { type: 'expire' },
      ] as const) {
        expect(
          transitionApproval(approval, event, approval.expiresAt + 1),
          `${approval.state} ${event.type}`,
        ).toMatchObject({
          ok: false,
          error: { code: 'illegal_transition' },
        });
      }
    }
  });

  it('may be cancelled by an approver', () => {
    expect(transitionApproval(pending(), { type: 'cancel', by: committee }, later)).toMatchObject({
      ok: true,
      value: { approval: { state: 'cancelled', decidedBy: committee }, audit: { outcome: 'cancelled' } },
    });
  });

  it('may be cancelled by its requester but not by a stranger', () => {
    const rep = { userId: 'u-someone', role: 'sales_rep' } as const;
    expect(transitionApproval(pending(), { type: 'cancel', by: rep }, later)).toMatchObject({
      error: { code: 'not_allowed_for_role' },
    });
    expect(transitionApproval(pending(), { type: 'cancel', by: marketer }, later)).toMatchObject({
      ok: true,
      value: { approval: { state: 'cancelled' } },
    });
  });
});

describe('tier edits made outside the app', () => {
  const edit = {
    accountId: 'acc-9',
    knownTier: 'tier_3',
    crmTier: 'tier_1',
    editedBy: null,
    reason: null,
  } as const;
  const enforcing: GovernanceConfig = {
    ...config,
    decisionRights: { ...config.decisionRights, outOfAppEdits: 'enforce' },
  };

  it('are kept and audited once in audit mode', () => {
    const verdict = governOutOfAppEdit(edit, context, config, now, 'apr-1');
    expect(verdict).toEqual({
      action: 'keep',
      audit: expect.objectContaining({
        action: 'out_of_app_edit',
        outcome: 'audited',
        fromTier: 'tier_3',
        toTier: 'tier_1',
        actor: null,
      }),
    });
  });

  it('are reverted in enforce mode and become one approval request, named in one audit entry', () => {
    const verdict = governOutOfAppEdit(
      { ...edit, reason: 'Board sponsor' },
      context,
      enforcing,
      now,
      'apr-1',
    );
    expect(verdict.action).toBe('revert');
    if (verdict.action !== 'revert') return;
    expect(verdict.approval).toMatchObject({
      id: 'apr-1',
      route: 'tier_1',
      fromTier: 'tier_3',
      toTier: 'tier_1',
      requestedBy: UNKNOWN_EDITOR,
      state: 'pending',
    });
    expect(verdict.audit).toMatchObject({
      action: 'out_of_app_edit',
      outcome: 'reverted',
      route: 'tier_1',
      approvalId: 'apr-1',
      approverRoles: ['abm_committee', 'chief_abm_officer'],
    });
  });

  it('in enforce mode hold an edit two tiers from the recommendation to the written-reason rule', () => {
    const verdict = governOutOfAppEdit(
      { ...edit, knownTier: 'tier_2', crmTier: null },
      { ...context, recommendedTier: 'tier_1' },
      enforcing,
      now,
      'apr-1',
    );
    expect(verdict).toMatchObject({
      action: 'revert',
      approval: null,
      audit: { outcome: 'reverted', code: 'reason_required', route: null },
    });
  });

  it('in enforce mode let stand an edit its named editor could have made in the app', () => {
    const verdict = governOutOfAppEdit(
      { ...edit, knownTier: 'tier_3', crmTier: 'tier_2', editedBy: marketer },
      context,
      enforcing,
      now,
      'apr-1',
    );
    expect(verdict).toMatchObject({
      action: 'keep',
      audit: { outcome: 'applied', route: 'routine', actor: marketer },
    });
  });
});

describe('reading the tier the CRM shows', () => {
  it('is in sync when the CRM holds the assigned tier', () => {
    expect(readCrmTier('tier_2', 'tier_2', ['tier_3'])).toBe('in_sync');
  });

  it('is catching up when the CRM still holds a tier ABM Pilot replaced and has not seen written yet', () => {
    const ledger = ledgerAfterChange([], 'tier_3', 'tier_2');
    expect(ledger).toEqual(['tier_3']);
    expect(readCrmTier('tier_3', 'tier_2', ledger)).toBe('catching_up');
  });

  it('is an edit when the CRM holds neither the assigned tier nor one of the ledger', () => {
    expect(readCrmTier('tier_1', 'tier_2', ['tier_3'])).toBe('edited');
    expect(readCrmTier(null, 'tier_2', [])).toBe('edited');
  });

  it('drops the new tier from the ledger when a change goes back to it', () => {
    expect(ledgerAfterChange(['tier_3'], 'tier_2', 'tier_3')).toEqual(['tier_2']);
    expect(ledgerAfterChange(['tier_3'], 'tier_3', null)).toEqual(['tier_3']);
  });
});

describe('capacity when a decision takes effect', () => {
  const tiers = { ...config.tiers, capacity: { tier_1: 10, tier_2: 10, tier_3: 500 } };
  const small: GovernanceConfig = { ...config, tiers };

  it('limits a routine change to the capacity and an over-capacity one to the ceiling', () => {
    expect(seatLimitOfRoute('tier_2', 'routine', tiers)).toBe(10);
    expect(seatLimitOfRoute('tier_2', 'over_capacity', tiers)).toBe(12);
    expect(seatLimitOfRoute(null, 'routine', tiers)).toBeNull();
  });

  it('lets the committee approve into tier_1 while a seat is free, and no further', () => {
    expect(
      admitApproval({ toTier: 'tier_1' }, ['abm_committee'], { tier_1: 9, tier_2: 0, tier_3: 0 }, small),
    ).toEqual({ ok: true, value: { seatLimit: 10 } });
    expect(
      admitApproval({ toTier: 'tier_1' }, ['abm_committee'], { tier_1: 10, tier_2: 0, tier_3: 0 }, small),
    ).toMatchObject({
      ok: false,
      error: { code: 'over_capacity_needs_approver', approverRoles: ['chief_abm_officer'] },
    });
  });

  it('lets the Chief ABM Officer approve over capacity up to the ceiling, never beyond', () => {
    const chief = ['chief_abm_officer'] as const;
    expect(admitApproval({ toTier: 'tier_2' }, chief, { tier_1: 0, tier_2: 11, tier_3: 0 }, small)).toEqual({
      ok: true,
      value: { seatLimit: 12 },
    });
    expect(
      admitApproval({ toTier: 'tier_2' }, chief, { tier_1: 0, tier_2: 12, tier_3: 0 }, small),
    ).toMatchObject({ ok: false, error: { code: 'capacity_exceeded' } });
  });

  it('sets no seat limit on taking an account out of targeting', () => {
    expect(
      admitApproval({ toTier: null }, ['abm_manager'], { tier_1: 9, tier_2: 99, tier_3: 999 }, small),
    ).toEqual({ ok: true, value: { seatLimit: null } });
  });
});
