// `@salesforce/i18n/timeZone` for Jest: the user's Salesforce time zone, which dates are shown in.
export default 'Europe/Paris';
