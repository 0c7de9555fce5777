import { z } from 'zod';

import type { DescribedSObject } from './fields.ts';
import {
  ALERT_KEY_FIELD,
  REQUIRED_FIELDS,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_TIER_PICKLIST,
} from './fields.ts';
import type { SalesforceApi } from './http.ts';
import { requestFailure } from './http.ts';

// What the org's objects hold, from describe calls made once per connector: prepare() checks the
// ABM fields against it, and pulls select the optional custom fields only where they exist.

const DescribeSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      externalId: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string() })).optional(),
    }),
  ),
});

export interface DescribedField {
  readonly name: string;
  readonly externalId: boolean;
  readonly picklistValues: readonly string[];
}

/** Fields by lower-cased API name: Salesforce names are case-insensitive. */
export type DescribedFields = ReadonlyMap<string, DescribedField>;

export type Describer = (sobject: DescribedSObject) => Promise<DescribedFields>;

export function createDescriber(api: SalesforceApi): Describer {
  const cache = new Map<DescribedSObject, Promise<DescribedFields>>();
  const describe = async (sobject: DescribedSObject): Promise<DescribedFields> => {
    const result = await api.request({ method: 'GET', url: `/sobjects/${sobject}/describe` });
    if (!result.ok) throw requestFailure(result.error, `describing ${sobject}`);
    const parsed = DescribeSchema.parse(result.value);
    return new Map(
      parsed.fields.map((field) => [
        field.name.toLowerCase(),
        {
          name: field.name,
          externalId: field.externalId ?? false,
          picklistValues: (field.picklistValues ?? []).map((entry) => entry.value),
        },
      ]),
    );
  };
  return (sobject) => {
    let pending = cache.get(sobject);
    if (!pending) {
      pending = describe(sobject);
      cache.set(sobject, pending);
      pending.catch(() => cache.delete(sobject));
    }
    return pending;
  };
}

export const hasField = (fields: DescribedFields, name: string): boolean => fields.has(name.toLowerCase());

/** The required fields the org lacks or has in a shape ABM Pilot cannot use, by `Object.Field`. */
export function missingRequiredFields(described: ReadonlyMap<'Account' | 'Task', DescribedFields>): {
  readonly missing: readonly string[];
  readonly problems: readonly string[];
} {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const { sobject, field } of REQUIRED_FIELDS) {
    const found = described.get(sobject)?.get(field.toLowerCase());
    const name = `${sobject}.${field}`;
    if (!found) {
      missing.push(name);
      continue;
    }
    if (field === ALERT_KEY_FIELD && !found.externalId) {
      missing.push(name);
      problems.push(`${name} exists but is not an External ID, so alert tasks cannot be upserted by key`);
    }
    if (field === SALESFORCE_ABM_ACCOUNT_FIELDS.tier) {
      const absent = Object.values(SALESFORCE_TIER_PICKLIST).filter(
        (label) => !found.picklistValues.includes(label),
      );
      if (absent.length > 0) {
        missing.push(name);
        problems.push(`${name} lacks the picklist values ${absent.join(', ')}`);
      }
    }
  }
  return { missing, problems };
}
