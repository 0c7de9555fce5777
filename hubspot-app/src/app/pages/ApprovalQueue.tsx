import { Alert, Button, Flex, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiResult } from './generated/abmApi.ts';
import { failureMessage } from './generated/abmApi.ts';
import { crmWriteNote, instantLabel, ROLE_LABELS, tierLabel } from './generated/format.ts';
import type { ApprovalDecisionResponse, ApprovalView } from './generated/shared/abm-contracts.js';

// Pending tier changes the viewer may decide, each decided in place with a comment.

export interface ApprovalQueueProps {
  readonly approvals: readonly ApprovalView[];
  readonly timeZone: string;
  /** Requests of the viewer are shown but not decidable: no one approves their own request. */
  readonly viewerId: string;
  readonly onDecide: (
    approvalId: string,
    decision: 'approve' | 'reject',
    comment: string,
  ) => Promise<ApiResult<ApprovalDecisionResponse>>;
}

export function ApprovalQueue({ approvals, timeZone, viewerId, onDecide }: ApprovalQueueProps) {
  if (approvals.length === 0)
    return <Text testId="no-approvals">No tier change waits for your decision.</Text>;
  return (
    <Flex direction="column" gap="sm" testId="approvals">
      {approvals.map((approval) => (
        <ApprovalItem
          key={approval.id}
          approval={approval}
          timeZone={timeZone}
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
  timeZone,
  ownRequest,
  onDecide,
}: {
  readonly approval: ApprovalView;
  readonly timeZone: string;
  readonly ownRequest: boolean;
  readonly onDecide: ApprovalQueueProps['onDecide'];
}) {
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<Decision>({ status: 'open', problem: null });
  const testId = `approval-${approval.id}`;
  const decide = async (choice: 'approve' | 'reject') => {
    if (choice === 'reject' && comment.trim() === '')
      return setDecision({ status: 'open', problem: 'Tell the requester why: a rejection needs a comment.' });
    setDecision({ status: 'sending' });
    const result = await onDecide(approval.id, choice, comment);
    setDecision(
      result.ok
        ? { status: 'decided', response: result.value }
        : { status: 'open', problem: failureMessage(result.failure) },
    );
  };
  const requester = approval.requestedBy.name ?? `User ${approval.requestedBy.userId}`;
  return (
    <Tile testId={testId}>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }}>
          Company {approval.accountId}: {tierLabel(approval.fromTier)} → {tierLabel(approval.toTier)}
        </Text>
        <Text>
          Asked by {requester} ({ROLE_LABELS[approval.requestedBy.role]}) on{' '}
          {instantLabel(approval.requestedAt, timeZone)}
          {approval.reason === null ? '.' : `: “${approval.reason}”`}
        </Text>
        <Text variant="microcopy">
          Score {approval.score ?? '—'}, recommended {tierLabel(approval.recommendedTier)}. Decide by{' '}
          {instantLabel(approval.dueAt, timeZone)}.
        </Text>
        {decision.status === 'decided' ? (
          <Alert
            title={decision.response.approval.state === 'approved' ? 'Approved' : 'Rejected'}
            variant={decision.response.applied ? 'success' : 'info'}
            testId={`${testId}-decided`}
          >
            {decision.response.applied
              ? `The account is now ${tierLabel(decision.response.assignedTier)}.${crmWriteNote(decision.response.crmWrite)}`
              : `The account stays ${tierLabel(decision.response.assignedTier)}.`}
          </Alert>
        ) : ownRequest ? (
          <Text variant="microcopy" testId={`${testId}-own`}>
            Your own request: another approver decides it.
          </Text>
        ) : (
          <>
            <TextArea
              label="Comment"
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
                Approve
              </Button>
              <Button
                variant="destructive"
                disabled={decision.status === 'sending'}
                onClick={() => void decide('reject')}
                testId={`${testId}-reject`}
              >
                Reject
              </Button>
            </Flex>
          </>
        )}
      </Flex>
    </Tile>
  );
}
