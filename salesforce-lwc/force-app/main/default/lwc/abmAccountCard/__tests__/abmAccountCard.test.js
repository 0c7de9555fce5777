import { createElement } from '@lwc/engine-dom';
import AbmAccountCard from 'c/abmAccountCard';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getCard from '@salesforce/apex/AbmPilotController.getCard';
import changeTier from '@salesforce/apex/AbmPilotController.changeTier';
import sendHandoverFeedback from '@salesforce/apex/AbmPilotController.sendHandoverFeedback';
import handOver from '@salesforce/apex/AbmPilotController.handOver';
import recordReview from '@salesforce/apex/AbmPilotController.recordReview';

const CARD = require('./data/getCard.json');
const NEEDS_APPROVAL = require('./data/changeTierNeedsApproval.json');
const FEEDBACK = require('./data/handoverFeedback.json');
const HANDED_OVER = require('./data/handOver.json');
const REVIEWED = require('./data/recordReview.json');

jest.mock('@salesforce/apex/AbmPilotController.getCard', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AbmPilotController.changeTier', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.sendHandoverFeedback', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AbmPilotController.handOver', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/AbmPilotController.recordReview', () => ({ default: jest.fn() }), {
  virtual: true,
});

const RECORD_ID = '001Hs00000ABCdeIAF';
// The card data's clock: the at-risk follow-up SLA is due 2026-04-15T16:00Z.
const NOW = Date.parse('2026-04-15T08:00:00.000Z');

/** An Apex failure as the controller throws it: the server's code and message as JSON. */
const apexError = (code, message) => ({
  ok: false,
  status: 500,
  statusText: 'Server Error',
  body: { message: JSON.stringify({ code, message }) },
});

const STALE_RECORD = {
  apiName: 'Account',
  id: RECORD_ID,
  fields: {
    ABM_Tier__c: { value: 'Tier 2', displayValue: 'Tier 2' },
    ABM_Score__c: { value: 71.4, displayValue: '71.4' },
    ABM_SLA_Status__c: { value: 'at_risk', displayValue: 'At risk' },
    ABM_Last_Sync__c: { value: '2026-04-15T07:55:12.000Z', displayValue: null },
  },
};

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

const withCard = (changes) => ({ ...CARD, ...changes });
const withActions = (changes) => withCard({ actions: { ...CARD.actions, ...changes } });

async function render(card = CARD) {
  getCard.mockResolvedValue(card);
  const element = createElement('c-abm-account-card', { is: AbmAccountCard });
  element.recordId = RECORD_ID;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (element, selector) => $(element, selector).textContent.replace(/\s+/g, ' ').trim();

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

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.restoreAllMocks();
});

describe('c-abm-account-card', () => {
  it('shows a spinner with alternative text while the card loads', () => {
    getCard.mockReturnValue(new Promise(() => {}));
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);

    const spinner = $(element, 'lightning-spinner');
    expect(spinner).not.toBeNull();
    expect(spinner.alternativeText).toBe('Loading ABM Pilot data');
  });

  it('asks the server for this account and reads the synced fields optionally through LDS', async () => {
    await render();

    expect(getCard).toHaveBeenCalledWith({ accountId: RECORD_ID });
    const config = getRecord.getLastConfig();
    expect(config.recordId).toBe(RECORD_ID);
    expect(config.fields).toBeUndefined();
    expect(config.optionalFields.map((field) => field.fieldApiName)).toEqual([
      'ABM_Tier__c',
      'ABM_Score__c',
      'ABM_SLA_Status__c',
      'ABM_Last_Sync__c',
    ]);
  });

  it('shows the tier, the recommendation and no drift when they agree', async () => {
    const element = await render();

    expect($(element, 'lightning-spinner')).toBeNull();
    expect($(element, 'lightning-badge.assigned-tier').label).toBe('Tier 2');
    expect(text(element, '.recommended')).toBe('Recommended: Tier 2');
    expect($(element, '.drift')).toBeNull();
  });

  it("says when the account was last synced, in the user's time zone", async () => {
    const element = await render();

    // 07:55 UTC in Europe/Paris, the time zone of these tests (jest-mocks/i18n/timeZone.js).
    expect(text(element, '.last-sync')).toBe('Last sync: Apr 15, 2026, 09:55 AM');
  });

  it('warns of drift with a labelled icon when the tier sits away from the recommendation', async () => {
    const element = await render(
      withCard({
        tier: { assigned: 'tier_1', recommended: 'tier_3', drift: { steps: 2, direction: 'above' } },
      }),
    );

    expect(text(element, '.drift')).toBe('2 tiers above the recommendation');
    expect($(element, '.drift lightning-icon').alternativeText).toBe('Drift');
  });

  it('shows the score, its three axes, the top reasons and the criteria and signals without data', async () => {
    const element = await render();

    expect(text(element, '.score-value')).toBe('71.4 / 100');
    expect($$(element, '.axes li').map((li) => li.textContent)).toEqual([
      'Revenue potential: 78.2',
      'Probability of success: 64.9',
      'Strategic alignment: 70',
    ]);
    expect($$(element, '.reasons li').map((li) => li.textContent)).toEqual([
      'Annual revenue: 13.1 of 16 points',
      'Engagement: 9.8 of 12.25 points',
      'ICP industry: 10 of 10 points',
    ]);
    expect(text(element, '.missing')).toBe('No data yet: Win history, Intent score');
  });

  it('names an empty region, strategic flag and intent score, and only criteria from an older server', async () => {
    const empty = await render(
      withCard({
        score: { ...CARD.score, missing: ['icp_region', 'strategic_flag'], missingSignals: ['intent'] },
      }),
    );
    expect(text(empty, '.missing')).toBe('No data yet: ICP region, Strategic flag, Intent score');
    document.body.removeChild(empty);

    const { missingSignals, ...older } = CARD.score;
    expect(missingSignals).toEqual(['intent']);
    const element = await render(withCard({ score: older }));
    expect(text(element, '.missing')).toBe('No data yet: Win history');
  });

  it('says so when the account has no score yet', async () => {
    const element = await render(withCard({ score: null }));

    expect(text(element, '.no-score')).toBe('Not scored yet.');
    expect($(element, '.axes')).toBeNull();
  });

  it('lists each SLA with its status and the time left', async () => {
    const element = await render();

    const [sla] = $$(element, 'li.sla');
    expect(sla.textContent).toContain('Sales follow-up');
    expect(sla.querySelector('lightning-badge').label).toBe('At risk');
    expect(sla.querySelector('.time-left').textContent).toBe('8 h left');
  });

  it('shows an overdue SLA as overdue and a stopped one as stopped', async () => {
    const [running] = CARD.slas;
    const element = await render(
      withCard({
        slas: [
          { ...running, status: 'breached', dueAt: '2026-04-14T05:30:00.000Z' },
          { ...running, key: 'stopped', status: 'met', stoppedAt: '2026-04-14T10:00:00.000Z' },
        ],
      }),
    );

    expect($$(element, '.time-left').map((span) => span.textContent)).toEqual([
      'overdue by 1 d 2 h',
      'stopped',
    ]);
  });

  it('says so when no SLA runs', async () => {
    const element = await render(withCard({ slas: [] }));

    expect(text(element, '.no-slas')).toBe('No SLA on this account.');
  });

  it('lists the owners with their ownership and governance roles', async () => {
    const element = await render();

    expect($$(element, 'li.owner').map((li) => li.textContent)).toEqual([
      'Account owner: Tom Becker (Sales rep)',
      'ABM owner: Léa Martin (Marketer)',
    ]);
  });

  it('shows the pending approval and no tier change while the server refuses one', async () => {
    const element = await render(withActions({ tierChange: { ...CARD.actions.tierChange, allowed: false } }));

    expect(text(element, '.pending-approval')).toContain('Tier 2 → Tier 1, requested by Léa Martin');
    expect(text(element, '.pending-approval')).toContain('Decided by ABM committee or Chief ABM Officer');
    expect($(element, '.tier-change')).toBeNull();
  });

  it('offers the reachable tiers, each labelled, when the user may change the tier', async () => {
    const element = await render(withCard({ pendingApproval: null }));

    const combobox = $(element, 'lightning-combobox.target-tier');
    expect(combobox.label).toBe('New tier');
    expect(combobox.options.map((option) => option.label)).toEqual(['Tier 1', 'Tier 3', 'Not targeted']);
    expect($(element, 'lightning-textarea.reason').label).toBe('Reason');
    expect($(element, 'lightning-button.request-tier-change').disabled).toBe(true);
  });

  it('hides the tier change from a user the rules do not allow', async () => {
    const element = await render({
      ...withActions({ tierChange: { allowed: false, targets: [] } }),
      pendingApproval: null,
    });

    expect($(element, '.tier-change')).toBeNull();
  });

  it('applies a tier change, toasts success and tells LDS the record changed', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockResolvedValue({ outcome: 'applied', route: 'routine', tier: 'tier_3', crmWrite: 'done' });
    getCard.mockResolvedValue(
      withCard({ pendingApproval: null, tier: { ...CARD.tier, assigned: 'tier_3' } }),
    );

    choose(element, 'lightning-combobox.target-tier', 'tier_3');
    await flushPromises();
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    expect(changeTier).toHaveBeenCalledWith({
      accountId: RECORD_ID,
      toTier: 'tier_3',
      reason: '',
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_:.-]{8,128}$/),
    });
    expect(toasts()).toEqual([
      {
        title: 'Tier changed',
        message: 'The account is now Tier 3. The Salesforce record shows it now.',
        variant: 'success',
      },
    ]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    expect(getCard).toHaveBeenCalledTimes(2);
    expect($(element, 'lightning-badge.assigned-tier').label).toBe('Tier 3');
  });

  it('sends a change for approval with its reason and toasts who decides', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockResolvedValue(NEEDS_APPROVAL);

    choose(element, 'lightning-combobox.target-tier', 'tier_1');
    choose(element, 'lightning-textarea.reason', '  Board sponsor  ');
    await flushPromises();
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    expect(changeTier).toHaveBeenCalledWith(
      expect.objectContaining({ toTier: 'tier_1', reason: 'Board sponsor' }),
    );
    expect(toasts()).toEqual([
      {
        title: 'Sent for approval',
        message: 'Tier 1 awaits ABM committee or Chief ABM Officer.',
        variant: 'info',
      },
    ]);
    expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
  });

  it('untargets the account with a null tier', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    changeTier.mockResolvedValue({ outcome: 'applied', route: 'routine', tier: null });

    choose(element, 'lightning-combobox.target-tier', 'none');
    choose(element, 'lightning-textarea.reason', 'Left the ICP');
    await flushPromises();
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    expect(changeTier).toHaveBeenCalledWith(
      expect.objectContaining({ toTier: null, reason: 'Left the ICP' }),
    );
  });

  it('asks for a reason before sending when the target requires one', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const textarea = $(element, 'lightning-textarea.reason');
    textarea.setCustomValidity = jest.fn();
    textarea.reportValidity = jest.fn();

    choose(element, 'lightning-combobox.target-tier', 'none');
    await flushPromises();
    expect(textarea.required).toBe(true);
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    expect(changeTier).not.toHaveBeenCalled();
    expect(textarea.setCustomValidity).toHaveBeenCalledWith('A reason is required for this change.');
    expect(textarea.reportValidity).toHaveBeenCalled();
  });

  it('toasts the rules refusal as a warning and keeps the form', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockResolvedValue({
      outcome: 'rejected',
      code: 'capacity_exceeded',
      message: 'Tier 1 is full beyond what anyone may allow.',
    });

    choose(element, 'lightning-combobox.target-tier', 'tier_1');
    await flushPromises();
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    expect(toasts()).toEqual([
      {
        title: 'Tier change refused',
        message: 'Tier 1 is full beyond what anyone may allow.',
        variant: 'warning',
      },
    ]);
    expect($(element, 'lightning-combobox.target-tier').value).toBe('tier_1');
  });

  it('toasts a failed change and retries it with the same idempotency key', async () => {
    const element = await render(withCard({ pendingApproval: null }));
    const toasts = listenForToasts(element);
    changeTier.mockRejectedValueOnce(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached right now.'),
    );
    changeTier.mockResolvedValueOnce({ outcome: 'applied', route: 'routine', tier: 'tier_3' });

    choose(element, 'lightning-combobox.target-tier', 'tier_3');
    await flushPromises();
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();
    expect(toasts()[0]).toEqual({
      title: 'Tier change failed',
      message: 'The ABM Pilot server cannot be reached right now.',
      variant: 'error',
    });
    $(element, 'lightning-button.request-tier-change').click();
    await flushPromises();

    const [first, second] = changeTier.mock.calls.map(([params]) => params.idempotencyKey);
    expect(second).toBe(first);
  });

  it('asks a rep for handover feedback and sends the decision with its reason code', async () => {
    const element = await render(
      withActions({ handoverFeedback: { ...CARD.actions.handoverFeedback, pending: true } }),
    );
    const toasts = listenForToasts(element);
    sendHandoverFeedback.mockResolvedValue(FEEDBACK);

    expect($(element, 'lightning-combobox.feedback-decision').options.map((o) => o.label)).toEqual([
      'Accept',
      'Reject',
    ]);
    choose(element, 'lightning-combobox.feedback-decision', 'rejected');
    await flushPromises();
    // Shared names its default reason codes; a tenant's own code reads as written.
    expect($(element, 'lightning-combobox.feedback-reason').options).toEqual([
      { label: 'No budget', value: 'no_budget' },
      { label: 'wrong contact', value: 'wrong_contact' },
    ]);
    choose(element, 'lightning-combobox.feedback-reason', 'no_budget');
    await flushPromises();
    $(element, 'lightning-button.send-feedback').click();
    await flushPromises();

    expect(sendHandoverFeedback).toHaveBeenCalledWith({
      accountId: RECORD_ID,
      decision: 'rejected',
      reasonCode: 'no_budget',
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_:.-]{8,128}$/),
    });
    expect(toasts()[0]).toMatchObject({ title: 'Feedback recorded', variant: 'success' });
  });

  it('toasts feedback the server refuses in words of its code and retries it with the same key', async () => {
    const element = await render(
      withActions({ handoverFeedback: { ...CARD.actions.handoverFeedback, pending: true } }),
    );
    const toasts = listenForToasts(element);
    sendHandoverFeedback.mockRejectedValue(
      apexError('forbidden', 'Only the account owner answers a handover.'),
    );

    choose(element, 'lightning-combobox.feedback-decision', 'accepted');
    choose(element, 'lightning-combobox.feedback-reason', 'fit_confirmed');
    await flushPromises();
    $(element, 'lightning-button.send-feedback').click();
    await flushPromises();

    expect(toasts()).toEqual([
      {
        title: 'Feedback not recorded',
        message: 'This is not allowed.',
        variant: 'error',
      },
    ]);
    $(element, 'lightning-button.send-feedback').click();
    await flushPromises();
    const [first, second] = sendHandoverFeedback.mock.calls.map(([params]) => params.idempotencyKey);
    expect(second).toBe(first);
  });

  it('hides handover feedback when none is pending', async () => {
    const element = await render();

    expect($(element, '.handover-feedback')).toBeNull();
  });

  it('shows when the account was last reviewed, by whom, and that its review is overdue', async () => {
    const element = await render();

    expect($(element, 'lightning-badge.review-overdue').label).toBe('Review overdue');
    expect(text(element, '.review-last')).toBe('Last reviewed Feb 9, 2026, 11:30 AM by Léa Martin.');
    expect(text(element, '.review-due')).toBe('Review overdue since Apr 10, 2026, 12:30 PM.');
  });

  it('records a review with its note, toasts when the next is due and reloads the card', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    recordReview.mockResolvedValue(REVIEWED);
    getCard.mockResolvedValue(withCard({ review: REVIEWED.review }));

    choose(element, 'lightning-textarea.review-note', '  Renewal on track  ');
    await flushPromises();
    $(element, 'lightning-button.record-review').click();
    await flushPromises();

    expect(recordReview).toHaveBeenCalledWith({
      accountId: RECORD_ID,
      note: 'Renewal on track',
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_:.-]{8,128}$/),
    });
    expect(toasts()).toEqual([
      {
        title: 'Portfolio review',
        message: 'Review recorded: the next one is due Jun 14, 2026, 12:05 PM.',
        variant: 'success',
      },
    ]);
    expect(getCard).toHaveBeenCalledTimes(2);
    expect($(element, 'lightning-badge.review-overdue')).toBeNull();
    expect(text(element, '.review-due')).toBe('Next review due Jun 14, 2026, 12:05 PM.');
    expect($(element, 'lightning-textarea.review-note').value).toBe('');
  });

  it('toasts a review the server refuses in words of its code and retries it with the same key', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    recordReview.mockRejectedValue(apexError('forbidden', 'Only the ABM owner or an ABM manager reviews.'));

    $(element, 'lightning-button.record-review').click();
    await flushPromises();
    expect(toasts()).toEqual([
      { title: 'The review was not recorded', message: 'This is not allowed.', variant: 'error' },
    ]);
    $(element, 'lightning-button.record-review').click();
    await flushPromises();

    const [first, second] = recordReview.mock.calls.map(([params]) => params.idempotencyKey);
    expect(second).toBe(first);
    expect(recordReview.mock.calls[0][0].note).toBe('');
  });

  it('offers no review to a user the server does not allow, and no review section from an older server', async () => {
    const refused = await render(withActions({ review: { allowed: false } }));
    expect($(refused, '.review-last')).not.toBeNull();
    expect($(refused, 'lightning-button.record-review')).toBeNull();
    document.body.removeChild(refused);

    // A server before API revision 3 sends neither the review clock nor the review action.
    const olderCard = { ...CARD, actions: { ...CARD.actions } };
    delete olderCard.review;
    delete olderCard.actions.review;
    const older = await render(olderCard);
    expect($(older, '.review')).toBeNull();
  });

  it('lets a marketer hand the account over and toasts when the first touch and the answer are due', async () => {
    const element = await render(withActions({ handover: { allowed: true } }));
    const toasts = listenForToasts(element);
    handOver.mockResolvedValue(HANDED_OVER);

    $(element, 'lightning-button.hand-over-submit').click();
    await flushPromises();

    expect(handOver).toHaveBeenCalledWith({
      accountId: RECORD_ID,
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_:.-]{8,128}$/),
    });
    expect(toasts()).toEqual([
      {
        title: 'Handed over',
        message: 'First touch due Apr 13, 2026, 12:00 PM; answer due Apr 14, 2026, 12:00 PM.',
        variant: 'success',
      },
    ]);
    expect(getCard).toHaveBeenCalledTimes(2);
  });

  it('toasts a refused handover in words of its code and retries it with the same key', async () => {
    const element = await render(withActions({ handover: { allowed: true } }));
    const toasts = listenForToasts(element);
    handOver.mockRejectedValue(apexError('handover_pending', 'Already handed over.'));

    $(element, 'lightning-button.hand-over-submit').click();
    await flushPromises();
    $(element, 'lightning-button.hand-over-submit').click();
    await flushPromises();

    expect(toasts()[0]).toEqual({
      title: 'Handover not sent',
      message: 'This account was already handed over: sales has not answered yet.',
      variant: 'error',
    });
    const [first, second] = handOver.mock.calls.map(([params]) => params.idempotencyKey);
    expect(second).toBe(first);
  });

  it('offers no handover when the server does not allow one, or does not say', async () => {
    expect($(await render(withActions({ handover: { allowed: false } })), '.hand-over')).toBeNull();
    expect($(await render(), '.hand-over')).toBeNull();
  });

  it('reloads the card from the refresh button, which has alternative text', async () => {
    const element = await render();
    const button = $(element, 'lightning-button-icon');

    expect(button.alternativeText).toBe('Refresh ABM Pilot data');
    button.click();
    await flushPromises();

    expect(getCard).toHaveBeenCalledTimes(2);
  });

  it('shows the last synced fields marked stale when the server cannot be reached', async () => {
    getCard.mockRejectedValue(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached right now.'),
    );
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    getRecord.emit(STALE_RECORD);
    await flushPromises();

    expect($(element, 'lightning-badge.stale-badge').label).toBe('Stale');
    expect($(element, 'lightning-badge.stale-badge').iconAlternativeText).toBe('Stale data');
    expect(text(element, '.stale-tier')).toBe('Tier: Tier 2');
    expect(text(element, '.stale-score')).toBe('Score: 71.4');
    expect(text(element, '.stale-sla')).toBe('SLA: At risk');
    expect(text(element, '.stale-last-sync')).toBe('Last sync: Apr 15, 2026, 09:55 AM');
    expect($(element, 'c-error-panel')).toBeNull();
  });

  it('shows an untiered account without SLA as such in the stale view', async () => {
    getCard.mockRejectedValue(apexError('not_ready', 'Starting up.'));
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    getRecord.emit({
      ...STALE_RECORD,
      fields: { ...STALE_RECORD.fields, ABM_Tier__c: { value: null }, ABM_SLA_Status__c: { value: null } },
    });
    await flushPromises();

    expect(text(element, '.stale-tier')).toBe('Tier: Not targeted');
    expect(text(element, '.stale-sla')).toBe('SLA: No clock');
  });

  it('says which synced values the user may not read', async () => {
    getCard.mockRejectedValue(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached right now.'),
    );
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    getRecord.emit({
      ...STALE_RECORD,
      fields: {
        ABM_Tier__c: STALE_RECORD.fields.ABM_Tier__c,
        ABM_Score__c: { value: null, displayValue: null },
      },
    });
    await flushPromises();

    expect(text(element, '.stale-tier')).toBe('Tier: Tier 2');
    expect(text(element, '.stale-score')).toBe('Score: Not scored yet');
    expect(text(element, '.stale-sla')).toBe('SLA: Not available');
  });

  it('shows the error panel when the server is unreachable and LDS has no record either', async () => {
    getCard.mockRejectedValue(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached right now.'),
    );
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    getRecord.error();
    await flushPromises();

    const panel = $(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('ABM Pilot cannot be reached and no synced values are available.');
    expect($(element, '.stale')).toBeNull();
  });

  it('shows the error panel, not stale values, for an error the server answered', async () => {
    getCard.mockRejectedValue(apexError('unknown_user', 'ABM Pilot does not know your user yet.'));
    const element = createElement('c-abm-account-card', { is: AbmAccountCard });
    element.recordId = RECORD_ID;
    document.body.appendChild(element);
    getRecord.emit(STALE_RECORD);
    await flushPromises();

    const panel = $(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('ABM Pilot could not load this account.');
    expect(panel.errors.body.message).toContain('unknown_user');
    expect($(element, '.stale')).toBeNull();
  });
});
