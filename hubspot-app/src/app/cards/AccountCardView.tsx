import { Divider, EmptyState, Flex, Text } from '@hubspot/ui-extensions';

import { tierLabel } from './generated/format.ts';
import type { AccountCardResponse, HandoverDecision, TierOrNone } from './generated/shared/abm-contracts.js';
import { FailureView, LoadingView } from './generated/StatusViews.tsx';
import type { LoadState } from './generated/useAbmApi.ts';
import {
  LastSync,
  OwnersSection,
  PendingApprovalSection,
  ScoreSection,
  SlaSection,
  TierSection,
} from './AccountSections.tsx';
import { HandoverForm, TierChangeForm } from './CardForms.tsx';
import type { HandoverFlow, TierChangeFlow } from './cardFlows.ts';

export interface AccountCardViewProps {
  readonly state: LoadState<AccountCardResponse>;
  /** The portal's IANA zone: instants show as HubSpot shows them. */
  readonly timeZone: string;
  readonly now: number;
  readonly onRetry: () => void;
  readonly tierChange: TierChangeFlow;
  readonly onRequestTierChange: (toTier: TierOrNone, reason: string) => void;
  readonly onRetryTierChange: () => void;
  readonly onDismissTierChange: () => void;
  readonly handover: HandoverFlow;
  readonly onHandover: (decision: HandoverDecision, reasonCode: string) => void;
  readonly onRetryHandover: () => void;
}

/** The company card for a state of its read; writes are callbacks. */
export function AccountCardView(props: AccountCardViewProps) {
  const { state, timeZone, now } = props;
  if (state.status === 'loading') return <LoadingView label="Loading the ABM account" />;
  if (state.status === 'failed') return <FailureView failure={state.failure} onRetry={props.onRetry} />;
  const card = state.data;
  const forms = (
    <>
      <TierChangeForm
        tierChange={card.actions.tierChange}
        awaitingApproval={card.pendingApproval !== null}
        flow={props.tierChange}
        timeZone={timeZone}
        onRequest={props.onRequestTierChange}
        onRetry={props.onRetryTierChange}
        onDismiss={props.onDismissTierChange}
      />
      <HandoverForm
        handover={card.actions.handoverFeedback}
        flow={props.handover}
        onAnswer={props.onHandover}
        onRetry={props.onRetryHandover}
      />
    </>
  );
  if (card.tier.assigned === null && card.pendingApproval === null) {
    return (
      <Flex direction="column" gap="md">
        <EmptyState title="Not an ABM target" imageName="companies" layout="vertical" testId="not-targeted">
          <Text>
            {card.crm.name} is not in the ABM programme.{' '}
            {card.tier.recommended === null
              ? 'Its score recommends no tier.'
              : `Its score recommends ${tierLabel(card.tier.recommended)}.`}
          </Text>
        </EmptyState>
        {forms}
        <LastSync lastSyncAt={card.lastSyncAt} timeZone={timeZone} />
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="md" testId="account-card">
      <TierSection tier={card.tier} />
      <PendingApprovalSection approval={card.pendingApproval} timeZone={timeZone} />
      <ScoreSection score={card.score} />
      <Divider />
      <SlaSection slas={card.slas} now={now} timeZone={timeZone} />
      <OwnersSection owners={card.owners} />
      <Divider />
      {forms}
      <LastSync lastSyncAt={card.lastSyncAt} timeZone={timeZone} />
    </Flex>
  );
}
