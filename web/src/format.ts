import type { CrmWriteStatus, MetricSegment, Role, SlaStatus, TierOrNone } from '@abm-pilot/shared';

// How the console writes numbers, money, tiers and instants: one place, so every table and chart agrees.

export const TIER_LABELS: Readonly<Record<MetricSegment, string>> = {
  tier_1: 'Tier 1',
  tier_2: 'Tier 2',
  tier_3: 'Tier 3',
  abm: 'All ABM',
  non_abm: 'Non-ABM',
  all: 'All accounts',
};

export const tierLabel = (tier: TierOrNone): string => (tier === null ? 'Not targeted' : TIER_LABELS[tier]);

export const SLA_LABELS: Readonly<Record<SlaStatus | 'none', string>> = {
  on_track: 'On track',
  at_risk: 'At risk',
  breached: 'Breached',
  met: 'Met',
  none: 'No clock',
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  chief_abm_officer: 'Chief ABM Officer',
  abm_committee: 'ABM committee',
  abm_manager: 'ABM manager',
  marketer: 'Marketer',
  sales_manager: 'Sales manager',
  sales_rep: 'Sales rep',
};

/** Where the CRM record stands after a decision, as the server saw it when it answered. */
export const crmWriteNote = (crmWrite: CrmWriteStatus | undefined): string =>
  crmWrite === 'done'
    ? ' The CRM record shows it now.'
    : crmWrite === 'pending'
      ? ' The CRM has not confirmed it yet: its record follows within a few minutes.'
      : '';

export const roleLabel = (role: string): string => ROLE_LABELS[role as Role] ?? role;

/** A share as a percentage with one decimal; `—` when there is nothing to divide by. */
export const percent = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)} %`;

export const decimal = (value: number | null, digits = 1): string =>
  value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);

export const integer = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Whole currency units: the dashboard reads orders of magnitude, not cents. */
export function money(value: number | null, currency: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    value,
  );
}

/** `2026-11-30 14:05 UTC`: meetings span time zones, so the console says which. */
export const instant = (iso: string | null): string =>
  iso === null ? '—' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export const day = (iso: string): string => iso.slice(0, 10);
