import { MINUTE_MS } from '@abm-pilot/shared';

import type { SeedAccountBundle, SeedDataset, SeedDeal, SeedEngagement } from '../seed/types.ts';
import { OPPORTUNITY_STAGES, TIER_PICKLIST } from './schema.ts';
import type { SObjectType, StoredValue } from './schema.ts';
import type { OrgData, WriteContext } from './store.ts';
import { insertTrusted, resetOrgData, tableOf } from './store.ts';

// Maps the CRM-neutral seed dataset onto Salesforce objects: owners → User, companies → Account (with
// the pre-ABM tier in ABM_Tier__c), contacts → Contact (buying role in ABM_Buying_Role__c),
// deals → Opportunity, engagements → Task (Event for meetings). Fields the org lacks are skipped.

export interface SeedLoadOptions {
  readonly contacts?: boolean;
  readonly opportunities?: boolean;
  /** Tasks and Events from engagement history. */
  readonly engagements?: boolean;
  /** Empty the org first (default true). */
  readonly reset?: boolean;
  /** The instant records not dated by the seed are stamped with. */
  readonly nowMs: number;
}

export interface SeedLoadResult {
  readonly counts: Readonly<Record<SObjectType, number>>;
  /** Seed owner id → User id. */
  readonly userIds: ReadonlyMap<string, string>;
}

const OPEN_STAGES = OPPORTUNITY_STAGES.filter((stage) => !stage.closed).map((stage) => stage.name);

const TASK_SUBJECT: Readonly<Record<Exclude<SeedEngagement['type'], 'meeting'>, string>> = {
  email_open: 'Email opened',
  email_click: 'Email link clicked',
  web_visit: 'Website visit',
  form_submit: 'Form submitted',
  call: 'Call',
};

/** A stable pick among open stages, so the same seed always gives the same pipeline. */
function openStage(deal: SeedDeal): string {
  let hash = 0;
  for (let index = 0; index < deal.id.length; index++) hash = (hash * 31 + deal.id.charCodeAt(index)) >>> 0;
  return OPEN_STAGES[hash % OPEN_STAGES.length] ?? 'Prospecting';
}

const parseMs = (iso: string): number => Date.parse(iso);

export function loadSeedIntoOrg(
  data: OrgData,
  dataset: SeedDataset,
  options: SeedLoadOptions,
): SeedLoadResult {
  if (options.reset ?? true) resetOrgData(data, options.nowMs);
  const system: WriteContext = { now: options.nowMs, userId: data.integrationUserId };
  const userIds = new Map<string, string>();
  for (const owner of dataset.owners) {
    const alias = `${owner.firstName.slice(0, 1)}${owner.lastName.slice(0, 4)}`.toLowerCase();
    const id = insertTrusted(
      data,
      'User',
      {
        Username: `${owner.email}.sandbox`,
        FirstName: owner.firstName,
        LastName: owner.lastName,
        Email: owner.email,
        Alias: alias,
        TimeZoneSidKey: owner.timezone,
        // The seeded Paris team works in French, as its people would set their Salesforce language.
        LanguageLocaleKey: owner.timezone === 'Europe/Paris' ? 'fr' : 'en_US',
        Department: owner.team,
        ABM_Role__c: owner.role,
        IsActive: true,
      },
      system,
    );
    userIds.set(owner.id, id);
  }
  const users = tableOf(data, 'User');
  for (const owner of dataset.owners) {
    const id = userIds.get(owner.id);
    const managerId = owner.managerId === null ? null : (userIds.get(owner.managerId) ?? null);
    const row = id === undefined ? undefined : users.get(id);
    if (id !== undefined && row && managerId !== null)
      users.set(id, Object.freeze({ ...row, ManagerId: managerId }));
  }
  for (const bundle of dataset.accounts()) loadBundle(data, bundle, userIds, options, system);
  const counts = Object.fromEntries(
    [...data.tables].map(([type, table]) => [type, table.size] as const),
  ) as Record<SObjectType, number>;
  return { counts, userIds };
}

function loadBundle(
  data: OrgData,
  bundle: SeedAccountBundle,
  userIds: ReadonlyMap<string, string>,
  options: SeedLoadOptions,
  system: WriteContext,
): void {
  const { company } = bundle;
  const ownerId = userIds.get(company.ownerId) ?? system.userId;
  const createdMs = parseMs(company.createdAt);
  const won = bundle.deals.some((deal) => deal.stage === 'won');
  const tierIndex = company.tier === null ? -1 : Number(company.tier.slice(-1)) - 1;
  const accountValues: Record<string, StoredValue> = {
    Name: company.name,
    Type: won ? 'Customer - Direct' : 'Prospect',
    Website: `https://${company.domain}`,
    Industry: company.industry,
    BillingCity: company.city,
    BillingCountry: company.country,
    NumberOfEmployees: company.employees,
    AnnualRevenue: company.annualRevenue,
    OwnerId: ownerId,
    Region__c: company.region,
    Intent_Score__c: company.intentScore,
    Strategic_Account__c: company.strategic,
    ABM_Tier__c: TIER_PICKLIST[tierIndex] ?? null,
    ABM_Target__c: company.tier !== null,
  };
  const accountId = insertTrusted(data, 'Account', accountValues, system, {
    created: createdMs,
    modified: createdMs,
  });

  const contactIds = new Map<string, string>();
  if (options.contacts ?? true) {
    for (const contact of bundle.contacts) {
      const created = parseMs(contact.createdAt);
      const id = insertTrusted(
        data,
        'Contact',
        {
          AccountId: accountId,
          FirstName: contact.firstName,
          LastName: contact.lastName,
          Email: contact.email,
          Title: contact.jobTitle,
          ABM_Buying_Role__c: contact.buyingRole,
          OwnerId: ownerId,
        },
        system,
        { created, modified: created },
      );
      contactIds.set(contact.id, id);
    }
  }

  if (options.opportunities ?? true) {
    for (const deal of bundle.deals) {
      const created = parseMs(deal.createdAt);
      const closeMs = parseMs(deal.closeDate);
      const closed = deal.stage !== 'open';
      insertTrusted(
        data,
        'Opportunity',
        {
          AccountId: accountId,
          OwnerId: userIds.get(deal.ownerId) ?? ownerId,
          Name: deal.name,
          Amount: deal.amount,
          StageName:
            deal.stage === 'won' ? 'Closed Won' : deal.stage === 'lost' ? 'Closed Lost' : openStage(deal),
          CloseDate: deal.closeDate.slice(0, 10),
          Type: won ? 'Existing Customer - Upgrade' : 'New Customer',
        },
        system,
        { created, modified: closed ? Math.max(created, closeMs) : created },
      );
    }
  }

  if (options.engagements ?? true) {
    for (const engagement of bundle.engagements) {
      loadEngagement(
        data,
        engagement,
        accountId,
        contactIds.get(engagement.contactId) ?? null,
        ownerId,
        system,
      );
    }
  }
}

function loadEngagement(
  data: OrgData,
  engagement: SeedEngagement,
  accountId: string,
  contactId: string | null,
  ownerId: string,
  system: WriteContext,
): void {
  const occurred = parseMs(engagement.occurredAt);
  const at: WriteContext = { now: occurred, userId: system.userId };
  const stamps = { created: occurred, modified: occurred };
  if (engagement.type === 'meeting') {
    insertTrusted(
      data,
      'Event',
      {
        Subject: 'Meeting',
        WhatId: accountId,
        WhoId: contactId,
        OwnerId: ownerId,
        StartDateTime: occurred,
        EndDateTime: occurred + 30 * MINUTE_MS,
        Type: 'Meeting',
        ABM_Engagement_Type__c: engagement.type,
      },
      at,
      stamps,
    );
    return;
  }
  const subtype =
    engagement.type === 'call' ? 'Call' : engagement.type.startsWith('email') ? 'Email' : 'Task';
  insertTrusted(
    data,
    'Task',
    {
      Subject: TASK_SUBJECT[engagement.type],
      WhatId: accountId,
      WhoId: contactId,
      OwnerId: ownerId,
      ActivityDate: engagement.occurredAt.slice(0, 10),
      Status: 'Completed',
      Priority: 'Normal',
      Type: subtype === 'Task' ? 'Other' : subtype,
      TaskSubtype: subtype,
      ABM_Engagement_Type__c: engagement.type,
    },
    at,
    stamps,
  );
}
