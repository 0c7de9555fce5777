import { BuyingRoleSchema, RoleSchema, SlaStatusSchema } from '@abm-pilot/shared';

// The sObjects and fields an emulated org has. Standard fields are fixed; custom fields (`__c`) can be
// left out per org, so that a test can build an org where the ABM package was only half deployed.

export const SOBJECT_TYPES = [
  'Account',
  'Contact',
  'Opportunity',
  'User',
  'Task',
  'Event',
  'AccountHistory',
] as const;
export type SObjectType = (typeof SOBJECT_TYPES)[number];

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'email'
  | 'url'
  | 'phone'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  /** History values (OldValue, NewValue): whatever the tracked field holds; sortable, never filterable. */
  | 'anyType';

/** What is stored: datetimes as epoch ms, dates as `YYYY-MM-DD`, everything else as its JSON value. */
export type StoredValue = string | number | boolean | null;

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly custom: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly nillable: boolean;
  /** Missing on create → REQUIRED_FIELD_MISSING. */
  readonly required: boolean;
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  readonly referenceTo: readonly SObjectType[];
  readonly relationshipName: string | null;
  readonly defaultValue: StoredValue;
  readonly externalId: boolean;
  readonly unique: boolean;
  /** Field history tracking is on: each change adds a row to the object's history (AccountHistory). */
  readonly trackHistory: boolean;
}

export interface ChildRelationship {
  readonly childSObject: SObjectType;
  readonly field: string;
  readonly relationshipName: string;
  readonly cascadeDelete: boolean;
}

export interface SObjectDef {
  readonly name: SObjectType;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly deletable: boolean;
  /** Where changes of the tracked fields are kept (`AccountHistory` for Account), when history is on. */
  readonly historyObject: SObjectType | null;
  /** For a history object, the object whose changes it holds. */
  readonly historyOf: SObjectType | null;
  readonly fields: readonly FieldDef[];
  /** Lower-cased field name → field: SOQL and JSON field names are case-insensitive. */
  readonly fieldsByLowerName: ReadonlyMap<string, FieldDef>;
  /** Lower-cased relationship name (`owner`) → its reference field (`OwnerId`). */
  readonly relationshipsByLowerName: ReadonlyMap<string, FieldDef>;
  readonly childRelationships: readonly ChildRelationship[];
}

export type OrgSchema = ReadonlyMap<SObjectType, SObjectDef>;

export const KEY_PREFIX: Readonly<Record<SObjectType, string>> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  User: '005',
  Task: '00T',
  Event: '00U',
  AccountHistory: '017',
};

export const TYPE_BY_KEY_PREFIX: ReadonlyMap<string, SObjectType> = new Map(
  SOBJECT_TYPES.map((type) => [KEY_PREFIX[type], type]),
);

/** ABM Pilot's custom fields on Account (the `salesforce-lwc/` package deploys them). */
export const ABM_ACCOUNT_FIELDS = [
  'ABM_Tier__c',
  'ABM_Target__c',
  'ABM_Score__c',
  'ABM_SLA_Status__c',
  'ABM_Next_SLA_Due__c',
  'ABM_Tier_Reason__c',
  'ABM_Last_Sync__c',
  'ABM_Owner__c',
  'ABM_Executive_Sponsor__c',
  // Read by the score and the MQA rule; the package deploys them too, since a fresh org has none.
  'Region__c',
  'Intent_Score__c',
  'Strategic_Account__c',
] as const;
export type AbmAccountField = (typeof ABM_ACCOUNT_FIELDS)[number];

/** Salesforce picklist labels of the product's tiers. */
export const TIER_PICKLIST = ['Tier 1', 'Tier 2', 'Tier 3'] as const;

export const OPPORTUNITY_STAGES: readonly {
  readonly name: string;
  readonly probability: number;
  readonly closed: boolean;
  readonly won: boolean;
}[] = [
  { name: 'Prospecting', probability: 10, closed: false, won: false },
  { name: 'Qualification', probability: 10, closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, closed: false, won: false },
  { name: 'Value Proposition', probability: 50, closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { name: 'Closed Won', probability: 100, closed: true, won: true },
  { name: 'Closed Lost', probability: 0, closed: true, won: false },
];

export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
];
export const CLOSED_TASK_STATUSES: ReadonlySet<string> = new Set(['Completed']);

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const ENGAGEMENT_TYPES = ['email_open', 'email_click', 'web_visit', 'form_submit', 'meeting', 'call'];
const TIME_ZONES = [
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Singapore',
  'Australia/Sydney',
  'GMT',
];

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type' | 'label'>>;

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32000,
  picklist: 255,
  email: 80,
  url: 255,
  phone: 40,
  anyType: 255,
};

function field(name: string, type: FieldType, label: string, options: FieldOptions = {}): FieldDef {
  const custom = name.endsWith('__c');
  const nillable = options.nillable ?? type !== 'boolean';
  return {
    name,
    label,
    type,
    custom,
    createable: options.createable ?? true,
    updateable: options.updateable ?? true,
    nillable,
    required: options.required ?? false,
    length: options.length ?? DEFAULT_LENGTH[type] ?? 0,
    precision: options.precision ?? (type === 'currency' || type === 'double' ? 18 : 0),
    scale: options.scale ?? (type === 'currency' ? 2 : 0),
    picklistValues: options.picklistValues ?? [],
    restrictedPicklist: options.restrictedPicklist ?? false,
    referenceTo: options.referenceTo ?? [],
    relationshipName: options.relationshipName ?? null,
    defaultValue: options.defaultValue ?? (type === 'boolean' ? false : null),
    externalId: options.externalId ?? false,
    unique: options.unique ?? false,
    trackHistory: options.trackHistory ?? false,
  };
}

const readOnly = { createable: false, updateable: false } as const;
const ref = (to: SObjectType | SObjectType[], relationshipName: string, options: FieldOptions = {}) => ({
  referenceTo: Array.isArray(to) ? to : [to],
  relationshipName,
  ...options,
});

function systemFields(withIsDeleted: boolean): FieldDef[] {
  return [
    field('Id', 'id', 'Record ID', { ...readOnly, nillable: false }),
    ...(withIsDeleted ? [field('IsDeleted', 'boolean', 'Deleted', readOnly)] : []),
    field('CreatedDate', 'datetime', 'Created Date', { ...readOnly, nillable: false }),
    field('CreatedById', 'reference', 'Created By ID', { ...readOnly, ...ref('User', 'CreatedBy') }),
    field('LastModifiedDate', 'datetime', 'Last Modified Date', { ...readOnly, nillable: false }),
    field('LastModifiedById', 'reference', 'Last Modified By ID', {
      ...readOnly,
      ...ref('User', 'LastModifiedBy'),
    }),
    field('SystemModstamp', 'datetime', 'System Modstamp', { ...readOnly, nillable: false }),
  ];
}

const ownerField = () => field('OwnerId', 'reference', 'Owner ID', ref('User', 'Owner', { nillable: false }));

function accountFields(): FieldDef[] {
  return [
    ...systemFields(true),
    field('MasterRecordId', 'reference', 'Master Record ID', {
      ...readOnly,
      ...ref('Account', 'MasterRecord'),
    }),
    field('Name', 'string', 'Account Name', { required: true, nillable: false }),
    field('Type', 'picklist', 'Account Type', {
      picklistValues: [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Channel Partner / Reseller',
        'Other',
      ],
    }),
    field('ParentId', 'reference', 'Parent Account ID', ref('Account', 'Parent')),
    field('BillingStreet', 'textarea', 'Billing Street', { length: 255 }),
    field('BillingCity', 'string', 'Billing City', { length: 40 }),
    field('BillingState', 'string', 'Billing State/Province', { length: 80 }),
    field('BillingPostalCode', 'string', 'Billing Zip/Postal Code', { length: 20 }),
    field('BillingCountry', 'string', 'Billing Country', { length: 80 }),
    field('Phone', 'phone', 'Account Phone'),
    field('Website', 'url', 'Website'),
    field('Industry', 'picklist', 'Industry', { picklistValues: INDUSTRIES }),
    field('AnnualRevenue', 'currency', 'Annual Revenue'),
    field('NumberOfEmployees', 'int', 'Employees', { precision: 8 }),
    field('Description', 'textarea', 'Account Description'),
    ownerField(),
    field('LastActivityDate', 'date', 'Last Activity', readOnly),
    field('Region__c', 'picklist', 'Region', { picklistValues: ['emea', 'north_america', 'apac', 'latam'] }),
    field('Intent_Score__c', 'double', 'Intent Score', { precision: 3, scale: 0 }),
    field('Strategic_Account__c', 'boolean', 'Strategic Account'),
    // History tracked, as the package's metadata deploys it (trackHistory on the field, Account history on).
    field('ABM_Tier__c', 'picklist', 'ABM Tier', {
      picklistValues: TIER_PICKLIST,
      restrictedPicklist: true,
      trackHistory: true,
    }),
    field('ABM_Target__c', 'boolean', 'ABM Target'),
    // One decimal, as the server writes scores (71.4): a scale of 0 would round and look changed every sync.
    field('ABM_Score__c', 'double', 'ABM Score', { precision: 4, scale: 1 }),
    field('ABM_SLA_Status__c', 'picklist', 'ABM SLA Status', {
      picklistValues: SlaStatusSchema.options,
      restrictedPicklist: true,
    }),
    field('ABM_Next_SLA_Due__c', 'datetime', 'ABM Next SLA Due'),
    field('ABM_Tier_Reason__c', 'string', 'ABM Tier Reason'),
    field('ABM_Last_Sync__c', 'datetime', 'ABM Last Sync'),
    field('ABM_Owner__c', 'reference', 'ABM Owner', ref('User', 'ABM_Owner__r')),
    field(
      'ABM_Executive_Sponsor__c',
      'reference',
      'ABM Executive Sponsor',
      ref('User', 'ABM_Executive_Sponsor__r'),
    ),
  ];
}

function contactFields(): FieldDef[] {
  return [
    ...systemFields(true),
    field('MasterRecordId', 'reference', 'Master Record ID', {
      ...readOnly,
      ...ref('Contact', 'MasterRecord'),
    }),
    field('AccountId', 'reference', 'Account ID', ref('Account', 'Account')),
    field('FirstName', 'string', 'First Name', { length: 40 }),
    field('LastName', 'string', 'Last Name', { length: 80, required: true, nillable: false }),
    field('Name', 'string', 'Full Name', { ...readOnly, length: 121 }),
    field('Title', 'string', 'Title', { length: 128 }),
    field('Email', 'email', 'Email'),
    field('Phone', 'phone', 'Business Phone'),
    ownerField(),
    field('ABM_Buying_Role__c', 'picklist', 'Buying Role', { picklistValues: BuyingRoleSchema.options }),
  ];
}

function opportunityFields(): FieldDef[] {
  return [
    ...systemFields(true),
    field('AccountId', 'reference', 'Account ID', ref('Account', 'Account')),
    field('Name', 'string', 'Name', { length: 120, required: true, nillable: false }),
    field('Amount', 'currency', 'Amount'),
    field('StageName', 'picklist', 'Stage', {
      picklistValues: OPPORTUNITY_STAGES.map((stage) => stage.name),
      restrictedPicklist: true,
      required: true,
      nillable: false,
    }),
    field('CloseDate', 'date', 'Close Date', { required: true, nillable: false }),
    field('Probability', 'percent', 'Probability (%)', { precision: 3 }),
    field('IsClosed', 'boolean', 'Closed', readOnly),
    field('IsWon', 'boolean', 'Won', readOnly),
    field('Type', 'picklist', 'Opportunity Type', {
      picklistValues: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'New Customer'],
    }),
    field('LeadSource', 'picklist', 'Lead Source', {
      picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
    }),
    ownerField(),
  ];
}

/** The languages a Salesforce user may work in, as far as the seeded business needs them. */
const LANGUAGES = ['en_US', 'en_GB', 'fr', 'de', 'es'];

function userFields(): FieldDef[] {
  return [
    ...systemFields(false),
    field('Username', 'string', 'Username', { length: 80, required: true, nillable: false, unique: true }),
    field('FirstName', 'string', 'First Name', { length: 40 }),
    field('LastName', 'string', 'Last Name', { length: 80, required: true, nillable: false }),
    field('Name', 'string', 'Full Name', { ...readOnly, length: 121 }),
    field('Email', 'email', 'Email', { length: 128, required: true, nillable: false }),
    field('Alias', 'string', 'Alias', { length: 8 }),
    field('IsActive', 'boolean', 'Active', { defaultValue: true }),
    field('TimeZoneSidKey', 'picklist', 'Time Zone', { picklistValues: TIME_ZONES }),
    field('LanguageLocaleKey', 'picklist', 'Language', { picklistValues: LANGUAGES, defaultValue: 'en_US' }),
    field('Title', 'string', 'Title', { length: 80 }),
    field('Department', 'string', 'Department', { length: 80 }),
    field('ManagerId', 'reference', 'Manager ID', ref('User', 'Manager')),
    field('ABM_Role__c', 'picklist', 'ABM Role', { picklistValues: RoleSchema.options }),
  ];
}

function activityFields(): FieldDef[] {
  return [
    field('Subject', 'string', 'Subject'),
    field('WhatId', 'reference', 'Related To ID', ref(['Account', 'Opportunity'], 'What')),
    field('WhoId', 'reference', 'Name ID', ref(['Contact'], 'Who')),
    field('AccountId', 'reference', 'Account ID', { ...readOnly, ...ref('Account', 'Account') }),
    field('Description', 'textarea', 'Description'),
    ownerField(),
    field('ABM_Engagement_Type__c', 'picklist', 'Engagement Type', { picklistValues: ENGAGEMENT_TYPES }),
  ];
}

function taskFields(): FieldDef[] {
  return [
    ...systemFields(true),
    ...activityFields(),
    field('ActivityDate', 'date', 'Due Date Only'),
    field('Status', 'picklist', 'Status', {
      picklistValues: TASK_STATUSES,
      restrictedPicklist: true,
      nillable: false,
      defaultValue: 'Not Started',
    }),
    field('Priority', 'picklist', 'Priority', {
      picklistValues: ['High', 'Normal', 'Low'],
      restrictedPicklist: true,
      nillable: false,
      defaultValue: 'Normal',
    }),
    field('IsClosed', 'boolean', 'Closed', readOnly),
    field('IsHighPriority', 'boolean', 'High Priority', readOnly),
    field('CompletedDateTime', 'datetime', 'Completed Date/Time', readOnly),
    field('Type', 'picklist', 'Type', { picklistValues: ['Call', 'Email', 'Meeting', 'Other'] }),
    field('TaskSubtype', 'picklist', 'Task Subtype', {
      picklistValues: ['Task', 'Email', 'Call'],
      updateable: false,
      defaultValue: 'Task',
    }),
    field('ABM_Alert_Key__c', 'string', 'ABM Alert Key', { externalId: true, unique: true }),
  ];
}

function eventFields(): FieldDef[] {
  return [
    ...systemFields(true),
    ...activityFields(),
    field('StartDateTime', 'datetime', 'Start Date Time', { required: true }),
    field('EndDateTime', 'datetime', 'End Date Time', { required: true }),
    field('DurationInMinutes', 'int', 'Duration', readOnly),
    field('ActivityDateTime', 'datetime', 'Due Date Time', readOnly),
    field('ActivityDate', 'date', 'Due Date Only', readOnly),
    field('Type', 'picklist', 'Type', { picklistValues: ['Call', 'Email', 'Meeting', 'Other'] }),
  ];
}

/**
 * Salesforce's `DataType` of a history row, by the type of the field that changed (the values of
 * StandardObjectNameHistory.DataType): picklists are `DynamicEnum`, lookups `EntityId`, numbers `Double`.
 */
export const HISTORY_DATA_TYPE: Readonly<Record<FieldType, string>> = {
  id: 'EntityId',
  reference: 'EntityId',
  string: 'Text',
  textarea: 'MultiLineText',
  picklist: 'DynamicEnum',
  email: 'Email',
  url: 'Url',
  phone: 'Phone',
  boolean: 'Boolean',
  double: 'Double',
  currency: 'Currency',
  percent: 'Percent',
  int: 'Double',
  date: 'DateOnly',
  datetime: 'DateTime',
  anyType: 'AnyType',
};

/** The `Field` of the history row Salesforce adds when a record of a history-enabled object is created. */
export const HISTORY_CREATED_FIELD = 'created';

/**
 * A StandardObjectNameHistory object: read-only rows, one per change of a tracked field of the parent
 * (`Field` names it by API name, `OldValue` and `NewValue` hold its values), stamped with who made the
 * change and when. There is no LastModifiedDate or SystemModstamp: history rows never change.
 */
function historyFields(parent: SObjectType, tracked: readonly FieldDef[]): FieldDef[] {
  const dataTypes = [...new Set(Object.values(HISTORY_DATA_TYPE))].sort();
  return [
    field('Id', 'id', `${parent} History ID`, { ...readOnly, nillable: false }),
    field('IsDeleted', 'boolean', 'Deleted', readOnly),
    field(`${parent}Id`, 'reference', `${parent} ID`, {
      ...readOnly,
      ...ref(parent, parent),
      nillable: false,
    }),
    field('CreatedById', 'reference', 'Created By ID', { ...readOnly, ...ref('User', 'CreatedBy') }),
    field('CreatedDate', 'datetime', 'Created Date', { ...readOnly, nillable: false }),
    field('Field', 'picklist', 'Changed Field', {
      ...readOnly,
      nillable: false,
      restrictedPicklist: true,
      picklistValues: [HISTORY_CREATED_FIELD, ...tracked.map((def) => def.name)],
    }),
    field('DataType', 'picklist', 'Datatype', {
      ...readOnly,
      length: 40,
      restrictedPicklist: true,
      picklistValues: dataTypes,
    }),
    field('OldValue', 'anyType', 'Old Value', readOnly),
    field('NewValue', 'anyType', 'New Value', readOnly),
  ];
}

interface BaseObject {
  readonly name: SObjectType;
  readonly label: string;
  readonly labelPlural: string;
  readonly deletable: boolean;
  readonly fields: () => FieldDef[];
  /** History enabled (`enableHistory` in metadata): changes of its tracked fields go to this object. */
  readonly historyObject?: SObjectType;
}

const BASE_OBJECTS: readonly BaseObject[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    deletable: true,
    fields: accountFields,
    historyObject: 'AccountHistory',
  },
  { name: 'Contact', label: 'Contact', labelPlural: 'Contacts', deletable: true, fields: contactFields },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    deletable: true,
    fields: opportunityFields,
  },
  { name: 'User', label: 'User', labelPlural: 'Users', deletable: false, fields: userFields },
  { name: 'Task', label: 'Task', labelPlural: 'Tasks', deletable: true, fields: taskFields },
  { name: 'Event', label: 'Event', labelPlural: 'Events', deletable: true, fields: eventFields },
];

const CHILD_RELATIONSHIPS: Readonly<Partial<Record<SObjectType, readonly ChildRelationship[]>>> = {
  Account: [
    { childSObject: 'Account', field: 'ParentId', relationshipName: 'ChildAccounts', cascadeDelete: false },
    { childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts', cascadeDelete: true },
    {
      childSObject: 'Opportunity',
      field: 'AccountId',
      relationshipName: 'Opportunities',
      cascadeDelete: true,
    },
    { childSObject: 'Task', field: 'WhatId', relationshipName: 'Tasks', cascadeDelete: true },
    { childSObject: 'Event', field: 'WhatId', relationshipName: 'Events', cascadeDelete: true },
    {
      childSObject: 'AccountHistory',
      field: 'AccountId',
      relationshipName: 'Histories',
      cascadeDelete: true,
    },
  ],
  Contact: [
    { childSObject: 'Task', field: 'WhoId', relationshipName: 'Tasks', cascadeDelete: true },
    { childSObject: 'Event', field: 'WhoId', relationshipName: 'Events', cascadeDelete: true },
  ],
  Opportunity: [
    { childSObject: 'Task', field: 'WhatId', relationshipName: 'Tasks', cascadeDelete: true },
    { childSObject: 'Event', field: 'WhatId', relationshipName: 'Events', cascadeDelete: true },
  ],
  User: [
    { childSObject: 'User', field: 'ManagerId', relationshipName: 'ManagedUsers', cascadeDelete: false },
  ],
};

function sobjectDef(
  base: Omit<BaseObject, 'fields' | 'historyObject'>,
  fields: readonly FieldDef[],
  access: Pick<SObjectDef, 'createable' | 'updateable' | 'historyObject' | 'historyOf'>,
): SObjectDef {
  return {
    name: base.name,
    label: base.label,
    labelPlural: base.labelPlural,
    keyPrefix: KEY_PREFIX[base.name],
    deletable: base.deletable,
    ...access,
    fields,
    fieldsByLowerName: new Map(fields.map((def) => [def.name.toLowerCase(), def])),
    relationshipsByLowerName: new Map(
      fields.flatMap((def) =>
        def.relationshipName ? [[def.relationshipName.toLowerCase(), def] as const] : [],
      ),
    ),
    childRelationships: CHILD_RELATIONSHIPS[base.name] ?? [],
  };
}

/**
 * The schema of one org. `omitFields` (`'Account.ABM_Tier__c'`) removes custom fields, as if they had
 * never been deployed; standard fields cannot be removed. An object with history enabled comes with its
 * history object (Account with AccountHistory), which the API can query but never write.
 */
export function buildOrgSchema(omitFields: readonly string[] = []): OrgSchema {
  const omitted = new Set(omitFields.map((name) => name.toLowerCase()));
  for (const name of omitFields) {
    if (!name.endsWith('__c')) throw new RangeError(`only custom fields can be omitted, not ${name}`);
  }
  const schema = new Map<SObjectType, SObjectDef>();
  for (const base of BASE_OBJECTS) {
    const fields = base.fields().filter((def) => !omitted.has(`${base.name}.${def.name}`.toLowerCase()));
    const historyObject = base.historyObject ?? null;
    schema.set(
      base.name,
      sobjectDef(base, fields, { createable: true, updateable: true, historyObject, historyOf: null }),
    );
    if (historyObject !== null) {
      const tracked = fields.filter((def) => def.trackHistory);
      const history = { name: historyObject, label: `${base.label} History`, deletable: false };
      schema.set(
        historyObject,
        sobjectDef({ ...history, labelPlural: history.label }, historyFields(base.name, tracked), {
          createable: false,
          updateable: false,
          historyObject: null,
          historyOf: base.name,
        }),
      );
    }
  }
  return schema;
}

export function findSObject(schema: OrgSchema, name: string): SObjectDef | undefined {
  const lower = name.toLowerCase();
  for (const def of schema.values()) if (def.name.toLowerCase() === lower) return def;
  return undefined;
}

export function requireSObject(schema: OrgSchema, type: SObjectType): SObjectDef {
  const def = schema.get(type);
  if (!def) throw new Error(`sObject ${type} missing from the org schema`);
  return def;
}
