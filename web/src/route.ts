import type { ConsoleAccountsQuery } from '@abm-pilot/shared';
import {
  ConsoleAccountSortSchema,
  ConsoleSlaFilterSchema,
  CrmIdSchema,
  MetricSegmentSchema,
} from '@abm-pilot/shared';

// The console's pages live in the URL's hash (`#/accounts?segment=tier_1`), so the server serves one
// index.html and a reload or a shared link opens the same view. Parsing is total: anything unknown is
// the dashboard, an unknown filter value is dropped.

export type AccountFilters = Pick<ConsoleAccountsQuery, 'q' | 'segment' | 'sla' | 'drift'> & {
  readonly sort?: ConsoleAccountsQuery['sort'];
  readonly order?: ConsoleAccountsQuery['order'];
  readonly page?: number;
};

export type Route =
  | { readonly page: 'dashboard' }
  | { readonly page: 'accounts'; readonly filters: AccountFilters }
  | { readonly page: 'account'; readonly crmId: string }
  | { readonly page: 'approvals' }
  | { readonly page: 'review' }
  | { readonly page: 'audit' };

const DRIFTS = ['drifting', 'above', 'below', 'none'] as const;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(search);
  if (parts[0] === 'accounts' && parts.length === 2) {
    const crmId = safeDecode(parts[1] ?? '');
    return crmId !== null && CrmIdSchema.safeParse(crmId).success
      ? { page: 'account', crmId }
      : { page: 'dashboard' };
  }
  if (parts[0] === 'accounts') return { page: 'accounts', filters: filtersOf(params) };
  if (parts[0] === 'approvals') return { page: 'approvals' };
  if (parts[0] === 'review') return { page: 'review' };
  if (parts[0] === 'audit') return { page: 'audit' };
  return { page: 'dashboard' };
}

function filtersOf(params: URLSearchParams): AccountFilters {
  const q = params.get('q')?.trim();
  const segment = MetricSegmentSchema.safeParse(params.get('segment'));
  const sla = ConsoleSlaFilterSchema.safeParse(params.get('sla'));
  const drift = DRIFTS.find((value) => value === params.get('drift'));
  const sort = ConsoleAccountSortSchema.safeParse(params.get('sort'));
  const order = params.get('order');
  const page = Number(params.get('page'));
  return {
    ...(q ? { q: q.slice(0, 100) } : {}),
    ...(segment.success ? { segment: segment.data } : {}),
    ...(sla.success ? { sla: sla.data } : {}),
    ...(drift ? { drift } : {}),
    ...(sort.success ? { sort: sort.data } : {}),
    ...(order === 'asc' || order === 'desc' ? { order } : {}),
    ...(Number.isInteger(page) && page > 1 ? { page } : {}),
  };
}

/** The hash of a route; `parseRoute(hrefOf(route))` gives the route back. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'dashboard':
      return '#/dashboard';
    case 'approvals':
      return '#/approvals';
    case 'review':
      return '#/review';
    case 'audit':
      return '#/audit';
    case 'account':
      return `#/accounts/${encodeURIComponent(route.crmId)}`;
    case 'accounts': {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(route.filters)) {
        if (value !== undefined) params.set(key, String(value));
      }
      const search = params.toString();
      return `#/accounts${search ? `?${search}` : ''}`;
    }
  }
}

export const accountsHref = (filters: AccountFilters = {}): string => hrefOf({ page: 'accounts', filters });

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
