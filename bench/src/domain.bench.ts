import type { SlaInstance, TierOrNone } from '@abm-pilot/shared';
import {
  alertsDue,
  DEFAULT_GOVERNANCE_CONFIG,
  HOUR_MS,
  openSlaInstance,
  recommendTier,
  scoreAccount,
  slaStatus,
  tierDrift,
  withTimezone,
} from '@abm-pilot/shared';

import type { Benchmark } from './harness.ts';
import type { SyntheticAccount } from './synthetic.ts';
import { syntheticAccounts } from './synthetic.ts';

const ACCOUNTS = 1_000_000;
const config = DEFAULT_GOVERNANCE_CONFIG;

/** Scoring, tiering and SLA evaluation of one million synthetic accounts, each step on its own. */
export function domainBenchmarks(): Benchmark[] {
  let accounts: SyntheticAccount[] = [];
  // Only the numbers travel to the next step, as in a sync that persists each result and lets it go:
  // keeping a million explained results alive would measure the garbage collector, not the scoring.
  const scores = new Float64Array(ACCOUNTS);
  let recommended: TierOrNone[] = [];
  let instances: SlaInstance[] = [];
  // Monday 30 November 2026, 08:00 UTC: clocks start over the preceding days.
  const now = Date.UTC(2026, 10, 30, 8);

  return [
    {
      name: 'domain.score_accounts',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'scoreAccount with the default model, one core; includes per-criterion explanations',
      setup() {
        accounts = syntheticAccounts(ACCOUNTS);
      },
      run() {
        let checksum = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) {
          const result = scoreAccount(accounts[i]!.facts, config.scoring);
          scores[i] = result.score;
          checksum += result.contributions.length + result.score;
        }
        return checksum;
      },
    },
    {
      name: 'domain.recommend_tiers',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'recommendTier with hysteresis from the assigned tier, plus drift',
      run() {
        recommended = new Array(ACCOUNTS);
        let drifting = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) {
          const account = accounts[i]!;
          const tier = recommendTier(scores[i]!, account.assignedTier, config.tiers);
          recommended[i] = tier;
          if (tierDrift(account.assignedTier, tier).steps > 0) drifting += 1;
        }
        return drifting;
      },
    },
    {
      name: 'domain.start_sla_clocks',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'openSlaInstance: due, at-risk and escalation times in business hours of the owner timezone',
      run() {
        instances = new Array(ACCOUNTS);
        let checksum = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) {
          const account = accounts[i]!;
          const instance = openSlaInstance(
            {
              kind: 'sales_follow_up',
              accountId: account.id,
              tier: recommended[i] ?? 'tier_3',
              ownerId: `owner_${i % 500}`,
              managerId: `manager_${i % 25}`,
              approvalId: null,
              startedAt: now - (i % 240) * HOUR_MS,
            },
            config,
            withTimezone(config.businessHours, account.ownerTimezone),
          );
          instances[i] = instance;
          checksum += instance.dueAt % 1000;
        }
        return checksum;
      },
    },
    {
      name: 'domain.evaluate_sla_status',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'slaStatus at now for every running clock',
      run() {
        let breached = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) if (slaStatus(instances[i]!, now) === 'breached') breached += 1;
        return breached;
      },
    },
    {
      name: 'domain.alerts_due',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'alertsDue over all clocks: reminders, breaches and escalations with their idempotency keys',
      run() {
        return alertsDue(instances, now).alerts.length;
      },
    },
  ];
}
