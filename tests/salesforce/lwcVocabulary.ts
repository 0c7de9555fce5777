import type {
  AccountSlaKind,
  Axis,
  DecisionRoute,
  HandoverDecision,
  MetricSegment,
  OwnershipRole,
  Role,
  SlaStatus,
  Tier,
} from '@abm-pilot/shared';
import {
  ACCOUNT_SLA_KINDS,
  API_ERROR_CODES,
  AXES,
  CRITERION_LABELS,
  DECISION_ROUTES,
  HandoverDecisionSchema,
  METRIC_SEGMENTS,
  OwnershipRoleSchema,
  ROLES,
  SlaStatusSchema,
  TIERS,
} from '@abm-pilot/shared';

// What the LWC needs of shared: the closed sets in shared's order and the words the card shows for
// each value. The records are typed by shared's unions, so a value added there fails the typecheck
// until it has a label here, and the generated module follows.

const TIER_LABELS: Readonly<Record<Tier, string>> = { tier_1: 'Tier 1', tier_2: 'Tier 2', tier_3: 'Tier 3' };

const ROLE_LABELS: Readonly<Record<Role, string>> = {
  chief_abm_officer: 'Chief ABM Officer',
  abm_committee: 'ABM committee',
  abm_manager: 'ABM manager',
  marketer: 'Marketer',
  sales_manager: 'Sales manager',
  sales_rep: 'Sales rep',
};

const OWNERSHIP_ROLE_LABELS: Readonly<Record<OwnershipRole, string>> = {
  account_owner: 'Account owner',
  abm_owner: 'ABM owner',
  executive_sponsor: 'Executive sponsor',
};

const AXIS_LABELS: Readonly<Record<Axis, string>> = {
  revenue_potential: 'Revenue potential',
  probability_of_success: 'Probability of success',
  strategic_alignment: 'Strategic alignment',
};

const SLA_KIND_LABELS: Readonly<Record<AccountSlaKind, string>> = {
  sales_follow_up: 'Sales follow-up',
  sales_feedback: 'Sales feedback on handover',
  approval_decision: 'Approval decision',
};

const SLA_STATUS_LABELS: Readonly<Record<SlaStatus, string>> = {
  on_track: 'On track',
  at_risk: 'At risk',
  breached: 'Breached',
  met: 'Met',
};

const DECISION_ROUTE_LABELS: Readonly<Record<DecisionRoute, string>> = {
  routine: 'Routine change',
  sales_request: 'Sales request',
  tier_1: 'Tier 1 decision',
  over_capacity: 'Over capacity',
};

const HANDOVER_DECISION_LABELS: Readonly<Record<HandoverDecision, string>> = {
  accepted: 'Accept',
  rejected: 'Reject',
};

const SEGMENT_LABELS: Readonly<Record<MetricSegment, string>> = {
  tier_1: 'Tier 1',
  tier_2: 'Tier 2',
  tier_3: 'Tier 3',
  abm: 'All ABM',
  non_abm: 'Not ABM',
  all: 'All accounts',
};

const inOrder = <K extends string>(keys: readonly K[], labels: Readonly<Record<K, string>>) =>
  keys.map((value) => ({ value, label: labels[value] }));

/** Everything the generated `c/abmVocabulary` module exports, by export name. */
export const LWC_VOCABULARY = {
  TIERS: inOrder(TIERS, TIER_LABELS),
  ROLES: inOrder(ROLES, ROLE_LABELS),
  OWNERSHIP_ROLES: inOrder(OwnershipRoleSchema.options, OWNERSHIP_ROLE_LABELS),
  AXES: inOrder(AXES, AXIS_LABELS),
  CRITERIA: inOrder(Object.keys(CRITERION_LABELS) as (keyof typeof CRITERION_LABELS)[], CRITERION_LABELS),
  SLA_KINDS: inOrder(ACCOUNT_SLA_KINDS, SLA_KIND_LABELS),
  SLA_STATUSES: inOrder(SlaStatusSchema.options, SLA_STATUS_LABELS),
  DECISION_ROUTES: inOrder(DECISION_ROUTES, DECISION_ROUTE_LABELS),
  HANDOVER_DECISIONS: inOrder(HandoverDecisionSchema.options, HANDOVER_DECISION_LABELS),
  METRIC_SEGMENTS: inOrder(METRIC_SEGMENTS, SEGMENT_LABELS),
  /** The server's error codes; the Apex controller adds `server_unreachable`. */
  API_ERROR_CODES,
} as const;
