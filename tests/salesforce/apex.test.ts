import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { describe, expect, it } from 'vitest';

import { SOURCE_ROOT } from './metadata.ts';

// The Apex of the package compiles only in an org; here every class at least parses, and the LWC's
// imperative calls name methods and parameters the controller really has (Apex binds them by name).

const CLASSES_DIR = join(SOURCE_ROOT, 'classes');
const LWC_DIR = join(SOURCE_ROOT, 'lwc');

class CollectingListener extends ApexErrorListener {
  readonly errors: string[] = [];
  apexSyntaxError(line: number, column: number, msg: string): void {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

function syntaxErrors(source: string): string[] {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  parser.compilationUnit();
  return listener.errors;
}

const classFiles = readdirSync(CLASSES_DIR).filter((file) => file.endsWith('.cls'));
const readClass = (name: string) => readFileSync(join(CLASSES_DIR, `${name}.cls`), 'utf8');

/** `@AuraEnabled` methods of a class and their parameter names, in order. */
function auraEnabledMethods(source: string): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  for (const match of source.matchAll(/@AuraEnabled[^\n]*\s+public static [\w<>, ]+?\s(\w+)\(([^)]*)\)/g)) {
    const params = match[2]!
      .split(',')
      .map((param) => param.trim().split(/\s+/).pop() ?? '')
      .filter((name) => name !== '');
    methods.set(match[1]!, params);
  }
  return methods;
}

/** The text between the parentheses of a call starting at `open` (the index of `(`). */
function callArguments(source: string, open: number): string {
  let depth = 0;
  for (let index = open; index < source.length; index += 1) {
    const char = source[index];
    if (char === '(' || char === '{' || char === '[') depth += 1;
    if (char === ')' || char === '}' || char === ']') depth -= 1;
    if (depth === 0) return source.slice(open + 1, index);
  }
  throw new Error('unbalanced call');
}

/** Top-level keys of an object literal's body (`{ a, b: x(y, z) }` → a, b). */
function objectKeys(literal: string): string[] {
  const body = literal.trim().replace(/^\{/, '').replace(/\}$/, '');
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if ('({['.includes(char)) depth += 1;
    if (')}]'.includes(char)) depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => /^\s*(\w+)/.exec(part)?.[1] ?? '').filter((key) => key !== '');
}

interface ApexCall {
  readonly component: string;
  readonly className: string;
  readonly method: string;
  readonly keys: readonly string[];
}

function apexCallsOfComponents(): ApexCall[] {
  const calls: ApexCall[] = [];
  for (const component of readdirSync(LWC_DIR)) {
    let source: string;
    try {
      source = readFileSync(join(LWC_DIR, component, `${component}.js`), 'utf8');
    } catch {
      continue;
    }
    for (const imported of source.matchAll(/import (\w+) from '@salesforce\/apex\/(\w+)\.(\w+)';/g)) {
      const [, local, className, method] = imported as unknown as [string, string, string, string];
      const callSites = [...source.matchAll(new RegExp(`\\b${local}\\(`, 'g'))];
      expect(callSites.length, `${component} imports ${local} but never calls it`).toBeGreaterThan(0);
      for (const site of callSites) {
        const args = callArguments(source, site.index + local.length);
        calls.push({ component, className, method, keys: objectKeys(args) });
      }
    }
  }
  return calls;
}

describe('Apex source', () => {
  it('has the controller and its test class', () => {
    expect(classFiles.sort()).toEqual(['AbmPilotController.cls', 'AbmPilotControllerTest.cls']);
  });

  it.each(classFiles)('%s parses without a syntax error', (file) => {
    expect(syntaxErrors(readFileSync(join(CLASSES_DIR, file), 'utf8'))).toEqual([]);
  });

  it('reports a syntax error in broken Apex, so the check above can fail', () => {
    expect(syntaxErrors('public class Broken { public static void go( { }')).not.toEqual([]);
  });

  it('calls the server only through the AbmPilot named credential', () => {
    const source = readClass('AbmPilotController');
    expect(source).toContain("'callout:AbmPilot/api/v1'");
    expect(source).not.toMatch(/https?:\/\//);
  });

  it('tests every @AuraEnabled method of the controller', () => {
    const methods = [...auraEnabledMethods(readClass('AbmPilotController')).keys()];
    const tests = readClass('AbmPilotControllerTest');
    expect(methods.sort()).toEqual([
      'approve',
      'changeTier',
      'getCard',
      'getMarketingDelivery',
      'getMetrics',
      'getPortfolioReview',
      'handOver',
      'listApprovals',
      'recordReview',
      'reject',
      'sendHandoverFeedback',
    ]);
    for (const method of methods) expect(tests).toContain(`AbmPilotController.${method}(`);
  });
});

describe('LWC calls into Apex', () => {
  const calls = apexCallsOfComponents();
  const methods = auraEnabledMethods(readClass('AbmPilotController'));

  it('finds the calls of both components', () => {
    expect(new Set(calls.map((call) => call.component))).toEqual(
      new Set(['abmAccountCard', 'abmGovernance']),
    );
    expect(new Set(calls.map((call) => call.method))).toEqual(new Set(methods.keys()));
  });

  it.each(calls.map((call) => [`${call.component} → ${call.method}`, call] as const))(
    '%s passes exactly the parameters the method declares',
    (_name, call) => {
      expect(call.className).toBe('AbmPilotController');
      expect([...call.keys].sort()).toEqual([...(methods.get(call.method) ?? ['(no such method)'])].sort());
    },
  );
});
