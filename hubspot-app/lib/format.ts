import type {
  AccountSlaKind,
  CostCategory,
  CrmWriteStatus,
  MetricSegment,
  Role,
  SlaStatus,
  TierOrNone,
} from '@abm-pilot/shared';

// The words and numbers the extensions show, in one place so the card, the home page and the settings page
// say the same thing the same way.

export const tierLabel = (tier: TierOrNone): string =>
  tier === null ? 'Not targeted' : `Tier ${tier.slice('tier_'.length)}`;

/** Where the HubSpot record stands after a decision, as the server saw it when it answered. */
export const crmWriteNote = (crmWrite: CrmWriteStatus | undefined): string =>
  crmWrite === 'done'
    ? ' The HubSpot record shows it now.'
    : crmWrite === 'pending'
      ? ' HubSpot has not confirmed it yet: the record follows within a few minutes.'
      : '';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  chief_abm_officer: 'Chief ABM Officer',
  abm_committee: 'ABM committee',
  abm_manager: 'ABM manager',
  marketer: 'Marketer',
  sales_manager: 'Sales manager',
  sales_rep: 'Sales rep',
};

export const rolesLabel = (roles: readonly Role[]): string =>
  roles.length === 0 ? 'No ABM role' : roles.map((role) => ROLE_LABELS[role]).join(', ');

export const SLA_KIND_LABELS: Readonly<Record<AccountSlaKind, string>> = {
  sales_follow_up: 'Sales follow-up',
  sales_feedback: 'Sales feedback on handover',
  approval_decision: 'Approval decision',
};

/** `StatusTag` variants, as HubSpot's own cards colour health. */
export const SLA_STATUS: Readonly<
  Record<SlaStatus, { readonly label: string; readonly variant: 'success' | 'warning' | 'danger' | 'info' }>
> = {
  on_track: { label: 'On track', variant: 'success' },
  at_risk: { label: 'At risk', variant: 'warning' },
  breached: { label: 'Breached', variant: 'danger' },
  met: { label: 'Met', variant: 'info' },
};

export const SEGMENT_LABELS: Readonly<Record<MetricSegment, string>> = {
  tier_1: 'Tier 1',
  tier_2: 'Tier 2',
  tier_3: 'Tier 3',
  abm: 'All ABM',
  non_abm: 'Not ABM',
  all: 'All accounts',
};

export const COST_CATEGORY_LABELS: Readonly<Record<CostCategory, string>> = {
  programme_budget: 'Programme budget',
  sales_time: 'Sales time',
  content: 'Content',
  technology: 'Technology',
  training: 'Training',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 3 h", "3 h 20 min", "12 min": the two largest units, rounded down. */
export function durationLabel(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** Time left to an SLA's due instant, or how long it is overdue. */
export function timeLeftLabel(dueAt: string, now: number): string {
  const left = Date.parse(dueAt) - now;
  return left >= 0 ? `${durationLabel(left)} left` : `overdue by ${durationLabel(left)}`;
}

/** "15 Apr 2026, 09:30" in the portal's time zone. */
export function instantLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(iso));
}

export function moneyLabel(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
}

/** A ratio as a percentage, "—" when it has no denominator. */
export function percentLabel(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`;
}

export function numberLabel(value: number | null, digits = 1): string {
  return value === null ? '—' : value.toFixed(digits);
}
