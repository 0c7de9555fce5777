import type { ApprovalDecisionResponse, ApprovalView, ConsoleSession } from '@abm-pilot/shared';
import {
  approveContract,
  fill,
  pendingApprovalsContract,
  rejectContract,
  tierLabelOf,
} from '@abm-pilot/shared';
import { useEffect, useRef, useState } from 'react';

import { useAccountNames } from '../accountNames.ts';
import type { ApiFailure } from '../api.ts';
import { callContract, useApi } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { useI18n } from '../i18n.tsx';
import { approvalOutcomeOf } from '../sentences.ts';
import { hrefOf } from '../route.ts';

type Decision =
  | { readonly status: 'idle' }
  | { readonly status: 'sending'; readonly approvalId: string }
  | { readonly status: 'decided'; readonly answer: ApprovalDecisionResponse }
  | { readonly status: 'failed'; readonly failure: ApiFailure };

/** Pending tier changes the acting user's roles may decide, earliest due first, with the card's rules. */
export function Approvals({ session }: { readonly session: ConsoleSession }) {
  const i18n = useI18n();
  const { messages, vocabulary, format } = i18n;
  const text = messages.approvals;
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
        ? await callContract(approveContract, { ...input, body: {} })
        : await callContract(rejectContract, { ...input, body: { comment } });
    setDecision(
      result.ok ? { status: 'decided', answer: result.value } : { status: 'failed', failure: result.failure },
    );
    if (result.ok) {
      setRejecting(null);
      setComment('');
      reload();
    }
  };

  const tiers = (approval: ApprovalView) => ({
    from: tierLabelOf(vocabulary, approval.fromTier),
    to: tierLabelOf(vocabulary, approval.toTier),
  });

  return (
    <main id="main">
      <h1>{text.title}</h1>
      {decision.status === 'decided' ? (
        <div
          ref={message}
          tabIndex={-1}
          role="status"
          className="outcome applied"
          data-testid="approval-outcome"
        >
          {approvalOutcomeOf(i18n, decision.answer, nameOf(decision.answer.approval.accountId))}
        </div>
      ) : decision.status === 'failed' ? (
        <ErrorPanel failure={decision.failure} />
      ) : null}
      {!session.mayViewGovernance ? (
        <p className="notice" role="note">
          {text.noGovernanceRole}
        </p>
      ) : state.status === 'loading' ? (
        <Loading text={text.loading} />
      ) : state.status === 'failed' ? (
        <ErrorPanel failure={state.failure} onRetry={reload} />
      ) : (
        <DataTable
          caption={text.caption}
          name={text.file}
          rows={state.data.approvals}
          rowKey={(approval) => approval.id}
          empty={text.empty}
          columns={[
            {
              header: text.column.account,
              value: (approval) => nameOf(approval.accountId),
              render: (approval) => (
                <a href={hrefOf({ page: 'account', crmId: approval.accountId })}>
                  {nameOf(approval.accountId)}
                </a>
              ),
            },
            { header: text.column.crmId, value: (approval) => approval.accountId },
            { header: text.column.from, value: (approval) => tiers(approval).from },
            { header: text.column.to, value: (approval) => tiers(approval).to },
            {
              header: text.column.score,
              numeric: true,
              value: (approval) => approval.score,
              render: (approval) => format.decimal(approval.score),
            },
            {
              header: text.column.recommended,
              value: (approval) => tierLabelOf(vocabulary, approval.recommendedTier),
            },
            {
              header: text.column.requestedBy,
              value: (approval) =>
                fill(messages.common.personWithRoles, {
                  person: approval.requestedBy.name ?? approval.requestedBy.userId,
                  roles: vocabulary.role[approval.requestedBy.role],
                }),
            },
            { header: text.column.reason, value: (approval) => approval.reason ?? '' },
            {
              header: text.column.due,
              value: (approval) => approval.dueAt,
              render: (approval) => format.instant(approval.dueAt),
            },
            {
              header: text.column.whoDecides,
              value: (approval) => format.either(approval.approverRoles.map((role) => vocabulary.role[role])),
            },
            {
              header: text.column.decision,
              value: () => '',
              render: (approval) =>
                !session.mayAct ? (
                  text.readOnly
                ) : rejecting === approval.id ? (
                  <form
                    className="inline"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void decide(approval, 'reject');
                    }}
                  >
                    <label htmlFor={`comment-${approval.id}`}>{text.whyReject}</label>
                    <input
                      id={`comment-${approval.id}`}
                      value={comment}
                      required
                      maxLength={2000}
                      onChange={(event) => setComment(event.target.value)}
                    />
                    <button type="submit" disabled={decision.status === 'sending'}>
                      {text.confirmRejection}
                    </button>
                    <button type="button" onClick={() => setRejecting(null)}>
                      {text.cancel}
                    </button>
                  </form>
                ) : (
                  <span className="inline">
                    <button
                      type="button"
                      disabled={decision.status === 'sending'}
                      onClick={() => void decide(approval, 'approve')}
                      aria-label={fill(text.approveLabel, {
                        account: nameOf(approval.accountId),
                        crmId: approval.accountId,
                        ...tiers(approval),
                      })}
                    >
                      {text.approve}
                    </button>
                    <button
                      type="button"
                      onClick={() => setRejecting(approval.id)}
                      aria-label={fill(text.rejectLabel, {
                        account: nameOf(approval.accountId),
                        crmId: approval.accountId,
                      })}
                    >
                      {text.reject}
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
