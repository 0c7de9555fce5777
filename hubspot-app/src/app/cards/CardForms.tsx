import type {
  CardActions,
  HandoverDecision,
  HandoverResponse,
  TierOrNone,
} from '@abm-pilot/hubspot-abm-client';
import { fill, sentences, useI18n } from '@abm-pilot/hubspot-abm-client';
import { Alert, Button, Flex, LoadingButton, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { HandOverFlow, HandoverFlow, ReviewFlow, TierChangeFlow } from './cardFlows.ts';
import { tierToValue } from './cardFlows.ts';

// The card's writes: a tier change, asked with a reason when the rules want one, a marketer's handover to
// sales, the owner's answer to a handover, and a portfolio review with its note. Each shows the server's
// answer as it came back.

export interface TierChangeFormProps {
  readonly tierChange: CardActions['tierChange'];
  /** A request already waits for approval: the server allows no second one meanwhile. */
  readonly awaitingApproval: boolean;
  readonly flow: TierChangeFlow;
  readonly onRequest: (toTier: TierOrNone, reason: string) => void;
  readonly onRetry: () => void;
  readonly onDismiss: () => void;
}

export function TierChangeForm({
  tierChange,
  awaitingApproval,
  flow,
  onRequest,
  onRetry,
  onDismiss,
}: TierChangeFormProps) {
  const { messages, words } = useI18n();
  const text = messages.card.tierChange;
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // The answer stays in view after the card re-reads, even if the new state allows no further change.
  if (flow.status === 'decided' || flow.status === 'failed') {
    return <TierChangeAnswer flow={flow} onRetry={onRetry} onDismiss={onDismiss} />;
  }
  if (!tierChange.allowed || tierChange.targets.length === 0) {
    return (
      <Text variant="microcopy" testId="tier-change-not-allowed">
        {awaitingApproval ? text.awaitingApproval : text.notAllowed}
      </Text>
    );
  }
  const chosen = tierChange.targets.find((option) => tierToValue(option.tier) === target) ?? null;
  const submit = () => {
    if (chosen === null) return setProblem(text.chooseTier);
    if (chosen.reasonRequired && reason.trim() === '') return setProblem(text.reasonMissing);
    setProblem(null);
    onRequest(chosen.tier, reason);
  };
  return (
    <Flex direction="column" gap="sm" testId="tier-change">
      <Select
        label={text.target}
        name="toTier"
        options={tierChange.targets.map((option) => ({
          label: words.tier(option.tier),
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
        label={text.reason}
        name="reason"
        value={reason}
        required={chosen?.reasonRequired ?? false}
        description={chosen?.reasonRequired ? text.reasonRequired : text.reasonOptional}
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
        {text.submit}
      </LoadingButton>
    </Flex>
  );
}

function TierChangeAnswer({
  flow,
  onRetry,
  onDismiss,
}: {
  readonly flow: Extract<TierChangeFlow, { status: 'decided' | 'failed' }>;
  readonly onRetry: () => void;
  readonly onDismiss: () => void;
}) {
  const { messages, words, format, vocabulary } = useI18n();
  const text = messages.card.tierChange;
  const again = (
    <Button variant="secondary" onClick={onDismiss} testId="tier-again">
      {text.again}
    </Button>
  );
  if (flow.status === 'failed') {
    return (
      <Alert title={text.notSent} variant="error" testId="tier-answer">
        {words.failure(flow.failure)}
        <Flex direction="row" gap="sm">
          <Button onClick={onRetry} testId="tier-retry">
            {messages.common.tryAgain}
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
        <Alert title={text.applied.title} variant="success" testId="tier-answer">
          {sentences(
            fill(text.applied.body, { tier: words.tier(response.tier) }),
            words.crmWrite(response.crmWrite),
          )}
          {again}
        </Alert>
      );
    case 'needs_approval':
      return (
        <Alert title={text.needsApproval.title} variant="info" testId="tier-answer">
          {fill(text.needsApproval.body, {
            approvers: words.approvers(response.approverRoles),
            due: format.instant(response.dueAt),
            expires: format.instant(response.expiresAt),
          })}
        </Alert>
      );
    case 'rejected':
      return (
        <Alert title={text.refused.title} variant="warning" testId="tier-answer">
          <Text>
            {fill(vocabulary.tierChangeRefusal[response.code], { tier: words.tier(flow.attempt.toTier) })}
          </Text>
          {/* The server's own account of the refusal, with its figures (in English, as it writes it). */}
          <Text variant="microcopy">{response.message}</Text>
          {again}
        </Alert>
      );
  }
}

const DECISIONS: readonly HandoverDecision[] = ['accepted', 'rejected'];

export interface HandoverFormProps {
  readonly handover: CardActions['handoverFeedback'];
  readonly flow: HandoverFlow;
  readonly onAnswer: (decision: HandoverDecision, reasonCode: string) => void;
  readonly onRetry: () => void;
}

export function HandoverForm({ handover, flow, onAnswer, onRetry }: HandoverFormProps) {
  const { messages, vocabulary, words } = useI18n();
  const text = messages.card.handover;
  const [decision, setDecision] = useState<HandoverDecision | null>(null);
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (flow.status === 'recorded') {
    return (
      <Alert title={text.recorded.title} variant="success" testId="handover-answer">
        {fill(text.recorded[flow.answer.decision], { reason: words.reasonCode(flow.answer.reasonCode) })}
      </Alert>
    );
  }
  if (!handover.pending) return null;
  const codes = decision === null ? [] : handover.reasonCodes[decision];
  const submit = () => {
    if (decision === null || reasonCode === null) return setProblem(text.missing);
    setProblem(null);
    onAnswer(decision, reasonCode);
  };
  return (
    <Flex direction="column" gap="sm" testId="handover">
      <Text format={{ fontWeight: 'demibold' }}>{text.heading}</Text>
      <Select
        label={text.decision}
        name="decision"
        options={DECISIONS.map((value) => ({ label: vocabulary.handoverDecision[value], value }))}
        {...(decision === null ? {} : { value: decision })}
        onChange={(value) => {
          setDecision(value === 'rejected' ? 'rejected' : 'accepted');
          setReasonCode(null);
        }}
        testId="handover-decision"
      />
      <Select
        label={text.reason}
        name="reasonCode"
        options={codes.map((code) => ({ label: words.reasonCode(code), value: code }))}
        {...(reasonCode === null ? {} : { value: reasonCode })}
        onChange={(value) => setReasonCode(String(value))}
        testId="handover-reason"
        {...(problem === null ? {} : { error: true, validationMessage: problem })}
      />
      {flow.status === 'failed' && (
        <Alert title={text.notRecorded} variant="error" testId="handover-failure">
          {words.failure(flow.failure)}
          <Button onClick={onRetry} testId="handover-retry">
            {messages.common.tryAgain}
          </Button>
        </Alert>
      )}
      <LoadingButton
        loading={flow.status === 'sending'}
        disabled={flow.status === 'sending'}
        onClick={submit}
        testId="handover-submit"
      >
        {text.submit}
      </LoadingButton>
    </Flex>
  );
}

export interface ReviewFormProps {
  /** The server's say: the ABM owner, or an ABM manager and above. */
  readonly allowed: boolean;
  readonly flow: ReviewFlow;
  readonly onRecord: (note: string) => void;
  readonly onRetry: () => void;
}

export function ReviewForm({ allowed, flow, onRecord, onRetry }: ReviewFormProps) {
  const { messages, vocabulary, words, format } = useI18n();
  const text = vocabulary.review;
  const [note, setNote] = useState('');
  // The answer stays in view after the card re-reads with the restarted clock.
  if (flow.status === 'recorded') {
    return (
      <Alert title={text.heading} variant="success" testId="review-answer">
        {fill(text.recorded, { instant: format.instant(flow.response.review.nextDueAt) })}
      </Alert>
    );
  }
  if (!allowed) return null;
  return (
    <Flex direction="column" gap="sm" testId="review-form">
      <TextArea
        label={text.note}
        name="reviewNote"
        value={note}
        maxLength={2000}
        onChange={setNote}
        testId="review-note"
      />
      {flow.status === 'failed' && (
        <Alert title={text.notRecorded} variant="error" testId="review-failure">
          {words.failure(flow.failure)}
          <Button onClick={onRetry} testId="review-retry">
            {messages.common.tryAgain}
          </Button>
        </Alert>
      )}
      <LoadingButton
        loading={flow.status === 'sending'}
        disabled={flow.status === 'sending'}
        onClick={() => onRecord(note)}
        testId="review-submit"
      >
        {text.record}
      </LoadingButton>
    </Flex>
  );
}

export interface HandOverFormProps {
  /** Absent from servers older than API revision 3: nothing to offer then. */
  readonly handOver: CardActions['handover'];
  readonly flow: HandOverFlow;
  readonly onHandOver: () => void;
  readonly onRetry: () => void;
}

export function HandOverForm({ handOver, flow, onHandOver, onRetry }: HandOverFormProps) {
  const { messages, words, format } = useI18n();
  const text = messages.card.handOver;
  if (flow.status === 'done') {
    const dueOf = (kind: HandoverResponse['slas'][number]['kind']) => {
      const sla = flow.response.slas.find((candidate) => candidate.kind === kind);
      return sla === undefined ? '—' : format.instant(sla.dueAt);
    };
    return (
      <Alert title={text.done.title} variant="success" testId="hand-over-done">
        {fill(text.done.body, { followUp: dueOf('sales_follow_up'), feedback: dueOf('sales_feedback') })}
      </Alert>
    );
  }
  if (handOver?.allowed !== true && flow.status === 'idle') return null;
  return (
    <Flex direction="column" gap="sm" testId="hand-over">
      <Text format={{ fontWeight: 'demibold' }}>{text.heading}</Text>
      <Text variant="microcopy">{text.body}</Text>
      {flow.status === 'failed' && (
        <Alert title={text.notSent} variant="error" testId="hand-over-failure">
          {words.failure(flow.failure)}
          <Button onClick={onRetry} testId="hand-over-retry">
            {messages.common.tryAgain}
          </Button>
        </Alert>
      )}
      <LoadingButton
        loading={flow.status === 'sending'}
        disabled={flow.status !== 'idle'}
        onClick={onHandOver}
        testId="hand-over-submit"
      >
        {text.submit}
      </LoadingButton>
    </Flex>
  );
}
