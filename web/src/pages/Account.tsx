import type { AccountCardResponse, ConsoleSession, TierChangeResponse, TierOrNone } from '@abm-pilot/shared';
import { accountAuditContract, accountCardContract, tierChangeContract } from '@abm-pilot/shared';
import type { FormEvent, RefObject } from 'react';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callApi, useApi } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { crmWriteNote, decimal, instant, roleLabel, SLA_LABELS, tierLabel } from '../format.ts';
import { auditColumnsOf } from './Audit.tsx';

/** The account as the CRM card shows it, from the same endpoint, with the same tier change. */
export function Account({ session, crmId }: { readonly session: ConsoleSession; readonly crmId: string }) {
  const userId = session.cardUserId;
  const card = useApi(accountCardContract, { params: { crmId }, query: { userId } }, `${crmId}|${userId}`);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [crmId]);
  // Kept here, above the card: the card reloads after a change, and the answer must stay on screen.
  const [answer, setAnswer] = useState<TierChangeResponse | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), [answer]);
  useEffect(() => setAnswer(null), [crmId]);
  return (
    <main id="main">
      <p>
        <a href="#/accounts">← Accounts</a>
      </p>
      {answer ? <Outcome answer={answer} focusRef={outcome} /> : null}
      {card.state.status === 'loading' ? (
        <Loading what="the account" />
      ) : card.state.status === 'failed' ? (
        <ErrorPanel error={card.state.error} onRetry={card.reload} />
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
              if (next.outcome !== 'rejected') card.reload();
            }}
          />
          <AccountAudit session={session} crmId={crmId} />
        </>
      )}
    </main>
  );
}

function CardContent({ card }: { readonly card: AccountCardResponse }) {
  return (
    <div className="sections">
      <section aria-labelledby="tier-heading" className="card">
        <h2 id="tier-heading">Tier</h2>
        <dl className="figures">
          <div>
            <dt>Assigned</dt>
            <dd data-testid="assigned-tier">{tierLabel(card.tier.assigned)}</dd>
          </div>
          <div>
            <dt>Recommended</dt>
            <dd>{card.score === null ? '—' : tierLabel(card.tier.recommended)}</dd>
          </div>
          <div>
            <dt>Drift</dt>
            <dd>
              {card.tier.drift.direction === 'none'
                ? 'In line'
                : `${card.tier.drift.steps} ${card.tier.drift.direction}`}
            </dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd>{decimal(card.score?.value ?? null)}</dd>
          </div>
        </dl>
        <p className="meta">
          {card.crm.system === 'hubspot' ? 'HubSpot company' : 'Salesforce account'} {card.crm.crmId}; last
          sync {instant(card.lastSyncAt)}.
        </p>
      </section>
      {card.score ? (
        <section aria-labelledby="score-heading" className="card">
          <h2 id="score-heading">Why this score</h2>
          <dl className="figures">
            <div>
              <dt>Revenue potential</dt>
              <dd>{decimal(card.score.axes.revenue_potential)}</dd>
            </div>
            <div>
              <dt>Probability of success</dt>
              <dd>{decimal(card.score.axes.probability_of_success)}</dd>
            </div>
            <div>
              <dt>Strategic alignment</dt>
              <dd>{decimal(card.score.axes.strategic_alignment)}</dd>
            </div>
          </dl>
          <ul>
            {card.score.topReasons.map((reason) => (
              <li key={reason.criterion}>
                {reason.label}: {decimal(reason.points)} of {decimal(reason.maxPoints)} points
              </li>
            ))}
          </ul>
          {card.score.missing.length > 0 ? (
            <p>No data yet (scored neutral): {card.score.missing.join(', ')}.</p>
          ) : null}
          <p className="meta">Model {card.score.modelVersion}.</p>
        </section>
      ) : null}
      <section aria-labelledby="sla-heading" className="card">
        <h2 id="sla-heading">SLA clocks</h2>
        <DataTable
          caption="SLA clocks of the account"
          name={`sla ${card.crm.crmId}`}
          rows={card.slas}
          rowKey={(sla) => sla.key}
          empty="No SLA clock on this account."
          columns={[
            { header: 'Clock', value: (sla) => sla.kind.replaceAll('_', ' ') },
            { header: 'Status', value: (sla) => SLA_LABELS[sla.status] },
            { header: 'Started', value: (sla) => instant(sla.startedAt) },
            { header: 'Due', value: (sla) => instant(sla.dueAt) },
            { header: 'Stopped', value: (sla) => instant(sla.stoppedAt) },
          ]}
        />
      </section>
      <section aria-labelledby="owners-heading" className="card">
        <h2 id="owners-heading">Owners</h2>
        <ul>
          {card.owners.map((owner) => (
            <li key={`${owner.role}:${owner.userId}`}>
              {owner.role.replaceAll('_', ' ')}: {owner.name ?? owner.userId}
              {owner.governanceRoles.length > 0
                ? ` (${owner.governanceRoles.map(roleLabel).join(', ')})`
                : ''}
            </li>
          ))}
          {card.owners.length === 0 ? <li>No owner synced.</li> : null}
        </ul>
        {card.pendingApproval ? (
          <p role="note" className="notice">
            Waiting for approval: {tierLabel(card.pendingApproval.fromTier)} to{' '}
            {tierLabel(card.pendingApproval.toTier)}, requested by{' '}
            {card.pendingApproval.requestedBy.name ?? card.pendingApproval.requestedBy.userId}, due{' '}
            {instant(card.pendingApproval.dueAt)}. <a href="#/approvals">Open the approvals queue</a>.
          </p>
        ) : null}
      </section>
    </div>
  );
}

type ChangeState =
  | { readonly status: 'editing' }
  | { readonly status: 'sending' }
  | { readonly status: 'failed'; readonly error: ApiFailure };

const tierValue = (tier: TierOrNone) => tier ?? 'none';

function TierChange({
  card,
  session,
  onAnswered,
}: {
  readonly card: AccountCardResponse;
  readonly session: ConsoleSession;
  readonly onAnswered: (answer: TierChangeResponse) => void;
}) {
  const targets = card.actions.tierChange.targets;
  const [target, setTarget] = useState(tierValue(targets[0]?.tier ?? null));
  const [state, setState] = useState<ChangeState>({ status: 'editing' });
  const chosen = targets.find((candidate) => tierValue(candidate.tier) === target);

  if (!session.mayAct || !card.actions.tierChange.allowed) {
    return (
      <section aria-labelledby="change-heading" className="card">
        <h2 id="change-heading">Tier change</h2>
        <p className="notice">
          {!session.mayAct
            ? 'This session reads only: tier changes need an admin token bound to a CRM user with a governance role.'
            : card.pendingApproval
              ? 'A tier change is already waiting for approval.'
              : 'Your governance role may not change this account’s tier now.'}
        </p>
      </section>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    setState({ status: 'sending' });
    const result = await callApi(tierChangeContract, {
      params: { crmId: card.crm.crmId },
      query: { userId: session.cardUserId },
      body: {
        toTier: chosen?.tier ?? null,
        ...(reason ? { reason } : {}),
        idempotencyKey: `console-${crypto.randomUUID()}`,
      },
    });
    setState(result.ok ? { status: 'editing' } : { status: 'failed', error: result.error });
    if (result.ok) onAnswered(result.data);
  };

  return (
    <section aria-labelledby="change-heading" className="card">
      <h2 id="change-heading">Tier change</h2>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label htmlFor="target-tier">New tier</label>
        <select id="target-tier" value={target} onChange={(event) => setTarget(event.target.value)}>
          {targets.map((candidate) => (
            <option key={tierValue(candidate.tier)} value={tierValue(candidate.tier)}>
              {tierLabel(candidate.tier)}
              {candidate.reasonRequired ? ' (reason required)' : ''}
            </option>
          ))}
        </select>
        <label htmlFor="reason">Reason{chosen?.reasonRequired ? ' (required)' : ' (optional)'}</label>
        <textarea
          id="reason"
          name="reason"
          rows={3}
          maxLength={2000}
          required={chosen?.reasonRequired ?? false}
        />
        <button type="submit" disabled={state.status === 'sending'}>
          {state.status === 'sending' ? 'Sending…' : 'Request tier change'}
        </button>
      </form>
      {state.status === 'failed' ? <ErrorPanel error={state.error} /> : null}
    </section>
  );
}

function Outcome({
  answer,
  focusRef,
}: {
  readonly answer: TierChangeResponse;
  readonly focusRef: RefObject<HTMLDivElement>;
}) {
  const text =
    answer.outcome === 'applied'
      ? `Applied (${answer.route.replaceAll('_', ' ')}): the account is now ${tierLabel(answer.tier)}.${crmWriteNote(answer.crmWrite)}`
      : answer.outcome === 'needs_approval'
        ? `Sent for approval (${answer.route.replaceAll('_', ' ')}) to ${answer.approverRoles.map(roleLabel).join(' or ')}, due ${instant(answer.dueAt)}.`
        : `Refused: ${answer.message}`;
  return (
    <div
      ref={focusRef}
      tabIndex={-1}
      role="status"
      className={`outcome ${answer.outcome}`}
      data-testid="tier-outcome"
    >
      {text}
    </div>
  );
}

function AccountAudit({ session, crmId }: { readonly session: ConsoleSession; readonly crmId: string }) {
  const query = { userId: session.cardUserId, limit: '50' };
  const { state, reload } = useApi(
    accountAuditContract,
    { params: { crmId }, query },
    `${crmId}|${session.cardUserId}`,
  );
  return (
    <section aria-labelledby="account-audit-heading" className="card">
      <h2 id="account-audit-heading">Audit of this account</h2>
      {state.status === 'loading' ? (
        <Loading what="the audit" />
      ) : state.status === 'failed' ? (
        <ErrorPanel error={state.error} onRetry={reload} />
      ) : (
        <DataTable
          caption="Audit of this account, newest first"
          name={`audit ${crmId}`}
          rows={state.data.entries}
          rowKey={(entry) => entry.id}
          columns={auditColumnsOf((id) => id).filter(
            (column) => column.header !== 'Account' && column.header !== 'CRM id',
          )}
          empty="No decision recorded yet."
        />
      )}
    </section>
  );
}
