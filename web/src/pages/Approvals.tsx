import type { ApprovalDecisionResponse, ApprovalView, ConsoleSession } from '@abm-pilot/shared';
import { approveContract, pendingApprovalsContract, rejectContract } from '@abm-pilot/shared';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { useAccountNames } from '../accountNames.ts';
import { callApi, useApi } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { crmWriteNote, decimal, instant, roleLabel, tierLabel } from '../format.ts';
import { hrefOf } from '../route.ts';

type Decision =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly approvalId: string }
  | { readonly status: 'decided'; readonly answer: ApprovalDecisionResponse }
  | { readonly status: 'failed'; readonly error: ApiFailure };

/** Pending tier changes the acting user's roles may decide, earliest due first, with the card's rules. */
export function Approvals({ session }: { readonly session: ConsoleSession }) {
  const query = { userId: session.cardUserId, limit: '200' };
  const { state, reload } = useApi(pendingApprovalsContract, { query }, session.cardUserId);
  const nameOf = useAccountNames(
    state.status === 'ready' ? state.data.approvals.map((approval) => approval.accountId) : null,
  );
  const [decision, setDecision] = useState<Decision>({ status: 'idle' });
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const message = useRef<HTMLDivElement>(null);
  useEffect(() => message.current?.focus(), [decision.status]);

  const decide = async (approval: ApprovalView, verdict: 'approve' | 'reject') => {
    setDecision({ status: 'sending', approvalId: approval.id });
    const input = { params: { id: approval.id }, query: { userId: session.cardUserId } };
    const result =
      verdict === 'approve'
        ? await callApi(approveContract, { ...input, body: {} })
        : await callApi(rejectContract, { ...input, body: { comment } });
    setDecision(
      result.ok ? { status: 'decided', answer: result.data } : { status: 'failed', error: result.error },
    );
    if (result.ok) {
      setRejecting(null);
      setComment('');
      reload();
    }
  };

  return (
    <main id="main">
      <h1>Approvals queue</h1>
      {decision.status === 'decided' ? (
        <div
          ref={message}
          tabIndex={-1}
          role="status"
          className="outcome applied"
          data-testid="approval-outcome"
        >
          {decision.answer.approval.state === 'approved'
            ? `Approved: ${nameOf(decision.answer.approval.accountId)} is now ${tierLabel(decision.answer.assignedTier)}.${crmWriteNote(decision.answer.crmWrite)}`
            : `Rejected: ${nameOf(decision.answer.approval.accountId)} stays ${tierLabel(decision.answer.assignedTier)}.`}
        </div>
      ) : decision.status === 'failed' ? (
        <ErrorPanel error={decision.error} />
      ) : null}
      {!session.mayViewGovernance ? (
        <p className="notice" role="note">
          The queue lists what your governance role may decide; this token is not bound to a user who holds
          one.
        </p>
      ) : state.status === 'loading' ? (
        <Loading what="pending approvals" />
      ) : state.status === 'failed' ? (
        <ErrorPanel error={state.error} onRetry={reload} />
      ) : (
        <DataTable
          caption="Pending approvals, earliest due first"
          name="approvals"
          rows={state.data.approvals}
          rowKey={(approval) => approval.id}
          empty="Nothing waiting for your decision."
          columns={[
            {
              header: 'Account',
              value: (approval) => nameOf(approval.accountId),
              render: (approval) => (
                <a href={hrefOf({ page: 'account', crmId: approval.accountId })}>
                  {nameOf(approval.accountId)}
                </a>
              ),
            },
            { header: 'CRM id', value: (approval) => approval.accountId },
            { header: 'From', value: (approval) => tierLabel(approval.fromTier) },
            { header: 'To', value: (approval) => tierLabel(approval.toTier) },
            {
              header: 'Score',
              numeric: true,
              value: (approval) => approval.score,
              render: (approval) => decimal(approval.score),
            },
            { header: 'Recommended', value: (approval) => tierLabel(approval.recommendedTier) },
            {
              header: 'Requested by',
              value: (approval) =>
                `${approval.requestedBy.name ?? approval.requestedBy.userId} (${roleLabel(approval.requestedBy.role)})`,
            },
            { header: 'Reason', value: (approval) => approval.reason ?? '' },
            {
              header: 'Due',
              value: (approval) => approval.dueAt,
              render: (approval) => instant(approval.dueAt),
            },
            {
              header: 'Who decides',
              value: (approval) => approval.approverRoles.map(roleLabel).join(' or '),
            },
            {
              header: 'Decision',
              value: () => '',
              render: (approval) =>
                !session.mayAct ? (
                  'read only'
                ) : rejecting === approval.id ? (
                  <form
                    className="inline"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void decide(approval, 'reject');
                    }}
                  >
                    <label htmlFor={`comment-${approval.id}`}>Why reject (the requester reads it)</label>
                    <input
                      id={`comment-${approval.id}`}
                      value={comment}
                      required
                      maxLength={2000}
                      onChange={(event) => setComment(event.target.value)}
                    />
                    <button type="submit" disabled={decision.status === 'sending'}>
                      Confirm rejection
                    </button>
                    <button type="button" onClick={() => setRejecting(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <span className="inline">
                    <button
                      type="button"
                      disabled={decision.status === 'sending'}
                      onClick={() => void decide(approval, 'approve')}
                      aria-label={`Approve ${nameOf(approval.accountId)} (${approval.accountId}): ${tierLabel(approval.fromTier)} to ${tierLabel(approval.toTier)}`}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      onClick={() => setRejecting(approval.id)}
                      aria-label={`Reject ${nameOf(approval.accountId)} (${approval.accountId})`}
                    >
                      Reject
                    </button>
                  </span>
                ),
            },
          ]}
        />
      )}
    </main>
  );
}
