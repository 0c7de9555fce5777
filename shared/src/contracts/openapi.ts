import { z } from 'zod';

import type { ApiAuth, ApiContract } from './contract.ts';
import { openApiPathOf, pathParamNames } from './contract.ts';
import type { ApiErrorCode } from './errors.ts';
import { API_ERROR_STATUS, ApiErrorSchema } from './errors.ts';

// The OpenAPI 3.1 document, generated from the contracts with zod's own JSON Schema output (2020-12, the
// dialect of OpenAPI 3.1), so the document cannot drift from what the routes parse.

export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: { readonly 'application/json': { readonly schema: JsonSchema } };
  };
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
}

export interface OpenApiResponse {
  readonly description: string;
  readonly content: { readonly 'application/json': { readonly schema: JsonSchema } };
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers: readonly { readonly url: string; readonly description?: string }[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly securitySchemes: Readonly<Record<string, JsonSchema>>;
  };
}

export interface OpenApiOptions {
  readonly title?: string;
  readonly version?: string;
  readonly description?: string;
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /** Schemas to name in `components.schemas` and reference by `$ref`; other responses get `<Operation>Response`. */
  readonly components?: Readonly<Record<string, z.ZodType>>;
}

const SCHEMA_REF = (id: string) => `#/components/schemas/${id}`;

export const SECURITY_SCHEMES = {
  hubspotSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-HubSpot-Signature-v3',
    description:
      'Base64 HMAC-SHA256, keyed with the app client secret, of method + public URL + raw body + the ' +
      'X-HubSpot-Request-Timestamp header (epoch ms, at most 5 minutes old). Portal and user come from the ' +
      'signed URL, never from an unsigned parameter.',
  },
  orgApiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'org API key',
    description:
      "A Salesforce org's API key, sent by Apex through a Named Credential; the org is the key's org. " +
      'Stored hashed, rotatable.',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'admin token',
    description: "A tenant's admin token.",
  },
} as const satisfies Record<string, JsonSchema>;

type SecurityScheme = keyof typeof SECURITY_SCHEMES;

/** Alternatives: a card call is either HubSpot-signed or carries a Salesforce org key. */
const SECURITY_OF_AUTH: Readonly<Record<ApiAuth, readonly Partial<Record<SecurityScheme, []>>[]>> = {
  card: [{ hubspotSignature: [] }, { orgApiKey: [] }],
  webhook: [{ hubspotSignature: [] }, { orgApiKey: [] }],
  admin: [{ adminToken: [] }],
  public: [],
};

/** Lists every contract with its parameters, body, success response and error responses by status. */
export function buildOpenApiDocument(
  contracts: Readonly<Record<string, ApiContract>>,
  options: OpenApiOptions = {},
): OpenApiDocument {
  const schemas = componentSchemas(contracts, options.components ?? {});
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  const tags = new Set<string>();

  for (const [operationId, contract] of Object.entries(contracts)) {
    const path = openApiPathOf(contract.path);
    const method = contract.method.toLowerCase();
    const item = (paths[path] ??= {});
    if (item[method] !== undefined) {
      throw new Error(`${contract.method} ${contract.path} is declared twice (${operationId}).`);
    }
    const tag = tagOf(contract.path);
    tags.add(tag);
    const responseId = schemas.ids.get(contract.response);
    if (responseId === undefined) throw new Error(`No component for the response of ${operationId}.`);
    item[method] = {
      operationId,
      summary: contract.summary,
      tags: [tag],
      security: SECURITY_OF_AUTH[contract.auth],
      parameters: parametersOf(operationId, contract),
      ...(contract.body === undefined
        ? {}
        : {
            requestBody: {
              required: !contract.body.safeParse(undefined).success,
              content: { 'application/json': { schema: inlineSchema(contract.body) } },
            },
          }),
      responses: {
        [String(contract.successStatus ?? 200)]: jsonResponse(contract.summary, {
          $ref: SCHEMA_REF(responseId),
        }),
        ...errorResponses(contract.errors),
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'ABM Pilot API',
      version: options.version ?? '1',
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    servers: options.servers ?? [{ url: '/' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: { schemas: schemas.json, securitySchemes: SECURITY_SCHEMES },
  };
}

/** One registry holds every response schema, so a schema used in several places is one `$ref`. */
function componentSchemas(
  contracts: Readonly<Record<string, ApiContract>>,
  named: Readonly<Record<string, z.ZodType>>,
): { json: Record<string, JsonSchema>; ids: ReadonlyMap<z.ZodType, string> } {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  const register = (schema: z.ZodType, id: string) => {
    if (ids.has(schema)) return;
    registry.add(schema, { id });
    ids.set(schema, id);
  };
  register(ApiErrorSchema, 'ApiError');
  for (const [id, schema] of Object.entries(named)) register(schema, id);
  for (const [operationId, contract] of Object.entries(contracts)) {
    register(contract.response, `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}Response`);
  }
  const { schemas } = z.toJSONSchema(registry, { uri: SCHEMA_REF, io: 'output' });
  if ('__shared' in schemas) throw new Error('Component schemas must not need shared definitions.');
  const json: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) json[id] = withoutDialect(schema as JsonSchema);
  return { json, ids };
}

function parametersOf(operationId: string, contract: ApiContract): OpenApiParameter[] {
  const pathNames = pathParamNames(contract.path);
  const paramShape = contract.params?.shape ?? {};
  const declared = Object.keys(paramShape);
  if (pathNames.length !== declared.length || pathNames.some((name) => !declared.includes(name))) {
    throw new Error(`${operationId}: path parameters ${pathNames.join(', ')} differ from its params schema.`);
  }
  const path = Object.entries(paramShape).map(([name, schema]) => ({
    name,
    in: 'path' as const,
    required: true,
    schema: inlineSchema(schema),
  }));
  const query = Object.entries(contract.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query' as const,
    required: !schema.safeParse(undefined).success,
    schema: inlineSchema(schema),
  }));
  return [...path, ...query];
}

/** Errors grouped by status, each group's schema narrowing `error.code` to the codes of that status. */
function errorResponses(codes: readonly ApiErrorCode[]): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = API_ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, ofStatus] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = jsonResponse(ofStatus.join(', '), {
      allOf: [
        { $ref: SCHEMA_REF('ApiError') },
        {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { enum: ofStatus } } } },
        },
      ],
    });
  }
  return responses;
}

const jsonResponse = (description: string, schema: JsonSchema): OpenApiResponse => ({
  description,
  content: { 'application/json': { schema } },
});

/** Inputs as a client sends them (before defaults and transforms), inline. */
const inlineSchema = (schema: z.ZodType): JsonSchema =>
  withoutDialect(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema);

/** Components live in the document, whose dialect OpenAPI 3.1 fixes: no `$schema` or `$id` of their own. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

/** `/api/v1/admin/config` → `admin`; the health checks and the document itself → `meta`. */
function tagOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const [root, version, resource] = segments;
  if (root !== 'api' || version === undefined || resource === undefined || resource.includes('.'))
    return 'meta';
  return resource;
}
