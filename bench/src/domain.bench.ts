import type { TierOrNone } from '@abm-pilot/shared';
import { DEFAULT_GOVERNANCE_CONFIG, recommendTier, scoreAccount, tierDrift } from '@abm-pilot/shared';

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
  ];
}
