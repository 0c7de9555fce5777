import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  collectWorkspaceDirectories,
  findAndParsePackageJsonFiles,
} from '@hubspot/project-parsing-lib/workspaces';
import { beforeAll, describe, expect, it } from 'vitest';

// What `hs project upload` puts in its archive, decided as the CLI decides it (hubspot-cli
// lib/projects/upload.ts): every file under the project's srcDir, named relative to it, less what
// local-dev-lib's `shouldIgnoreFile(name, true)` refuses, from the project folder where `npm run upload`
// runs it. The extensions' package is built and git-ignored, so this is what proves HubSpot still gets it.

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(PROJECT, 'src');
const PACKAGE = 'app/packages/abm-client';

/** Files under a folder, relative to it; node_modules is left unread (the CLI's own list drops it). */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).includes('node_modules'));
}

let uploaded: string[];
beforeAll(async () => {
  const before = process.cwd();
  // The CLI looks for .hsignore from the folder it runs in, and resolves the names it filters against it.
  process.chdir(PROJECT);
  try {
    const { shouldIgnoreFile } = await import('@hubspot/local-dev-lib/ignoreRules');
    uploaded = filesUnder(SRC).filter((file) => !shouldIgnoreFile(file, true));
  } finally {
    process.chdir(before);
  }
});

describe('hs project upload', () => {
  it('uploads the built extensions package, which git does not track', () => {
    for (const file of [
      `${PACKAGE}/package.json`,
      `${PACKAGE}/dist/index.js`,
      `${PACKAGE}/dist/types/index.d.ts`,
    ]) {
      expect(uploaded, file).toContain(file);
    }
    const ignoredByGit = spawnSync(
      'git',
      ['check-ignore', '--quiet', path.join(SRC, PACKAGE, 'dist/index.js')],
      {
        cwd: PROJECT,
      },
    );
    expect(ignoredByGit.status).toBe(0);
  });

  it('uploads every extension with its package.json, and the workspace root that links them', () => {
    for (const file of [
      'app/package.json',
      'app/app-hsmeta.json',
      'app/cards/AbmCompanyCard.tsx',
      'app/cards/package.json',
      'app/pages/Home.tsx',
      'app/pages/package.json',
      'app/settings/Settings.tsx',
      'app/settings/package.json',
    ]) {
      expect(uploaded, file).toContain(file);
    }
  });

  it('leaves out the tests and the package sources, which import what is not uploaded', () => {
    expect(uploaded.filter((file) => /\.test\.tsx?$/.test(file))).toEqual([]);
    expect(uploaded.filter((file) => file.startsWith(`${PACKAGE}/src/`))).toEqual([]);
    expect(filesUnder(SRC).some((file) => file.startsWith(`${PACKAGE}/src/`))).toBe(true);
  });

  it('finds every workspace inside srcDir, so the .hsignore walk uploads it rather than npm-packlist', async () => {
    // A workspace outside srcDir is copied with npm-packlist, which honours .gitignore and would drop dist/.
    const mappings = await collectWorkspaceDirectories(await findAndParsePackageJsonFiles(SRC));
    const workspaces = mappings.map((mapping) => path.relative(SRC, mapping.workspaceDir)).sort();
    expect(workspaces).toEqual(['app/cards', 'app/packages/abm-client', 'app/pages', 'app/settings']);
  });
});
