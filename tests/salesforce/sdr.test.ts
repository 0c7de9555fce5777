import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type * as Sdr from '../../salesforce-lwc/node_modules/@salesforce/source-deploy-retrieve/lib/src/index.js';
import { SFDX_ROOT, SOURCE_ROOT, xmlText, xmlTexts } from './metadata.ts';

// The package converts to a Metadata API deployment as `sf project deploy start` would build it, with
// Salesforce's own library. source-deploy-retrieve is a dependency of the salesforce-lwc workspace only,
// so it is required from there.

// @salesforce/core would otherwise write a log file under the user's home.
process.env.SF_DISABLE_LOG_FILE = 'true';
const { ComponentSet, MetadataConverter } = createRequire(join(SFDX_ROOT, 'package.json'))(
  '@salesforce/source-deploy-retrieve',
) as typeof Sdr;

const project = JSON.parse(readFileSync(join(SFDX_ROOT, 'sfdx-project.json'), 'utf8')) as {
  packageDirectories: { path: string }[];
  sourceApiVersion: string;
};
const outputDirectory = mkdtempSync(join(tmpdir(), 'abm-mdapi-'));
afterAll(() => rmSync(outputDirectory, { recursive: true, force: true }));

const components = ComponentSet.fromSource(join(SFDX_ROOT, 'force-app'));
components.sourceApiVersion = project.sourceApiVersion;

/** package.xml members by type. */
function manifest(xml: string): Record<string, string[]> {
  return Object.fromEntries(
    [...xml.matchAll(/<types>([\s\S]*?)<\/types>/g)].map((m) => [
      xmlText(m[1]!, 'name'),
      xmlTexts(m[1]!, 'members'),
    ]),
  );
}

describe('SFDX source', () => {
  it('targets API 66.0 in the project and in every component', () => {
    expect(project).toMatchObject({ sourceApiVersion: '66.0', packageDirectories: [{ path: 'force-app' }] });
    const metaFiles = [
      ...readdirSync(join(SOURCE_ROOT, 'classes'))
        .filter((file) => file.endsWith('-meta.xml'))
        .map((file) => join(SOURCE_ROOT, 'classes', file)),
      ...readdirSync(join(SOURCE_ROOT, 'lwc')).map((name) =>
        join(SOURCE_ROOT, 'lwc', name, `${name}.js-meta.xml`),
      ),
    ];
    for (const file of metaFiles)
      expect(xmlText(readFileSync(file, 'utf8'), 'apiVersion'), file).toBe('66.0');
  });

  it('converts to a Metadata API package without error, tests left out', async () => {
    const result = await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory,
      genUniqueDir: false,
    });

    expect(result.converted?.length).toBeGreaterThan(0);
    const members = manifest(readFileSync(join(outputDirectory, 'package.xml'), 'utf8'));
    expect(members).toEqual({
      ApexClass: ['AbmPilotController', 'AbmPilotControllerTest'],
      CustomField: [
        'Account.ABM_Executive_Sponsor__c',
        'Account.ABM_Last_Sync__c',
        'Account.ABM_Next_SLA_Due__c',
        'Account.ABM_Owner__c',
        'Account.ABM_SLA_Status__c',
        'Account.ABM_Score__c',
        'Account.ABM_Target__c',
        'Account.ABM_Tier_Reason__c',
        'Account.ABM_Tier__c',
        'Account.Intent_Score__c',
        'Account.Region__c',
        'Account.Strategic_Account__c',
        'Activity.ABM_Alert_Key__c',
        'Activity.ABM_Engagement_Type__c',
        'Contact.ABM_Buying_Role__c',
      ],
      // Account's own settings: history enabled, so that the tier's field history is kept.
      CustomObject: ['Account'],
      ExternalCredential: ['AbmPilot'],
      LightningComponentBundle: [
        'abmAccountCard',
        'abmGovernance',
        'abmMessages',
        'abmUtils',
        'abmVocabulary',
        'errorPanel',
      ],
      NamedCredential: ['AbmPilot'],
      PermissionSet: ['ABM_Pilot_Integration', 'ABM_Pilot_Marketer', 'ABM_Pilot_User'],
      ValidationRule: ['Account.ABM_Intent_Score_Range'],
    });
    expect(xmlText(readFileSync(join(outputDirectory, 'package.xml'), 'utf8'), 'version')).toBe('66.0');
    // .forceignore keeps Jest tests and their data out of the org.
    expect(readdirSync(join(outputDirectory, 'lwc', 'abmAccountCard')).sort()).toEqual([
      'abmAccountCard.html',
      'abmAccountCard.js',
      'abmAccountCard.js-meta.xml',
    ]);
  });

  it('deploys Account with history enabled and the tier field history-tracked, in one object file', () => {
    const account = readFileSync(join(outputDirectory, 'objects', 'Account.object'), 'utf8');
    expect(xmlText(account, 'enableHistory')).toBe('true');
    const tier = [...account.matchAll(/<fields>([\s\S]*?)<\/fields>/g)]
      .map((m) => m[1]!)
      .find((fieldXml) => xmlText(fieldXml, 'fullName') === 'ABM_Tier__c');
    expect(tier && xmlText(tier, 'trackHistory')).toBe('true');
  });

  it('exposes the card on Account record pages and the governance page on app pages only', () => {
    const meta = (name: string) =>
      readFileSync(join(SOURCE_ROOT, 'lwc', name, `${name}.js-meta.xml`), 'utf8');
    expect(xmlTexts(meta('abmAccountCard'), 'target')).toEqual(['lightning__RecordPage']);
    expect(xmlTexts(meta('abmAccountCard'), 'object')).toEqual(['Account']);
    expect(xmlTexts(meta('abmGovernance'), 'target')).toEqual(['lightning__AppPage']);
    for (const service of ['abmMessages', 'abmUtils', 'abmVocabulary', 'errorPanel']) {
      expect(xmlText(meta(service), 'isExposed')).toBe('false');
    }
  });

  it('deploys no CSP trusted site: no browser call leaves Salesforce', () => {
    expect(readdirSync(SOURCE_ROOT)).not.toContain('cspTrustedSites');
    for (const name of readdirSync(join(SOURCE_ROOT, 'lwc'))) {
      const source = readFileSync(join(SOURCE_ROOT, 'lwc', name, `${name}.js`), 'utf8');
      expect(source, name).not.toMatch(/\bfetch\(|XMLHttpRequest|https?:\/\//);
    }
  });
});
