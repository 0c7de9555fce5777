import type { MetricSegment, MetricsAccount, PortfolioReviewResponse, Tier } from '@abm-pilot/shared';
import {
  capacityUsage,
  computeGovernanceMetrics,
  governanceMetricsContract,
  governanceMetricsToWire,
  instantToIso,
  isoToInstant,
  mayRecordReview,
  marketingDeliveryContract,
  portfolioReviewContract,
  reviewsDue,
  tierDrift,
} from '@abm-pilot/shared';
import type { Router } from 'express';

import type { MetricsSnapshot } from '../../store/ports.ts';
import { marketingDeliveryReport } from '../../usecases/checkMarketingDelivery.ts';
import { bindRoute, failure, success } from '../bind.ts';
import { mayViewGovernance } from './audit.ts';
import { configOf } from './caller.ts';
import type { ApiDeps } from './index.ts';

// The governance dashboard, the portfolio review and marketing delivery: the store reads the tenant's
// snapshot, `shared/` computes every figure, the route only converts to the wire.

export function registerMetricsRoutes(router: Router, deps: ApiDeps): void {
  bindRoute(router, governanceMetricsContract, deps, async ({ query, caller, now }) => {
    if (!mayViewGovernance(caller.user)) {
      return failure('forbidden', 'Governance metrics are for users with a governance role.');
    }
    const tenantId = caller.tenant.id;
    const config = await configOf(deps.store, tenantId);
    const [snapshot, costLedger] = await Promise.all([
      deps.store.listAccountsForMetrics(tenantId),
      deps.store.costLines(tenantId),
    ]);
    const period = { start: isoToInstant(query.from), end: isoToInstant(query.to) };
    const metrics = computeGovernanceMetrics(
      { ...narrowToSegment(snapshot, query.tier), costLedger },
      period,
      now,
      config,
    );
    if (!metrics.ok) {
      const { code, message } = metrics.error;
      if (code === 'invalid_period' || code === 'period_too_long') return failure(code, message);
      // `now` and given counts come from the server itself: anything wrong there is ours.
      throw new Error(`Governance metrics failed: ${code}: ${message}`);
    }
    return success({ tier: query.tier ?? null, metrics: governanceMetricsToWire(metrics.value) });
  });

  bindRoute(router, marketingDeliveryContract, deps, async ({ query, caller, now }) => {
    if (!mayViewGovernance(caller.user)) {
      return failure('forbidden', 'Marketing delivery is for users with a governance role.');
    }
    return success(
      await marketingDeliveryReport({ store: deps.store, clock: () => now }, caller.tenant.id, query.months),
    );
  });

  bindRoute(router, portfolioReviewContract, deps, async ({ query, caller, now }) => {
    if (!mayViewGovernance(caller.user)) {
      return failure('forbidden', 'The portfolio review is for users with a governance role.');
    }
    const tenantId = caller.tenant.id;
    const config = await configOf(deps.store, tenantId);
    const [snapshot, counts] = await Promise.all([
      deps.store.listAccountsForMetrics(tenantId),
      deps.store.tierCounts(tenantId),
    ]);
    const inScope = (tier: MetricsAccount['tier']) => query.tier === undefined || tier === query.tier;
    const accounts = snapshot.accounts.filter((account) => inScope(account.tier));

    const drifting = accounts
      .flatMap((account) =>
        account.recommendedTier === undefined
          ? []
          : [{ id: account.id, drift: tierDrift(account.tier, account.recommendedTier) }],
      )
      .filter(({ drift }) => drift.direction !== 'none')
      .sort((a, b) => b.drift.steps - a.drift.steps || a.id.localeCompare(b.id));
    const overdue = reviewsDue(
      accounts.flatMap((account) =>
        account.tieredAt === undefined || account.lastReviewedAt === undefined
          ? []
          : [
              {
                accountId: account.id,
                tier: account.tier,
                lastReviewedAt: account.lastReviewedAt,
                tieredAt: account.tieredAt,
              },
            ],
      ),
      now,
      config.tiers,
    );

    // Names and scores only for the accounts listed: at most `limit` point reads each.
    const cardOf = async (crmId: string) => deps.store.accountCard(tenantId, crmId);
    const drift: PortfolioReviewResponse['drift'] = [];
    for (const { id, drift: gap } of drifting.slice(0, query.limit)) {
      const card = await cardOf(id);
      if (card === null || gap.direction === 'none') continue;
      drift.push({
        crmId: id,
        name: card.account.name,
        assigned: gap.assigned,
        recommended: gap.recommended,
        steps: gap.steps,
        direction: gap.direction,
        score: card.state.score?.score ?? null,
      });
    }
    const overdueReviews: PortfolioReviewResponse['overdueReviews'] = [];
    for (const review of overdue.slice(0, query.limit)) {
      const card = await cardOf(review.accountId);
      if (card === null) continue;
      overdueReviews.push({
        crmId: review.accountId,
        name: card.account.name,
        tier: review.tier satisfies Tier,
        dueAt: instantToIso(review.dueAt),
        overdueDays: review.overdueDays,
        ...(query.apiRevision >= 3
          ? {
              reviewAllowed: mayRecordReview(caller.user, {
                tier: review.tier,
                abmOwnerId: card.account.abmOwnerCrmId,
              }),
            }
          : {}),
      });
    }

    return success({
      asOf: instantToIso(now),
      drift,
      overdueReviews,
      capacity: capacityUsage(counts, config.tiers),
      totals: { drift: drifting.length, overdueReviews: overdue.length },
    });
  });
}

/**
 * Sections the domain splits by segment keep every account, so shares keep their denominators; SLA
 * compliance, first touch and governance health are not split, so they count only the segment's accounts.
 */
function narrowToSegment(snapshot: MetricsSnapshot, segment: MetricSegment | undefined): MetricsSnapshot {
  if (segment === undefined || segment === 'all') return snapshot;
  const tierOf = new Map(snapshot.accounts.map((account) => [account.id, account.tier]));
  const inSegment = ({ accountId }: { readonly accountId: string }) => {
    const tier = tierOf.get(accountId) ?? null;
    return segment === 'abm' ? tier !== null : segment === 'non_abm' ? tier === null : tier === segment;
  };
  return {
    ...snapshot,
    slaOutcomes: snapshot.slaOutcomes.filter(inSegment),
    firstTouches: snapshot.firstTouches.filter(inSegment),
    approvals: snapshot.approvals.filter(inSegment),
    tierChanges: snapshot.tierChanges.filter(inSegment),
  };
}
