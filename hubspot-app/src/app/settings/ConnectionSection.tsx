import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Flex,
  LoadingButton,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiResult } from './generated/abmApi.ts';
import { failureMessage } from './generated/abmApi.ts';
import { instantLabel } from './generated/format.ts';
import type {
  SyncRunView,
  SyncStatusResponse,
  TriggerSyncResponse,
} from './generated/shared/abm-contracts.js';

// Whether ABM Pilot is connected to this portal and syncing, and a way to sync now.

const RUN_STATUS: Readonly<
  Record<
    SyncRunView['status'],
    { readonly label: string; readonly variant: 'success' | 'warning' | 'danger' | 'info' }
  >
> = {
  running: { label: 'Running', variant: 'info' },
  succeeded: { label: 'Succeeded', variant: 'success' },
  failed: { label: 'Failed', variant: 'danger' },
  stopped: { label: 'Stopped', variant: 'warning' },
  interrupted: { label: 'Interrupted', variant: 'warning' },
};

type SyncRequest =
  | { readonly status: 'idle' }
  | { readonly status: 'sending' }
  | { readonly status: 'answered'; readonly result: ApiResult<TriggerSyncResponse> };

export function ConnectionSection({
  status,
  timeZone,
  onSyncNow,
}: {
  readonly status: SyncStatusResponse;
  readonly timeZone: string;
  readonly onSyncNow: () => Promise<ApiResult<TriggerSyncResponse>>;
}) {
  const [request, setRequest] = useState<SyncRequest>({ status: 'idle' });
  const latest = status.runs[0] ?? null;
  const syncNow = async () => {
    setRequest({ status: 'sending' });
    setRequest({ status: 'answered', result: await onSyncNow() });
  };
  return (
    <Flex direction="column" gap="sm" testId="connection">
      <DescriptionList direction="row">
        <DescriptionListItem label="Connected to">
          <Text>
            {status.tenant.name} ({status.tenant.system === 'hubspot' ? 'HubSpot portal' : 'Salesforce org'}{' '}
            {status.tenant.externalId})
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Last successful sync">
          <Text>
            {status.lastSucceededAt === null ? 'Never' : instantLabel(status.lastSucceededAt, timeZone)}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Latest run">
          {latest === null ? (
            <Text>None yet</Text>
          ) : (
            <StatusTag variant={RUN_STATUS[latest.status].variant} testId="latest-run">
              {RUN_STATUS[latest.status].label}
            </StatusTag>
          )}
        </DescriptionListItem>
      </DescriptionList>
      {latest?.error && (
        <Alert title="The latest run failed" variant="error">
          {latest.error}
        </Alert>
      )}
      <LoadingButton loading={request.status === 'sending'} onClick={() => void syncNow()} testId="sync-now">
        Sync now
      </LoadingButton>
      {request.status === 'answered' && (
        <Text testId="sync-answer">
          {request.result.ok
            ? request.result.value.status === 'started'
              ? 'Sync started: the numbers update when it finishes.'
              : 'A sync is already running.'
            : failureMessage(request.result.failure)}
        </Text>
      )}
    </Flex>
  );
}
