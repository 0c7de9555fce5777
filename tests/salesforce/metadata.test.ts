import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { fieldKey, fieldNamesOf, metadataFieldName, metadataFields, metadataObject } from './metadata.ts';

let scratch: string | null = null;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

function sourceWith(files: Record<string, string>): string {
  scratch = mkdtempSync(join(tmpdir(), 'abm-sfdx-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    writeFileSync(join(scratch, path), content);
  }
  return scratch;
}

describe('metadata reader', () => {
  it('reads names, types, picklist values and flags from field files', () => {
    const root = sourceWith({
      'objects/Account/fields/ABM_Tier__c.field-meta.xml': `<CustomField><fullName>ABM_Tier__c</fullName>
        <label>ABM Tier</label><trackHistory>true</trackHistory><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition>
        <value><fullName>Tier 1</fullName><label>Tier 1</label></value>
        <value><fullName>Tier &amp; 2</fullName><label>x</label></value></valueSetDefinition></valueSet></CustomField>`,
      'objects/Activity/fields/ABM_Alert_Key__c.field-meta.xml':
        '<CustomField><fullName>ABM_Alert_Key__c</fullName><externalId>true</externalId><type>Text</type></CustomField>',
    });

    expect(metadataFields(root)).toEqual([
      expect.objectContaining({
        object: 'Account',
        name: 'ABM_Tier__c',
        type: 'Picklist',
        restrictedPicklist: true,
        trackHistory: true,
      }),
      expect.objectContaining({
        object: 'Activity',
        name: 'ABM_Alert_Key__c',
        externalId: true,
        picklistValues: [],
        trackHistory: false,
      }),
    ]);
    expect(metadataFields(root)[0]?.picklistValues).toEqual(['Tier 1', 'Tier & 2']);
  });

  it('reads the precision and scale of number fields, and null for others', () => {
    const root = sourceWith({
      'objects/Account/fields/Intent_Score__c.field-meta.xml':
        '<CustomField><fullName>Intent_Score__c</fullName><precision>3</precision><scale>0</scale><type>Number</type></CustomField>',
      'objects/Account/fields/Region__c.field-meta.xml':
        '<CustomField><fullName>Region__c</fullName><type>Picklist</type></CustomField>',
    });

    expect(metadataFields(root)).toEqual([
      expect.objectContaining({ name: 'Intent_Score__c', precision: 3, scale: 0 }),
      expect.objectContaining({ name: 'Region__c', precision: null, scale: null }),
    ]);
  });

  it("reads an object's history setting from its object file, and null when there is none", () => {
    const root = sourceWith({
      'objects/Account/Account.object-meta.xml':
        '<CustomObject><enableHistory>true</enableHistory></CustomObject>',
      'objects/Contact/fields/ABM_Buying_Role__c.field-meta.xml':
        '<CustomField><fullName>ABM_Buying_Role__c</fullName><type>Picklist</type></CustomField>',
    });

    expect(metadataObject('Account', root)).toEqual({ name: 'Account', enableHistory: true });
    expect(metadataObject('Contact', root)).toBeNull();
  });

  it('refuses a field file whose name and fullName disagree', () => {
    const root = sourceWith({
      'objects/Account/fields/ABM_Tier__c.field-meta.xml':
        '<CustomField><fullName>ABM_Tier2__c</fullName><type>Text</type></CustomField>',
    });

    expect(() => metadataFields(root)).toThrow(/declares ABM_Tier2__c/);
  });

  it('keys fields by their name without prefix and suffix, in camel case', () => {
    expect(fieldKey('ABM_Last_Sync__c')).toBe('lastSync');
    expect(fieldKey('ABM_SLA_Status__c')).toBe('slaStatus');
    expect(fieldKey('ABM_Tier__c')).toBe('tier');
  });

  it('finds the deployed field of a key and refuses a key the package lacks', () => {
    expect(metadataFieldName('Account', 'score')).toBe('ABM_Score__c');
    expect(metadataFieldName('Activity', 'alertKey')).toBe('ABM_Alert_Key__c');
    expect(() => metadataFieldName('Account', 'revenue')).toThrow(/no Account field with key revenue/);
    expect(fieldNamesOf('Account')).toContain('ABM_Tier__c');
  });
});
