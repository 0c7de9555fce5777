import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { SyntaxError, Token } from './lexer.ts';
import { tokenize } from './lexer.ts';

// Recursive-descent parser for the SOQL subset ABM Pilot sends:
//   SELECT (COUNT() | path {, path}) FROM name [WHERE condition]
//   [ORDER BY path [ASC|DESC] [NULLS FIRST|LAST] {, ...}] [LIMIT n] [OFFSET n]
// As in SOQL, AND and OR cannot be mixed at one level without parentheses.

export interface FieldPath {
  /** As written, e.g. ['Owner', 'Name']. */
  readonly parts: readonly string[];
  readonly offset: number;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly offset: number }
  | { readonly kind: 'null'; readonly offset: number }
  | { readonly kind: 'date'; readonly value: string; readonly offset: number }
  | { readonly kind: 'datetime'; readonly value: number; readonly offset: number }
  | {
      readonly kind: 'dateLiteral';
      readonly name: string;
      readonly n: number | null;
      readonly offset: number;
    };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly Condition[] }
  | { readonly kind: 'not'; readonly term: Condition }
  | {
      readonly kind: 'compare';
      readonly field: FieldPath;
      readonly op: ComparisonOperator;
      readonly value: Literal;
    }
  | {
      readonly kind: 'in';
      readonly field: FieldPath;
      readonly negated: boolean;
      readonly values: readonly Literal[];
    }
  | { readonly kind: 'like'; readonly field: FieldPath; readonly value: Literal };

export interface OrderItem {
  readonly path: FieldPath;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface SoqlQuery {
  /** `null` for `SELECT COUNT()`. */
  readonly fields: readonly FieldPath[] | null;
  readonly from: { readonly name: string; readonly offset: number };
  readonly where: Condition | null;
  readonly orderBy: readonly OrderItem[];
  readonly limit: number | null;
  readonly offset: number | null;
}

/** Date literals without `:n` and those that take one (`LAST_N_DAYS:30`). */
export const DATE_LITERALS: ReadonlySet<string> = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);
export const DATE_LITERALS_WITH_N: ReadonlySet<string> = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'N_WEEKS_AGO',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'N_MONTHS_AGO',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'N_QUARTERS_AGO',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'N_YEARS_AGO',
]);

const CLAUSE_KEYWORDS = new Set([
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
]);
const UNSUPPORTED_CLAUSES = new Set(['GROUP', 'HAVING', 'WITH', 'FOR', 'USING']);

class ParseFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseSoql(soql: string): Result<SoqlQuery, SyntaxError> {
  const tokens = tokenize(soql);
  if (!tokens.ok) return tokens;
  try {
    return ok(new Parser(tokens.value).query());
  } catch (error) {
    if (error instanceof ParseFailure) return err({ offset: error.offset, message: error.message });
    throw error;
  }
}

const describeToken = (token: Token): string => (token.kind === 'end' ? '<EOF>' : `'${token.text}'`);

/** Far beyond any query a client writes by hand or builds, and far below what the stack holds. */
const MAX_CONDITION_DEPTH = 100;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields = this.selectList();
    this.expectKeyword('FROM');
    const fromToken = this.expectIdentifier();
    const from = { name: fromToken.text, offset: fromToken.offset };
    const next = this.peek();
    if (next.kind === 'identifier' && !CLAUSE_KEYWORDS.has(next.text.toUpperCase())) {
      throw this.unexpected(next, 'object aliases are not supported by the emulator');
    }
    let where: Condition | null = null;
    if (this.acceptKeyword('WHERE')) where = this.condition();
    this.rejectUnsupportedClause();
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.orderItem());
      while (this.acceptSymbol(','));
    }
    const limit = this.acceptKeyword('LIMIT') ? this.integer() : null;
    const offset = this.acceptKeyword('OFFSET') ? this.integer() : null;
    this.rejectUnsupportedClause();
    const end = this.peek();
    if (end.kind !== 'end') throw this.unexpected(end);
    return { fields, from, where, orderBy, limit, offset };
  }

  private selectList(): FieldPath[] | null {
    const first = this.peek();
    if (this.isKeyword(first, 'COUNT') && this.peek(1).text === '(') {
      this.index += 2;
      if (this.peek().text !== ')')
        throw this.unexpected(this.peek(), 'only COUNT() is supported by the emulator');
      this.index++;
      if (this.peek().text === ',')
        throw new ParseFailure(first.offset, 'COUNT() must be the only element in SELECT');
      return null;
    }
    const fields: FieldPath[] = [];
    do {
      const token = this.peek();
      if (token.text === '(') throw this.unexpected(token, 'subqueries are not supported by the emulator');
      if (this.isKeyword(token, 'FROM')) throw this.unexpected(token);
      fields.push(this.fieldPath());
      const after = this.peek();
      if (after.text === '(')
        throw this.unexpected(token, 'functions in SELECT are not supported by the emulator');
      if (after.kind === 'identifier' && !this.isKeyword(after, 'FROM')) throw this.unexpected(after);
    } while (this.acceptSymbol(','));
    return fields;
  }

  private fieldPath(): FieldPath {
    const first = this.expectIdentifier();
    const parts = [first.text];
    while (this.peek().text === '.') {
      this.index++;
      parts.push(this.expectIdentifier().text);
    }
    return { parts, offset: first.offset };
  }

  /** condition := unary ((AND unary)* | (OR unary)*) */
  private condition(): Condition {
    const first = this.unary();
    const joiner = this.peek();
    const kind = this.isKeyword(joiner, 'AND') ? 'and' : this.isKeyword(joiner, 'OR') ? 'or' : null;
    if (kind === null) return first;
    const terms = [first];
    while (this.acceptKeyword(kind.toUpperCase())) terms.push(this.unary());
    const other = this.peek();
    if (this.isKeyword(other, 'AND') || this.isKeyword(other, 'OR')) throw this.unexpected(other);
    return { kind, terms };
  }

  private unary(): Condition {
    const start = this.peek();
    if (this.acceptKeyword('NOT')) return this.nested(start, () => ({ kind: 'not', term: this.unary() }));
    if (this.acceptSymbol('(')) {
      return this.nested(start, () => {
        const inner = this.condition();
        this.expectSymbol(')');
        return inner;
      });
    }
    return this.simpleCondition();
  }

  /** Bounds the recursion, so that a query of thousands of `(` is a malformed query, not a stack overflow. */
  private nested(token: Token, parse: () => Condition): Condition {
    if (this.depth >= MAX_CONDITION_DEPTH) {
      throw this.unexpected(token, `conditions nested more than ${MAX_CONDITION_DEPTH} levels deep`);
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private simpleCondition(): Condition {
    const field = this.fieldPath();
    const token = this.peek();
    if (token.kind === 'symbol' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      this.index++;
      const op = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.isKeyword(token, 'LIKE')) {
      this.index++;
      return { kind: 'like', field, value: this.literal() };
    }
    const negated = this.isKeyword(token, 'NOT') && this.isKeyword(this.peek(1), 'IN');
    if (negated) this.index++;
    if (this.acceptKeyword('IN')) {
      this.expectSymbol('(');
      if (this.isKeyword(this.peek(), 'SELECT')) {
        throw this.unexpected(this.peek(), 'semi-joins are not supported by the emulator');
      }
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptSymbol(','));
      this.expectSymbol(')');
      return { kind: 'in', field, negated, values };
    }
    throw this.unexpected(token);
  }

  private literal(): Literal {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, offset: token.offset };
      case 'number':
        return { kind: 'number', value: Number(token.text), offset: token.offset };
      case 'date':
        if (!isValidDate(token.text)) throw new ParseFailure(token.offset, `invalid date: ${token.text}`);
        return { kind: 'date', value: token.text, offset: token.offset };
      case 'datetime': {
        const value = Date.parse(token.text);
        if (Number.isNaN(value)) throw new ParseFailure(token.offset, `invalid datetime: ${token.text}`);
        return { kind: 'datetime', value, offset: token.offset };
      }
      case 'identifier': {
        const upper = token.text.toUpperCase();
        if (upper === 'NULL') return { kind: 'null', offset: token.offset };
        if (upper === 'TRUE' || upper === 'FALSE') {
          return { kind: 'boolean', value: upper === 'TRUE', offset: token.offset };
        }
        if (DATE_LITERALS.has(upper))
          return { kind: 'dateLiteral', name: upper, n: null, offset: token.offset };
        if (DATE_LITERALS_WITH_N.has(upper)) {
          this.expectSymbol(':');
          return { kind: 'dateLiteral', name: upper, n: this.integer(), offset: token.offset };
        }
        break;
      }
      default:
        break;
    }
    this.index--;
    throw this.unexpected(token);
  }

  private orderItem(): OrderItem {
    const path = this.fieldPath();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsLast = false;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else this.expectKeyword('FIRST');
    }
    return { path, descending, nullsLast };
  }

  private integer(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
    this.index++;
    return Number(token.text);
  }

  private rejectUnsupportedClause(): void {
    const token = this.peek();
    if (token.kind === 'identifier' && UNSUPPORTED_CLAUSES.has(token.text.toUpperCase())) {
      throw this.unexpected(token, `${token.text.toUpperCase()} is not supported by the emulator`);
    }
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'identifier' && token.text.toUpperCase() === keyword;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(this.peek(), keyword)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(this.peek());
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.index++;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(this.peek());
  }

  private expectIdentifier(): Token {
    const token = this.peek();
    if (token.kind !== 'identifier') throw this.unexpected(token);
    this.index++;
    return token;
  }

  private unexpected(token: Token, detail?: string): ParseFailure {
    return new ParseFailure(token.offset, detail ?? `unexpected token: ${describeToken(token)}`);
  }
}

function isValidDate(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/**
 * Salesforce's message layout for query errors: the offending line, a caret under the column, then
 * `ERROR at Row:r:Column:c` and the reason. Long lines are cut to a window around the column.
 */
export function formatQueryError(soql: string, offset: number, reason: string): string {
  const before = soql.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEndIndex = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEndIndex === -1 ? soql.length : lineEndIndex);
  const column = offset - lineStart + 1;
  const windowStart = Math.max(0, column - 1 - 45);
  const excerpt = line.slice(windowStart, column - 1 + 35);
  const caret = ' '.repeat(column - 1 - windowStart);
  return `\n${excerpt}\n${caret}^\nERROR at Row:${row}:Column:${column}\n${reason}`;
}
