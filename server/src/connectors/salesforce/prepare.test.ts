import { afterEach, describe, expect, it } from 'vitest';

import { ABM_ACCOUNT_FIELDS, TIER_PICKLIST } from '../../../../sandbox/src/salesforce/index.ts';
import {
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_ABM_OWNERSHIP_FIELDS,
  SALESFORCE_SCORING_FIELDS,
  SALESFORCE_TIER_PICKLIST,
} from './fields.ts';
import type { TestOrg } from './testSupport.ts';
import { collect, connectorCalls, connectorFor, seedDataset, startTestOrg } from './testSupport.ts';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('prepare', () => {
  it('finds every ABM field in a fully deployed org and creates nothing', async () => {
    org = await startTestOrg();
    const result = await connectorFor(org).prepare();
    expect(result).toEqual({ ok: true, value: { created: [] } });
    expect(connectorCalls(org).map((call) => call.path)).toEqual(
      expect.arrayContaining([
        '/services/data/v66.0/sobjects/Account/describe',
        '/services/data/v66.0/sobjects/Task/describe',
      ]),
    );
  });

  it('names each field a half-deployed org lacks, the alert key on Task included', async () => {
    org = await startTestOrg({
      orgs: [
        { omitFields: ['Account.ABM_SLA_Status__c', 'Account.ABM_Last_Sync__c', 'Task.ABM_Alert_Key__c'] },
      ],
    });
    const result = await connectorFor(org).prepare();
    if (result.ok) throw new Error('expected missing fields');
    expect(result.error.code).toBe('missing_fields');
    expect(result.error.missing).toEqual([
      'Account.ABM_SLA_Status__c',
      'Account.ABM_Last_Sync__c',
      'Task.ABM_Alert_Key__c',
    ]);
    for (const name of result.error.missing ?? []) expect(result.error.message).toContain(name);
  });

  it('reports refused credentials as auth_failed without echoing the secret', async () => {
    org = await startTestOrg();
    const result = await connectorFor(org, {
      auth: { kind: 'client_credentials', clientId: org.org.clientId, clientSecret: 'wrong-secret-value' },
    }).prepare();
    if (result.ok) throw new Error('expected auth_failed');
    expect(result.error.code).toBe('auth_failed');
    expect(result.error.message).not.toContain('wrong-secret-value');
  });

  it('names the same ABM Account fields (and the scoring fields) and tier labels the org deploys', () => {
    expect(
      [
        ...Object.values(SALESFORCE_ABM_ACCOUNT_FIELDS),
        ...Object.values(SALESFORCE_ABM_OWNERSHIP_FIELDS),
        ...Object.values(SALESFORCE_SCORING_FIELDS),
      ].sort(),
    ).toEqual([...ABM_ACCOUNT_FIELDS].sort());
    expect(Object.values(SALESFORCE_TIER_PICKLIST)).toEqual([...TIER_PICKLIST]);
  });

  it('pulls accounts from an org without the optional custom fields, reading them as null', async () => {
    org = await startTestOrg({
      orgs: [
        { omitFields: ['Account.Region__c', 'Account.Intent_Score__c', 'Account.Strategic_Account__c'] },
      ],
    });
    org.loadSeed(seedDataset(100), { contacts: false, opportunities: false, engagements: false });
    const pages = await collect(connectorFor(org), 'accounts', null);
    const accounts = pages.flatMap((page) => page.records);
    expect(accounts).toHaveLength(100);
    expect(accounts.every((account) => account.region === null && account.strategic === null)).toBe(true);
    const query = connectorCalls(org, /\/query$/).at(-1)?.soql ?? '';
    expect(query).not.toContain('Region__c');
    expect(query).toContain('ABM_Tier__c');
  });
});
