import type {
  AccountCardResponse,
  HandoverDecision,
  LoadState,
  TierOrNone,
} from '@abm-pilot/hubspot-abm-client';
import { FailureView, fill, LoadingView, useI18n } from '@abm-pilot/hubspot-abm-client';
import { Divider, EmptyState, Flex, Text } from '@hubspot/ui-extensions';

import {
  LastSync,
  OwnersSection,
  PendingApprovalSection,
  ReviewSection,
  ScoreSection,
  SlaSection,
  TierSection,
} from './AccountSections.tsx';
import { HandOverForm, HandoverForm, ReviewForm, TierChangeForm } from './CardForms.tsx';
import type { HandOverFlow, HandoverFlow, ReviewFlow, TierChangeFlow } from './cardFlows.ts';

export interface AccountCardViewProps {
  readonly state: LoadState<AccountCardResponse>;
  readonly now: number;
  readonly onRetry: () => void;
  readonly tierChange: TierChangeFlow;
  readonly onRequestTierChange: (toTier: TierOrNone, reason: string) => void;
  readonly onRetryTierChange: () => void;
  readonly onDismissTierChange: () => void;
  readonly handover: HandoverFlow;
  readonly onHandover: (decision: HandoverDecision, reasonCode: string) => void;
  readonly onRetryHandover: () => void;
  readonly handOver: HandOverFlow;
  readonly onHandOver: () => void;
  readonly onRetryHandOver: () => void;
  readonly review: ReviewFlow;
  readonly onRecordReview: (note: string) => void;
  readonly onRetryReview: () => void;
}

/** The company card for a state of its read; writes are callbacks. */
export function AccountCardView(props: AccountCardViewProps) {
  const { state, now } = props;
  const { messages, words } = useI18n();
  const text = messages.card;
  if (state.status === 'loading') return <LoadingView label={text.loading} />;
  if (state.status === 'failed') return <FailureView failure={state.failure} onRetry={props.onRetry} />;
  const card = state.data;
  const forms = (
    <>
      <TierChangeForm
        tierChange={card.actions.tierChange}
        awaitingApproval={card.pendingApproval !== null}
        flow={props.tierChange}
        onRequest={props.onRequestTierChange}
        onRetry={props.onRetryTierChange}
        onDismiss={props.onDismissTierChange}
      />
      <HandOverForm
        handOver={card.actions.handover}
        flow={props.handOver}
        onHandOver={props.onHandOver}
        onRetry={props.onRetryHandOver}
      />
      <HandoverForm
        handover={card.actions.handoverFeedback}
        flow={props.handover}
        onAnswer={props.onHandover}
        onRetry={props.onRetryHandover}
      />
      <ReviewForm
        allowed={card.actions.review?.allowed ?? false}
        flow={props.review}
        onRecord={props.onRecordReview}
        onRetry={props.onRetryReview}
      />
    </>
  );
  if (card.tier.assigned === null && card.pendingApproval === null) {
    const { notTargeted } = text;
    const { recommended } = card.tier;
    return (
      <Flex direction="column" gap="md">
        <EmptyState title={notTargeted.title} imageName="companies" layout="vertical" testId="not-targeted">
          <Text>
            {fill(notTargeted.body, { company: card.crm.name })}{' '}
            {recommended === null
              ? notTargeted.recommendsNothing
              : fill(notTargeted.recommends, { tier: words.tier(recommended) })}
          </Text>
        </EmptyState>
        {forms}
        <LastSync lastSyncAt={card.lastSyncAt} />
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="md" testId="account-card">
      <TierSection tier={card.tier} />
      <PendingApprovalSection approval={card.pendingApproval} />
      <ScoreSection score={card.score} />
      <Divider />
      <SlaSection slas={card.slas} now={now} />
      <OwnersSection owners={card.owners} />
      <ReviewSection review={card.review} />
      <Divider />
      {forms}
      <LastSync lastSyncAt={card.lastSyncAt} />
    </Flex>
  );
}
