// Pure helpers of the ABM Pilot components: error reduction, labels and the view models the templates
// render. No state and no platform calls, so the Jest tests exercise them directly.
import {
  AXES,
  CRITERIA,
  DECISION_ROUTES,
  OWNERSHIP_ROLES,
  ROLES,
  SLA_KINDS,
  SLA_STATUSES,
  TIERS,
} from 'c/abmVocabulary';

const HOUR_MS = 3600000;
const DAY_MS = 24 * HOUR_MS;

/** The Apex controller's failure payload `{code, message}`, or null for any other error. */
function apexPayload(error) {
  const message = error && error.body && typeof error.body.message === 'string' ? error.body.message : null;
  if (message === null || !message.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(message);
    return parsed && typeof parsed.code === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Every error shape a component meets (Apex, LDS, JS, the controller's `{code, message}` payload) as a
 * list of messages. Adapted from lwc-recipes' ldsUtils.
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      const payload = apexPayload(error);
      if (payload) return payload.message;
      if (Array.isArray(error.body)) return error.body.map((e) => e.message);
      if (error.body && error.body.fieldErrors && error.body.pageErrors) {
        const fieldErrors = Object.values(error.body.fieldErrors).flat();
        return [...error.body.pageErrors, ...fieldErrors].map((e) => e.message);
      }
      if (error.body && typeof error.body.message === 'string') return error.body.message;
      if (typeof error.message === 'string') return error.message;
      return error.statusText;
    })
    .flat()
    .filter((message) => !!message);
}

/** The server's error code carried by an Apex failure (`not_allowed_for_role`...), or null. */
export function errorCodeOf(error) {
  const payload = apexPayload(error);
  return payload ? payload.code : null;
}

/** Codes that mean the server could not answer at all: the card then shows the last synced fields. */
const UNREACHABLE_CODES = ['server_unreachable', 'not_ready'];

export const isServerUnreachable = (error) => UNREACHABLE_CODES.includes(errorCodeOf(error));

const labelIn = (list, value) => {
  const entry = list.find((item) => item.value === value);
  return entry ? entry.label : value;
};

export const NOT_TARGETED = 'Not targeted';
export const tierLabel = (tier) => (tier ? labelIn(TIERS, tier) : NOT_TARGETED);
export const roleLabel = (role) => labelIn(ROLES, role);
export const slaStatusLabel = (status) => labelIn(SLA_STATUSES, status);
export const routeLabel = (route) => labelIn(DECISION_ROUTES, route);
export const rolesText = (roles) => (roles && roles.length ? roles.map(roleLabel).join(', ') : 'No ABM role');

/** Combobox values cannot be null: the untargeted choice travels as this value. */
export const NONE_VALUE = 'none';
export const tierFromOption = (value) => (value === NONE_VALUE || !value ? null : value);

/** `3 d 4 h`, `5 h 10 min`, `12 min`: the two largest units, rounded down. */
export function formatDuration(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/** Time left until `dueAt` (ISO) as of `now` (epoch ms). */
export function timeLeft(dueAt, now) {
  const left = Date.parse(dueAt) - now;
  return left >= 0
    ? { overdue: false, text: `${formatDuration(left)} left` }
    : { overdue: true, text: `overdue by ${formatDuration(left)}` };
}

const STATUS_BADGE_CLASS = {
  on_track: 'slds-theme_success',
  at_risk: 'slds-theme_warning',
  breached: 'slds-theme_error',
  met: '',
};

export function slaView(sla, now) {
  const running = sla.stoppedAt === null;
  return {
    key: sla.key,
    kindLabel: labelIn(SLA_KINDS, sla.kind),
    statusLabel: slaStatusLabel(sla.status),
    badgeClass: STATUS_BADGE_CLASS[sla.status] || '',
    timeText: running ? timeLeft(sla.dueAt, now).text : 'stopped',
    dueAt: sla.dueAt,
  };
}

function driftText(drift) {
  if (!drift || drift.direction === 'none' || drift.steps === 0) return null;
  const steps = drift.steps === 1 ? '1 tier' : `${drift.steps} tiers`;
  return `${steps} ${drift.direction} the recommendation`;
}

function scoreView(score) {
  if (!score) return null;
  return {
    value: score.value,
    axes: AXES.map((axis) => ({ key: axis.value, label: axis.label, value: score.axes[axis.value] })),
    reasons: score.topReasons.map((reason) => ({
      key: reason.criterion,
      text: `${reason.label}: ${reason.points} of ${reason.maxPoints} points`,
    })),
    missingText: score.missing.length
      ? `No data yet: ${score.missing.map((c) => labelIn(CRITERIA, c)).join(', ')}`
      : null,
    modelVersion: score.modelVersion,
  };
}

/** An approval as one line of the card or the queue. */
export function approvalView(approval, now) {
  const due = timeLeft(approval.dueAt, now);
  return {
    id: approval.id,
    accountId: approval.accountId,
    change: `${tierLabel(approval.fromTier)} → ${tierLabel(approval.toTier)}`,
    requestedBy: approval.requestedBy.name || approval.requestedBy.userId,
    reason: approval.reason,
    routeLabel: routeLabel(approval.route),
    approversText: `Decided by ${approval.approverRoles.map(roleLabel).join(' or ')}`,
    dueText: due.overdue ? `Decision ${due.text}` : `Decision due, ${due.text}`,
    overdue: due.overdue,
    score: approval.score,
    recommendedLabel: tierLabel(approval.recommendedTier),
  };
}

/** Everything the account card shows, from the server's card response. */
export function cardView(card, now) {
  const { tierChange, handoverFeedback } = card.actions;
  return {
    name: card.crm.name,
    tierLabel: tierLabel(card.tier.assigned),
    recommendedLabel: card.tier.recommended === null ? 'None yet' : tierLabel(card.tier.recommended),
    driftText: driftText(card.tier.drift),
    score: scoreView(card.score),
    slas: card.slas.map((sla) => slaView(sla, now)),
    hasSlas: card.slas.length > 0,
    owners: card.owners.map((owner) => ({
      key: `${owner.role}:${owner.userId}`,
      roleLabel: labelIn(OWNERSHIP_ROLES, owner.role),
      name: owner.name || owner.userId,
      rolesText: rolesText(owner.governanceRoles),
    })),
    pendingApproval: card.pendingApproval ? approvalView(card.pendingApproval, now) : null,
    lastSyncAt: card.lastSyncAt,
    // The server decides (role, pending approval, score); the card only follows.
    canChangeTier: tierChange.allowed && tierChange.targets.length > 0,
    tierOptions: tierChange.targets.map((target) => ({
      label: tierLabel(target.tier),
      value: target.tier === null ? NONE_VALUE : target.tier,
      reasonRequired: target.reasonRequired,
    })),
    feedbackPending: handoverFeedback.pending,
    reasonCodes: handoverFeedback.reasonCodes,
  };
}

/** Where the Salesforce record stands after a decision, as the server saw it when it answered. */
export function crmWriteNote(crmWrite) {
  if (crmWrite === 'done') return ' The Salesforce record shows it now.';
  if (crmWrite === 'pending')
    return ' Salesforce has not confirmed it yet: the record follows within a few minutes.';
  return '';
}

/** The toast for each outcome of a tier change request. */
export function tierChangeToast(outcome, toTierLabel) {
  switch (outcome.outcome) {
    case 'applied':
      return {
        title: 'Tier changed',
        message: `The account is now ${tierLabel(outcome.tier)}.${crmWriteNote(outcome.crmWrite)}`,
        variant: 'success',
      };
    case 'needs_approval':
      return {
        title: 'Sent for approval',
        message: `${toTierLabel} awaits ${outcome.approverRoles.map(roleLabel).join(' or ')}.`,
        variant: 'info',
      };
    default:
      return { title: 'Tier change refused', message: outcome.message, variant: 'warning' };
  }
}

/**
 * A key for one intended write, `prefix-<time>-<random>`, within the server's 8 to 128 characters of
 * letters, digits and `_ : . -`.
 */
export function newIdempotencyKey(prefix) {
  const random = Math.random().toString(36).slice(2, 12);
  return `${prefix}-${Date.now().toString(36)}-${random}`;
}

/** A ratio as a whole percentage, or an em dash when it has no denominator. */
export function formatRatio(ratio) {
  return ratio && ratio.value !== null && ratio.value !== undefined
    ? `${Math.round(ratio.value * 100)}%`
    : '—';
}

export function formatHours(median) {
  return median && median.value !== null && median.value !== undefined
    ? `${Math.round(median.value)} h`
    : '—';
}

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The dashboard's default dates: the 90 days up to today (UTC), both included. */
export function defaultDates(now) {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { fromDate: isoDate(today - 89 * DAY_MS), toDate: isoDate(today) };
}

/** Inclusive dates (`YYYY-MM-DD`) as the server's half-open period: `to` is the day after `toDate`. */
export function periodOf(fromDate, toDate) {
  return {
    from: `${fromDate}T00:00:00Z`,
    to: new Date(Date.parse(`${toDate}T00:00:00Z`) + DAY_MS).toISOString(),
  };
}

export const recordUrl = (recordId) => `/lightning/r/Account/${encodeURIComponent(recordId)}/view`;

/** Portfolio review rows with their labels and a link to the account. */
export function reviewView(review) {
  return {
    drift: review.drift.map((row) => ({
      key: row.crmId,
      name: row.name,
      url: recordUrl(row.crmId),
      text: `${tierLabel(row.assigned)}, recommended ${tierLabel(row.recommended)} (${row.steps} ${row.direction})`,
    })),
    overdue: review.overdueReviews.map((row) => ({
      key: row.crmId,
      name: row.name,
      url: recordUrl(row.crmId),
      text: `${tierLabel(row.tier)} review overdue by ${row.overdueDays} d`,
    })),
    capacity: capacityRows(review.capacity),
    totalsText: `${review.totals.drift} drifting, ${review.totals.overdueReviews} overdue for review`,
  };
}

/** The dashboard's headline figures for one segment of the governance metrics. */
export function metricTiles(metrics, segment) {
  const key = segment || 'abm';
  const conversion = metrics.conversion[key];
  const pipeline = metrics.pipeline[key];
  const health = metrics.governance;
  return [
    { key: 'pipelineShare', label: 'Share of open pipeline', value: formatRatio(pipeline.openShare) },
    { key: 'winRate', label: 'Win rate', value: formatRatio(conversion.winRate) },
    {
      key: 'accountToOpportunity',
      label: 'Accounts with an opportunity',
      value: formatRatio(conversion.accountToOpportunity),
    },
    {
      key: 'slaCompliance',
      label: 'SLA compliance',
      value: formatRatio(metrics.slaCompliance.overall.compliance),
    },
    {
      key: 'firstTouch',
      label: 'Median time to first touch',
      value: formatHours(metrics.timeToFirstTouchHours[key]),
    },
    { key: 'roi', label: 'ROI at full cost', value: formatRatio(metrics.roi.roi) },
    { key: 'pendingApprovals', label: 'Approvals pending', value: String(health.approvals.pendingNow) },
    {
      key: 'overdueApprovals',
      label: 'Approvals overdue',
      value: String(health.approvals.overduePendingNow),
    },
  ];
}

/** Seats used per tier from the portfolio review, in tier order. */
export function capacityRows(capacity) {
  return TIERS.map((tier) => {
    const row = capacity[tier.value];
    return {
      key: tier.value,
      label: tier.label,
      text: `${row.count} of ${row.capacity}`,
      over: row.over,
      percent: row.usedShare === null ? 0 : Math.min(100, Math.round(row.usedShare * 100)),
    };
  });
}
