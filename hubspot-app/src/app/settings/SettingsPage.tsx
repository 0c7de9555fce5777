import type { CostLine, Fetcher, GovernanceConfig, RoleAssignments } from '@abm-pilot/hubspot-abm-client';
import {
  FailureView,
  getConfigContract,
  getRolesContract,
  I18nProvider,
  LoadingView,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  requestOf,
  syncStatusContract,
  triggerSyncContract,
  useAbmApi,
  useI18n,
} from '@abm-pilot/hubspot-abm-client';
import type { ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { Divider, Flex, Heading } from '@hubspot/ui-extensions';
import { useMemo } from 'react';

import { ConnectionSection } from './ConnectionSection.tsx';
import { CostSection } from './CostSection.tsx';
import { PolicySection } from './PolicySection.tsx';
import { RolesSection } from './RolesSection.tsx';

export interface SettingsPageProps {
  readonly context: ExtensionPointApiContext<'settings'>;
  /** Defaults to `hubspot.fetch`. */
  readonly fetcher?: Fetcher;
}

/**
 * The CRM admin's settings, in the language of the HubSpot user who opens them. The server lets a signed
 * HubSpot user administer when their ABM role may (Chief ABM Officer, ABM manager); anyone else sees
 * "no access" on each section.
 */
export const SettingsPage = (props: SettingsPageProps) => (
  <I18nProvider context={props.context}>
    <SettingsContent {...props} />
  </I18nProvider>
);

function SettingsContent({ context, fetcher }: SettingsPageProps) {
  const { messages } = useI18n();
  const text = messages.settings;
  const caller = useMemo(
    () => ({ portalId: context.portal.id, userId: context.user.id }),
    [context.portal.id, context.user.id],
  );
  const status = useAbmApi(
    caller,
    useMemo(() => requestOf(syncStatusContract), []),
    fetcher,
  );
  const roles = useAbmApi(
    caller,
    useMemo(() => requestOf(getRolesContract), []),
    fetcher,
  );
  const config = useAbmApi(
    caller,
    useMemo(() => requestOf(getConfigContract), []),
    fetcher,
  );

  const syncNow = async () => {
    const result = await status.send(requestOf(triggerSyncContract, { body: { full: false } }));
    if (result.ok) status.refresh();
    return result;
  };
  const saveRoles = async (users: RoleAssignments) => {
    const result = await roles.send(requestOf(putRolesContract, { body: { users } }));
    if (result.ok) roles.replace(result.value);
    return result;
  };
  const saveConfig = async (next: GovernanceConfig) => {
    const { version, ...rest } = next;
    const result = await config.send(
      requestOf(putConfigContract, { body: { ...rest, basedOnVersion: version } }),
    );
    if (result.ok) config.refresh();
    return result;
  };
  const bookCost = (line: CostLine) =>
    config.send(requestOf(postCostsContract, { body: { lines: [line], mode: 'append' } }));

  return (
    <Flex direction="column" gap="lg">
      <Heading>{text.connection.heading}</Heading>
      {status.state.status === 'loading' && (
        <LoadingView label={text.connection.loading} testIdPrefix="status-" />
      )}
      {status.state.status === 'failed' && (
        <FailureView failure={status.state.failure} onRetry={status.reload} testIdPrefix="status-" />
      )}
      {status.state.status === 'ready' && (
        <ConnectionSection status={status.state.data} onSyncNow={syncNow} />
      )}
      <Divider />
      <Heading>{text.roles.heading}</Heading>
      {roles.state.status === 'loading' && <LoadingView label={text.roles.loading} testIdPrefix="roles-" />}
      {roles.state.status === 'failed' && (
        <FailureView failure={roles.state.failure} onRetry={roles.reload} testIdPrefix="roles-" />
      )}
      {roles.state.status === 'ready' && (
        <RolesSection roles={roles.state.data} viewerId={String(context.user.id)} onSave={saveRoles} />
      )}
      <Divider />
      <Heading>{text.policy.heading}</Heading>
      {config.state.status === 'loading' && (
        <LoadingView label={text.policy.loading} testIdPrefix="config-" />
      )}
      {config.state.status === 'failed' && (
        <FailureView failure={config.state.failure} onRetry={config.reload} testIdPrefix="config-" />
      )}
      {config.state.status === 'ready' && (
        <>
          <PolicySection
            key={config.state.data.version}
            config={config.state.data.config}
            onSave={saveConfig}
          />
          <Divider />
          <Heading>{text.costs.heading}</Heading>
          <CostSection currency={config.state.data.config.costs.currency} onBook={bookCost} />
        </>
      )}
    </Flex>
  );
}
