import { describe, expect, it } from 'vitest';

import {
  accountWriteFields,
  buyingRoleOf,
  domainOf,
  industryKey,
  parseSalesforceDatetime,
  taskUpsertRecord,
  toAccount,
  toDeal,
  toEngagement,
} from './mapping.ts';
import { compareKeyed, keysetCondition, resumeBound, selectSoql, soqlDatetime, soqlId } from './soql.ts';

describe('mapping Salesforce records', () => {
  it('reads the REST datetime format whose offset has no colon', () => {
    expect(parseSalesforceDatetime('2026-07-01T10:00:00.000+0000')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(parseSalesforceDatetime('2026-07-01T12:00:00.000+0200')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(parseSalesforceDatetime('not a date')).toBeNull();
  });

  it('turns industries into lower snake_case and websites into bare domains', () => {
    expect(industryKey('Food & Beverage')).toBe('food_beverage');
    expect(industryKey('financial_services')).toBe('financial_services');
    expect(industryKey(null)).toBeNull();
    expect(domainOf('https://www.Acme.com:443/about?x=1')).toBe('acme.com');
    expect(domainOf('acme.io')).toBe('acme.io');
    expect(domainOf('   ')).toBeNull();
  });

  it('maps an account with its tier picklist label onto the tier and keeps unknown labels out', () => {
    const record = {
      Id: '001500000000001AAA',
      Name: 'Acme',
      Website: 'https://acme.com',
      Industry: 'Not For Profit',
      NumberOfEmployees: 120,
      AnnualRevenue: 5_000_000,
      OwnerId: '005500000000002AAA',
      ABM_Executive_Sponsor__c: '005500000000003AAA',
      Region__c: 'emea',
      Intent_Score__c: 42,
      Strategic_Account__c: true,
      ABM_Tier__c: 'Tier 2',
      SystemModstamp: '2026-07-01T10:00:00.000+0000',
    };
    expect(toAccount(record, ['001500000000009AAA'])).toEqual({
      crmId: '001500000000001AAA',
      name: 'Acme',
      domain: 'acme.com',
      industry: 'not_for_profit',
      region: 'emea',
      employees: 120,
      annualRevenue: 5_000_000,
      ownerCrmId: '005500000000002AAA',
      abmOwnerCrmId: null,
      executiveSponsorCrmId: '005500000000003AAA',
      crmTier: 'tier_2',
      crmTierReason: null,
      strategic: true,
      intentScore: 42,
      modifiedAt: Date.parse('2026-07-01T10:00:00Z'),
      mergedFromCrmIds: ['001500000000009AAA'],
    });
    expect(toAccount({ ...record, ABM_Tier__c: 'Gold' }).crmTier).toBeNull();
    expect(toAccount({ Id: record.Id, SystemModstamp: record.SystemModstamp }).strategic).toBeNull();
  });

  it('tells won, lost and open deals apart and closes them on their close date', () => {
    const base = {
      Id: '006500000000001AAA',
      CreatedDate: '2026-01-01T00:00:00.000+0000',
      CloseDate: '2026-03-31',
      SystemModstamp: '2026-04-01T00:00:00.000+0000',
    };
    expect(toDeal({ ...base, IsClosed: true, IsWon: true })).toMatchObject({
      stage: 'won',
      closedAt: Date.parse('2026-03-31T00:00:00Z'),
    });
    expect(toDeal({ ...base, IsClosed: true, IsWon: false }).stage).toBe('lost');
    expect(toDeal({ ...base, IsClosed: false, IsWon: false })).toMatchObject({
      stage: 'open',
      closedAt: null,
    });
  });

  it('reads an engagement kind from ABM_Engagement_Type__c, else the activity type, and skips plain to-dos', () => {
    const task = {
      Id: '00T500000000001AAA',
      AccountId: '001500000000001AAA',
      WhoId: '003500000000001AAA',
      CompletedDateTime: '2026-06-30T09:15:00.000+0000',
      ActivityDate: '2026-06-30',
      IsClosed: true,
      SystemModstamp: '2026-06-30T09:15:00.000+0000',
    };
    expect(toEngagement('Task', { ...task, ABM_Engagement_Type__c: 'web_visit' })).toMatchObject({
      kind: 'web_visit',
      contactCrmId: '003500000000001AAA',
      occurredAt: Date.parse('2026-06-30T09:15:00Z'),
    });
    expect(toEngagement('Task', { ...task, TaskSubtype: 'Call' })?.kind).toBe('call');
    expect(toEngagement('Task', { ...task, TaskSubtype: 'Task', Type: 'Other' })).toBeNull();
    expect(toEngagement('Event', { ...task, Id: '00U500000000001AAA' })?.kind).toBe('meeting');
  });

  it('takes an open task for planned, and a call logged days later for done by the end of its date', () => {
    const call = {
      Id: '00T500000000002AAA',
      AccountId: '001500000000001AAA',
      TaskSubtype: 'Call',
      SystemModstamp: '2026-07-02T16:00:00.000+0000',
    };
    expect(toEngagement('Task', { ...call, ActivityDate: '2026-07-09', IsClosed: false })).toMatchObject({
      done: false,
      occurredAt: Date.parse('2026-07-09T00:00:00Z'),
    });
    const loggedLate = {
      ...call,
      ActivityDate: '2026-06-29',
      IsClosed: true,
      CompletedDateTime: '2026-07-02T16:00:00.000+0000',
    };
    expect(toEngagement('Task', loggedLate)).toMatchObject({
      done: true,
      occurredAt: Date.parse('2026-06-29T23:59:59.999Z'),
    });
    const sameDay = { ...loggedLate, ActivityDate: '2026-07-02' };
    expect(toEngagement('Task', sameDay)?.occurredAt).toBe(Date.parse('2026-07-02T16:00:00Z'));
  });

  it('accepts buying roles by value or by label', () => {
    expect(buyingRoleOf('decision_maker')).toBe('decision_maker');
    expect(buyingRoleOf('Budget Holder')).toBe('budget_holder');
    expect(buyingRoleOf('Procurement')).toBeNull();
  });

  it('writes only the ABM fields a write carries, the target flag following the tier', () => {
    expect(accountWriteFields({ crmId: 'x', fields: { score: 71 } })).toEqual({ ABM_Score__c: 71 });
    expect(accountWriteFields({ crmId: 'x', fields: { tier: null } })).toEqual({
      ABM_Tier__c: null,
      ABM_Target__c: false,
    });
    expect(
      accountWriteFields({
        crmId: 'x',
        fields: {
          tier: 'tier_1',
          slaStatus: 'at_risk',
          nextSlaDueAt: Date.parse('2026-07-02T09:00:00Z'),
          tierReason: 'r'.repeat(300),
          lastSyncAt: Date.parse('2026-07-01T12:00:00Z'),
        },
      }),
    ).toEqual({
      ABM_Tier__c: 'Tier 1',
      ABM_Target__c: true,
      ABM_SLA_Status__c: 'at_risk',
      ABM_Next_SLA_Due__c: '2026-07-02T09:00:00.000Z',
      ABM_Tier_Reason__c: `${'r'.repeat(254)}…`,
      ABM_Last_Sync__c: '2026-07-01T12:00:00.000Z',
    });
  });

  it('builds an alert task keyed by its alert, due on its date, assigned and related to the account', () => {
    expect(
      taskUpsertRecord({
        key: 'task:sla-1:005500000000002AAA',
        accountCrmId: '001500000000001AAA',
        assigneeCrmId: '005500000000002AAA',
        subject: 'Follow up Acme',
        body: 'MQA reached',
        dueAt: Date.parse('2026-07-02T16:00:00Z'),
        priority: 'medium',
        status: 'open',
      }),
    ).toEqual({
      attributes: { type: 'Task' },
      ABM_Alert_Key__c: 'task:sla-1:005500000000002AAA',
      Subject: 'Follow up Acme',
      Description: 'MQA reached',
      ActivityDate: '2026-07-02',
      Priority: 'Normal',
      Status: 'Not Started',
      OwnerId: '005500000000002AAA',
      WhatId: '001500000000001AAA',
    });
  });
});

describe('incremental SOQL', () => {
  it('resumes strictly after the cursor without overlap and inclusively before it with one', () => {
    const since = { modifiedAt: Date.parse('2026-07-01T10:00:00Z'), crmId: '001500000000042AAA' };
    expect(keysetCondition(resumeBound(since, 0))).toBe(
      "(SystemModstamp > 2026-07-01T10:00:00Z OR (SystemModstamp = 2026-07-01T10:00:00Z AND Id > '001500000000042AAA'))",
    );
    expect(keysetCondition(resumeBound(since, 60_000))).toBe('SystemModstamp >= 2026-07-01T09:59:00Z');
  });

  it('orders by stamp then id and ANDs the filters', () => {
    expect(
      selectSoql({
        sobject: 'Task',
        fields: ['Id', 'SystemModstamp'],
        filters: ['AccountId != null'],
        from: null,
      }),
    ).toBe('SELECT Id, SystemModstamp FROM Task WHERE AccountId != null ORDER BY SystemModstamp, Id');
  });

  it('refuses anything but an id where an id goes, so a cursor cannot inject SOQL', () => {
    expect(soqlId('001500000000001')).toBe("'001500000000001'");
    expect(() => soqlId("x' OR Name != '")).toThrow(RangeError);
  });

  it('floors datetimes to the second and compares ids case-sensitively', () => {
    expect(soqlDatetime(Date.parse('2026-07-01T10:00:00.999Z'))).toBe('2026-07-01T10:00:00Z');
    expect(compareKeyed({ modifiedAt: 1, crmId: 'b' }, { modifiedAt: 1, crmId: 'B' })).toBeGreaterThan(0);
    expect(compareKeyed({ modifiedAt: 1, crmId: 'z' }, { modifiedAt: 2, crmId: 'a' })).toBeLessThan(0);
  });
});
