import type { ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { Divider, Flex, Heading } from '@hubspot/ui-extensions';
import { useMemo } from 'react';

import type { Fetcher } from './generated/abmApi.ts';
import { requestOf } from './generated/abmApi.ts';
import type { CostLine, GovernanceConfig, RoleAssignments } from './generated/shared/abm-contracts.js';
import {
  getConfigContract,
  getRolesContract,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  syncStatusContract,
  triggerSyncContract,
} from './generated/shared/abm-contracts.js';
import { FailureView, LoadingView } from './generated/StatusViews.tsx';
import { useAbmApi } from './generated/useAbmApi.ts';
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
 * The CRM admin's settings. The server lets a signed HubSpot user administer when their ABM role may
 * (Chief ABM Officer, ABM manager); anyone else sees "no access" on each section.
 */
export function SettingsPage({ context, fetcher }: SettingsPageProps) {
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
      <Heading>Connection</Heading>
      {status.state.status === 'loading' && (
        <LoadingView label="Loading the connection" testIdPrefix="status-" />
      )}
      {status.state.status === 'failed' && (
        <FailureView failure={status.state.failure} onRetry={status.reload} testIdPrefix="status-" />
      )}
      {status.state.status === 'ready' && (
        <ConnectionSection
          status={status.state.data}
          timeZone={context.portal.timezone}
          onSyncNow={syncNow}
        />
      )}
      <Divider />
      <Heading>Roles</Heading>
      {roles.state.status === 'loading' && <LoadingView label="Loading the roles" testIdPrefix="roles-" />}
      {roles.state.status === 'failed' && (
        <FailureView failure={roles.state.failure} onRetry={roles.reload} testIdPrefix="roles-" />
      )}
      {roles.state.status === 'ready' && (
        <RolesSection roles={roles.state.data} viewerId={String(context.user.id)} onSave={saveRoles} />
      )}
      <Divider />
      <Heading>SLA policy and scoring weights</Heading>
      {config.state.status === 'loading' && <LoadingView label="Loading the policy" testIdPrefix="config-" />}
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
          <Heading>Cost ledger</Heading>
          <CostSection currency={config.state.data.config.costs.currency} onBook={bookCost} />
        </>
      )}
    </Flex>
  );
}
