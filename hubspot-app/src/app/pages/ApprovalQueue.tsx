import type { ApiResult, ApprovalDecisionResponse, ApprovalView } from '@abm-pilot/hubspot-abm-client';
import { fill, sentences, useI18n } from '@abm-pilot/hubspot-abm-client';
import { Alert, Button, Flex, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { useState } from 'react';

// Pending tier changes the viewer may decide, each decided in place with a comment.

export interface ApprovalQueueProps {
  readonly approvals: readonly ApprovalView[];
  /** Requests of the viewer are shown but not decidable: no one approves their own request. */
  readonly viewerId: string;
  readonly onDecide: (
    approvalId: string,
    decision: 'approve' | 'reject',
    comment: string,
  ) => Promise<ApiResult<ApprovalDecisionResponse>>;
}

export function ApprovalQueue({ approvals, viewerId, onDecide }: ApprovalQueueProps) {
  const { messages } = useI18n();
  if (approvals.length === 0) return <Text testId="no-approvals">{messages.home.approvals.none}</Text>;
  return (
    <Flex direction="column" gap="sm" testId="approvals">
      {approvals.map((approval) => (
        <ApprovalItem
          key={approval.id}
          approval={approval}
          ownRequest={approval.requestedBy.userId === viewerId}
          onDecide={onDecide}
        />
      ))}
    </Flex>
  );
}

type Decision =
  | { readonly status: 'open'; readonly problem: string | null }
  | { readonly status: 'sending' }
  | { readonly status: 'decided'; readonly response: ApprovalDecisionResponse };

function ApprovalItem({
  approval,
  ownRequest,
  onDecide,
}: {
  readonly approval: ApprovalView;
  readonly ownRequest: boolean;
  readonly onDecide: ApprovalQueueProps['onDecide'];
}) {
  const { messages, vocabulary, words, format } = useI18n();
  const text = messages.home.approvals;
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<Decision>({ status: 'open', problem: null });
  const testId = `approval-${approval.id}`;
  const decide = async (choice: 'approve' | 'reject') => {
    if (choice === 'reject' && comment.trim() === '')
      return setDecision({ status: 'open', problem: text.commentMissing });
    setDecision({ status: 'sending' });
    const result = await onDecide(approval.id, choice, comment);
    setDecision(
      result.ok
        ? { status: 'decided', response: result.value }
        : { status: 'open', problem: words.failure(result.failure) },
    );
  };
  const request = {
    requester: words.person(approval.requestedBy),
    role: vocabulary.role[approval.requestedBy.role],
    instant: format.instant(approval.requestedAt),
  };
  return (
    <Tile testId={testId}>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }}>
          {fill(text.title, {
            account: approval.accountId,
            from: words.tier(approval.fromTier),
            to: words.tier(approval.toTier),
          })}
        </Text>
        <Text>
          {approval.reason === null
            ? fill(text.askedBy, request)
            : fill(text.askedByWithReason, { ...request, reason: approval.reason })}
        </Text>
        <Text variant="microcopy">
          {fill(text.context, {
            score: format.decimal(approval.score),
            tier: words.tier(approval.recommendedTier),
            due: format.instant(approval.dueAt),
          })}
        </Text>
        {decision.status === 'decided' ? (
          <DecidedAlert response={decision.response} testId={`${testId}-decided`} />
        ) : ownRequest ? (
          <Text variant="microcopy" testId={`${testId}-own`}>
            {text.own}
          </Text>
        ) : (
          <>
            <TextArea
              label={text.comment}
              name={`comment-${approval.id}`}
              value={comment}
              onChange={setComment}
              testId={`${testId}-comment`}
              {...(decision.status === 'open' && decision.problem !== null
                ? { error: true, validationMessage: decision.problem }
                : {})}
            />
            <Flex direction="row" gap="sm">
              <Button
                variant="primary"
                disabled={decision.status === 'sending'}
                onClick={() => void decide('approve')}
                testId={`${testId}-approve`}
              >
                {text.approve}
              </Button>
              <Button
                variant="destructive"
                disabled={decision.status === 'sending'}
                onClick={() => void decide('reject')}
                testId={`${testId}-reject`}
              >
                {text.reject}
              </Button>
            </Flex>
          </>
        )}
      </Flex>
    </Tile>
  );
}

function DecidedAlert({
  response,
  testId,
}: {
  readonly response: ApprovalDecisionResponse;
  readonly testId: string;
}) {
  const { messages, vocabulary, words } = useI18n();
  const text = messages.home.approvals;
  const tier = words.tier(response.assignedTier);
  return (
    <Alert
      title={vocabulary.approvalState[response.approval.state]}
      variant={response.applied ? 'success' : 'info'}
      testId={testId}
    >
      {response.applied
        ? sentences(fill(text.applied, { tier }), words.crmWrite(response.crmWrite))
        : fill(text.stays, { tier })}
    </Alert>
  );
}
