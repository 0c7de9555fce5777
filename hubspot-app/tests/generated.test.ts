import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { EXTENSION_ROOTS, renderGeneratedFiles } from '../scripts/sharedCopy.ts';

// The shared code each extension root carries is generated: regenerating it from shared/src and
// hubspot-app/lib must give exactly the committed files, no more and no fewer.

const HUBSPOT_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function committedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const root of EXTENSION_ROOTS) {
    const generated = path.join(HUBSPOT_APP, root, 'generated');
    for (const entry of readdirSync(generated, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(HUBSPOT_APP, file).split(path.sep).join('/'), readFileSync(file, 'utf8'));
    }
  }
  return files;
}

// One generation for the file: it builds a TypeScript program over shared/src, which takes seconds.
let fresh: Map<string, string>;
beforeAll(async () => {
  fresh = await renderGeneratedFiles();
});

describe('generated shared code', () => {
  it('is what the generator makes from the current sources (run `npm run -w @abm-pilot/hubspot-app generate`)', () => {
    const committed = committedFiles();
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) expect(committed.get(file), file).toBe(text);
  });

  it('carries the contracts as one bundle with zod as its only import', () => {
    const bundle = fresh.get('src/app/cards/generated/shared/abm-contracts.js') ?? '';
    const imports = [...bundle.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(new Set(imports)).toEqual(new Set(['zod']));
    expect(bundle).toContain('GENERATED');
  });

  it('never leaves its extension root', () => {
    for (const [file, text] of fresh) {
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? '');
      const root = EXTENSION_ROOTS.find((candidate) => file.startsWith(candidate)) ?? '';
      for (const specifier of specifiers.filter((s) => s.startsWith('.'))) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        expect(target.startsWith(`${root}/`), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
