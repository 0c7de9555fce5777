import type { BuyingRole, Instant, TierOrNone } from '@abm-pilot/shared';
import { BuyingRoleSchema, DAY_MS } from '@abm-pilot/shared';

import type {
  AccountWrite,
  CrmAccount,
  CrmContact,
  CrmDeal,
  CrmEngagement,
  CrmOwner,
  EngagementKind,
  TaskWrite,
} from '../../model.ts';
import {
  ALERT_KEY_FIELD,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_ABM_OWNERSHIP_FIELDS,
  SALESFORCE_SCORING_FIELDS,
  SALESFORCE_TIER_PICKLIST,
} from './fields.ts';
import type { Keyed } from './soql.ts';

// Salesforce records ⇄ the server's CRM-neutral model. Pure functions over the JSON the REST API
// returns: a field the org lacks reads as null, never as an error.

export type SalesforceRecord = Readonly<Record<string, unknown>>;

const text = (record: SalesforceRecord, field: string): string | null => {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : null;
};

const number = (record: SalesforceRecord, field: string): number | null => {
  const value = record[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

const flag = (record: SalesforceRecord, field: string): boolean | null => {
  const value = record[field];
  return typeof value === 'boolean' ? value : null;
};

/** `2026-07-01T10:00:00.000+0000`: the REST API's offset has no colon, which ISO 8601 parsers may refuse. */
export function parseSalesforceDatetime(value: unknown): Instant | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

/** A date field (`YYYY-MM-DD`) as midnight UTC. */
export function parseSalesforceDate(value: unknown): Instant | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

const datetime = (record: SalesforceRecord, field: string): Instant | null =>
  parseSalesforceDatetime(record[field]);

/** Id and SystemModstamp, which every pulled record has: their absence is a bug in the query, not data. */
export function keyOf(record: SalesforceRecord): Keyed {
  const crmId = text(record, 'Id');
  const modifiedAt = datetime(record, 'SystemModstamp');
  if (crmId === null || modifiedAt === null) {
    throw new Error('a pulled Salesforce record lacks Id or SystemModstamp');
  }
  return { crmId, modifiedAt };
}

/** `Food & Beverage` → `food_beverage`: the scoring model lists industries in lower snake_case. */
export function industryKey(industry: string | null): string | null {
  if (industry === null) return null;
  const key = industry
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return key === '' ? null : key;
}

/** `https://www.Acme.com/about` → `acme.com`. */
export function domainOf(website: string | null): string | null {
  if (website === null) return null;
  const host = website
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .split(/[/?#]/, 1)[0]!
    .replace(/:\d+$/, '')
    .replace(/^www\./, '');
  return host === '' ? null : host;
}

const TIER_BY_LABEL: ReadonlyMap<string, TierOrNone> = new Map(
  Object.entries(SALESFORCE_TIER_PICKLIST).map(([tier, label]) => [label, tier as TierOrNone]),
);

export const tierOf = (label: string | null): TierOrNone =>
  label === null ? null : (TIER_BY_LABEL.get(label) ?? null);

/** Buying roles by value (`decision_maker`) or by label (`Decision Maker`). */
export function buyingRoleOf(value: string | null): BuyingRole | null {
  const parsed = BuyingRoleSchema.safeParse(industryKey(value));
  return parsed.success ? parsed.data : null;
}

export function toAccount(record: SalesforceRecord, mergedFromCrmIds: readonly string[] = []): CrmAccount {
  const { crmId, modifiedAt } = keyOf(record);
  return {
    crmId,
    name: text(record, 'Name') ?? '',
    domain: domainOf(text(record, 'Website')),
    industry: industryKey(text(record, 'Industry')),
    region: text(record, SALESFORCE_SCORING_FIELDS.region),
    employees: number(record, 'NumberOfEmployees'),
    annualRevenue: number(record, 'AnnualRevenue'),
    ownerCrmId: text(record, 'OwnerId'),
    abmOwnerCrmId: text(record, SALESFORCE_ABM_OWNERSHIP_FIELDS.abmOwner),
    executiveSponsorCrmId: text(record, SALESFORCE_ABM_OWNERSHIP_FIELDS.executiveSponsor),
    crmTier: tierOf(text(record, SALESFORCE_ABM_ACCOUNT_FIELDS.tier)),
    crmTierReason: text(record, SALESFORCE_ABM_ACCOUNT_FIELDS.tierReason),
    strategic: flag(record, SALESFORCE_SCORING_FIELDS.strategic),
    intentScore: number(record, SALESFORCE_SCORING_FIELDS.intentScore),
    modifiedAt,
    mergedFromCrmIds,
  };
}

export function toContact(record: SalesforceRecord): CrmContact {
  const { crmId, modifiedAt } = keyOf(record);
  return {
    crmId,
    accountCrmId: text(record, 'AccountId'),
    buyingRole: buyingRoleOf(text(record, 'ABM_Buying_Role__c')),
    modifiedAt,
  };
}

export function toDeal(record: SalesforceRecord): CrmDeal {
  const { crmId, modifiedAt } = keyOf(record);
  const closed = flag(record, 'IsClosed') === true;
  return {
    crmId,
    accountCrmId: text(record, 'AccountId'),
    ownerCrmId: text(record, 'OwnerId'),
    amount: number(record, 'Amount'),
    stage: closed ? (flag(record, 'IsWon') === true ? 'won' : 'lost') : 'open',
    createdAt: datetime(record, 'CreatedDate') ?? modifiedAt,
    closedAt: closed ? (parseSalesforceDate(record['CloseDate']) ?? modifiedAt) : null,
    modifiedAt,
  };
}

export function toOwner(record: SalesforceRecord): CrmOwner {
  const { crmId, modifiedAt } = keyOf(record);
  return {
    crmId,
    name: text(record, 'Name') ?? '',
    email: text(record, 'Email'),
    timezone: text(record, 'TimeZoneSidKey'),
    managerCrmId: text(record, 'ManagerId'),
    team: text(record, 'Department'),
    locale: text(record, 'LanguageLocaleKey'),
    active: flag(record, 'IsActive') ?? true,
    modifiedAt,
    // A Salesforce user signs in as the same User id that owns records.
    loginUserId: null,
  };
}

const ENGAGEMENT_KINDS: Readonly<Record<EngagementKind, true>> = {
  email_open: true,
  email_click: true,
  web_visit: true,
  form_submit: true,
  meeting: true,
  call: true,
  email: true,
};
const isEngagementKind = (value: string): value is EngagementKind => Object.hasOwn(ENGAGEMENT_KINDS, value);

const KIND_BY_ACTIVITY_TYPE: Readonly<Record<string, EngagementKind>> = {
  Call: 'call',
  Email: 'email',
  Meeting: 'meeting',
};

export type ActivitySObject = 'Task' | 'Event';

/**
 * An engagement from a Task or Event, or null for a plain to-do that is no engagement. The kind is
 * ABM_Engagement_Type__c when set, else the activity's subtype or type. An open task is planned, not done,
 * for its date. A closed task happened when it was completed, unless it is dated an earlier day: a call
 * logged after the fact happened on its date, which Salesforce keeps without a time, so it counts as the
 * end of that day (UTC) at the latest. An event happened when it starts (the caller ignores those still
 * in the future).
 */
export function toEngagement(sobject: ActivitySObject, record: SalesforceRecord): CrmEngagement | null {
  const { crmId, modifiedAt } = keyOf(record);
  const explicit = text(record, 'ABM_Engagement_Type__c');
  const fromType =
    KIND_BY_ACTIVITY_TYPE[text(record, 'TaskSubtype') ?? ''] ??
    KIND_BY_ACTIVITY_TYPE[text(record, 'Type') ?? ''];
  const kind =
    explicit !== null && isEngagementKind(explicit) ? explicit : sobject === 'Event' ? 'meeting' : fromType;
  if (kind === undefined) return null;
  const done = sobject === 'Event' || record['IsClosed'] === true;
  const dated = parseSalesforceDate(record['ActivityDate']);
  const occurredAt =
    sobject === 'Event'
      ? (datetime(record, 'ActivityDateTime') ?? dated)
      : done
        ? earliest(datetime(record, 'CompletedDateTime'), dated === null ? null : dated + DAY_MS - 1)
        : dated;
  const whoId = text(record, 'WhoId');
  return {
    crmId,
    accountCrmId: text(record, 'AccountId'),
    contactCrmId: whoId !== null && whoId.startsWith('003') ? whoId : null,
    ownerCrmId: text(record, 'OwnerId'),
    kind,
    occurredAt: occurredAt ?? datetime(record, 'CreatedDate') ?? modifiedAt,
    done,
    modifiedAt,
  };
}

const earliest = (a: Instant | null, b: Instant | null): Instant | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** Salesforce refuses a whole record whose text exceeds the field: cut it instead. */
const fit = (value: string, length: number): string =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;

const isoDatetime = (at: Instant): string => new Date(at).toISOString();
const isoDate = (at: Instant): string => new Date(at).toISOString().slice(0, 10);

const TEXT_FIELD_LENGTH = 255;
const LONG_TEXT_LENGTH = 32_000;

/** The fields of an account write, in Salesforce names; only the fields present in the write. */
export function accountWriteFields(write: AccountWrite): Record<string, unknown> {
  const F = SALESFORCE_ABM_ACCOUNT_FIELDS;
  const { fields } = write;
  const out: Record<string, unknown> = {};
  if (fields.tier !== undefined) {
    out[F.tier] = fields.tier === null ? null : SALESFORCE_TIER_PICKLIST[fields.tier];
    out[F.target] = fields.tier !== null;
  }
  if (fields.score !== undefined) out[F.score] = fields.score;
  if (fields.slaStatus !== undefined) out[F.slaStatus] = fields.slaStatus;
  if (fields.nextSlaDueAt !== undefined) {
    out[F.nextSlaDueAt] = fields.nextSlaDueAt === null ? null : isoDatetime(fields.nextSlaDueAt);
  }
  if (fields.tierReason !== undefined) {
    out[F.tierReason] = fields.tierReason === null ? null : fit(fields.tierReason, TEXT_FIELD_LENGTH);
  }
  if (fields.lastSyncAt !== undefined) out[F.lastSyncAt] = isoDatetime(fields.lastSyncAt);
  return out;
}

const PRIORITY: Readonly<Record<TaskWrite['priority'], string>> = {
  high: 'High',
  medium: 'Normal',
  low: 'Low',
};

/** A Task keyed by the alert: due on the UTC date of `dueAt` (Task due dates carry no time). */
export function taskUpsertRecord(task: TaskWrite): Record<string, unknown> {
  return {
    attributes: { type: 'Task' },
    [ALERT_KEY_FIELD]: task.key,
    Subject: fit(task.subject, TEXT_FIELD_LENGTH),
    Description: fit(task.body, LONG_TEXT_LENGTH),
    ActivityDate: isoDate(task.dueAt),
    Priority: PRIORITY[task.priority],
    Status: task.status === 'completed' ? 'Completed' : 'Not Started',
    OwnerId: task.assigneeCrmId,
    WhatId: task.accountCrmId,
  };
}
