import type {
  Actor,
  DomainError,
  GovernanceConfig,
  Instant,
  RecordReviewResponse,
  Result,
  Tier,
} from '@abm-pilot/shared';
import {
  actorToView,
  err,
  instantToIso,
  ok,
  reviewAuditEntry,
  reviewRight,
  reviewStatus,
  reviewStatusToView,
} from '@abm-pilot/shared';

import type { AccountContext, ReviewWrite, Store } from '../store/ports.ts';
import type { Person } from './rules.ts';
import { fingerprintOf, governanceConfigOf, loadAccount } from './rules.ts';

// Someone records the portfolio review of an account (from its card, the portfolio review's overdue list or
// the console): the rights decide who may, the review is recorded with its audit entry in one transaction,
// and the account's review clock restarts for a full cadence of its tier.

export interface RecordReviewInput {
  readonly tenantId: string;
  readonly accountCrmId: string;
  readonly person: Person;
  /** Blank counts as none. */
  readonly note: string | null;
  readonly idempotencyKey: string;
}

export type RecordReviewError = DomainError<
  'not_found' | 'not_configured' | 'forbidden' | 'not_targeted' | 'conflict' | 'idempotency_key_reused'
>;

/** The account moved (a sync, a decision) between reading and recording: review it again as it is now. */
const MAX_ATTEMPTS = 4;

export async function recordReview(
  deps: { readonly store: Store; readonly clock: () => Instant },
  input: RecordReviewInput,
): Promise<Result<RecordReviewResponse, RecordReviewError>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const now = deps.clock();
    const account = await loadAccount(deps.store, input.tenantId, input.accountCrmId, now);
    if (account === null) return err({ code: 'not_found', message: 'No such account.' });
    if (account.state.score === null) {
      return err({ code: 'not_configured', message: 'The account has not been synced and scored yet.' });
    }
    const reviewer = reviewRight(input.person, {
      tier: account.state.assignedTier,
      abmOwnerId: account.account.abmOwnerCrmId,
    });
    if (!reviewer.ok) return err(reviewer.error);
    const config = await governanceConfigOf(deps.store, input.tenantId);
    const name = (await deps.store.people(input.tenantId, [input.person.userId])).get(input.person.userId);
    const reviewed = review(input, account, reviewer.value, name?.name ?? null, config, now);

    const recorded = await deps.store.recordReview(input.tenantId, reviewed.write);
    if (recorded.ok) {
      return ok(
        (recorded.value.replayed?.response.body as RecordReviewResponse | undefined) ?? reviewed.response,
      );
    }
    if (recorded.error.code === 'idempotency_key_reused') {
      return err({
        code: 'idempotency_key_reused',
        message: 'This idempotency key was used for a different request.',
      });
    }
  }
  return err({
    code: 'conflict',
    message: 'The account kept changing while the review was recorded; send it again.',
  });
}

/** The review of one reading of the account: the answer, and what to record with it. */
function review(
  input: RecordReviewInput,
  account: AccountContext,
  reviewer: Actor,
  reviewerName: string | null,
  config: GovernanceConfig,
  now: Instant,
): { readonly response: RecordReviewResponse; readonly write: ReviewWrite } {
  // `reviewRight` refused an untargeted account: the tier is one.
  const tier = account.state.assignedTier as Tier;
  const note = input.note?.trim() || null;
  // Reviewed now, the next review falls a full cadence of the tier away.
  const status = reviewStatus(
    { tier, lastReviewedAt: now, tieredAt: account.state.tieredAt ?? now },
    config.tiers,
    now,
  );
  if (status === null) throw new TypeError('A targeted account has a review clock.');
  const nameOf = () => reviewerName;
  const response: RecordReviewResponse = {
    recordedAt: instantToIso(now),
    reviewedBy: actorToView(reviewer, nameOf),
    note,
    tier,
    review: reviewStatusToView(status, reviewer, nameOf),
  };
  return {
    response,
    write: {
      accountCrmId: input.accountCrmId,
      basedOnRevision: account.state.revision,
      reviewedAt: now,
      audit: reviewAuditEntry({
        accountId: input.accountCrmId,
        actor: reviewer,
        at: now,
        note,
        tier,
        score: account.state.score?.score ?? null,
        recommendedTier: account.state.recommendedTier,
      }),
      idempotency: {
        key: input.idempotencyKey,
        fingerprint: fingerprintOf('review', input.accountCrmId, input.person.userId, note),
        response: { status: 200, body: response },
        now,
      },
    },
  };
}
