// `@salesforce/i18n/lang` for Jest: an English-speaking user, as Salesforce tags one. A test of another
// language mocks the module in its own file: jest.mock('@salesforce/i18n/lang', () => ({ default: 'fr' })).
export default 'en-US';
