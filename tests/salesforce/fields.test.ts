import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BuyingRoleSchema, DEFAULT_GOVERNANCE_CONFIG, SlaStatusSchema } from '@abm-pilot/shared';
import { describe, expect, it } from 'vitest';

import {
  ALERT_KEY_FIELD,
  OPTIONAL_READ_FIELDS,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_ABM_OWNERSHIP_FIELDS,
  SALESFORCE_SCORING_FIELDS,
  SALESFORCE_TIER_PICKLIST,
} from '../../server/src/connectors/salesforce/fields.ts';
import { ABM_ACCOUNT_FIELDS } from '../../sandbox/src/salesforce/index.ts';
import type { FieldDef, FieldType } from '../../sandbox/src/salesforce/schema.ts';
import { buildOrgSchema } from '../../sandbox/src/salesforce/schema.ts';
import type { MetadataField } from './metadata.ts';
import { fieldNamesOf, metadataFields, metadataObject, SOURCE_ROOT, xmlText, xmlTexts } from './metadata.ts';

// The same field API names everywhere: the package deploys what the server writes and reads, what the
// LWC reads, and what the sandbox org emulates.

const fields = metadataFields();
const field = (object: string, name: string): MetadataField | undefined =>
  fields.find((entry) => entry.object === object && entry.name === name);
/** Task and Event custom fields are Activity fields in metadata. */
const metadataObjectOf = (sobject: string) =>
  sobject === 'Task' || sobject === 'Event' ? 'Activity' : sobject;
const sorted = (names: Iterable<string>) => [...names].sort();

/** Fields the LWC imports as `@salesforce/schema/Account.X`, by component. */
function lwcSchemaImports(): { component: string; object: string; field: string }[] {
  const lwcDir = join(SOURCE_ROOT, 'lwc');
  return readdirSync(lwcDir).flatMap((component) => {
    let source = '';
    try {
      source = readFileSync(join(lwcDir, component, `${component}.js`), 'utf8');
    } catch {
      return [];
    }
    return [...source.matchAll(/from '@salesforce\/schema\/(\w+)\.([\w.]+)'/g)].map((m) => ({
      component,
      object: m[1]!,
      field: m[2]!,
    }));
  });
}

describe('fields the server writes and reads', () => {
  it('deploys exactly the Account fields the server writes back, the lookups and the fields the score reads', () => {
    expect(sorted(fieldNamesOf('Account', fields))).toEqual(
      sorted([
        ...Object.values(SALESFORCE_ABM_ACCOUNT_FIELDS),
        ...Object.values(SALESFORCE_ABM_OWNERSHIP_FIELDS),
        ...Object.values(SALESFORCE_SCORING_FIELDS),
      ]),
    );
  });

  // A field read but never deployed leaves its criterion empty in every real org, silently.
  it.each(
    Object.entries(OPTIONAL_READ_FIELDS).flatMap(([sobject, names]) =>
      names.map((name) => [`${sobject}.${name}`, metadataObjectOf(sobject), name] as const),
    ),
  )('deploys %s, which the server reads', (_label, object, name) => {
    expect(field(object, name)).toBeDefined();
  });

  it('deploys the region as an open picklist of snake_case values, as the model matches regions', () => {
    const region = field('Account', SALESFORCE_SCORING_FIELDS.region);
    expect(region).toMatchObject({ type: 'Picklist', restrictedPicklist: false });
    // The connector passes the stored value through; the model's regions are lower-case snake_case keys.
    for (const value of region!.picklistValues) expect(value).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(region!.picklistValues).toEqual(
      expect.arrayContaining([...DEFAULT_GOVERNANCE_CONFIG.scoring.criteria.icp_region.regions]),
    );
  });

  it('deploys the strategic flag as a checkbox and the intent score as a whole number kept within 0-100', () => {
    expect(field('Account', SALESFORCE_SCORING_FIELDS.strategic)).toMatchObject({ type: 'Checkbox' });
    expect(field('Account', SALESFORCE_SCORING_FIELDS.intentScore)).toMatchObject({
      type: 'Number',
      precision: 3,
      scale: 0,
    });
    const rule = readFileSync(
      join(SOURCE_ROOT, 'objects/Account/validationRules/ABM_Intent_Score_Range.validationRule-meta.xml'),
      'utf8',
    );
    expect(xmlText(rule, 'active')).toBe('true');
    expect(xmlText(rule, 'errorConditionFormula')).toBe(
      `AND(NOT(ISBLANK(${SALESFORCE_SCORING_FIELDS.intentScore})), OR(${SALESFORCE_SCORING_FIELDS.intentScore} < 0, ${SALESFORCE_SCORING_FIELDS.intentScore} > 100))`,
    );
  });

  it('deploys the ABM owner and executive sponsor as lookups to User', () => {
    for (const name of Object.values(SALESFORCE_ABM_OWNERSHIP_FIELDS)) {
      expect(field('Account', name), name).toMatchObject({ type: 'Lookup' });
    }
  });

  it('deploys the alert key the server upserts tasks by, as an external id', () => {
    expect(field('Activity', ALERT_KEY_FIELD)).toMatchObject({ type: 'Text', externalId: true });
  });

  it('restricts the tier picklist to the labels the server writes', () => {
    expect(field('Account', SALESFORCE_ABM_ACCOUNT_FIELDS.tier)).toMatchObject({
      type: 'Picklist',
      restrictedPicklist: true,
      picklistValues: Object.values(SALESFORCE_TIER_PICKLIST),
    });
  });

  it('tracks the history of the tier field, and of no other, on an Account with history enabled', () => {
    // The server names who changed a tier from AccountHistory rows of this field.
    expect(field('Account', SALESFORCE_ABM_ACCOUNT_FIELDS.tier)).toMatchObject({ trackHistory: true });
    expect(metadataObject('Account')).toEqual({ name: 'Account', enableHistory: true });
    expect(
      fields.filter((entry) => entry.trackHistory).map((entry) => `${entry.object}.${entry.name}`),
    ).toEqual([`Account.${SALESFORCE_ABM_ACCOUNT_FIELDS.tier}`]);
  });

  it("restricts the SLA status picklist to shared's statuses, which the server writes as values", () => {
    expect(field('Account', SALESFORCE_ABM_ACCOUNT_FIELDS.slaStatus)).toMatchObject({
      type: 'Picklist',
      restrictedPicklist: true,
      picklistValues: SlaStatusSchema.options,
    });
  });

  it("offers shared's buying roles on Contact", () => {
    expect(field('Contact', 'ABM_Buying_Role__c')?.picklistValues).toEqual(BuyingRoleSchema.options);
  });

  it('gives every field a description and help text', () => {
    for (const entry of fields) {
      expect(entry.description, entry.name).toBeTruthy();
      expect(entry.inlineHelpText, entry.name).toBeTruthy();
    }
  });
});

describe('fields the LWC reads', () => {
  const imports = lwcSchemaImports();

  it('finds the stale fallback fields of the card', () => {
    expect(
      imports.filter((entry) => entry.component === 'abmAccountCard').map((entry) => entry.field),
    ).toEqual(['ABM_Tier__c', 'ABM_Score__c', 'ABM_SLA_Status__c', 'ABM_Last_Sync__c']);
  });

  it.each(imports.map((entry) => [`${entry.object}.${entry.field}`, entry] as const))(
    '%s is deployed by the package',
    (_name, entry) => {
      expect(field(entry.object, entry.field)).toBeDefined();
    },
  );
});

describe('the sandbox org', () => {
  const schema = buildOrgSchema();
  const sandboxField = (object: string, name: string): FieldDef | undefined =>
    schema.get(object as 'Account')?.fields.find((def) => def.name === name);
  const TYPE_OF: Readonly<Record<string, FieldType>> = {
    Picklist: 'picklist',
    Checkbox: 'boolean',
    Number: 'double',
    DateTime: 'datetime',
    Text: 'string',
    Lookup: 'reference',
  };

  it("lists the package's Account fields as ABM Pilot's own", () => {
    expect(sorted(ABM_ACCOUNT_FIELDS)).toEqual(sorted(fieldNamesOf('Account', fields)));
  });

  it("has no custom Account field but the package's", () => {
    const custom = schema
      .get('Account')!
      .fields.filter((def) => def.custom)
      .map((def) => def.name);
    expect(sorted(custom)).toEqual(sorted(fieldNamesOf('Account', fields)));
  });

  it('tracks the history of the fields the package tracks, into AccountHistory', () => {
    const account = schema.get('Account')!;
    expect(account.fields.filter((def) => def.trackHistory).map((def) => def.name)).toEqual(
      fields.filter((entry) => entry.object === 'Account' && entry.trackHistory).map((entry) => entry.name),
    );
    expect(account.historyObject).toBe(metadataObject('Account')?.enableHistory ? 'AccountHistory' : null);
  });

  it.each(fields.map((entry) => [`${entry.object}.${entry.name}`, entry] as const))(
    '%s exists in the sandbox with the same type and picklist',
    (_name, entry) => {
      const sobjects = entry.object === 'Activity' ? ['Task', 'Event'] : [entry.object];
      const present = sobjects.filter((sobject) => sandboxField(sobject, entry.name));
      expect(present.length, `${entry.name} in ${sobjects.join(' or ')}`).toBeGreaterThan(0);
      for (const sobject of present) {
        const def = sandboxField(sobject, entry.name)!;
        expect(def.type).toBe(TYPE_OF[entry.type]);
        expect(def.externalId).toBe(entry.externalId);
        if (entry.type === 'Picklist') {
          expect(def.restrictedPicklist).toBe(entry.restrictedPicklist);
          // The package may offer more values than the emulator seeds (the server also knows `email`).
          expect(entry.picklistValues).toEqual(expect.arrayContaining([...def.picklistValues]));
        }
      }
    },
  );
});

describe('permission sets and credentials', () => {
  const permset = (name: string) =>
    readFileSync(join(SOURCE_ROOT, 'permissionsets', `${name}.permissionset-meta.xml`), 'utf8');
  const fieldAccess = (xml: string) =>
    new Map(
      [...xml.matchAll(/<fieldPermissions>([\s\S]*?)<\/fieldPermissions>/g)].map((m) => [
        xmlText(m[1]!, 'field')!,
        { readable: xmlText(m[1]!, 'readable') === 'true', editable: xmlText(m[1]!, 'editable') === 'true' },
      ]),
    );
  const accountFields = fieldNamesOf('Account', fields).map((name) => `Account.${name}`);
  const externalCredential = readFileSync(
    join(SOURCE_ROOT, 'externalCredentials', 'AbmPilot.externalCredential-meta.xml'),
    'utf8',
  );
  const principal = [
    ...externalCredential.matchAll(
      /<externalCredentialParameters>([\s\S]*?)<\/externalCredentialParameters>/g,
    ),
  ]
    .map((m) => m[1]!)
    .find((parameter) => xmlText(parameter, 'parameterType') === 'NamedPrincipal');

  it('lets card users read every Account field and edit none', () => {
    const access = fieldAccess(permset('ABM_Pilot_User'));
    expect(sorted(access.keys())).toEqual(sorted(accountFields));
    for (const name of accountFields) expect(access.get(name)).toEqual({ readable: true, editable: false });
  });

  it('lets marketers read every Account field and edit the tier, its reason, who owns the plan, the region and the strategic flag', () => {
    const access = fieldAccess(permset('ABM_Pilot_Marketer'));
    const editable = [...access].filter(([, grant]) => grant.editable).map(([name]) => name);
    expect(sorted(access.keys())).toEqual(sorted(accountFields));
    expect(sorted(editable)).toEqual(
      sorted([
        `Account.${SALESFORCE_ABM_ACCOUNT_FIELDS.tier}`,
        `Account.${SALESFORCE_ABM_ACCOUNT_FIELDS.tierReason}`,
        ...Object.values(SALESFORCE_ABM_OWNERSHIP_FIELDS).map((name) => `Account.${name}`),
        `Account.${SALESFORCE_SCORING_FIELDS.region}`,
        `Account.${SALESFORCE_SCORING_FIELDS.strategic}`,
      ]),
    );
  });

  it('lets the integration user write what the server writes', () => {
    const access = fieldAccess(permset('ABM_Pilot_Integration'));
    // Activity fields are granted on Task; Salesforce mirrors the grant onto Event.
    expect([...access.keys()].filter((name) => name.startsWith('Activity.'))).toEqual([]);
    const written = Object.values(SALESFORCE_ABM_ACCOUNT_FIELDS).map((name) => `Account.${name}`);
    for (const name of [...written, `Task.${ALERT_KEY_FIELD}`]) {
      expect(access.get(name), name).toEqual({ readable: true, editable: true });
    }
    for (const name of [
      ...Object.values(SALESFORCE_ABM_OWNERSHIP_FIELDS),
      ...Object.values(SALESFORCE_SCORING_FIELDS),
    ]) {
      expect(access.get(`Account.${name}`), name).toEqual({ readable: true, editable: false });
    }
  });

  it.each(['ABM_Pilot_User', 'ABM_Pilot_Marketer'])(
    '%s runs the controller through the org principal',
    (name) => {
      const xml = permset(name);
      expect(xmlTexts(xml, 'apexClass')).toEqual(['AbmPilotController']);
      expect(xmlTexts(xml, 'externalCredentialPrincipal')).toEqual([
        `AbmPilot-${xmlText(principal!, 'parameterName')}`,
      ]);
    },
  );

  it('sends the org key as a bearer token from the named credential the controller calls', () => {
    const authHeader = [
      ...externalCredential.matchAll(
        /<externalCredentialParameters>([\s\S]*?)<\/externalCredentialParameters>/g,
      ),
    ]
      .map((m) => m[1]!)
      .find((parameter) => xmlText(parameter, 'parameterType') === 'AuthHeader');
    expect(xmlText(externalCredential, 'authenticationProtocol')).toBe('Custom');
    expect(xmlText(authHeader!, 'parameterName')).toBe('Authorization');
    expect(xmlText(authHeader!, 'parameterValue')).toBe("{!'Bearer ' & $Credential.AbmPilot.ApiKey}");
    const named = readFileSync(
      join(SOURCE_ROOT, 'namedCredentials', 'AbmPilot.namedCredential-meta.xml'),
      'utf8',
    );
    expect(xmlText(named, 'namedCredentialType')).toBe('SecuredEndpoint');
    expect(xmlText(named, 'externalCredential')).toBe('AbmPilot');
  });
});
