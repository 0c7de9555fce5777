import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { ApiError } from './errors.ts';
import { apiError } from './errors.ts';
import type { FieldDef, StoredValue } from './schema.ts';

// Conversions between the JSON the REST API speaks and what the store keeps. Datetimes travel as
// `2026-07-01T10:00:00.000+0000` and are kept as epoch ms so that filters and sorts compare numbers.

export const formatDatetime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

export function toJsonValue(def: FieldDef, value: StoredValue | undefined): StoredValue {
  if (value === undefined || value === null) return def.type === 'boolean' ? false : null;
  if (def.type === 'datetime' && typeof value === 'number') return formatDatetime(value);
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function jsonToken(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT';
}

/** Salesforce answers a value its JSON reader cannot convert with 400 JSON_PARSER_ERROR. */
function cannotDeserialize(typeName: string, value: unknown): ApiError {
  const shown = typeof value === 'object' ? '' : ` value ${String(value)}`;
  return apiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${typeName} from ${jsonToken(value)}${shown} or request may be missing a required field at [line:1, column:1]`,
  );
}

function parseDate(text: string): string | null {
  if (!ISO_DATE.test(text)) return null;
  const day = text.slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day) ? day : null;
}

/** A JSON input value for `def`, converted to its stored form; shape errors fail the whole request. */
export function fromJsonValue(def: FieldDef, value: unknown): Result<StoredValue, ApiError> {
  if (value === null) return ok(null);
  switch (def.type) {
    case 'id':
    case 'reference':
      return typeof value === 'string' ? ok(value) : err(cannotDeserialize('reference', value));
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'email':
    case 'url':
    case 'phone':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
      return err(cannotDeserialize('string', value));
    case 'boolean':
      if (typeof value === 'boolean') return ok(value);
      if (value === 'true' || value === 'false') return ok(value === 'true');
      return err(cannotDeserialize('boolean', value));
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      const valid = Number.isFinite(number) && (typeof value !== 'string' || value.trim() !== '');
      if (!valid || (def.type === 'int' && !Number.isInteger(number))) {
        return err(cannotDeserialize(def.type === 'int' ? 'int' : 'double', value));
      }
      return ok(number);
    }
    case 'date': {
      const day = typeof value === 'string' ? parseDate(value) : null;
      return day === null ? err(cannotDeserialize('date', value)) : ok(day);
    }
    case 'datetime': {
      const ms = typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? err(cannotDeserialize('datetime', value)) : ok(ms);
    }
    case 'anyType':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? ok(value)
        : err(cannotDeserialize('Object', value));
  }
}
