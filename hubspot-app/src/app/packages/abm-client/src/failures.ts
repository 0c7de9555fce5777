import type { Vocabulary } from '@abm-pilot/shared';
import { fill } from '@abm-pilot/shared';
import type { ApiFailure } from '@abm-pilot/shared/client';

import type { Messages } from './messages.ts';

// What the extensions say about a call that failed: the app's own sentence for the kind of failure (or the
// server's stable code), in the reader's language, then the server's own explanation when it gave one.

export function failureText(messages: Messages, vocabulary: Vocabulary, failure: ApiFailure): string {
  const words = messages.failure;
  switch (failure.kind) {
    case 'unreachable':
      return words.unreachable;
    case 'not_configured':
      return words.notConfigured;
    case 'no_permission':
      return failure.code === 'unknown_user' ? words.unknownUser : words.noPermission;
    case 'not_found':
      return words.notFound;
    case 'busy':
      return words.busy;
    case 'server_error':
      return words.serverError;
    case 'unexpected_answer':
      return words.unexpectedAnswer;
    case 'rejected': {
      const issues = failure.issues.map((issue) =>
        fill(words.issue, { path: issue.path.join('.'), message: issue.message }),
      );
      const detail = [failure.message, ...issues].filter((part) => part !== '').join(' ');
      const headline = fill(vocabulary.errorCode[failure.code], { crm: messages.crmName });
      return detail === '' ? headline : fill(words.withDetail, { headline, detail });
    }
  }
}
