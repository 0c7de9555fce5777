import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  accountProperties,
  buyingRoleOf,
  compareCursors,
  compareIds,
  dealStageOf,
  engagementDone,
  engagementKindOf,
  inlineAssociations,
  laterCursor,
  parseInstant,
  snakeCase,
  taskProperties,
  tierOf,
  toAccount,
  toOwner,
} from './mapping.ts';

describe('HubSpot values to model values', () => {
  it('reads the tier from hs_ideal_customer_profile alone', () => {
    expect(tierOf('tier_2')).toBe('tier_2');
    expect(tierOf('TIER_1')).toBe('tier_1');
    expect(tierOf(null)).toBeNull();
    expect(tierOf('gold')).toBeNull();
  });

  it('lower-cases buying roles, takes the first known one of a multi-select and calls unknown ones other', () => {
    expect(buyingRoleOf('DECISION_MAKER')).toBe('decision_maker');
    expect(buyingRoleOf('SOMETHING_NEW;CHAMPION')).toBe('champion');
    expect(buyingRoleOf('PROCUREMENT')).toBe('other');
    expect(buyingRoleOf('')).toBeNull();
    expect(buyingRoleOf(null)).toBeNull();
  });

  it('decides deal stages from hs_is_closed / hs_is_closed_won, falling back to the default stage ids', () => {
    expect(dealStageOf({ hs_is_closed: 'true', hs_is_closed_won: 'true' })).toBe('won');
    expect(dealStageOf({ hs_is_closed: 'true', hs_is_closed_won: 'false', dealstage: 'custom' })).toBe(
      'lost',
    );
    expect(dealStageOf({ hs_is_closed: 'false', dealstage: 'closedwon' })).toBe('open');
    expect(dealStageOf({ dealstage: 'closedlost' })).toBe('lost');
    expect(dealStageOf({ dealstage: 'closedwon' })).toBe('won');
    expect(dealStageOf({ dealstage: 'qualifiedtobuy' })).toBe('open');
  });

  it('maps engagement objects to kinds, emails by their tracking counts', () => {
    expect(engagementKindOf('meetings', {})).toBe('meeting');
    expect(engagementKindOf('calls', {})).toBe('call');
    expect(engagementKindOf('emails', { hs_email_click_count: '2', hs_email_open_count: '3' })).toBe(
      'email_click',
    );
    expect(engagementKindOf('emails', { hs_email_open_count: '1', hs_email_click_count: '0' })).toBe(
      'email_open',
    );
    expect(engagementKindOf('emails', {})).toBe('email');
  });

  it('counts a call once completed (or logged without a status) and a meeting unless cancelled, missed or moved', () => {
    expect(engagementDone('calls', { hs_call_status: 'COMPLETED' })).toBe(true);
    expect(engagementDone('calls', {})).toBe(true);
    for (const status of ['QUEUED', 'RINGING', 'NO_ANSWER', 'BUSY', 'FAILED', 'CANCELED'])
      expect(engagementDone('calls', { hs_call_status: status })).toBe(false);
    expect(engagementDone('meetings', { hs_meeting_outcome: 'SCHEDULED' })).toBe(true);
    expect(engagementDone('meetings', { hs_meeting_outcome: 'COMPLETED' })).toBe(true);
    for (const outcome of ['CANCELED', 'NO_SHOW', 'RESCHEDULED'])
      expect(engagementDone('meetings', { hs_meeting_outcome: outcome })).toBe(false);
    expect(engagementDone('emails', {})).toBe(true);
  });

  it('writes industries in lower snake_case whatever HubSpot calls them', () => {
    expect(snakeCase('Financial Services')).toBe('financial_services');
    expect(snakeCase('COMPUTER_SOFTWARE')).toBe('computer_software');
    expect(snakeCase('  ')).toBeNull();
  });

  it('parses ISO instants and epoch milliseconds alike', () => {
    expect(parseInstant('2026-01-05T09:00:00Z')).toBe(Date.parse('2026-01-05T09:00:00Z'));
    expect(parseInstant('1767603600000')).toBe(1_767_603_600_000);
    expect(parseInstant('not a date')).toBeNull();
  });

  it('maps a company with its merged-away ids and typed fields', () => {
    const account = toAccount({
      id: '17',
      properties: {
        name: 'Acme',
        domain: 'ACME.example',
        industry: 'Software',
        region: 'emea',
        numberofemployees: '250',
        annualrevenue: '1200000.5',
        hubspot_owner_id: '9',
        abm_owner: '12',
        hs_ideal_customer_profile: 'tier_1',
        abm_tier_reason: 'Board sponsor',
        hs_is_target_account: 'true',
        strategic_account: 'false',
        intent_score: null,
        hs_lastmodifieddate: '2026-01-05T10:00:00.123Z',
        hs_merged_object_ids: '12;15',
      },
    });
    expect(account).toEqual({
      crmId: '17',
      name: 'Acme',
      domain: 'acme.example',
      industry: 'software',
      region: 'emea',
      employees: 250,
      annualRevenue: 1_200_000.5,
      ownerCrmId: '9',
      abmOwnerCrmId: '12',
      executiveSponsorCrmId: null,
      crmTier: 'tier_1',
      crmTierReason: 'Board sponsor',
      strategic: false,
      intentScore: null,
      modifiedAt: Date.parse('2026-01-05T10:00:00.123Z'),
      mergedFromCrmIds: ['12', '15'],
    });
  });

  it('reads an ABM owner or sponsor only as an owner id, never a name typed into a text property', () => {
    const account = toAccount({
      id: '18',
      properties: { name: 'Beta', abm_owner: 'Jane Doe', abm_executive_sponsor: ' 31 ' },
    });
    expect([account.abmOwnerCrmId, account.executiveSponsorCrmId]).toEqual([null, '31']);
  });

  it('prefers the primary association over unlabeled ones', () => {
    const associated = inlineAssociations({
      id: '1',
      properties: {},
      associations: {
        companies: {
          results: [
            { id: '5', type: 'deal_to_company_unlabeled' },
            { id: '7', type: 'deal_to_company_unlabeled' },
            { id: '7', type: 'deal_to_company' },
          ],
        },
      },
    });
    expect(associated.companies).toEqual(['7', '5']);
    expect(associated.contacts).toEqual([]);
  });

  it('turns archived owners into inactive ones and names them', () => {
    const owner = toOwner({
      id: '3',
      email: 'ann@example.com',
      firstName: 'Ann',
      lastName: 'Lee',
      archived: true,
      teams: [{ id: '1', name: 'EMEA', primary: true }],
    });
    expect(owner).toMatchObject({ crmId: '3', name: 'Ann Lee', active: false, team: 'EMEA', timezone: null });
  });
});

describe('model values to HubSpot writes', () => {
  it('sends only the fields of the write and clears nulls with an empty string', () => {
    expect(accountProperties({ score: 87 })).toEqual({ abm_score: '87' });
    expect(accountProperties({ tier: null, slaStatus: null, nextSlaDueAt: null })).toEqual({
      hs_ideal_customer_profile: '',
      hs_is_target_account: 'false',
      abm_sla_status: '',
      abm_next_sla_due: '',
    });
    expect(accountProperties({ tier: 'tier_2', lastSyncAt: Date.parse('2026-01-05T00:00:00Z') })).toEqual({
      hs_ideal_customer_profile: 'tier_2',
      hs_is_target_account: 'true',
      abm_last_sync: '2026-01-05T00:00:00.000Z',
    });
  });

  it('writes tasks with HubSpot status and priority values', () => {
    expect(
      taskProperties({
        key: 'k',
        accountCrmId: '1',
        assigneeCrmId: '2',
        subject: 'S',
        body: 'B',
        dueAt: Date.parse('2026-01-06T09:00:00Z'),
        priority: 'high',
        status: 'completed',
      }),
    ).toEqual({
      hs_task_subject: 'S',
      hs_task_body: 'B',
      hs_timestamp: '2026-01-06T09:00:00.000Z',
      hs_task_priority: 'HIGH',
      hs_task_status: 'COMPLETED',
      hs_task_type: 'TODO',
      hubspot_owner_id: '2',
    });
  });
});

describe('cursor order', () => {
  it('orders decimal ids numerically', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (a, b) => {
        expect(Math.sign(compareIds(String(a), String(b)))).toBe(Math.sign(a - b));
      }),
    );
  });

  it('keeps the later of two cursors, by time then id', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), (t1, i1, t2, i2) => {
        const a = { modifiedAt: t1, crmId: String(i1) };
        const b = { modifiedAt: t2, crmId: String(i2) };
        const later = laterCursor(a, b)!;
        expect(compareCursors(later, a)).toBeGreaterThanOrEqual(0);
        expect(compareCursors(later, b)).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(laterCursor(null, null)).toBeNull();
  });
});
