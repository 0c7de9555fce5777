import { describe, expect, it } from 'vitest';

import { generatedFiles, readCommitted } from './generateLwcModules.ts';

// What the LWC takes from shared is generated; a committed copy that drifted from shared fails here.
// Fix with `npm run -w salesforce-lwc generate`.

const files = await generatedFiles();

describe('generated LWC files', () => {
  it('include the vocabulary module and the Jest data of both components', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'abmVocabulary/abmVocabulary.js',
        'abmAccountCard/__tests__/data/getCard.json',
        'abmGovernance/__tests__/data/getMetrics.json',
      ]),
    );
  });

  it.each(Object.keys(files))('%s matches what shared generates', (path) => {
    expect(readCommitted(path), `${path} is stale: run npm run -w salesforce-lwc generate`).toBe(files[path]);
  });

  it('carries the do-not-edit banner on the module', () => {
    expect(files['abmVocabulary/abmVocabulary.js']).toMatch(/^\/\/ GENERATED .* do not edit\./);
  });
});
