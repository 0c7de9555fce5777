// Pure helpers of the ABM Pilot components: the user's language, error reduction, labels and the view
// models the templates render. No state and no platform calls (the components pass the language and the
// time zone in), so the Jest tests exercise them directly in every language.
import {
  AXES,
  DEFAULT_LOCALE,
  HANDOVER_DECISIONS,
  LOCALES,
  METRIC_SEGMENTS,
  TIER_PICKLIST,
  TIERS,
  VOCABULARIES,
} from 'c/abmVocabulary';
import { CRM_NAME, MESSAGES } from 'c/abmMessages';

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

const HOUR_MS = 3600000;
const DAY_MS = 24 * HOUR_MS;

// ---- Language ----

/**
 * The programme's language for a Salesforce language tag (`@salesforce/i18n/lang`), as shared's
 * localeOf: `fr`, `fr-FR`, `fr_CA` → `fr`; a language the programme does not speak → English.
 */
export function localeOf(tag) {
  const language = String(tag || '')
    .trim()
    .toLowerCase()
    .split(/[-_]/)[0];
  return LOCALES.includes(language) ? language : DEFAULT_LOCALE;
}

/** Shared's words (tiers, roles, SLA statuses...) in a language. */
export const wordsOf = (locale) => VOCABULARIES[locale] || VOCABULARIES[DEFAULT_LOCALE];

/** The components' own sentences in a language. */
export const messagesOf = (locale) => MESSAGES[locale] || MESSAGES[DEFAULT_LOCALE];

/** Shared's fill: `{name}` placeholders; a name without a value stays as written, so a gap shows in review. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (placeholder, name) => {
    return has(values, name) ? String(values[name]) : placeholder;
  });
}

/** Sentences one after the other, the empty ones left out. */
const sentences = (...parts) => parts.filter((part) => !!part).join(' ');

/** A choice between people or roles as the language writes it: `A or B`, `A ou B`. */
const eitherOf = (items, locale) => new Intl.ListFormat(locale, { type: 'disjunction' }).format(items);

// ---- Numbers and dates, written as the language writes them (`71,4` and `15 avr.` in French) ----

export const formatNumber = (value, locale, maximumFractionDigits = 2) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);

const hasValue = (figure) => !!figure && figure.value !== null && figure.value !== undefined;

/** A ratio as a whole percentage, or an em dash when it has no denominator. */
export function formatRatio(ratio, locale) {
  return hasValue(ratio)
    ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio.value)
    : '—';
}

export function formatHours(median, locale) {
  return hasValue(median)
    ? fill(messagesOf(locale).time.hours, { hours: formatNumber(Math.round(median.value), locale) })
    : '—';
}

/** A date and time in the user's Salesforce time zone (as lightning-formatted-date-time shows it). */
export function formatDateTime(iso, locale, timeZone) {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

// ---- Errors ----

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
 * A controller failure's sentence: the programme's words for the server's code, or the package's own for
 * a failure only Apex knows (the server unreachable); the server's text for a code neither knows.
 */
function errorSentence(payload, locale) {
  const own = messagesOf(locale).errors;
  if (has(own, payload.code)) return own[payload.code];
  const byCode = wordsOf(locale).errorCode;
  return has(byCode, payload.code) ? fill(byCode[payload.code], { crm: CRM_NAME }) : payload.message;
}

/**
 * Every error shape a component meets (Apex, LDS, JS, the controller's `{code, message}` payload) as a
 * list of messages. A controller failure reads as its code's sentence in the user's language (the
 * server's own text is English and written for integrators); a code this package does not know yet
 * keeps the server's text. Adapted from lwc-recipes' ldsUtils.
 */
export function reduceErrors(errors, locale) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .map((error) => {
      const payload = apexPayload(error);
      if (payload) return errorSentence(payload, locale);
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

const ROLE_REFUSALS = ['forbidden', 'not_allowed_for_role'];

/** The governance page's line over a section that failed: the role may not see it, or it failed to load. */
export function sectionErrorMessage(error, section, locale) {
  const { governance } = messagesOf(locale);
  return ROLE_REFUSALS.includes(errorCodeOf(error))
    ? governance.forbidden[section]
    : governance.loadFailed[section];
}

// ---- Shared's words ----

/** A value in words, or the value itself when the table has none (a value newer than this package). */
const wordIn = (table, value) => (has(table, value) ? table[value] : value);

export function tierLabel(tier, locale) {
  return tier ? wordIn(wordsOf(locale).tier, tier) : wordsOf(locale).untargeted;
}
export const roleLabel = (role, locale) => wordIn(wordsOf(locale).role, role);
export const slaStatusLabel = (status, locale) => wordIn(wordsOf(locale).slaStatus, status);
export const routeLabel = (route, locale) => wordIn(wordsOf(locale).route, route);

export function rolesText(roles, locale) {
  return roles && roles.length
    ? roles.map((role) => roleLabel(role, locale)).join(messagesOf(locale).listSeparator)
    : wordsOf(locale).noRole;
}

/** Shared's reasonCodeLabelOf: the default codes are named, a tenant's own read as written. */
export const reasonCodeLabel = (code, locale) => wordsOf(locale).reasonCode[code] || code.replace(/_/g, ' ');

const optionsOf = (values, table) => values.map((value) => ({ value, label: wordIn(table, value) }));

export const segmentOptions = (locale) => optionsOf(METRIC_SEGMENTS, wordsOf(locale).segment);
export const decisionOptions = (locale) => optionsOf(HANDOVER_DECISIONS, wordsOf(locale).handoverDecision);

/** Combobox values cannot be null: the untargeted choice travels as this value. */
export const NONE_VALUE = 'none';
export const tierFromOption = (value) => (value === NONE_VALUE || !value ? null : value);

// ---- Time ----

/** `3 d 4 h`, `5 h 10 min`, `12 min` (`3 j 4 h` in French): the two largest units, rounded down. */
export function formatDuration(ms, locale) {
  const { time } = messagesOf(locale);
  const unit = (template, count) => fill(template, { count: formatNumber(count, locale) });
  const minutes = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${unit(time.day, days)} ${unit(time.hour, hours)}` : unit(time.day, days);
  if (hours > 0)
    return rest > 0 ? `${unit(time.hour, hours)} ${unit(time.minute, rest)}` : unit(time.hour, hours);
  return unit(time.minute, rest);
}

/** Time left until `dueAt` (ISO) as of `now` (epoch ms). */
export function timeLeft(dueAt, now, locale) {
  const { time } = messagesOf(locale);
  const left = Date.parse(dueAt) - now;
  const duration = formatDuration(left, locale);
  return left >= 0
    ? { overdue: false, text: fill(time.left, { time: duration }) }
    : { overdue: true, text: fill(time.overdue, { time: duration }) };
}

// ---- The account card ----

const STATUS_BADGE_CLASS = {
  on_track: 'slds-theme_success',
  at_risk: 'slds-theme_warning',
  breached: 'slds-theme_error',
  met: '',
};

export function slaView(sla, now, locale) {
  const running = sla.stoppedAt === null;
  return {
    key: sla.key,
    kindLabel: wordIn(wordsOf(locale).slaKind, sla.kind),
    statusLabel: slaStatusLabel(sla.status, locale),
    badgeClass: STATUS_BADGE_CLASS[sla.status] || '',
    timeText: running ? timeLeft(sla.dueAt, now, locale).text : messagesOf(locale).time.stopped,
    dueAt: sla.dueAt,
  };
}

function driftText(drift, locale) {
  if (!drift || drift.direction === 'none' || drift.steps === 0) return null;
  const forms = messagesOf(locale).card.drift[drift.direction];
  const form = new Intl.PluralRules(locale).select(drift.steps) === 'one' ? forms.one : forms.other;
  return fill(form, { steps: formatNumber(drift.steps, locale) });
}

function scoreView(score, locale) {
  if (!score) return null;
  const { card, listSeparator } = messagesOf(locale);
  const words = wordsOf(locale);
  const withoutData = [
    ...score.missing.map((criterion) => wordIn(words.criterion, criterion)),
    ...(score.missingSignals || []).map((signal) => wordIn(words.signal, signal)),
  ];
  return {
    valueText: fill(card.scoreValue, { score: formatNumber(score.value, locale, 1) }),
    axes: AXES.map((axis) => ({
      key: axis,
      text: fill(card.axis, { label: words.axis[axis], value: formatNumber(score.axes[axis], locale) }),
    })),
    // The server labels criteria in English; shared's words name them in the user's language.
    reasons: score.topReasons.map((reason) => ({
      key: reason.criterion,
      text: fill(card.scoreReason, {
        label: words.criterion[reason.criterion] || reason.label,
        points: formatNumber(reason.points, locale),
        max: formatNumber(reason.maxPoints, locale),
      }),
    })),
    // Revision 4 adds the signals besides the criteria (the intent score) the account has no data for.
    missingText: withoutData.length
      ? fill(card.missing, { criteria: withoutData.join(listSeparator) })
      : null,
    modelVersion: score.modelVersion,
  };
}

/** An approval as one line of the card or the queue. */
export function approvalView(approval, now, locale) {
  const { approval: phrases } = messagesOf(locale);
  const left = Date.parse(approval.dueAt) - now;
  const approversText = fill(phrases.approvers, {
    roles: eitherOf(
      approval.approverRoles.map((role) => roleLabel(role, locale)),
      locale,
    ),
  });
  const dueText = fill(left >= 0 ? phrases.due : phrases.overdue, {
    time: formatDuration(left, locale),
  });
  return {
    id: approval.id,
    accountId: approval.accountId,
    change: fill(phrases.change, {
      from: tierLabel(approval.fromTier, locale),
      to: tierLabel(approval.toTier, locale),
    }),
    requestedBy: approval.requestedBy.name || approval.requestedBy.userId,
    reason: approval.reason,
    routeLabel: routeLabel(approval.route, locale),
    approversText,
    dueText,
    summary: fill(phrases.summary, { approvers: approversText, due: dueText }),
    overdue: left < 0,
    score: approval.score,
    recommendedLabel: tierLabel(approval.recommendedTier, locale),
  };
}

function lastSyncText(iso, locale, timeZone) {
  return iso ? fill(messagesOf(locale).card.lastSync, { date: formatDateTime(iso, locale, timeZone) }) : null;
}

/**
 * Where the account's portfolio review stands, in words; null for an untargeted account, or from a server
 * that does not send the review clock (before API revision 3).
 */
export function reviewClockView(review, locale, timeZone) {
  if (!review) return null;
  const words = wordsOf(locale).review;
  const when = (iso) => formatDateTime(iso, locale, timeZone);
  const reviewer = review.lastReviewedBy;
  return {
    overdue: review.overdue,
    lastText:
      review.lastReviewedAt === null
        ? words.neverReviewed
        : fill(words.lastReviewed, {
            instant: when(review.lastReviewedAt),
            person: reviewer ? reviewer.name || reviewer.userId : '—',
          }),
    dueText: fill(review.overdue ? words.overdue : words.nextDue, { instant: when(review.nextDueAt) }),
  };
}

/** The toast of a review just recorded: when the next one falls due. */
export function reviewToast(result, locale, timeZone) {
  const words = wordsOf(locale).review;
  return {
    title: words.heading,
    message: fill(words.recorded, { instant: formatDateTime(result.review.nextDueAt, locale, timeZone) }),
    variant: 'success',
  };
}

/** Everything the account card shows, from the server's card response. */
export function cardView(card, now, locale, timeZone) {
  const { tierChange, handoverFeedback } = card.actions;
  const { card: phrases } = messagesOf(locale);
  const pendingApproval = card.pendingApproval ? approvalView(card.pendingApproval, now, locale) : null;
  return {
    name: card.crm.name,
    tierLabel: tierLabel(card.tier.assigned, locale),
    recommendedText: fill(phrases.recommended, {
      tier:
        card.tier.recommended === null ? phrases.noRecommendation : tierLabel(card.tier.recommended, locale),
    }),
    driftText: driftText(card.tier.drift, locale),
    score: scoreView(card.score, locale),
    slas: card.slas.map((sla) => slaView(sla, now, locale)),
    hasSlas: card.slas.length > 0,
    owners: card.owners.map((owner) => ({
      key: `${owner.role}:${owner.userId}`,
      text: fill(phrases.owner, {
        role: wordIn(wordsOf(locale).ownershipRole, owner.role),
        name: owner.name || owner.userId,
        roles: rolesText(owner.governanceRoles, locale),
      }),
    })),
    pendingApproval: pendingApproval && {
      ...pendingApproval,
      requestedText: fill(phrases.requested, {
        change: pendingApproval.change,
        name: pendingApproval.requestedBy,
      }),
    },
    lastSyncText: lastSyncText(card.lastSyncAt, locale, timeZone),
    // The server decides (role, pending approval, score); the card only follows.
    canChangeTier: tierChange.allowed && tierChange.targets.length > 0,
    tierOptions: tierChange.targets.map((target) => ({
      label: tierLabel(target.tier, locale),
      value: target.tier === null ? NONE_VALUE : target.tier,
      reasonRequired: target.reasonRequired,
    })),
    // Absent from servers older than API revision 3: nothing to offer then.
    canHandOver: card.actions.handover ? card.actions.handover.allowed : false,
    feedbackPending: handoverFeedback.pending,
    reasonCodes: handoverFeedback.reasonCodes,
    review: reviewClockView(card.review, locale, timeZone),
    canReview: !!(card.actions.review && card.actions.review.allowed),
  };
}

/** The toast after a handover: when the owner's first touch and answer are due. */
export function handOverToast(response, locale, timeZone) {
  const { toast } = messagesOf(locale).card;
  const dueOf = (kind) => {
    const sla = response.slas.find((candidate) => candidate.kind === kind);
    return sla ? formatDateTime(sla.dueAt, locale, timeZone) : '—';
  };
  return {
    title: toast.handedOver,
    message: fill(toast.handedOverDue, {
      followUp: dueOf('sales_follow_up'),
      feedback: dueOf('sales_feedback'),
    }),
    variant: 'success',
  };
}

/** `ABM_Tier__c` holds a picklist value (`Tier 2`); the tier it stands for, or null when unknown. */
const tierOfPicklist = (value) => TIERS.find((tier) => TIER_PICKLIST[tier] === value) || null;

/**
 * The last synced fields, shown when the server is down. Each value is as LDS gives it: undefined when the
 * user may not read the field (optionalFields leaves it out), null when it is empty.
 */
export function staleView({ tier, score, slaStatus, lastSyncAt }, locale, timeZone) {
  const { stale } = messagesOf(locale).card;
  const shown = (value, format) => (value === undefined ? stale.notReadable : format(value));
  const tierText = (value) => {
    if (!value) return tierLabel(null, locale);
    const known = tierOfPicklist(value);
    return known ? tierLabel(known, locale) : value;
  };
  return {
    tierText: fill(stale.tier, { value: shown(tier, tierText) }),
    scoreText: fill(stale.score, {
      value: shown(score, (value) => (value === null ? stale.notScored : formatNumber(value, locale, 1))),
    }),
    slaText: fill(stale.sla, {
      value: shown(slaStatus, (value) => (value ? slaStatusLabel(value, locale) : wordsOf(locale).noSla)),
    }),
    lastSyncText: lastSyncText(lastSyncAt, locale, timeZone),
  };
}

/** Where the Salesforce record stands after a decision, as the server saw it when it answered. */
export function crmWriteNote(crmWrite, locale) {
  const notes = wordsOf(locale).crmWrite;
  return has(notes, crmWrite) ? fill(notes[crmWrite], { crm: CRM_NAME }) : '';
}

/** The toast for each outcome of a tier change request; `toTierLabel` names the tier asked for. */
export function tierChangeToast(outcome, toTierLabel, locale) {
  const messages = messagesOf(locale);
  const { toast } = messages.card;
  switch (outcome.outcome) {
    case 'applied':
      return {
        title: toast.changed,
        message: sentences(
          fill(messages.outcome.now, { tier: tierLabel(outcome.tier, locale) }),
          crmWriteNote(outcome.crmWrite, locale),
        ),
        variant: 'success',
      };
    case 'needs_approval':
      return {
        title: toast.sentForApproval,
        message: fill(toast.awaits, {
          tier: toTierLabel,
          approvers: eitherOf(
            outcome.approverRoles.map((role) => roleLabel(role, locale)),
            locale,
          ),
        }),
        variant: 'info',
      };
    default: {
      const refusal = wordsOf(locale).tierChangeRefusal[outcome.code];
      return {
        title: toast.refused,
        message: refusal ? fill(refusal, { tier: toTierLabel }) : outcome.message,
        variant: 'warning',
      };
    }
  }
}

/** The toast of an approval decided in the queue (`verb`: approved or rejected). */
export function decisionToast(verb, result, locale) {
  const messages = messagesOf(locale);
  const tier = tierLabel(result.assignedTier, locale);
  return {
    title: messages.governance.toast[verb],
    message: result.applied
      ? sentences(fill(messages.outcome.now, { tier }), crmWriteNote(result.crmWrite, locale))
      : fill(messages.outcome.stays, { tier }),
    variant: 'success',
  };
}

/**
 * A key for one intended write, `prefix-<time>-<random>`, within the server's 8 to 128 characters of
 * letters, digits and `_ : . -`.
 */
export function newIdempotencyKey(prefix) {
  const random = Math.random().toString(36).slice(2, 12);
  return `${prefix}-${Date.now().toString(36)}-${random}`;
}

// ---- The governance page ----

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

/** An approval as a row of the governance page's queue, with a link to its account. */
export function queueRow(approval, now, locale) {
  const { governance } = messagesOf(locale);
  const view = approvalView(approval, now, locale);
  return {
    ...view,
    url: recordUrl(view.accountId),
    text: fill(governance.approvalRow, { change: view.change, route: view.routeLabel }),
    requestedText: fill(governance.requested, { name: view.requestedBy, reason: view.reason }),
  };
}

/** Portfolio review rows with their labels and a link to the account. */
export function reviewView(review, locale) {
  const { governance, time } = messagesOf(locale);
  const count = (value) => formatNumber(value, locale);
  return {
    drift: review.drift.map((row) => ({
      key: row.crmId,
      name: row.name,
      url: recordUrl(row.crmId),
      text: fill(governance.driftRow, {
        assigned: tierLabel(row.assigned, locale),
        recommended: tierLabel(row.recommended, locale),
        steps: count(row.steps),
        direction: wordIn(governance.direction, row.direction),
      }),
    })),
    overdue: review.overdueReviews.map((row) => ({
      key: row.crmId,
      name: row.name,
      url: recordUrl(row.crmId),
      text: fill(governance.overdueRow, {
        tier: tierLabel(row.tier, locale),
        time: fill(time.day, { count: count(row.overdueDays) }),
      }),
      // The server decides who may review (the ABM owner, an ABM manager and above); an older one says nothing.
      reviewAllowed: row.reviewAllowed === true,
      recordOfText: fill(wordsOf(locale).review.recordOf, { account: row.name }),
    })),
    capacity: capacityRows(review.capacity, locale),
    totalsText: fill(governance.totals, {
      drift: count(review.totals.drift),
      overdue: count(review.totals.overdueReviews),
    }),
  };
}

/** The dashboard's headline figures for one segment of the governance metrics. */
export function metricTiles(metrics, segment, locale) {
  const key = segment || 'abm';
  const { tiles } = messagesOf(locale).governance;
  const conversion = metrics.conversion[key];
  const health = metrics.governance;
  const values = {
    pipelineShare: formatRatio(metrics.pipeline[key].openShare, locale),
    winRate: formatRatio(conversion.winRate, locale),
    accountToOpportunity: formatRatio(conversion.accountToOpportunity, locale),
    slaCompliance: formatRatio(metrics.slaCompliance.overall.compliance, locale),
    firstTouch: formatHours(metrics.timeToFirstTouchHours[key], locale),
    roi: formatRatio(metrics.roi.roi, locale),
    pendingApprovals: formatNumber(health.approvals.pendingNow, locale),
    overdueApprovals: formatNumber(health.approvals.overduePendingNow, locale),
  };
  return Object.keys(values).map((tile) => ({ key: tile, label: tiles[tile], value: values[tile] }));
}

/** Seats used per tier from the portfolio review, in tier order. */
export function capacityRows(capacity, locale) {
  const { governance } = messagesOf(locale);
  return TIERS.map((tier) => {
    const row = capacity[tier];
    return {
      key: tier,
      text: fill(governance.capacity, {
        tier: tierLabel(tier, locale),
        count: formatNumber(row.count, locale),
        capacity: formatNumber(row.capacity, locale),
      }),
      over: row.over,
      percent: row.usedShare === null ? 0 : Math.min(100, Math.round(row.usedShare * 100)),
    };
  });
}

// ---- Marketing delivery ----

/** A ratio given as a plain share (0..1), as a whole percentage, or an em dash when there is none. */
const formatShare = (share, locale) => formatRatio({ value: share }, locale);

/** A calendar month the server names (`2026-12`), as the language writes it: `December 2026`. */
export function formatMonth(month, locale) {
  // The server's month is a calendar month already: read in UTC, it names the same month anywhere.
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00.000Z`),
  );
}

/**
 * Shared's deliveryVerdictOf: a closed month met or missed; the month so far on track or behind. Quality
 * without any answer yet is not held against a tier.
 */
export function deliveryVerdict(figures, closed) {
  const held = figures.met && figures.qualityMet !== false;
  if (closed) return held ? 'met' : 'missed';
  return held ? 'on_track' : 'behind';
}

const VERDICT_BADGE_CLASS = {
  met: 'slds-theme_success',
  on_track: 'slds-theme_success',
  missed: 'slds-theme_error',
  behind: 'slds-theme_error',
};

function deliveryRows(period, closed, locale) {
  const words = wordsOf(locale).delivery;
  return TIERS.map((tier) => {
    const figures = period.byTier[tier];
    const verdict = deliveryVerdict(figures, closed);
    return {
      key: `${period.month}:${tier}`,
      tier: tierLabel(tier, locale),
      delivered: formatNumber(figures.delivered, locale),
      committed: formatNumber(figures.committed, locale),
      acceptance: formatShare(figures.acceptanceRate, locale),
      minimum: formatShare(period.minAcceptanceRate, locale),
      verdict: wordIn(words.verdict, verdict),
      verdictClass: VERDICT_BADGE_CLASS[verdict],
    };
  });
}

/** Marketing delivery per tier: the month so far (or `null` at its very start) and each closed month. */
export function deliveryView(report, locale) {
  const { governance } = messagesOf(locale);
  const current = report.currentMonth;
  return {
    soFarText: current
      ? fill(governance.deliverySoFar, { month: formatMonth(current.month, locale), zone: report.timezone })
      : null,
    current: current ? deliveryRows(current, false, locale) : null,
    months: report.months.map((month) => ({
      key: month.month,
      label: formatMonth(month.month, locale),
      rows: deliveryRows(month, true, locale),
    })),
    noMonth: report.months.length === 0,
  };
}
