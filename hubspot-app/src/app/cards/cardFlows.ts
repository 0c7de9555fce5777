import type {
  ApiFailure,
  HandoverDecision,
  HandoverResponse,
  RecordReviewResponse,
  TierChangeResponse,
  TierOrNone,
} from '@abm-pilot/hubspot-abm-client';

// The card's writes as tagged unions: what the user asked, and where the answer stands.

/** One attempt keeps its idempotency key through retries, so a retried request is applied once. */
export interface TierChangeAttempt {
  readonly toTier: TierOrNone;
  readonly reason: string;
  readonly idempotencyKey: string;
}

export type TierChangeFlow =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly attempt: TierChangeAttempt }
  | { readonly status: 'decided'; readonly attempt: TierChangeAttempt; readonly response: TierChangeResponse }
  | { readonly status: 'failed'; readonly attempt: TierChangeAttempt; readonly failure: ApiFailure };

export interface HandoverAnswer {
  readonly decision: HandoverDecision;
  readonly reasonCode: string;
  readonly idempotencyKey: string;
}

export type HandoverFlow =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly answer: HandoverAnswer }
  | { readonly status: 'recorded'; readonly answer: HandoverAnswer }
  | { readonly status: 'failed'; readonly answer: HandoverAnswer; readonly failure: ApiFailure };

/** A marketer's handover; one key per attempt, kept through retries. */
export type HandOverFlow =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly idempotencyKey: string }
  | { readonly status: 'done'; readonly response: HandoverResponse }
  | { readonly status: 'failed'; readonly idempotencyKey: string; readonly failure: ApiFailure };

/** A portfolio review with its note; retried under the same key, it is recorded once. */
export interface ReviewAttempt {
  readonly note: string;
  readonly idempotencyKey: string;
}

export type ReviewFlow =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly attempt: ReviewAttempt }
  | { readonly status: 'recorded'; readonly attempt: ReviewAttempt; readonly response: RecordReviewResponse }
  | { readonly status: 'failed'; readonly attempt: ReviewAttempt; readonly failure: ApiFailure };

/** Select values are strings: "none" stands for taking the account out of targeting. */
export const NOT_TARGETED_VALUE = 'none';
export const tierToValue = (tier: TierOrNone): string => tier ?? NOT_TARGETED_VALUE;
