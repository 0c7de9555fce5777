import type { ApiErrorCode, Vocabulary } from '@abm-pilot/shared';
import { fill } from '@abm-pilot/shared';
import type { ApiFailure } from '@abm-pilot/shared/client';

import type { Messages } from './messages.ts';

// What the console says about a failed call: its own sentence for the kind of failure (or the server's
// stable code), in the reader's language, and the server's words beside it when it gave some.

export interface FailureText {
  readonly headline: string;
  /** The server's explanation, in English as the server writes it; empty when it gave none. */
  readonly detail: string;
}

/** The cookie is gone or no longer valid: the person must log in again. */
export const sessionEnded = (failure: ApiFailure): boolean =>
  failure.kind === 'no_permission' && failure.code === 'unauthorized';

export function failureTextOf(
  { messages, vocabulary }: { readonly messages: Messages; readonly vocabulary: Vocabulary },
  failure: ApiFailure,
): FailureText {
  const byKind = messages.failure.kind;
  // The programme's words for a server code; an ended session is the console's own case (a cookie).
  const byCode = (code: ApiErrorCode): string =>
    code === 'unauthorized'
      ? messages.failure.sessionEnded
      : fill(vocabulary.errorCode[code], { crm: messages.common.crmName });
  switch (failure.kind) {
    case 'unreachable':
    case 'busy':
    case 'server_error':
    case 'unexpected_answer':
      return { headline: byKind[failure.kind], detail: '' };
    case 'not_configured':
    case 'not_found':
      return { headline: byCode(failure.kind), detail: failure.message };
    case 'no_permission':
      return {
        headline: failure.code === null ? byKind.no_permission : byCode(failure.code),
        detail: failure.message,
      };
    case 'rejected':
      return { headline: byCode(failure.code), detail: failure.message };
  }
}
