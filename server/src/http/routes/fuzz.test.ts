import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';

import type { ApiContract } from '@abm-pilot/shared';
import { API_CONTRACTS, ApiErrorSchema } from '@abm-pilot/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONTRACT_EXAMPLES } from '../../../../shared/src/contracts/fixtures.ts';
import type { ApiOperationId } from '../../../../shared/src/contracts/catalog.ts';
import type { DatabaseDump, Harness } from './apiTestHarness.ts';
import {
  adminToken,
  giveRoles,
  hubspotHeaders,
  NOW,
  openDatabaseDump,
  salesforceKey,
  seedAccounts,
  startApi,
  TENANT_A,
  TENANT_B,
  TENANT_C,
} from './apiTestHarness.ts';

// Thousands of random and malformed requests against every route, with good and bad credentials. Each must
// get an answer below 500 in the one error shape, and the database must not change: the fuzzer never
// sends a write the server should accept (every POST/PUT body that a write route could accept is swapped
// for one it must refuse), so any change is a write made by a rejected request.

const ROUTES = Object.entries(API_CONTRACTS) as [ApiOperationId, ApiContract][];
const WRITE_ROUTES = ROUTES.filter(([, contract]) => contract.body !== undefined);
const ALWAYS_INVALID_BODY = '[{"__fuzz":true}]';
const RUNS = 2_400;

interface RawRequest {
  readonly operation: ApiOperationId | 'unrouted';
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** node:http rather than fetch: any method, a body on a GET, raw paths and bytes exactly as generated. */
function send(base: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: hostname,
        port,
        method: raw.method,
        path: raw.path,
        agent: false,
        // Chunked bodies carry no length: both at once is request smuggling, refused by Node's parser itself.
        headers: {
          ...raw.headers,
          ...(raw.body === null || 'transfer-encoding' in raw.headers
            ? {}
            : { 'content-length': raw.body.length }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(raw.body ?? undefined);
  });
}

// --- generators -----------------------------------------------------------------------------------------

const NASTY_IDS = [
  'a1',
  'a2',
  'c1',
  'b1',
  'zz9',
  'apr_01HZX3K9T2',
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fadmin%2Fconfig',
  '..%5C..%5Cwindows',
  '%',
  '%zz',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%F0%9F%92%A9',
  'a%2Fb',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999999999999',
  'NaN',
  'null',
  'undefined',
  "'%20OR%201=1--",
  '%3Cscript%3E',
];

const idArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a1', 'a2', 'b1', 'c1', 'zz9') },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_IDS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent) },
  // Printable ASCII sent as is: slashes, question marks, hashes and percent signs reshape the path.
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
  },
  // Escaped bytes that are not UTF-8 (raw bytes above 0x7f are refused by Node's parser before the app).
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 10 })
      .map((bytes) => bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('')),
  },
  // Long ids; the request line stays below Node's 16 KiB header limit, which answers before the app.
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 6_000 }).map((n) => 'x'.repeat(n)) },
);

const pathOf = (contract: ApiContract, id: string) => contract.path.replace(/:[A-Za-z_]\w*/g, id);

const pathShapeArb = fc.constantFrom(
  (path: string) => path,
  (path: string) => path,
  (path: string) => path,
  (path: string) => `${path}/`,
  (path: string) => path.toUpperCase(),
  (path: string) => path.replace('/api/v1', '/api//v1'),
  (path: string) => path.replace('/api/v1', '/api/v2'),
  (path: string) => `${path}/../../admin/config`,
  (path: string) => path.replace('/api/v1/', '/api/v1/%2e%2e/api/v1/'),
  (path: string) => `/${path}`,
  (path: string) => `${path}%00`,
);

const segmentArb = fc.oneof(fc.constantFrom(...NASTY_IDS, 'api', 'v1', 'admin', 'accounts'), idArb);
const unroutedPathArb = fc
  .array(segmentArb, { minLength: 0, maxLength: 6 })
  .map((segments) => `/${segments.join('/')}`);

const QUERY_KEYS = [
  'userId',
  'portalId',
  'limit',
  'before',
  'from',
  'to',
  'tier',
  'role',
  'userEmail',
  'appId',
  '__proto__',
  '__proto__[polluted]',
  'constructor',
  'constructor[prototype][polluted]',
  'a[b]',
  'a[]',
  '[]',
  'toString',
  'hasOwnProperty',
  '',
];

const QUERY_VALUES = [
  '111',
  '222',
  '999',
  'u1',
  'o1',
  'tier_1',
  'tier_2',
  'abm',
  'abm_manager',
  '2026-01-01T00:00:00Z',
  '2026-04-01T00:00:00Z',
  '2026-01',
  '20',
  '0',
  '-1',
  '1e3',
  '1.5',
  'NaN',
  'Infinity',
  '99999999999999999999',
  '1e308',
  '9'.repeat(400),
  'true',
  'null',
  '',
  '%',
  '%zz',
  '%00',
];

const queryValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...QUERY_VALUES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 4_000 }).map((n) => 'q'.repeat(n)) },
);
const queryKeyArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent) },
);

/** Who the caller says it is: a real portal and user, a neighbour, an unknown portal, a Salesforce user. */
const CALLERS = [
  'portalId=111&userId=u1',
  'portalId=111&userId=u9',
  'portalId=222&userId=u1',
  'portalId=999&userId=u1',
  'userId=o1',
  'userId=u1&portalId=111&portalId=222',
  'userId=u1&userId=u2&portalId=111',
  '',
];

const queryArb = fc
  .tuple(
    fc.constantFrom(...CALLERS),
    fc.oneof(fc.constant([]), fc.array(fc.tuple(queryKeyArb, queryValueArb), { maxLength: 5 })),
    fc.boolean(),
  )
  .map(([caller, pairs, withQuestionMark]) => {
    const extra = pairs.map(([key, value]) => `${key}=${value}`);
    const query = [caller, ...extra].filter(Boolean).join('&');
    return query === '' && !withQuestionMark ? '' : `?${query}`;
  });

const CONTENT_TYPES = [
  null,
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'garbage',
];
const CONTENT_ENCODINGS = [null, null, null, null, 'identity', 'gzip', 'deflate', 'br', 'x-unknown'];

const CRAFTED_BODIES = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":{"toTier":"tier_1","idempotencyKey":"fuzz-fuzz-fuzz"}}',
  '{"toTier":"tier_1","toTier":"tier_2","idempotencyKey":"fuzz-key-0001"}',
  '{"toTier":"tier_9","idempotencyKey":"fuzz-key-0001"}',
  '{"toTier":"tier_1","idempotencyKey":"short"}',
  '{"users":{"__proto__":["admin"]}}',
  '{"users":{"u1":["chief_abm_officer"],"u1 ":["x"]}}',
  '{"lines":[{"period":"2026-13","category":"tools","amount":1e999}]}',
  '{"lines":[{"period":"2026-01","category":"tools","amount":-1e308}]}',
  '{"records":[{"sobject":"Account","id":"001000000000000AAA","extra":1}]}',
  '{"records":[]}',
  '{"full":"yes"}',
  '{"comment":{"$gt":""}}',
  '1e999',
  '{"a":1e999}',
  `{"n":${'9'.repeat(400)}}`,
  '[1,2',
  '{',
  '}',
  'not json',
  '',
  ' ',
  'null',
  'true',
  '"a string"',
  '[]',
  '{}',
  '\u0000',
  '\ufeff{}',
  `${'['.repeat(3_000)}${']'.repeat(3_000)}`,
  `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`,
  JSON.stringify({ toTier: 'tier_1', reason: 'x'.repeat(5_000), idempotencyKey: 'k'.repeat(200) }),
];

const exampleBodies = ROUTES.flatMap(([operation]) => {
  const example = CONTRACT_EXAMPLES[operation];
  return example.body === undefined ? [] : [example.body];
});

/** A valid example body with one thing wrong: a key gone, a key added, or a value replaced. */
const mutatedExampleArb = fc
  .tuple(fc.constantFrom(...exampleBodies), fc.jsonValue({ maxDepth: 2 }), fc.nat(), fc.nat(3))
  .map(([example, replacement, pick, how]) => {
    if (typeof example !== 'object' || example === null || Array.isArray(example)) return example;
    const copy: Record<string, unknown> = { ...(example as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys[pick % Math.max(keys.length, 1)];
    if (how === 0 && key !== undefined) delete copy[key];
    else if (how === 1) copy.unexpected = replacement;
    else if (key !== undefined) copy[key] = replacement;
    return copy;
  })
  .map((value) => JSON.stringify(value) ?? 'null');

const bodyArb: fc.Arbitrary<Buffer | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 3, arbitrary: fc.constantFrom(...CRAFTED_BODIES).map((text) => Buffer.from(text)) },
  { weight: 3, arbitrary: mutatedExampleArb.map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text)) },
  // Above the 256 kB limit: the answer is 413, whatever the route.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 256 * 1024, max: 300 * 1024 }).map((n) => Buffer.from(`"${'x'.repeat(n)}"`)),
  },
);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'];

type Credential =
  | 'none'
  | 'bearer-garbage'
  | 'bearer-short'
  | 'bearer-huge'
  | 'basic'
  | 'admin'
  | 'viewer'
  | 'admin-neighbour'
  | 'salesforce-key'
  | 'hubspot'
  | 'hubspot-wrong-secret'
  | 'hubspot-expired'
  | 'hubspot-future'
  | 'hubspot-bad-timestamp'
  | 'hubspot-garbage'
  | 'hubspot-other-path'
  | 'hubspot-and-admin';

const CREDENTIALS: readonly Credential[] = [
  'none',
  'bearer-garbage',
  'bearer-short',
  'bearer-huge',
  'basic',
  'admin',
  'viewer',
  'admin-neighbour',
  'salesforce-key',
  'hubspot',
  'hubspot',
  'hubspot-wrong-secret',
  'hubspot-expired',
  'hubspot-future',
  'hubspot-bad-timestamp',
  'hubspot-garbage',
  'hubspot-other-path',
  'hubspot-and-admin',
];

interface Keys {
  readonly admin: string;
  readonly viewer: string;
  readonly neighbourAdmin: string;
  readonly salesforce: string;
}

function credentialHeaders(
  credential: Credential,
  keys: Keys,
  method: string,
  path: string,
  body: Buffer | null,
): Record<string, string> {
  const raw = body === null ? '' : body.toString('utf8');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  switch (credential) {
    case 'none':
      return {};
    case 'bearer-garbage':
      return bearer('abm_adm_0000000000000000.notasecretatall');
    case 'bearer-short':
      return bearer('abc');
    case 'bearer-huge':
      return bearer('k'.repeat(4_000));
    case 'basic':
      return { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
    case 'admin':
      return bearer(keys.admin);
    case 'viewer':
      return bearer(keys.viewer);
    case 'admin-neighbour':
      return bearer(keys.neighbourAdmin);
    case 'salesforce-key':
      return bearer(keys.salesforce);
    case 'hubspot':
      return hubspotHeaders(method, path, raw);
    case 'hubspot-wrong-secret':
      return hubspotHeaders(method, path, raw, { secret: 'another-apps-secret' });
    case 'hubspot-expired':
      return hubspotHeaders(method, path, raw, { timestamp: NOW - 5 * 60_000 - 1 });
    case 'hubspot-future':
      return hubspotHeaders(method, path, raw, { timestamp: NOW + 5 * 60_000 + 1 });
    case 'hubspot-bad-timestamp':
      return { ...hubspotHeaders(method, path, raw), 'x-hubspot-request-timestamp': '1e12' };
    case 'hubspot-garbage':
      return { ...hubspotHeaders(method, path, raw), 'x-hubspot-signature-v3': '!!not base64!!' };
    case 'hubspot-other-path':
      return hubspotHeaders(method, '/api/v1/accounts/a1/card?portalId=111&userId=u1', raw);
    case 'hubspot-and-admin':
      return { ...hubspotHeaders(method, path, raw), ...bearer(keys.admin) };
  }
}

const FITTING_CREDENTIAL: Readonly<Record<ApiContract['auth'], (id: string) => Credential>> = {
  card: (id) => (id === 'b1' ? 'salesforce-key' : 'hubspot'),
  admin: (id) => (id.length % 2 === 0 ? 'admin' : 'viewer'),
  webhook: (id) => (id.length % 2 === 0 ? 'hubspot' : 'salesforce-key'),
  public: () => 'none',
};

interface Draft {
  readonly operation: ApiOperationId | 'unrouted';
  readonly method: string;
  readonly path: string;
  readonly contentType: string | null;
  readonly contentEncoding: string | null;
  readonly body: Buffer | null;
  readonly credential: Credential;
  readonly extraHeaders: Readonly<Record<string, string>>;
}

const EXTRA_HEADERS: readonly Readonly<Record<string, string>>[] = [
  {},
  {},
  { 'x-request-id': '../../etc/passwd' },
  { 'x-request-id': 'r'.repeat(500) },
  { 'x-forwarded-for': '10.0.0.1, 127.0.0.1' },
  { accept: 'text/html' },
  { 'transfer-encoding': 'chunked' },
];

const randomDraftArb: fc.Arbitrary<Draft> = fc
  .record({
    route: fc.option(fc.constantFrom(...ROUTES), { freq: 12, nil: null }),
    id: idArb,
    shape: pathShapeArb,
    unrouted: unroutedPathArb,
    query: queryArb,
    useContractMethod: fc.nat(4),
    method: fc.constantFrom(...METHODS),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    contentEncoding: fc.constantFrom(...CONTENT_ENCODINGS),
    body: bodyArb,
    credential: fc.constantFrom(...CREDENTIALS),
    fitting: fc.boolean(),
    extraHeaders: fc.constantFrom(...EXTRA_HEADERS),
  })
  .map(
    ({
      route,
      id,
      shape,
      unrouted,
      query,
      useContractMethod,
      method,
      body,
      credential,
      fitting,
      extraHeaders,
      ...rest
    }) => {
      const operation = route === null ? ('unrouted' as const) : route[0];
      const path = route === null ? unrouted : shape(pathOf(route[1], id));
      const chosenMethod = route !== null && useContractMethod > 0 ? route[1].method : method;
      // Node's client refuses these headers without a body; they would test the client, not the server.
      const headers = body === null && 'transfer-encoding' in extraHeaders ? {} : extraHeaders;
      return {
        operation,
        method: chosenMethod,
        path: `${path}${query}`,
        body: chosenMethod === 'HEAD' ? null : body,
        extraHeaders: headers,
        // Half the requests carry the credential their route expects, so they reach the handlers.
        credential: fitting && route !== null ? FITTING_CREDENTIAL[route[1].auth](id) : credential,
        ...rest,
      };
    },
  );

const CALLER_KEYS = new Set(['userId', 'portalId']);

/** The example query of a route without its caller, each value kept or swapped for a nasty one. */
const exampleQueryArb = (operation: ApiOperationId) => {
  const example = CONTRACT_EXAMPLES[operation].query;
  const pairs = Object.entries((example ?? {}) as Record<string, string>).filter(
    ([key]) => !CALLER_KEYS.has(key),
  );
  return fc
    .tuple(
      ...pairs.map(([key, value]) => fc.tuple(fc.constant(key), fc.oneof(fc.constant(value), queryValueArb))),
    )
    .map((kept) => kept.map(([key, value]) => `&${key}=${encodeURIComponent(value)}`).join(''));
};

/** Near-valid calls: the route's method, path and credential, the example's query and a mutated body. */
const plausibleDraftArb: fc.Arbitrary<Draft> = fc
  .constantFrom(...ROUTES)
  .chain(([operation, contract]) =>
    fc.record({
      operation: fc.constant(operation),
      contract: fc.constant(contract),
      id: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('a1', 'a2', 'b1', 'c1', 'zz9', 'apr_01HZX3K9T2') },
        { weight: 1, arbitrary: idArb },
      ),
      neighbour: fc.nat(4),
      query: exampleQueryArb(operation),
      body: fc.oneof(
        mutatedExampleArb,
        fc.constant(JSON.stringify(CONTRACT_EXAMPLES[operation].body ?? {})),
        fc.constantFrom(...CRAFTED_BODIES),
      ),
    }),
  )
  .map(({ operation, contract, id, neighbour, query, body }) => {
    const caller =
      id === 'b1' ? 'userId=o1' : neighbour === 0 ? 'portalId=222&userId=u1' : 'portalId=111&userId=u1';
    const hasBody = contract.method !== 'GET';
    return {
      operation,
      method: contract.method,
      path: `${pathOf(contract, id)}?${contract.auth === 'card' ? caller : 'x=1'}${query}`
        .replace('?x=1&', '?')
        .replace(/\?x=1$/, ''),
      contentType: hasBody ? 'application/json' : null,
      contentEncoding: null,
      body: hasBody ? Buffer.from(body) : null,
      credential: FITTING_CREDENTIAL[contract.auth](id),
      extraHeaders: {},
    };
  });

const draftArb = fc.oneof(
  { weight: 3, arbitrary: randomDraftArb },
  { weight: 2, arbitrary: plausibleDraftArb },
);

// --- the write guard -------------------------------------------------------------------------------------

const routePattern = (path: string) =>
  new RegExp(`^${path.replace(/:[A-Za-z_]\w*/g, '[^/]+').replace(/\./g, '\\.')}/?$`, 'i');
const WRITE_PATTERNS = WRITE_ROUTES.map(([, contract]) => ({
  contract,
  pattern: routePattern(contract.path),
}));

/**
 * The write routes an Express router would run for this method and path. Matched loosely (any of the ways
 * the path may end before its query), so that a doubt counts as a match.
 */
function writeRoutesOf(method: string, path: string): ApiContract[] {
  const pathnames = [path.split('?')[0] ?? '', path.split(/[?#]/)[0] ?? ''];
  return WRITE_PATTERNS.filter(
    ({ contract, pattern }) =>
      contract.method === method && pathnames.some((pathname) => pattern.test(pathname)),
  ).map(({ contract }) => contract);
}

/** What a write route could see as its body: `{}` when no JSON parser ran, else the bytes as JSON. */
function bodiesSeen(body: Buffer | null): unknown[] {
  const seen: unknown[] = [{}];
  if (body !== null) {
    try {
      seen.push(JSON.parse(body.toString('utf8')));
    } catch {
      // Not JSON: the JSON parser refuses it, or another content type leaves the body `{}`.
    }
  }
  return seen;
}

/** Replaces any body a matched write route could accept with one every write route refuses. */
function withoutValidWrites(draft: Draft): Draft {
  const writes = writeRoutesOf(draft.method, draft.path);
  const accepted = writes.some((contract) =>
    bodiesSeen(draft.body).some((body) => contract.body?.safeParse(body).success),
  );
  if (!accepted) return draft;
  return {
    ...draft,
    contentType: 'application/json',
    contentEncoding: null,
    body: Buffer.from(ALWAYS_INVALID_BODY),
  };
}

function toRequest(draft: Draft, keys: Keys): RawRequest {
  const safe = withoutValidWrites(draft);
  return {
    operation: safe.operation,
    method: safe.method,
    path: safe.path,
    body: safe.body,
    headers: {
      ...safe.extraHeaders,
      ...(safe.contentType === null ? {} : { 'content-type': safe.contentType }),
      ...(safe.contentEncoding === null ? {} : { 'content-encoding': safe.contentEncoding }),
      ...credentialHeaders(safe.credential, keys, safe.method, safe.path, safe.body),
    },
  };
}

// --- the test --------------------------------------------------------------------------------------------

let api: Harness;
let database: DatabaseDump;
let keys: Keys;

beforeAll(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {}, a2: {} });
  await seedAccounts(api, TENANT_B.id, { b1: {} });
  await seedAccounts(api, TENANT_C.id, { c1: {} });
  await giveRoles(api, TENANT_A.id, { u1: ['abm_manager'], u2: ['chief_abm_officer'] });
  await giveRoles(api, TENANT_B.id, { o1: ['abm_committee'] });
  keys = {
    admin: await adminToken(api, TENANT_A.id, 'admin'),
    viewer: await adminToken(api, TENANT_A.id, 'viewer'),
    neighbourAdmin: await adminToken(api, TENANT_C.id, 'admin'),
    salesforce: await salesforceKey(api, TENANT_B.id),
  };
  database = openDatabaseDump(api);
});

afterAll(async () => {
  database.close();
  await api.close();
});

describe('fuzzing every route of the API', () => {
  it('refuses every write route body that the guard swaps in', () => {
    for (const [, contract] of WRITE_ROUTES)
      expect(contract.body?.safeParse(JSON.parse(ALWAYS_INVALID_BODY)).success).toBe(false);
  });

  it('answers thousands of random and malformed requests below 500, in the error shape, writing nothing', async () => {
    const before = database.dump();
    const hits = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(draftArb, async (draft) => {
        const request = toRequest(draft, keys);
        hits.set(request.operation, (hits.get(request.operation) ?? 0) + 1);
        const response = await send(api.url, request);
        const where = `${request.method} ${request.path.slice(0, 200)} → ${response.status}`;

        expect(response.status, where).toBeLessThan(500);
        if (response.status >= 400 && request.method !== 'HEAD') {
          expect(response.headers['content-type'] ?? '', where).toMatch(/^application\/json/);
          expect(ApiErrorSchema.safeParse(JSON.parse(response.text)).success, where).toBe(true);
        }
        expect(database.dump(), where).toBe(before);
      }),
      {
        seed: 20_261_130,
        reporter: conciseReport,
        numRuns: RUNS,
        endOnFailure: true,
        examples: [
          [
            {
              operation: 'getAccountCard',
              method: 'GET',
              path: '/api/v1/accounts/%E0%A4%A/card?portalId=111&userId=u1',
              contentType: null,
              contentEncoding: null,
              body: null,
              credential: 'hubspot',
              extraHeaders: {},
            },
          ],
          [
            {
              operation: 'putConfig',
              method: 'PUT',
              path: '/api/v1/admin/config',
              contentType: 'application/json',
              contentEncoding: 'gzip',
              body: Buffer.from('not gzip at all'),
              credential: 'admin',
              extraHeaders: {},
            },
          ],
          [
            {
              operation: 'putRoles',
              method: 'PUT',
              path: '/api/v1/admin/roles',
              contentType: 'application/json',
              contentEncoding: null,
              body: Buffer.from('{"users":{"__proto__":["chief_abm_officer"]},"__proto__":{"polluted":1}}'),
              credential: 'admin',
              extraHeaders: {},
            },
          ],
        ],
      },
    );

    // The run reached every route, and the server is still up and unpolluted afterwards.
    for (const [operation] of ROUTES) expect(hits.get(operation) ?? 0, operation).toBeGreaterThan(20);
    expect((await send(api.url, { ...HEALTH, headers: {} })).status).toBe(200);
    expect(api.syncRequests).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(database.dump()).toBe(before);
  });
});

/** A failure named by its request line and headers: a 300 kB body printed byte by byte helps nobody. */
function conciseReport(details: fc.RunDetails<[Draft]>): void {
  if (!details.failed) return;
  const [draft] = details.counterexample ?? [];
  const summary = draft && {
    ...draft,
    path: draft.path.slice(0, 300),
    body: draft.body === null ? null : `${draft.body.length} bytes: ${draft.body.toString('utf8', 0, 200)}`,
  };
  throw new Error(
    `Fuzzing failed (seed ${details.seed}, path "${details.counterexamplePath}") on ${JSON.stringify(summary)}: ${
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    }`,
  );
}

const HEALTH = { operation: 'healthz', method: 'GET', path: '/healthz', body: null } as const;
