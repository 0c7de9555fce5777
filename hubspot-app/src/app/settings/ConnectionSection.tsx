import type {
  ApiResult,
  SyncRunView,
  SyncStatusResponse,
  TriggerSyncResponse,
} from '@abm-pilot/hubspot-abm-client';
import { fill, useI18n } from '@abm-pilot/hubspot-abm-client';
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

// Whether ABM Pilot is connected to this portal and syncing, and a way to sync now.

const RUN_TAG: Readonly<Record<SyncRunView['status'], 'success' | 'warning' | 'danger' | 'info'>> = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  stopped: 'warning',
  interrupted: 'warning',
};

type SyncRequest =
  | { readonly status: 'idle' }
  | { readonly status: 'sending' }
  | { readonly status: 'answered'; readonly result: ApiResult<TriggerSyncResponse> };

export function ConnectionSection({
  status,
  onSyncNow,
}: {
  readonly status: SyncStatusResponse;
  readonly onSyncNow: () => Promise<ApiResult<TriggerSyncResponse>>;
}) {
  const { messages, words, format } = useI18n();
  const text = messages.settings.connection;
  const [request, setRequest] = useState<SyncRequest>({ status: 'idle' });
  const latest = status.runs[0] ?? null;
  const syncNow = async () => {
    setRequest({ status: 'sending' });
    setRequest({ status: 'answered', result: await onSyncNow() });
  };
  return (
    <Flex direction="column" gap="sm" testId="connection">
      <DescriptionList direction="row">
        <DescriptionListItem label={text.connectedTo}>
          <Text>
            {fill(text.tenant, {
              name: status.tenant.name,
              system: text.system[status.tenant.system],
              id: status.tenant.externalId,
            })}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label={text.lastSucceeded}>
          <Text>{status.lastSucceededAt === null ? text.never : format.instant(status.lastSucceededAt)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={text.latestRun}>
          {latest === null ? (
            <Text>{text.noRun}</Text>
          ) : (
            <StatusTag variant={RUN_TAG[latest.status]} testId="latest-run">
              {text.run[latest.status]}
            </StatusTag>
          )}
        </DescriptionListItem>
      </DescriptionList>
      {latest?.error && (
        <Alert title={text.runFailed} variant="error">
          {latest.error}
        </Alert>
      )}
      <LoadingButton loading={request.status === 'sending'} onClick={() => void syncNow()} testId="sync-now">
        {text.syncNow}
      </LoadingButton>
      {request.status === 'answered' && (
        <Text testId="sync-answer">
          {request.result.ok
            ? request.result.value.status === 'started'
              ? text.started
              : text.alreadyRunning
            : words.failure(request.result.failure)}
        </Text>
      )}
    </Flex>
  );
}
