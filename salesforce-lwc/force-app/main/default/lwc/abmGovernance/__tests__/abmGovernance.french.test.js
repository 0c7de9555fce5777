import { createElement } from '@lwc/engine-dom';
import AbmGovernance from 'c/abmGovernance';
import getMetrics from '@salesforce/apex/AbmPilotController.getMetrics';
import getPortfolioReview from '@salesforce/apex/AbmPilotController.getPortfolioReview';
import getMarketingDelivery from '@salesforce/apex/AbmPilotController.getMarketingDelivery';
import listApprovals from '@salesforce/apex/AbmPilotController.listApprovals';
import approve from '@salesforce/apex/AbmPilotController.approve';
import reject from '@salesforce/apex/AbmPilotController.reject';

const METRICS = require('./data/getMetrics.json');
const REVIEW = require('./data/getPortfolioReview.json');
const DELIVERY = require('./data/getMarketingDelivery.json');
const APPROVALS = require('./data/listApprovals.json');
const APPROVED = require('./data/approve.json');

// A French-speaking user, as Salesforce tags the language.
jest.mock('@salesforce/i18n/lang', () => ({ default: 'fr' }));
jest.mock('@salesforce/apex/AbmPilotController.getMetrics', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.getPortfolioReview', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.getMarketingDelivery', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.listApprovals', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.approve', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AbmPilotController.reject', () => ({ default: jest.fn() }), { virtual: true });

const NOW = Date.parse('2026-04-15T08:00:00.000Z');

const apexError = (code, message) => ({
  ok: false,
  status: 500,
  statusText: 'Server Error',
  body: { message: JSON.stringify({ code, message }) },
});

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
// French puts (narrow) no-break spaces in numbers (`100 %`); \s matches them.
const words = (node) => node.textContent.replace(/\s+/g, ' ').trim();
const text = (element, selector) => words($(element, selector));

async function render() {
  const element = createElement('c-abm-governance', { is: AbmGovernance });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function listenForToasts(element) {
  const handler = jest.fn();
  element.addEventListener('lightning__showtoast', handler);
  return () => handler.mock.calls.map(([event]) => event.detail);
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
  getMetrics.mockResolvedValue(METRICS);
  getPortfolioReview.mockResolvedValue(REVIEW);
  getMarketingDelivery.mockResolvedValue(DELIVERY);
  listApprovals.mockResolvedValue(APPROVALS);
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.restoreAllMocks();
});

describe('c-abm-governance for a French-speaking user', () => {
  it("labels the page and its filters in French, with shared's segments", async () => {
    const element = await render();

    expect($(element, 'lightning-card').title).toBe('Gouvernance ABM');
    expect($(element, 'lightning-input.from').label).toBe('Du');
    expect($(element, 'lightning-input.to').label).toBe('Au');
    const segment = $(element, 'lightning-combobox.segment');
    expect(segment.label).toBe('Comptes');
    expect(segment.options.map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 2',
      'Tier 3',
      'Tous les comptes ABM',
      'Hors ABM',
      'Tous les comptes',
    ]);
  });

  it('shows the headline metrics with French labels and French percentages', async () => {
    const element = await render();

    const tiles = Object.fromEntries(
      $$(element, 'li.tile').map((li) => [
        words(li.querySelector('.slds-text-title')),
        words(li.querySelector('.tile-value')),
      ]),
    );
    expect(tiles).toEqual({
      'Part du pipeline ouvert': '100 %',
      'Taux de gain': '100 %',
      'Comptes avec une opportunité': '100 %',
      'Respect des SLA': '100 %',
      'Délai médian du premier contact': '25 h',
      'ROI à coût complet': '168 %',
      'Approbations en attente': '0',
      'Approbations en retard': '0',
    });
  });

  it('reviews the portfolio in French', async () => {
    const element = await render();

    expect(text(element, '.review-totals')).toBe('1 en écart, 1 en retard de revue');
    expect($$(element, 'li.capacity-row').map(words)).toEqual([
      'Tier 1 : 24 sur 25',
      'Tier 2 : 103 sur 100',
      'Tier 3 : 311 sur 500',
    ]);
    expect($$(element, 'li.capacity-row')[1].querySelector('lightning-badge').label).toBe(
      'Capacité dépassée',
    );
    expect(text(element, '.drift li')).toBe('Contoso Retail : Tier 1, recommandé Tier 3 (2 au-dessus)');
    expect(text(element, '.overdue li')).toBe('Northwind Logistics : Revue Tier 2 en retard de 15 j');
    expect($(element, 'lightning-button.choose-review').label).toBe('Enregistrer la revue');
    expect($(element, 'lightning-button.choose-review').title).toBe(
      'Enregistrer la revue de Northwind Logistics',
    );
  });

  it('lists the approval queue in French', async () => {
    const element = await render();

    expect(text(element, 'li.approval p')).toBe('18230045611 : Tier 2 → Tier 1 (Décision Tier 1)');
    expect(text(element, 'li.approval .requested')).toBe(
      'Demandé par Léa Martin : Board-level sponsor and a 1.2M renewal in play',
    );
    expect(text(element, 'li.approval .due')).toBe(
      'Décidé par Comité ABM ou Chief ABM Officer. Décision attendue, encore 6 j 1 h',
    );
    expect($(element, 'lightning-button.review-approval').label).toBe('Examiner');
  });

  it('toasts an approval with the CRM-write note in French', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    approve.mockResolvedValue(APPROVED);

    $(element, 'lightning-button.review-approval').click();
    await flushPromises();
    expect($(element, 'lightning-button.approve').label).toBe('Approuver');
    $(element, 'lightning-button.approve').click();
    await flushPromises();

    expect(toasts()).toEqual([
      {
        title: 'Changement approuvé',
        message: "Le compte est désormais Tier 1. L'enregistrement Salesforce l'affiche déjà.",
        variant: 'success',
      },
    ]);
  });

  it('toasts a refused decision by its error code in French', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    approve.mockRejectedValue(apexError('approval_expired', 'Approval apr_01HZX3K9T2 expired.'));

    $(element, 'lightning-button.review-approval').click();
    await flushPromises();
    $(element, 'lightning-button.approve').click();
    await flushPromises();

    expect(toasts()).toEqual([
      {
        title: 'Décision non enregistrée',
        message: 'Cette approbation a expiré : le changement doit être redemandé.',
        variant: 'error',
      },
    ]);
    expect(reject).not.toHaveBeenCalled();
  });

  it('explains in French a section the role may not see, and one that failed', async () => {
    getMetrics.mockRejectedValue(apexError('forbidden', 'Your role may not read governance metrics.'));
    getPortfolioReview.mockRejectedValue(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached.'),
    );
    const element = await render();

    expect($(element, 'c-error-panel.metrics-error').friendlyMessage).toBe(
      'Votre rôle ABM ne donne pas accès au tableau de bord.',
    );
    const review = $(element, 'c-error-panel.review-error');
    expect(review.friendlyMessage).toBe("ABM Pilot n'a pas pu charger la revue du portefeuille.");
    expect(review.shadowRoot.querySelector('.details-toggle').label).toBe('Afficher les détails');
  });

  it('shows marketing delivery in French, with French numbers', async () => {
    const element = await render();

    expect(text(element, 'section.delivery h2')).toBe('Livraison marketing');
    const row = $$(element, 'table.delivery-current tr.delivery-row')[1];
    expect([...row.querySelectorAll('th, td')].map(words)).toEqual(['Tier 2', '7', '8', '50 %', '60 %', '']);
    expect(row.querySelector('lightning-badge').label).toBe('En retard');
    const march = $(element, 'table.delivery-month[data-month="2026-03"]');
    expect(words(march.querySelector('caption'))).toBe('mars 2026');
    expect(march.querySelector('lightning-badge').label).toBe('Manqué');
  });
});
