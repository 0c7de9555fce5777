import type { z } from 'zod';

import { GovernanceConfigSchema } from '../config/schema.ts';
import {
  CriterionSchema,
  DecisionRouteSchema,
  RoleSchema,
  SlaStatusSchema,
  TierSchema,
} from '../config/vocabulary.ts';
import {
  accountCardContract,
  AccountCardResponseSchema,
  handoverContract,
  handoverFeedbackContract,
  HandoverFeedbackResponseSchema,
  HandoverResponseSchema,
  recordReviewContract,
  RecordReviewResponseSchema,
  tierChangeContract,
  TierChangeResponseSchema,
} from './accounts.ts';
import {
  AdminConfigResponseSchema,
  ConfigVersionViewSchema,
  CostLedgerLineSchema,
  CostLedgerResponseSchema,
  getConfigContract,
  getCostsContract,
  getRolesContract,
  PostCostsResponseSchema,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  RolesResponseSchema,
  SyncRunViewSchema,
  syncStatusContract,
  SyncStatusResponseSchema,
  triggerSyncContract,
  TriggerSyncResponseSchema,
} from './admin.ts';
import {
  ApprovalDecisionResponseSchema,
  approveContract,
  pendingApprovalsContract,
  PendingApprovalsResponseSchema,
  rejectContract,
} from './approvals.ts';
import { accountAuditContract, AuditPageResponseSchema, tenantAuditContract } from './audit.ts';
import {
  consoleAccountsContract,
  ConsoleAccountsResponseSchema,
  consoleLoginContract,
  consoleLogoutContract,
  consoleSessionContract,
  ConsoleSessionSchema,
  consoleSwitchContract,
} from './console.ts';
import type { ApiContract } from './contract.ts';
import { ApiErrorSchema } from './errors.ts';
import { IsoInstantSchema } from './primitives.ts';
import {
  healthzContract,
  HealthzResponseSchema,
  openApiContract,
  OpenApiDocumentSchema,
  readyzContract,
  ReadyzResponseSchema,
} from './health.ts';
import {
  DeliveryPeriodSchema,
  marketingDeliveryContract,
  MarketingDeliveryResponseSchema,
} from './marketingDelivery.ts';
import {
  GovernanceMetricsResponseSchema,
  governanceMetricsContract,
  GovernanceMetricsWireSchema,
  MetricMedianSchema,
  MetricRatioSchema,
  portfolioReviewContract,
  PortfolioReviewResponseSchema,
  TierCapacitySchema,
} from './metrics.ts';
import {
  AccountReviewViewSchema,
  AccountSlaViewSchema,
  ActorViewSchema,
  ApprovalViewSchema,
  AuditEntryViewSchema,
  ScoreViewSchema,
} from './views.ts';
import { hubspotWebhookContract, salesforceWebhookContract, WebhookAckSchema } from './webhooks.ts';

/** Every endpoint of the API, by operation id: what the server mounts and the OpenAPI document lists. */
export const API_CONTRACTS = {
  getAccountCard: accountCardContract,
  requestTierChange: tierChangeContract,
  handOverAccount: handoverContract,
  giveHandoverFeedback: handoverFeedbackContract,
  recordAccountReview: recordReviewContract,
  listPendingApprovals: pendingApprovalsContract,
  approveTierChange: approveContract,
  rejectTierChange: rejectContract,
  getAccountAudit: accountAuditContract,
  getTenantAudit: tenantAuditContract,
  getGovernanceMetrics: governanceMetricsContract,
  getPortfolioReview: portfolioReviewContract,
  getMarketingDelivery: marketingDeliveryContract,
  getConfig: getConfigContract,
  putConfig: putConfigContract,
  getRoles: getRolesContract,
  putRoles: putRolesContract,
  getCosts: getCostsContract,
  postCosts: postCostsContract,
  triggerSync: triggerSyncContract,
  getSyncStatus: syncStatusContract,
  receiveHubSpotWebhook: hubspotWebhookContract,
  receiveSalesforceWebhook: salesforceWebhookContract,
  healthz: healthzContract,
  readyz: readyzContract,
  getOpenApiDocument: openApiContract,
  consoleLogin: consoleLoginContract,
  getConsoleSession: consoleSessionContract,
  consoleLogout: consoleLogoutContract,
  switchConsoleTenant: consoleSwitchContract,
  listConsoleAccounts: consoleAccountsContract,
} as const satisfies Readonly<Record<string, ApiContract>>;
export type ApiOperationId = keyof typeof API_CONTRACTS;

/** Response schemas named in the OpenAPI document's components, referenced wherever they are used. */
export const API_COMPONENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ApiError: ApiErrorSchema,
  AccountCard: AccountCardResponseSchema,
  TierChangeResponse: TierChangeResponseSchema,
  HandoverResponse: HandoverResponseSchema,
  HandoverFeedbackResponse: HandoverFeedbackResponseSchema,
  RecordReviewResponse: RecordReviewResponseSchema,
  AccountReview: AccountReviewViewSchema,
  PendingApprovalsResponse: PendingApprovalsResponseSchema,
  ApprovalDecisionResponse: ApprovalDecisionResponseSchema,
  AuditPageResponse: AuditPageResponseSchema,
  GovernanceMetricsResponse: GovernanceMetricsResponseSchema,
  GovernanceMetrics: GovernanceMetricsWireSchema,
  PortfolioReviewResponse: PortfolioReviewResponseSchema,
  MarketingDeliveryResponse: MarketingDeliveryResponseSchema,
  DeliveryPeriod: DeliveryPeriodSchema,
  AdminConfigResponse: AdminConfigResponseSchema,
  ConfigVersion: ConfigVersionViewSchema,
  GovernanceConfig: GovernanceConfigSchema,
  RolesResponse: RolesResponseSchema,
  CostLedgerResponse: CostLedgerResponseSchema,
  CostLedgerLine: CostLedgerLineSchema,
  PostCostsResponse: PostCostsResponseSchema,
  TriggerSyncResponse: TriggerSyncResponseSchema,
  SyncStatusResponse: SyncStatusResponseSchema,
  SyncRun: SyncRunViewSchema,
  WebhookAck: WebhookAckSchema,
  HealthzResponse: HealthzResponseSchema,
  ReadyzResponse: ReadyzResponseSchema,
  OpenApiDocument: OpenApiDocumentSchema,
  Approval: ApprovalViewSchema,
  Actor: ActorViewSchema,
  AuditEntry: AuditEntryViewSchema,
  AccountSla: AccountSlaViewSchema,
  Score: ScoreViewSchema,
  MetricRatio: MetricRatioSchema,
  MetricMedian: MetricMedianSchema,
  TierCapacity: TierCapacitySchema,
  Instant: IsoInstantSchema,
  Tier: TierSchema,
  Role: RoleSchema,
  DecisionRoute: DecisionRouteSchema,
  Criterion: CriterionSchema,
  SlaStatus: SlaStatusSchema,
  ConsoleSession: ConsoleSessionSchema,
  ConsoleAccountsResponse: ConsoleAccountsResponseSchema,
};
