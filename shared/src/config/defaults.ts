import { deepFreeze } from './deepFreeze.ts';
import type { GovernanceConfig } from './schema.ts';

/**
 * The documented defaults of product.md ("The governance model"). Every number is configuration;
 * these are what a new tenant starts with.
 */
export const DEFAULT_GOVERNANCE_CONFIG: GovernanceConfig = deepFreeze({
  version: 1,
  scoring: {
    version: 'default-2026.1',
    axes: {
      revenue_potential: { weight: 40 },
      probability_of_success: { weight: 35 },
      strategic_alignment: { weight: 25 },
    },
    criteria: {
      annual_revenue: { weight: 40, floor: 1_000_000, ceiling: 10_000_000_000 },
      headcount: { weight: 20, floor: 10, ceiling: 100_000 },
      pipeline: { weight: 40, floor: 10_000, ceiling: 10_000_000 },
      engagement: { weight: 35, halfLifeDays: 14, halfSaturationPoints: 40 },
      buying_role_coverage: { weight: 25, requiredRoles: ['decision_maker', 'champion', 'budget_holder'] },
      existing_relationship: { weight: 15 },
      win_history: { weight: 25, saturationWins: 3 },
      icp_industry: {
        weight: 40,
        industries: ['software', 'financial_services', 'manufacturing', 'healthcare', 'telecommunications'],
      },
      icp_region: { weight: 20, regions: ['emea', 'north_america'] },
      strategic_flag: { weight: 40 },
    },
  },
  tiers: {
    thresholds: { tier_1: 75, tier_2: 55, tier_3: 35 },
    hysteresis: 5,
    capacity: { tier_1: 25, tier_2: 100, tier_3: 500 },
    overCapacityCeilingPct: 20,
    reviewCadenceDays: { tier_1: 30, tier_2: 60, tier_3: 90 },
  },
  decisionRights: {
    roles: {
      chief_abm_officer: {
        mayRequest: true,
        mayApply: ['routine', 'tier_1', 'over_capacity'],
      },
      abm_committee: { mayRequest: true, mayApply: ['routine', 'tier_1'] },
      abm_manager: { mayRequest: true, mayApply: ['routine'] },
      marketer: { mayRequest: true, mayApply: ['routine'] },
      sales_manager: { mayRequest: true, mayApply: [] },
      sales_rep: { mayRequest: true, mayApply: [] },
    },
    approvers: {
      sales_request: ['abm_manager', 'abm_committee', 'chief_abm_officer'],
      tier_1: ['abm_committee', 'chief_abm_officer'],
      over_capacity: ['chief_abm_officer'],
    },
    reasonRequiredBeyondSteps: 1,
    approvalSla: { decideWithinBusinessDays: 5, expireAfterBusinessDays: 10 },
    outOfAppEdits: 'audit',
  },
  businessHours: {
    timezone: 'Europe/Paris',
    weekdays: [1, 2, 3, 4, 5],
    dayStart: '09:00',
    dayEnd: '18:00',
    // French public holidays for the current and next year; tenants replace them with their own.
    holidays: [
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
      '2027-01-01',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-08',
      '2027-05-17',
      '2027-07-14',
      '2027-08-15',
      '2027-11-01',
      '2027-11-11',
      '2027-12-25',
    ],
  },
  sla: {
    followUpBusinessHours: { tier_1: 8, tier_2: 16, tier_3: 24 },
    feedbackBusinessDays: { tier_1: 2, tier_2: 3, tier_3: 5 },
    atRiskRatio: 0.75,
    escalationRatio: 0.5,
    marketingDelivery: {
      mqasPerMonth: { tier_1: 5, tier_2: 15, tier_3: 40 },
      minAcceptanceRate: 0.6,
    },
    alertCapPerPersonPerDay: 5,
    handoverReasonCodes: {
      accepted: ['qualified', 'active_project', 'strategic_fit'],
      rejected: ['not_a_fit', 'bad_timing', 'no_budget', 'already_engaged', 'duplicate', 'insufficient_data'],
    },
  },
  mqa: { windowDays: 30, minEngagementPoints: 60, minEngagedContacts: 2, intentSurgeScore: 80 },
  costs: {
    categories: ['programme_budget', 'sales_time', 'content', 'technology', 'training'],
    grossMargin: 0.7,
    salesLoadedHourlyRate: 95,
    currency: 'EUR',
  },
});
