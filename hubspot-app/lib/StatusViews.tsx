import { Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

import type { ApiFailure } from './abmApi.ts';
import { failureMessage } from './abmApi.ts';

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
  const id = (name: string) => `${testIdPrefix}${name}`;
  const retry = (
    <Button onClick={onRetry} testId={id('retry')}>
      Try again
    </Button>
  );
  switch (failure.kind) {
    case 'not_configured':
      return (
        <EmptyState title="ABM Pilot is not set up yet" imageName="building" testId={id('not-configured')}>
          <Text>{failureMessage(failure)}</Text>
        </EmptyState>
      );
    case 'no_permission':
      return (
        <ErrorState title="No access" type="lock" testId={id('no-permission')}>
          <Text>{failureMessage(failure)}</Text>
        </ErrorState>
      );
    case 'not_found':
      return (
        <EmptyState title="Not synced yet" imageName="companies" testId={id('not-found')}>
          <Text>{failureMessage(failure)}</Text>
          {retry}
        </EmptyState>
      );
    case 'unreachable':
      return (
        <ErrorState title="Cannot reach ABM Pilot" testId={id('unreachable')}>
          <Text>{failureMessage(failure)}</Text>
          {retry}
        </ErrorState>
      );
    default:
      return (
        <ErrorState title="Something went wrong" testId={id('failed')}>
          <Text>{failureMessage(failure)}</Text>
          {retry}
        </ErrorState>
      );
  }
}
