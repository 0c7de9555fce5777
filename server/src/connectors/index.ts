import type { Connection } from '../config.ts';
import type { Time } from '../time.ts';
import { tenantOf } from '../model.ts';
import { createHubSpotConnector } from './hubspot/index.ts';
import type { CrmConnector } from './ports.ts';
import { createSalesforceConnector } from './salesforce/index.ts';

/** The connector of one configured connection, with its own limits, tokens and retries, on `time`. */
export function createConnector(
  connection: Connection,
  time: Pick<Time, 'now' | 'sleep'>,
  /** Told when the CRM refuses the connection's OAuth tokens for good (the app was uninstalled). */
  onRevoked?: () => void,
): CrmConnector {
  const tenant = tenantOf(connection);
  const clock = time.now;
  const sleep = time.sleep;
  if (connection.crm === 'hubspot') {
    return createHubSpotConnector({
      tenant,
      baseUrl: connection.baseUrl,
      auth: connection.auth,
      ...(connection.limits ? { limits: connection.limits } : {}),
      clock,
      sleep,
      ...(onRevoked ? { onRevoked } : {}),
    });
  }
  return createSalesforceConnector({
    tenant,
    loginUrl: connection.loginUrl,
    auth: connection.auth,
    budgetShare: connection.budgetShare,
    clock,
    sleep,
  });
}
