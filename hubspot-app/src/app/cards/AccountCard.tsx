import type { Fetcher, HandoverDecision, TierOrNone } from '@abm-pilot/hubspot-abm-client';
import {
  accountCardContract,
  handoverContract,
  handoverFeedbackContract,
  I18nProvider,
  newIdempotencyKey,
  recordReviewContract,
  requestOf,
  tierChangeContract,
  useAbmApi,
} from '@abm-pilot/hubspot-abm-client';
import type { ExtensionPointApiActions, ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';

import { AccountCardView } from './AccountCardView.tsx';
import type {
  HandOverFlow,
  HandoverAnswer,
  HandoverFlow,
  ReviewAttempt,
  ReviewFlow,
  TierChangeAttempt,
  TierChangeFlow,
} from './cardFlows.ts';

export interface AccountCardProps {
  readonly context: ExtensionPointApiContext<'crm.record.tab'>;
  readonly actions: Pick<ExtensionPointApiActions<'crm.record.tab'>, 'refreshObjectProperties'>;
  /** Defaults to `hubspot.fetch`. */
  readonly fetcher?: Fetcher;
  readonly newKey?: () => string;
  readonly now?: () => number;
}

/**
 * The company card: reads the account's card view and sends tier changes, handovers, handover answers
 * and portfolio reviews, in the language of the HubSpot user who opens it.
 */
export function AccountCard({
  context,
  actions,
  fetcher,
  newKey = newIdempotencyKey,
  now = Date.now,
}: AccountCardProps) {
  const caller = useMemo(
    () => ({ portalId: context.portal.id, userId: context.user.id }),
    [context.portal.id, context.user.id],
  );
  const crmId = String(context.crm.objectId);
  const read = useMemo(() => requestOf(accountCardContract, { params: { crmId } }), [crmId]);
  const api = useAbmApi(caller, read, fetcher);
  const [tierChange, setTierChange] = useState<TierChangeFlow>({ status: 'idle' });
  const [handover, setHandover] = useState<HandoverFlow>({ status: 'idle' });
  const [handOver, setHandOver] = useState<HandOverFlow>({ status: 'idle' });
  const [review, setReview] = useState<ReviewFlow>({ status: 'idle' });

  const sendTierChange = async (attempt: TierChangeAttempt) => {
    setTierChange({ status: 'sending', attempt });
    const reason = attempt.reason.trim();
    const result = await api.send(
      requestOf(tierChangeContract, {
        params: { crmId },
        body: {
          toTier: attempt.toTier,
          idempotencyKey: attempt.idempotencyKey,
          ...(reason === '' ? {} : { reason }),
        },
      }),
    );
    if (!result.ok) return setTierChange({ status: 'failed', attempt, failure: result.failure });
    setTierChange({ status: 'decided', attempt, response: result.value });
    // HubSpot confirmed the write: the record's own property panel shows the new tier once refreshed.
    if (result.value.outcome === 'applied' && result.value.crmWrite === 'done')
      actions.refreshObjectProperties();
    if (result.value.outcome !== 'rejected') api.refresh();
  };

  const sendHandover = async (answer: HandoverAnswer) => {
    setHandover({ status: 'sending', answer });
    const result = await api.send(
      requestOf(handoverFeedbackContract, { params: { crmId }, body: { ...answer } }),
    );
    if (!result.ok) return setHandover({ status: 'failed', answer, failure: result.failure });
    setHandover({ status: 'recorded', answer });
    api.refresh();
  };

  const sendHandOver = async (idempotencyKey: string) => {
    setHandOver({ status: 'sending', idempotencyKey });
    const result = await api.send(
      requestOf(handoverContract, { params: { crmId }, body: { idempotencyKey } }),
    );
    if (!result.ok) return setHandOver({ status: 'failed', idempotencyKey, failure: result.failure });
    setHandOver({ status: 'done', response: result.value });
    api.refresh();
  };

  const sendReview = async (attempt: ReviewAttempt) => {
    setReview({ status: 'sending', attempt });
    const note = attempt.note.trim();
    const result = await api.send(
      requestOf(recordReviewContract, {
        params: { crmId },
        body: { idempotencyKey: attempt.idempotencyKey, ...(note === '' ? {} : { note }) },
      }),
    );
    if (!result.ok) return setReview({ status: 'failed', attempt, failure: result.failure });
    setReview({ status: 'recorded', attempt, response: result.value });
    // The card re-reads the restarted clock: next due, no longer overdue.
    api.refresh();
  };

  return (
    <I18nProvider context={context}>
      <AccountCardView
        state={api.state}
        now={now()}
        onRetry={api.reload}
        tierChange={tierChange}
        onRequestTierChange={(toTier: TierOrNone, reason: string) =>
          void sendTierChange({ toTier, reason, idempotencyKey: newKey() })
        }
        onRetryTierChange={() => {
          if (tierChange.status === 'failed') void sendTierChange(tierChange.attempt);
        }}
        onDismissTierChange={() => setTierChange({ status: 'idle' })}
        handover={handover}
        onHandover={(decision: HandoverDecision, reasonCode: string) =>
          void sendHandover({ decision, reasonCode, idempotencyKey: newKey() })
        }
        onRetryHandover={() => {
          if (handover.status === 'failed') void sendHandover(handover.answer);
        }}
        handOver={handOver}
        onHandOver={() => void sendHandOver(newKey())}
        onRetryHandOver={() => {
          if (handOver.status === 'failed') void sendHandOver(handOver.idempotencyKey);
        }}
        review={review}
        onRecordReview={(note: string) => void sendReview({ note, idempotencyKey: newKey() })}
        onRetryReview={() => {
          if (review.status === 'failed') void sendReview(review.attempt);
        }}
      />
    </I18nProvider>
  );
}
