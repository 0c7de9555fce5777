import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { API_ORIGIN } from '@abm-pilot/hubspot-abm-client';
import { Components } from '@hubspot/project-parsing-lib/constants';
import {
  getProjectMetadata,
  isKnownPlatformVersion,
  parseProjectConfig,
} from '@hubspot/project-parsing-lib/projects';
import type { IntermediateRepresentationNode } from '@hubspot/project-parsing-lib/translate';
import { translate, translateForLocalDev } from '@hubspot/project-parsing-lib/translate';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { createAjvInstance } from '@hubspot/project-parsing-lib/validation';
import { afterAll, describe, expect, it } from 'vitest';

import { PULL_PROPERTIES } from '../../server/src/connectors/hubspot/mapping.ts';

// The project as HubSpot's own parser reads it. Its schema validation fetches the component schemas from
// HubSpot with an account, which a test cannot do; everything else it checks runs here (platform version,
// hsmeta parsing, parent app, component counts, uids, folders), and the configs are checked against the
// 2025.2 shapes HubSpot documents (shared/reference/hubspot-platform.md), with the parser's own Ajv.

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(PROJECT, 'src');

const httpsOrigin = { type: 'string', pattern: '^https://[a-z0-9.-]+(:\\d+)?$' };
const entrypoint = { type: 'string', pattern: '^/app/(cards|pages|settings)/[A-Za-z0-9]+\\.tsx$' };
const scope = { type: 'string', pattern: '^[a-z]+(\\.[a-z_]+)*$' };

/** Each component's 2025.2 config, as the platform notes give it. */
const CONFIG_SCHEMAS: Readonly<Record<string, object>> = {
  app: {
    type: 'object',
    required: ['name', 'description', 'distribution', 'auth', 'permittedUrls', 'support'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', minLength: 1, maxLength: 8192 },
      distribution: { enum: ['private', 'marketplace'] },
      auth: {
        type: 'object',
        required: ['type', 'requiredScopes', 'optionalScopes', 'conditionallyRequiredScopes'],
        additionalProperties: false,
        properties: {
          type: { enum: ['oauth', 'static'] },
          redirectUrls: { type: 'array', items: { type: 'string', pattern: '^https://' }, minItems: 1 },
          requiredScopes: { type: 'array', items: scope, minItems: 1, uniqueItems: true },
          optionalScopes: { type: 'array', items: scope },
          conditionallyRequiredScopes: { type: 'array', items: scope },
        },
      },
      permittedUrls: {
        type: 'object',
        required: ['fetch'],
        additionalProperties: false,
        properties: {
          fetch: { type: 'array', items: httpsOrigin, minItems: 1 },
          iframe: { type: 'array', items: httpsOrigin },
          img: { type: 'array', items: httpsOrigin },
        },
      },
      support: {
        type: 'object',
        required: ['supportEmail'],
        additionalProperties: false,
        properties: {
          supportEmail: { type: 'string', format: 'email' },
          documentationUrl: { type: 'string', format: 'uri' },
          supportUrl: { type: 'string', format: 'uri' },
          supportPhone: { type: 'string' },
        },
      },
    },
    // Marketplace distribution takes OAuth; static auth is for a private, single-portal install.
    if: { properties: { distribution: { const: 'marketplace' } } },
    then: { properties: { auth: { properties: { type: { const: 'oauth' } }, required: ['redirectUrls'] } } },
  },
  card: {
    type: 'object',
    required: ['name', 'location', 'entrypoint', 'objectTypes'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      location: { enum: ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] },
      entrypoint,
      objectTypes: {
        type: 'array',
        items: { enum: ['contacts', 'companies', 'deals', 'tickets'] },
        minItems: 1,
      },
    },
  },
  // The parser names the page component's type `pages` once translated.
  pages: {
    type: 'object',
    required: ['entrypoint', 'location'],
    additionalProperties: false,
    properties: { entrypoint, location: { const: 'home' } },
  },
  settings: {
    type: 'object',
    required: ['entrypoint'],
    additionalProperties: false,
    properties: { entrypoint },
  },
  webhooks: {
    type: 'object',
    required: ['settings', 'subscriptions'],
    additionalProperties: false,
    properties: {
      settings: {
        type: 'object',
        required: ['targetUrl', 'maxConcurrentRequests'],
        properties: {
          targetUrl: { type: 'string', pattern: '^https://' },
          maxConcurrentRequests: { type: 'integer', minimum: 1 },
        },
      },
      subscriptions: {
        type: 'object',
        additionalProperties: false,
        properties: {
          crmObjects: { type: 'array' },
          hubEvents: { type: 'array' },
          legacyCrmObjects: {
            type: 'array',
            items: {
              type: 'object',
              required: ['subscriptionType', 'active'],
              additionalProperties: false,
              properties: {
                subscriptionType: { type: 'string', pattern: '^(company|deal|contact)\\.[a-zA-Z]+$' },
                propertyName: { type: 'string' },
                active: { type: 'boolean' },
              },
              if: { properties: { subscriptionType: { pattern: 'propertyChange$' } } },
              then: { required: ['propertyName'] },
            },
          },
        },
      },
    },
  },
};

const PLATFORM_VERSION = '2025.2';
const CLIENT_PACKAGE = '@abm-pilot/hubspot-abm-client';
const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

async function nodesOf(projectSourceDir: string): Promise<IntermediateRepresentationNode[]> {
  const translated = await translate(
    { projectSourceDir, platformVersion: PLATFORM_VERSION },
    { skipValidation: true },
  );
  expect(translated.skippedHsMetaFiles).toEqual([]);
  return Object.values(translated.intermediateRepresentation.intermediateNodesIndexedByUid);
}

/** What `validateIntermediateRepresentation` checks short of the downloaded schemas, plus our schemas. */
function offlineProblems(node: IntermediateRepresentationNode): string[] {
  const type = mapToUserFacingType(node.componentType);
  const problems: string[] = [];
  const uidProblem = validateUid(node.uid);
  if (uidProblem !== undefined) problems.push(uidProblem);
  const component = Components[type];
  if (component === undefined) return [...problems, `unknown component type ${type}`];
  const parentDir = component.parentComponent ? (Components[component.parentComponent]?.dir ?? '') : '';
  if (path.posix.dirname(node.metaFilePath) !== path.posix.join(parentDir, component.dir))
    problems.push(`${node.metaFilePath} is not in ${component.dir}/`);
  const schema = CONFIG_SCHEMAS[type];
  if (schema === undefined) return [...problems, `no config schema for ${type}`];
  const validate = createAjvInstance().compile(schema);
  if (!validate(node.config))
    problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  return problems;
}

describe('HubSpot project', () => {
  it('declares platform 2025.2 with its sources in src', () => {
    const config = parseProjectConfig(PROJECT);
    expect(config).toMatchObject({ srcDir: 'src', platformVersion: PLATFORM_VERSION });
    expect(isKnownPlatformVersion(config.platformVersion)).toBe(true);
  });

  it('translates with one app, the company card, the home page, settings and webhooks', async () => {
    const nodes = await nodesOf(SRC);
    expect(nodes.map((node) => [node.uid, mapToUserFacingType(node.componentType)]).sort()).toEqual([
      ['abm_company_card', 'card'],
      ['abm_home', 'pages'],
      ['abm_pilot_app', 'app'],
      ['abm_settings', 'settings'],
      ['abm_webhooks', 'webhooks'],
    ]);
    for (const node of nodes.filter((n) => n.uid !== 'abm_pilot_app'))
      expect(node.componentDeps.app, node.uid).toBe('abm_pilot_app');
  });

  it('parses for local development without errors', async () => {
    const translated = await translateForLocalDev(
      { projectSourceDir: SRC, platformVersion: PLATFORM_VERSION },
      {},
    );
    const nodes = Object.values(translated.intermediateRepresentation.intermediateNodesIndexedByUid);
    expect(nodes).toHaveLength(5);
    for (const node of nodes) expect(node.localDev.parsingErrors, node.uid).toEqual([]);
  });

  it('keeps single components single and every hsmeta file in its folder', async () => {
    const metadata = await getProjectMetadata(SRC);
    for (const [type, { count, maxCount }] of Object.entries(metadata.components))
      expect(count, type).toBeLessThanOrEqual(maxCount);
    expect(metadata.hsMetaFiles).toHaveLength(5);
  });

  it('passes the offline validation and the documented 2025.2 config shapes', async () => {
    for (const node of await nodesOf(SRC)) expect(offlineProblems(node), node.uid).toEqual([]);
  });

  it('documents a static-auth private variant that validates the same way', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'abm-private-'));
    temporaryDirs.push(copy);
    cpSync(path.join(SRC, 'app'), path.join(copy, 'app'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    cpSync(
      path.join(PROJECT, 'variants/private-static/app-hsmeta.json'),
      path.join(copy, 'app/app-hsmeta.json'),
    );
    const app = (await nodesOf(copy)).find((node) => node.uid === 'abm_pilot_app');
    expect(app?.config).toMatchObject({ distribution: 'private', auth: { type: 'static' } });
    for (const node of await nodesOf(copy)) expect(offlineProblems(node), node.uid).toEqual([]);
  });

  it('refuses marketplace distribution with static auth (the check can fail)', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'abm-broken-'));
    temporaryDirs.push(copy);
    cpSync(path.join(SRC, 'app'), path.join(copy, 'app'), { recursive: true });
    const appFile = path.join(copy, 'app/app-hsmeta.json');
    const app = JSON.parse(readFileSync(appFile, 'utf8')) as { config: { auth: { type: string } } };
    app.config.auth.type = 'static';
    writeFileSync(appFile, JSON.stringify(app));
    const broken = (await nodesOf(copy)).find((node) => node.uid === 'abm_pilot_app');
    expect(broken && offlineProblems(broken)).not.toEqual([]);
  });
});

describe('HubSpot project wiring', () => {
  const app = JSON.parse(readFileSync(path.join(SRC, 'app/app-hsmeta.json'), 'utf8')) as {
    config: { permittedUrls: { fetch: string[] }; auth: { requiredScopes: string[] } };
  };

  it('permits exactly the origin the extensions call, and maps it to the local server for hs project dev', () => {
    expect(app.config.permittedUrls.fetch).toEqual([API_ORIGIN]);
    const local = JSON.parse(readFileSync(path.join(SRC, 'app/local.json'), 'utf8')) as {
      proxy: Record<string, string>;
    };
    expect(local.proxy).toEqual({ [API_ORIGIN]: 'http://localhost:3000' });
  });

  it('asks for the scopes the sync reads and writes with', () => {
    expect(app.config.auth.requiredScopes).toEqual(
      expect.arrayContaining([
        'crm.objects.companies.read',
        'crm.objects.companies.write',
        'crm.objects.deals.read',
        'crm.objects.contacts.read',
        'crm.objects.owners.read',
      ]),
    );
  });

  it('points each entrypoint at a file, with a package.json pinning the extension runtime and the package', async () => {
    for (const node of await nodesOf(SRC)) {
      const { entrypoint: file } = node.config as { entrypoint?: string };
      if (file === undefined) continue;
      expect(existsSync(path.join(SRC, file)), file).toBe(true);
      const manifest = JSON.parse(
        readFileSync(path.join(SRC, path.dirname(file), 'package.json'), 'utf8'),
      ) as {
        dependencies: Record<string, string>;
      };
      expect(manifest.dependencies).toEqual({
        '@hubspot/ui-extensions': '0.17.0',
        react: '18.3.1',
        [CLIENT_PACKAGE]: '*',
      });
    }
  });

  it('shares code as HubSpot documents it: npm workspaces at src/app, one package under packages/', () => {
    const root = JSON.parse(readFileSync(path.join(SRC, 'app/package.json'), 'utf8')) as {
      workspaces: string[];
    };
    expect(root.workspaces.sort()).toEqual(['cards', 'packages/*', 'pages', 'settings']);
    const client = JSON.parse(
      readFileSync(path.join(SRC, 'app/packages/abm-client/package.json'), 'utf8'),
    ) as {
      name: string;
      exports: { '.': { types: string; default: string } };
      dependencies: Record<string, string>;
      scripts?: Record<string, string>;
    };
    expect(client.name).toBe(CLIENT_PACKAGE);
    expect(client.exports['.']).toEqual({ types: './dist/types/index.d.ts', default: './dist/index.js' });
    // One zod for the contracts and whatever else an extension parses with: the package does not bundle it.
    expect(client.dependencies).toEqual({ zod: expect.stringMatching(/^\^4\./) });
    // HubSpot installs the workspaces where shared/ is not: a lifecycle script there could not build.
    expect(client.scripts).toBeUndefined();
  });

  it('subscribes webhooks only to properties the sync pulls, and delivers them to the server', () => {
    const webhooks = JSON.parse(
      readFileSync(path.join(SRC, 'app/webhooks/webhooks-hsmeta.json'), 'utf8'),
    ) as {
      config: {
        settings: { targetUrl: string };
        subscriptions: { legacyCrmObjects: { subscriptionType: string; propertyName?: string }[] };
      };
    };
    expect(webhooks.config.settings.targetUrl).toBe(`${API_ORIGIN}/api/v1/webhooks/hubspot`);
    const pulled: Record<string, readonly string[]> = {
      company: PULL_PROPERTIES.companies,
      deal: PULL_PROPERTIES.deals,
      contact: PULL_PROPERTIES.contacts,
    };
    const watched = webhooks.config.subscriptions.legacyCrmObjects.filter(
      (s) => s.propertyName !== undefined,
    );
    expect(watched.length).toBeGreaterThan(0);
    for (const { subscriptionType, propertyName } of watched) {
      const object = subscriptionType.split('.')[0] ?? '';
      expect(pulled[object], `${subscriptionType} ${propertyName}`).toContain(propertyName);
    }
    expect(watched.map((s) => s.propertyName)).toContain('hs_ideal_customer_profile');
  });
});
