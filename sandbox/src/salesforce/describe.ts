import type { FieldDef, FieldType, OrgSchema, SObjectDef } from './schema.ts';

// Describe results in Salesforce's JSON shape (the subset of properties clients read: names, types,
// labels, picklists, references, create/update rights).

const SOAP_TYPE: Readonly<Record<FieldType, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  email: 'xsd:string',
  url: 'xsd:string',
  phone: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  anyType: 'xsd:anyType',
};

const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'textarea',
  'picklist',
  'email',
  'url',
  'phone',
  'anyType',
]);

export function describeField(def: FieldDef): Record<string, unknown> {
  const text = TEXT_TYPES.has(def.type) || def.type === 'id' || def.type === 'reference';
  return {
    aggregatable: def.type !== 'textarea',
    autoNumber: false,
    byteLength: text ? def.length * (def.type === 'id' || def.type === 'reference' ? 1 : 3) : 0,
    calculated: false,
    caseSensitive: false,
    createable: def.createable,
    custom: def.custom,
    defaultValue: def.type === 'boolean' ? def.defaultValue : null,
    defaultedOnCreate: def.defaultValue !== null || def.name === 'OwnerId' || def.name === 'Id',
    dependentPicklist: false,
    digits: def.type === 'int' ? def.precision : 0,
    externalId: def.externalId,
    filterable: def.type !== 'textarea' && def.type !== 'anyType',
    groupable:
      def.type !== 'textarea' && def.type !== 'double' && def.type !== 'currency' && def.type !== 'anyType',
    htmlFormatted: false,
    idLookup: def.type === 'id' || def.externalId,
    label: def.label,
    length: text ? def.length : 0,
    name: def.name,
    nameField: def.name === 'Name',
    namePointing: def.relationshipName === 'What' || def.relationshipName === 'Who',
    nillable: def.nillable,
    permissionable: def.custom,
    picklistValues: def.picklistValues.map((value) => ({
      active: true,
      defaultValue: value === def.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: def.referenceTo.length > 1,
    precision: def.type === 'int' ? 0 : def.precision,
    referenceTo: def.referenceTo,
    relationshipName: def.relationshipName,
    restrictedPicklist: def.restrictedPicklist,
    scale: def.scale,
    soapType: SOAP_TYPE[def.type],
    sortable: def.type !== 'textarea',
    type: def.type,
    unique: def.unique,
    updateable: def.updateable,
  };
}

function sobjectUrls(def: SObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** History objects (AccountHistory) are read-only: queryable and retrievable, never written, searched or laid out. */
function sobjectSummary(def: SObjectDef, version: string): Record<string, unknown> {
  const history = def.historyOf !== null;
  return {
    activateable: false,
    createable: def.createable,
    custom: false,
    customSetting: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: !history,
    mergeable: def.name === 'Account' || def.name === 'Contact',
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: !history,
    triggerable: !history,
    undeletable: def.deletable,
    updateable: def.updateable,
    urls: sobjectUrls(def, version),
  };
}

export function describeSObject(def: SObjectDef, version: string): Record<string, unknown> {
  return {
    ...sobjectSummary(def, version),
    actionOverrides: [],
    childRelationships: def.childRelationships.map((child) => ({
      cascadeDelete: child.cascadeDelete,
      childSObject: child.childSObject,
      deprecatedAndHidden: false,
      field: child.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: child.relationshipName,
      restrictedDelete: false,
    })),
    fields: def.fields.map(describeField),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}

export function describeGlobal(schema: OrgSchema, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.values()].map((def) => sobjectSummary(def, version)),
  };
}

/** `GET /sobjects/{type}`: the summary plus recently viewed items, which the emulator never has. */
export function sobjectBasicInfo(def: SObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: sobjectSummary(def, version), recentItems: [] };
}
