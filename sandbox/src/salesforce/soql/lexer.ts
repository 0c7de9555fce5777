import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

// SOQL tokens. Keywords are not told apart from identifiers here: SOQL keywords are case-insensitive
// and some (e.g. `Type`, `Name`) double as field names, so the parser decides from context.

export type TokenKind = 'identifier' | 'string' | 'number' | 'date' | 'datetime' | 'symbol' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for strings: the unescaped value). */
  readonly text: string;
  /** 0-based offset in the query. */
  readonly offset: number;
}

export interface SyntaxError {
  readonly offset: number;
  readonly message: string;
}

const SYMBOLS = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', ':'] as const;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?(?![\w])/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  // LIKE wildcards stay escaped: the LIKE matcher reads `\%` and `\_` as literals.
  '%': '\\%',
  _: '\\_',
};

export function tokenize(soql: string): Result<Token[], SyntaxError> {
  const tokens: Token[] = [];
  let offset = 0;
  while (offset < soql.length) {
    const char = soql[offset] ?? '';
    if (/\s/.test(char)) {
      offset++;
      continue;
    }
    const rest = soql.slice(offset, offset + 64);
    if (char === "'") {
      const scanned = scanString(soql, offset);
      if (!scanned.ok) return scanned;
      tokens.push({ kind: 'string', text: scanned.value.text, offset });
      offset = scanned.value.end;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', text: datetime[0], offset });
      offset += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', text: date[0], offset });
      offset += date[0].length;
      continue;
    }
    const number = NUMBER.exec(soql.slice(offset));
    if (number && (char !== '-' || expectsValue(tokens))) {
      tokens.push({ kind: 'number', text: number[0], offset });
      offset += number[0].length;
      continue;
    }
    const identifier = IDENTIFIER.exec(soql.slice(offset));
    if (identifier) {
      tokens.push({ kind: 'identifier', text: identifier[0], offset });
      offset += identifier[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => soql.startsWith(candidate, offset));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, offset });
      offset += symbol.length;
      continue;
    }
    return err({ offset, message: `unexpected token: '${char}'` });
  }
  tokens.push({ kind: 'end', text: '', offset: soql.length });
  return ok(tokens);
}

/** A minus sign starts a number only where a value is expected (after an operator, `(` or `,`). */
function expectsValue(tokens: readonly Token[]): boolean {
  const previous = tokens[tokens.length - 1];
  return previous?.kind === 'symbol' && previous.text !== ')' && previous.text !== '.';
}

function scanString(soql: string, start: number): Result<{ text: string; end: number }, SyntaxError> {
  let text = '';
  let offset = start + 1;
  while (offset < soql.length) {
    const char = soql[offset] ?? '';
    if (char === "'") return ok({ text, end: offset + 1 });
    if (char === '\\') {
      const next = soql[offset + 1] ?? '';
      const escaped = ESCAPES[next];
      if (escaped === undefined) return err({ offset, message: `Invalid string literal '${next}'` });
      text += escaped;
      offset += 2;
      continue;
    }
    text += char;
    offset++;
  }
  return err({ offset: start, message: 'unexpected token: <EOF>' });
}
