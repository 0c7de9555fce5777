import { z } from 'zod';

import type { ApiErrorCode } from '../contracts/errors.ts';
import type {
  AlertKind,
  ApprovalState,
  Axis,
  CostCategory,
  Criterion,
  DecisionRoute,
  DeliveryVerdict,
  HandoverDecision,
  MetricSegment,
  Role,
  Signal,
  SlaKind,
  SlaStatus,
  Tier,
  TierChangeRejection,
  TierOrNone,
} from '../config/vocabulary.ts';

// The words of the programme, once, in the two languages its people speak (the seed article is French):
// what the server writes in CRM tasks and what the HubSpot app, the Salesforce LWC and the console show.
// Each table is typed by its closed set, so a value added to a set fails the typecheck until both
// languages name it.

export const LocaleSchema = z.enum(['en', 'fr']);
export type Locale = z.infer<typeof LocaleSchema>;
export const LOCALES = LocaleSchema.options;
export const DEFAULT_LOCALE: Locale = 'en';

/** `fr`, `fr-FR`, `fr_CA` → `fr`; anything else, or nothing, → English. */
export function localeOf(tag: string | null | undefined): Locale {
  const language = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return language === 'fr' ? 'fr' : DEFAULT_LOCALE;
}

/** Who holds an account, as the card lists them. */
export type OwnershipRoleKey = 'account_owner' | 'abm_owner' | 'executive_sponsor';

export interface Vocabulary {
  readonly locale: Locale;
  readonly tier: Readonly<Record<Tier, string>>;
  readonly untargeted: string;
  /** Dashboard segments: each tier, all ABM accounts, the rest, everything. */
  readonly segment: Readonly<Record<MetricSegment, string>>;
  readonly role: Readonly<Record<Role, string>>;
  readonly noRole: string;
  readonly ownershipRole: Readonly<Record<OwnershipRoleKey, string>>;
  readonly axis: Readonly<Record<Axis, string>>;
  readonly criterion: Readonly<Record<Criterion, string>>;
  /** A criterion as a reason in a sentence ("Score 72: revenue, buying roles covered"). */
  readonly criterionReason: Readonly<Record<Criterion, string>>;
  /** A signal besides the criteria, as the card names it when the account has no data for it. */
  readonly signal: Readonly<Record<Signal, string>>;
  readonly slaKind: Readonly<Record<SlaKind, string>>;
  readonly slaStatus: Readonly<Record<SlaStatus, string>>;
  readonly noSla: string;
  readonly route: Readonly<Record<DecisionRoute, string>>;
  readonly handoverDecision: Readonly<Record<HandoverDecision, string>>;
  /** The default handover reason codes; a tenant's own codes read as themselves. */
  readonly reasonCode: Readonly<Record<string, string>>;
  readonly costCategory: Readonly<Record<CostCategory, string>>;
  readonly approvalState: Readonly<Record<ApprovalState, string>>;
  /** Where the CRM record stands after a decision; `{crm}` is the CRM's name. */
  readonly crmWrite: Readonly<Record<'done' | 'pending', string>>;
  /** What an error answer means to the person, by the server's stable code; `{crm}` is the CRM's name. */
  readonly errorCode: Readonly<Record<ApiErrorCode, string>>;
  /** Why the rules refused a tier change, by its code; `{tier}` is the tier asked for. */
  readonly tierChangeRefusal: Readonly<Record<TierChangeRejection, string>>;
  /**
   * The portfolio review of an account, on the card and the review lists: `{instant}` is a date as the
   * client writes it, `{person}` a name, `{account}` an account's name.
   */
  readonly review: {
    readonly heading: string;
    readonly lastReviewed: string;
    readonly neverReviewed: string;
    readonly nextDue: string;
    readonly overdue: string;
    readonly overdueTag: string;
    readonly note: string;
    readonly record: string;
    readonly recordOf: string;
    readonly recorded: string;
    readonly notRecorded: string;
    readonly cancel: string;
  };
  /** The marketing_delivery SLA of a tier, as every screen shows it. */
  readonly delivery: {
    readonly delivered: string;
    readonly committed: string;
    readonly acceptanceRate: string;
    readonly minimumRate: string;
    /** A closed month met or missed its commitment; the month so far is on track or behind it. */
    readonly verdict: Readonly<Record<DeliveryVerdict, string>>;
  };
  /** CRM tasks of SLA alerts: titles, what the assignee must do, the body, the digest. */
  readonly task: {
    readonly title: Readonly<Record<Exclude<AlertKind, 'digest'>, string>>;
    readonly todo: Readonly<Record<SlaKind, string>>;
    /** `{title}: {todo} on {account}` */
    readonly subject: string;
    /** `{sla}`, `{account}`, `{due}` */
    readonly body: string;
    /** `{count}` */
    readonly digestSubject: string;
    /** Marketing missed its MQA commitment for a month: `{month}`, `{tiers}` (the tiers that missed). */
    readonly deliverySubject: string;
    /** `{month}` */
    readonly deliveryBody: string;
    /** `{tier}`, `{delivered}`, `{committed}`, `{missing}` */
    readonly deliveryShortOfMqas: string;
    /** `{tier}`, `{rate}`, `{minimum}`, `{accepted}`, `{answered}` */
    readonly deliveryBelowAcceptance: string;
  };
  /** Tier reasons ABM Pilot writes in the CRM. `{score}`, `{reasons}`. */
  readonly tierReason: {
    readonly score: string;
    readonly scoreWithReasons: string;
    readonly editAudited: string;
    readonly editWithinRules: string;
    readonly editReverted: string;
    /** `{why}` */
    readonly editRefused: string;
  };
}

const EN: Vocabulary = {
  locale: 'en',
  tier: { tier_1: 'Tier 1', tier_2: 'Tier 2', tier_3: 'Tier 3' },
  untargeted: 'Not targeted',
  segment: {
    tier_1: 'Tier 1',
    tier_2: 'Tier 2',
    tier_3: 'Tier 3',
    abm: 'All ABM',
    non_abm: 'Non-ABM',
    all: 'All accounts',
  },
  role: {
    chief_abm_officer: 'Chief ABM Officer',
    abm_committee: 'ABM committee',
    abm_manager: 'ABM manager',
    marketer: 'Marketer',
    sales_manager: 'Sales manager',
    sales_rep: 'Sales rep',
  },
  noRole: 'No ABM role',
  ownershipRole: {
    account_owner: 'Account owner',
    abm_owner: 'ABM owner',
    executive_sponsor: 'Executive sponsor',
  },
  axis: {
    revenue_potential: 'Revenue potential',
    probability_of_success: 'Probability of success',
    strategic_alignment: 'Strategic alignment',
  },
  criterion: {
    annual_revenue: 'Annual revenue',
    headcount: 'Headcount',
    pipeline: 'Pipeline',
    engagement: 'Engagement',
    buying_role_coverage: 'Buying-role coverage',
    existing_relationship: 'Existing relationship',
    win_history: 'Win history',
    icp_industry: 'ICP industry',
    icp_region: 'ICP region',
    strategic_flag: 'Strategic flag',
  },
  criterionReason: {
    annual_revenue: 'revenue',
    headcount: 'headcount',
    pipeline: 'pipeline',
    engagement: 'engagement',
    buying_role_coverage: 'buying roles covered',
    existing_relationship: 'existing customer',
    win_history: 'win history',
    icp_industry: 'ICP industry',
    icp_region: 'ICP region',
    strategic_flag: 'strategic account',
  },
  signal: { intent: 'Intent score' },
  slaKind: {
    sales_follow_up: 'Sales follow-up',
    sales_feedback: 'Sales feedback on handover',
    approval_decision: 'Approval decision',
    marketing_delivery: 'Marketing delivery',
  },
  slaStatus: { on_track: 'On track', at_risk: 'At risk', breached: 'Breached', met: 'Met' },
  noSla: 'No clock',
  route: {
    routine: 'Routine change',
    sales_request: 'Sales request',
    tier_1: 'Tier 1 decision',
    over_capacity: 'Over capacity',
  },
  handoverDecision: { accepted: 'Accept', rejected: 'Reject' },
  reasonCode: {
    qualified: 'Qualified',
    active_project: 'Active project',
    strategic_fit: 'Strategic fit',
    not_a_fit: 'Not a fit',
    bad_timing: 'Bad timing',
    no_budget: 'No budget',
    already_engaged: 'Already engaged',
    duplicate: 'Duplicate',
    insufficient_data: 'Insufficient data',
  },
  costCategory: {
    programme_budget: 'Programme budget',
    sales_time: 'Sales time',
    content: 'Content',
    technology: 'Technology',
    training: 'Training',
  },
  approvalState: {
    pending: 'Pending',
    approved: 'Approved',
    rejected: 'Rejected',
    expired: 'Expired',
    cancelled: 'Cancelled',
  },
  crmWrite: {
    done: 'The {crm} record shows it now.',
    pending: '{crm} has not confirmed it yet: the record follows within a few minutes.',
  },
  errorCode: {
    invalid_request: 'ABM Pilot could not accept this request as it was sent.',
    unauthorized:
      'ABM Pilot did not accept the credentials of this call: ask your {crm} admin to check the connection.',
    forbidden: 'This is not allowed.',
    not_found: 'Not found: it may have been removed, or it appears after the next sync.',
    conflict: 'Something changed meanwhile: refresh and try again.',
    payload_too_large: 'This request is too large: shorten the text and try again.',
    unsupported_media_type: 'The request was sent in a form ABM Pilot does not take.',
    rate_limited: 'ABM Pilot is busy: try again in a moment.',
    internal_error: 'ABM Pilot had a problem on its side: try again in a minute.',
    not_ready: 'ABM Pilot is starting: try again in a moment.',
    unknown_user: 'ABM Pilot does not know your {crm} user yet: it appears after the next sync.',
    not_configured:
      'ABM Pilot is not set up for this {crm} account yet: it needs its governance settings and a first sync.',
    idempotency_key_reused: 'This request was already sent with other content.',
    unknown_reason_code: 'This reason code is not one of the programme’s.',
    not_allowed_for_role: 'Your ABM role does not allow this.',
    self_approval: 'You cannot decide your own request.',
    approval_expired: 'This approval has expired: the change must be requested again.',
    approval_not_pending: 'This approval has already been decided.',
    config_version_conflict: 'The governance settings changed meanwhile: refresh and try again.',
    invalid_period: 'This period is not valid: its start must come before its end.',
    period_too_long: 'This period is too long: choose a shorter one.',
    tier_full: 'The tier is full: the decision waits for a seat.',
    not_targeted: 'This account is not targeted: give it a tier first.',
    no_account_owner: 'This account has no owner in {crm} to hand it over to.',
    handover_pending: 'This account was already handed over: sales has not answered yet.',
  },
  review: {
    heading: 'Portfolio review',
    lastReviewed: 'Last reviewed {instant} by {person}.',
    neverReviewed: 'Not reviewed yet.',
    nextDue: 'Next review due {instant}.',
    overdue: 'Review overdue since {instant}.',
    overdueTag: 'Review overdue',
    note: 'Review note (optional)',
    record: 'Record review',
    recordOf: 'Record the review of {account}',
    recorded: 'Review recorded: the next one is due {instant}.',
    notRecorded: 'The review was not recorded',
    cancel: 'Cancel',
  },
  tierChangeRefusal: {
    no_change: 'The account is already {tier}.',
    reason_required: 'This change needs a written reason.',
    capacity_exceeded: '{tier} is full beyond what anyone may allow.',
    not_allowed_for_role: 'Your ABM role may not request this change.',
    approval_pending: 'A tier change of this account is already waiting for approval.',
  },
  delivery: {
    delivered: 'MQAs delivered',
    committed: 'MQAs committed',
    acceptanceRate: 'Sales acceptance',
    minimumRate: 'Minimum acceptance',
    verdict: { met: 'Met', missed: 'Missed', on_track: 'On track', behind: 'Behind' },
  },
  task: {
    title: { reminder: 'SLA at risk', breach: 'SLA breached', escalation: 'SLA breach escalated' },
    todo: {
      sales_follow_up: 'log a first touch',
      sales_feedback: 'accept or reject the handover',
      approval_decision: 'decide the tier change',
      marketing_delivery: 'deliver the committed MQAs',
    },
    subject: '{title}: {todo} on {account}',
    body: 'ABM Pilot: the {sla} SLA on {account} was due {due}.',
    digestSubject: 'ABM SLA digest: {count} more accounts need attention',
    deliverySubject: 'Marketing delivery missed in {month}: {tiers}',
    deliveryBody: 'ABM Pilot: marketing did not meet its MQA commitment for {month}.',
    deliveryShortOfMqas: '{tier}: MQAs delivered {delivered} of {committed} committed ({missing} short).',
    deliveryBelowAcceptance:
      '{tier}: sales accepted {rate} of the handovers answered ({accepted} of {answered}), below the {minimum} minimum.',
  },
  tierReason: {
    score: 'Score {score}',
    scoreWithReasons: 'Score {score}: {reasons}',
    editAudited: 'Edited in the CRM (audited)',
    editWithinRules: 'Edited in the CRM (within the rules)',
    editReverted: 'CRM edit reverted; sent for approval',
    editRefused: 'CRM edit reverted: {why}',
  },
};

const FR: Vocabulary = {
  locale: 'fr',
  tier: { tier_1: 'Tier 1', tier_2: 'Tier 2', tier_3: 'Tier 3' },
  untargeted: 'Non ciblé',
  segment: {
    tier_1: 'Tier 1',
    tier_2: 'Tier 2',
    tier_3: 'Tier 3',
    abm: 'Tous les comptes ABM',
    non_abm: 'Hors ABM',
    all: 'Tous les comptes',
  },
  role: {
    chief_abm_officer: 'Chief ABM Officer',
    abm_committee: 'Comité ABM',
    abm_manager: 'Responsable ABM',
    marketer: 'Marketeur',
    sales_manager: 'Responsable commercial',
    sales_rep: 'Commercial',
  },
  noRole: 'Aucun rôle ABM',
  ownershipRole: {
    account_owner: 'Propriétaire du compte',
    abm_owner: 'Responsable ABM du compte',
    executive_sponsor: 'Sponsor exécutif',
  },
  axis: {
    revenue_potential: 'Potentiel de revenus',
    probability_of_success: 'Probabilité de succès',
    strategic_alignment: 'Alignement stratégique',
  },
  criterion: {
    annual_revenue: "Chiffre d'affaires annuel",
    headcount: 'Effectif',
    pipeline: 'Pipeline',
    engagement: 'Engagement',
    buying_role_coverage: "Couverture des rôles d'achat",
    existing_relationship: 'Relation existante',
    win_history: 'Historique de gains',
    icp_industry: 'Secteur ICP',
    icp_region: 'Région ICP',
    strategic_flag: 'Compte stratégique',
  },
  criterionReason: {
    annual_revenue: "chiffre d'affaires",
    headcount: 'effectif',
    pipeline: 'pipeline',
    engagement: 'engagement',
    buying_role_coverage: "rôles d'achat couverts",
    existing_relationship: 'client existant',
    win_history: 'historique de gains',
    icp_industry: 'secteur ICP',
    icp_region: 'région ICP',
    strategic_flag: 'compte stratégique',
  },
  signal: { intent: "Score d'intention" },
  slaKind: {
    sales_follow_up: 'Premier contact commercial',
    sales_feedback: 'Retour commercial sur la transmission',
    approval_decision: "Décision d'approbation",
    marketing_delivery: 'Livraison marketing',
  },
  slaStatus: { on_track: 'Dans les temps', at_risk: 'À risque', breached: 'Dépassé', met: 'Tenu' },
  noSla: 'Aucune échéance',
  route: {
    routine: 'Changement courant',
    sales_request: 'Demande commerciale',
    tier_1: 'Décision Tier 1',
    over_capacity: 'Hors capacité',
  },
  handoverDecision: { accepted: 'Accepter', rejected: 'Refuser' },
  reasonCode: {
    qualified: 'Qualifié',
    active_project: 'Projet en cours',
    strategic_fit: 'Adéquation stratégique',
    not_a_fit: 'Hors cible',
    bad_timing: 'Mauvais moment',
    no_budget: 'Pas de budget',
    already_engaged: 'Déjà engagé',
    duplicate: 'Doublon',
    insufficient_data: 'Données insuffisantes',
  },
  costCategory: {
    programme_budget: 'Budget du programme',
    sales_time: 'Temps commercial',
    content: 'Contenus',
    technology: 'Technologie',
    training: 'Formation',
  },
  approvalState: {
    pending: 'En attente',
    approved: 'Approuvée',
    rejected: 'Refusée',
    expired: 'Expirée',
    cancelled: 'Annulée',
  },
  crmWrite: {
    done: "L'enregistrement {crm} l'affiche déjà.",
    pending: "{crm} ne l'a pas encore confirmé : l'enregistrement suivra d'ici quelques minutes.",
  },
  errorCode: {
    invalid_request: 'ABM Pilot n’a pas pu accepter cette demande telle qu’elle a été envoyée.',
    unauthorized:
      'ABM Pilot n’a pas accepté les identifiants de cet appel : demandez à votre administrateur {crm} de vérifier la connexion.',
    forbidden: 'Ce n’est pas autorisé.',
    not_found:
      'Introuvable : l’élément a peut-être été supprimé, ou il apparaîtra après la prochaine synchronisation.',
    conflict: 'Quelque chose a changé entre-temps : actualisez et réessayez.',
    payload_too_large: 'Cette demande est trop volumineuse : raccourcissez le texte et réessayez.',
    unsupported_media_type: 'La demande a été envoyée sous une forme qu’ABM Pilot n’accepte pas.',
    rate_limited: 'ABM Pilot est occupé : réessayez dans un instant.',
    internal_error: 'ABM Pilot a rencontré un problème de son côté : réessayez dans une minute.',
    not_ready: 'ABM Pilot démarre : réessayez dans un instant.',
    unknown_user:
      'ABM Pilot ne connaît pas encore votre utilisateur {crm} : il apparaîtra après la prochaine synchronisation.',
    not_configured:
      'ABM Pilot n’est pas encore configuré pour ce compte {crm} : il lui faut ses réglages de gouvernance et une première synchronisation.',
    idempotency_key_reused: 'Cette demande a déjà été envoyée avec un autre contenu.',
    unknown_reason_code: 'Ce code de motif ne fait pas partie de ceux du programme.',
    not_allowed_for_role: 'Votre rôle ABM ne le permet pas.',
    self_approval: 'Vous ne pouvez pas décider de votre propre demande.',
    approval_expired: 'Cette approbation a expiré : le changement doit être redemandé.',
    approval_not_pending: 'Cette approbation a déjà été décidée.',
    config_version_conflict: 'Les réglages de gouvernance ont changé entre-temps : actualisez et réessayez.',
    invalid_period: 'Cette période n’est pas valide : son début doit précéder sa fin.',
    period_too_long: 'Cette période est trop longue : choisissez-en une plus courte.',
    tier_full: 'Le tier est plein : la décision attend qu’une place se libère.',
    not_targeted: 'Ce compte n’est pas ciblé : donnez-lui d’abord un tier.',
    no_account_owner: 'Ce compte n’a pas de propriétaire dans {crm} à qui le transmettre.',
    handover_pending: 'Ce compte a déjà été transmis : les ventes n’ont pas encore répondu.',
  },
  review: {
    heading: 'Revue du portefeuille',
    lastReviewed: 'Dernière revue le {instant} par {person}.',
    neverReviewed: 'Pas encore revu.',
    nextDue: 'Prochaine revue prévue le {instant}.',
    overdue: 'Revue en retard depuis le {instant}.',
    overdueTag: 'Revue en retard',
    note: 'Note de revue (facultative)',
    record: 'Enregistrer la revue',
    recordOf: 'Enregistrer la revue de {account}',
    recorded: 'Revue enregistrée : la prochaine est prévue le {instant}.',
    notRecorded: 'La revue n’a pas été enregistrée',
    cancel: 'Annuler',
  },
  tierChangeRefusal: {
    no_change: 'Le compte est déjà en {tier}.',
    reason_required: 'Ce changement demande un motif écrit.',
    capacity_exceeded: '{tier} est plein au-delà de ce que quiconque peut autoriser.',
    not_allowed_for_role: 'Votre rôle ABM ne permet pas de demander ce changement.',
    approval_pending: 'Un changement de tier de ce compte attend déjà une approbation.',
  },
  delivery: {
    delivered: 'MQA livrés',
    committed: 'MQA promis',
    acceptanceRate: 'Acceptation commerciale',
    minimumRate: 'Acceptation minimale',
    verdict: { met: 'Tenu', missed: 'Manqué', on_track: 'Dans les temps', behind: 'En retard' },
  },
  task: {
    title: { reminder: 'SLA à risque', breach: 'SLA dépassé', escalation: 'Dépassement de SLA escaladé' },
    todo: {
      sales_follow_up: 'enregistrer un premier contact',
      sales_feedback: 'accepter ou refuser la transmission',
      approval_decision: 'décider du changement de tier',
      marketing_delivery: 'livrer les MQA promis',
    },
    subject: '{title} : {todo} sur {account}',
    body: 'ABM Pilot : le SLA « {sla} » sur {account} était dû le {due}.',
    digestSubject: 'Synthèse des SLA ABM : {count} autres comptes demandent votre attention',
    deliverySubject: 'Livraison marketing manquée en {month} : {tiers}',
    deliveryBody: 'ABM Pilot : le marketing n’a pas tenu son engagement de MQA pour {month}.',
    deliveryShortOfMqas: '{tier} : MQA livrés {delivered} sur {committed} promis (il en manque {missing}).',
    deliveryBelowAcceptance:
      '{tier} : les commerciaux ont accepté {rate} des transmissions traitées ({accepted} sur {answered}), sous le minimum de {minimum}.',
  },
  tierReason: {
    score: 'Score {score}',
    scoreWithReasons: 'Score {score} : {reasons}',
    editAudited: 'Modifié dans le CRM (audité)',
    editWithinRules: 'Modifié dans le CRM (dans les règles)',
    editReverted: 'Modification CRM annulée ; soumise à approbation',
    editRefused: 'Modification CRM annulée : {why}',
  },
};

export const VOCABULARIES: Readonly<Record<Locale, Vocabulary>> = { en: EN, fr: FR };

export const vocabularyOf = (locale: Locale): Vocabulary => VOCABULARIES[locale];

/** Fills `{name}` placeholders; a name without a value stays as written, so a gap shows in review. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : placeholder,
  );
}

/** A tier, or the untargeted state, in words. */
export const tierLabelOf = (vocabulary: Vocabulary, tier: TierOrNone): string =>
  tier === null ? vocabulary.untargeted : vocabulary.tier[tier];

/** A handover reason code in words: the default codes are named, a tenant's own read as written. */
export const reasonCodeLabelOf = (vocabulary: Vocabulary, code: string): string =>
  vocabulary.reasonCode[code] ?? code.replaceAll('_', ' ');
