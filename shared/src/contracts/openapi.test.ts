import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { API_COMPONENT_SCHEMAS, API_CONTRACTS } from './catalog.ts';
import type { ApiContract } from './contract.ts';
import { defineContract, openApiPathOf } from './contract.ts';
import { API_ERROR_STATUS } from './errors.ts';
import { OpenApiDocumentSchema } from './health.ts';
import type { OpenApiDocument, OpenApiOperation } from './openapi.ts';
import { buildOpenApiDocument } from './openapi.ts';

const document = buildOpenApiDocument(API_CONTRACTS, { components: API_COMPONENT_SCHEMAS });
const contracts = Object.entries(API_CONTRACTS) as [keyof typeof API_CONTRACTS, ApiContract][];

const operations = (doc: OpenApiDocument): [string, string, OpenApiOperation][] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, OpenApiOperation] => [
      method,
      path,
      operation,
    ]),
  );

const operationOf = (operationId: keyof typeof API_CONTRACTS): OpenApiOperation => {
  const found = operations(document).find(([, , operation]) => operation.operationId === operationId);
  if (found === undefined) throw new Error(`no operation ${operationId}`);
  return found[2];
};

/** Every `$ref` in a JSON value, with where it sits. */
function refsIn(value: unknown, at = '#'): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${at}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === '$ref' && typeof item === 'string'
      ? [[at, item] as [string, string]]
      : refsIn(item, `${at}/${key}`),
  );
}

/** Resolves a local JSON pointer (`#/components/schemas/X`) in the document; undefined when it leads nowhere. */
function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, token) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, token)
          ? (node as Record<string, unknown>)[token]
          : undefined,
      root,
    );
}

describe('buildOpenApiDocument', () => {
  it('lists every contract once, by its method and path', () => {
    const listed = operations(document).map(([method, path]) => `${method.toUpperCase()} ${path}`);
    const declared = contracts.map(([, contract]) => `${contract.method} ${openApiPathOf(contract.path)}`);
    expect(listed.sort()).toEqual(declared.sort());
    expect(new Set(listed).size).toBe(contracts.length);
    expect(
      operations(document)
        .map(([, , operation]) => operation.operationId)
        .sort(),
    ).toEqual(Object.keys(API_CONTRACTS).sort());
  });

  it('resolves every schema it references, and references only inside itself', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(50);
    for (const [at, ref] of refs) {
      expect(resolvePointer(document, ref), `${ref} at ${at}`).toBeDefined();
    }
  });

  it('names its components without a dialect of their own, as OpenAPI 3.1 expects', () => {
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(schema, name).not.toHaveProperty('$schema');
      expect(schema, name).not.toHaveProperty('$id');
    }
    expect(document.components.schemas.ApiError).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'] } },
    });
  });

  it('describes path and query parameters, required as the contracts say', () => {
    const card = operationOf('getAccountCard');
    expect(card.parameters.find((parameter) => parameter.name === 'crmId')).toMatchObject({
      in: 'path',
      required: true,
    });
    expect(card.parameters.find((parameter) => parameter.name === 'userId')).toMatchObject({
      in: 'query',
      required: true,
    });
    const queue = operationOf('listPendingApprovals');
    expect(queue.parameters.find((parameter) => parameter.name === 'role')).toMatchObject({
      in: 'query',
      required: false,
      schema: { enum: expect.arrayContaining(['abm_committee', 'chief_abm_officer']) },
    });
    // Query values are strings at the wire: the limit is described as the digits a client sends.
    expect(queue.parameters.find((parameter) => parameter.name === 'limit')).toMatchObject({
      required: false,
      schema: { type: 'string' },
    });
  });

  it('gives every contract with a body its request body, and no other', () => {
    for (const [operationId, contract] of contracts) {
      const operation = operationOf(operationId);
      expect(operation.requestBody !== undefined, operationId).toBe(contract.body !== undefined);
    }
    expect(operationOf('requestTierChange').requestBody).toMatchObject({
      required: true,
      content: {
        'application/json': {
          schema: { required: ['toTier', 'idempotencyKey'], additionalProperties: false },
        },
      },
    });
    expect(operationOf('triggerSync').requestBody?.required).toBe(true);
  });

  it('answers each contract with its response component and its error codes grouped by status', () => {
    for (const [operationId, contract] of contracts) {
      const { responses } = operationOf(operationId);
      const success = responses[String(contract.successStatus ?? 200)];
      expect(success?.content['application/json'].schema, operationId).toHaveProperty('$ref');
      for (const code of contract.errors) {
        const response = responses[String(API_ERROR_STATUS[code])];
        expect(
          JSON.stringify(response?.content['application/json'].schema),
          `${operationId} ${code}`,
        ).toContain(`"${code}"`);
      }
    }
    expect(operationOf('triggerSync').responses['202']).toBeDefined();
    expect(operationOf('requestTierChange').responses['200']?.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/TierChangeResponse',
    });
  });

  it('secures card, webhook and admin calls with their schemes, and leaves the health checks open', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'adminToken',
      'hubspotSignature',
      'orgApiKey',
    ]);
    expect(document.components.securitySchemes.hubspotSignature).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-HubSpot-Signature-v3',
    });
    expect(operationOf('getAccountCard').security).toEqual([{ hubspotSignature: [] }, { orgApiKey: [] }]);
    expect(operationOf('putConfig').security).toEqual([{ adminToken: [] }]);
    expect(operationOf('receiveHubSpotWebhook').security).toContainEqual({ hubspotSignature: [] });
    expect(operationOf('healthz').security).toEqual([]);
  });

  it('is itself what its own contract serves, and survives JSON', () => {
    const served = JSON.parse(JSON.stringify(document)) as unknown;
    expect(served).toEqual(document);
    expect(OpenApiDocumentSchema.safeParse(served).success).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('refuses a contract list that declares one route twice', () => {
    const twice = { first: API_CONTRACTS.healthz, second: API_CONTRACTS.healthz };
    expect(() => buildOpenApiDocument(twice)).toThrow(/declared twice/);
  });

  it('refuses a contract whose path parameters differ from its params schema', () => {
    const mismatched = defineContract({
      method: 'GET',
      path: '/api/v1/things/:thingId',
      summary: 'A thing',
      auth: 'public',
      params: z.strictObject({ id: z.string() }),
      response: z.strictObject({ ok: z.boolean() }),
      errors: [],
    });
    expect(() => buildOpenApiDocument({ getThing: mismatched })).toThrow(/path parameters/);
  });

  it('names an unnamed response after its operation', () => {
    const thing = defineContract({
      method: 'GET',
      path: '/api/v1/things',
      summary: 'Things',
      auth: 'public',
      response: z.strictObject({ things: z.array(z.string()) }),
      errors: ['internal_error'],
    });
    const doc = buildOpenApiDocument({ listThings: thing });
    expect(doc.components.schemas.ListThingsResponse).toMatchObject({ type: 'object' });
    expect(doc.paths['/api/v1/things']?.get?.responses['200']?.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ListThingsResponse',
    });
  });
});
