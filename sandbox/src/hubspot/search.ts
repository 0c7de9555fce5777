import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';
import type { PropertyDefinition } from './propertyCatalog.ts';
import type { CrmRecord, ObjectTable } from './store.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure, invalidInputJson, parseInstant, validationFailure } from './wire.ts';

// POST /crm/v3/objects/{type}/search: request parsing with HubSpot's error bodies, filter semantics and
// the 10,000-result window. Filter groups are OR-ed, the filters of a group AND-ed.

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: Operator;
  readonly value?: string;
  readonly highValue?: string;
  readonly values?: readonly string[];
}

export interface SearchSort {
  readonly propertyName: string;
  readonly direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequest {
  readonly filterGroups: readonly (readonly SearchFilter[])[];
  readonly sort: SearchSort | null;
  readonly query: string | null;
  readonly properties: readonly string[] | null;
  readonly limit: number;
  readonly after: number;
}

export interface SearchLimits {
  readonly maxFilterGroups: number;
  readonly maxFiltersPerGroup: number;
  readonly maxFilters: number;
  readonly maxLimit: number;
  /** HubSpot never pages past this many results of one query. */
  readonly resultWindow: number;
}

/** The search guide's limits (the 2024 changelog announced 5 / 10 / 25; the guide says 5 / 6 / 18). */
export const SEARCH_LIMITS: SearchLimits = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  maxLimit: 200,
  resultWindow: 10_000,
};

const FILTER_CLASS = 'com.hubspot.inbounddb.publicobject.core.v3.search.Filter';
const OPERATOR_CLASS = 'com.hubspot.inbounddb.publicobject.core.v3.search.FilterOperator';

/**
 * Jackson reports the column just after the element it failed on. Bodies from the SDK are compact
 * JSON, so the position in the re-serialised body is the position in the request.
 */
const markedColumn = (body: unknown, path: readonly (string | number)[]): number => {
  const marker = '\u0000marker\u0000';
  const clone = structuredClone(body) as Record<string | number, unknown>;
  let cursor: Record<string | number, unknown> = clone;
  let original: unknown = body;
  for (const [index, key] of path.entries()) {
    original = (original as Record<string | number, unknown>)[key];
    if (index === path.length - 1) cursor[key] = marker;
    else cursor = cursor[key] as Record<string | number, unknown>;
  }
  const text = JSON.stringify(clone);
  const at = text.indexOf(JSON.stringify(marker));
  return at < 0 ? 1 : at + (JSON.stringify(original) ?? '').length + 1;
};

/** A body nested deeper than the stack allows cannot be re-serialised: its error points at column 1. */
const columnAfter = (body: unknown, path: readonly (string | number)[]): number => {
  try {
    return markedColumn(body, path);
  } catch (error) {
    if (error instanceof RangeError) return 1;
    throw error;
  }
};

const asString = (value: unknown): string | undefined | null => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
};

type Parsed<T> = Result<T, HubSpotFailure>;

const parseFilter = (
  body: unknown,
  path: readonly (string | number)[],
  raw: unknown,
): Parsed<SearchFilter> => {
  const column = () => columnAfter(body, path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return err(
      invalidInputJson(column(), `Cannot construct instance of \`${FILTER_CLASS}\` from non-object value`),
    );
  }
  const fields = raw as Record<string, unknown>;
  const missing = ['propertyName', 'operator'].filter(
    (name) => typeof fields[name] !== 'string' || fields[name] === '',
  );
  if (missing.length > 0) {
    return err(
      invalidInputJson(
        column(),
        `Cannot build Filter, some of required attributes are not set [${missing.join(', ')}]`,
      ),
    );
  }
  const operator = fields.operator as string;
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    return err(
      invalidInputJson(
        column(),
        `Cannot deserialize value of type \`${OPERATOR_CLASS}\` from String "${operator}": not one of the values accepted for Enum class: [${OPERATORS.join(', ')}]`,
      ),
    );
  }
  const value = asString(fields.value);
  const highValue = asString(fields.highValue);
  if (value === null || highValue === null) {
    return err(
      invalidInputJson(column(), 'Cannot deserialize value of type `java.lang.String` from Array value'),
    );
  }
  let values: string[] | undefined;
  if (fields.values !== undefined && fields.values !== null) {
    if (!Array.isArray(fields.values)) {
      return err(
        invalidInputJson(
          column(),
          'Cannot deserialize value of type `java.util.ArrayList` from String value',
        ),
      );
    }
    values = fields.values.map((entry) => asString(entry) ?? '');
  }
  const problem = (text: string) =>
    err(invalidInputJson(column(), `Cannot construct instance of \`${FILTER_CLASS}\`, problem: ${text}`));
  const op = operator as Operator;
  if (op === 'BETWEEN' && (value === undefined || highValue === undefined)) {
    return problem(
      value === undefined ? 'operator BETWEEN requires a value' : 'operator BETWEEN requires a highValue',
    );
  }
  if ((op === 'IN' || op === 'NOT_IN') && (values === undefined || values.length === 0)) {
    return problem(`operator ${op} requires values`);
  }
  if (
    op !== 'BETWEEN' &&
    op !== 'IN' &&
    op !== 'NOT_IN' &&
    op !== 'HAS_PROPERTY' &&
    op !== 'NOT_HAS_PROPERTY'
  ) {
    if (value === undefined) return problem(`operator ${op} requires a value`);
  }
  return ok({
    propertyName: fields.propertyName as string,
    operator: op,
    ...(value === undefined ? {} : { value }),
    ...(highValue === undefined ? {} : { highValue }),
    ...(values === undefined ? {} : { values }),
  });
};

const parseFilterList = (
  body: unknown,
  path: readonly (string | number)[],
  raw: unknown,
): Parsed<SearchFilter[]> => {
  if (!Array.isArray(raw)) {
    return err(
      invalidInputJson(
        columnAfter(body, path),
        'Cannot deserialize value of type `java.util.ArrayList` from Object value',
      ),
    );
  }
  const filters: SearchFilter[] = [];
  for (const [index, entry] of raw.entries()) {
    const parsed = parseFilter(body, [...path, index], entry);
    if (!parsed.ok) return parsed;
    filters.push(parsed.value);
  }
  return ok(filters);
};

const parseSort = (body: unknown, index: number, raw: unknown): Parsed<SearchSort> => {
  if (typeof raw === 'string' && raw.trim() !== '') {
    const descending = raw.startsWith('-');
    return ok({
      propertyName: descending ? raw.slice(1) : raw,
      direction: descending ? 'DESCENDING' : 'ASCENDING',
    });
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const { propertyName, direction } = raw as Record<string, unknown>;
    if (typeof propertyName !== 'string' || propertyName === '') {
      return err(
        invalidInputJson(
          columnAfter(body, ['sorts', index]),
          'Cannot build Sort, some of required attributes are not set [propertyName]',
        ),
      );
    }
    if (direction !== undefined && direction !== 'ASCENDING' && direction !== 'DESCENDING') {
      return err(
        invalidInputJson(
          columnAfter(body, ['sorts', index]),
          `Cannot deserialize value of type \`com.hubspot.inbounddb.publicobject.core.v3.search.SortDirection\` from String "${String(direction)}": not one of the values accepted for Enum class: [ASCENDING, DESCENDING]`,
        ),
      );
    }
    return ok({ propertyName, direction: direction ?? 'ASCENDING' });
  }
  return err(
    invalidInputJson(columnAfter(body, ['sorts', index]), 'Cannot deserialize Sort from this value'),
  );
};

const parseInteger = (body: unknown, name: string, raw: unknown, fallback: number): Parsed<number> => {
  if (raw === undefined || raw === null || raw === '') return ok(fallback);
  const text = String(raw);
  if (!/^-?\d+$/.test(text) || (typeof raw !== 'string' && typeof raw !== 'number')) {
    return err(
      invalidInputJson(
        columnAfter(body, [name]),
        `Cannot deserialize value of type \`int\` from String "${text}": not a valid \`int\` value`,
      ),
    );
  }
  return ok(Number(text));
};

export const parseSearchRequest = (
  body: unknown,
  limits: SearchLimits = SEARCH_LIMITS,
): Parsed<SearchRequest> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err(
      invalidInputJson(
        1,
        'Cannot deserialize value of type `PublicObjectSearchRequest` from non-object value',
      ),
    );
  }
  const fields = body as Record<string, unknown>;
  const groups: SearchFilter[][] = [];
  if (fields.filterGroups !== undefined && fields.filterGroups !== null) {
    if (!Array.isArray(fields.filterGroups)) {
      return err(
        invalidInputJson(
          columnAfter(body, ['filterGroups']),
          'Cannot deserialize value of type `java.util.HashSet` from Object value (token `JsonToken.START_OBJECT`)',
        ),
      );
    }
    for (const [index, group] of fields.filterGroups.entries()) {
      if (typeof group !== 'object' || group === null || Array.isArray(group)) {
        return err(
          invalidInputJson(
            columnAfter(body, ['filterGroups', index]),
            'Cannot build FilterGroup from this value',
          ),
        );
      }
      const parsed = parseFilterList(
        body,
        ['filterGroups', index, 'filters'],
        (group as Record<string, unknown>).filters ?? [],
      );
      if (!parsed.ok) return parsed;
      groups.push(parsed.value);
    }
  }
  // Older clients send a flat `filters` list; HubSpot treats it as one more group.
  if (fields.filters !== undefined && fields.filters !== null) {
    const parsed = parseFilterList(body, ['filters'], fields.filters);
    if (!parsed.ok) return parsed;
    groups.push(parsed.value);
  }
  const filterCount = groups.reduce((sum, group) => sum + group.length, 0);
  if (groups.length > limits.maxFilterGroups) {
    return err(
      validationFailure(
        `Too many filter groups: ${groups.length}. The maximum number of filter groups is ${limits.maxFilterGroups}.`,
      ),
    );
  }
  const crowded = groups.find((group) => group.length > limits.maxFiltersPerGroup);
  if (crowded) {
    return err(
      validationFailure(
        `Too many filters in a filter group: ${crowded.length}. The maximum number of filters per group is ${limits.maxFiltersPerGroup}.`,
      ),
    );
  }
  if (filterCount > limits.maxFilters) {
    return err(
      validationFailure(
        `Too many filters: ${filterCount}. The maximum number of filters is ${limits.maxFilters}.`,
      ),
    );
  }
  let sort: SearchSort | null = null;
  if (fields.sorts !== undefined && fields.sorts !== null) {
    if (!Array.isArray(fields.sorts)) {
      return err(
        invalidInputJson(
          columnAfter(body, ['sorts']),
          'Cannot deserialize value of type `java.util.ArrayList` from Object value',
        ),
      );
    }
    for (const [index, raw] of fields.sorts.entries()) {
      const parsed = parseSort(body, index, raw);
      if (!parsed.ok) return parsed;
      // HubSpot sorts by one property; later sorts are ignored.
      sort ??= parsed.value;
    }
  }
  const limit = parseInteger(body, 'limit', fields.limit, 10);
  if (!limit.ok) return limit;
  if (limit.value > limits.maxLimit) {
    return err(validationFailure(`limit must be less than or equal to ${limits.maxLimit}`));
  }
  if (limit.value < 1) return err(validationFailure('limit must be greater than or equal to 1'));
  const after = parseInteger(body, 'after', fields.after, 0);
  if (!after.ok) return after;
  let properties: string[] | null = null;
  if (fields.properties !== undefined && fields.properties !== null) {
    if (!Array.isArray(fields.properties)) {
      return err(
        invalidInputJson(
          columnAfter(body, ['properties']),
          'Cannot deserialize value of type `java.util.ArrayList` from String value',
        ),
      );
    }
    properties = fields.properties.filter((name): name is string => typeof name === 'string');
  }
  const query = typeof fields.query === 'string' && fields.query.trim() !== '' ? fields.query.trim() : null;
  return ok({
    filterGroups: groups,
    sort,
    query,
    properties,
    limit: limit.value,
    after: Math.max(0, after.value),
  });
};

type Kind = 'number' | 'instant' | 'enumeration' | 'multi' | 'text' | 'bool';

const kindOf = (name: string, definition: PropertyDefinition | undefined): Kind => {
  if (name === 'hs_object_id') return 'number';
  if (!definition) return 'text';
  switch (definition.type) {
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'instant';
    case 'bool':
      return 'bool';
    case 'enumeration':
      return definition.fieldType === 'checkbox' ? 'multi' : 'enumeration';
    case 'string':
      return 'text';
  }
};

const toComparable = (kind: Kind, value: string): number | string | null => {
  switch (kind) {
    case 'number': {
      const number = Number(value);
      return value.trim() !== '' && Number.isFinite(number) ? number : null;
    }
    case 'instant':
      return parseInstant(value);
    case 'bool':
    case 'text':
      return value.toLowerCase();
    case 'enumeration':
    case 'multi':
      return value;
  }
};

const TOKEN_SPLIT = /[^\p{L}\p{N}]+/u;

const tokenMatcher = (pattern: string): ((stored: string) => boolean) => {
  const lowered = pattern.toLowerCase();
  const regex = new RegExp(
    `^${lowered
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'u',
  );
  const wholeValue = TOKEN_SPLIT.test(lowered.replaceAll('*', ''));
  return (stored) => {
    const text = stored.toLowerCase();
    if (wholeValue) return regex.test(text) || text.includes(lowered.replaceAll('*', ''));
    return text.split(TOKEN_SPLIT).some((token) => regex.test(token));
  };
};

type Predicate = (record: CrmRecord) => boolean;

const compare = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

const filterPredicate = (
  filter: SearchFilter,
  definitions: ReadonlyMap<string, PropertyDefinition>,
): Predicate => {
  const name = filter.propertyName;
  const kind = kindOf(name, definitions.get(name));
  // An unknown property is one that no record holds.
  const stored =
    definitions.has(name) || name === 'hs_object_id'
      ? (record: CrmRecord) => record.properties[name]
      : () => undefined;
  const present = (value: string | undefined): value is string => value !== undefined && value !== '';
  const target = filter.value === undefined ? null : toComparable(kind, filter.value);
  const ordered =
    (test: (order: number) => boolean): Predicate =>
    (record) => {
      const value = stored(record);
      if (!present(value) || target === null) return false;
      const mine = toComparable(kind, value);
      return mine !== null && test(compare(mine, target));
    };
  const equals = (value: string): boolean => {
    if (kind === 'multi') return filter.value !== undefined && value.split(';').includes(filter.value);
    const mine = toComparable(kind, value);
    return mine !== null && target !== null && mine === target;
  };
  const inValues = (value: string): boolean => {
    const wanted = filter.values ?? [];
    if (kind === 'multi') return value.split(';').some((entry) => wanted.includes(entry));
    if (kind === 'number' || kind === 'instant') {
      const mine = toComparable(kind, value);
      return wanted.some((entry) => toComparable(kind, entry) === mine);
    }
    // HubSpot lower-cases the stored text only, so `values` must be lower case to match.
    return wanted.includes(kind === 'enumeration' ? value : value.toLowerCase());
  };
  switch (filter.operator) {
    case 'EQ':
      return (record) => {
        const value = stored(record);
        return present(value) && equals(value);
      };
    case 'NEQ':
      return (record) => {
        const value = stored(record);
        return !present(value) || !equals(value);
      };
    case 'LT':
      return ordered((order) => order < 0);
    case 'LTE':
      return ordered((order) => order <= 0);
    case 'GT':
      return ordered((order) => order > 0);
    case 'GTE':
      return ordered((order) => order >= 0);
    case 'BETWEEN': {
      const high = filter.highValue === undefined ? null : toComparable(kind, filter.highValue);
      return (record) => {
        const value = stored(record);
        if (!present(value) || target === null || high === null) return false;
        const mine = toComparable(kind, value);
        return mine !== null && compare(mine, target) >= 0 && compare(mine, high) <= 0;
      };
    }
    case 'IN':
      return (record) => {
        const value = stored(record);
        return present(value) && inValues(value);
      };
    case 'NOT_IN':
      return (record) => {
        const value = stored(record);
        return !present(value) || !inValues(value);
      };
    case 'HAS_PROPERTY':
      return (record) => present(stored(record));
    case 'NOT_HAS_PROPERTY':
      return (record) => !present(stored(record));
    case 'CONTAINS_TOKEN': {
      const matches = tokenMatcher(filter.value ?? '');
      return (record) => {
        const value = stored(record);
        return present(value) && matches(value);
      };
    }
    case 'NOT_CONTAINS_TOKEN': {
      const matches = tokenMatcher(filter.value ?? '');
      return (record) => {
        const value = stored(record);
        return !present(value) || !matches(value);
      };
    }
  }
};

const queryPredicate = (type: ObjectType, query: string): Predicate => {
  const needle = query.toLowerCase();
  const searchable = OBJECT_TYPE_INFO[type].searchableProperties;
  return (record) =>
    searchable.some((name) => record.properties[name]?.toLowerCase().includes(needle) ?? false);
};

export type SearchOutcome =
  | {
      readonly ok: true;
      readonly total: number;
      readonly records: CrmRecord[];
      readonly nextAfter: number | null;
    }
  | { readonly ok: false; readonly failure: HubSpotFailure };

/**
 * Runs a parsed search over the live records of a table. `total` counts every match, but no page
 * reaches past the result window: the page that ends on it still offers `after` = window, and asking
 * for that page is a 400, as HubSpot answers.
 */
export const runSearch = (
  type: ObjectType,
  table: ObjectTable,
  definitions: ReadonlyMap<string, PropertyDefinition>,
  request: SearchRequest,
  limits: SearchLimits = SEARCH_LIMITS,
): SearchOutcome => {
  if (request.after >= limits.resultWindow) {
    return {
      ok: false,
      failure: failure(400, 'There was a problem with the request.', { category: 'VALIDATION_ERROR' }),
    };
  }
  const groups = request.filterGroups
    .filter((group) => group.length > 0)
    .map((group) => group.map((filter) => filterPredicate(filter, definitions)));
  const query = request.query === null ? null : queryPredicate(type, request.query);
  let matches: CrmRecord[] = [];
  for (const record of table.liveRecords()) {
    if (query && !query(record)) continue;
    if (groups.length > 0 && !groups.some((group) => group.every((test) => test(record)))) continue;
    matches.push(record);
  }
  if (request.sort) {
    const { propertyName, direction } = request.sort;
    const kind = kindOf(propertyName, definitions.get(propertyName));
    const sign = direction === 'DESCENDING' ? -1 : 1;
    // As in filters, a name without a definition is a property no record holds; `hasOwn` keeps
    // names such as "constructor" from reaching the prototype of the properties object.
    const known = definitions.has(propertyName) || propertyName === 'hs_object_id';
    const keyed = matches.map((record) => {
      const value =
        known && Object.hasOwn(record.properties, propertyName) ? record.properties[propertyName] : undefined;
      return { record, key: value === undefined ? null : toComparable(kind, value) };
    });
    // Records without a value come last either way; ties keep id order.
    keyed.sort((a, b) => {
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.record.id - b.record.id : a.key === null ? 1 : -1;
      }
      return sign * compare(a.key, b.key) || a.record.id - b.record.id;
    });
    matches = keyed.map((entry) => entry.record);
  }
  const end = Math.min(request.after + request.limit, limits.resultWindow, matches.length);
  const records = matches.slice(request.after, end);
  // An empty page never offers a next one: a cursor that does not move would page forever.
  const nextAfter = records.length > 0 && end < matches.length ? end : null;
  return { ok: true, total: matches.length, records, nextAfter };
};
