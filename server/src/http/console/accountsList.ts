import type {
  ConsoleAccountRow,
  ConsoleAccountsQuery,
  Instant,
  MetricSegment,
  SlaInstance,
  SlaStatus,
  TierOrNone,
} from '@abm-pilot/shared';
import { slaStatus, tierDrift, tierRank } from '@abm-pilot/shared';

import type { ConsoleAccountRecord } from '../../store/ports.ts';

// The console's accounts list as a pure function of the store's records, the running SLA clocks and the
// accounts with a pending approval: filter, sort and page, with the same drift and SLA status as the card.

type RunningStatus = Exclude<SlaStatus, 'met'>;
const SLA_SEVERITY: Readonly<Record<RunningStatus | 'none', number>> = {
  none: 0,
  on_track: 1,
  at_risk: 2,
  breached: 3,
};

/** The worst status among an account's running clocks, `null` when none runs. */
export function worstSla(instances: readonly SlaInstance[], now: Instant): RunningStatus | null {
  let worst: RunningStatus | null = null;
  for (const instance of instances) {
    const status = slaStatus(instance, now);
    if (status === 'met') continue;
    if (worst === null || SLA_SEVERITY[status] > SLA_SEVERITY[worst]) worst = status;
  }
  return worst;
}

export const inSegment = (tier: TierOrNone, segment: MetricSegment | undefined): boolean =>
  segment === undefined || segment === 'all'
    ? true
    : segment === 'abm'
      ? tier !== null
      : segment === 'non_abm'
        ? tier === null
        : tier === segment;

export function accountRowOf(
  record: ConsoleAccountRecord,
  running: readonly SlaInstance[],
  pendingApproval: boolean,
  now: Instant,
): ConsoleAccountRow {
  const drift = tierDrift(record.tier, record.recommendedTier);
  return {
    crmId: record.crmId,
    name: record.name,
    tier: record.tier,
    recommendedTier: record.recommendedTier,
    score: record.score,
    drift:
      record.recommendedTier === null && record.score === null
        ? { steps: 0, direction: 'none' }
        : { steps: drift.steps, direction: drift.direction },
    sla: worstSla(running, now),
    owner: record.owner === null ? null : { userId: record.owner.crmId, name: record.owner.name },
    pendingApproval,
  };
}

/** Higher reads "more": tier_1 above tier_3 above untargeted, a breach above a clock on track. */
const SORT_KEYS = {
  name: (row) => row.name.toLocaleLowerCase('en'),
  owner: (row) => (row.owner?.name ?? row.owner?.userId ?? '').toLocaleLowerCase('en'),
  score: (row) => row.score ?? -1,
  drift: (row) => row.drift.steps,
  sla: (row) => SLA_SEVERITY[row.sla ?? 'none'],
  tier: (row) => -tierRank(row.tier),
} as const satisfies Record<ConsoleAccountsQuery['sort'], (row: ConsoleAccountRow) => string | number>;

const matches = (
  row: ConsoleAccountRow,
  query: ConsoleAccountsQuery,
  needle: string | null,
  ids: ReadonlySet<string> | null,
): boolean =>
  (ids === null || ids.has(row.crmId)) &&
  (needle === null || row.name.toLocaleLowerCase('en').includes(needle)) &&
  inSegment(row.tier, query.segment) &&
  (query.sla === undefined || (row.sla ?? 'none') === query.sla) &&
  (query.drift === undefined ||
    (query.drift === 'drifting' ? row.drift.direction !== 'none' : row.drift.direction === query.drift));

/** Filters, sorts (ties by name, then id, always ascending) and pages the list. */
export function accountsPage(
  rows: readonly ConsoleAccountRow[],
  query: ConsoleAccountsQuery,
): { total: number; accounts: ConsoleAccountRow[] } {
  const needle = query.q ? query.q.toLocaleLowerCase('en') : null;
  const key = SORT_KEYS[query.sort];
  const direction = query.order === 'asc' ? 1 : -1;
  const compare = (a: ConsoleAccountRow, b: ConsoleAccountRow) => {
    const ka = key(a);
    const kb = key(b);
    const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
    return primary * direction || a.name.localeCompare(b.name, 'en') || a.crmId.localeCompare(b.crmId);
  };
  const ids = query.ids ? new Set(query.ids) : null;
  const kept = rows.filter((row) => matches(row, query, needle, ids)).sort(compare);
  return { total: kept.length, accounts: kept.slice(query.offset, query.offset + query.limit) };
}
