import { CRM_NAME, MESSAGES } from 'c/abmMessages';
import { API_ERROR_CODES, LOCALES, TIER_CHANGE_REJECTIONS, VOCABULARIES } from 'c/abmVocabulary';

/** Every sentence of a language by its path, e.g. `card.toast.changed`. */
function sentences(value, path = '') {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value).flatMap(([key, child]) => sentences(child, path ? `${path}.${key}` : key));
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const byPath = (a, b) => a.path.localeCompare(b.path);

/** `locale code` of each code that neither this package nor the programme's vocabulary has words for. */
const unsaid = (codes, vocabularyTable) =>
  LOCALES.flatMap((locale) =>
    codes
      .filter(
        (code) =>
          typeof MESSAGES[locale].errors[code] !== 'string' &&
          typeof VOCABULARIES[locale][vocabularyTable][code] !== 'string',
      )
      .map((code) => `${locale} ${code}`),
  );

describe('the components’ sentences', () => {
  it('exist in every language of the programme', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...LOCALES].sort());
  });

  it('say the same things in French as in English: every sentence, with the same placeholders', () => {
    const english = new Map(sentences(MESSAGES.en));
    const french = new Map(sentences(MESSAGES.fr));
    expect([...french.keys()].sort()).toEqual([...english.keys()].sort());
    // Compared by path, so that a failure names the sentence.
    const shape = (texts) => [...texts].map(([path, text]) => ({ path, placeholders: placeholders(text) }));
    expect(shape(french).sort(byPath)).toEqual(shape(english).sort(byPath));
    expect([...french].filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it("have a sentence for every server error code and the controller's server_unreachable, in each language", () => {
    expect(unsaid([...API_ERROR_CODES, 'server_unreachable'], 'errorCode')).toEqual([]);
  });

  it('have a sentence for every reason the rules refuse a tier change, in each language', () => {
    expect(unsaid(TIER_CHANGE_REJECTIONS, 'tierChangeRefusal')).toEqual([]);
  });

  it("name the CRM in shared's CRM-write notes", () => {
    expect(CRM_NAME).toBe('Salesforce');
    for (const locale of LOCALES) expect(VOCABULARIES[locale].crmWrite.done).toContain('{crm}');
  });

  it('cannot be changed by one component under another’s feet', () => {
    expect(Object.isFrozen(MESSAGES.fr.card.toast)).toBe(true);
  });
});
