import type { Actor, Instant } from '@abm-pilot/shared';
import { DAY_MS } from '@abm-pilot/shared';

import { demoHistory } from '../demo/history.ts';
import type { ImportedCounts, Store } from '../store/ports.ts';
import { actingRole, governanceConfigOf } from './rules.ts';

// The demo's year before today on a tenant already synced: its accounts, people and roles are read, the
// year is drawn from them (tier changes and approvals, SLA clocks met and breached), recorded as history in
// one transaction, and the programme's costs are booked month by month. Replaces the cost ledger's months
// it books, so running it again books no cost twice.

export interface SeedHistoryDeps {
  readonly store: Store;
  readonly clock: () => Instant;
}

export interface SeedHistoryInput {
  readonly tenantId: string;
  readonly seed: number;
  /** Accounts left without history (the ones the demo is about to show live). */
  readonly exclude?: ReadonlySet<string>;
}

export interface SeededHistory extends ImportedCounts {
  readonly costLines: number;
}

export async function seedDemoHistory(
  deps: SeedHistoryDeps,
  input: SeedHistoryInput,
): Promise<SeededHistory> {
  const { store } = deps;
  const { tenantId } = input;
  const now = deps.clock();
  const config = await governanceConfigOf(store, tenantId);
  const accounts = (await store.consoleAccounts(tenantId))
    .filter((account) => !input.exclude?.has(account.crmId))
    .map((account) => ({
      crmId: account.crmId,
      tier: account.tier,
      recommendedTier: account.recommendedTier ?? null,
      score: account.score,
      ownerCrmId: account.owner?.crmId ?? null,
    }));
  const yearAgo = now - 365 * DAY_MS;
  const { deals } = await store.listAccountsForMetrics(tenantId);
  const targeted = new Set(
    accounts.filter((account) => account.tier !== null).map((account) => account.crmId),
  );
  const wonAbmRevenue = deals
    .filter((deal) => deal.stage === 'won' && targeted.has(deal.accountId) && (deal.closedAt ?? 0) >= yearAgo)
    .reduce((sum, deal) => sum + deal.amount, 0);
  const owners = new Map((await store.listOwners(tenantId)).map((owner) => [owner.crmId, owner]));
  const actors = (await store.userRoles(tenantId)).users.flatMap((user): Actor[] => {
    const role = actingRole(user.roles);
    return role === null ? [] : [{ userId: user.crmUserId, role }];
  });

  const history = demoHistory({
    accounts,
    owners,
    requesters: actors.filter((actor) => actor.role === 'marketer'),
    deciders: actors.filter((actor) => actor.role === 'abm_committee' || actor.role === 'chief_abm_officer'),
    config,
    now,
    seed: input.seed,
    wonAbmRevenue,
  });
  const recorded = await store.importHistory(tenantId, history);
  await store.appendCostLines(tenantId, history.costLines, { at: now, by: 'demo', mode: 'replace' });
  return { ...recorded, costLines: history.costLines.length };
}
