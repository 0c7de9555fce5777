import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { ApiError } from '../errors.ts';
import { apiError } from '../errors.ts';
import { normalizeId } from '../ids.ts';
import type { FieldDef, FieldType, OrgSchema, SObjectDef, StoredValue } from '../schema.ts';
import { findSObject } from '../schema.ts';
import type { Row } from '../store.ts';
import { typeOfId } from '../store.ts';
import { toJsonValue } from '../values.ts';
import type { DateRange } from './dateLiterals.ts';
import { dateLiteralRange, isDateRange, isoDate } from './dateLiterals.ts';
import type { ComparisonOperator, Condition, FieldPath, Literal, SoqlQuery } from './parser.ts';
import { formatQueryError, parseSoql } from './parser.ts';

// Turns a parsed query into closures over rows: field accessors that follow relationships, a WHERE
// predicate, a sort comparator and a projection that renders records in the REST API's JSON shape.
// Field and object names are checked against the org's schema here, as Salesforce does before running.

/** Finds a live parent row (the Owner, the Account...) while a query runs. */
export type Lookup = (id: string) => Row | undefined;
type Accessor = (row: Row, lookup: Lookup) => StoredValue;
export type Predicate = (row: Row, lookup: Lookup) => boolean;

interface ResolvedPath {
  readonly field: FieldDef;
  /** Reference fields crossed on the way, e.g. [OwnerId] for Owner.Name. */
  readonly hops: readonly FieldDef[];
  readonly accessor: Accessor;
}

interface ProjectionLeaf {
  readonly kind: 'field';
  readonly key: string;
  readonly field: FieldDef;
}
interface ProjectionBranch {
  readonly kind: 'relationship';
  readonly key: string;
  readonly reference: FieldDef;
  readonly entries: (ProjectionLeaf | ProjectionBranch)[];
}
type ProjectionEntry = ProjectionLeaf | ProjectionBranch;

export interface QueryPlan {
  readonly sobject: SObjectDef;
  readonly countOnly: boolean;
  readonly where: Predicate | null;
  readonly sortKeys: readonly ((row: Row, lookup: Lookup) => SortValue)[];
  readonly sortDirections: readonly { readonly descending: boolean; readonly nullsLast: boolean }[];
  readonly limit: number | null;
  readonly offset: number;
  readonly render: (row: Row, lookup: Lookup, version: string) => Record<string, unknown>;
}

export type SortValue = string | number | boolean | null;

const MAX_OFFSET = 2000;

export function planQuery(soql: string, schema: OrgSchema, nowMs: number): Result<QueryPlan, ApiError> {
  const parsed = parseSoql(soql);
  if (!parsed.ok) {
    return err(
      apiError(400, 'MALFORMED_QUERY', formatQueryError(soql, parsed.error.offset, parsed.error.message)),
    );
  }
  try {
    return ok(new Planner(soql, schema, nowMs).plan(parsed.value));
  } catch (error) {
    if (error instanceof PlanFailure) return err(error.apiError);
    throw error;
  }
}

class PlanFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

type Category = 'text' | 'id' | 'boolean' | 'number' | 'date' | 'datetime';

const CATEGORY: Readonly<Record<FieldType, Category>> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  textarea: 'text',
  picklist: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  boolean: 'boolean',
  double: 'number',
  currency: 'number',
  percent: 'number',
  int: 'number',
  date: 'date',
  datetime: 'datetime',
  // Sorted as text; filtering on it is refused before any comparison is built (see `filterable`).
  anyType: 'text',
};

const SOAP_NAME: Readonly<Record<Category, string>> = {
  text: 'string',
  id: 'id',
  boolean: 'boolean',
  number: 'double',
  date: 'date',
  datetime: 'dateTime',
};

/** A literal ready for comparison: text lower-cased, ids in 18-character form, date literals as ranges. */
type Operand =
  | { readonly kind: 'null' }
  | { readonly kind: 'value'; readonly value: string | number | boolean }
  | { readonly kind: 'range'; readonly start: string | number; readonly end: string | number };

class Planner {
  constructor(
    private readonly soql: string,
    private readonly schema: OrgSchema,
    private readonly nowMs: number,
  ) {}

  plan(query: SoqlQuery): QueryPlan {
    const sobject = findSObject(this.schema, query.from.name);
    if (!sobject) {
      throw this.failure(
        'INVALID_TYPE',
        query.from.offset,
        `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const entries: ProjectionEntry[] = [];
    const selected = new Set<string>();
    for (const path of query.fields ?? []) {
      const resolved = this.resolve(sobject, path);
      const name = [
        ...resolved.hops.map((hop) => hop.relationshipName ?? hop.name),
        resolved.field.name,
      ].join('.');
      if (selected.has(name.toLowerCase())) {
        throw this.failure('MALFORMED_QUERY', path.offset, `duplicate field selected: ${name}`);
      }
      selected.add(name.toLowerCase());
      this.addToProjection(entries, resolved);
    }
    const where = query.where ? this.condition(sobject, query.where) : null;
    const sortKeys = query.orderBy.map((item) => sortKey(this.resolve(sobject, item.path)));
    const sortDirections = query.orderBy.map(({ descending, nullsLast }) => ({ descending, nullsLast }));
    if (query.offset !== null && query.offset > MAX_OFFSET) {
      throw new PlanFailure(
        apiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`),
      );
    }
    return {
      sobject,
      countOnly: query.fields === null,
      where,
      sortKeys,
      sortDirections,
      limit: query.limit,
      offset: query.offset ?? 0,
      render: (row, lookup, version) => renderRecord(entries, row, lookup, version, sobject.name),
    };
  }

  private failure(errorCode: string, offset: number, reason: string): PlanFailure {
    return new PlanFailure(apiError(400, errorCode, formatQueryError(this.soql, offset, reason)));
  }

  private noSuchColumn(path: FieldPath, name: string, entity: string): PlanFailure {
    return this.failure(
      'INVALID_FIELD',
      path.offset,
      `No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }

  /** `Owner.Name` from Account: OwnerId leads to User, whose Name is read. `Account.Name` FROM Account also works. */
  private resolve(root: SObjectDef, path: FieldPath): ResolvedPath {
    let parts = path.parts;
    if (parts.length > 1 && parts[0]?.toLowerCase() === root.name.toLowerCase()) {
      if (!root.relationshipsByLowerName.has(root.name.toLowerCase())) parts = parts.slice(1);
    }
    let candidates: readonly SObjectDef[] = [root];
    const hops: FieldDef[] = [];
    for (const [index, part] of parts.entries()) {
      const lower = part.toLowerCase();
      const last = index === parts.length - 1;
      if (last) {
        const field = candidates
          .map((def) => def.fieldsByLowerName.get(lower))
          .find((found) => found !== undefined);
        if (!field) throw this.noSuchColumn(path, part, candidates[0]?.name ?? root.name);
        return { field, hops, accessor: accessorFor(hops, field) };
      }
      const reference = candidates
        .map((def) => def.relationshipsByLowerName.get(lower))
        .find((found) => found !== undefined);
      if (!reference || (hops.length > 0 && hops[hops.length - 1]!.referenceTo.length > 1)) {
        throw this.failure(
          'INVALID_FIELD',
          path.offset,
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      hops.push(reference);
      candidates = reference.referenceTo.flatMap((type) => {
        const def = this.schema.get(type);
        return def ? [def] : [];
      });
    }
    throw this.noSuchColumn(path, parts.join('.'), root.name);
  }

  private addToProjection(entries: ProjectionEntry[], resolved: ResolvedPath): void {
    let level = entries;
    for (const hop of resolved.hops) {
      const key = hop.relationshipName ?? hop.name;
      let branch = level.find(
        (entry): entry is ProjectionBranch => entry.kind === 'relationship' && entry.key === key,
      );
      if (!branch) {
        branch = { kind: 'relationship', key, reference: hop, entries: [] };
        level.push(branch);
      }
      level = branch.entries;
    }
    if (!level.some((entry) => entry.kind === 'field' && entry.key === resolved.field.name)) {
      level.push({ kind: 'field', key: resolved.field.name, field: resolved.field });
    }
  }

  /** A field a WHERE clause names: history values (anyType) cannot be filtered on, as in Salesforce. */
  private filterable(root: SObjectDef, path: FieldPath): ResolvedPath {
    const resolved = this.resolve(root, path);
    if (resolved.field.type === 'anyType') {
      throw this.failure(
        'INVALID_FIELD',
        path.offset,
        `field '${resolved.field.name}' can not be filtered in query call`,
      );
    }
    return resolved;
  }

  private condition(root: SObjectDef, condition: Condition): Predicate {
    switch (condition.kind) {
      case 'and': {
        const terms = condition.terms.map((term) => this.condition(root, term));
        return (row, lookup) => terms.every((term) => term(row, lookup));
      }
      case 'or': {
        const terms = condition.terms.map((term) => this.condition(root, term));
        return (row, lookup) => terms.some((term) => term(row, lookup));
      }
      case 'not': {
        const term = this.condition(root, condition.term);
        return (row, lookup) => !term(row, lookup);
      }
      case 'compare': {
        const resolved = this.filterable(root, condition.field);
        const operand = this.operand(resolved.field, condition.value, condition.op);
        return comparison(resolved, condition.op, operand);
      }
      case 'in': {
        const resolved = this.filterable(root, condition.field);
        const operands = condition.values.map((value) => this.operand(resolved.field, value, '='));
        if (operands.some((operand) => operand.kind === 'range')) {
          throw this.failure(
            'MALFORMED_QUERY',
            condition.field.offset,
            'date literals are not allowed in IN',
          );
        }
        const set = new Set(operands.map((operand) => (operand.kind === 'value' ? operand.value : null)));
        const category = CATEGORY[resolved.field.type];
        const { accessor } = resolved;
        return (row, lookup) => {
          const value = normalizeForCompare(category, accessor(row, lookup));
          return set.has(value) !== condition.negated;
        };
      }
      case 'like': {
        const resolved = this.filterable(root, condition.field);
        if (CATEGORY[resolved.field.type] !== 'text' || condition.value.kind !== 'string') {
          throw this.failure(
            'INVALID_QUERY_FILTER_OPERATOR',
            condition.field.offset,
            `invalid operator on field: ${resolved.field.name}`,
          );
        }
        const pattern = likePattern(condition.value.value);
        const { accessor } = resolved;
        return (row, lookup) => {
          const value = accessor(row, lookup);
          return typeof value === 'string' && pattern.test(value);
        };
      }
    }
  }

  private dateRange(literal: Extract<Literal, { kind: 'dateLiteral' }>): DateRange {
    const range = dateLiteralRange(literal.name, literal.n, this.nowMs);
    if (!isDateRange(range)) {
      throw this.failure(
        'MALFORMED_QUERY',
        literal.offset,
        `date literal ${literal.name}${literal.n === null ? '' : `:${literal.n}`} is outside the valid date range`,
      );
    }
    return range;
  }

  private operand(field: FieldDef, literal: Literal, op: ComparisonOperator): Operand {
    const category = CATEGORY[field.type];
    const mismatch = (): PlanFailure => {
      const quoted = category === 'text' || category === 'id';
      return this.failure(
        'INVALID_QUERY_FILTER_OPERATOR',
        literal.offset,
        `value of filter criterion for field '${field.name}' must be of type ${SOAP_NAME[category]} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
      );
    };
    if (literal.kind === 'null') {
      if (op !== '=' && op !== '!=')
        throw this.failure('MALFORMED_QUERY', literal.offset, 'invalid operator for null');
      return { kind: 'null' };
    }
    switch (category) {
      case 'text':
        if (literal.kind !== 'string') throw mismatch();
        return { kind: 'value', value: literal.value.toLowerCase() };
      case 'id': {
        if (literal.kind !== 'string') throw mismatch();
        const id = normalizeId(literal.value);
        if (id === null) {
          throw this.failure(
            'INVALID_QUERY_FILTER_OPERATOR',
            literal.offset,
            `invalid ID field: ${literal.value}`,
          );
        }
        return { kind: 'value', value: id };
      }
      case 'boolean':
        if (literal.kind !== 'boolean') throw mismatch();
        if (op !== '=' && op !== '!=') {
          throw this.failure(
            'INVALID_QUERY_FILTER_OPERATOR',
            literal.offset,
            `invalid operator on boolean field`,
          );
        }
        return { kind: 'value', value: literal.value };
      case 'number':
        if (literal.kind !== 'number') throw mismatch();
        return { kind: 'value', value: literal.value };
      case 'date':
        if (literal.kind === 'date') return { kind: 'value', value: literal.value };
        if (literal.kind === 'dateLiteral') {
          const range = this.dateRange(literal);
          return { kind: 'range', start: isoDate(range.startMs), end: isoDate(range.endMs) };
        }
        throw mismatch();
      case 'datetime':
        if (literal.kind === 'datetime') return { kind: 'value', value: literal.value };
        if (literal.kind === 'dateLiteral') {
          const range = this.dateRange(literal);
          return { kind: 'range', start: range.startMs, end: range.endMs };
        }
        throw mismatch();
    }
  }
}

function accessorFor(hops: readonly FieldDef[], field: FieldDef): Accessor {
  const name = field.name;
  if (hops.length === 0) return (row) => row[name] ?? null;
  return (row, lookup) => {
    let current: Row | undefined = row;
    for (const hop of hops) {
      const id: StoredValue | undefined = current[hop.name];
      current = typeof id === 'string' ? lookup(id) : undefined;
      if (!current) return null;
    }
    return current[name] ?? null;
  };
}

function normalizeForCompare(category: Category, value: StoredValue): StoredValue {
  return category === 'text' && typeof value === 'string' ? value.toLowerCase() : value;
}

/**
 * SOQL comparison semantics: text compares case-insensitively; `!=` also matches null (unlike SQL);
 * ordering operators never match null. A date literal is a range: `=` means inside it, `<` before it.
 */
function comparison(resolved: ResolvedPath, op: ComparisonOperator, operand: Operand): Predicate {
  const category = CATEGORY[resolved.field.type];
  const { accessor } = resolved;
  if (operand.kind === 'null') {
    return op === '='
      ? (row, lookup) => accessor(row, lookup) === null
      : (row, lookup) => accessor(row, lookup) !== null;
  }
  if (operand.kind === 'range') {
    const { start, end } = operand;
    const inside = (value: StoredValue): boolean => value !== null && value >= start && value < end;
    const tests: Readonly<Record<ComparisonOperator, (value: StoredValue) => boolean>> = {
      '=': inside,
      '!=': (value) => !inside(value),
      '<': (value) => value !== null && value < start,
      '<=': (value) => value !== null && value < end,
      '>': (value) => value !== null && value >= end,
      '>=': (value) => value !== null && value >= start,
    };
    const test = tests[op];
    return (row, lookup) => test(accessor(row, lookup));
  }
  const target = operand.value;
  const read = (row: Row, lookup: Lookup): StoredValue =>
    normalizeForCompare(category, accessor(row, lookup));
  switch (op) {
    case '=':
      return (row, lookup) => read(row, lookup) === target;
    case '!=':
      return (row, lookup) => read(row, lookup) !== target;
    case '<':
      return (row, lookup) => {
        const value = read(row, lookup);
        return value !== null && value < target;
      };
    case '<=':
      return (row, lookup) => {
        const value = read(row, lookup);
        return value !== null && value <= target;
      };
    case '>':
      return (row, lookup) => {
        const value = read(row, lookup);
        return value !== null && value > target;
      };
    case '>=':
      return (row, lookup) => {
        const value = read(row, lookup);
        return value !== null && value >= target;
      };
  }
}

/** `%` is any run, `_` one character, `\%` and `\_` themselves; case-insensitive like the rest of SOQL. */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? '';
    if (char === '\\' && (pattern[index + 1] === '%' || pattern[index + 1] === '_')) {
      source += pattern[index + 1];
      index++;
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** Sorting is case-insensitive for text (Salesforce compares upper-cased values in English locales). */
function sortKey(resolved: ResolvedPath): (row: Row, lookup: Lookup) => SortValue {
  const { accessor } = resolved;
  if (CATEGORY[resolved.field.type] !== 'text') return accessor;
  return (row, lookup) => {
    const value = accessor(row, lookup);
    return typeof value === 'string' ? value.toUpperCase() : value;
  };
}

/** Nulls sort first unless NULLS LAST is given, in either direction, as the SOQL reference states. */
export function compareSortValues(
  a: SortValue,
  b: SortValue,
  direction: { readonly descending: boolean; readonly nullsLast: boolean },
): number {
  if (a === b) return 0;
  if (a === null) return direction.nullsLast ? 1 : -1;
  if (b === null) return direction.nullsLast ? -1 : 1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return direction.descending ? -order : order;
}

function renderRecord(
  entries: readonly ProjectionEntry[],
  row: Row,
  lookup: Lookup,
  version: string,
  type: string,
): Record<string, unknown> {
  const id = row['Id'];
  const record: Record<string, unknown> = {
    attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${String(id)}` },
  };
  for (const entry of entries) {
    if (entry.kind === 'field') {
      record[entry.key] = toJsonValue(entry.field, row[entry.field.name]);
      continue;
    }
    const parentId = row[entry.reference.name];
    const parent = typeof parentId === 'string' ? lookup(parentId) : undefined;
    const parentType = typeof parentId === 'string' ? typeOfId(parentId) : undefined;
    record[entry.key] =
      parent && parentType ? renderRecord(entry.entries, parent, lookup, version, parentType) : null;
  }
  return record;
}
