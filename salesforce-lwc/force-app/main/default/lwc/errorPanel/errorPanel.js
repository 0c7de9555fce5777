import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/abmUtils';

/** The one place errors are shown, as lwc-recipes' errorPanel: a friendly line, details on demand. */
export default class ErrorPanel extends LightningElement {
  @api friendlyMessage = 'Something went wrong.';
  @api errors;
  viewDetails = false;

  get errorMessages() {
    return reduceErrors(this.errors);
  }

  get hasDetails() {
    return this.errorMessages.length > 0;
  }

  handleShowDetailsClick() {
    this.viewDetails = !this.viewDetails;
  }
}
