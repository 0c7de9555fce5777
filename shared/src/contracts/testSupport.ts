import type { z } from 'zod';

import type { ApiIssue } from './errors.ts';
import { issuesOfZodError } from './errors.ts';

// Helpers of the contract tests: walking JSON examples and reading zod's verdicts as API issues.

export type JsonPath = readonly (string | number)[];

/** Every leaf (string, number, boolean, null) of a JSON value, with its path. */
export function jsonLeaves(value: unknown, path: JsonPath = []): [JsonPath, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => jsonLeaves(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => jsonLeaves(item, [...path, key]));
  }
  return [[path, value]];
}

/** A deep copy of `value` with the leaf at `path` replaced (or removed, for `undefined`). */
export function withLeaf(value: unknown, path: JsonPath, leaf: unknown): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return leaf;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (leaf === undefined) delete parent[last];
  else parent[last] = leaf;
  return copy;
}

/** A deep copy of an object example with one more key at `path` (an object inside it). */
export function withExtraKey(value: unknown, path: JsonPath, key: string): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let target = copy;
  for (const step of path) target = target[step] as Record<string | number, unknown>;
  target[key] = 'surprise';
  return copy;
}

/** The issues a schema finds in `input`, as the API reports them; `[]` when it parses. */
export function issuesOf(schema: z.ZodType, input: unknown): ApiIssue[] {
  const result = schema.safeParse(input);
  return result.success ? [] : issuesOfZodError(result.error);
}

export const isIsoInstantLeaf = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value);
