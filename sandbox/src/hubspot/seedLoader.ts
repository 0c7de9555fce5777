import type { SeedAccountBundle, SeedDataset, SeedEngagement, SeedOwner } from '../seed/types.ts';
import { associationTypeById, primaryTypeId, unlabeledTypeId } from './associationTypes.ts';
import type { ObjectType } from './objectTypes.ts';
import type { ChangeContext, Portal } from './portal.ts';
import { associate, createRecord } from './portal.ts';
import { OPEN_DEAL_STAGES } from './propertyCatalog.ts';
import type { Owner } from './store.ts';
import { formatInstant } from './wire.ts';

// Loads the CRM-neutral seed into a portal the way HubSpot would hold it: companies with the native
// ABM properties, contacts with `hs_buying_role` and their marketing-activity summaries, deals on the
// default pipeline, and meetings, calls and logged emails associated to company and contact. Web visits
// and form submissions are not CRM objects in HubSpot; they only show in the contacts' summaries.

export interface SeedLoadOptions {
  /** Each defaults to true; the 100,000-company checks load companies alone. */
  readonly contacts?: boolean;
  readonly deals?: boolean;
  readonly engagements?: boolean;
  /** Stops after this many accounts (all by default). */
  readonly maxAccounts?: number;
}

export interface SeedLoadReport {
  readonly owners: number;
  readonly companies: number;
  readonly contacts: number;
  readonly deals: number;
  readonly engagements: number;
}

const LOAD: ChangeContext = { now: 0, changeSource: 'IMPORT' };

const instant = (iso: string): number => Date.parse(iso);

/** Stable team ids: HubSpot team ids are numeric strings. */
const teamId = (team: string): string => {
  let hash = 17;
  for (const char of team) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return String(100_000 + (hash % 900_000));
};

const loadOwners = (portal: Portal, owners: readonly SeedOwner[], loadedAt: number): number => {
  let added = 0;
  for (const seedOwner of owners) {
    const key = `owner:${seedOwner.id}`;
    if (portal.data.seedIds.has(key)) continue;
    const id = portal.data.nextId;
    portal.data.nextId += 1;
    const owner: Owner = {
      id,
      email: seedOwner.email,
      firstName: seedOwner.firstName,
      lastName: seedOwner.lastName,
      userId: id + 7_000_000,
      createdAt: loadedAt,
      updatedAt: loadedAt,
      archived: false,
      teams: [{ id: teamId(seedOwner.team), name: seedOwner.team, primary: true }],
    };
    portal.data.owners.push(owner);
    portal.data.seedIds.set(key, String(id));
    added += 1;
  }
  return added;
};

const write = (entries: Record<string, string | number | boolean | null | undefined>) =>
  new Map(
    Object.entries(entries)
      .filter(
        (entry): entry is [string, string | number | boolean] => entry[1] !== null && entry[1] !== undefined,
      )
      .map(([name, value]) => [name, String(value)]),
  );

const link = (
  portal: Portal,
  from: ObjectType,
  fromId: number,
  to: ObjectType,
  toId: number,
  primary: boolean,
) => {
  const typeId = (primary ? primaryTypeId(from, to) : null) ?? unlabeledTypeId(from, to);
  const def = typeId === null ? null : associationTypeById(typeId);
  if (def) associate(portal, def, fromId, toId);
};

interface ContactActivity {
  emailOpens: number;
  emailClicks: number;
  lastOpen: number | null;
  lastClick: number | null;
  pageViews: number;
  lastVisit: number | null;
  conversions: number;
  lastConversion: number | null;
}

const latest = (current: number | null, next: number): number =>
  current === null ? next : Math.max(current, next);

const activityByContact = (engagements: readonly SeedEngagement[]): Map<string, ContactActivity> => {
  const activity = new Map<string, ContactActivity>();
  for (const engagement of engagements) {
    let entry = activity.get(engagement.contactId);
    if (!entry) {
      entry = {
        emailOpens: 0,
        emailClicks: 0,
        lastOpen: null,
        lastClick: null,
        pageViews: 0,
        lastVisit: null,
        conversions: 0,
        lastConversion: null,
      };
      activity.set(engagement.contactId, entry);
    }
    const at = instant(engagement.occurredAt);
    switch (engagement.type) {
      case 'email_open':
        entry.emailOpens += 1;
        entry.lastOpen = latest(entry.lastOpen, at);
        break;
      case 'email_click':
        // A click implies the email was opened.
        entry.emailOpens += 1;
        entry.emailClicks += 1;
        entry.lastOpen = latest(entry.lastOpen, at);
        entry.lastClick = latest(entry.lastClick, at);
        break;
      case 'web_visit':
        entry.pageViews += 1;
        entry.lastVisit = latest(entry.lastVisit, at);
        break;
      case 'form_submit':
        entry.conversions += 1;
        entry.lastConversion = latest(entry.lastConversion, at);
        break;
      case 'meeting':
      case 'call':
        break;
    }
  }
  return activity;
};

const stamp = (epochMs: number | null): string | null => (epochMs === null ? null : formatInstant(epochMs));

const loadBundle = (
  portal: Portal,
  bundle: SeedAccountBundle,
  ownerIdOf: (seedOwnerId: string) => string | undefined,
  options: SeedLoadOptions,
  counts: { companies: number; contacts: number; deals: number; engagements: number },
): void => {
  const { company } = bundle;
  const companyCreated = instant(company.createdAt);
  const owner = ownerIdOf(company.ownerId);
  const companyRecord = createRecord(
    portal,
    'companies',
    write({
      name: company.name,
      domain: company.domain,
      website: `https://www.${company.domain}`,
      industry: company.industry,
      city: company.city,
      country: company.country,
      region: company.region,
      numberofemployees: company.employees,
      annualrevenue: company.annualRevenue,
      hubspot_owner_id: owner,
      createdate: formatInstant(companyCreated),
      hs_ideal_customer_profile: company.tier,
      hs_is_target_account: company.tier !== null,
      strategic_account: company.strategic,
      intent_score: company.intentScore,
      lifecyclestage: bundle.deals.some((deal) => deal.stage === 'won') ? 'customer' : 'lead',
    }),
    LOAD,
    { createdAt: companyCreated, recordHistory: false },
  );
  portal.data.seedIds.set(company.id, String(companyRecord.id));
  counts.companies += 1;

  const contactIds = new Map<string, number>();
  if (options.contacts !== false) {
    const activity = activityByContact(bundle.engagements);
    for (const contact of bundle.contacts) {
      const created = instant(contact.createdAt);
      const summary = activity.get(contact.id);
      const record = createRecord(
        portal,
        'contacts',
        write({
          firstname: contact.firstName,
          lastname: contact.lastName,
          email: contact.email,
          jobtitle: contact.jobTitle,
          company: company.name,
          hs_buying_role: contact.buyingRole?.toUpperCase(),
          associatedcompanyid: companyRecord.id,
          hubspot_owner_id: owner,
          lifecyclestage: 'lead',
          createdate: formatInstant(created),
          hs_email_open: summary?.emailOpens,
          hs_email_click: summary?.emailClicks,
          hs_email_last_open_date: stamp(summary?.lastOpen ?? null),
          hs_email_last_click_date: stamp(summary?.lastClick ?? null),
          hs_analytics_num_page_views: summary?.pageViews,
          hs_analytics_last_visit_timestamp: stamp(summary?.lastVisit ?? null),
          num_conversion_events: summary?.conversions,
          recent_conversion_date: stamp(summary?.lastConversion ?? null),
        }),
        LOAD,
        { createdAt: created, recordHistory: false },
      );
      contactIds.set(contact.id, record.id);
      link(portal, 'contacts', record.id, 'companies', companyRecord.id, true);
      counts.contacts += 1;
    }
  }

  if (options.deals !== false) {
    for (const [index, deal] of bundle.deals.entries()) {
      const created = instant(deal.createdAt);
      const stage =
        deal.stage === 'won'
          ? 'closedwon'
          : deal.stage === 'lost'
            ? 'closedlost'
            : OPEN_DEAL_STAGES[(company.index + index) % OPEN_DEAL_STAGES.length];
      const closedAt = instant(deal.closeDate);
      const record = createRecord(
        portal,
        'deals',
        write({
          dealname: deal.name,
          amount: deal.amount,
          dealstage: stage,
          pipeline: 'default',
          closedate: formatInstant(closedAt),
          hubspot_owner_id: ownerIdOf(deal.ownerId),
          createdate: formatInstant(created),
        }),
        LOAD,
        // A closed deal was last touched when it closed.
        { createdAt: created, updatedAt: deal.stage === 'open' ? created : closedAt, recordHistory: false },
      );
      link(portal, 'deals', record.id, 'companies', companyRecord.id, true);
      counts.deals += 1;
    }
  }

  if (options.engagements !== false) {
    for (const engagement of bundle.engagements) {
      const at = instant(engagement.occurredAt);
      const when = formatInstant(at);
      let type: ObjectType;
      let properties: Record<string, string | number | undefined>;
      switch (engagement.type) {
        case 'meeting':
          type = 'meetings';
          properties = {
            hs_meeting_title: `Meeting with ${company.name}`,
            hs_meeting_start_time: when,
            hs_meeting_end_time: formatInstant(at + 30 * 60_000),
            hs_meeting_outcome: 'COMPLETED',
          };
          break;
        case 'call':
          type = 'calls';
          properties = {
            hs_call_title: `Call with ${company.name}`,
            hs_call_direction: 'OUTBOUND',
            hs_call_status: 'COMPLETED',
            hs_call_duration: 600_000,
          };
          break;
        case 'email_open':
        case 'email_click':
          type = 'emails';
          properties = {
            hs_email_subject: `Following up with ${company.name}`,
            hs_email_direction: 'EMAIL',
            hs_email_status: 'SENT',
            hs_email_open_count: 1,
            hs_email_click_count: engagement.type === 'email_click' ? 1 : 0,
          };
          break;
        case 'web_visit':
        case 'form_submit':
          continue;
      }
      const record = createRecord(
        portal,
        type,
        write({ ...properties, hs_timestamp: when, hubspot_owner_id: owner, hs_createdate: when }),
        LOAD,
        { createdAt: at, recordHistory: false },
      );
      link(portal, type, record.id, 'companies', companyRecord.id, false);
      const contactId = contactIds.get(engagement.contactId);
      if (contactId !== undefined) link(portal, type, record.id, 'contacts', contactId, false);
      counts.engagements += 1;
    }
  }
};

/**
 * Loads a dataset into a portal without emitting webhook events (a load is not a change anyone
 * subscribed to). Records get fresh ids from the portal's range; `portal.data.seedIds` maps the seed's
 * company and owner ids to them.
 */
export const loadSeed = (
  portal: Portal,
  dataset: SeedDataset,
  options: SeedLoadOptions = {},
  loadedAt = Date.parse(dataset.options.referenceDate),
): SeedLoadReport => {
  const webhooks = portal.webhooks;
  portal.webhooks = null;
  try {
    const owners = loadOwners(portal, dataset.owners, loadedAt);
    const ownerIdOf = (seedOwnerId: string) => portal.data.seedIds.get(`owner:${seedOwnerId}`);
    const counts = { companies: 0, contacts: 0, deals: 0, engagements: 0 };
    const limit = options.maxAccounts ?? Number.POSITIVE_INFINITY;
    for (const bundle of dataset.accounts()) {
      if (counts.companies >= limit) break;
      loadBundle(portal, bundle, ownerIdOf, options, counts);
    }
    return { owners, ...counts };
  } finally {
    portal.webhooks = webhooks;
  }
};
