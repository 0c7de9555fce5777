import type {
  AccountReviewView,
  ApprovalDecisionResponse,
  ConsoleAccountRow,
  CrmWriteStatus,
  RecordReviewResponse,
  TierChangeResponse,
  TierOrNone,
} from '@abm-pilot/shared';
import { fill, tierLabelOf } from '@abm-pilot/shared';

import type { I18n } from './i18n.tsx';
import type { Messages } from './messages.ts';

// Sentences the console builds from its catalog and the shared vocabulary, kept apart from the pages so
// that what a person reads after a decision can be checked in both languages without a browser.

/** How far the assigned tier sits from the recommendation: "In line", "1 above", "2 below". */
export const driftLabelOf = (messages: Messages, drift: ConsoleAccountRow['drift']): string =>
  drift.direction === 'none'
    ? messages.drift.none
    : fill(messages.drift[drift.direction], { steps: drift.steps });

/**
 * A decision's outcome followed by where the CRM record stands, as the server saw it when it answered;
 * an answer without `crmWrite` (an older server) says nothing about the record rather than guess.
 */
function withCrmWrite(
  { messages, vocabulary }: I18n,
  sentence: string,
  crmWrite: CrmWriteStatus | undefined,
): string {
  if (crmWrite === undefined) return sentence;
  return `${sentence} ${fill(vocabulary.crmWrite[crmWrite], { crm: messages.common.crmName })}`;
}

/** What became of a tier change request; `asked` is the tier it asked for. */
export function tierChangeOutcomeOf(i18n: I18n, answer: TierChangeResponse, asked: TierOrNone): string {
  const { messages, vocabulary, format } = i18n;
  const text = messages.account;
  switch (answer.outcome) {
    case 'applied':
      return withCrmWrite(
        i18n,
        fill(text.applied, {
          route: vocabulary.route[answer.route],
          tier: tierLabelOf(vocabulary, answer.tier),
        }),
        answer.crmWrite,
      );
    case 'needs_approval':
      return fill(text.sentForApproval, {
        route: vocabulary.route[answer.route],
        approvers: format.either(answer.approverRoles.map((role) => vocabulary.role[role])),
        due: format.instant(answer.dueAt),
      });
    case 'rejected':
      return fill(text.refused, {
        why: fill(vocabulary.tierChangeRefusal[answer.code], { tier: tierLabelOf(vocabulary, asked) }),
      });
  }
}

/** What became of an approval just decided; `account` names it. */
export function approvalOutcomeOf(i18n: I18n, answer: ApprovalDecisionResponse, account: string): string {
  const { messages, vocabulary } = i18n;
  const tier = tierLabelOf(vocabulary, answer.assignedTier);
  return answer.approval.state === 'approved'
    ? withCrmWrite(i18n, fill(messages.approvals.approved, { account, tier }), answer.crmWrite)
    : fill(messages.approvals.rejected, { account, tier });
}

/** A review just recorded, for `account`: when the next one falls due. */
export function reviewRecordedOf(i18n: I18n, answer: RecordReviewResponse, account: string): string {
  const { messages, vocabulary, format } = i18n;
  return fill(messages.review.recorded, {
    account,
    next: fill(vocabulary.review.recorded, { instant: format.instant(answer.review.nextDueAt) }),
  });
}

/** Where an account's review clock stands: the last review and by whom, and the next due or overdue. */
export function reviewClockOf(
  { messages, vocabulary, format }: I18n,
  review: AccountReviewView,
): { readonly last: string; readonly due: string } {
  const text = vocabulary.review;
  const reviewer = review.lastReviewedBy;
  return {
    last:
      review.lastReviewedAt === null
        ? text.neverReviewed
        : fill(text.lastReviewed, {
            instant: format.instant(review.lastReviewedAt),
            person:
              reviewer === null
                ? '—'
                : fill(messages.common.personWithRoles, {
                    person: reviewer.name ?? reviewer.userId,
                    roles: vocabulary.role[reviewer.role],
                  }),
          }),
    due: fill(review.overdue ? text.overdue : text.nextDue, { instant: format.instant(review.nextDueAt) }),
  };
}
