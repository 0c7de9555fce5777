import { consoleAccountsContract } from '@abm-pilot/shared';

import { callContract, useRemote } from './api.ts';

/**
 * Account names for the ids a queue or log lists (the API's approvals and audit entries carry ids only):
 * one call to the accounts list, filtered by id. Until it answers, or for an id not found, the id stands in.
 */
export function useAccountNames(ids: readonly string[] | null): (crmId: string) => string {
  const unique = ids === null ? [] : [...new Set(ids)].sort().slice(0, 200);
  const { state } = useRemote(
    unique.length === 0
      ? null
      : () => callContract(consoleAccountsContract, { query: { ids: unique.join(','), limit: '200' } }),
    unique.join(','),
  );
  const names = new Map(
    state.status === 'ready' ? state.data.accounts.map((row) => [row.crmId, row.name]) : [],
  );
  return (crmId) => names.get(crmId) ?? crmId;
}
