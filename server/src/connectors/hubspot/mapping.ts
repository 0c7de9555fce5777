import type { BuyingRole, DealStage, Instant, Tier, TierOrNone } from '@abm-pilot/shared';
import { BuyingRoleSchema, TIERS } from '@abm-pilot/shared';

import type {
  AbmAccountFields,
  CrmAccount,
  CrmContact,
  CrmDeal,
  CrmEngagement,
  CrmOwner,
  EngagementKind,
  SyncCursor,
  TaskWrite,
} from '../../model.ts';
import type { HubSpotObject, HubSpotOwner } from './wire.ts';

// HubSpot records ↔ the server's CRM-neutral records. Pure: every value arrives as the string HubSpot
// sends (or null) and leaves as a typed field; writes go back as strings, an empty string clearing a value.

export type EngagementObjectType = 'meetings' | 'calls' | 'emails';
export type PulledObjectType = 'companies' | 'contacts' | 'deals' | EngagementObjectType;

/** Companies, deals and engagements use `hs_lastmodifieddate`; contacts predate the prefix. */
export const LAST_MODIFIED: Readonly<Record<PulledObjectType, string>> = {
  companies: 'hs_lastmodifieddate',
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  meetings: 'hs_lastmodifieddate',
  calls: 'hs_lastmodifieddate',
  emails: 'hs_lastmodifieddate',
};

/** The properties each pull asks for, and nothing more: payloads stay small at 100,000 records. */
export const PULL_PROPERTIES: Readonly<Record<PulledObjectType, readonly string[]>> = {
  companies: [
    'name',
    'domain',
    'industry',
    'region',
    'numberofemployees',
    'annualrevenue',
    'hubspot_owner_id',
    'abm_owner',
    'abm_executive_sponsor',
    'hs_ideal_customer_profile',
    'abm_tier_reason',
    'strategic_account',
    'intent_score',
    'hs_lastmodifieddate',
    'hs_merged_object_ids',
  ],
  contacts: ['hs_buying_role', 'associatedcompanyid', 'lastmodifieddate', 'hs_merged_object_ids'],
  deals: [
    'amount',
    'dealstage',
    'hs_is_closed',
    'hs_is_closed_won',
    'createdate',
    'closedate',
    'hubspot_owner_id',
    'hs_lastmodifieddate',
    'hs_merged_object_ids',
  ],
  meetings: ['hs_timestamp', 'hubspot_owner_id', 'hs_lastmodifieddate', 'hs_meeting_outcome'],
  calls: ['hs_timestamp', 'hubspot_owner_id', 'hs_lastmodifieddate', 'hs_call_status'],
  emails: [
    'hs_timestamp',
    'hubspot_owner_id',
    'hs_lastmodifieddate',
    'hs_email_open_count',
    'hs_email_click_count',
  ],
};

/** HubSpot sends instants as ISO 8601 text, and sometimes (older properties) as epoch milliseconds. */
export const parseInstant = (value: string | null | undefined): Instant | null => {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : parsed;
};

export const parseNumber = (value: string | null | undefined): number | null => {
  if (value === null || value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
};

export const parseBoolean = (value: string | null | undefined): boolean | null => {
  const text = value?.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return null;
};

const text = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** "Financial Services" and "FINANCIAL_SERVICES" both become `financial_services`. */
export const snakeCase = (value: string | null | undefined): string | null => {
  const source = text(value);
  if (source === null) return null;
  const snake = source
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return snake === '' ? null : snake;
};

// Set lookups rather than zod here: a failed safeParse builds an error object, per record.
const TIER_SET: ReadonlySet<string> = new Set(TIERS);
const BUYING_ROLE_SET: ReadonlySet<string> = new Set(BuyingRoleSchema.options);

/**
 * The tier as the portal holds it: `hs_ideal_customer_profile` alone, as the model defines `crmTier`.
 * `hs_is_target_account` is written alongside it but not read back, so a tier set in HubSpot on an
 * account nobody ticked as a target still counts as that tier.
 */
export const tierOf = (icp: string | null | undefined): TierOrNone => {
  const value = text(icp)?.toLowerCase();
  return value !== undefined && TIER_SET.has(value) ? (value as Tier) : null;
};

/**
 * `hs_buying_role` is a multi-select (`DECISION_MAKER;CHAMPION`): the first role the model knows wins,
 * a value it does not know is `other`, an empty one is no role.
 */
export const buyingRoleOf = (value: string | null | undefined): BuyingRole | null => {
  const roles = (text(value) ?? '')
    .split(';')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (roles.length === 0) return null;
  const known = roles.find((role) => BUYING_ROLE_SET.has(role));
  return known === undefined ? 'other' : (known as BuyingRole);
};

const WON_STAGES = new Set(['closedwon']);
const LOST_STAGES = new Set(['closedlost']);

/** HubSpot's derived `hs_is_closed_won` / `hs_is_closed` decide; the default pipeline's stage ids back them up. */
export const dealStageOf = (properties: HubSpotObject['properties']): DealStage => {
  const closedWon = parseBoolean(properties.hs_is_closed_won);
  const closed = parseBoolean(properties.hs_is_closed);
  if (closedWon === true) return 'won';
  if (closed === true) return 'lost';
  if (closed === false) return 'open';
  const stage = text(properties.dealstage)?.toLowerCase() ?? '';
  if (WON_STAGES.has(stage)) return 'won';
  if (LOST_STAGES.has(stage)) return 'lost';
  return 'open';
};

/**
 * Logged emails carry their tracking counts: a clicked email is an `email_click`, an opened one an
 * `email_open` (as the seed's marketing touches were loaded), any other a plain sales `email`.
 */
export const engagementKindOf = (
  type: EngagementObjectType,
  properties: HubSpotObject['properties'],
): EngagementKind => {
  switch (type) {
    case 'meetings':
      return 'meeting';
    case 'calls':
      return 'call';
    case 'emails':
      if ((parseNumber(properties.hs_email_click_count) ?? 0) > 0) return 'email_click';
      if ((parseNumber(properties.hs_email_open_count) ?? 0) > 0) return 'email_open';
      return 'email';
  }
};

/**
 * Whether a call or meeting took place. A call counts once HubSpot says it was completed (one logged by
 * hand carries no status, and happened); one queued, ringing, unanswered or failed is no touch. A meeting
 * counts unless it was cancelled, missed or moved: a scheduled one whose time has passed was held, since
 * few people set the outcome afterwards (the caller ignores those still in the future).
 */
export function engagementDone(type: EngagementObjectType, properties: HubSpotObject['properties']): boolean {
  switch (type) {
    case 'calls': {
      const status = text(properties.hs_call_status);
      return status === null || status === 'COMPLETED';
    }
    case 'meetings':
      return !MEETINGS_NOT_HELD.has(text(properties.hs_meeting_outcome) ?? '');
    case 'emails':
      return true;
  }
}

const MEETINGS_NOT_HELD: ReadonlySet<string> = new Set(['CANCELED', 'NO_SHOW', 'RESCHEDULED']);

/** The associated record ids of one object, primary association first. */
export interface Associated {
  readonly companies: readonly string[];
  readonly contacts: readonly string[];
}

export const NO_ASSOCIATIONS: Associated = { companies: [], contacts: [] };

/** Associations inlined by a GET list: labelled (primary) types are named without `_unlabeled`. */
export const inlineAssociations = (object: HubSpotObject): Associated => {
  const idsOf = (target: string): string[] => {
    const results = object.associations?.[target]?.results ?? [];
    const primary = results.filter((entry) => !entry.type.endsWith('_unlabeled')).map((entry) => entry.id);
    return [...new Set([...primary, ...results.map((entry) => entry.id)])];
  };
  return { companies: idsOf('companies'), contacts: idsOf('contacts') };
};

export const modifiedAtOf = (object: HubSpotObject, property: string): Instant =>
  parseInstant(object.properties[property]) ?? parseInstant(object.updatedAt) ?? 0;

/** Ids of the records merged into this one (`hs_merged_object_ids`, `;`-separated). */
export const mergedAwayIds = (object: HubSpotObject): string[] =>
  (text(object.properties.hs_merged_object_ids) ?? '')
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '' && id !== object.id);

/**
 * An owner id from a "HubSpot user" property; `null` for anything else, such as a name typed into a portal's
 * own text property of the same name, which would otherwise pass for a user id.
 */
const ownerIdOf = (value: string | null | undefined): string | null => {
  const id = text(value);
  return id !== null && /^\d{1,20}$/.test(id) ? id : null;
};

export const toAccount = (object: HubSpotObject): CrmAccount => {
  const p = object.properties;
  return {
    crmId: object.id,
    name: text(p.name) ?? text(p.domain) ?? `Company ${object.id}`,
    domain: text(p.domain)?.toLowerCase() ?? null,
    industry: snakeCase(p.industry),
    region: snakeCase(p.region),
    employees: parseNumber(p.numberofemployees),
    annualRevenue: parseNumber(p.annualrevenue),
    ownerCrmId: text(p.hubspot_owner_id),
    abmOwnerCrmId: ownerIdOf(p.abm_owner),
    executiveSponsorCrmId: ownerIdOf(p.abm_executive_sponsor),
    crmTier: tierOf(p.hs_ideal_customer_profile),
    crmTierReason: text(p.abm_tier_reason),
    strategic: parseBoolean(p.strategic_account),
    intentScore: parseNumber(p.intent_score),
    modifiedAt: modifiedAtOf(object, 'hs_lastmodifieddate'),
    mergedFromCrmIds: mergedAwayIds(object),
  };
};

export const toContact = (object: HubSpotObject, associated: Associated): CrmContact => ({
  crmId: object.id,
  accountCrmId: associated.companies[0] ?? text(object.properties.associatedcompanyid),
  buyingRole: buyingRoleOf(object.properties.hs_buying_role),
  modifiedAt: modifiedAtOf(object, 'lastmodifieddate'),
});

export const toDeal = (object: HubSpotObject, associated: Associated): CrmDeal => {
  const p = object.properties;
  const stage = dealStageOf(p);
  return {
    crmId: object.id,
    accountCrmId: associated.companies[0] ?? null,
    ownerCrmId: text(p.hubspot_owner_id),
    amount: parseNumber(p.amount),
    stage,
    createdAt: parseInstant(p.createdate) ?? parseInstant(object.createdAt) ?? 0,
    closedAt: stage === 'open' ? null : parseInstant(p.closedate),
    modifiedAt: modifiedAtOf(object, 'hs_lastmodifieddate'),
  };
};

export const toEngagement = (
  type: EngagementObjectType,
  object: HubSpotObject,
  associated: Associated,
): CrmEngagement => {
  const p = object.properties;
  const modifiedAt = modifiedAtOf(object, 'hs_lastmodifieddate');
  return {
    crmId: object.id,
    accountCrmId: associated.companies[0] ?? null,
    contactCrmId: associated.contacts[0] ?? null,
    ownerCrmId: text(p.hubspot_owner_id),
    kind: engagementKindOf(type, p),
    occurredAt: parseInstant(p.hs_timestamp) ?? parseInstant(object.createdAt) ?? modifiedAt,
    done: engagementDone(type, p),
    modifiedAt,
  };
};

/** HubSpot owners have no manager, no time zone and no language; archived ones come back inactive. */
export const toOwner = (owner: HubSpotOwner): CrmOwner => {
  const name = [text(owner.firstName), text(owner.lastName)].filter(Boolean).join(' ');
  const team = owner.teams?.find((entry) => entry.primary === true) ?? owner.teams?.[0];
  return {
    crmId: owner.id,
    name: name === '' ? (text(owner.email) ?? `Owner ${owner.id}`) : name,
    email: text(owner.email),
    timezone: null,
    managerCrmId: null,
    team: team?.name ?? null,
    locale: null,
    active: owner.archived !== true,
    modifiedAt: parseInstant(owner.updatedAt) ?? 0,
    // Card calls are signed with this id; accounts and tasks use the owner id.
    loginUserId: owner.userId ?? owner.userIdIncludingInactive ?? null,
  };
};

export const ABM_GROUP = 'abm_pilot';
export const ALERT_KEY_PROPERTY = 'abm_alert_key';

const isoOrEmpty = (at: Instant | null): string => (at === null ? '' : new Date(at).toISOString());

/** Only the fields present in the write are sent; `null` clears the property. */
export const accountProperties = (fields: Partial<AbmAccountFields>): Record<string, string> => {
  const properties: Record<string, string> = {};
  if (fields.tier !== undefined) {
    properties.hs_ideal_customer_profile = fields.tier ?? '';
    properties.hs_is_target_account = String(fields.tier !== null);
  }
  if (fields.score !== undefined) properties.abm_score = fields.score === null ? '' : String(fields.score);
  if (fields.slaStatus !== undefined) properties.abm_sla_status = fields.slaStatus ?? '';
  if (fields.nextSlaDueAt !== undefined) properties.abm_next_sla_due = isoOrEmpty(fields.nextSlaDueAt);
  if (fields.tierReason !== undefined) properties.abm_tier_reason = fields.tierReason ?? '';
  if (fields.lastSyncAt !== undefined) properties.abm_last_sync = isoOrEmpty(fields.lastSyncAt);
  return properties;
};

const PRIORITY: Readonly<Record<TaskWrite['priority'], string>> = {
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
};

export const taskProperties = (task: TaskWrite): Record<string, string> => ({
  hs_task_subject: task.subject,
  hs_task_body: task.body,
  hs_timestamp: new Date(task.dueAt).toISOString(),
  hs_task_priority: PRIORITY[task.priority],
  hs_task_status: task.status === 'completed' ? 'COMPLETED' : 'NOT_STARTED',
  hs_task_type: 'TODO',
  hubspot_owner_id: task.assigneeCrmId,
});

/** HubSpot ids are decimal strings: shorter is smaller, then text order. */
export const compareIds = (a: string, b: string): number =>
  a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export const compareCursors = (a: SyncCursor, b: SyncCursor): number =>
  a.modifiedAt - b.modifiedAt || compareIds(a.crmId, b.crmId);

export const laterCursor = (a: SyncCursor | null, b: SyncCursor | null): SyncCursor | null => {
  if (a === null) return b;
  if (b === null) return a;
  return compareCursors(a, b) >= 0 ? a : b;
};
