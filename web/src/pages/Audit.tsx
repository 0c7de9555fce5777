import type { AuditEntryView, ConsoleSession } from '@abm-pilot/shared';
import { tenantAuditContract } from '@abm-pilot/shared';
import { useState } from 'react';

import { useAccountNames } from '../accountNames.ts';
import { useApi } from '../api.ts';
import type { Column } from '../components/DataTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorPanel, Loading } from '../components/ErrorPanel.tsx';
import { instant, roleLabel, tierLabel } from '../format.ts';
import { hrefOf } from '../route.ts';

/** The log's columns; `nameOf` names the account of an entry (its id until known). */
export const auditColumnsOf = (nameOf: (crmId: string) => string): readonly Column<AuditEntryView>[] => [
  { header: 'When', value: (entry) => entry.at, render: (entry) => instant(entry.at) },
  {
    header: 'Account',
    value: (entry) => nameOf(entry.accountId),
    render: (entry) => (
      <a href={hrefOf({ page: 'account', crmId: entry.accountId })}>{nameOf(entry.accountId)}</a>
    ),
  },
  { header: 'CRM id', value: (entry) => entry.accountId },
  { header: 'Action', value: (entry) => entry.action.replaceAll('_', ' ') },
  {
    header: 'By',
    value: (entry) =>
      entry.actor ? `${entry.actor.name ?? entry.actor.userId} (${roleLabel(entry.actor.role)})` : 'system',
  },
  { header: 'From', value: (entry) => tierLabel(entry.fromTier) },
  { header: 'To', value: (entry) => tierLabel(entry.toTier) },
  {
    header: 'Outcome',
    value: (entry) => entry.outcome.replaceAll('_', ' ') + (entry.code ? ` (${entry.code})` : ''),
  },
  { header: 'Route', value: (entry) => entry.route?.replaceAll('_', ' ') ?? '' },
  { header: 'Reason or comment', value: (entry) => entry.comment ?? entry.reason ?? '' },
];

/** The tenant's permanent log, newest first; "Older entries" follows the server's cursor. */
export function Audit({ session }: { readonly session: ConsoleSession }) {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const before = cursors.at(-1);
  const query = { userId: session.cardUserId, limit: '100', ...(before ? { before } : {}) };
  const { state, reload } = useApi(tenantAuditContract, { query }, JSON.stringify(query));
  const nameOf = useAccountNames(
    state.status === 'ready' ? state.data.entries.map((entry) => entry.accountId) : null,
  );
  return (
    <main id="main">
      <h1>Audit log</h1>
      {!session.mayViewGovernance ? (
        <p className="notice" role="note">
          The audit log is for people with a governance role; this token is not bound to one.
        </p>
      ) : state.status === 'loading' ? (
        <Loading what="the audit log" />
      ) : state.status === 'failed' ? (
        <ErrorPanel error={state.error} onRetry={reload} />
      ) : (
        <>
          <DataTable
            caption={`Audit log, newest first${cursors.length > 0 ? ` (page ${cursors.length + 1})` : ''}`}
            name="audit log"
            rows={state.data.entries}
            rowKey={(entry) => entry.id}
            columns={auditColumnsOf(nameOf)}
            empty="No decision recorded yet."
          />
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Newer entries
            </button>
            <button
              type="button"
              disabled={state.data.nextCursor === null}
              onClick={() => state.data.nextCursor && setCursors([...cursors, state.data.nextCursor])}
            >
              Older entries
            </button>
          </nav>
        </>
      )}
    </main>
  );
}
