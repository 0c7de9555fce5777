import { Alert, Button, Flex, LoadingButton, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';

import { failureMessage } from './generated/abmApi.ts';
import { crmWriteNote, instantLabel, ROLE_LABELS, tierLabel } from './generated/format.ts';
import type { CardActions, HandoverDecision, TierOrNone } from './generated/shared/abm-contracts.js';
import type { HandoverFlow, TierChangeFlow } from './cardFlows.ts';
import { tierToValue } from './cardFlows.ts';

// The card's two writes: a tier change, asked with a reason when the rules want one, and the answer to a
// handover. Both show the server's decision as it came back.

export interface TierChangeFormProps {
  readonly tierChange: CardActions['tierChange'];
  /** A request already waits for approval: the server allows no second one meanwhile. */
  readonly awaitingApproval: boolean;
  readonly flow: TierChangeFlow;
  readonly timeZone: string;
  readonly onRequest: (toTier: TierOrNone, reason: string) => void;
  readonly onRetry: () => void;
  readonly onDismiss: () => void;
}

export function TierChangeForm({
  tierChange,
  awaitingApproval,
  flow,
  timeZone,
  onRequest,
  onRetry,
  onDismiss,
}: TierChangeFormProps) {
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // The answer stays in view after the card re-reads, even if the new state allows no further change.
  if (flow.status === 'decided' || flow.status === 'failed') {
    return <TierChangeAnswer flow={flow} timeZone={timeZone} onRetry={onRetry} onDismiss={onDismiss} />;
  }
  if (!tierChange.allowed || tierChange.targets.length === 0) {
    return (
      <Text variant="microcopy" testId="tier-change-not-allowed">
        {awaitingApproval
          ? 'A tier change already waits for approval: the tier can change again once it is decided.'
          : 'Your ABM role cannot change this account’s tier.'}
      </Text>
    );
  }
  const chosen = tierChange.targets.find((option) => tierToValue(option.tier) === target) ?? null;
  const submit = () => {
    if (chosen === null) return setProblem('Choose the tier to move to.');
    if (chosen.reasonRequired && reason.trim() === '')
      return setProblem('The rules ask for a reason for this change: it is far from the recommendation.');
    setProblem(null);
    onRequest(chosen.tier, reason);
  };
  return (
    <Flex direction="column" gap="sm" testId="tier-change">
      <Select
        label="Change tier to"
        name="toTier"
        options={tierChange.targets.map((option) => ({
          label: tierLabel(option.tier),
          value: tierToValue(option.tier),
        }))}
        {...(target === null ? {} : { value: target })}
        onChange={(value) => {
          setTarget(String(value));
          setProblem(null);
        }}
        testId="tier-select"
      />
      <TextArea
        label="Reason"
        name="reason"
        value={reason}
        required={chosen?.reasonRequired ?? false}
        description={
          chosen?.reasonRequired ? 'Required: this change is far from the recommendation.' : 'Optional.'
        }
        onChange={setReason}
        testId="tier-reason"
        {...(problem === null ? {} : { error: true, validationMessage: problem })}
      />
      <LoadingButton
        variant="primary"
        loading={flow.status === 'sending'}
        disabled={flow.status === 'sending'}
        onClick={submit}
        testId="tier-submit"
      >
        Request tier change
      </LoadingButton>
    </Flex>
  );
}

function TierChangeAnswer({
  flow,
  timeZone,
  onRetry,
  onDismiss,
}: {
  readonly flow: Extract<TierChangeFlow, { status: 'decided' | 'failed' }>;
  readonly timeZone: string;
  readonly onRetry: () => void;
  readonly onDismiss: () => void;
}) {
  const again = (
    <Button variant="secondary" onClick={onDismiss} testId="tier-again">
      Change again
    </Button>
  );
  if (flow.status === 'failed') {
    return (
      <Alert title="The tier change was not sent" variant="error" testId="tier-answer">
        {failureMessage(flow.failure)}
        <Flex direction="row" gap="sm">
          <Button onClick={onRetry} testId="tier-retry">
            Try again
          </Button>
          {again}
        </Flex>
      </Alert>
    );
  }
  const { response } = flow;
  switch (response.outcome) {
    case 'applied':
      return (
        <Alert title="Tier changed" variant="success" testId="tier-answer">
          The account is now {tierLabel(response.tier)}.{crmWriteNote(response.crmWrite)}
          {again}
        </Alert>
      );
    case 'needs_approval':
      return (
        <Alert title="Sent for approval" variant="info" testId="tier-answer">
          {response.approverRoles.map((role) => ROLE_LABELS[role]).join(' or ')} decide by{' '}
          {instantLabel(response.dueAt, timeZone)}. The request expires{' '}
          {instantLabel(response.expiresAt, timeZone)}.
        </Alert>
      );
    case 'rejected':
      return (
        <Alert title="Tier change refused" variant="warning" testId="tier-answer">
          {response.message}
          {again}
        </Alert>
      );
  }
}

const DECISIONS: readonly { readonly label: string; readonly value: HandoverDecision }[] = [
  { label: 'Accept the account', value: 'accepted' },
  { label: 'Reject the account', value: 'rejected' },
];

export interface HandoverFormProps {
  readonly handover: CardActions['handoverFeedback'];
  readonly flow: HandoverFlow;
  readonly onAnswer: (decision: HandoverDecision, reasonCode: string) => void;
  readonly onRetry: () => void;
}

export function HandoverForm({ handover, flow, onAnswer, onRetry }: HandoverFormProps) {
  const [decision, setDecision] = useState<HandoverDecision | null>(null);
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (flow.status === 'recorded') {
    return (
      <Alert title="Answer recorded" variant="success" testId="handover-answer">
        You {flow.answer.decision} the handover ({flow.answer.reasonCode}).
      </Alert>
    );
  }
  if (!handover.pending) return null;
  const codes = decision === null ? [] : handover.reasonCodes[decision];
  const submit = () => {
    if (decision === null || reasonCode === null) return setProblem('Choose a decision and a reason.');
    setProblem(null);
    onAnswer(decision, reasonCode);
  };
  return (
    <Flex direction="column" gap="sm" testId="handover">
      <Text format={{ fontWeight: 'demibold' }}>Marketing handed this account over to you</Text>
      <Select
        label="Your answer"
        name="decision"
        options={DECISIONS.map((option) => ({ ...option }))}
        {...(decision === null ? {} : { value: decision })}
        onChange={(value) => {
          setDecision(value === 'rejected' ? 'rejected' : 'accepted');
          setReasonCode(null);
        }}
        testId="handover-decision"
      />
      <Select
        label="Reason"
        name="reasonCode"
        options={codes.map((code) => ({ label: code.replaceAll('_', ' '), value: code }))}
        {...(reasonCode === null ? {} : { value: reasonCode })}
        onChange={(value) => setReasonCode(String(value))}
        testId="handover-reason"
        {...(problem === null ? {} : { error: true, validationMessage: problem })}
      />
      {flow.status === 'failed' && (
        <Alert title="Your answer was not recorded" variant="error" testId="handover-failure">
          {failureMessage(flow.failure)}
          <Button onClick={onRetry} testId="handover-retry">
            Try again
          </Button>
        </Alert>
      )}
      <LoadingButton
        loading={flow.status === 'sending'}
        disabled={flow.status === 'sending'}
        onClick={submit}
        testId="handover-submit"
      >
        Send answer
      </LoadingButton>
    </Flex>
  );
}
