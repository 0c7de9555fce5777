import type { ApiFailure } from '../api.ts';
import { failureTextOf } from '../failures.ts';
import { fillNodes, useI18n } from '../i18n.tsx';

/**
 * The one place failures are shown: what happened in the reader's language (or `headline`, when the page
 * knows better), then the server's own words.
 */
export function ErrorPanel({
  failure,
  headline,
  onRetry,
}: {
  readonly failure: ApiFailure;
  readonly headline?: string;
  readonly onRetry?: () => void;
}) {
  const { messages, vocabulary } = useI18n();
  const text = failureTextOf({ messages, vocabulary }, failure);
  return (
    <div className="error" role="alert">
      <p>
        <strong>{headline ?? text.headline}</strong>
        {text.detail === '' ? null : (
          <>
            {' '}
            {fillNodes(messages.failure.serverSaid, {
              // The server writes English; saying so lets a screen reader pronounce it as English.
              message: <span lang="en">{text.detail}</span>,
            })}
          </>
        )}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {messages.common.tryAgain}
        </button>
      ) : null}
    </div>
  );
}

/** A page's loading line; `text` says what loads, in a whole sentence of the catalog. */
export function Loading({ text }: { readonly text: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {text}
    </p>
  );
}
