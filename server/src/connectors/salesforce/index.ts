export type { SalesforceConnector, SalesforceConnectorOptions } from './connector.ts';
export { DEFAULT_BUDGET_SHARE, DEFAULT_OVERLAP_MS, createSalesforceConnector } from './connector.ts';
export type { SalesforceAbmAccountField } from './fields.ts';
export {
  ALERT_KEY_FIELD,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_API_VERSION,
  SALESFORCE_TIER_PICKLIST,
} from './fields.ts';
export type { SalesforceAuth } from './http.ts';
