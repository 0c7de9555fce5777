import type { AlertKind, SlaKind } from '../config/vocabulary.ts';
import type { SlaInstance } from './sla.ts';
import { slaStatus } from './sla.ts';
import type { Instant } from './time.ts';

/**
 * An alert on one SLA instance for one person. `key` names the alert itself (kind, instance, recipient),
 * so the same state re-emits the same key and the outbox sends it once; `taskKey` names the CRM task it
 * opens or updates, one per instance and recipient, so a reminder and then a breach update the same task.
 *
 * product.md allows "at most one open task per SLA instance"; this reads it per recipient: the owner's
 * task (reminder, then breach) and, on escalation, a separate task for the manager, because a task has
 * one assignee in both CRMs and the manager must act without taking the owner's task away. Never two
 * open tasks for one person on one instance.
 */
export interface SlaAlert {
  readonly kind: Exclude<AlertKind, 'digest'>;
  readonly key: string;
  readonly taskKey: string;
  readonly recipientId: string;
  readonly instanceKey: string;
  readonly slaKind: SlaKind;
  readonly accountId: string;
  readonly dueAt: Instant;
}

/** The alerts beyond a person's daily cap, folded into one task per person and day. */
export interface DigestAlert {
  readonly kind: 'digest';
  /** Changes whenever the folded set changes, so the digest task is updated rather than duplicated. */
  readonly key: string;
  readonly taskKey: string;
  readonly recipientId: string;
  /** The day the digest belongs to, from `digestDayOf`. */
  readonly day: string;
  /** Most urgent first. */
  readonly folded: readonly SlaAlert[];
}

export type Alert = SlaAlert | DigestAlert;

/** A task to close because its SLA clock stopped: met in time, or answered late (the breach stays counted). */
export interface TaskClose {
  readonly key: string;
  readonly taskKey: string;
  readonly recipientId: string;
  readonly instanceKey: string;
  readonly reason: 'met' | 'stopped_late';
}

export interface DueAlerts {
  readonly alerts: readonly SlaAlert[];
  readonly closes: readonly TaskClose[];
}

/**
 * What the instances call for at `now`: a reminder to the owner when at risk, a breach alert to the
 * owner once past due, and also an escalation to the manager from `escalateAt` on (none without a
 * manager; a manager who owns the account gets the escalation only, one task per person). A stopped
 * instance closes the tasks it may have opened: the owner's if it stopped at or after `atRiskAt`, the
 * manager's if at or after `escalateAt`; earlier stops never opened any, so they are not mentioned.
 * No config is read: every threshold was fixed on the instance when its clock started.
 */
export function alertsDue(instances: readonly SlaInstance[], now: Instant): DueAlerts {
  const alerts: SlaAlert[] = [];
  const closes: TaskClose[] = [];
  for (const instance of instances) {
    const { ownerId, managerId, stoppedAt } = instance;
    if (stoppedAt !== null && stoppedAt <= now) {
      const reason = stoppedAt <= instance.dueAt ? 'met' : 'stopped_late';
      if (stoppedAt >= instance.atRiskAt) closes.push(taskClose(instance, ownerId, reason));
      if (managerId !== null && managerId !== ownerId && stoppedAt >= instance.escalateAt)
        closes.push(taskClose(instance, managerId, reason));
      continue;
    }
    const status = slaStatus(instance, now);
    const escalating = status === 'breached' && managerId !== null && now >= instance.escalateAt;
    if (status === 'at_risk') alerts.push(alert('reminder', instance, ownerId));
    if (status === 'breached' && !(escalating && managerId === ownerId))
      alerts.push(alert('breach', instance, ownerId));
    if (escalating) alerts.push(alert('escalation', instance, managerId));
  }
  return { alerts, closes };
}

function alert(kind: SlaAlert['kind'], instance: SlaInstance, recipientId: string): SlaAlert {
  return {
    kind,
    key: `${kind}:${instance.key}:${recipientId}`,
    taskKey: taskKeyOf(instance, recipientId),
    recipientId,
    instanceKey: instance.key,
    slaKind: instance.kind,
    accountId: instance.accountId,
    dueAt: instance.dueAt,
  };
}

function taskClose(instance: SlaInstance, recipientId: string, reason: TaskClose['reason']): TaskClose {
  const taskKey = taskKeyOf(instance, recipientId);
  return { key: `close:${taskKey}`, taskKey, recipientId, instanceKey: instance.key, reason };
}

const taskKeyOf = (instance: SlaInstance, recipientId: string): string =>
  `task:${instance.key}:${recipientId}`;

const URGENCY: Readonly<Record<SlaAlert['kind'], number>> = { escalation: 0, breach: 1, reminder: 2 };

/** Escalation before breach before reminder, then the earliest due, then the key for a total order. */
export function compareUrgency(a: SlaAlert, b: SlaAlert): number {
  return (
    URGENCY[a.kind] - URGENCY[b.kind] || a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * The day the alert cap counts over and a digest belongs to: the UTC date (YYYY-MM-DD) of `now`. UTC,
 * not each recipient's zone, because tasks are dated by the CRM in its own time anyway and the day only
 * scopes the cap; one zone-free day lets the caller count `alreadyOpenedToday` the same way for everyone.
 */
export const digestDayOf = (now: Instant): string => new Date(now).toISOString().slice(0, 10);

const NOTHING_OPENED: ReadonlySet<string> = new Set();

/**
 * Caps the alert tasks each person receives per day. `alreadyOpenedToday` holds, per recipient, the task
 * keys of the alert tasks (not digests) opened for them since the start of `digestDayOf(now)`; they count
 * against the cap. An alert on one of those tasks only updates it, so it is always kept. Of the other
 * alerts, the most urgent fill what is left of `capPerPersonPerDay` and the rest fold into one digest
 * per recipient and day. Nothing is lost: kept plus folded is the input. The output does not depend on
 * the input order: recipients in id order, each one's kept alerts by urgency, then the digest.
 */
export function foldIntoDigests(
  alerts: readonly SlaAlert[],
  capPerPersonPerDay: number,
  now: Instant,
  alreadyOpenedToday: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): readonly Alert[] {
  if (!Number.isInteger(capPerPersonPerDay) || capPerPersonPerDay < 1)
    throw new RangeError(`the cap must be a positive integer, got ${capPerPersonPerDay}`);
  const byRecipient = new Map<string, SlaAlert[]>();
  for (const alert of alerts) {
    const own = byRecipient.get(alert.recipientId);
    if (own === undefined) byRecipient.set(alert.recipientId, [alert]);
    else own.push(alert);
  }
  const day = digestDayOf(now);
  const result: Alert[] = [];
  for (const recipientId of [...byRecipient.keys()].sort()) {
    const opened = alreadyOpenedToday.get(recipientId) ?? NOTHING_OPENED;
    let room = Math.max(0, capPerPersonPerDay - opened.size);
    const kept: SlaAlert[] = [];
    const folded: SlaAlert[] = [];
    for (const alert of (byRecipient.get(recipientId) as SlaAlert[]).sort(compareUrgency)) {
      if (opened.has(alert.taskKey)) kept.push(alert);
      else if (room > 0) {
        kept.push(alert);
        room -= 1;
      } else folded.push(alert);
    }
    result.push(...kept);
    if (folded.length === 0) continue;
    const taskKey = `digest:${recipientId}:${day}`;
    result.push({
      kind: 'digest',
      key: `${taskKey}:${fingerprint(folded.map((alert) => alert.key).sort())}`,
      taskKey,
      recipientId,
      day,
      folded,
    });
  }
  return result;
}

/**
 * A short stable name for a set of keys (cyrb53, 53-bit), so a digest key stays compact however many
 * alerts it folds; the keys themselves travel in `folded`.
 */
function fingerprint(keys: readonly string[]): string {
  const text = keys.join('\n');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
