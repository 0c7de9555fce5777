import { LightningElement } from 'lwc';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getMetrics from '@salesforce/apex/AbmPilotController.getMetrics';
import getPortfolioReview from '@salesforce/apex/AbmPilotController.getPortfolioReview';
import listApprovals from '@salesforce/apex/AbmPilotController.listApprovals';
import approve from '@salesforce/apex/AbmPilotController.approve';
import reject from '@salesforce/apex/AbmPilotController.reject';
import { METRIC_SEGMENTS, TIERS } from 'c/abmVocabulary';
import {
  approvalView,
  crmWriteNote,
  defaultDates,
  errorCodeOf,
  metricTiles,
  periodOf,
  recordUrl,
  reduceErrors,
  reviewView,
  tierLabel,
} from 'c/abmUtils';

const APPROVAL_LIMIT = 50;
const REVIEW_LIMIT = 20;

function friendly(error, what) {
  const code = errorCodeOf(error);
  return code === 'forbidden' || code === 'not_allowed_for_role'
    ? `Your ABM role does not give access to the ${what}.`
    : `ABM Pilot could not load the ${what}.`;
}

export default class AbmGovernance extends LightningElement {
  fromDate;
  toDate;
  segment = 'abm';
  metrics;
  metricsError;
  review;
  reviewError;
  approvals;
  approvalsError;
  loading = true;
  selectedApprovalId;
  comment = '';
  deciding = false;

  connectedCallback() {
    const { fromDate, toDate } = defaultDates(Date.now());
    this.fromDate = fromDate;
    this.toDate = toDate;
    this.loadAll();
  }

  async loadAll() {
    this.loading = true;
    await Promise.all([this.loadMetrics(), this.loadReview(), this.loadApprovals()]);
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

  async loadReview() {
    // The review filters by tier only; the ABM-wide segments show the whole portfolio.
    const tier = TIERS.some((entry) => entry.value === this.segment) ? this.segment : null;
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

  get segmentOptions() {
    return METRIC_SEGMENTS;
  }

  get tiles() {
    return this.metrics ? metricTiles(this.metrics.metrics, this.segment) : [];
  }

  get reviewRows() {
    return this.review ? reviewView(this.review) : null;
  }

  get queue() {
    if (!this.approvals) return null;
    const now = Date.now();
    return this.approvals.map((approval) => {
      const view = approvalView(approval, now);
      return { ...view, url: recordUrl(view.accountId), selected: view.id === this.selectedApprovalId };
    });
  }

  get queueEmpty() {
    return !!this.queue && this.queue.length === 0;
  }

  get metricsMessage() {
    return friendly(this.metricsError, 'dashboard');
  }

  get reviewMessage() {
    return friendly(this.reviewError, 'portfolio review');
  }

  get approvalsMessage() {
    return friendly(this.approvalsError, 'approval queue');
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
      textarea.setCustomValidity('Tell the requester why you reject the change.');
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
      const message = result.applied
        ? `The account is now ${tierLabel(result.assignedTier)}.${crmWriteNote(result.crmWrite)}`
        : `The account stays ${tierLabel(result.assignedTier)}.`;
      this.toast({ title: `Change ${verb}`, message, variant: 'success' });
      if (result.applied && result.crmWrite === 'done') {
        await notifyRecordUpdateAvailable([{ recordId: result.approval.accountId }]);
      }
      this.selectedApprovalId = undefined;
      this.comment = '';
      await Promise.all([this.loadApprovals(), this.loadMetrics(), this.loadReview()]);
    } catch (error) {
      this.toast({
        title: 'Decision not recorded',
        message: reduceErrors(error).join(' '),
        variant: 'error',
      });
    } finally {
      this.deciding = false;
    }
  }

  toast({ title, message, variant }) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
