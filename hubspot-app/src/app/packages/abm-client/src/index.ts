// What the ABM Pilot extensions share. Of shared's contracts and vocabulary, exactly the names below reach
// the bundle HubSpot builds each extension from: an extension that needs another one adds it here.

export {
  accountCardContract,
  approveContract,
  getConfigContract,
  getRolesContract,
  governanceMetricsContract,
  handoverContract,
  handoverFeedbackContract,
  marketingDeliveryContract,
  pendingApprovalsContract,
  portfolioReviewContract,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  recordReviewContract,
  rejectContract,
  syncStatusContract,
  tierChangeContract,
  triggerSyncContract,
  // The settings check with the server's own schemas before sending.
  CostCategorySchema,
  GovernanceConfigSchema,
  PostCostsBodySchema,
  PutRolesBodySchema,
  RoleSchema,
  TierSchema,
  ACCOUNT_SLA_KINDS,
  AXES,
  COST_CATEGORIES,
  CRITERIA,
  METRIC_SEGMENTS,
  ROLES,
  TIERS,
  deliveryVerdictOf,
  fill,
  localeOf,
} from '@abm-pilot/shared';
export type {
  AccountCardResponse,
  AccountOwnerView,
  AccountReviewView,
  AccountSlaKind,
  ApprovalDecisionResponse,
  ApprovalView,
  CardActions,
  ConfigVersionView,
  CostCategory,
  CostLine,
  CrmWriteStatus,
  DeliveryOfTier,
  DeliveryPeriod,
  DeliveryVerdict,
  GovernanceConfig,
  GovernanceMetricsWire,
  HandoverDecision,
  HandoverResponse,
  Locale,
  MarketingDeliveryResponse,
  MetricSegment,
  PortfolioReviewResponse,
  PostCostsResponse,
  RecordReviewResponse,
  Role,
  RoleAssignments,
  RolesResponse,
  SyncRunView,
  SyncStatusResponse,
  Tier,
  TierChangeResponse,
  TierOrNone,
  TriggerSyncResponse,
  Vocabulary,
} from '@abm-pilot/shared';
export { requestOf } from '@abm-pilot/shared/client';
export type { ApiFailure, ApiRequest, ApiResult } from '@abm-pilot/shared/client';

export * from './hubspotApi.ts';
export * from './useAbmApi.ts';
export * from './messages.ts';
export * from './format.ts';
export * from './failures.ts';
export * from './i18n.tsx';
export * from './StatusViews.tsx';
