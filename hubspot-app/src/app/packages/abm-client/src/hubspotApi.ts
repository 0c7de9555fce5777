import type { ApiRequest, ApiResult, Transport, Unwrap } from '@abm-pilot/shared/client';
import { callApi, pathAndQueryOf } from '@abm-pilot/shared/client';
import { z } from 'zod';

// How the extensions' requests travel: through HubSpot's signing proxy (`hubspot.fetch`), with who calls in
// the signed query, and back out of the proxy's envelope. Paths, revisions, answer parsing and failures are
// the shared client's.

/**
 * The server's public origin. `permittedUrls.fetch` in app-hsmeta.json lists it, the server checks
 * signatures against it (PUBLIC_URL), and `local.json` maps it to http://localhost:3000 under `hs project dev`.
 */
export const API_ORIGIN = 'https://abm.example.com';

/** HubSpot's documented ceiling for one proxied call. */
export const API_TIMEOUT_MS = 15_000;

/** Who acts. HubSpot's proxy passes no custom headers, so identity travels in the signed query. */
export interface Caller {
  readonly portalId: number;
  readonly userId: number;
}

export interface FetchOptions {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly timeout: number;
  readonly body?: Record<string, unknown>;
}

/** `hubspot.fetch`, or a stand-in for it. */
export type Fetcher = (url: string, options: FetchOptions) => Promise<Response>;

/** The full URL a request goes to; HubSpot signs exactly this (method + URL + body + timestamp). */
export const urlOf = (caller: Caller, request: Pick<ApiRequest<unknown>, 'path' | 'query'>): string =>
  `${API_ORIGIN}${pathAndQueryOf(request, { portalId: String(caller.portalId), userId: String(caller.userId) })}`;

export const hubspotTransport =
  (fetcher: Fetcher, caller: Caller): Transport =>
  (request) =>
    fetcher(urlOf(caller, request), {
      method: request.method,
      timeout: API_TIMEOUT_MS,
      ...(request.body === undefined ? {} : { body: request.body }),
    });

/**
 * HubSpot's proxy may answer 200 with its own envelope when the app server answered non-2xx, the server's
 * status in `context.appServerStatusCode` and its body as text in `responseBody`.
 */
const ProxyEnvelopeSchema = z.object({
  status: z.literal('error'),
  category: z.string(),
  context: z.object({ appServerStatusCode: z.array(z.string()).min(1) }).optional(),
  responseBody: z.unknown().optional(),
});

export const unwrapProxyEnvelope: Unwrap = (body) => {
  const envelope = ProxyEnvelopeSchema.safeParse(body);
  if (!envelope.success) return null;
  return {
    status: Number(envelope.data.context?.appServerStatusCode[0] ?? 502),
    body: parseMaybeText(envelope.data.responseBody),
  };
};

function parseMaybeText(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** One call of a request built by `requestOf`, as the extension's user, through HubSpot's proxy. */
export const callAbmApi = <T>(
  fetcher: Fetcher,
  caller: Caller,
  request: ApiRequest<T>,
): Promise<ApiResult<T>> => callApi(hubspotTransport(fetcher, caller), request, unwrapProxyEnvelope);

/**
 * A fresh key for one attempt at a write: HubSpot retries a failed call once, and the server applies a key
 * once. Not a secret, only unique enough per user and moment.
 */
export function newIdempotencyKey(now: number = Date.now(), random: () => number = Math.random): string {
  return `hs-${now.toString(36)}-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
