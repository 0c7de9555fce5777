import type { ApprovalDecisionResponse, RecordReviewResponse, TierChangeResponse } from '@abm-pilot/shared';
import { CONTRACT_EXAMPLES } from '@abm-pilot/shared/fixtures';
import { describe, expect, it } from 'vitest';

import { i18nOf } from './i18n.tsx';
import {
  approvalOutcomeOf,
  driftLabelOf,
  reviewClockOf,
  reviewRecordedOf,
  tierChangeOutcomeOf,
} from './sentences.ts';

const en = i18nOf('en');
const fr = i18nOf('fr');

describe('the tier change outcome', () => {
  it('says the change applied, by which route, and whether the CRM record holds it', () => {
    const applied = { outcome: 'applied', route: 'routine', tier: 'tier_2', crmWrite: 'done' } as const;
    expect(tierChangeOutcomeOf(en, applied, 'tier_2')).toBe(
      'Applied (Routine change): the account is now Tier 2. The CRM record shows it now.',
    );
    expect(tierChangeOutcomeOf(fr, applied, 'tier_2')).toBe(
      "Appliqué (Changement courant) : le compte est désormais Tier 2. L'enregistrement CRM l'affiche déjà.",
    );
    expect(tierChangeOutcomeOf(fr, { ...applied, tier: null, crmWrite: 'pending' }, 'tier_2')).toBe(
      "Appliqué (Changement courant) : le compte est désormais Non ciblé. CRM ne l'a pas encore confirmé : l'enregistrement suivra d'ici quelques minutes.",
    );
  });

  it('says nothing of the CRM record when the answer does not', () => {
    expect(
      tierChangeOutcomeOf(en, { outcome: 'applied', route: 'over_capacity', tier: 'tier_1' }, 'tier_2'),
    ).toBe('Applied (Over capacity): the account is now Tier 1.');
  });

  it('names who decides a change sent for approval, and why a change was refused', () => {
    const waiting: TierChangeResponse = {
      outcome: 'needs_approval',
      route: 'tier_1',
      approvalId: 'apr_1',
      approverRoles: ['abm_manager', 'chief_abm_officer'],
      dueAt: '2026-11-30T14:05:00.000Z',
      expiresAt: '2026-12-14T14:05:00.000Z',
    };
    expect(tierChangeOutcomeOf(fr, waiting, 'tier_2')).toMatch(
      /^Soumis à approbation \(Décision Tier 1\) auprès de Responsable ABM ou Chief ABM Officer, échéance 30 nov\. 2026.*14:05 UTC\.$/,
    );
    expect(
      tierChangeOutcomeOf(
        fr,
        {
          outcome: 'rejected',
          code: 'reason_required',
          message: 'A reason is required.',
        },
        'tier_2',
      ),
    ).toBe('Refusé. Ce changement demande un motif écrit.');
    expect(
      tierChangeOutcomeOf(en, { outcome: 'rejected', code: 'no_change', message: 'Already there.' }, null),
    ).toBe('Refused. The account is already Not targeted.');
  });
});

describe('the approval outcome', () => {
  const example = CONTRACT_EXAMPLES.approveTierChange.response as ApprovalDecisionResponse;

  it('names the account and its tier now, with the CRM record after an approval', () => {
    const approved = {
      ...example,
      approval: { ...example.approval, state: 'approved' },
      assignedTier: null,
      crmWrite: 'done',
    } as const;
    expect(approvalOutcomeOf(en, approved, 'Northwind')).toBe(
      'Approved: Northwind is now Not targeted. The CRM record shows it now.',
    );
    expect(approvalOutcomeOf(fr, approved, 'Northwind')).toBe(
      "Approuvé : Northwind est désormais Non ciblé. L'enregistrement CRM l'affiche déjà.",
    );
    const rejected = {
      ...example,
      approval: { ...example.approval, state: 'rejected' },
      assignedTier: 'tier_3',
    } as const;
    expect(approvalOutcomeOf(fr, rejected, 'Northwind')).toBe('Refusé : Northwind reste Tier 3.');
  });
});

describe('drift', () => {
  it('reads in line, or how many tiers above or below the recommendation', () => {
    expect(driftLabelOf(en.messages, { steps: 0, direction: 'none' })).toBe('In line');
    expect(driftLabelOf(fr.messages, { steps: 2, direction: 'below' })).toBe('2 en dessous');
  });
});

describe('the portfolio review', () => {
  const answer = CONTRACT_EXAMPLES.recordAccountReview.response as RecordReviewResponse;

  it('says a review was recorded and when the next is due, in both languages', () => {
    expect(reviewRecordedOf(en, answer, 'Northwind Logistics')).toBe(
      'Northwind Logistics: Review recorded: the next one is due Jun 14, 2026, 10:05 AM UTC.',
    );
    expect(reviewRecordedOf(fr, answer, 'Northwind Logistics')).toMatch(
      /^Northwind Logistics : Revue enregistrée : la prochaine est prévue le 14 juin 2026.*10:05 UTC\.$/,
    );
  });

  it('says who reviewed last and in what role, and when the next review is due or since when overdue', () => {
    expect(reviewClockOf(en, answer.review)).toEqual({
      last: 'Last reviewed Apr 15, 2026, 10:05 AM UTC by Léa Martin (Marketer).',
      due: 'Next review due Jun 14, 2026, 10:05 AM UTC.',
    });
    const never = {
      lastReviewedAt: null,
      lastReviewedBy: null,
      nextDueAt: answer.review.nextDueAt,
      overdue: true,
    };
    expect(reviewClockOf(fr, never)).toEqual({
      last: 'Pas encore revu.',
      due: expect.stringMatching(/^Revue en retard depuis le 14 juin 2026.*10:05 UTC\.$/),
    });
  });
});
