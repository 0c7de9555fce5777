import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { ApiOperationId } from './catalog.ts';
import { API_CONTRACTS } from './catalog.ts';
import type { ApiContract } from './contract.ts';
import { CONTRACT_EXAMPLES } from './fixtures.ts';
import { jsonLeaves, withLeaf } from './testSupport.ts';

// What a contract accepts must be what JSON can carry: a response that parses must come back from
// JSON.stringify / JSON.parse equal, and parse again to the same value. A schema admitting NaN, Infinity,
// a Date or undefined in an array would break that, silently turning values into null or strings.

const OPERATIONS = Object.entries(API_CONTRACTS) as [ApiOperationId, ApiContract][];

/** A value of any JSON-ish kind, and some that JSON cannot carry. */
const replacement = fc.oneof(
  fc.double().filter((value) => !Object.is(value, -0)),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 2,
  ),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe.each(OPERATIONS)('%s', (operationId, contract) => {
  const example = CONTRACT_EXAMPLES[operationId].response;
  const leaves = jsonLeaves(example);

  it('answers its example unchanged through JSON', () => {
    const parsed: unknown = contract.response.parse(example);
    expect(roundTrip(parsed)).toEqual(parsed);
    expect(contract.response.parse(roundTrip(parsed))).toEqual(parsed);
  });

  it('answers through JSON unchanged any variant of its example that it accepts', () => {
    fc.assert(
      fc.property(fc.nat({ max: leaves.length - 1 }), replacement, (index, value) => {
        const [path] = leaves[index] ?? [[]];
        const parsed = contract.response.safeParse(withLeaf(example, path, value));
        if (!parsed.success) return;
        const again = contract.response.safeParse(roundTrip(parsed.data));
        expect(again.success).toBe(true);
        expect(again.data).toEqual(parsed.data);
      }),
      { numRuns: 150 },
    );
  });
});
