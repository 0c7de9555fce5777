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

  it('still checks the thresholds when another tier field has a type error, naming both problems', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({
      ...config,
      tiers: {
        ...config.tiers,
        thresholds: { tier_1: 50, tier_2: 60, tier_3: 35 },
        capacity: { ...config.tiers.capacity, tier_1: 'x' },
      },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['tiers.capacity.tier_1', 'tiers.thresholds']),
    );
  });

  it('still checks every rule across fields when unrelated fields of the same object are invalid', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({
      ...config,
      scoring: {
        ...config.scoring,
        version: 42,
        criteria: {
          ...config.scoring.criteria,
          headcount: { weight: 'heavy', floor: 100, ceiling: 10 },
        },
      },
      decisionRights: {
        ...config.decisionRights,
        outOfAppEdits: 'ignore',
        approvalSla: { decideWithinBusinessDays: 5, expireAfterBusinessDays: 2 },
      },
      businessHours: { ...config.businessHours, weekdays: [8], dayStart: '18:00', dayEnd: '09:00' },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'scoring.version',
        'scoring.criteria.headcount.weight',
        'scoring.criteria.headcount.ceiling',
        'decisionRights.outOfAppEdits',
        'decisionRights.approvalSla.expireAfterBusinessDays',
        'businessHours.weekdays.0',
        'businessHours.dayEnd',
      ]),
    );
  });

  it('reports an at-risk ratio of 1 or more once', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({ ...config, sla: { ...config.sla, atRiskRatio: 1 } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems.filter((p) => p.path === 'sla.atRiskRatio')).toHaveLength(1);
  });

  it('rejects an approver whose own rights do not include the route it approves', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({
      ...config,
      decisionRights: {
        ...config.decisionRights,
        approvers: {
          sales_request: ['abm_manager', 'sales_rep'],
          tier_1: ['marketer', 'abm_committee'],
          over_capacity: ['abm_committee'],
        },
      },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'decisionRights.approvers.sales_request', message: expect.stringContaining('sales_rep') },
        { path: 'decisionRights.approvers.tier_1', message: expect.stringContaining('marketer') },
        { path: 'decisionRights.approvers.over_capacity', message: expect.stringContaining('abm_committee') },
      ]),
    );
    expect(parsed.error.problems).toHaveLength(3);
  });

  it('accepts an approver once the tenant grants that role the right it approves', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig({
      ...config,
      decisionRights: {
        ...config.decisionRights,
        roles: {
          ...config.decisionRights.roles,
          abm_manager: { mayRequest: true, mayApply: ['routine', 'tier_1'] },
        },
        approvers: { ...config.decisionRights.approvers, tier_1: ['abm_manager'] },
      },
    });
    expect(parsed.ok).toBe(true);
  });

  it('rejects a reason code listed both for accepting and for rejecting a handover', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const handoverReasonCodes = {
      accepted: ['qualified', 'bad_timing'],
      rejected: ['bad_timing', 'no_budget'],
    };
    const parsed = parseGovernanceConfig({ ...config, sla: { ...config.sla, handoverReasonCodes } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems).toEqual([
      { path: 'sla.handoverReasonCodes', message: expect.stringContaining('bad_timing') },
    ]);
  });

  it('rejects ICP industries and regions that are not lower-case snake_case keys, as matching is exact', () => {
    const config = clone(DEFAULT_GOVERNANCE_CONFIG);
    const criteria = {
      ...config.scoring.criteria,
      icp_industry: { weight: 40, industries: ['software', 'Financial Services'] },
      icp_region: { weight: 20, regions: ['EMEA', 'north_america'] },
    };
    const parsed = parseGovernanceConfig({ ...config, scoring: { ...config.scoring, criteria } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.problems.map((p) => p.path)).toEqual([
      'scoring.criteria.icp_industry.industries.1',
      'scoring.criteria.icp_region.regions.0',
    ]);
  });

  it('returns a deeply frozen config, so caches keyed on it cannot go stale', () => {
    const input = clone(DEFAULT_GOVERNANCE_CONFIG);
    const parsed = parseGovernanceConfig(input);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const config = parsed.value;
    expect(() => {
      config.tiers.capacity.tier_1 = 1;
    }).toThrow(TypeError);
    expect(() => config.scoring.criteria.icp_industry.industries.push('mining')).toThrow(TypeError);
    expect(config.tiers.capacity.tier_1).toBe(25);
    expect(Object.isFrozen(input.tiers)).toBe(false);
  });
});
