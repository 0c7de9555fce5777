import { DAY_MS } from '@abm-pilot/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { idSuffix, makeId, normalizeId, toBase62 } from './ids.ts';
import { runQuery } from './query.ts';
import { buildOrgSchema } from './schema.ts';
import type { StoredValue } from './schema.ts';
import { dateLiteralRange } from './soql/dateLiterals.ts';
import { parseSoql } from './soql/parser.ts';
import { planQuery } from './soql/plan.ts';
import type { OrgData, Row } from './store.ts';
import { createOrgData, insertTrusted } from './store.ts';

// The SOQL engine on its own, without HTTP: grammar, errors, filter and sort semantics against a
// reference model, date literal ranges, and Salesforce id arithmetic.

const NOW = Date.parse('2026-07-15T09:30:00.000Z');
const schema = buildOrgSchema();

function errorCodeOf(soql: string): string | null {
  const plan = planQuery(soql, schema, NOW);
  return plan.ok ? null : plan.error.errorCode;
}

function orgWith(accounts: readonly Readonly<Record<string, StoredValue>>[]): OrgData {
  const data = createOrgData(0, [], NOW);
  for (const values of accounts)
    insertTrusted(data, 'Account', values, { now: NOW, userId: data.integrationUserId });
  return data;
}

function select(data: OrgData, soql: string, includeDeleted = false): Row[] {
  const plan = planQuery(soql, data.schema, NOW);
  if (!plan.ok) throw new Error(plan.error.message);
  return runQuery(data, plan.value, includeDeleted);
}

describe('SOQL grammar', () => {
  it.each([
    ['SELECT FROM Account'],
    ['SELECT Id, FROM Account'],
    ['SELECT Id Account'],
    ['SELECT Id FROM'],
    ["SELECT Id FROM Account WHERE Name = 'unterminated"],
    ["SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"],
    ['SELECT Id FROM Account WHERE (Name = null'],
    ['SELECT Id FROM Account LIMIT ten'],
    ['SELECT Id FROM Account ORDER BY'],
    ['SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS'],
    ['SELECT Id FROM Account WHERE CreatedDate = SOMEDAY'],
    ['SELECT Id FROM Account WHERE Name = "double"'],
    ['SELECT Id FROM Account GROUP BY Name'],
    ['SELECT COUNT(), Id FROM Account'],
    ['SELECT Id FROM Account LIMIT 5 extra'],
  ])('rejects %s as MALFORMED_QUERY', (soql) => {
    expect(errorCodeOf(soql)).toBe('MALFORMED_QUERY');
  });

  it('accepts keywords in any case, parentheses, NOT, IN lists, date literals and every clause', () => {
    const soql =
      "select Id, Owner.Name from account where (not Name like 'a%' or Id in ('001500000000001AAA')) " +
      'and CreatedDate >= LAST_N_DAYS:30 order by Name desc nulls last, Id limit 10 offset 2';
    const parsed = parseSoql(soql);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.fields?.map((field) => field.parts.join('.'))).toEqual(['Id', 'Owner.Name']);
    expect(parsed.value.orderBy).toEqual([
      { path: expect.objectContaining({ parts: ['Name'] }), descending: true, nullsLast: true },
      { path: expect.objectContaining({ parts: ['Id'] }), descending: false, nullsLast: false },
    ]);
    expect(parsed.value.limit).toBe(10);
    expect(parsed.value.offset).toBe(2);
    expect(parsed.value.where?.kind).toBe('and');
  });

  it('names the unknown field, relationship or object with Salesforce’s error codes', () => {
    expect(errorCodeOf('SELECT Nope FROM Account')).toBe('INVALID_FIELD');
    expect(errorCodeOf('SELECT Boss.Name FROM Account')).toBe('INVALID_FIELD');
    expect(errorCodeOf('SELECT Owner.Nope FROM Account')).toBe('INVALID_FIELD');
    expect(errorCodeOf("SELECT Id FROM Account WHERE Nope = 'x'")).toBe('INVALID_FIELD');
    expect(errorCodeOf('SELECT Id FROM Lead')).toBe('INVALID_TYPE');
    expect(errorCodeOf('SELECT Id, What.Name, Who.Name FROM Task')).toBeNull();
  });

  it('checks literal types against field types', () => {
    expect(errorCodeOf("SELECT Id FROM Account WHERE NumberOfEmployees > '5'")).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(errorCodeOf('SELECT Id FROM Account WHERE Name = 5')).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(errorCodeOf('SELECT Id FROM Account WHERE CreatedDate > 2026-01-01')).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(errorCodeOf('SELECT Id FROM Opportunity WHERE CloseDate > 2026-01-01T00:00:00Z')).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(errorCodeOf("SELECT Id FROM Account WHERE Id = 'not-an-id'")).toBe(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
    expect(errorCodeOf('SELECT Id FROM Account WHERE CreatedDate > 2026-01-01T00:00:00Z')).toBeNull();
    expect(
      errorCodeOf('SELECT Id FROM Account WHERE SystemModstamp > 2026-01-01T00:00:00.000+0000'),
    ).toBeNull();
    expect(errorCodeOf('SELECT Id FROM Account OFFSET 2001')).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('rejects a date literal whose range reaches past any date, on date and datetime fields alike', () => {
    expect(errorCodeOf('SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS:999999999')).toBe(
      'MALFORMED_QUERY',
    );
    expect(errorCodeOf('SELECT Id FROM Account WHERE CreatedDate = LAST_N_YEARS:300000')).toBe(
      'MALFORMED_QUERY',
    );
    expect(errorCodeOf('SELECT Id FROM Account WHERE CreatedDate > NEXT_N_DAYS:99999999999999999999')).toBe(
      'MALFORMED_QUERY',
    );
    const plan = planQuery('SELECT Id FROM Opportunity WHERE CloseDate = N_YEARS_AGO:300000', schema, NOW);
    expect(plan.ok ? null : plan.error.message).toMatch(
      /\^\nERROR at Row:1:Column:46\ndate literal N_YEARS_AGO:300000 is outside the valid date range$/,
    );
    expect(errorCodeOf('SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_YEARS:100')).toBeNull();
  });

  it('rejects conditions nested thousands of levels deep as MALFORMED_QUERY instead of overflowing', () => {
    const parenthesised = `SELECT Id FROM Account WHERE ${'('.repeat(6000)}Name = 'a'${')'.repeat(6000)}`;
    expect(errorCodeOf(parenthesised)).toBe('MALFORMED_QUERY');
    const negated = `SELECT Id FROM Account WHERE ${'NOT '.repeat(6000)}Name = 'a'`;
    expect(errorCodeOf(negated)).toBe('MALFORMED_QUERY');
    const reasonable = `SELECT Id FROM Account WHERE ${'('.repeat(20)}Name = 'a'${')'.repeat(20)}`;
    expect(errorCodeOf(reasonable)).toBeNull();
  });

  it('rejects a field selected twice, however it is spelled', () => {
    const plan = planQuery('SELECT Id, Name, id FROM Account', schema, NOW);
    expect(plan.ok ? null : plan.error).toEqual({
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/ERROR at Row:1:Column:18\nduplicate field selected: Id$/),
    });
    expect(errorCodeOf('SELECT Owner.Name, owner.name FROM Account')).toBe('MALFORMED_QUERY');
    expect(errorCodeOf('SELECT Name, Owner.Name FROM Account')).toBeNull();
  });
});

describe('SOQL semantics', () => {
  const score = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });
  const tier = fc.constantFrom<string | null>('Tier 1', 'Tier 2', 'Tier 3', null);
  const name = fc.option(
    fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'B', 'c', 'D', ' ') }),
    {
      nil: null,
    },
  );

  it('filters exactly like the reference model: != and NOT IN match nulls, ordering operators never do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ score, tier }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 100 }),
        (accounts, threshold) => {
          const data = orgWith(
            accounts.map((account, index) => ({
              Name: `A${index}`,
              ABM_Score__c: account.score,
              ABM_Tier__c: account.tier,
            })),
          );
          const rows = select(
            data,
            `SELECT Id FROM Account WHERE (ABM_Score__c > ${threshold} AND ABM_Tier__c != 'tier 1') OR ABM_Tier__c NOT IN ('Tier 2', 'Tier 3')`,
          );
          const expected = accounts.filter(
            (account) =>
              (account.score !== null && account.score > threshold && account.tier !== 'Tier 1') ||
              (account.tier !== 'Tier 2' && account.tier !== 'Tier 3'),
          );
          expect(rows).toHaveLength(expected.length);
        },
      ),
    );
  });

  it('sorts text case-insensitively with nulls first unless NULLS LAST, and keeps ties in insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        (names, descending, nullsLast) => {
          const data = orgWith(
            names.map((value, index) => ({ Name: value ?? `n${index}`, Description: value })),
          );
          const rows = select(
            data,
            `SELECT Id FROM Account ORDER BY Description ${descending ? 'DESC' : 'ASC'} ${nullsLast ? 'NULLS LAST' : ''}`,
          );
          const keys = rows.map((row) => row['Description'] as string | null);
          const reference = [...names].sort((a, b) => {
            if (a === b) return 0;
            if (a === null) return nullsLast ? 1 : -1;
            if (b === null) return nullsLast ? -1 : 1;
            const order = a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0;
            return descending ? -order : order;
          });
          expect(keys.map((key) => key?.toUpperCase() ?? null)).toEqual(
            reference.map((key) => key?.toUpperCase() ?? null),
          );
        },
      ),
    );
  });

  it('matches LIKE patterns case-insensitively with % and _ wildcards and escaped literals', () => {
    const data = orgWith([{ Name: 'Acme Corp' }, { Name: 'acme' }, { Name: '100% Pure' }, { Name: 'Acne' }]);
    const names = (soql: string) => select(data, soql).map((row) => row['Name']);
    expect(names("SELECT Id FROM Account WHERE Name LIKE 'ACME%'")).toEqual(['Acme Corp', 'acme']);
    expect(names("SELECT Id FROM Account WHERE Name LIKE 'Ac_e'")).toEqual(['acme', 'Acne']);
    expect(names("SELECT Id FROM Account WHERE Name LIKE '%\\%%'")).toEqual(['100% Pure']);
  });

  it('excludes deleted rows unless queryAll asks for them', () => {
    const data = orgWith([{ Name: 'Live' }]);
    const [deletedId] = [insertTrusted(data, 'Account', { Name: 'Gone' }, { now: NOW, userId: '' })];
    const table = data.tables.get('Account')!;
    table.set(deletedId, { ...table.get(deletedId)!, IsDeleted: true });
    expect(select(data, 'SELECT Id FROM Account')).toHaveLength(1);
    expect(select(data, 'SELECT Id FROM Account WHERE IsDeleted = true', true)).toHaveLength(1);
  });
});

describe('date literals', () => {
  it('LAST_N_DAYS:n spans today and the n days before it; NEXT_N_DAYS:n starts tomorrow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 4e12 }), (n, now) => {
        const last = dateLiteralRange('LAST_N_DAYS', n, now);
        expect(last.endMs - last.startMs).toBe((n + 1) * DAY_MS);
        expect(last.startMs <= now && now < last.endMs).toBe(true);
        const next = dateLiteralRange('NEXT_N_DAYS', n, now);
        expect(next.startMs).toBe(last.endMs);
        expect(next.endMs - next.startMs).toBe(n * DAY_MS);
      }),
    );
  });

  it('computes calendar ranges in UTC with Sunday-first weeks', () => {
    const iso = (range: { startMs: number; endMs: number }) => [
      new Date(range.startMs).toISOString().slice(0, 10),
      new Date(range.endMs).toISOString().slice(0, 10),
    ];
    expect(iso(dateLiteralRange('TODAY', null, NOW))).toEqual(['2026-07-15', '2026-07-16']);
    expect(iso(dateLiteralRange('THIS_WEEK', null, NOW))).toEqual(['2026-07-12', '2026-07-19']);
    expect(iso(dateLiteralRange('LAST_MONTH', null, NOW))).toEqual(['2026-06-01', '2026-07-01']);
    expect(iso(dateLiteralRange('THIS_QUARTER', null, NOW))).toEqual(['2026-07-01', '2026-10-01']);
    expect(iso(dateLiteralRange('LAST_N_QUARTERS', 2, NOW))).toEqual(['2026-01-01', '2026-07-01']);
    expect(iso(dateLiteralRange('NEXT_YEAR', null, NOW))).toEqual(['2027-01-01', '2028-01-01']);
  });
});

describe('Salesforce ids', () => {
  it('computes the case-encoding suffix of the documented example', () => {
    expect(idSuffix('001xx000003DGb2')).toBe('AAG');
    expect(normalizeId('001xx000003DGb2')).toBe('001xx000003DGb2AAG');
  });

  it('gives 18-character ids whose 15-character form normalizes back, in allocation order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (sequence) => {
        const id = makeId('001', 'Ab', sequence);
        const next = makeId('001', 'Ab', sequence + 1);
        expect(id).toHaveLength(18);
        expect(normalizeId(id.slice(0, 15))).toBe(id);
        expect(normalizeId(id)).toBe(id);
        expect(id < next).toBe(true);
      }),
    );
    expect(toBase62(61, 2)).toBe('0z');
    expect(normalizeId('bad id')).toBeNull();
  });
});
