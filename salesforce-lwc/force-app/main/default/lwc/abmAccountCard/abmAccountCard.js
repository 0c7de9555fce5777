import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LANG from '@salesforce/i18n/lang';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import getCard from '@salesforce/apex/AbmPilotController.getCard';
import changeTier from '@salesforce/apex/AbmPilotController.changeTier';
import sendHandoverFeedback from '@salesforce/apex/AbmPilotController.sendHandoverFeedback';
import handOver from '@salesforce/apex/AbmPilotController.handOver';
import recordReview from '@salesforce/apex/AbmPilotController.recordReview';
import TIER_FIELD from '@salesforce/schema/Account.ABM_Tier__c';
import SCORE_FIELD from '@salesforce/schema/Account.ABM_Score__c';
import SLA_STATUS_FIELD from '@salesforce/schema/Account.ABM_SLA_Status__c';
import LAST_SYNC_FIELD from '@salesforce/schema/Account.ABM_Last_Sync__c';
import {
  cardView,
  decisionOptions,
  handOverToast,
  isServerUnreachable,
  localeOf,
  messagesOf,
  newIdempotencyKey,
  reasonCodeLabel,
  reduceErrors,
  reviewToast,
  staleView,
  tierChangeToast,
  tierFromOption,
  wordsOf,
} from 'c/abmUtils';

// optionalFields: a user without read access to one field still gets the others (getRecord with
// `fields` fails whole).
const STALE_FIELDS = [TIER_FIELD, SCORE_FIELD, SLA_STATUS_FIELD, LAST_SYNC_FIELD];
// `@salesforce/i18n/lang` is a constant of the page load: the language is worked out once.
const LOCALE = localeOf(LANG);

export default class AbmAccountCard extends LightningElement {
  @api recordId;

  card;
  error;
  loading = true;
  submitting = false;
  selectedTier;
  reason = '';
  feedbackDecision;
  feedbackReasonCode;
  reviewNote = '';
  /** Idempotency keys by request, reused while the same request is retried so the server acts once. */
  keys = new Map();

  @wire(getRecord, { recordId: '$recordId', optionalFields: STALE_FIELDS })
  record;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.loading = true;
    try {
      this.card = await getCard({ accountId: this.recordId });
      this.error = undefined;
    } catch (error) {
      this.card = undefined;
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  get labels() {
    return messagesOf(LOCALE).card;
  }

  /** The portfolio review's words come from shared, as on the HubSpot card and in the console. */
  get reviewLabels() {
    return wordsOf(LOCALE).review;
  }

  get view() {
    return this.card ? cardView(this.card, Date.now(), LOCALE, TIME_ZONE) : null;
  }

  /** The server is down but Salesforce has the last synced values. */
  get stale() {
    if (this.card || !this.error || !isServerUnreachable(this.error)) return null;
    const data = this.record && this.record.data;
    if (!data) return null;
    return staleView(
      {
        tier: getFieldValue(data, TIER_FIELD),
        score: getFieldValue(data, SCORE_FIELD),
        slaStatus: getFieldValue(data, SLA_STATUS_FIELD),
        lastSyncAt: getFieldValue(data, LAST_SYNC_FIELD),
      },
      LOCALE,
      TIME_ZONE,
    );
  }

  get showError() {
    return !this.loading && !this.card && !this.stale && !!this.error;
  }

  get errorMessage() {
    return isServerUnreachable(this.error) ? this.labels.unreachable : this.labels.loadFailed;
  }

  get selectedTarget() {
    return this.view ? this.view.tierOptions.find((option) => option.value === this.selectedTier) : undefined;
  }

  get reasonRequired() {
    return !!(this.selectedTarget && this.selectedTarget.reasonRequired);
  }

  get tierChangeDisabled() {
    return this.submitting || !this.selectedTarget;
  }

  get decisionOptions() {
    return decisionOptions(LOCALE);
  }

  get reasonCodeOptions() {
    const codes = this.view && this.feedbackDecision ? this.view.reasonCodes[this.feedbackDecision] : [];
    return codes.map((code) => ({ label: reasonCodeLabel(code, LOCALE), value: code }));
  }

  get feedbackDisabled() {
    return this.submitting || !this.feedbackDecision || !this.feedbackReasonCode;
  }

  handleRefresh() {
    this.load();
  }

  handleTierSelect(event) {
    this.selectedTier = event.detail.value;
  }

  handleReasonChange(event) {
    this.reason = event.detail.value;
  }

  async handleTierChange() {
    const target = this.selectedTarget;
    const reason = (this.reason || '').trim();
    if (target.reasonRequired && !reason) {
      const textarea = this.template.querySelector('lightning-textarea.reason');
      textarea.setCustomValidity(this.labels.reasonRequired);
      textarea.reportValidity();
      return;
    }
    const request = `tier|${target.value}|${reason}`;
    this.submitting = true;
    try {
      const outcome = await changeTier({
        accountId: this.recordId,
        toTier: tierFromOption(target.value),
        reason,
        idempotencyKey: this.keyFor(request),
      });
      this.keys.delete(request);
      this.toast(tierChangeToast(outcome, target.label, LOCALE));
      if (outcome.outcome !== 'rejected') {
        this.selectedTier = undefined;
        this.reason = '';
      }
      if (outcome.outcome === 'applied' && outcome.crmWrite === 'done') {
        // The server wrote ABM_Tier__c through the API: tell LDS so the record page shows it.
        await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
      }
      await this.load();
    } catch (error) {
      this.toast({
        title: this.labels.toast.failed,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.submitting = false;
    }
  }

  handleDecisionChange(event) {
    this.feedbackDecision = event.detail.value;
    this.feedbackReasonCode = undefined;
  }

  handleReasonCodeChange(event) {
    this.feedbackReasonCode = event.detail.value;
  }

  async handleFeedback() {
    const request = `feedback|${this.feedbackDecision}|${this.feedbackReasonCode}`;
    this.submitting = true;
    try {
      await sendHandoverFeedback({
        accountId: this.recordId,
        decision: this.feedbackDecision,
        reasonCode: this.feedbackReasonCode,
        idempotencyKey: this.keyFor(request),
      });
      this.keys.delete(request);
      this.toast({
        title: this.labels.toast.feedbackRecorded,
        message: this.labels.toast.feedbackThanks,
        variant: 'success',
      });
      this.feedbackDecision = undefined;
      this.feedbackReasonCode = undefined;
      await this.load();
    } catch (error) {
      this.toast({
        title: this.labels.toast.feedbackFailed,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.submitting = false;
    }
  }

  handleReviewNoteChange(event) {
    this.reviewNote = event.detail.value;
  }

  async handleRecordReview() {
    const note = (this.reviewNote || '').trim();
    const request = `review|${note}`;
    this.submitting = true;
    try {
      const result = await recordReview({
        accountId: this.recordId,
        note,
        idempotencyKey: this.keyFor(request),
      });
      this.keys.delete(request);
      this.toast(reviewToast(result, LOCALE, TIME_ZONE));
      this.reviewNote = '';
      await this.load();
    } catch (error) {
      this.toast({
        title: this.reviewLabels.notRecorded,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.submitting = false;
    }
  }

  async handleHandOver() {
    const request = 'handover';
    this.submitting = true;
    try {
      const response = await handOver({ accountId: this.recordId, idempotencyKey: this.keyFor(request) });
      this.keys.delete(request);
      this.toast(handOverToast(response, LOCALE, TIME_ZONE));
      await this.load();
    } catch (error) {
      this.toast({
        title: this.labels.toast.handOverFailed,
        message: reduceErrors(error, LOCALE).join(' '),
        variant: 'error',
      });
    } finally {
      this.submitting = false;
    }
  }

  keyFor(request) {
    if (!this.keys.has(request)) this.keys.set(request, newIdempotencyKey('sf'));
    return this.keys.get(request);
  }

  toast({ title, message, variant }) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
