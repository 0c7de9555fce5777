import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from './defaults.ts';
import { parseGovernanceConfig } from './schema.ts';

const clone = <T>(value: T): T => structuredClone(value) as T;

describe('governance config', () => {
  it('accepts the documented defaults of product.md', () => {
    const parsed = parseGovernanceConfig(DEFAULT_GOVERNANCE_CONFIG);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.tiers.thresholds).toEqual({ tier_1: 75, tier_2: 55, tier_3: 35 });
    expect(parsed.value.tiers.capacity).toEqual({ tier_1: 25, tier_2: 100, tier_3: 500 });
    expect(parsed.value.sla.followUpBusinessHours).toEqual({ tier_1: 8, tier_2: 16, tier_3: 24 });
    expect(parsed.value.sla.feedbackBusinessDays).toEqual({ tier_1: 2, tier_2: 3, tier_3: 5 });
    expect(parsed.value.decisionRights.approvalSla).toEqual({
      decideWithinBusinessDays: 5,
      expireAfterBusinessDays: 10,
    });
  });

  it('names every problem of an invalid config by its path, not just the first', () => {
    const valid = clone(DEFAULT_GOVERNANCE_CONFIG);
    const config = {
      ...valid,
      scoring: {
        ...valid.scoring,
        criteria: { ...valid.scoring.criteria, headcount: { weight: -3, floor: 10, ceiling: 1e5 } },
      },
      businessHours: { ...valid.businessHours, timezone: 'Mars/Olympus_Mons' },
      sla: { ...valid.sla, atRiskRatio: 1.5 },
      costs: { ...valid.costs, currency: 'euro' },
      surprise: true,
    };

    const parsed = parseGovernanceConfig(config);

    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('invalid_config');
    const paths = parsed.error.problems.map((problem) => problem.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'scoring.criteria.headcount.weight',
        'businessHours.timezone',
        'sla.atRiskRatio',
        'costs.currency',
        '',
      ]),
    );
    expect(parsed.error.message).toContain('businessHours.timezone: unknown IANA time zone');
  });

  it('rejects thresholds that do not fall from tier_1 to tier_3 and a hysteresis wider than their gap', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const thresholds = { tier_1: 75, tier_2: 80, tier_3: 35 };
    const parsed = parseGovernanceConfig({
      ...config,
      tiers: { ...config.tiers, thresholds, hysteresis: 30 },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'tiers.thresholds', message: 'thresholds must fall strictly from tier_1 to tier_3' },
        expect.objectContaining({ path: 'tiers.hysteresis' }),
      ]),
    );
  });

  it('rejects an approval that would expire before it is due and a working day that ends before it starts', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({
      ...config,
      decisionRights: {
        ...config.decisionRights,
        approvalSla: { decideWithinBusinessDays: 5, expireAfterBusinessDays: 2 },
      },
      businessHours: { ...config.businessHours, dayStart: '18:00', dayEnd: '09:00' },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['decisionRights.approvalSla.expireAfterBusinessDays', 'businessHours.dayEnd']),
    );
  });

  it('rejects a scoring model whose axes all weigh nothing', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const axes = {
      revenue_potential: { weight: 0 },
      probability_of_success: { weight: 0 },
      strategic_alignment: { weight: 0 },
    };
    const parsed = parseGovernanceConfig({ ...config, scoring: { ...config.scoring, axes } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems).toContainEqual({
      path: 'scoring.axes',
      message: 'axis weights must not all be zero',
    });
  });
});
