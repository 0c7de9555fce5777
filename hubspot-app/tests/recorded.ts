import type { ApiOperationId, ContractResponse } from '@abm-pilot/shared';
import { API_CONTRACTS } from '@abm-pilot/shared';
import { hubspot } from '@hubspot/ui-extensions';
import { vi } from 'vitest';

// The server's recorded answers (shared's contract examples) parsed by the same schemas the server answers
// with, and a stand-in for HubSpot's proxy that answers `hubspot.fetch` from them. A contract change that
// the examples or the extensions do not follow breaks these tests.
import { CONTRACT_EXAMPLES } from '@abm-pilot/shared/fixtures';

type Operation = keyof typeof API_CONTRACTS;
type Response_<K extends Operation> = ContractResponse<(typeof API_CONTRACTS)[K]>;

/** A recorded response of an operation, parsed (and so typed) by the operation's response schema. */
export function recorded<K extends ApiOperationId>(operation: K): Response_<K> {
  return API_CONTRACTS[operation].response.parse(
    structuredClone(CONTRACT_EXAMPLES[operation].response),
  ) as Response_<K>;
}

/** A variant of a recorded response, checked against the same schema so it stays a possible answer. */
export function variant<K extends ApiOperationId>(
  operation: K,
  change: (response: Response_<K>) => unknown,
): Response_<K> {
  return API_CONTRACTS[operation].response.parse(change(recorded(operation))) as Response_<K>;
}

export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: unknown;
  readonly timeout: number | undefined;
}

export type Answer =
  | { readonly status: number; readonly body: unknown }
  /** The call never reached the server (network, timeout). */
  | 'unreachable';

export type Route = (request: SentRequest) => Answer | Promise<Answer>;

/** An error body exactly as the server's one error shape spells it. */
export const apiErrorBody = (code: string, message: string) => ({ error: { code, message } });

let portals = 0;
/**
 * A portal id of its own for each rendering. The renderer never unmounts what a test rendered, so a
 * component of an earlier test may still read (a refresh after a write); answering only the test's own
 * portal keeps those reads out of the test's routes and counts.
 */
export const nextPortalId = (): number => 44_871_203 + ++portals;

/**
 * Answers `hubspot.fetch` by `METHOD /path` (query ignored for matching) for one portal; unmatched calls
 * fail the test. Routes may be replaced while a test runs.
 */
export function answerHubSpotFetch(routes: Record<string, Route>, portalId: number) {
  const sent: SentRequest[] = [];
  const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(async (input, options) => {
    const url = new URL(String(input));
    if (url.searchParams.get('portalId') !== String(portalId)) throw new TypeError('another test’s portal');
    const request: SentRequest = {
      method: options?.method ?? 'GET',
      url,
      body: options?.body,
      timeout: options?.timeout,
    };
    sent.push(request);
    const route = routes[`${request.method} ${url.pathname}`];
    if (route === undefined) throw new Error(`unexpected call ${request.method} ${url.pathname}`);
    const answer = await route(request);
    if (answer === 'unreachable') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return { sent, routes, spy };
}

export const ok = (body: unknown): Answer => ({ status: 200, body });

interface NodeLike {
  readonly text?: string | null;
  readonly childNodes?: readonly NodeLike[];
  readonly nodeType: string;
}

/** Every text under a rendered node, in order, as a user reads it (the renderer's `text` stops at elements). */
export function textContent(node: NodeLike): string {
  if (node.nodeType === 'text') return node.text ?? '';
  return (node.childNodes ?? []).map(textContent).join('');
}

/**
 * Fires an event prop with a value. The renderer types the value as the handler itself
 * (`trigger('onChange', handler)`), so a plain value needs this one cast.
 */
export function fire(node: object, event: string, value?: unknown): void {
  (node as { trigger(name: string, value?: unknown): void }).trigger(event, value);
}
