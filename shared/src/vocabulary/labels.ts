import { z } from 'zod';

import type {
  AlertKind,
  ApprovalState,
  Axis,
  CostCategory,
  Criterion,
  DecisionRoute,
  HandoverDecision,
  MetricSegment,
  Role,
  SlaKind,
  SlaStatus,
  Tier,
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
