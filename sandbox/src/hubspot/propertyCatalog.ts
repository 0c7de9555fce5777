import { z } from 'zod';

import type { ObjectType } from './objectTypes.ts';
import { formatInstant } from './wire.ts';

// The property definitions a fresh portal has, per object type: the HubSpot-defined properties ABM Pilot
// reads or writes (including the native ABM ones), plus a few properties that carry seed signals that a
// real portal would hold in custom properties.

export const PropertyTypeSchema = z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']);
export type PropertyType = z.infer<typeof PropertyTypeSchema>;

export const FieldTypeSchema = z.enum([
  'textarea',
  'text',
  'date',
  'file',
  'number',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
  'phonenumber',
  'html',
]);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export interface PropertyOption {
  readonly label: string;
  readonly value: string;
  readonly displayOrder: number;
  readonly hidden: boolean;
  readonly description?: string;
}

export interface PropertyDefinition {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: FieldType;
  readonly groupName: string;
  readonly description: string;
  readonly options: readonly PropertyOption[];
  readonly displayOrder: number;
  readonly hasUniqueValue: boolean;
  readonly hidden: boolean;
  readonly formField: boolean;
  readonly calculated: boolean;
  /** Option values come from elsewhere (owners), so they are checked against that, not `options`. */
  readonly externalOptions: boolean;
  readonly referencedObjectType?: 'OWNER';
  readonly hubspotDefined: boolean;
  /** HubSpot maintains the value itself: writes fail with READ_ONLY_VALUE. */
  readonly readOnlyValue: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly archived: boolean;
  readonly archivedAt?: number;
}

export interface PropertyGroup {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
  readonly archived: boolean;
}

/** HubSpot-defined definitions predate any portal; one fixed instant keeps responses reproducible. */
const DEFINED_AT = Date.UTC(2019, 7, 6, 2, 41, 52, 188);

const option = (value: string, label: string, displayOrder: number): PropertyOption => ({
  label,
  value,
  displayOrder,
  hidden: false,
});

const options = (pairs: readonly (readonly [string, string])[]): PropertyOption[] =>
  pairs.map(([value, label], index) => option(value, label, index));

const BOOL_OPTIONS = options([
  ['true', 'Yes'],
  ['false', 'No'],
]);

interface Spec {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType?: FieldType;
  readonly group?: string;
  readonly options?: readonly PropertyOption[];
  readonly readOnly?: boolean;
  readonly unique?: boolean;
  readonly owner?: boolean;
  readonly hubspotDefined?: boolean;
}

const DEFAULT_FIELD_TYPE: Readonly<Record<PropertyType, FieldType>> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
};

const define =
  (defaultGroup: string) =>
  (spec: Spec, index: number): PropertyDefinition => ({
    name: spec.name,
    label: spec.label,
    type: spec.type,
    fieldType: spec.fieldType ?? DEFAULT_FIELD_TYPE[spec.type],
    groupName: spec.group ?? defaultGroup,
    description: '',
    options: spec.options ?? (spec.type === 'bool' ? BOOL_OPTIONS : []),
    displayOrder: spec.hubspotDefined === false ? -1 : index,
    hasUniqueValue: spec.unique ?? false,
    hidden: false,
    formField: !spec.readOnly,
    calculated: false,
    externalOptions: spec.owner ?? false,
    ...(spec.owner ? { referencedObjectType: 'OWNER' as const } : {}),
    hubspotDefined: spec.hubspotDefined ?? true,
    readOnlyValue: spec.readOnly ?? false,
    createdAt: DEFINED_AT,
    updatedAt: DEFINED_AT,
    archived: false,
  });

const owner: Spec = { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', owner: true };
const objectId: Spec = { name: 'hs_object_id', label: 'Record ID', type: 'number', readOnly: true };
const lastModified: Spec = {
  name: 'hs_lastmodifieddate',
  label: 'Last Modified Date',
  type: 'datetime',
  readOnly: true,
};

const LIFECYCLE = options([
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
]);

/** `hs_ideal_customer_profile` values are third-party evidence only (hubspot-platform.md, UNCONFIRMED). */
const ICP_TIERS = options([
  ['tier_1', 'Tier 1'],
  ['tier_2', 'Tier 2'],
  ['tier_3', 'Tier 3'],
]);

export const BUYING_ROLES = options([
  ['BUDGET_HOLDER', 'Budget Holder'],
  ['CHAMPION', 'Champion'],
  ['DECISION_MAKER', 'Decision Maker'],
  ['END_USER', 'End User'],
  ['EXECUTIVE_SPONSOR', 'Executive Sponsor'],
  ['INFLUENCER', 'Influencer'],
  ['LEGAL_AND_COMPLIANCE', 'Legal & Compliance'],
  ['BLOCKER', 'Blocker'],
  ['OTHER', 'Other'],
]);

/** Open stages of the default sales pipeline, in pipeline order. */
export const OPEN_DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
] as const;

const DEAL_STAGES = options([
  ['appointmentscheduled', 'Appointment Scheduled'],
  ['qualifiedtobuy', 'Qualified To Buy'],
  ['presentationscheduled', 'Presentation Scheduled'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In'],
  ['contractsent', 'Contract Sent'],
  ['closedwon', 'Closed Won'],
  ['closedlost', 'Closed Lost'],
]);

const engagementSpecs = (specific: readonly Spec[]): Spec[] => [
  { name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
  { name: 'hs_createdate', label: 'Create date', type: 'datetime', readOnly: true },
  lastModified,
  objectId,
  owner,
  ...specific,
];

const SPECS: Readonly<Record<ObjectType, readonly Spec[]>> = {
  companies: [
    { name: 'name', label: 'Company name', type: 'string' },
    { name: 'domain', label: 'Company Domain Name', type: 'string' },
    { name: 'website', label: 'Website URL', type: 'string' },
    { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
    { name: 'industry', label: 'Industry', type: 'string' },
    { name: 'city', label: 'City', type: 'string' },
    { name: 'state', label: 'State/Region', type: 'string' },
    { name: 'country', label: 'Country/Region', type: 'string' },
    { name: 'numberofemployees', label: 'Number of Employees', type: 'number' },
    { name: 'annualrevenue', label: 'Annual Revenue', type: 'number' },
    { name: 'description', label: 'Description', type: 'string', fieldType: 'textarea' },
    { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', options: LIFECYCLE },
    owner,
    { name: 'createdate', label: 'Create Date', type: 'datetime' },
    lastModified,
    objectId,
    {
      name: 'hs_ideal_customer_profile',
      label: 'Ideal Customer Profile Tier',
      type: 'enumeration',
      fieldType: 'radio',
      options: ICP_TIERS,
    },
    { name: 'hs_is_target_account', label: 'Target Account', type: 'bool' },
    { name: 'hs_merged_object_ids', label: 'Merged Company IDs', type: 'enumeration', readOnly: true },
    { name: 'hs_num_child_companies', label: 'Number of child companies', type: 'number', readOnly: true },
    // Seed signals that a real portal keeps in custom properties (not HubSpot-defined).
    { name: 'region', label: 'Region', type: 'string', group: 'sandbox_signals', hubspotDefined: false },
    {
      name: 'intent_score',
      label: 'Intent score',
      type: 'number',
      group: 'sandbox_signals',
      hubspotDefined: false,
    },
    {
      name: 'strategic_account',
      label: 'Strategic account',
      type: 'bool',
      group: 'sandbox_signals',
      hubspotDefined: false,
    },
  ],
  contacts: [
    { name: 'firstname', label: 'First Name', type: 'string' },
    { name: 'lastname', label: 'Last Name', type: 'string' },
    { name: 'email', label: 'Email', type: 'string', unique: true },
    { name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
    { name: 'company', label: 'Company Name', type: 'string' },
    { name: 'jobtitle', label: 'Job Title', type: 'string' },
    { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', options: LIFECYCLE },
    {
      name: 'hs_buying_role',
      label: 'Buying Role',
      type: 'enumeration',
      fieldType: 'checkbox',
      options: BUYING_ROLES,
    },
    { name: 'associatedcompanyid', label: 'Primary Associated Company ID', type: 'number' },
    owner,
    { name: 'createdate', label: 'Create Date', type: 'datetime' },
    { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', readOnly: true },
    objectId,
    {
      name: 'hs_email_last_open_date',
      label: 'Last marketing email open date',
      type: 'datetime',
      readOnly: true,
    },
    {
      name: 'hs_email_last_click_date',
      label: 'Last marketing email click date',
      type: 'datetime',
      readOnly: true,
    },
    { name: 'hs_email_open', label: 'Marketing emails opened', type: 'number', readOnly: true },
    { name: 'hs_email_click', label: 'Marketing emails clicked', type: 'number', readOnly: true },
    { name: 'hs_analytics_num_page_views', label: 'Number of Pageviews', type: 'number', readOnly: true },
    {
      name: 'hs_analytics_last_visit_timestamp',
      label: 'Time of Last Session',
      type: 'datetime',
      readOnly: true,
    },
    { name: 'num_conversion_events', label: 'Number of Form Submissions', type: 'number', readOnly: true },
    { name: 'recent_conversion_date', label: 'Recent Conversion Date', type: 'datetime', readOnly: true },
  ],
  deals: [
    { name: 'dealname', label: 'Deal Name', type: 'string' },
    { name: 'amount', label: 'Amount', type: 'number' },
    { name: 'dealstage', label: 'Deal Stage', type: 'enumeration', options: DEAL_STAGES },
    {
      name: 'pipeline',
      label: 'Pipeline',
      type: 'enumeration',
      options: options([['default', 'Sales Pipeline']]),
    },
    { name: 'closedate', label: 'Close Date', type: 'datetime' },
    owner,
    { name: 'createdate', label: 'Create Date', type: 'datetime' },
    lastModified,
    objectId,
    { name: 'hs_is_closed', label: 'Is Deal Closed?', type: 'bool', readOnly: true },
    { name: 'hs_is_closed_won', label: 'Is Closed Won', type: 'bool', readOnly: true },
    { name: 'hs_merged_object_ids', label: 'Merged Deal IDs', type: 'enumeration', readOnly: true },
  ],
  tasks: engagementSpecs([
    { name: 'hs_task_subject', label: 'Task Title', type: 'string' },
    { name: 'hs_task_body', label: 'Notes', type: 'string', fieldType: 'textarea' },
    {
      name: 'hs_task_status',
      label: 'Task Status',
      type: 'enumeration',
      options: options([
        ['NOT_STARTED', 'Not Started'],
        ['IN_PROGRESS', 'In Progress'],
        ['WAITING', 'Waiting'],
        ['COMPLETED', 'Completed'],
        ['DEFERRED', 'Deferred'],
      ]),
    },
    {
      name: 'hs_task_priority',
      label: 'Priority',
      type: 'enumeration',
      options: options([
        ['NONE', 'None'],
        ['LOW', 'Low'],
        ['MEDIUM', 'Medium'],
        ['HIGH', 'High'],
      ]),
    },
    {
      name: 'hs_task_type',
      label: 'Task Type',
      type: 'enumeration',
      options: options([
        ['TODO', 'To-do'],
        ['CALL', 'Call'],
        ['EMAIL', 'Email'],
        ['LINKED_IN', 'LinkedIn'],
        ['MEETING', 'Meeting'],
      ]),
    },
    { name: 'hs_task_completion_date', label: 'Completed at', type: 'datetime', readOnly: true },
    { name: 'hs_task_reminders', label: 'Reminder', type: 'enumeration' },
  ]),
  meetings: engagementSpecs([
    { name: 'hs_meeting_title', label: 'Meeting name', type: 'string' },
    { name: 'hs_meeting_body', label: 'Meeting description', type: 'string', fieldType: 'textarea' },
    { name: 'hs_meeting_start_time', label: 'Start Time', type: 'datetime' },
    { name: 'hs_meeting_end_time', label: 'End Time', type: 'datetime' },
    {
      name: 'hs_meeting_outcome',
      label: 'Meeting outcome',
      type: 'enumeration',
      options: options([
        ['SCHEDULED', 'Scheduled'],
        ['COMPLETED', 'Completed'],
        ['RESCHEDULED', 'Rescheduled'],
        ['NO_SHOW', 'No Show'],
        ['CANCELED', 'Canceled'],
      ]),
    },
  ]),
  calls: engagementSpecs([
    { name: 'hs_call_title', label: 'Call Title', type: 'string' },
    { name: 'hs_call_body', label: 'Call notes', type: 'string', fieldType: 'textarea' },
    {
      name: 'hs_call_direction',
      label: 'Call direction',
      type: 'enumeration',
      options: options([
        ['INBOUND', 'Inbound'],
        ['OUTBOUND', 'Outbound'],
      ]),
    },
    {
      name: 'hs_call_status',
      label: 'Call status',
      type: 'enumeration',
      options: options([
        ['BUSY', 'Busy'],
        ['CALLING_CRM_USER', 'Calling CRM User'],
        ['CANCELED', 'Canceled'],
        ['COMPLETED', 'Completed'],
        ['CONNECTING', 'Connecting'],
        ['FAILED', 'Failed'],
        ['IN_PROGRESS', 'In Progress'],
        ['NO_ANSWER', 'No Answer'],
        ['QUEUED', 'Queued'],
        ['RINGING', 'Ringing'],
      ]),
    },
    { name: 'hs_call_duration', label: 'Call duration', type: 'number' },
  ]),
  emails: engagementSpecs([
    { name: 'hs_email_subject', label: 'Email subject', type: 'string' },
    { name: 'hs_email_text', label: 'Email body', type: 'string', fieldType: 'textarea' },
    {
      name: 'hs_email_direction',
      label: 'Email direction',
      type: 'enumeration',
      options: options([
        ['EMAIL', 'Logged or sent from CRM'],
        ['INCOMING_EMAIL', 'Reply from contact'],
        ['FORWARDED_EMAIL', 'Forwarded'],
      ]),
    },
    {
      name: 'hs_email_status',
      label: 'Email send status',
      type: 'enumeration',
      options: options([
        ['BOUNCED', 'Bounced'],
        ['FAILED', 'Failed'],
        ['SCHEDULED', 'Scheduled'],
        ['SENDING', 'Sending'],
        ['SENT', 'Sent'],
      ]),
    },
    { name: 'hs_email_open_count', label: 'Email opens', type: 'number', readOnly: true },
    { name: 'hs_email_click_count', label: 'Email clicks', type: 'number', readOnly: true },
  ]),
};

const DEFAULT_GROUP: Readonly<Record<ObjectType, readonly [string, string]>> = {
  companies: ['companyinformation', 'Company information'],
  contacts: ['contactinformation', 'Contact information'],
  deals: ['dealinformation', 'Deal information'],
  tasks: ['task', 'Task information'],
  meetings: ['meeting', 'Meeting information'],
  calls: ['call', 'Call information'],
  emails: ['email', 'Email information'],
};

export const defaultGroups = (type: ObjectType): PropertyGroup[] => {
  const [name, label] = DEFAULT_GROUP[type];
  const groups: PropertyGroup[] = [{ name, label, displayOrder: 0, archived: false }];
  if (type === 'companies') {
    groups.push({ name: 'sandbox_signals', label: 'Sandbox signals', displayOrder: 1, archived: false });
  }
  return groups;
};

export const defaultProperties = (type: ObjectType): PropertyDefinition[] =>
  SPECS[type].map(define(DEFAULT_GROUP[type][0]));

/** The Property wire shape (SDK model `Property`). */
export const propertyToWire = (definition: PropertyDefinition) => ({
  updatedAt: formatInstant(definition.updatedAt),
  createdAt: formatInstant(definition.createdAt),
  ...(definition.archivedAt === undefined ? {} : { archivedAt: formatInstant(definition.archivedAt) }),
  name: definition.name,
  label: definition.label,
  type: definition.type,
  fieldType: definition.fieldType,
  description: definition.description,
  groupName: definition.groupName,
  options: definition.options.map((entry) => ({ ...entry })),
  displayOrder: definition.displayOrder,
  calculated: definition.calculated,
  externalOptions: definition.externalOptions,
  ...(definition.referencedObjectType ? { referencedObjectType: definition.referencedObjectType } : {}),
  hasUniqueValue: definition.hasUniqueValue,
  hidden: definition.hidden,
  hubspotDefined: definition.hubspotDefined,
  modificationMetadata: {
    archivable: !definition.hubspotDefined,
    readOnlyDefinition: definition.hubspotDefined,
    readOnlyValue: definition.readOnlyValue,
  },
  formField: definition.formField,
  archived: definition.archived,
});

export const groupToWire = (group: PropertyGroup) => ({
  name: group.name,
  label: group.label,
  displayOrder: group.displayOrder,
  archived: group.archived,
});
