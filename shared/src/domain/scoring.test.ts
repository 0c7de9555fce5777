import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { ScoringModel } from '../config/schema.ts';
import type { AccountFacts } from './scoring.ts';
import { scoreAccount, topReasons, weighEngagement } from './scoring.ts';
import { DAY_MS } from './time.ts';

const model = DEFAULT_GOVERNANCE_CONFIG.scoring;

const unknownAccount: AccountFacts = {
  annualRevenue: null,
  employees: null,
  pipelineAmount: null,
  engagementPoints: null,
  buyingRoles: null,
  existingCustomer: null,
  wonDeals: null,
  industry: null,
  region: null,
  strategic: null,
};

const idealAccount: AccountFacts = {
  annualRevenue: 50_000_000_000,
  employees: 250_000,
  pipelineAmount: 80_000_000,
  engagementPoints: 1e12,
  buyingRoles: ['decision_maker', 'champion', 'budget_holder'],
  existingCustomer: true,
  wonDeals: 12,
  industry: 'software',
  region: 'emea',
  strategic: true,
};

const hopelessAccount: AccountFacts = {
  annualRevenue: 10_000,
  employees: 2,
  pipelineAmount: 0,
  engagementPoints: 0,
  buyingRoles: [],
  existingCustomer: false,
  wonDeals: 0,
  industry: 'hospitality',
  region: 'antarctica',
  strategic: false,
};

describe('scoreAccount', () => {
  it('scores an account at the top of every criterion 100 and one at the bottom 0', () => {
    expect(scoreAccount(idealAccount, model).score).toBeCloseTo(100, 6);
    expect(scoreAccount(hopelessAccount, model).score).toBe(0);
  });

  it('counts missing data as neutral and names every criterion that had none', () => {
    const result = scoreAccount(unknownAccount, model);
    expect(result.score).toBeCloseTo(50, 9);
    expect(result.missing).toHaveLength(10);
    expect(result.missing).toContain('engagement');
    expect(result.contributions.every((c) => c.value === null)).toBe(true);
  });

  it('names the region and the strategic flag when the CRM holds neither, rather than scoring them as misses', () => {
    const result = scoreAccount({ ...idealAccount, region: null, strategic: null }, model);
    expect(result.missing).toEqual(['icp_region', 'strategic_flag']);
    expect(result.contributions.filter((c) => c.value === null).map((c) => c.criterion)).toEqual([
      'icp_region',
      'strategic_flag',
    ]);
    expect(result.axes.strategic_alignment).toBeGreaterThan(
      scoreAccount({ ...idealAccount, region: 'antarctica', strategic: false }, model).axes
        .strategic_alignment,
    );
  });

  it('weighs the three axes 40 / 35 / 25 and reports each on its own 0-100 scale', () => {
    const revenueOnly: AccountFacts = {
      ...hopelessAccount,
      annualRevenue: idealAccount.annualRevenue,
      employees: idealAccount.employees,
      pipelineAmount: idealAccount.pipelineAmount,
    };
    const result = scoreAccount(revenueOnly, model);
    expect(result.score).toBeCloseTo(40, 9);
    expect(result.axes).toEqual({
      revenue_potential: 100,
      probability_of_success: 0,
      strategic_alignment: 0,
    });
  });

  it('places revenue on a log band: 100 M between 1 M and 10 B is exactly half way', () => {
    const result = scoreAccount({ ...unknownAccount, annualRevenue: 100_000_000 }, model);
    const revenue = result.contributions.find((c) => c.criterion === 'annual_revenue');
    expect(revenue?.value).toBeCloseTo(0.5, 12);
    // 40% axis × 40% of the axis = 16 points at best, 8 at half.
    expect(revenue?.maxPoints).toBeCloseTo(16, 12);
    expect(revenue?.points).toBeCloseTo(8, 12);
  });

  it('scores buying-role coverage as the share of required roles present', () => {
    const result = scoreAccount(
      { ...unknownAccount, buyingRoles: ['champion', 'decision_maker', 'end_user'] },
      model,
    );
    expect(result.contributions.find((c) => c.criterion === 'buying_role_coverage')?.value).toBeCloseTo(
      2 / 3,
      12,
    );
  });

  it('adds contributions up to the score and records the model version', () => {
    const result = scoreAccount(
      { ...unknownAccount, annualRevenue: 3e8, engagementPoints: 25, strategic: true },
      model,
    );
    const total = result.contributions.reduce((sum, c) => sum + c.points, 0);
    expect(total).toBeCloseTo(result.score, 9);
    expect(result.modelVersion).toBe('default-2026.1');
  });

  it('treats NaN and infinite inputs as missing rather than returning NaN', () => {
    const result = scoreAccount(
      {
        ...unknownAccount,
        annualRevenue: Number.NaN,
        pipelineAmount: Number.POSITIVE_INFINITY,
        wonDeals: Number.NaN,
      },
      model,
    );
    expect(Number.isNaN(result.score)).toBe(false);
    expect(result.missing).toEqual(expect.arrayContaining(['annual_revenue', 'pipeline', 'win_history']));
  });

  it('lets the other axes share the weight of an axis whose criteria all weigh zero', () => {
    const noStrategy: ScoringModel = {
      ...model,
      criteria: {
        ...model.criteria,
        icp_industry: { ...model.criteria.icp_industry, weight: 0 },
        icp_region: { ...model.criteria.icp_region, weight: 0 },
        strategic_flag: { weight: 0 },
      },
    };
    expect(scoreAccount(idealAccount, noStrategy).score).toBeCloseTo(100, 6);
    expect(scoreAccount({ ...hopelessAccount, strategic: true }, noStrategy).score).toBe(0);
  });

  it('explains the score by the criteria that lifted it most above neutral', () => {
    const result = scoreAccount(
      {
        ...hopelessAccount,
        strategic: true,
        industry: 'software',
        existingCustomer: true,
        annualRevenue: 1e9,
      },
      model,
    );
    expect(topReasons(result, 2).map((c) => c.criterion)).toEqual(['icp_industry', 'strategic_flag']);
  });
});

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const anyNumber = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: 0, max: 1e11, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1),
);
const factsArb: fc.Arbitrary<AccountFacts> = fc.record({
  annualRevenue: maybe(anyNumber),
  employees: maybe(anyNumber),
  pipelineAmount: maybe(anyNumber),
  engagementPoints: maybe(anyNumber),
  buyingRoles: maybe(fc.subarray(['decision_maker', 'champion', 'budget_holder', 'end_user'] as const)),
  existingCustomer: maybe(fc.boolean()),
  wonDeals: maybe(anyNumber),
  industry: maybe(fc.constantFrom('software', 'retail', 'healthcare')),
  region: maybe(fc.constantFrom('emea', 'apac')),
  strategic: maybe(fc.boolean()),
});

describe('scoreAccount invariants', () => {
  it('always lands within [0, 100] and is never NaN', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { score, axes } = scoreAccount(facts, model);
        for (const value of [score, ...Object.values(axes)]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('is deterministic: the same facts give the same result', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(scoreAccount(facts, model)).toEqual(scoreAccount(facts, model));
      }),
    );
  });

  it('never falls when a positively weighted numeric criterion rises', () => {
    const numericField = fc.constantFrom(
      'annualRevenue',
      'employees',
      'pipelineAmount',
      'engagementPoints',
      'wonDeals',
    );
    const amount = fc.double({ min: 0, max: 1e11, noNaN: true });
    fc.assert(
      fc.property(factsArb, numericField, amount, amount, (facts, field, a, b) => {
        const low = scoreAccount({ ...facts, [field]: Math.min(a, b) }, model).score;
        const high = scoreAccount({ ...facts, [field]: Math.max(a, b) }, model).score;
        expect(high).toBeGreaterThanOrEqual(low);
      }),
    );
  });

  it('never falls when a boolean criterion turns true or a buying role is added', () => {
    fc.assert(
      fc.property(factsArb, fc.constantFrom('existingCustomer', 'strategic'), (facts, field) => {
        const off = scoreAccount({ ...facts, [field]: false }, model).score;
        const on = scoreAccount({ ...facts, [field]: true }, model).score;
        expect(on).toBeGreaterThanOrEqual(off);
        const roles = facts.buyingRoles ?? [];
        const withChampion = scoreAccount({ ...facts, buyingRoles: [...roles, 'champion'] }, model).score;
        expect(withChampion).toBeGreaterThanOrEqual(
          scoreAccount({ ...facts, buyingRoles: roles }, model).score,
        );
      }),
    );
  });
});

describe('weighEngagement', () => {
  const NOW = Date.UTC(2026, 1, 9, 10);
  const daysAgo = (days: number): number => NOW - days * DAY_MS;
  const event = (days: number, points: number) => ({ occurredAt: daysAgo(days), points });
  // The default model's engagement criterion: a 14-day half-life.
  const engagement = model.criteria.engagement;

  it('halves the weight of points every half-life: 40 points now, 14 and 28 days ago weigh 40, 20 and 10', () => {
    expect(weighEngagement([event(0, 40)], NOW, engagement)).toBe(40);
    expect(weighEngagement([event(14, 40)], NOW, engagement)).toBeCloseTo(20, 12);
    expect(weighEngagement([event(28, 40)], NOW, engagement)).toBeCloseTo(10, 12);
    expect(weighEngagement([event(0, 40), event(14, 40), event(28, 40)], NOW, engagement)).toBeCloseTo(
      70,
      12,
    );
  });

  it("follows the model's configured half-life", () => {
    const faster = { ...engagement, halfLifeDays: 7 };
    expect(weighEngagement([event(14, 40)], NOW, faster)).toBeCloseTo(10, 12);
  });

  it('ignores events after now and is 0 without events', () => {
    expect(weighEngagement([event(-3, 40)], NOW, engagement)).toBe(0);
    expect(weighEngagement([], NOW, engagement)).toBe(0);
  });

  it('refuses a half-life that is not positive', () => {
    expect(() => weighEngagement([], NOW, { halfLifeDays: 0 })).toThrow(RangeError);
  });

  it('never exceeds the raw points and only fades as time passes without new events', () => {
    const eventsArb = fc.array(
      fc.record({
        occurredAt: fc.integer({ min: daysAgo(400), max: NOW }),
        points: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(
        eventsArb,
        fc.integer({ min: 0, max: 100 * DAY_MS }),
        fc.integer({ min: 1, max: 90 }),
        (events, later, halfLifeDays) => {
          const weighted = weighEngagement(events, NOW, { halfLifeDays });
          expect(weighted).toBeLessThanOrEqual(events.reduce((sum, e) => sum + e.points, 0) + 1e-9);
          expect(weighEngagement(events, NOW + later, { halfLifeDays })).toBeLessThanOrEqual(weighted + 1e-9);
        },
      ),
    );
  });
});
