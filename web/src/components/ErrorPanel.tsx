import type { ApiFailure } from '../api.ts';

/** The one place failures are shown: the server's message, and what to do when the session ended. */
export function ErrorPanel({
  error,
  onRetry,
}: {
  readonly error: ApiFailure;
  readonly onRetry?: () => void;
}) {
  return (
    <div className="error" role="alert">
      <p>
        <strong>{error.code === 'network' ? 'No answer from the server.' : error.message}</strong>
        {error.code === 'unauthorized' ? ' Your session has ended: log in again.' : null}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}
