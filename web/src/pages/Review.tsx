import type { ConsoleSession, PortfolioReviewResponse, RecordReviewResponse } from '@abm-pilot/shared';
import { fill, portfolioReviewContract, recordReviewContract, tierLabelOf } from '@abm-pilot/shared';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callContract, useApi } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { useI18n } from '../i18n.tsx';
import { hrefOf } from '../route.ts';
import { driftLabelOf, reviewRecordedOf } from '../sentences.ts';

type OverdueRow = PortfolioReviewResponse['overdueReviews'][number];

/** One review from the list: its key is kept through retries, so a review sent twice is recorded once. */
type Reviewing =
  | { readonly status: 'idle' }
  | { readonly status: 'editing'; readonly row: OverdueRow; readonly key: string }
  | { readonly status: 'sending'; readonly row: OverdueRow; readonly key: string }
  | {
      readonly status: 'failed';
      readonly row: OverdueRow;
      readonly key: string;
      readonly failure: ApiFailure;
    }
  | { readonly status: 'recorded'; readonly row: OverdueRow; readonly answer: RecordReviewResponse };

const newKey = () => `console-review-${crypto.randomUUID()}`;

/**
 * The portfolio review for committee meetings: targeted accounts past their review date, each reviewed in
 * place with a note by whoever the rights allow (the account leaves the list), and the drift from the
 * recommendation.
 */
export function Review({ session }: { readonly session: ConsoleSession }) {
  const i18n = useI18n();
  const { messages, vocabulary, format } = i18n;
  const text = messages.review;
  const query = { userId: session.cardUserId, limit: '500' };
  const { state, reload } = useApi(portfolioReviewContract, { query }, session.cardUserId);
  const [reviewing, setReviewing] = useState<Reviewing>({ status: 'idle' });
  const [note, setNote] = useState('');
  const message = useRef<HTMLDivElement>(null);
  useEffect(() => message.current?.focus(), [reviewing.status]);

  const record = async (row: OverdueRow, key: string) => {
    setReviewing({ status: 'sending', row, key });
    const trimmed = note.trim();
    const result = await callContract(recordReviewContract, {
      params: { crmId: row.crmId },
      query: { userId: session.cardUserId },
      body: { idempotencyKey: key, ...(trimmed === '' ? {} : { note: trimmed }) },
    });
    if (!result.ok) return setReviewing({ status: 'failed', row, key, failure: result.failure });
    setReviewing({ status: 'recorded', row, answer: result.value });
    setNote('');
    reload();
  };

  const reviewCell = (row: OverdueRow) => {
    if (!session.mayAct) return text.readOnly;
    if (row.reviewAllowed !== true) return text.notYours;
    const open = reviewing.status !== 'idle' && reviewing.status !== 'recorded' ? reviewing : null;
    if (open === null || open.row.crmId !== row.crmId) {
      return (
        <button
          type="button"
          onClick={() => {
            setNote('');
            setReviewing({ status: 'editing', row, key: newKey() });
          }}
          aria-label={fill(vocabulary.review.recordOf, { account: row.name })}
        >
          {vocabulary.review.record}
        </button>
      );
    }
    return (
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void record(open.row, open.key);
        }}
      >
        <label htmlFor={`review-note-${row.crmId}`}>{vocabulary.review.note}</label>
        <input
          id={`review-note-${row.crmId}`}
          value={note}
          maxLength={2000}
          onChange={(event) => setNote(event.target.value)}
        />
        <button type="submit" disabled={open.status === 'sending'}>
          {open.status === 'sending' ? text.sending : vocabulary.review.record}
        </button>
        <button type="button" onClick={() => setReviewing({ status: 'idle' })}>
          {vocabulary.review.cancel}
        </button>
      </form>
    );
  };

  return (
    <main id="main">
      <h1>{text.title}</h1>
      {reviewing.status === 'recorded' ? (
        <div
          ref={message}
          tabIndex={-1}
          role="status"
          className="outcome applied"
          data-testid="review-outcome"
        >
          {reviewRecordedOf(i18n, reviewing.answer, reviewing.row.name)}
        </div>
      ) : reviewing.status === 'failed' ? (
        <>
          <p className="error" role="alert">
            {vocabulary.review.notRecorded}
          </p>
          <ErrorPanel failure={reviewing.failure} />
        </>
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
        <>
          <section aria-labelledby="overdue-heading" className="card">
            <h2 id="overdue-heading">{text.overdueTitle}</h2>
            <p>
              {fill(format.plural(text.overdueTotal, state.data.totals.overdueReviews), {
                count: format.integer(state.data.totals.overdueReviews),
              })}
            </p>
            <DataTable
              caption={text.overdueCaption}
              name={text.overdueFile}
              rows={state.data.overdueReviews}
              rowKey={(row) => row.crmId}
              empty={text.overdueEmpty}
              columns={[
                {
                  header: text.column.account,
                  value: (row) => row.name,
                  render: (row) => <a href={hrefOf({ page: 'account', crmId: row.crmId })}>{row.name}</a>,
                },
                { header: text.column.crmId, value: (row) => row.crmId },
                { header: text.column.tier, value: (row) => vocabulary.tier[row.tier] },
                {
                  header: text.column.dueAt,
                  value: (row) => row.dueAt,
                  render: (row) => format.instant(row.dueAt),
                },
                { header: text.column.overdueDays, numeric: true, value: (row) => row.overdueDays },
                { header: text.column.review, value: () => '', render: reviewCell },
              ]}
            />
          </section>
          <section aria-labelledby="drift-heading" className="card">
            <h2 id="drift-heading">{text.driftTitle}</h2>
            <DataTable
              caption={text.driftCaption}
              name={text.driftFile}
              rows={state.data.drift}
              rowKey={(row) => row.crmId}
              empty={text.driftEmpty}
              columns={[
                {
                  header: text.column.account,
                  value: (row) => row.name,
                  render: (row) => <a href={hrefOf({ page: 'account', crmId: row.crmId })}>{row.name}</a>,
                },
                { header: text.column.crmId, value: (row) => row.crmId },
                { header: text.column.assigned, value: (row) => tierLabelOf(vocabulary, row.assigned) },
                { header: text.column.recommended, value: (row) => tierLabelOf(vocabulary, row.recommended) },
                { header: text.column.drift, value: (row) => driftLabelOf(messages, row) },
                {
                  header: text.column.score,
                  numeric: true,
                  value: (row) => row.score,
                  render: (row) => format.decimal(row.score),
                },
              ]}
            />
          </section>
        </>
      )}
    </main>
  );
}
