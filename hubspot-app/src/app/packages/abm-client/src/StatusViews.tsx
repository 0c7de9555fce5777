import type { ApiFailure } from '@abm-pilot/shared/client';
import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

import { useI18n } from './i18n.tsx';

// How every extension shows a read that has not succeeded: one spinner, one failure view per kind. Test
// ids must be unique on a page, so a page with several reads prefixes them (`metrics-failed`).

export const LoadingView = ({
  label,
  testIdPrefix = '',
}: {
  readonly label: string;
  readonly testIdPrefix?: string;
}) => <LoadingSpinner label={label} showLabel layout="centered" testId={`${testIdPrefix}loading`} />;

export function FailureView({
  failure,
  onRetry,
  testIdPrefix = '',
}: {
  readonly failure: ApiFailure;
  readonly onRetry: () => void;
  readonly testIdPrefix?: string;
}) {
  const { messages, words } = useI18n();
  const title = messages.failure.title;
  const id = (name: string) => `${testIdPrefix}${name}`;
  const explanation = <Text>{words.failure(failure)}</Text>;
  const retry = (
    <Button onClick={onRetry} testId={id('retry')}>
      {messages.common.tryAgain}
    </Button>
  );
  switch (failure.kind) {
    case 'not_configured':
      return (
        <EmptyState title={title.notConfigured} imageName="building" testId={id('not-configured')}>
          {explanation}
        </EmptyState>
      );
    case 'no_permission':
      return (
        <ErrorState title={title.noPermission} type="lock" testId={id('no-permission')}>
          {explanation}
        </ErrorState>
      );
    case 'not_found':
      return (
        <EmptyState title={title.notFound} imageName="companies" testId={id('not-found')}>
          {explanation}
          {retry}
        </EmptyState>
      );
    case 'unreachable':
      return (
        <ErrorState title={title.unreachable} testId={id('unreachable')}>
          {explanation}
          {retry}
        </ErrorState>
      );
    default:
      return (
        <ErrorState title={title.other} testId={id('failed')}>
          {explanation}
          {retry}
        </ErrorState>
      );
  }
}
