import { LightningElement } from 'lwc';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LANG from '@salesforce/i18n/lang';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import getMetrics from '@salesforce/apex/AbmPilotController.getMetrics';
import getPortfolioReview from '@salesforce/apex/AbmPilotController.getPortfolioReview';
import getMarketingDelivery from '@salesforce/apex/AbmPilotController.getMarketingDelivery';
import listApprovals from '@salesforce/apex/AbmPilotController.listApprovals';
import approve from '@salesforce/apex/AbmPilotController.approve';
import reject from '@salesforce/apex/AbmPilotController.reject';
import recordReview from '@salesforce/apex/AbmPilotController.recordReview';
import { TIERS } from 'c/abmVocabulary';
import {
  decisionToast,
  defaultDates,
  deliveryView,
  localeOf,
  messagesOf,
  metricTiles,
  newIdempotencyKey,
  periodOf,
  queueRow,
  reduceErrors,
  reviewToast,
  reviewView,
  sectionErrorMessage,
  segmentOptions,
  wordsOf,
} from 'c/abmUtils';

const APPROVAL_LIMIT = 50;
const REVIEW_LIMIT = 20;
const DELIVERY_MONTHS = 6;
// `@salesforce/i18n/lang` is a constant of the page load: the language is worked out once.
const LOCALE = localeOf(LANG);

export default class AbmGovernance extends LightningElement {
  fromDate;
  toDate;
  segment = 'abm';
  metrics;
  metricsError;
  review;
  reviewError;
  delivery;
  deliveryError;
  approvals;
  approvalsError;
  loading = true;
  selectedApprovalId;
  comment = '';
  deciding = false;
  selectedReviewId;
  reviewNote = '';
  recording = false;
  /** Idempotency keys by review, reused while the same review is retried so the server records it once. */
  keys = new Map();

  connectedCallback() {
    const { fromDate, toDate } = defaultDates(Date.now());
    this.fromDate = fromDate;
    this.toDate = toDate;
    this.loadAll();
  }

  async loadAll() {
    this.loading = true;
    await Promise.all([this.loadMetrics(), this.loadDelivery(), this.loadReview(), this.loadApprovals()]);
    this.loading = false;
  }

  async loadMetrics() {
    const { from, to } = periodOf(this.fromDate, this.toDate);
    try {
      this.metrics = await getMetrics({ periodStart: from, periodEnd: to, segmentName: this.segment });
      this.metricsError = undefined;
    } catch (error) {
      this.metrics = undefined;
      this.metricsError = error;
    }
  }

  async loadDelivery() {
    try {
      this.delivery = await getMarketingDelivery({ months: DELIVERY_MONTHS });
      this.deliveryError = undefined;
    } catch (error) {
      this.delivery = undefined;
      this.deliveryError = error;
    }
  }

  async loadReview() {
    // The review filters by tier only; the ABM-wide segments show the whole portfolio.
    const tier = TIERS.includes(this.segment) ? this.segment : null;
    try {
      this.review = await getPortfolioReview({ tier, maxResults: REVIEW_LIMIT });
      this.reviewError = undefined;
    } catch (error) {
      this.review = undefined;
      this.reviewError = error;
    }
  }

  async loadApprovals() {
    try {
      const result = await listApprovals({ role: null, maxResults: APPROVAL_LIMIT });
      this.approvals = result.approvals;
      this.approvalsError = undefined;
    } catch (error) {
      this.approvals = undefined;
      this.approvalsError = error;
    }
  }

  get labels() {
    return messagesOf(LOCALE).governance;
  }

  /** Between an account's link and what is said of it (`: `, ` : ` in French). */
  get colon() {
    return messagesOf(LOCALE).colon;
  }

  get segmentOptions() {
    return segmentOptions(LOCALE);
  }

  get tiles() {
    return this.metrics ? metricTiles(this.metrics.metrics, this.segment, LOCALE) : [];
  }

  get deliveryRows() {
    return this.delivery ? deliveryView(this.delivery, LOCALE) : null;
  }

  /** The delivery tables' headers: shared's words for the figures, the component's for the rest. */
  get deliveryHeaders() {
    const words = wordsOf(LOCALE).delivery;
    const column = this.labels.deliveryColumn;
    return {
      tier: column.tier,
      delivered: words.delivered,
      committed: words.committed,
      acceptance: words.acceptanceRate,
      minimum: words.minimumRate,
      verdict: column.verdict,
    };
  }

  get reviewRows() {
    if (!this.review) return null;
    const view = reviewView(this.review, LOCALE);
    return {
      ...view,
      overdue: view.overdue.map((row) => ({ ...row, selected: row.key === this.selectedReviewId })),
    };
  }

  /** The portfolio review's words come from shared, as on the cards and in the console. */
  get reviewWords() {
    return wordsOf(LOCALE).review;
  }

  get queue() {
    if (!this.approvals) return null;
    const now = Date.now();
    return this.approvals.map((approval) => {
      const row = queueRow(approval, now, LOCALE);
      return { ...row, selected: row.id === this.selectedApprovalId };
    });
  }

  get queueEmpty() {
    return !!this.queue && this.queue.length === 0;
  }

  get metricsMessage() {
    return sectionErrorMessage(this.metricsError, 'dashboard', LOCALE);
  }

  get deliveryMessage() {
    return sectionErrorMessage(this.deliveryError, 'delivery', LOCALE);
  }

  get reviewMessage() {
    return sectionErrorMessage(this.reviewError, 'review', LOCALE);
  }

  get approvalsMessage() {
    return sectionErrorMessage(this.approvalsError, 'approvals', LOCALE);
  }

  handleFromChange(event) {
    this.fromDate = event.detail.value;
    this.loadMetrics();
  }

  handleToChange(event) {
    this.toDate = event.detail.value;
    this.loadMetrics();
  }

  handleSegmentChange(event) {
    this.segment = event.detail.value;
    this.loadMetrics();
    this.loadReview();
  }

  handleRefresh() {
    this.loadAll();
  }

  handleSelect(event) {
    this.selectedApprovalId = event.target.dataset.id;
    this.comment = '';
  }

  handleCommentChange(event) {
    this.comment = event.detail.value;
  }

  get trimmedComment() {
    return (this.comment || '').trim();
  }

  handleApprove() {
    this.decide('approved', () =>
      approve({ approvalId: this.selectedApprovalId, comment: this.trimmedComment }),
    );
  }

  handleReject() {
    if (!this.trimmedComment) {
      // The server refuses a rejection without a comment: the requester must learn why.
      const textarea = this.template.querySelector('lightning-textarea.comment');
      textarea.setCustomValidity(this.labels.rejectNeedsComment);
      textarea.reportValidity();
      return;
    }
    this.decide('rejected', () =>
      reject({ approvalId: this.selectedApprovalId, comment: this.trimmedComment }),
    );
  }

  async decide(verb, send) {
    this.deciding = true;
    try {
      const result = await send();
      this.toast(decisionToast(verb, result, LOCALE));
      if (result.applied && result.crmWrite === 'done') {
        await notifyRecordUpdateAvailable([{ recordId: result.approval.accountId }]);
      }
      this.selectedApprovalId = undefined;
      this.comment = '';
      await Promise.all([this.loadApprovals(), this.loadMetrics(), this.loadReview()]);
    } catch (error) {
      this.toast({
        title: this.labels.toast.failed,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.deciding = false;
    }
  }

  handleSelectReview(event) {
    this.selectedReviewId = event.target.dataset.id;
    this.reviewNote = '';
  }

  handleReviewNoteChange(event) {
    this.reviewNote = event.detail.value;
  }

  async handleRecordReview() {
    const accountId = this.selectedReviewId;
    const note = (this.reviewNote || '').trim();
    const request = `review|${accountId}|${note}`;
    if (!this.keys.has(request)) this.keys.set(request, newIdempotencyKey('sf'));
    this.recording = true;
    try {
      const result = await recordReview({ accountId, note, idempotencyKey: this.keys.get(request) });
      this.keys.delete(request);
      this.toast(reviewToast(result, LOCALE, TIME_ZONE));
      this.selectedReviewId = undefined;
      this.reviewNote = '';
      // Reviewed, the account leaves the overdue list.
      await this.loadReview();
    } catch (error) {
      this.toast({
        title: this.reviewWords.notRecorded,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.recording = false;
    }
  }

  toast({ title, message, variant }) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
