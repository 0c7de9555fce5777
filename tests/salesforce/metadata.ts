import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A small reader of the SFDX source in salesforce-lwc/: the custom fields it deploys, read from the
// `objects/<Object>/fields/<Field>.field-meta.xml` files, so that tests take field API names from the
// package Salesforce admins deploy instead of copying them.

export const SFDX_ROOT = fileURLToPath(new URL('../../salesforce-lwc/', import.meta.url));
export const SOURCE_ROOT = join(SFDX_ROOT, 'force-app/main/default');

export interface MetadataField {
  /** `Account`, `Contact`, or `Activity` for fields shared by Task and Event. */
  readonly object: string;
  /** API name, e.g. `ABM_Tier__c`. */
  readonly name: string;
  /** Metadata API type: Picklist, Checkbox, Number, DateTime, Text... */
  readonly type: string;
  readonly label: string;
  readonly description: string | null;
  readonly inlineHelpText: string | null;
  readonly externalId: boolean;
  /** Picklist value API names in order; empty for other types. */
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  /** Digits in all and after the point, for Number fields; null for other types. */
  readonly precision: number | null;
  readonly scale: number | null;
  /** Field history tracking (`<trackHistory>`): its changes are kept in the object's history. */
  readonly trackHistory: boolean;
}

/** An object's own settings, from `objects/<Object>/<Object>.object-meta.xml`. */
export interface MetadataObject {
  readonly name: string;
  /** Field history tracking is on for the object (`<enableHistory>`); tracked fields need it. */
  readonly enableHistory: boolean;
}

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of the first `<tag>` (at any depth), or null. Enough for the flat files this package holds. */
export function xmlText(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match?.[1] === undefined ? null : unescape(match[1].trim());
}

/** The text of every `<tag>` in document order. */
export function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) =>
    unescape(m[1]!.trim()),
  );
}

const numberOrNull = (text: string | null): number | null => (text === null ? null : Number(text));

function parseField(object: string, file: string, xml: string): MetadataField {
  const name = xmlText(xml, 'fullName');
  const type = xmlText(xml, 'type');
  if (name === null || type === null) throw new Error(`${object}/${file} has no fullName or type`);
  if (`${name}.field-meta.xml` !== file) throw new Error(`${object}/${file} declares ${name}`);
  const values = [...xml.matchAll(/<value>([\s\S]*?)<\/value>/g)].map(
    (m) => xmlText(m[1]!, 'fullName') ?? '',
  );
  return {
    object,
    name,
    type,
    label: xmlText(xml, 'label') ?? '',
    description: xmlText(xml, 'description'),
    inlineHelpText: xmlText(xml, 'inlineHelpText'),
    externalId: xmlText(xml, 'externalId') === 'true',
    picklistValues: values,
    restrictedPicklist: xmlText(xml, 'restricted') === 'true',
    precision: numberOrNull(xmlText(xml, 'precision')),
    scale: numberOrNull(xmlText(xml, 'scale')),
    trackHistory: xmlText(xml, 'trackHistory') === 'true',
  };
}

/** Every custom field of the package, by object then file name. */
export function metadataFields(sourceRoot: string = SOURCE_ROOT): MetadataField[] {
  const objectsDir = join(sourceRoot, 'objects');
  return readdirSync(objectsDir)
    .sort()
    .flatMap((object) => {
      const fieldsDir = join(objectsDir, object, 'fields');
      let files: string[];
      try {
        files = readdirSync(fieldsDir);
      } catch {
        return [];
      }
      return files
        .filter((file) => file.endsWith('.field-meta.xml'))
        .sort()
        .map((file) => parseField(object, file, readFileSync(join(fieldsDir, file), 'utf8')));
    });
}

/** Field API names of one object, e.g. `fieldNamesOf('Account')`. */
export const fieldNamesOf = (object: string, fields = metadataFields()): string[] =>
  fields.filter((field) => field.object === object).map((field) => field.name);

/**
 * The key a field goes by in tests: its API name without the `ABM_` prefix and `__c` suffix, in camel
 * case (`ABM_Last_Sync__c` → `lastSync`, `ABM_SLA_Status__c` → `slaStatus`).
 */
export function fieldKey(name: string): string {
  const words = name
    .replace(/__c$/, '')
    .replace(/^ABM_/, '')
    .split('_')
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
  return words.map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
}

/** The API name of the package's field with that key on that object; throws when the package lacks it. */
export function metadataFieldName(object: string, key: string, fields = metadataFields()): string {
  const found = fields.find((field) => field.object === object && fieldKey(field.name) === key);
  if (!found) throw new Error(`salesforce-lwc deploys no ${object} field with key ${key}`);
  return found.name;
}

/** The settings the package deploys for an object, or null when it ships no object file for it. */
export function metadataObject(object: string, sourceRoot: string = SOURCE_ROOT): MetadataObject | null {
  let xml: string;
  try {
    xml = readFileSync(join(sourceRoot, 'objects', object, `${object}.object-meta.xml`), 'utf8');
  } catch {
    return null;
  }
  return { name: object, enableHistory: xmlText(xml, 'enableHistory') === 'true' };
}
