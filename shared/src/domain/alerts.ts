import type { AlertKind, SlaKind } from '../config/vocabulary.ts';
import type { SlaInstance } from './sla.ts';
import { slaStatus } from './sla.ts';
import type { Instant } from './time.ts';
import { DAY_MS } from './time.ts';

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

/**
 * Who answers for an instance: those who must act on it (reminder, then breach) and those a long breach
 * is escalated to. Usually one person each; an approval is answered by everyone who may decide it.
 */
export interface Responsible {
  readonly acting: readonly string[];
  readonly escalation: readonly string[];
}

/** The instance's owner acts; its manager, when it has one, is escalated to. */
export const ownerAndManager = (instance: SlaInstance): Responsible => ({
  acting: [instance.ownerId],
  escalation: instance.managerId === null ? [] : [instance.managerId],
});

/**
 * What the running instances call for at `now`: a reminder to those acting when at risk, a breach alert
 * to them once past due, and from `escalateAt` on an escalation to those escalated to (none when nobody
 * is: the breach stays with those acting). One task per person: someone both acting and escalated to
 * gets the escalation only. Stopped instances call for nothing; their tasks are completed by whoever
 * reconciles the open tasks with these alerts. No config is read: every threshold was fixed on the
 * instance when its clock started.
 */
export function alertsDue(
  instances: readonly SlaInstance[],
  now: Instant,
  responsibleFor: (instance: SlaInstance) => Responsible = ownerAndManager,
): readonly SlaAlert[] {
  const alerts: SlaAlert[] = [];
  for (const instance of instances) {
    if (instance.stoppedAt !== null && instance.stoppedAt <= now) continue;
    const status = slaStatus(instance, now);
    if (status !== 'at_risk' && status !== 'breached') continue;
    const responsible = responsibleFor(instance);
    const escalation = new Set(responsible.escalation);
    const escalating = status === 'breached' && escalation.size > 0 && now >= instance.escalateAt;
    for (const person of new Set(responsible.acting)) {
      if (status === 'at_risk') alerts.push(alert('reminder', instance, person));
      else if (!(escalating && escalation.has(person))) alerts.push(alert('breach', instance, person));
    }
    if (escalating) for (const person of escalation) alerts.push(alert('escalation', instance, person));
  }
  return alerts;
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

/** The key prefixes of SLA tasks (alerts, digests), which tell them from other tasks in the outbox. */
export const ALERT_TASK_PREFIX = 'task:';
export const DIGEST_TASK_PREFIX = 'digest:';
export const SLA_TASK_PREFIXES = [ALERT_TASK_PREFIX, DIGEST_TASK_PREFIX] as const;

const taskKeyOf = (instance: SlaInstance, recipientId: string): string =>
  `${ALERT_TASK_PREFIX}${instance.key}:${recipientId}`;

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
 * scopes the cap; one zone-free day lets the caller count what was opened today the same way for everyone.
 */
export const digestDayOf = (now: Instant): string => new Date(now).toISOString().slice(0, 10);

/** The first instant of `digestDayOf(now)`: tasks opened from then on count against today's cap. */
export const digestDayStartOf = (now: Instant): Instant => now - (now % DAY_MS);

/** A person's alert tasks as the outbox holds them, for the cap. */
export interface AlertTasksOf {
  /** Keys of their alert tasks still open: an alert on one of these only updates it, so it is always kept. */
  readonly open: ReadonlySet<string>;
  /** Alert tasks (not digests) opened for them since the start of `digestDayOf(now)`, open or done since. */
  readonly openedToday: number;
}

const NOTHING_OPENED: AlertTasksOf = { open: new Set(), openedToday: 0 };

/**
 * Caps the alert tasks each person receives per day, across runs: what `opened` says was opened today
 * counts against `capPerPersonPerDay`, and an alert on a task still open only updates it, so it is always
 * kept. Of the other alerts, the most urgent fill what is left of the cap and the rest fold into one digest
 * per recipient and day. Nothing is lost: kept plus folded is the input. The output does not depend on the
 * input order: recipients in id order, each one's kept alerts by urgency, then the digest.
 */
export function foldIntoDigests(
  alerts: readonly SlaAlert[],
  capPerPersonPerDay: number,
  now: Instant,
  opened: ReadonlyMap<string, AlertTasksOf> = new Map(),
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
    const tasks = opened.get(recipientId) ?? NOTHING_OPENED;
    let room = Math.max(0, capPerPersonPerDay - tasks.openedToday);
    const kept: SlaAlert[] = [];
    const folded: SlaAlert[] = [];
    for (const alert of (byRecipient.get(recipientId) as SlaAlert[]).sort(compareUrgency)) {
      if (tasks.open.has(alert.taskKey)) kept.push(alert);
      else if (room > 0) {
        kept.push(alert);
        room -= 1;
      } else folded.push(alert);
    }
    result.push(...kept);
    if (folded.length === 0) continue;
    const taskKey = `${DIGEST_TASK_PREFIX}${recipientId}:${day}`;
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
