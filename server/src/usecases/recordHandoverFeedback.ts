import type { DomainError, HandoverDecision, HandoverFeedbackResponse, Result } from '@abm-pilot/shared';
import { applySlaEvent, err, instantToIso, ok, slaInstanceToView } from '@abm-pilot/shared';

import type { Store } from '../store/ports.ts';
import type { Person } from './rules.ts';
import { calendarOf, fingerprintOf, governanceConfigOf, loadAccount, requesterOf } from './rules.ts';

// The account owner answers a handover (accepted or rejected, with one of the tenant's reason codes): the
// answer is recorded and stops the account's sales_feedback clock, in one transaction.

export interface HandoverFeedbackInput {
  readonly tenantId: string;
  readonly accountCrmId: string;
  readonly person: Person;
  readonly decision: HandoverDecision;
  readonly reasonCode: string;
  readonly idempotencyKey: string | null;
}

export type HandoverFeedbackError = DomainError<
  'not_found' | 'forbidden' | 'unknown_reason_code' | 'conflict' | 'idempotency_key_reused'
>;

export async function recordHandoverFeedback(
  deps: { readonly store: Store; readonly clock: () => number },
  input: HandoverFeedbackInput,
): Promise<Result<HandoverFeedbackResponse, HandoverFeedbackError>> {
  const { store } = deps;
  const now = deps.clock();
  const account = await loadAccount(store, input.tenantId, input.accountCrmId, now);
  if (account === null) return err({ code: 'not_found', message: 'No such account.' });
  if (account.account.ownerCrmId !== input.person.userId) {
    return err({ code: 'forbidden', message: 'Only the account owner answers a handover.' });
  }
  const config = await governanceConfigOf(store, input.tenantId);
  const applied = applySlaEvent(
    account.slaInstances,
    {
      type: 'feedback',
      accountId: input.accountCrmId,
      decision: input.decision,
      reasonCode: input.reasonCode,
      at: now,
    },
    config,
    () => calendarOf(config, account.owner),
  );
  if (!applied.ok) return err({ code: 'unknown_reason_code', message: applied.error.message });
  const stopped = applied.value.find(
    (instance) =>
      instance.kind === 'sales_feedback' &&
      instance.stoppedAt === now &&
      !account.slaInstances.includes(instance),
  );
  const response: HandoverFeedbackResponse = {
    decision: input.decision,
    reasonCode: input.reasonCode,
    recordedAt: instantToIso(now),
    sla: stopped ? slaInstanceToView(stopped, now) : null,
  };
  const recorded = await store.recordHandoverFeedback(input.tenantId, {
    feedback: {
      accountCrmId: input.accountCrmId,
      decision: input.decision,
      reasonCode: input.reasonCode,
      at: now,
      actor: requesterOf(input.person),
    },
    basedOnRevision: account.state.revision,
    slaInstances: applied.value,
    ...(input.idempotencyKey === null
      ? {}
      : {
          idempotency: {
            key: input.idempotencyKey,
            fingerprint: fingerprintOf(
              'handover',
              input.accountCrmId,
              input.person.userId,
              input.decision,
              input.reasonCode,
            ),
            response: { status: 200, body: response },
            now,
          },
        }),
  });
  if (!recorded.ok) {
    return recorded.error.code === 'idempotency_key_reused'
      ? err({
          code: 'idempotency_key_reused',
          message: 'This idempotency key was used for a different request.',
        })
      : err({ code: 'conflict', message: 'The account changed meanwhile; send the answer again.' });
  }
  return ok((recorded.value.replayed?.response.body as HandoverFeedbackResponse | undefined) ?? response);
}
