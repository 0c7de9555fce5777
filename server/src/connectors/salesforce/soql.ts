import type { Instant } from '@abm-pilot/shared';

import type { SyncCursor } from '../../model.ts';

// SOQL for incremental reads. Records are read in (SystemModstamp, Id) order, the order the cursor is
// saved in, so a pull can resume from any saved record. SystemModstamp has whole-second precision,
// so thousands of records can share one stamp: the Id breaks the tie.

/** Where a read starts: at `modifiedAt` inclusive, or strictly after (`modifiedAt`, `afterId`). */
export interface KeysetBound {
  readonly modifiedAt: Instant;
  /** Null: every record stamped `modifiedAt` is included. */
  readonly afterId: string | null;
}

export interface SelectSpec {
  readonly sobject: string;
  readonly fields: readonly string[];
  /** SOQL conditions, ANDed. */
  readonly filters: readonly string[];
  readonly from: KeysetBound | null;
}

const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** A 15- or 18-character record id, the only text `soqlId` quotes. */
export const isSalesforceId = (id: string): boolean => SALESFORCE_ID.test(id);

/** A quoted Id literal; anything else is refused, so a stored cursor can never inject SOQL. */
export function soqlId(id: string): string {
  if (!isSalesforceId(id)) throw new RangeError(`not a Salesforce id: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** `2026-07-01T12:00:00Z`, floored to the second: stamps have no milliseconds, and flooring only widens a lower bound. */
export function soqlDatetime(at: Instant): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function keysetCondition(bound: KeysetBound): string {
  const at = soqlDatetime(bound.modifiedAt);
  if (bound.afterId === null) return `SystemModstamp >= ${at}`;
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlId(bound.afterId)}))`;
}

export function selectSoql(spec: SelectSpec): string {
  const conditions = [...spec.filters, ...(spec.from ? [keysetCondition(spec.from)] : [])];
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${spec.fields.join(', ')} FROM ${spec.sobject}${where} ORDER BY SystemModstamp, Id`;
}

export function selectByIdsSoql(sobject: string, fields: readonly string[], ids: readonly string[]): string {
  return `SELECT ${fields.join(', ')} FROM ${sobject} WHERE Id IN (${ids.map(soqlId).join(', ')})`;
}

/**
 * Where an incremental pull starts. With an overlap, the window before the cursor is read again
 * (inclusive, every Id): a record committed late with an older stamp is still seen, and the upserts
 * downstream make the re-read harmless. Without one, the read resumes exactly after the cursor.
 */
export function resumeBound(since: SyncCursor, overlapMs: number): KeysetBound {
  return overlapMs > 0
    ? { modifiedAt: since.modifiedAt - overlapMs, afterId: null }
    : { modifiedAt: since.modifiedAt, afterId: since.crmId };
}

export interface Keyed {
  readonly modifiedAt: Instant;
  readonly crmId: string;
}

/** The order of `ORDER BY SystemModstamp, Id`: Ids compare as case-sensitive strings, as SOQL does. */
export const compareKeyed = (a: Keyed, b: Keyed): number =>
  a.modifiedAt - b.modifiedAt || (a.crmId < b.crmId ? -1 : a.crmId > b.crmId ? 1 : 0);
