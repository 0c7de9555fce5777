import { DAY_MS, MINUTE_MS } from '@abm-pilot/shared';

// The org's daily API allocation, counted over a rolling 24 hours in one-minute buckets, as
// Salesforce does. `Sforce-Limit-Info: api-usage=used/limit` reports it on every API response.

export interface ApiUsage {
  limit: number;
  /** Minute index → calls in that minute, oldest first. */
  readonly buckets: Map<number, number>;
  total: number;
}

export const DEFAULT_DAILY_API_LIMIT = 100_000;

export const createApiUsage = (limit: number): ApiUsage => ({ limit, buckets: new Map(), total: 0 });

export function usedCalls(usage: ApiUsage, nowMs: number): number {
  const oldestKept = Math.floor((nowMs - DAY_MS) / MINUTE_MS);
  for (const [minute, count] of usage.buckets) {
    if (minute > oldestKept) break;
    usage.buckets.delete(minute);
    usage.total -= count;
  }
  return usage.total;
}

export function recordCalls(usage: ApiUsage, nowMs: number, calls = 1): void {
  const minute = Math.floor(nowMs / MINUTE_MS);
  usage.buckets.set(minute, (usage.buckets.get(minute) ?? 0) + calls);
  usage.total += calls;
}

/** Sets the calls used in the last 24 hours to `used`, as if they had all been made just now. */
export function setUsedCalls(usage: ApiUsage, used: number, nowMs: number): void {
  usage.buckets.clear();
  usage.total = 0;
  if (used > 0) recordCalls(usage, nowMs, used);
}

export const limitInfoHeader = (usage: ApiUsage, nowMs: number): string =>
  `api-usage=${usedCalls(usage, nowMs)}/${usage.limit}`;
