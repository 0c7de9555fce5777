import type {
  ApiContract,
  ApiErrorCode,
  ApiIssue,
  ContractBodyInput,
  ContractResponse,
} from '@abm-pilot/shared';
import { ApiErrorSchema, revisionQueryOf } from '@abm-pilot/shared';
import { z } from 'zod';

// The one way the extensions talk to ABM Pilot: a request named by its shared contract, sent through
// HubSpot's signing proxy, and an answer parsed by the contract's own response schema. Expected failures
// come back as values the views turn into plain words.

/**
 * The server's public origin. `permittedUrls.fetch` in app-hsmeta.json lists it, the server signs-checks
 * against it (PUBLIC_URL), and `local.json` maps it to http://localhost:3000 under `hs project dev`.
 */
export const API_ORIGIN = 'https://abm.example.com';

/** HubSpot's documented ceiling for one proxied call. */
export const API_TIMEOUT_MS = 15_000;

/** Who acts. HubSpot's proxy passes no custom headers, so identity travels in the signed query. */
export interface Caller {
  readonly portalId: number;
  readonly userId: number;
}

export interface ApiRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path from the origin with its parameters filled in. */
  readonly path: string;
  /** Besides the caller's `portalId` and `userId`, which every request carries. */
  readonly query: Readonly<Record<string, string>>;
  readonly body?: Record<string, unknown>;
  readonly response: z.ZodType<T>;
}

/** A request built from a shared contract: its method, its path, and its response schema. */
export function requestOf<C extends ApiContract>(
  contract: C,
  options: {
    readonly params?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string | undefined>>;
    readonly body?: ContractBodyInput<C> & Record<string, unknown>;
  } = {},
): ApiRequest<ContractResponse<C>> {
  const path = contract.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  // Every answer is read at the revision this card was built for; older cards keep getting theirs.
  const query: Record<string, string> = { ...revisionQueryOf(contract) };
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) query[key] = value;
  return {
    method: contract.method,
    path,
    query,
    ...(options.body === undefined ? {} : { body: options.body }),
    response: contract.response as z.ZodType<ContractResponse<C>>,
  };
}

/** The full URL a request goes to; HubSpot signs exactly this (method + URL + body + timestamp). */
export function urlOf(caller: Caller, request: Pick<ApiRequest<unknown>, 'path' | 'query'>): string {
  const query = new URLSearchParams({
    portalId: String(caller.portalId),
    userId: String(caller.userId),
    ...request.query,
  });
  return `${API_ORIGIN}${request.path}?${query.toString()}`;
}

export type ApiFailure =
  /** No answer: network, timeout, or the server is down. */
  | { readonly kind: 'unreachable' }
  /** The portal is connected but has no governance config or first sync yet. */
  | { readonly kind: 'not_configured'; readonly message: string }
  /** Signature refused, user unknown to the portal's sync, or a role without the right. */
  | { readonly kind: 'no_permission'; readonly code: ApiErrorCode | null; readonly message: string }
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'busy' }
  | { readonly kind: 'server_error' }
  /** The server understood and said no (validation, conflicts, business rules). */
  | {
      readonly kind: 'rejected';
      readonly code: ApiErrorCode;
      readonly message: string;
      readonly issues: readonly ApiIssue[];
    }
  /** An answer the contract does not describe: a server of another version, or a proxy page. */
  | { readonly kind: 'unexpected_answer' };

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ApiFailure };

export interface FetchOptions {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly timeout: number;
  readonly body?: Record<string, unknown>;
}
export type Fetcher = (url: string, options: FetchOptions) => Promise<Response>;

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

export async function callAbmApi<T>(
  fetcher: Fetcher,
  caller: Caller,
  request: ApiRequest<T>,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetcher(urlOf(caller, request), {
      method: request.method,
      timeout: API_TIMEOUT_MS,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  } catch {
    return failed({ kind: 'unreachable' });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return failed(response.ok ? { kind: 'unexpected_answer' } : failureOf(response.status, null));
  }
  if (!response.ok) return failed(failureOf(response.status, json));
  const parsed = request.response.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const envelope = ProxyEnvelopeSchema.safeParse(json);
  if (!envelope.success) return failed({ kind: 'unexpected_answer' });
  const status = Number(envelope.data.context?.appServerStatusCode[0] ?? 502);
  return failed(failureOf(status, parseMaybeText(envelope.data.responseBody)));
}

const failed = <T>(failure: ApiFailure): ApiResult<T> => ({ ok: false, failure });

function parseMaybeText(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

const NO_PERMISSION_CODES: readonly ApiErrorCode[] = [
  'unauthorized',
  'unknown_user',
  'forbidden',
  'not_allowed_for_role',
];

/** An error answer as the views know it: by the server's stable code first, by status when there is none. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const parsed = ApiErrorSchema.safeParse(body);
  if (!parsed.success) {
    if (status === 401 || status === 403)
      return { kind: 'no_permission', code: null, message: 'HubSpot could not vouch for you.' };
    if (status === 429) return { kind: 'busy' };
    return status >= 500 ? { kind: 'server_error' } : { kind: 'unexpected_answer' };
  }
  const { code, message, issues } = parsed.data.error;
  if (code === 'not_configured') return { kind: 'not_configured', message };
  if (NO_PERMISSION_CODES.includes(code)) return { kind: 'no_permission', code, message };
  if (code === 'not_found') return { kind: 'not_found', message };
  if (code === 'rate_limited') return { kind: 'busy' };
  if (code === 'internal_error' || code === 'not_ready') return { kind: 'server_error' };
  return { kind: 'rejected', code, message, issues: issues ?? [] };
}

/** The failure in words a HubSpot user can act on. */
export function failureMessage(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'unreachable':
      return 'ABM Pilot did not answer. Check your connection and try again.';
    case 'not_configured':
      return 'ABM Pilot is not set up for this portal yet. Ask your CRM admin to finish the setup in the app settings.';
    case 'no_permission':
      return failure.code === 'unknown_user'
        ? 'ABM Pilot does not know your HubSpot user yet. It appears after the next sync.'
        : 'You do not have access to this in ABM Pilot. Ask your ABM manager for a role.';
    case 'not_found':
      return 'ABM Pilot has not synced this record yet. It appears after the next sync.';
    case 'busy':
      return 'ABM Pilot is busy. Wait a moment and try again.';
    case 'server_error':
      return 'ABM Pilot had a problem on its side. Try again in a minute.';
    case 'rejected':
      return failure.issues.length > 0
        ? `${failure.message} ${failure.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`
        : failure.message;
    case 'unexpected_answer':
      return 'ABM Pilot answered in a way this app does not understand. The app may need an update.';
  }
}

/**
 * A fresh key for one attempt at a write: HubSpot retries a failed call once, and the server applies a key
 * once. Not a secret, only unique enough per user and moment.
 */
export function newIdempotencyKey(now: number = Date.now(), random: () => number = Math.random): string {
  return `hs-${now.toString(36)}-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
