import type {
  AccountCardResponse,
  ConsoleSession,
  RecordReviewResponse,
  TierChangeResponse,
  TierOrNone,
} from '@abm-pilot/shared';
import {
  accountAuditContract,
  accountCardContract,
  fill,
  recordReviewContract,
  tierChangeContract,
  tierLabelOf,
} from '@abm-pilot/shared';
import type { FormEvent, RefObject } from 'react';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callContract, useApi } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { fillNodes, useI18n } from '../i18n.tsx';
import { driftLabelOf, reviewClockOf, reviewRecordedOf, tierChangeOutcomeOf } from '../sentences.ts';
import { auditColumnsOf } from './Audit.tsx';

/** The account as the CRM card shows it, from the same endpoint, with the same tier change. */
export function Account({ session, crmId }: { readonly session: ConsoleSession; readonly crmId: string }) {
  const i18n = useI18n();
  const { messages } = i18n;
  const userId = session.cardUserId;
  const card = useApi(accountCardContract, { params: { crmId }, query: { userId } }, `${crmId}|${userId}`);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [crmId]);
  // Kept here, above the card: the card reloads after a change, and the answer must stay on screen.
  const [answer, setAnswer] = useState<Answered | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), [answer]);
  useEffect(() => setAnswer(null), [crmId]);
  const [reviewed, setReviewed] = useState<RecordReviewResponse | null>(null);
  const reviewOutcome = useRef<HTMLDivElement>(null);
  useEffect(() => reviewOutcome.current?.focus(), [reviewed]);
  useEffect(() => setReviewed(null), [crmId]);
  return (
    <main id="main">
      <p>
        <a href="#/accounts">{messages.account.back}</a>
      </p>
      {answer ? <Outcome answered={answer} focusRef={outcome} /> : null}
      {reviewed ? (
        <div
          ref={reviewOutcome}
          tabIndex={-1}
          role="status"
          className="outcome applied"
          data-testid="review-outcome"
        >
          {reviewRecordedOf(i18n, reviewed, card.state.status === 'ready' ? card.state.data.crm.name : crmId)}
        </div>
      ) : null}
      {card.state.status === 'loading' ? (
        <Loading text={messages.account.loading} />
      ) : card.state.status === 'failed' ? (
        <ErrorPanel failure={card.state.failure} onRetry={card.reload} />
      ) : (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {card.state.data.crm.name}
          </h1>
          <CardContent card={card.state.data} />
          <TierChange
            card={card.state.data}
            session={session}
            onAnswered={(next) => {
              setAnswer(next);
              if (next.answer.outcome !== 'rejected') card.reload();
            }}
          />
          <AccountReview
            card={card.state.data}
            session={session}
            onRecorded={(next) => {
              setReviewed(next);
              card.reload();
            }}
          />
          <AccountAudit session={session} crmId={crmId} />
        </>
      )}
    </main>
  );
}

function CardContent({ card }: { readonly card: AccountCardResponse }) {
  const { messages, vocabulary, format } = useI18n();
  const text = messages.account;
  const personOf = (person: { readonly name: string | null; readonly userId: string }) =>
    person.name ?? person.userId;
  return (
    <div className="sections">
      <section aria-labelledby="tier-heading" className="card">
        <h2 id="tier-heading">{text.tier}</h2>
        <dl className="figures">
          <div>
            <dt>{text.assigned}</dt>
            <dd data-testid="assigned-tier">{tierLabelOf(vocabulary, card.tier.assigned)}</dd>
          </div>
          <div>
            <dt>{text.recommended}</dt>
            <dd>{card.score === null ? '—' : tierLabelOf(vocabulary, card.tier.recommended)}</dd>
          </div>
          <div>
            <dt>{text.drift}</dt>
            <dd>{driftLabelOf(messages, card.tier.drift)}</dd>
          </div>
          <div>
            <dt>{text.score}</dt>
            <dd>{format.decimal(card.score?.value ?? null)}</dd>
          </div>
        </dl>
        <p className="meta">
          {fill(text.record, {
            record: messages.common.crmRecord[card.crm.system],
            crmId: card.crm.crmId,
            lastSync: format.instant(card.lastSyncAt),
          })}
        </p>
      </section>
      {card.score ? (
        <section aria-labelledby="score-heading" className="card">
          <h2 id="score-heading">{text.whyScore}</h2>
          <dl className="figures">
            <div>
              <dt>{vocabulary.axis.revenue_potential}</dt>
              <dd>{format.decimal(card.score.axes.revenue_potential)}</dd>
            </div>
            <div>
              <dt>{vocabulary.axis.probability_of_success}</dt>
              <dd>{format.decimal(card.score.axes.probability_of_success)}</dd>
            </div>
            <div>
              <dt>{vocabulary.axis.strategic_alignment}</dt>
              <dd>{format.decimal(card.score.axes.strategic_alignment)}</dd>
            </div>
          </dl>
          <ul>
            {card.score.topReasons.map((reason) => (
              <li key={reason.criterion}>
                {fill(text.reason, {
                  criterion: vocabulary.criterion[reason.criterion],
                  points: format.decimal(reason.points),
                  maxPoints: format.decimal(reason.maxPoints),
                })}
              </li>
            ))}
          </ul>
          {card.score.missing.length + (card.score.missingSignals?.length ?? 0) > 0 ? (
            <p>
              {fill(text.missing, {
                criteria: [
                  ...card.score.missing.map((criterion) => vocabulary.criterion[criterion]),
                  ...(card.score.missingSignals ?? []).map((signal) => vocabulary.signal[signal]),
                ].join(', '),
              })}
            </p>
          ) : null}
          <p className="meta">{fill(text.model, { version: card.score.modelVersion })}</p>
        </section>
      ) : null}
      <section aria-labelledby="sla-heading" className="card">
        <h2 id="sla-heading">{text.slaClocks}</h2>
        <DataTable
          caption={text.slaCaption}
          name={`sla ${card.crm.crmId}`}
          rows={card.slas}
          rowKey={(sla) => sla.key}
          empty={text.noSla}
          columns={[
            { header: text.slaColumn.clock, value: (sla) => vocabulary.slaKind[sla.kind] },
            { header: text.slaColumn.status, value: (sla) => vocabulary.slaStatus[sla.status] },
            { header: text.slaColumn.started, value: (sla) => format.instant(sla.startedAt) },
            { header: text.slaColumn.due, value: (sla) => format.instant(sla.dueAt) },
            { header: text.slaColumn.stopped, value: (sla) => format.instant(sla.stoppedAt) },
          ]}
        />
      </section>
      <section aria-labelledby="owners-heading" className="card">
        <h2 id="owners-heading">{text.owners}</h2>
        <ul>
          {card.owners.map((owner) => (
            <li key={`${owner.role}:${owner.userId}`}>
              {fill(text.owner, {
                role: vocabulary.ownershipRole[owner.role],
                person:
                  owner.governanceRoles.length === 0
                    ? personOf(owner)
                    : fill(messages.common.personWithRoles, {
                        person: personOf(owner),
                        roles: owner.governanceRoles.map((role) => vocabulary.role[role]).join(', '),
                      }),
              })}
            </li>
          ))}
          {card.owners.length === 0 ? <li>{text.noOwner}</li> : null}
        </ul>
        {card.pendingApproval ? (
          <p role="note" className="notice">
            {fillNodes(text.waitingForApproval, {
              from: tierLabelOf(vocabulary, card.pendingApproval.fromTier),
              to: tierLabelOf(vocabulary, card.pendingApproval.toTier),
              person: personOf(card.pendingApproval.requestedBy),
              due: format.instant(card.pendingApproval.dueAt),
              queue: <a href="#/approvals">{text.openQueue}</a>,
            })}
          </p>
        ) : null}
      </section>
    </div>
  );
}

type ChangeState =
  | { readonly status: 'editing' }
  | { readonly status: 'sending' }
  | { readonly status: 'failed'; readonly failure: ApiFailure };

const tierValue = (tier: TierOrNone) => tier ?? 'none';

function TierChange({
  card,
  session,
  onAnswered,
}: {
  readonly card: AccountCardResponse;
  readonly session: ConsoleSession;
  readonly onAnswered: (answered: Answered) => void;
}) {
  const { messages, vocabulary } = useI18n();
  const text = messages.account;
  const targets = card.actions.tierChange.targets;
  const [target, setTarget] = useState(tierValue(targets[0]?.tier ?? null));
  const [state, setState] = useState<ChangeState>({ status: 'editing' });
  const chosen = targets.find((candidate) => tierValue(candidate.tier) === target);

  if (!session.mayAct || !card.actions.tierChange.allowed) {
    return (
      <section aria-labelledby="change-heading" className="card">
        <h2 id="change-heading">{text.tierChange}</h2>
        <p className="notice">
          {!session.mayAct ? text.readOnly : card.pendingApproval ? text.alreadyPending : text.notAllowed}
        </p>
      </section>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    setState({ status: 'sending' });
    const result = await callContract(tierChangeContract, {
      params: { crmId: card.crm.crmId },
      query: { userId: session.cardUserId },
      body: {
        toTier: chosen?.tier ?? null,
        ...(reason ? { reason } : {}),
        idempotencyKey: `console-${crypto.randomUUID()}`,
      },
    });
    setState(result.ok ? { status: 'editing' } : { status: 'failed', failure: result.failure });
    if (result.ok) onAnswered({ answer: result.value, asked: chosen?.tier ?? null });
  };

  return (
    <section aria-labelledby="change-heading" className="card">
      <h2 id="change-heading">{text.tierChange}</h2>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label htmlFor="target-tier">{text.newTier}</label>
        <select id="target-tier" value={target} onChange={(event) => setTarget(event.target.value)}>
          {targets.map((candidate) => {
            const tier = tierLabelOf(vocabulary, candidate.tier);
            return (
              <option key={tierValue(candidate.tier)} value={tierValue(candidate.tier)}>
                {candidate.reasonRequired ? fill(text.tierWithReasonRequired, { tier }) : tier}
              </option>
            );
          })}
        </select>
        <label htmlFor="reason">{chosen?.reasonRequired ? text.reasonRequired : text.reasonOptional}</label>
        <textarea
          id="reason"
          name="reason"
          rows={3}
          maxLength={2000}
          required={chosen?.reasonRequired ?? false}
        />
        <button type="submit" disabled={state.status === 'sending'}>
          {state.status === 'sending' ? text.sending : text.requestChange}
        </button>
      </form>
      {state.status === 'failed' ? <ErrorPanel failure={state.failure} /> : null}
    </section>
  );
}

/** A tier change's answer, with the tier it asked for (a refusal names it). */
interface Answered {
  readonly answer: TierChangeResponse;
  readonly asked: TierOrNone;
}

function Outcome({
  answered: { answer, asked },
  focusRef,
}: {
  readonly answered: Answered;
  readonly focusRef: RefObject<HTMLDivElement>;
}) {
  const i18n = useI18n();
  return (
    <div
      ref={focusRef}
      tabIndex={-1}
      role="status"
      className={`outcome ${answer.outcome}`}
      data-testid="tier-outcome"
    >
      {tierChangeOutcomeOf(i18n, answer, asked)}
    </div>
  );
}

type ReviewState =
  | { readonly status: 'editing' }
  | { readonly status: 'sending' }
  | { readonly status: 'failed'; readonly failure: ApiFailure };

/**
 * The account's portfolio review: when it was last reviewed and is next due, and, for whoever the rights
 * allow, the review itself with a note.
 */
function AccountReview({
  card,
  session,
  onRecorded,
}: {
  readonly card: AccountCardResponse;
  readonly session: ConsoleSession;
  readonly onRecorded: (answer: RecordReviewResponse) => void;
}) {
  const i18n = useI18n();
  const { messages, vocabulary } = i18n;
  const [state, setState] = useState<ReviewState>({ status: 'editing' });
  // One key per review: sent again after a failure, it is the same review, recorded once.
  const [key] = useState(() => `console-review-${crypto.randomUUID()}`);
  const review = card.review;
  if (review === undefined || review === null) return null;
  const clock = reviewClockOf(i18n, review);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    setState({ status: 'sending' });
    const result = await callContract(recordReviewContract, {
      params: { crmId: card.crm.crmId },
      query: { userId: session.cardUserId },
      body: { idempotencyKey: key, ...(note ? { note } : {}) },
    });
    if (!result.ok) return setState({ status: 'failed', failure: result.failure });
    onRecorded(result.value);
  };

  return (
    <section aria-labelledby="review-heading" className="card">
      <h2 id="review-heading">{vocabulary.review.heading}</h2>
      <p data-testid="review-last">{clock.last}</p>
      <p data-testid="review-due" className={review.overdue ? 'overdue' : undefined}>
        {clock.due}
      </p>
      {session.mayAct && card.actions.review?.allowed === true ? (
        <form onSubmit={(event) => void submit(event)} className="stack">
          <label htmlFor="review-note">{vocabulary.review.note}</label>
          <textarea id="review-note" name="note" rows={2} maxLength={2000} />
          <button type="submit" disabled={state.status === 'sending'}>
            {state.status === 'sending' ? messages.account.reviewSending : vocabulary.review.record}
          </button>
        </form>
      ) : null}
      {state.status === 'failed' ? <ErrorPanel failure={state.failure} /> : null}
    </section>
  );
}

function AccountAudit({ session, crmId }: { readonly session: ConsoleSession; readonly crmId: string }) {
  const i18n = useI18n();
  const text = i18n.messages.account;
  const query = { userId: session.cardUserId, limit: '50' };
  const { state, reload } = useApi(
    accountAuditContract,
    { params: { crmId }, query },
    `${crmId}|${session.cardUserId}`,
  );
  return (
    <section aria-labelledby="account-audit-heading" className="card">
      <h2 id="account-audit-heading">{text.audit}</h2>
      {state.status === 'loading' ? (
        <Loading text={text.auditLoading} />
      ) : state.status === 'failed' ? (
        <ErrorPanel failure={state.failure} onRetry={reload} />
      ) : (
        <DataTable
          caption={text.auditCaption}
          name={`audit ${crmId}`}
          rows={state.data.entries}
          rowKey={(entry) => entry.id}
          // The page is the account's own: its name and id would repeat on every line.
          columns={auditColumnsOf(i18n, null)}
          empty={i18n.messages.audit.empty}
        />
      )}
    </section>
  );
}
