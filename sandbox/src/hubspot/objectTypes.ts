import { z } from 'zod';

// The CRM object types the emulator serves, with the few facts about each that HubSpot's API exposes on
// the wire: the numeric object type id, the upper-case name used in error messages, and which
// properties come back when a client does not name any.

export const ObjectTypeSchema = z.enum([
  'companies',
  'contacts',
  'deals',
  'tasks',
  'meetings',
  'calls',
  'emails',
]);
export type ObjectType = z.infer<typeof ObjectTypeSchema>;
export const OBJECT_TYPES = ObjectTypeSchema.options;

export interface ObjectTypeInfo {
  readonly objectTypeId: string;
  readonly singular: string;
  /** Upper-case name HubSpot uses in messages such as "Could not get some COMPANY objects". */
  readonly label: string;
  readonly createdProperty: string;
  /** Contacts predate the `hs_` prefix: their last-modified property is `lastmodifieddate`. */
  readonly lastModifiedProperty: string;
  /** Returned when the request names no properties. */
  readonly defaultProperties: readonly string[];
  /** Properties the free-text `query` of a search looks into. */
  readonly searchableProperties: readonly string[];
  /** Legacy webhook subscription prefix (`company.propertyChange`), when the type has one. */
  readonly webhookPrefix: string | null;
}

const engagement = (
  singular: string,
  objectTypeId: string,
  searchable: readonly string[],
): ObjectTypeInfo => ({
  objectTypeId,
  singular,
  label: singular.toUpperCase(),
  createdProperty: 'hs_createdate',
  lastModifiedProperty: 'hs_lastmodifieddate',
  defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  searchableProperties: searchable,
  webhookPrefix: null,
});

export const OBJECT_TYPE_INFO: Readonly<Record<ObjectType, ObjectTypeInfo>> = {
  companies: {
    objectTypeId: '0-2',
    singular: 'company',
    label: 'COMPANY',
    createdProperty: 'createdate',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchableProperties: ['name', 'domain', 'website', 'phone'],
    webhookPrefix: 'company',
  },
  contacts: {
    objectTypeId: '0-1',
    singular: 'contact',
    label: 'CONTACT',
    createdProperty: 'createdate',
    lastModifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    searchableProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
    webhookPrefix: 'contact',
  },
  deals: {
    objectTypeId: '0-3',
    singular: 'deal',
    label: 'DEAL',
    createdProperty: 'createdate',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    searchableProperties: ['dealname'],
    webhookPrefix: 'deal',
  },
  tasks: engagement('task', '0-27', ['hs_task_subject', 'hs_task_body']),
  meetings: engagement('meeting', '0-47', ['hs_meeting_title', 'hs_meeting_body']),
  calls: engagement('call', '0-48', ['hs_call_title', 'hs_call_body']),
  emails: engagement('email', '0-49', ['hs_email_subject', 'hs_email_text']),
};

const ALIASES: ReadonlyMap<string, ObjectType> = new Map(
  OBJECT_TYPES.flatMap((type) => {
    const info = OBJECT_TYPE_INFO[type];
    return [
      [type, type],
      [info.singular, type],
      [info.objectTypeId, type],
    ] as const;
  }),
);

/** Paths name a type by its plural, its singular or its id (`companies`, `company`, `0-2`). */
export const resolveObjectType = (segment: string): ObjectType | null =>
  ALIASES.get(segment.toLowerCase()) ?? null;
