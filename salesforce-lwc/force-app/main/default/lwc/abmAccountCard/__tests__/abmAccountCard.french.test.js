import { createElement } from '@lwc/engine-dom';
import AbmAccountCard from 'c/abmAccountCard';
import { getRecord } from 'lightning/uiRecordApi';
import getCard from '@salesforce/apex/AbmPilotController.getCard';
import changeTier from '@salesforce/apex/AbmPilotController.changeTier';

const CARD = require('./data/getCard.json');
const NEEDS_APPROVAL = require('./data/changeTierNeedsApproval.json');

// A French-speaking user: Salesforce tags the language `fr-FR` (or `fr`, `fr-CA`...).
jest.mock('@salesforce/i18n/lang', () => ({ default: 'fr-FR' }));
jest.mock('@salesforce/apex/AbmPilotController.getCard', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AbmPilotController.changeTier', () => ({ default: jest.fn() }), {
  virtual: true,
});

const RECORD_ID = '001Hs00000ABCdeIAF';
const NOW = Date.parse('2026-04-15T08:00:00.000Z');

const apexError = (code, message) => ({
  ok: false,
  status: 500,
  statusText: 'Server Error',
  body: { message: JSON.stringify({ code, message }) },
});

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const withCard = (changes) => ({ ...CARD, ...changes });

async function render(card = CARD) {
  getCard.mockResolvedValue(card);
  const element = createElement('c-abm-account-card', { is: AbmAccountCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

async function renderUnreachable(emitRecord) {
  getCard.mockRejectedValue(
    apexError('server_unreachable', 'The ABM Pilot server cannot be reached right now.'),
  );
  const element = createElement('c-abm-account-card', { is: AbmAccountCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  emitRecord();
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
// French puts (narrow) no-break spaces in numbers and dates; \s matches them.
const words = (node) => node.textContent.replace(/\s+/g, ' ').trim();
const text = (element, selector) => words($(element, selector));

function choose(element, selector, value) {
  const input = $(element, selector);
  input.value = value;
  input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function listenForToasts(element) {
  const handler = jest.fn();
  element.addEventListener('lightning__showtoast', handler);
  return () => handler.mock.calls.map(([event]) => event.detail);
}

async function requestTier(element, tier, reason) {
  choose(element, 'lightning-combobox.target-tier', tier);
  if (reason) choose(element, 'lightning-textarea.reason', reason);
  await flushPromises();
  $(element, 'lightning-button.request-tier-change').click();
  await flushPromises();
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.restoreAllMocks();
});

describe('c-abm-account-card for a French-speaking user', () => {
  it('shows the tier, the score with French numbers and the reasons in French', async () => {
    const element = await render(
      withCard({
        tier: { assigned: 'tier_1', recommended: 'tier_3', drift: { steps: 2, direction: 'above' } },
      }),
    );

    expect($(element, 'lightning-badge.assigned-tier').label).toBe('Tier 1');
    expect(text(element, '.recommended')).toBe('Recommandé : Tier 3');
    expect(text(element, '.drift')).toBe('2 tiers au-dessus de la recommandation');
    expect($(element, '.drift lightning-icon').alternativeText).toBe('Écart');
    expect(text(element, '.score-value')).toBe('71,4 / 100');
    expect($$(element, '.axes li').map(words)).toEqual([
      'Potentiel de revenus : 78,2',
      'Probabilité de succès : 64,9',
      'Alignement stratégique : 70',
    ]);
    expect($$(element, '.reasons li').map(words)).toEqual([
      "Chiffre d'affaires annuel : 13,1 sur 16 points",
      'Engagement : 9,8 sur 12,25 points',
      'Secteur ICP : 10 sur 10 points',
    ]);
    expect(text(element, '.missing')).toBe("Pas encore de données : Historique de gains, Score d'intention");
  });

  it('shows each SLA with its French status and time left, and the owners in French', async () => {
    const element = await render();

    const [sla] = $$(element, 'li.sla');
    expect(words(sla)).toContain('Premier contact commercial');
    expect(sla.querySelector('lightning-badge').label).toBe('À risque');
    expect(words(sla.querySelector('.time-left'))).toBe('encore 8 h');
    expect($$(element, 'li.owner').map(words)).toEqual([
      'Propriétaire du compte : Tom Becker (Commercial)',
      'Responsable ABM du compte : Léa Martin (Marketeur)',
    ]);
    expect(text(element, '.pending-approval')).toContain('Tier 2 → Tier 1, demandé par Léa Martin');
    expect(text(element, '.pending-approval')).toContain(
      'Décidé par Comité ABM ou Chief ABM Officer. Décision attendue, encore 6 j 1 h',
    );
    // 07:55 UTC in the user's Salesforce time zone (Europe/Paris in these tests), written the French way.
    expect(text(element, '.last-sync')).toMatch(/^Dernière synchronisation : 15 avr\. 2026.*09:55$/);
    expect($(element, 'lightning-button-icon').alternativeText).toBe('Actualiser les données ABM Pilot');
  });

  it('shows the portfolio review in French, with the action to record one', async () => {
    const element = await render();

    expect($(element, 'lightning-badge.review-overdue').label).toBe('Revue en retard');
    expect(text(element, '.review-last')).toMatch(
      /^Dernière revue le 9 févr\. 2026.*11:30 par Léa Martin\.$/,
    );
    expect(text(element, '.review-due')).toMatch(/^Revue en retard depuis le 10 avr\. 2026.*12:30\.$/);
    expect($(element, 'lightning-textarea.review-note').label).toBe('Note de revue (facultative)');
    expect($(element, 'lightning-button.record-review').label).toBe('Enregistrer la revue');
  });

  it('offers the tier change and the handover feedback in French', async () => {
    const element = await render(
      withCard({
        pendingApproval: null,
        actions: { ...CARD.actions, handoverFeedback: { ...CARD.actions.handoverFeedback, pending: true } },
      }),
    );

    const target = $(element, 'lightning-combobox.target-tier');
    expect(target.label).toBe('Nouveau tier');
    expect(target.placeholder).toBe('Choisir un tier');
    expect(target.options.map((option) => option.label)).toEqual(['Tier 1', 'Tier 3', 'Non ciblé']);
    expect($(element, 'lightning-button.request-tier-change').label).toBe('Demander le changement');
    expect($(element, 'lightning-combobox.feedback-decision').options.map((o) => o.label)).toEqual([
      'Accepter',
      'Refuser',
    ]);
    choose(element, 'lightning-combobox.feedback-decision', 'rejected');
    await flushPromises();
    expect($(element, 'lightning-combobox.feedback-reason').options.map((o) => o.label)).toEqual([
      'Pas de budget',
      'wrong contact',
    ]);
  });

  it('toasts an applied change with the CRM-write note in French', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockResolvedValueOnce({
      outcome: 'applied',
      route: 'routine',
      tier: 'tier_3',
      crmWrite: 'done',
    });
    changeTier.mockResolvedValueOnce({
      outcome: 'applied',
      route: 'routine',
      tier: null,
      crmWrite: 'pending',
    });

    await requestTier(element, 'tier_3');
    await requestTier(element, 'none', 'Sorti de notre cible');

    expect(toasts()).toEqual([
      {
        title: 'Tier modifié',
        message: "Le compte est désormais Tier 3. L'enregistrement Salesforce l'affiche déjà.",
        variant: 'success',
      },
      {
        title: 'Tier modifié',
        message:
          "Le compte est désormais Non ciblé. Salesforce ne l'a pas encore confirmé : l'enregistrement suivra d'ici quelques minutes.",
        variant: 'success',
      },
    ]);
  });

  it('toasts who decides, a refusal and a failure in French', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockResolvedValueOnce(NEEDS_APPROVAL);
    changeTier.mockResolvedValueOnce({
      outcome: 'rejected',
      code: 'capacity_exceeded',
      message: 'Tier 1 is full beyond what anyone may allow.',
    });
    changeTier.mockRejectedValueOnce(apexError('rate_limited', 'Too many requests.'));

    await requestTier(element, 'tier_1', 'Sponsor au comité de direction');
    await requestTier(element, 'tier_1');
    await requestTier(element, 'tier_1');

    expect(toasts()).toEqual([
      {
        title: 'Envoyé pour approbation',
        message: 'Tier 1 attend la décision : Comité ABM ou Chief ABM Officer.',
        variant: 'info',
      },
      {
        title: 'Changement de tier refusé',
        message: 'Tier 1 est plein au-delà de ce que quiconque peut autoriser.',
        variant: 'warning',
      },
      {
        title: 'Échec du changement de tier',
        message: 'ABM Pilot est occupé : réessayez dans un instant.',
        variant: 'error',
      },
    ]);
  });

  it('asks for a missing reason in French', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const textarea = $(element, 'lightning-textarea.reason');
    textarea.setCustomValidity = jest.fn();
    textarea.reportValidity = jest.fn();

    await requestTier(element, 'none');

    expect(changeTier).not.toHaveBeenCalled();
    expect(textarea.setCustomValidity).toHaveBeenCalledWith('Ce changement demande un motif.');
  });

  it('shows the last synced values marked stale, in French, when the server cannot be reached', async () => {
    const element = await renderUnreachable(() =>
      getRecord.emit({
        apiName: 'Account',
        id: RECORD_ID,
        fields: {
          ABM_Tier__c: { value: null },
          ABM_Score__c: { value: 71.4 },
          ABM_SLA_Status__c: { value: 'breached' },
        },
      }),
    );

    expect($(element, 'lightning-badge.stale-badge').label).toBe('Périmé');
    expect($(element, 'lightning-badge.stale-badge').iconAlternativeText).toBe('Données périmées');
    expect(text(element, '.stale-note')).toBe(
      'ABM Pilot est injoignable : voici les valeurs de la dernière synchronisation.',
    );
    expect(text(element, '.stale-tier')).toBe('Tier : Non ciblé');
    expect(text(element, '.stale-score')).toBe('Score : 71,4');
    expect(text(element, '.stale-sla')).toBe('SLA : Dépassé');
    // The user may not read the last sync field: optionalFields left it out.
    expect($(element, '.stale-last-sync')).toBeNull();
  });

  it('explains in French, in the error panel, why the card could not load', async () => {
    getCard.mockRejectedValue(apexError('unknown_user', 'ABM Pilot does not know your user yet.'));
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    await flushPromises();

    const panel = $(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe("ABM Pilot n'a pas pu charger ce compte.");
    panel.shadowRoot.querySelector('.details-toggle').click();
    await flushPromises();
    expect([...panel.shadowRoot.querySelectorAll('.details li')].map(words)).toEqual([
      'ABM Pilot ne connaît pas encore votre utilisateur Salesforce : il apparaîtra après la prochaine synchronisation.',
    ]);
  });

  it('says in French that neither the server nor synced values are available', async () => {
    const element = await renderUnreachable(() => getRecord.error());

    expect($(element, 'c-error-panel').friendlyMessage).toBe(
      "ABM Pilot est injoignable et aucune valeur synchronisée n'est disponible.",
    );
  });
});
