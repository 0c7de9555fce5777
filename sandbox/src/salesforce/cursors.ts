import { MINUTE_MS } from '@abm-pilot/shared';

import { makeId } from './ids.ts';
import type { QueryPlan } from './soql/plan.ts';
import type { Row } from './store.ts';

// Query cursors behind `nextRecordsUrl`. Like Salesforce, a cursor holds the result set of the query as
// it was when the query ran, expires after 15 minutes without use, and a user keeps at most 10 open:
// opening an 11th drops the least recently used one, whose locator then answers INVALID_QUERY_LOCATOR.

export const CURSOR_IDLE_MS = 15 * MINUTE_MS;
export const DEFAULT_BATCH_SIZE = 2000;
export const MIN_BATCH_SIZE = 200;

export interface Cursor {
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  readonly plan: QueryPlan;
  readonly rows: readonly Row[];
  readonly batchSize: number;
  /** `query` or `queryAll`: the resource `nextRecordsUrl` points back to. */
  readonly resource: 'query' | 'queryAll';
  lastUsedMs: number;
}

export interface CursorRegistry {
  readonly cursors: Map<string, Cursor>;
  readonly maxOpenPerUser: number;
  sequence: number;
}

export const createCursorRegistry = (maxOpenPerUser: number): CursorRegistry => ({
  cursors: new Map(),
  maxOpenPerUser,
  sequence: 0,
});

/** `Sforce-Query-Options: batchSize=N` within 200..2000; anything else means the default. */
export function batchSizeFrom(header: string | undefined): number | null {
  const match = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!match) return null;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

export function openCursor(
  registry: CursorRegistry,
  fields: Omit<Cursor, 'id' | 'lastUsedMs'>,
  pod: string,
  nowMs: number,
): Cursor {
  expireIdle(registry, nowMs);
  const mine = [...registry.cursors.values()]
    .filter((cursor) => cursor.userId === fields.userId && cursor.orgId === fields.orgId)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const stale of mine.slice(0, Math.max(0, mine.length - registry.maxOpenPerUser + 1))) {
    registry.cursors.delete(stale.id);
  }
  registry.sequence += 1;
  const cursor: Cursor = { ...fields, id: makeId('01g', pod, registry.sequence), lastUsedMs: nowMs };
  registry.cursors.set(cursor.id, cursor);
  return cursor;
}

/** `01gXXXXXXXXXXXXXXX-2000` → the cursor and the offset of the next batch, or null when unknown. */
export function resolveLocator(
  registry: CursorRegistry,
  locator: string,
  orgId: string,
  nowMs: number,
): { cursor: Cursor; offset: number } | null {
  expireIdle(registry, nowMs);
  const dash = locator.lastIndexOf('-');
  if (dash <= 0) return null;
  const cursor = registry.cursors.get(locator.slice(0, dash));
  const offset = Number(locator.slice(dash + 1));
  if (
    !cursor ||
    cursor.orgId !== orgId ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset > cursor.rows.length
  ) {
    return null;
  }
  cursor.lastUsedMs = nowMs;
  return { cursor, offset };
}

export function closeCursor(registry: CursorRegistry, id: string): void {
  registry.cursors.delete(id);
}

export function closeOrgCursors(registry: CursorRegistry, orgId: string): void {
  for (const [id, cursor] of registry.cursors) if (cursor.orgId === orgId) registry.cursors.delete(id);
}

function expireIdle(registry: CursorRegistry, nowMs: number): void {
  for (const [id, cursor] of registry.cursors) {
    if (nowMs - cursor.lastUsedMs > CURSOR_IDLE_MS) registry.cursors.delete(id);
  }
}
