import { LightningElement, api } from 'lwc';
import LANG from '@salesforce/i18n/lang';
import { localeOf, messagesOf, reduceErrors } from 'c/abmUtils';

const LOCALE = localeOf(LANG);

/**
 * The one place errors are shown, as lwc-recipes' errorPanel: a friendly line, details on demand. The
 * details say each error in the user's language by its code (see reduceErrors).
 */
export default class ErrorPanel extends LightningElement {
  @api friendlyMessage;
  @api errors;
  viewDetails = false;

  get labels() {
    return messagesOf(LOCALE).errorPanel;
  }

  get friendlyText() {
    return this.friendlyMessage || this.labels.somethingWrong;
  }

  get errorMessages() {
    return reduceErrors(this.errors, LOCALE);
  }

  get hasDetails() {
    return this.errorMessages.length > 0;
  }

  handleShowDetailsClick() {
    this.viewDetails = !this.viewDetails;
  }
}
