import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { buildAbmClient, DIST, EXTERNAL } from '../scripts/buildAbmClient.ts';

// The extensions' package is built, not committed: npm ci builds it, and so does `npm run upload`. These
// check the build in dist/ is current (the extension tests run against it) and stands on its own once
// uploaded, where shared/ is not.

/** Every file in dist/, keyed by its path inside dist/. */
function builtFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(DIST, file).split(path.sep).join('/'), readFileSync(file, 'utf8'));
  }
  return files;
}

const specifiersOf = (text: string) =>
  [...text.matchAll(/(?:from\s+|import\()['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');

// One build for the file: it runs TypeScript over the package and shared, which takes seconds.
let fresh: Map<string, string>;
beforeAll(async () => {
  fresh = await buildAbmClient();
});

describe('the built extensions package', () => {
  it('is what the build makes from the current sources (else run `npm run -w @abm-pilot/hubspot-app build`)', () => {
    expect(existsSync(DIST), 'dist/ is missing').toBe(true);
    const built = builtFiles();
    expect([...built.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) expect(built.get(file), file).toBe(text);
  });

  it('imports only what each extension installs: shared is inside it, zod is not', () => {
    const bundle = fresh.get('index.js') ?? '';
    expect(new Set(specifiersOf(bundle))).toEqual(new Set(EXTERNAL));
    expect(bundle).toContain('/api/v1/accounts/:crmId/card');
    // The server-side domain stays out: nothing of scoring or the SLA engine, nor luxon which it uses.
    expect(bundle).not.toContain('luxon');
  });

  it('declares its types with nothing outside dist/ but what an extension installs', () => {
    expect(fresh.has('types/index.d.ts')).toBe(true);
    for (const [file, text] of fresh) {
      if (!file.endsWith('.d.ts')) continue;
      for (const specifier of specifiersOf(text)) {
        if (!specifier.startsWith('.')) {
          expect(
            ['zod', 'react', 'react/jsx-runtime', '@hubspot/ui-extensions'],
            `${file}: ${specifier}`,
          ).toContain(specifier);
          continue;
        }
        const target = path.posix.join(path.posix.dirname(file), specifier).replace(/\.tsx?$/, '.d.ts');
        expect(fresh.has(target), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
