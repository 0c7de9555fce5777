import type { GovernanceConfig, ScoringModel } from '../config/schema.ts';
import type { Axis, BuyingRole, Criterion } from '../config/vocabulary.ts';
import { AXES, CRITERIA, CRITERION_AXIS } from '../config/vocabulary.ts';
import type { Instant } from './time.ts';
import { DAY_MS } from './time.ts';

/**
 * What scoring needs to know of an account, normalised at the edge (lower-case snake_case industry and
 * region keys). `null` means "no data": the criterion then scores neutral and is named in `missing`.
 */
export interface AccountFacts {
  readonly annualRevenue: number | null;
  readonly employees: number | null;
  /** Open plus won pipeline amount. */
  readonly pipelineAmount: number | null;
  /** Recency-weighted engagement points (see `weighEngagement`). */
  readonly engagementPoints: number | null;
  /** Buying roles held by the account's contacts. */
  readonly buyingRoles: readonly BuyingRole[] | null;
  readonly existingCustomer: boolean | null;
  readonly wonDeals: number | null;
  readonly industry: string | null;
  readonly region: string | null;
  /** Set by the ABM committee. */
  readonly strategic: boolean | null;
}

export interface CriterionContribution {
  readonly criterion: Criterion;
  readonly axis: Axis;
  /** The criterion's own 0-1 value; `null` when there was no data and the neutral value was used. */
  readonly value: number | null;
  /** Points this criterion adds to the 0-100 score. */
  readonly points: number;
  /** Points it would add at its best. */
  readonly maxPoints: number;
}

export interface AccountScore {
  /** 0-100. */
  readonly score: number;
  /** Each axis on its own 0-100 scale. */
  readonly axes: Readonly<Record<Axis, number>>;
  readonly contributions: readonly CriterionContribution[];
  readonly missing: readonly Criterion[];
  readonly modelVersion: string;
}

/** Missing data neither helps nor hurts: it scores the middle of the criterion's range. */
export const NEUTRAL_VALUE = 0.5;

interface CompiledCriterion {
  readonly criterion: Criterion;
  readonly axis: Axis;
  readonly axisIndex: number;
  /** Share of the whole score, in points. */
  readonly maxPoints: number;
  /** Share of its axis, 0-1. */
  readonly axisShare: number;
  readonly evaluate: (facts: AccountFacts) => number | null;
}

interface CompiledModel {
  readonly version: string;
  readonly criteria: readonly CompiledCriterion[];
}

// Compiling once per model keeps the per-account path to arithmetic: the benchmark asks for a million
// accounts a second on one core.
const compiledModels = new WeakMap<ScoringModel, CompiledModel>();

/**
 * Score = Σ over criteria of value × maxPoints, where maxPoints = 100 × axisWeight / Σ axisWeights ×
 * criterionWeight / Σ criterionWeights of its axis. Axes whose criteria all weigh zero drop out and the
 * others share their weight. Deterministic, never NaN: non-finite inputs count as missing.
 */
export function scoreAccount(facts: AccountFacts, model: ScoringModel): AccountScore {
  const compiled = compile(model);
  const axisPoints = [0, 0, 0];
  const axisMax = [0, 0, 0];
  const contributions: CriterionContribution[] = [];
  const missing: Criterion[] = [];
  let score = 0;
  for (const c of compiled.criteria) {
    const value = c.evaluate(facts);
    if (value === null) missing.push(c.criterion);
    const points = (value ?? NEUTRAL_VALUE) * c.maxPoints;
    score += points;
    axisPoints[c.axisIndex]! += points;
    axisMax[c.axisIndex]! += c.maxPoints;
    contributions.push({ criterion: c.criterion, axis: c.axis, value, points, maxPoints: c.maxPoints });
  }
  return {
    score: clampScore(score),
    axes: {
      revenue_potential: axisScore(axisPoints[0]!, axisMax[0]!),
      probability_of_success: axisScore(axisPoints[1]!, axisMax[1]!),
      strategic_alignment: axisScore(axisPoints[2]!, axisMax[2]!),
    },
    contributions,
    missing,
    modelVersion: compiled.version,
  };
}

/** The criteria that lifted the score most above neutral, best first: the "why" shown on the card. */
export function topReasons(result: AccountScore, count = 3): CriterionContribution[] {
  return result.contributions
    .filter((c) => c.value !== null && c.maxPoints > 0)
    .sort((a, b) => b.points - NEUTRAL_VALUE * b.maxPoints - (a.points - NEUTRAL_VALUE * a.maxPoints))
    .slice(0, count);
}

/**
 * The `engagementPoints` fact: Σ points × 0.5^(ageDays / halfLifeDays), with ageDays = (now - occurredAt)
 * / 1 day and the half-life of the model's engagement criterion. Events after `now` are ignored: they are
 * not known yet at `now`.
 */
export function weighEngagement(
  events: readonly { readonly occurredAt: Instant; readonly points: number }[],
  now: Instant,
  criterion: Pick<ScoringModel['criteria']['engagement'], 'halfLifeDays'>,
): number {
  const { halfLifeDays } = criterion;
  if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be positive, got ${halfLifeDays}`);
  let weighted = 0;
  for (const event of events) {
    if (event.occurredAt > now) continue;
    weighted += event.points * 0.5 ** ((now - event.occurredAt) / DAY_MS / halfLifeDays);
  }
  return weighted;
}

/** Scores with the tenant's whole governance config; a convenience for callers holding one. */
export const scoreWithConfig = (facts: AccountFacts, config: GovernanceConfig): AccountScore =>
  scoreAccount(facts, config.scoring);

function compile(model: ScoringModel): CompiledModel {
  const cached = compiledModels.get(model);
  if (cached) return cached;
  const criterionTotals = new Map<Axis, number>(AXES.map((axis) => [axis, 0]));
  for (const criterion of CRITERIA) {
    const axis = CRITERION_AXIS[criterion];
    criterionTotals.set(axis, criterionTotals.get(axis)! + model.criteria[criterion].weight);
  }
  const liveAxes = AXES.filter((axis) => criterionTotals.get(axis)! > 0);
  const axisTotal = liveAxes.reduce((sum, axis) => sum + model.axes[axis].weight, 0);
  const criteria = CRITERIA.map((criterion): CompiledCriterion => {
    const axis = CRITERION_AXIS[criterion];
    const inAxis = criterionTotals.get(axis)!;
    const axisShare = inAxis > 0 ? model.criteria[criterion].weight / inAxis : 0;
    const axisWeight = axisTotal > 0 && inAxis > 0 ? model.axes[axis].weight / axisTotal : 0;
    return {
      criterion,
      axis,
      axisIndex: AXES.indexOf(axis),
      axisShare,
      maxPoints: 100 * axisWeight * axisShare,
      evaluate: evaluator(criterion, model),
    };
  });
  const result = { version: model.version, criteria };
  compiledModels.set(model, result);
  return result;
}

function evaluator(criterion: Criterion, model: ScoringModel): (facts: AccountFacts) => number | null {
  const c = model.criteria;
  switch (criterion) {
    case 'annual_revenue':
      return logBand((f) => f.annualRevenue, c.annual_revenue.floor, c.annual_revenue.ceiling);
    case 'headcount':
      return logBand((f) => f.employees, c.headcount.floor, c.headcount.ceiling);
    case 'pipeline':
      return logBand((f) => f.pipelineAmount, c.pipeline.floor, c.pipeline.ceiling);
    case 'engagement': {
      // p / (p + half): zero at no engagement, one half at `halfSaturationPoints`, approaching one beyond.
      const half = c.engagement.halfSaturationPoints;
      return (f) => {
        const points = finiteOrNull(f.engagementPoints);
        if (points === null) return null;
        const p = Math.max(0, points);
        return p / (p + half);
      };
    }
    case 'buying_role_coverage': {
      const required = [...new Set(c.buying_role_coverage.requiredRoles)];
      return (f) => {
        if (f.buyingRoles === null) return null;
        let covered = 0;
        for (const role of required) if (f.buyingRoles.includes(role)) covered += 1;
        return covered / required.length;
      };
    }
    case 'existing_relationship':
      return (f) => booleanValue(f.existingCustomer);
    case 'win_history': {
      const saturation = c.win_history.saturationWins;
      return (f) => {
        const wins = finiteOrNull(f.wonDeals);
        return wins === null ? null : Math.min(Math.max(wins, 0) / saturation, 1);
      };
    }
    case 'icp_industry':
      return membership((f) => f.industry, c.icp_industry.industries);
    case 'icp_region':
      return membership((f) => f.region, c.icp_region.regions);
    case 'strategic_flag':
      return (f) => booleanValue(f.strategic);
  }
}

/** ln-scaled position between floor (0) and ceiling (1): a tenfold step is worth the same everywhere. */
function logBand(read: (facts: AccountFacts) => number | null, floor: number, ceiling: number) {
  const lnFloor = Math.log(floor);
  const inverseSpan = 1 / (Math.log(ceiling) - lnFloor);
  return (facts: AccountFacts): number | null => {
    const x = finiteOrNull(read(facts));
    if (x === null) return null;
    if (x <= floor) return 0;
    if (x >= ceiling) return 1;
    return (Math.log(x) - lnFloor) * inverseSpan;
  };
}

function membership(read: (facts: AccountFacts) => string | null, members: readonly string[]) {
  const set = new Set(members);
  return (facts: AccountFacts): number | null => {
    const value = read(facts);
    if (value === null) return null;
    return set.has(value) ? 1 : 0;
  };
}

const booleanValue = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

const finiteOrNull = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) ? null : value;

const axisScore = (points: number, max: number): number => (max > 0 ? clampScore((100 * points) / max) : 0);

// Floating-point sums can land a hair outside [0, 100]; the contract is the closed range.
const clampScore = (score: number): number => Math.min(100, Math.max(0, score));
