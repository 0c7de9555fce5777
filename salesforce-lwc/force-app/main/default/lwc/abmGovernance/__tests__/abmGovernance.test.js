import { createElement } from '@lwc/engine-dom';
import AbmGovernance from 'c/abmGovernance';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getMetrics from '@salesforce/apex/AbmPilotController.getMetrics';
import getPortfolioReview from '@salesforce/apex/AbmPilotController.getPortfolioReview';
import getMarketingDelivery from '@salesforce/apex/AbmPilotController.getMarketingDelivery';
import listApprovals from '@salesforce/apex/AbmPilotController.listApprovals';
import approve from '@salesforce/apex/AbmPilotController.approve';
import reject from '@salesforce/apex/AbmPilotController.reject';
import recordReview from '@salesforce/apex/AbmPilotController.recordReview';

const METRICS = require('./data/getMetrics.json');
const REVIEW = require('./data/getPortfolioReview.json');
const DELIVERY = require('./data/getMarketingDelivery.json');
const APPROVALS = require('./data/listApprovals.json');
const APPROVED = require('./data/approve.json');
const REJECTED = require('./data/reject.json');
const REVIEWED = require('./data/recordReview.json');

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
jest.mock('@salesforce/apex/AbmPilotController.recordReview', () => ({ default: jest.fn() }), {
  virtual: true,
});

// The fixtures' clock; the pending approval is due 2026-04-21T09:12:03Z.
const NOW = Date.parse('2026-04-15T08:00:00.000Z');
const [APPROVAL] = APPROVALS.approvals;

const apexError = (code, message) => ({
  ok: false,
  status: 500,
  statusText: 'Server Error',
  body: { message: JSON.stringify({ code, message }) },
});

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (element, selector) => $(element, selector).textContent.replace(/\s+/g, ' ').trim();

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

async function selectFirstApproval(element) {
  $(element, 'lightning-button.review-approval').click();
  await flushPromises();
}

function typeComment(element, value) {
  const textarea = $(element, 'lightning-textarea.comment');
  textarea.value = value;
  textarea.dispatchEvent(new CustomEvent('change', { detail: { value } }));
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

describe('c-abm-governance', () => {
  it('shows a labelled spinner while loading', () => {
    getMetrics.mockReturnValue(new Promise(() => {}));
    const element = createElement('c-abm-governance', { is: AbmGovernance });
    document.body.appendChild(element);

    expect($(element, 'lightning-spinner').alternativeText).toBe('Loading governance data');
  });

  it('asks for the last 90 days of ABM accounts by default', async () => {
    const element = await render();

    expect(getMetrics).toHaveBeenCalledWith({
      periodStart: '2026-01-16T00:00:00Z',
      periodEnd: '2026-04-16T00:00:00.000Z',
      segmentName: 'abm',
    });
    expect(getPortfolioReview).toHaveBeenCalledWith({ tier: null, maxResults: 20 });
    expect(listApprovals).toHaveBeenCalledWith({ role: null, maxResults: 50 });
    expect($(element, 'lightning-input.from').value).toBe('2026-01-16');
    expect($(element, 'lightning-input.to').value).toBe('2026-04-15');
    expect($(element, 'lightning-spinner')).toBeNull();
  });

  it('labels every filter', async () => {
    const element = await render();

    expect($(element, 'lightning-input.from').label).toBe('From');
    expect($(element, 'lightning-input.to').label).toBe('To');
    const segment = $(element, 'lightning-combobox.segment');
    expect(segment.label).toBe('Accounts');
    expect(segment.options.map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 2',
      'Tier 3',
      'All ABM',
      'Non-ABM',
      'All accounts',
    ]);
  });

  it('shows the headline metrics of the segment', async () => {
    const element = await render();

    const tiles = Object.fromEntries(
      $$(element, 'li.tile').map((li) => [li.dataset.key, li.querySelector('.tile-value').textContent]),
    );
    expect(tiles).toEqual({
      pipelineShare: '100%',
      winRate: '100%',
      accountToOpportunity: '100%',
      slaCompliance: '100%',
      firstTouch: '25 h',
      roi: '168%',
      pendingApprovals: '0',
      overdueApprovals: '0',
    });
  });

  it('reloads metrics and review for a tier chosen in the filter', async () => {
    const element = await render();

    const segment = $(element, 'lightning-combobox.segment');
    segment.dispatchEvent(new CustomEvent('change', { detail: { value: 'tier_1' } }));
    await flushPromises();

    expect(getMetrics).toHaveBeenLastCalledWith(expect.objectContaining({ segmentName: 'tier_1' }));
    expect(getPortfolioReview).toHaveBeenLastCalledWith({ tier: 'tier_1', maxResults: 20 });
  });

  it('reloads metrics for new dates, the end date included', async () => {
    const element = await render();

    const from = $(element, 'lightning-input.from');
    from.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-01-01' } }));
    const to = $(element, 'lightning-input.to');
    to.dispatchEvent(new CustomEvent('change', { detail: { value: '2026-03-31' } }));
    await flushPromises();

    expect(getMetrics).toHaveBeenLastCalledWith({
      periodStart: '2026-01-01T00:00:00Z',
      periodEnd: '2026-04-01T00:00:00.000Z',
      segmentName: 'abm',
    });
  });

  it('shows capacity, drift and overdue reviews with links to the accounts', async () => {
    const element = await render();

    expect(text(element, '.review-totals')).toBe('1 drifting, 1 overdue for review');
    expect($$(element, 'li.capacity-row').map((li) => li.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      'Tier 1: 24 of 25',
      'Tier 2: 103 of 100',
      'Tier 3: 311 of 500',
    ]);
    expect($$(element, 'li.capacity-row')[1].querySelector('lightning-badge').label).toBe('Over capacity');
    const drift = $(element, '.drift li');
    expect(drift.textContent).toBe('Contoso Retail: Tier 1, recommended Tier 3 (2 above)');
    expect(drift.querySelector('a').getAttribute('href')).toBe('/lightning/r/Account/18230045700/view');
    expect($(element, '.overdue li').textContent).toBe('Northwind Logistics: Tier 2 review overdue by 15 d');
  });

  it('records an overdue review in place with a note, toasts the next due date, and the account leaves the list', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    recordReview.mockResolvedValue(REVIEWED);
    getPortfolioReview.mockResolvedValue({
      ...REVIEW,
      overdueReviews: [],
      totals: { ...REVIEW.totals, overdueReviews: 0 },
    });

    const choose = $(element, 'lightning-button.choose-review');
    expect(choose.label).toBe('Record review');
    expect(choose.title).toBe('Record the review of Northwind Logistics');
    choose.click();
    await flushPromises();
    const note = $(element, 'lightning-textarea.review-note');
    note.value = 'Sponsor met';
    note.dispatchEvent(new CustomEvent('change', { detail: { value: 'Sponsor met' } }));
    $(element, 'lightning-button.record-review').click();
    await flushPromises();

    expect(recordReview).toHaveBeenCalledWith({
      accountId: '18230045611',
      note: 'Sponsor met',
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_:.-]{8,128}$/),
    });
    expect(toasts()).toEqual([
      {
        title: 'Portfolio review',
        message: 'Review recorded: the next one is due Jun 14, 2026, 12:05 PM.',
        variant: 'success',
      },
    ]);
    expect($$(element, '.overdue li')).toHaveLength(0);
    expect(text(element, '.review-totals')).toBe('1 drifting, 0 overdue for review');
  });

  it('toasts a review the server refuses, keeps the row open and retries it with the same key', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    recordReview.mockRejectedValue(apexError('forbidden', 'Only the ABM owner or an ABM manager reviews.'));

    $(element, 'lightning-button.choose-review').click();
    await flushPromises();
    $(element, 'lightning-button.record-review').click();
    await flushPromises();
    expect(toasts()).toEqual([
      { title: 'The review was not recorded', message: 'This is not allowed.', variant: 'error' },
    ]);
    $(element, 'lightning-button.record-review').click();
    await flushPromises();

    const [first, second] = recordReview.mock.calls.map(([params]) => params.idempotencyKey);
    expect(second).toBe(first);
  });

  it.each([
    ['a row the server does not allow', (row) => ({ ...row, reviewAllowed: false })],
    [
      'a server before API revision 3, which does not say',
      (row) => {
        const older = { ...row };
        delete older.reviewAllowed;
        return older;
      },
    ],
  ])('offers no review on %s', async (_case, rowOf) => {
    getPortfolioReview.mockResolvedValue({ ...REVIEW, overdueReviews: REVIEW.overdueReviews.map(rowOf) });
    const element = await render();

    expect($$(element, '.overdue li')).toHaveLength(1);
    expect($(element, 'lightning-button.choose-review')).toBeNull();
  });

  it('shows marketing delivery per tier: this month so far and each closed month, met or missed', async () => {
    const element = await render();

    expect(getMarketingDelivery).toHaveBeenCalledWith({ months: 6 });
    expect(text(element, 'section.delivery h2')).toBe('Marketing delivery');
    expect(text(element, '.delivery-so-far')).toBe(
      'April 2026 so far: each tier’s monthly commitment prorated to the time gone (Europe/Paris calendar).',
    );
    const cells = (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim());
    const current = $(element, 'table.delivery-current');
    expect([...current.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Tier',
      'MQAs delivered',
      'MQAs committed',
      'Sales acceptance',
      'Minimum acceptance',
      'Commitment',
    ]);
    const currentRows = [...current.querySelectorAll('tr.delivery-row')];
    expect(currentRows.map(cells)).toEqual([
      ['Tier 1', '3', '3', '100%', '60%', ''],
      ['Tier 2', '7', '8', '50%', '60%', ''],
      ['Tier 3', '20', '20', '75%', '60%', ''],
    ]);
    expect(currentRows.map((row) => row.querySelector('lightning-badge').label)).toEqual([
      'On track',
      'Behind',
      'On track',
    ]);
    const march = $(element, 'table.delivery-month[data-month="2026-03"]');
    expect(march.querySelector('caption').textContent).toBe('March 2026');
    const badges = [...march.querySelectorAll('tr.delivery-row lightning-badge')];
    expect(badges.map((badge) => [badge.label, badge.className])).toEqual([
      ['Missed', 'slds-theme_error'],
      ['Met', 'slds-theme_success'],
      ['Met', 'slds-theme_success'],
    ]);
  });

  it('says when no month has closed yet', async () => {
    getMarketingDelivery.mockResolvedValue({ ...DELIVERY, months: [] });
    const element = await render();

    expect(text(element, '.delivery-no-month')).toBe(
      'No month has closed since ABM Pilot started measuring marketing delivery.',
    );
    expect($$(element, 'table.delivery-month')).toHaveLength(0);
  });

  it('explains marketing delivery the role may not see, and keeps the other sections', async () => {
    getMarketingDelivery.mockRejectedValue(
      apexError('forbidden', 'Marketing delivery is for governance roles.'),
    );
    const element = await render();

    expect($(element, 'c-error-panel.delivery-error').friendlyMessage).toBe(
      'Your ABM role does not give access to marketing delivery.',
    );
    expect($(element, 'table.delivery-current')).toBeNull();
    expect($$(element, 'li.approval')).toHaveLength(1);
  });

  it('explains a dashboard the role may not see and still shows the queue', async () => {
    getMetrics.mockRejectedValue(apexError('forbidden', 'Your role may not read governance metrics.'));
    const element = await render();

    expect($(element, 'c-error-panel.metrics-error').friendlyMessage).toBe(
      'Your ABM role does not give access to the dashboard.',
    );
    expect($$(element, 'li.approval')).toHaveLength(1);
  });

  it('shows a generic message when the review fails otherwise', async () => {
    getPortfolioReview.mockRejectedValue(
      apexError('server_unreachable', 'The ABM Pilot server cannot be reached.'),
    );
    const element = await render();

    expect($(element, 'c-error-panel.review-error').friendlyMessage).toBe(
      'ABM Pilot could not load the portfolio review.',
    );
  });

  it('shows the error of the approval queue in its panel', async () => {
    listApprovals.mockRejectedValue(apexError('not_allowed_for_role', 'Not yours.'));
    const element = await render();

    expect($(element, 'c-error-panel.approvals-error').friendlyMessage).toBe(
      'Your ABM role does not give access to the approval queue.',
    );
  });

  it('lists pending approvals with the change, the requester, the reason and the due time', async () => {
    const element = await render();

    const [approval] = $$(element, 'li.approval');
    expect(approval.textContent).toContain('Tier 2 → Tier 1 (Tier 1 decision)');
    expect(text(element, 'li.approval .requested')).toBe(
      'Requested by Léa Martin: Board-level sponsor and a 1.2M renewal in play',
    );
    expect(text(element, 'li.approval .due')).toBe(
      'Decided by ABM committee or Chief ABM Officer. Decision due, 6 d 1 h left',
    );
  });

  it('says so when no approval waits', async () => {
    listApprovals.mockResolvedValue({ approvals: [] });
    const element = await render();

    expect(text(element, '.queue-empty')).toBe('No approval waits for you.');
  });

  it('approves with a comment, toasts the applied tier and tells LDS', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    approve.mockResolvedValue(APPROVED);
    listApprovals.mockResolvedValue({ approvals: [] });

    await selectFirstApproval(element);
    expect($(element, 'lightning-textarea.comment').label).toBe('Comment');
    typeComment(element, ' Agreed ');
    $(element, 'lightning-button.approve').click();
    await flushPromises();

    expect(approve).toHaveBeenCalledWith({ approvalId: APPROVAL.id, comment: 'Agreed' });
    expect(toasts()).toEqual([
      {
        title: 'Change approved',
        message: 'The account is now Tier 1. The Salesforce record shows it now.',
        variant: 'success',
      },
    ]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: APPROVAL.accountId }]);
    expect(listApprovals).toHaveBeenCalledTimes(2);
    expect(text(element, '.queue-empty')).toBe('No approval waits for you.');
  });

  it('rejects with the comment the requester will read', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    reject.mockResolvedValue(REJECTED);

    await selectFirstApproval(element);
    typeComment(element, 'Tier 1 is full this quarter');
    $(element, 'lightning-button.reject').click();
    await flushPromises();

    expect(reject).toHaveBeenCalledWith({ approvalId: APPROVAL.id, comment: 'Tier 1 is full this quarter' });
    expect(toasts()).toEqual([
      { title: 'Change rejected', message: 'The account stays Tier 2.', variant: 'success' },
    ]);
    expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
  });

  it('refuses to reject without a comment', async () => {
    const element = await render();
    await selectFirstApproval(element);
    const textarea = $(element, 'lightning-textarea.comment');
    textarea.setCustomValidity = jest.fn();
    textarea.reportValidity = jest.fn();

    $(element, 'lightning-button.reject').click();
    await flushPromises();

    expect(reject).not.toHaveBeenCalled();
    expect(textarea.setCustomValidity).toHaveBeenCalledWith('Tell the requester why you reject the change.');
    expect(textarea.reportValidity).toHaveBeenCalled();
  });

  it('toasts a decision the server refuses and keeps the approval open', async () => {
    const element = await render();
    const toasts = listenForToasts(element);
    approve.mockRejectedValue(apexError('self_approval', 'You cannot approve your own request.'));

    await selectFirstApproval(element);
    $(element, 'lightning-button.approve').click();
    await flushPromises();

    expect(toasts()).toEqual([
      { title: 'Decision not recorded', message: 'You cannot decide your own request.', variant: 'error' },
    ]);
    expect($(element, 'lightning-button.approve')).not.toBeNull();
  });

  it('reloads everything from the refresh button, which has alternative text', async () => {
    const element = await render();
    const button = $(element, 'lightning-button-icon');

    expect(button.alternativeText).toBe('Refresh governance data');
    button.click();
    await flushPromises();

    expect(getMetrics).toHaveBeenCalledTimes(2);
    expect(getPortfolioReview).toHaveBeenCalledTimes(2);
    expect(listApprovals).toHaveBeenCalledTimes(2);
  });
});
