import type { Tier } from '@abm-pilot/shared';

// The Salesforce API names ABM Pilot depends on. The SFDX metadata of `salesforce-lwc/` deploys the
// ABM fields and is their source of truth: a test there compares its field files with these names.

/** API version of every call: jsforce would otherwise speak v50.0. */
export const SALESFORCE_API_VERSION = '66.0';

/** ABM Pilot's custom fields on Account, keyed by what they hold. */
export const SALESFORCE_ABM_ACCOUNT_FIELDS = {
  tier: 'ABM_Tier__c',
  target: 'ABM_Target__c',
  score: 'ABM_Score__c',
  slaStatus: 'ABM_SLA_Status__c',
  nextSlaDueAt: 'ABM_Next_SLA_Due__c',
  tierReason: 'ABM_Tier_Reason__c',
  lastSyncAt: 'ABM_Last_Sync__c',
} as const;
export type SalesforceAbmAccountField =
  (typeof SALESFORCE_ABM_ACCOUNT_FIELDS)[keyof typeof SALESFORCE_ABM_ACCOUNT_FIELDS];

/**
 * ABM Pilot's lookups to User on Account, deployed by the package and set by people: who runs the account's
 * ABM plan, and who sponsors a tier 1 account. Read, never written.
 */
export const SALESFORCE_ABM_OWNERSHIP_FIELDS = {
  abmOwner: 'ABM_Owner__c',
  executiveSponsor: 'ABM_Executive_Sponsor__c',
} as const;

/**
 * The Account fields the score and the MQA rule read, deployed by the package (an org that deployed an
 * earlier version may lack them, so they are read only when present). Set by people and by the org's intent
 * provider; read, never written.
 */
export const SALESFORCE_SCORING_FIELDS = {
  region: 'Region__c',
  strategic: 'Strategic_Account__c',
  intentScore: 'Intent_Score__c',
} as const;

/** Labels of the restricted `ABM_Tier__c` picklist. */
export const SALESFORCE_TIER_PICKLIST: Readonly<Record<Tier, string>> = {
  tier_1: 'Tier 1',
  tier_2: 'Tier 2',
  tier_3: 'Tier 3',
};

/** External id on Task that makes an SLA alert's task unique, so a resend updates instead of duplicating. */
export const ALERT_KEY_FIELD = 'ABM_Alert_Key__c';

/** Fields whose absence stops the connector: it cannot write back or create alert tasks without them. */
export const REQUIRED_FIELDS: readonly { readonly sobject: 'Account' | 'Task'; readonly field: string }[] = [
  ...Object.values(SALESFORCE_ABM_ACCOUNT_FIELDS).map((field) => ({ sobject: 'Account' as const, field })),
  { sobject: 'Task', field: ALERT_KEY_FIELD },
];

/**
 * Custom fields read when the org has them and skipped when it does not: an org may run an earlier version
 * of the package, or not have deployed it yet. The package deploys every one of them (a test checks).
 */
export const OPTIONAL_READ_FIELDS = {
  Account: [
    ...Object.values(SALESFORCE_SCORING_FIELDS),
    SALESFORCE_ABM_ACCOUNT_FIELDS.tier,
    SALESFORCE_ABM_ACCOUNT_FIELDS.tierReason,
    SALESFORCE_ABM_OWNERSHIP_FIELDS.abmOwner,
    SALESFORCE_ABM_OWNERSHIP_FIELDS.executiveSponsor,
  ],
  Contact: ['ABM_Buying_Role__c'],
  Task: ['ABM_Engagement_Type__c'],
  Event: ['ABM_Engagement_Type__c'],
} as const;
/** The objects described once per connector: those with optional fields, and Task for its alert key. */
export type DescribedSObject = keyof typeof OPTIONAL_READ_FIELDS;
