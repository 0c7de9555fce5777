import type { AuditEntryView, ConsoleSession, Vocabulary } from '@abm-pilot/shared';
import { fill, tenantAuditContract, TierChangeRejectionSchema, tierLabelOf } from '@abm-pilot/shared';
import { useState } from 'react';

import { useAccountNames } from '../accountNames.ts';
import { useApi } from '../api.ts';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import type { I18n } from '../i18n.tsx';
import { useI18n } from '../i18n.tsx';
import { hrefOf } from '../route.ts';

/** A refusal's code in words: the rules' own codes are named, any other reads as written. */
const auditCodeOf = (vocabulary: Vocabulary, entry: AuditEntryView, code: string): string => {
  const refusal = TierChangeRejectionSchema.safeParse(code);
  return refusal.success
    ? fill(vocabulary.tierChangeRefusal[refusal.data], { tier: tierLabelOf(vocabulary, entry.toTier) })
    : code.replaceAll('_', ' ');
};

/**
 * The log's columns; `nameOf` names the account of an entry (its id until known), `null` leaves the
 * account's columns out where the page is the account's own.
 */
export function auditColumnsOf(
  { messages, vocabulary, format }: I18n,
  nameOf: ((crmId: string) => string) | null,
): readonly Column<AuditEntryView>[] {
  const header = messages.audit.column;
  const accountColumns: readonly Column<AuditEntryView>[] =
    nameOf === null
      ? []
      : [
          {
            header: header.account,
            value: (entry) => nameOf(entry.accountId),
            render: (entry) => (
              <a href={hrefOf({ page: 'account', crmId: entry.accountId })}>{nameOf(entry.accountId)}</a>
            ),
          },
          { header: header.crmId, value: (entry) => entry.accountId },
        ];
  return [
    { header: header.when, value: (entry) => entry.at, render: (entry) => format.instant(entry.at) },
    ...accountColumns,
    { header: header.action, value: (entry) => messages.audit.action[entry.action] },
    {
      header: header.by,
      value: (entry) =>
        entry.actor
          ? fill(messages.common.personWithRoles, {
              person: entry.actor.name ?? entry.actor.userId,
              roles: vocabulary.role[entry.actor.role],
            })
          : messages.audit.system,
    },
    { header: header.from, value: (entry) => tierLabelOf(vocabulary, entry.fromTier) },
    { header: header.to, value: (entry) => tierLabelOf(vocabulary, entry.toTier) },
    {
      header: header.outcome,
      value: (entry) =>
        entry.code
          ? fill(messages.audit.outcomeWithCode, {
              outcome: messages.audit.outcome[entry.outcome],
              code: auditCodeOf(vocabulary, entry, entry.code),
            })
          : messages.audit.outcome[entry.outcome],
    },
    { header: header.route, value: (entry) => (entry.route === null ? '' : vocabulary.route[entry.route]) },
    { header: header.reasonOrComment, value: (entry) => entry.comment ?? entry.reason ?? '' },
  ];
}

/** The tenant's permanent log, newest first; "Older entries" follows the server's cursor. */
export function Audit({ session }: { readonly session: ConsoleSession }) {
  const i18n = useI18n();
  const { messages } = i18n;
  const text = messages.audit;
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const before = cursors.at(-1);
  const query = { userId: session.cardUserId, limit: '100', ...(before ? { before } : {}) };
  const { state, reload } = useApi(tenantAuditContract, { query }, JSON.stringify(query));
  const nameOf = useAccountNames(
    state.status === 'ready' ? state.data.entries.map((entry) => entry.accountId) : null,
  );
  return (
    <main id="main">
      <h1>{text.title}</h1>
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
          <DataTable
            caption={
              cursors.length > 0 ? fill(text.captionPaged, { page: cursors.length + 1 }) : text.caption
            }
            name={text.file}
            rows={state.data.entries}
            rowKey={(entry) => entry.id}
            columns={auditColumnsOf(i18n, nameOf)}
            empty={text.empty}
          />
          <nav className="pager" aria-label={messages.common.pages}>
            <button
              type="button"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {text.newer}
            </button>
            <button
              type="button"
              disabled={state.data.nextCursor === null}
              onClick={() => state.data.nextCursor && setCursors([...cursors, state.data.nextCursor])}
            >
              {text.older}
            </button>
          </nav>
        </>
      )}
    </main>
  );
}
