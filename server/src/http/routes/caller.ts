import { createHash } from 'node:crypto';

import type { Actor, BusinessHours, GovernanceConfig, Role, SlaEvent, SlaInstance } from '@abm-pilot/shared';
import { applySlaEvent, DEFAULT_GOVERNANCE_CONFIG, ROLES, withTimezone } from '@abm-pilot/shared';

import type { CrmOwner } from '../../model.ts';
import type { Store } from '../../store/ports.ts';
import type { CardUser } from '../auth.ts';

/** The role a user acts in: their most senior mapped role (ROLES runs from the Chief ABM Officer down). */
export function actingRole(roles: readonly Role[]): Role | null {
  return ROLES.find((role) => roles.includes(role)) ?? null;
}

export function actorOf(user: CardUser, preferred?: readonly Role[]): Actor | null {
  const role =
    (preferred ?? []).find((candidate) => user.roles.includes(candidate)) ?? actingRole(user.roles);
  return role === null ? null : { userId: user.userId, role };
}

export async function configOf(store: Store, tenantId: string): Promise<GovernanceConfig> {
  return (await store.currentGovernanceConfig(tenantId))?.config ?? DEFAULT_GOVERNANCE_CONFIG;
}

/** SLA and approval clocks run on the business hours of the account owner's zone. */
export const calendarOf = (config: GovernanceConfig, owner: CrmOwner | null): BusinessHours =>
  withTimezone(config.businessHours, owner?.timezone ?? null);

/** What makes two requests "the same" for an idempotency key: route, account, actor and body. */
export const fingerprintOf = (...parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/**
 * The account's SLA clocks after the events a decision causes, in order. The events the API makes (starts,
 * stops, decisions) cannot fail; only feedback can, and its route checks the reason code first.
 */
export function withSlaEvents(
  instances: readonly SlaInstance[],
  events: SlaEvent | readonly SlaEvent[],
  config: GovernanceConfig,
  calendar: BusinessHours,
): readonly SlaInstance[] {
  let current = instances;
  for (const event of Array.isArray(events) ? events : [events]) {
    const result = applySlaEvent(current, event as SlaEvent, config, () => calendar);
    if (result.ok) current = result.value;
  }
  return current;
}
