import type { BuyingRole, DealStage, Instant, Locale, SlaStatus, TierOrNone } from '@abm-pilot/shared';

import type { Connection } from './config.ts';

// The server's CRM-neutral picture of a tenant. Connectors map HubSpot companies / deals / contacts /
// owners / engagements and Salesforce Account / Opportunity / Contact / User / Task+Event onto these
// records, and nothing past the connectors knows which CRM a record came from.

export type CrmKind = 'hubspot' | 'salesforce';

/** A connected HubSpot portal or Salesforce org. Every stored row carries its `tenantId`. */
export interface Tenant {
  /** `hubspot:<portalId>` or `salesforce:<orgId>`. */
  readonly id: string;
  readonly crm: CrmKind;
  /** Portal id or org id as the CRM spells it. */
  readonly externalId: string;
  readonly name: string;
  /** The language ABM Pilot writes in the CRM (tier reasons, tasks to people whose own it does not know). */
  readonly language: Locale;
}

export const tenantIdOf = (crm: CrmKind, externalId: string): string => `${crm}:${externalId}`;

/** The tenant a connection connects. */
export function tenantOf(connection: Connection): Tenant {
  const externalId = connection.crm === 'hubspot' ? connection.portalId : connection.orgId;
  return {
    id: tenantIdOf(connection.crm, externalId),
    crm: connection.crm,
    externalId,
    name: connection.name,
    language: connection.language,
  };
}

export interface CrmAccount {
  readonly crmId: string;
  readonly name: string;
  readonly domain: string | null;
  /** Lower-case snake_case, as the scoring model lists industries. */
  readonly industry: string | null;
  readonly region: string | null;
  readonly employees: number | null;
  readonly annualRevenue: number | null;
  readonly ownerCrmId: string | null;
  /** The marketer accountable for the account's ABM plan (HubSpot `abm_owner`, Salesforce `ABM_Owner__c`). */
  readonly abmOwnerCrmId: string | null;
  /**
   * The executive who sponsors a tier 1 account (HubSpot `abm_executive_sponsor`, Salesforce
   * `ABM_Executive_Sponsor__c`).
   */
  readonly executiveSponsorCrmId: string | null;
  /** The tier as found in the CRM (HubSpot `hs_ideal_customer_profile`, Salesforce `ABM_Tier__c`). */
  readonly crmTier: TierOrNone;
  /**
   * The tier reason as found in the CRM (`abm_tier_reason`, `ABM_Tier_Reason__c`): ABM Pilot writes it, and
   * someone changing the tier in the CRM may write theirs there too.
   */
  readonly crmTierReason: string | null;
  readonly strategic: boolean | null;
  readonly intentScore: number | null;
  readonly modifiedAt: Instant;
  /** CRM ids of records merged into this one (they are gone from the CRM). */
  readonly mergedFromCrmIds: readonly string[];
}

export interface CrmDeal {
  readonly crmId: string;
  readonly accountCrmId: string | null;
  readonly ownerCrmId: string | null;
  readonly amount: number | null;
  readonly stage: DealStage;
  readonly createdAt: Instant;
  /** Actual close for closed deals; `null` while open. */
  readonly closedAt: Instant | null;
  readonly modifiedAt: Instant;
}

export interface CrmContact {
  readonly crmId: string;
  readonly accountCrmId: string | null;
  readonly buyingRole: BuyingRole | null;
  readonly modifiedAt: Instant;
}

export interface CrmOwner {
  readonly crmId: string;
  readonly name: string;
  readonly email: string | null;
  /** IANA zone, when the CRM knows it: SLA clocks run on the owner's business hours. */
  readonly timezone: string | null;
  readonly managerCrmId: string | null;
  readonly team: string | null;
  /** The user's language as the CRM holds it (Salesforce `LanguageLocaleKey`); `null` where it does not. */
  readonly locale: string | null;
  readonly active: boolean;
  readonly modifiedAt: Instant;
  /**
   * The id the person signs in with, where the CRM numbers it apart from the owner id (HubSpot's `userId`;
   * HubSpot signs card calls with it). `null` where they are one (Salesforce) or the owner is a queue.
   */
  readonly loginUserId: string | null;
}

export type EngagementKind =
  | 'email_open'
  | 'email_click'
  | 'web_visit'
  | 'form_submit'
  | 'meeting'
  | 'call'
  | 'email';

export interface CrmEngagement {
  readonly crmId: string;
  readonly accountCrmId: string | null;
  readonly contactCrmId: string | null;
  /** The CRM user who logged it, for sales activities ("first touch"). */
  readonly ownerCrmId: string | null;
  readonly kind: EngagementKind;
  readonly occurredAt: Instant;
  /**
   * Whether it took place: a completed call or task, a meeting held. A planned one (an open task, a
   * scheduled call or meeting) is no touch and no engagement yet, whatever its date.
   */
  readonly done: boolean;
  readonly modifiedAt: Instant;
}

/** The object kinds a sync pulls, in the order it pulls them (owners first: accounts refer to them). */
export const SYNC_KINDS = ['owners', 'accounts', 'contacts', 'deals', 'engagements'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export interface RecordOfKind {
  readonly owners: CrmOwner;
  readonly accounts: CrmAccount;
  readonly contacts: CrmContact;
  readonly deals: CrmDeal;
  readonly engagements: CrmEngagement;
}

/**
 * Where an incremental pull resumes: the last (modifiedAt, crmId) saved. Records are pulled in that order,
 * and a connector re-reads an overlap window before it, so a record modified while a page was in flight
 * is seen again rather than skipped; upserts make the re-read harmless.
 */
export interface SyncCursor {
  readonly modifiedAt: Instant;
  readonly crmId: string;
}

/** What the server writes back on an account: only fields whose value changed since the last write. */
export interface AbmAccountFields {
  readonly tier: TierOrNone;
  readonly score: number | null;
  readonly slaStatus: SlaStatus | null;
  readonly nextSlaDueAt: Instant | null;
  readonly tierReason: string | null;
  readonly lastSyncAt: Instant;
}

export interface AccountWrite {
  readonly crmId: string;
  readonly fields: Partial<AbmAccountFields>;
}

/** A CRM task for an SLA alert, keyed so that sending it twice updates one task instead of making two. */
export interface TaskWrite {
  /** The alert's task key (see `alertsDue`): stored on the task as an external id. */
  readonly key: string;
  /** The account the task is about; `null` for one about the whole programme (a month's marketing delivery). */
  readonly accountCrmId: string | null;
  readonly assigneeCrmId: string;
  readonly subject: string;
  readonly body: string;
  readonly dueAt: Instant;
  readonly priority: 'high' | 'medium' | 'low';
  readonly status: 'open' | 'completed';
}
