import type {
  Alert,
  AlertTasksOf,
  GovernanceConfig,
  Instant,
  Responsible,
  SlaAlert,
  SlaInstance,
  Vocabulary,
} from '@abm-pilot/shared';
import {
  ALERT_TASK_PREFIX,
  alertsDue,
  DEFAULT_LOCALE,
  digestDayStartOf,
  fill,
  foldIntoDigests,
  localeOf,
  rolesOfGroup,
  vocabularyOf,
} from '@abm-pilot/shared';

import type { TaskWrite, Tenant } from '../model.ts';
import type { OutboxTask, Store } from '../store/ports.ts';
import { taskWriteOf } from './delivery.ts';

// The alert step of every run: the SLA tasks people should have open, from every clock of the tenant
// running now, made so in the outbox. Reminders, breaches and escalations go to those who answer for each
// clock, within each person's daily cap (the rest folded into one digest a day); the task of a clock that
// stopped, met or late, and a digest superseded are completed. Seeing all clocks at once, and counting what
// the outbox opened today, is what makes the cap and the digest hold across batches and runs; the outbox's
// keyed upsert makes a repeated step change nothing.

export interface AlertDeps {
  readonly store: Store;
  readonly clock: () => Instant;
}

/** Brings the outbox's SLA tasks in line with the alerts due now; returns how many alerts are due. */
export async function reconcileAlertTasks(
  deps: AlertDeps,
  tenant: Tenant,
  config: GovernanceConfig,
): Promise<number> {
  const { store } = deps;
  const tenantId = tenant.id;
  const now = deps.clock();
  const running = await store.openSlaInstances(tenantId);
  const alerts = alertsDue(running, now, await responsibilityOf(store, tenantId, running));
  const outbox = await store.slaTasks(tenantId, digestDayStartOf(now));
  const due = foldIntoDigests(alerts, config.sla.alertCapPerPersonPerDay, now, tasksByPerson(outbox, now));
  await store.enqueueTasks(
    tenantId,
    [...(await tasksOf(store, tenant, due)), ...completions(outbox, due)],
    now,
  );
  return alerts.length;
}

/**
 * Who answers for each clock. A person's clock (follow-up, feedback) is its owner's, escalated to the
 * manager it started with or, where the CRM knows no managers (HubSpot), to the sales managers of the
 * owner's team. An approval's clock names roles: the people holding them now, among active users.
 */
async function responsibilityOf(
  store: Store,
  tenantId: string,
  running: readonly SlaInstance[],
): Promise<(instance: SlaInstance) => Responsible> {
  if (running.length === 0) return () => ({ acting: [], escalation: [] });
  const [owners, mapping] = await Promise.all([store.listOwners(tenantId), store.userRoles(tenantId)]);
  const active = new Map(owners.filter((owner) => owner.active).map((owner) => [owner.crmId, owner]));
  const holders = (roles: readonly string[]): string[] =>
    mapping.users
      .filter((user) => active.has(user.crmUserId) && user.roles.some((role) => roles.includes(role)))
      .map((user) => user.crmUserId);
  const salesManagers = holders(['sales_manager']);
  const teamManagersOf = (ownerId: string): string[] => {
    const team = active.get(ownerId)?.team ?? null;
    return team === null ? [] : salesManagers.filter((id) => active.get(id)?.team === team);
  };
  return (instance) => {
    const actingRoles = rolesOfGroup(instance.ownerId);
    if (actingRoles !== null) {
      return {
        acting: holders(actingRoles),
        escalation: holders(rolesOfGroup(instance.managerId ?? '') ?? []),
      };
    }
    return {
      acting: [instance.ownerId],
      escalation: instance.managerId !== null ? [instance.managerId] : teamManagersOf(instance.ownerId),
    };
  };
}

const isAlertTask = (key: string): boolean => key.startsWith(ALERT_TASK_PREFIX);

/** Per person: the alert tasks still open, and how many were opened today (open or done since). */
function tasksByPerson(outbox: readonly OutboxTask[], now: Instant): ReadonlyMap<string, AlertTasksOf> {
  const dayStart = digestDayStartOf(now);
  const byPerson = new Map<string, { open: Set<string>; openedToday: number }>();
  for (const task of outbox) {
    if (!isAlertTask(task.key)) continue;
    const own = byPerson.get(task.assigneeCrmId) ?? { open: new Set<string>(), openedToday: 0 };
    if (task.status === 'open') own.open.add(task.key);
    if (task.openedAt !== null && task.openedAt >= dayStart) own.openedToday += 1;
    byPerson.set(task.assigneeCrmId, own);
  }
  return byPerson;
}

/** Open SLA tasks nothing calls for any more: their clock stopped, or a new day's digest replaces them. */
function completions(outbox: readonly OutboxTask[], due: readonly Alert[]): TaskWrite[] {
  const wanted = new Set(due.map((alert) => alert.taskKey));
  return outbox
    .filter((task) => task.status === 'open' && !wanted.has(task.key))
    .map((task) => ({ ...taskWriteOf(task), status: 'completed' }));
}

/** The tasks the alerts ask for, each in the language of the person it is for (the tenant's otherwise). */
async function tasksOf(store: Store, tenant: Tenant, due: readonly Alert[]): Promise<TaskWrite[]> {
  if (due.length === 0) return [];
  const tenantId = tenant.id;
  const accountIds = due.flatMap((alert) =>
    alert.kind === 'digest' ? alert.folded.map((folded) => folded.accountId) : [alert.accountId],
  );
  const [names, recipients] = await Promise.all([
    store.accountNames(tenantId, accountIds),
    store.people(
      tenantId,
      due.map((alert) => alert.recipientId),
    ),
  ]);
  const nameOf = (accountId: string) => names.get(accountId) ?? accountId;
  const tenantLocale = tenant.language ?? DEFAULT_LOCALE;
  const wordsFor = (recipientId: string): Vocabulary => {
    const locale = recipients.get(recipientId)?.locale;
    return vocabularyOf(locale ? localeOf(locale) : tenantLocale);
  };
  return due.map((alert) => {
    const words = wordsFor(alert.recipientId);
    if (alert.kind !== 'digest') return alertTask(alert, nameOf(alert.accountId), words);
    return {
      key: alert.taskKey,
      accountCrmId: alert.folded[0]!.accountId,
      assigneeCrmId: alert.recipientId,
      subject: fill(words.task.digestSubject, { count: alert.folded.length }),
      body: alert.folded
        .map(
          (folded) =>
            `${words.task.title[folded.kind]} (${words.slaKind[folded.slaKind]}): ${nameOf(folded.accountId)}`,
        )
        .join('\n'),
      dueAt: Math.min(...alert.folded.map((folded) => folded.dueAt)),
      priority: 'medium',
      status: 'open',
    };
  });
}

const PRIORITY: Readonly<Record<SlaAlert['kind'], TaskWrite['priority']>> = {
  reminder: 'medium',
  breach: 'high',
  escalation: 'high',
};

function alertTask(alert: SlaAlert, accountName: string, words: Vocabulary): TaskWrite {
  return {
    key: alert.taskKey,
    accountCrmId: alert.accountId,
    assigneeCrmId: alert.recipientId,
    subject: fill(words.task.subject, {
      title: words.task.title[alert.kind],
      todo: words.task.todo[alert.slaKind],
      account: accountName,
    }),
    body: fill(words.task.body, {
      sla: words.slaKind[alert.slaKind],
      account: accountName,
      due: new Date(alert.dueAt).toISOString(),
    }),
    dueAt: alert.dueAt,
    priority: PRIORITY[alert.kind],
    status: 'open',
  };
}
