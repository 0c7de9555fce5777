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
// Monday 30 November 2026, 08:00 UTC: clocks start over the preceding ten days.
const now = Date.UTC(2026, 10, 30, 8);

/** Scoring, tiering and SLA evaluation of one million synthetic accounts, each step on its own. */
export function domainBenchmarks(): Benchmark[] {
  // Each step's input is the previous step's output, built on first use, so any one benchmark can run
  // alone (`npm run bench -- sla`). Only numbers and tiers travel between steps, as in a sync that persists
  // each result and lets it go: keeping a million explained results alive would measure the garbage
  // collector, not the scoring.
  const accounts = once(() => syntheticAccounts(ACCOUNTS));
  const scores = once(() => {
    const result = new Float64Array(ACCOUNTS);
    accounts().forEach((account, i) => (result[i] = scoreAccount(account.facts, config.scoring).score));
    return result;
  });
  const recommended = once(() => recommendAll(accounts(), scores()).tiers);
  const instances = once(() => startClocks(accounts(), recommended()));

  return [
    {
      name: 'domain.score_accounts',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'scoreAccount with the default model, one core; includes per-criterion explanations',
      setup: () => void accounts(),
      run() {
        const all = accounts();
        let checksum = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) {
          const result = scoreAccount(all[i]!.facts, config.scoring);
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
      setup: () => void scores(),
      run: () => recommendAll(accounts(), scores()).drifting,
    },
    {
      name: 'domain.start_sla_clocks',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'openSlaInstance for each account, in the owner timezone; untargeted accounts get a tier_3 clock so every account counts',
      setup: () => void recommended(),
      run: () => startClocks(accounts(), recommended()).length,
    },
    {
      name: 'domain.evaluate_sla_status',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'slaStatus at now for every running clock',
      setup: () => void instances(),
      run() {
        const all = instances();
        let breached = 0;
        for (let i = 0; i < ACCOUNTS; i += 1) if (slaStatus(all[i]!, now) === 'breached') breached += 1;
        return breached;
      },
    },
    {
      name: 'domain.alerts_due',
      unit: 'accounts/s',
      items: ACCOUNTS,
      note: 'alertsDue over all clocks: reminders, breaches and escalations with their idempotency keys',
      setup: () => void instances(),
      run: () => alertsDue(instances(), now).length,
    },
  ];
}

/** Recommended tiers, and how many accounts drift from their assigned tier (the portfolio review's input). */
function recommendAll(accounts: readonly SyntheticAccount[], scores: Float64Array) {
  const tiers: TierOrNone[] = new Array(ACCOUNTS);
  let drifting = 0;
  for (let i = 0; i < ACCOUNTS; i += 1) {
    const assigned = accounts[i]!.assignedTier;
    const tier = recommendTier(scores[i]!, assigned, config.tiers);
    tiers[i] = tier;
    if (tierDrift(assigned, tier).steps > 0) drifting += 1;
  }
  return { tiers, drifting };
}

function startClocks(accounts: readonly SyntheticAccount[], tiers: readonly TierOrNone[]): SlaInstance[] {
  const instances: SlaInstance[] = new Array(ACCOUNTS);
  for (let i = 0; i < ACCOUNTS; i += 1) {
    const account = accounts[i]!;
    instances[i] = openSlaInstance(
      {
        kind: 'sales_follow_up',
        accountId: account.id,
        tier: tiers[i] ?? 'tier_3',
        ownerId: `owner_${i % 500}`,
        managerId: `manager_${i % 25}`,
        approvalId: null,
        startedAt: now - (i % 240) * HOUR_MS,
      },
      config,
      withTimezone(config.businessHours, account.ownerTimezone),
    );
  }
  return instances;
}

function once<T>(build: () => T): () => T {
  let value: { readonly built: T } | null = null;
  return () => (value ??= { built: build() }).built;
}
