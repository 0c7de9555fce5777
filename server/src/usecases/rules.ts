import { createHash } from 'node:crypto';

import type {
  Actor,
  BusinessHours,
  GovernanceConfig,
  Instant,
  Role,
  SlaEvent,
  SlaInstance,
} from '@abm-pilot/shared';
import { applySlaEvent, DAY_MS, DEFAULT_GOVERNANCE_CONFIG, ROLES, withTimezone } from '@abm-pilot/shared';

import type { CrmOwner } from '../model.ts';
import type { AccountContext, Store } from '../store/ports.ts';

// The rules every use case applies the same way, written once: which config and calendar hold, how much
// history an account is computed on, in which role a person acts, how approvals are named, and how the
// SLA events of a decision move an account's clocks.

/** Engagements older than this say nothing about an account's interest any more. */
export const ENGAGEMENT_WINDOW_MS = 90 * DAY_MS;

/** A person acting through a card, the console or a CRM edit: their CRM user id and governance roles. */
export interface Person {
  readonly userId: string;
  readonly roles: readonly Role[];
}

export async function governanceConfigOf(store: Store, tenantId: string): Promise<GovernanceConfig> {
  return (await store.currentGovernanceConfig(tenantId))?.config ?? DEFAULT_GOVERNANCE_CONFIG;
}

/** SLA and approval clocks run on the business hours of the account owner's zone. */
export const calendarOf = (config: GovernanceConfig, owner: CrmOwner | null): BusinessHours =>
  withTimezone(config.businessHours, owner?.timezone ?? null);

/** One live account with everything a decision or a computation needs; `null` when unknown or removed. */
export async function loadAccount(
  store: Store,
  tenantId: string,
  accountCrmId: string,
  now: Instant,
): Promise<AccountContext | null> {
  const [context] = await store.loadAccountContexts(tenantId, [accountCrmId], now - ENGAGEMENT_WINDOW_MS);
  return context ?? null;
}

/** The role a person acts in: their most senior mapped role (ROLES runs from the Chief ABM Officer down). */
export function actingRole(roles: readonly Role[]): Role | null {
  return ROLES.find((role) => roles.includes(role)) ?? null;
}

/** `preferred` first (an approval's approver roles), else the most senior; `null` without any role. */
export function actorOf(person: Person, preferred?: readonly Role[]): Actor | null {
  const role =
    (preferred ?? []).find((candidate) => person.roles.includes(candidate)) ?? actingRole(person.roles);
  return role === null ? null : { userId: person.userId, role };
}

/**
 * Who a request is made by. A person without a mapped role asks as the least-privileged role would, so the
 * rules refuse or route it to a human rather than guess at rights nobody gave.
 */
export const requesterOf = (person: Person): Actor =>
  actorOf(person) ?? { userId: person.userId, role: 'sales_rep' };

/** Approvals are named by account and instant: a replayed computation opens the same one, not a second. */
export const approvalIdFor = (accountCrmId: string, now: Instant): string => `apr_${accountCrmId}_${now}`;

/**
 * The account's SLA clocks after the events a decision causes, in order. The events decisions make (starts,
 * stops) cannot fail; only a handover answer can, and its use case checks the reason code first.
 */
export function withSlaEvents(
  instances: readonly SlaInstance[],
  events: readonly SlaEvent[],
  config: GovernanceConfig,
  calendar: BusinessHours,
): readonly SlaInstance[] {
  let current = instances;
  for (const event of events) {
    const result = applySlaEvent(current, event, config, () => calendar);
    if (result.ok) current = result.value;
  }
  return current;
}

/** Where an SLA clock of the account starts: its owner, escalating to the owner's manager. */
export function clockStartOf(
  context: AccountContext,
  at: Instant,
): { accountId: string; ownerId: string; managerId: string | null; at: Instant } | null {
  const ownerId = context.account.ownerCrmId;
  if (ownerId === null) return null;
  return {
    accountId: context.account.crmId,
    ownerId,
    managerId: context.owner?.managerCrmId ?? null,
    at,
  };
}

/** What makes two requests "the same" for an idempotency key: route, account, actor and body. */
export const fingerprintOf = (...parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');
