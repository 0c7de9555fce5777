import type {
  CalendarMonth,
  DeliveryShortfall,
  GovernanceConfig,
  Instant,
  Locale,
  MarketingDelivery,
  MarketingDeliveryResponse,
  Role,
  Vocabulary,
} from '@abm-pilot/shared';
import {
  addBusinessHours,
  businessHoursPerDay,
  calendarMonthAt,
  calendarMonthNamed,
  deliveryPeriodToWire,
  deliveryShortfalls,
  DEFAULT_GOVERNANCE_CONFIG,
  DEFAULT_LOCALE,
  fill,
  handoverDelivery,
  instantToIso,
  localeOf,
  monthsToRecord,
  vocabularyOf,
} from '@abm-pilot/shared';

import type { CrmConnector } from '../connectors/ports.ts';
import type { TaskWrite } from '../model.ts';
import type { DeliveryMonthRecord, Store } from '../store/ports.ts';

// The marketing_delivery SLA on the schedule: each calendar month (in the tenant's zone) that closed and is
// not recorded yet is measured from its handovers and recorded; when marketing missed its commitment for a
// tier (too few MQAs, or too few accepted by sales), each ABM manager gets one CRM task for the month,
// saying which tiers missed and by how much. The month and its tasks are saved in one transaction and the
// tasks are keyed by month and person, so a crash or a second sweep neither loses nor doubles one; the
// run's task delivery sends them.

export interface MarketingDeliveryDeps {
  readonly store: Store;
  readonly connector: CrmConnector;
  readonly clock: () => Instant;
}

export interface DeliveryCheck {
  /** Months recorded by this check, oldest first. */
  readonly recorded: readonly string[];
  readonly tasksRaised: number;
}

/** Task keys of this SLA start with this; the SLA alerts' own (`task:`, `digest:`) never do. */
export const DELIVERY_TASK_PREFIX = 'delivery:';

/** Who answers for marketing's delivery, in this order: the ABM managers, else the Chief ABM Officer. */
const ACCOUNTABLE: readonly Role[] = ['abm_manager', 'chief_abm_officer'];

export async function checkMarketingDelivery(deps: MarketingDeliveryDeps): Promise<DeliveryCheck> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  const now = deps.clock();
  const watchedSince = await store.watchMarketingDelivery(tenantId, now);
  const { config, version } = await configVersionOf(store, tenantId);
  const zone = config.businessHours.timezone;
  const [last] = await store.deliveryMonths(tenantId, 1);
  const due = monthsToRecord({ watchedSince, lastRecorded: last?.month ?? null, now, zone });

  const recorded: string[] = [];
  let tasksRaised = 0;
  for (const month of due) {
    const delivery = await measure(store, tenantId, month, config);
    const minAcceptanceRate = config.sla.marketingDelivery.minAcceptanceRate;
    const shortfalls = deliveryShortfalls(delivery, minAcceptanceRate);
    const tasks = shortfalls.length === 0 ? [] : await tasksFor(deps, config, month, shortfalls, now);
    const record: DeliveryMonthRecord = {
      month: month.month,
      periodStart: month.start,
      periodEnd: month.end,
      delivery,
      minAcceptanceRate,
      missed: shortfalls.length > 0,
      configVersion: version,
      recordedAt: now,
    };
    if (await store.recordDeliveryMonth(tenantId, record, tasks)) {
      recorded.push(month.month);
      tasksRaised += tasks.length;
    }
  }
  return { recorded, tasksRaised };
}

/** What the dashboard shows: the month so far, against its prorated commitment, and the months recorded. */
export async function marketingDeliveryReport(
  deps: { readonly store: Store; readonly clock: () => Instant },
  tenantId: string,
  months: number,
): Promise<MarketingDeliveryResponse> {
  const { store } = deps;
  const now = deps.clock();
  const { config } = await configVersionOf(store, tenantId);
  const zone = config.businessHours.timezone;
  const month = calendarMonthAt(now, zone);
  // Before the first sweep watched it, the month is read from its start: the handovers are there already.
  const start = Math.max(month.start, (await store.marketingDeliveryWatchedSince(tenantId)) ?? month.start);
  const minAcceptanceRate = config.sla.marketingDelivery.minAcceptanceRate;
  // What happened at `now` (a handover just made, an answer just given) has happened: it counts so far.
  const measured = { start, end: now + 1 };
  const currentMonth =
    now > start
      ? deliveryPeriodToWire(
          month,
          { start, end: now },
          await measure(store, tenantId, measured, config),
          minAcceptanceRate,
        )
      : null;
  const recorded = await store.deliveryMonths(tenantId, months);
  return {
    asOf: instantToIso(now),
    timezone: zone,
    currentMonth,
    months: recorded.map((record) => ({
      ...deliveryPeriodToWire(
        calendarMonthNamed(record.month, zone),
        { start: record.periodStart, end: record.periodEnd },
        record.delivery,
        record.minAcceptanceRate,
      ),
      recordedAt: instantToIso(record.recordedAt),
      configVersion: record.configVersion,
    })),
  };
}

async function configVersionOf(
  store: Store,
  tenantId: string,
): Promise<{ readonly config: GovernanceConfig; readonly version: number }> {
  const current = await store.currentGovernanceConfig(tenantId);
  return current === null
    ? { config: DEFAULT_GOVERNANCE_CONFIG, version: DEFAULT_GOVERNANCE_CONFIG.version }
    : { config: current.config, version: current.version };
}

async function measure(
  store: Store,
  tenantId: string,
  period: { readonly start: Instant; readonly end: Instant },
  config: GovernanceConfig,
): Promise<MarketingDelivery> {
  const handovers = await store.handoversStarted(tenantId, period.start, period.end);
  return handoverDelivery(handovers, period, config);
}

/**
 * One task for the month to each ABM manager still active in the CRM (the Chief ABM Officer when there is
 * none), in the language the CRM gives them, else the tenant's.
 */
async function tasksFor(
  deps: MarketingDeliveryDeps,
  config: GovernanceConfig,
  month: CalendarMonth,
  shortfalls: readonly DeliveryShortfall[],
  now: Instant,
): Promise<TaskWrite[]> {
  const { store, connector } = deps;
  const tenantId = connector.tenant.id;
  const recipients = await accountableOf(store, tenantId);
  if (recipients.length === 0) return [];
  const people = await store.people(tenantId, recipients);
  const zone = config.businessHours.timezone;
  // A business day to look into it and agree what marketing does about it.
  const dueAt = addBusinessHours(now, businessHoursPerDay(config.businessHours), config.businessHours);
  return recipients.map((recipientId) => {
    const locale = people.get(recipientId)?.locale;
    const words = vocabularyOf(locale ? localeOf(locale) : (connector.tenant.language ?? DEFAULT_LOCALE));
    const monthName = monthNameOf(month.start, zone, words.locale);
    return {
      key: `${DELIVERY_TASK_PREFIX}${month.month}:${recipientId}`,
      accountCrmId: null,
      assigneeCrmId: recipientId,
      subject: fill(words.task.deliverySubject, {
        month: monthName,
        tiers: shortfalls.map((shortfall) => words.tier[shortfall.tier]).join(', '),
      }),
      body: [fill(words.task.deliveryBody, { month: monthName }), ...shortfallLines(shortfalls, words)].join(
        '\n',
      ),
      dueAt,
      priority: 'high',
      status: 'open',
    };
  });
}

async function accountableOf(store: Store, tenantId: string): Promise<readonly string[]> {
  for (const role of ACCOUNTABLE) {
    const holders = await store.usersWithRole(tenantId, role);
    const active: string[] = [];
    for (const userId of holders) {
      // A task assigned to someone who left the CRM would be refused there.
      if ((await store.getOwner(tenantId, userId))?.active === true) active.push(userId);
    }
    if (active.length > 0) return active;
  }
  return [];
}

function shortfallLines(shortfalls: readonly DeliveryShortfall[], words: Vocabulary): string[] {
  const percent = new Intl.NumberFormat(words.locale, { style: 'percent', maximumFractionDigits: 0 });
  return shortfalls.flatMap((shortfall) => {
    const tier = words.tier[shortfall.tier];
    const lines: string[] = [];
    if (shortfall.missingMqas > 0) {
      lines.push(
        fill(words.task.deliveryShortOfMqas, {
          tier,
          delivered: shortfall.delivered,
          committed: shortfall.committed,
          missing: shortfall.missingMqas,
        }),
      );
    }
    if (shortfall.acceptance !== null) {
      lines.push(
        fill(words.task.deliveryBelowAcceptance, {
          tier,
          rate: percent.format(shortfall.acceptance.rate),
          minimum: percent.format(shortfall.acceptance.minimum),
          accepted: shortfall.acceptance.accepted,
          answered: shortfall.acceptance.answered,
        }),
      );
    }
    return lines;
  });
}

const monthNameOf = (start: Instant, zone: string, locale: Locale): string =>
  new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: zone }).format(start);
