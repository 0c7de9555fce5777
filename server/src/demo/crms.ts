import type { ApiContract, ContractResponse, Instant, Tier, TierOrNone } from '@abm-pilot/shared';
import type { ApiResult, Transport } from '@abm-pilot/shared/client';
import { callApi, pathAndQueryOf, requestOf } from '@abm-pilot/shared/client';

import type { HubSpotSandboxInfo, SalesforceSandboxInfo } from '../../../sandbox/src/start.ts';
import {
  ALERT_KEY_FIELD,
  SALESFORCE_ABM_ACCOUNT_FIELDS,
  SALESFORCE_API_VERSION,
  SALESFORCE_TIER_PICKLIST,
} from '../connectors/salesforce/fields.ts';
import { signV3 } from '../http/hubspotSignature.ts';

// The demo in each CRM as people and the CRM itself act there, through the sandboxes' REST APIs only: what
// a record shows, the tasks ABM Pilot put on it, a call a rep logs, and the card calls the CRM makes to ABM
// Pilot for its user (HubSpot signs them; Salesforce's Apex bridge sends the org key).

export type CrmName = 'hubspot' | 'salesforce';

/** Someone in the CRM: the owner id records carry, and the id they sign in with (HubSpot numbers both). */
export interface CrmPerson {
  readonly ownerId: string;
  readonly signInId: string;
  readonly name: string;
}

export interface CrmAccountView {
  readonly id: string;
  readonly name: string;
  readonly tier: TierOrNone;
  readonly score: number | null;
  readonly tierReason: string | null;
  readonly slaStatus: string | null;
  readonly ownerId: string | null;
}

/** A task ABM Pilot put in the CRM, as the CRM shows it. */
export interface CrmTask {
  readonly id: string;
  readonly subject: string;
  readonly status: string;
  readonly completed: boolean;
  readonly priority: string;
  /** High priority is a breach (or its escalation); medium the at-risk reminder. */
  readonly high: boolean;
  readonly ownerId: string | null;
  /** Where the task reads in the CRM's REST API. */
  readonly url: string;
}

/** What a call names beside its contract: path parameters, query and body. */
export type CallOptions<C extends ApiContract> = NonNullable<Parameters<typeof requestOf<C>>[1]>;

export interface DemoCrm {
  readonly crm: CrmName;
  /** HubSpot, Salesforce. */
  readonly label: string;
  readonly url: string;
  account(id: string): Promise<CrmAccountView>;
  /** The accounts with the highest ABM score, as the CRM sorts them. */
  topAccounts(limit: number): Promise<CrmAccountView[]>;
  /** Accounts showing a next SLA due date: those with a clock running. */
  accountsWithRunningClocks(): Promise<{ readonly id: string; readonly ownerId: string | null }[]>;
  /** ABM Pilot's tasks on the account, oldest first. */
  alertTasks(accountId: string): Promise<CrmTask[]>;
  /** `person` logs a call held at `at` on the account; returns where the call reads. */
  logCall(person: CrmPerson, accountId: string, at: Instant): Promise<string>;
  /** ABM Pilot's API as the CRM calls it for `person`, the answer read by the contract. */
  call<C extends ApiContract>(
    person: CrmPerson,
    contract: C,
    options?: CallOptions<C>,
  ): Promise<ApiResult<ContractResponse<C>>>;
  /** A command a newcomer can paste to read the account's record and tasks. */
  curlOf(accountId: string): string;
}

const json = { 'content-type': 'application/json' };

/** The contract-driven call of the console and the HubSpot app, carried by the CRM's own transport. */
const callerOf =
  (transport: (person: CrmPerson) => Transport): DemoCrm['call'] =>
  (person, contract, options) =>
    callApi(transport(person), requestOf(contract, options));

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

const tierOf = (value: unknown): TierOrNone =>
  value === 'tier_1' || value === 'tier_2' || value === 'tier_3' ? value : null;
const numberOf = (value: unknown): number | null =>
  value === null || value === undefined || value === '' ? null : Number(value);
const textOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

// ---------------------------------------------------------------------------------------------------------
// HubSpot

const COMPANY_PROPERTIES = [
  'name',
  'hs_ideal_customer_profile',
  'abm_score',
  'abm_tier_reason',
  'abm_sla_status',
  'hubspot_owner_id',
];
const TASK_PROPERTIES = ['hs_task_subject', 'hs_task_status', 'hs_task_priority', 'hubspot_owner_id'];
/** HubSpot's association type ids: call to company. */
const CALL_TO_COMPANY = 182;

interface HubSpotObject {
  readonly id: string;
  readonly properties: Record<string, string | null>;
  readonly associations?: Record<string, { readonly results: readonly { readonly id: string }[] }>;
}

export function hubspotCrm(
  hubspot: Pick<HubSpotSandboxInfo, 'url' | 'portalId' | 'privateAppToken'>,
  abm: { readonly url: string; readonly publicUrl: string; readonly appSecret: string },
  clock: () => Instant,
): DemoCrm {
  const auth = { authorization: `Bearer ${hubspot.privateAppToken}` };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${hubspot.url}${path}`, {
      ...init,
      headers: { ...auth, ...json, ...(init.headers as Record<string, string> | undefined) },
    });
    return (await (await expectOk(response, `HubSpot ${path}`)).json()) as T;
  };
  const view = (company: HubSpotObject): CrmAccountView => ({
    id: company.id,
    name: company.properties.name ?? company.id,
    tier: tierOf(company.properties.hs_ideal_customer_profile),
    score: numberOf(company.properties.abm_score),
    tierReason: textOf(company.properties.abm_tier_reason),
    slaStatus: textOf(company.properties.abm_sla_status),
    ownerId: textOf(company.properties.hubspot_owner_id),
  });
  const search = (body: unknown) =>
    api<{ results: HubSpotObject[]; paging?: { next?: { after: string } } }>(
      '/crm/v3/objects/companies/search',
      { method: 'POST', body: JSON.stringify(body) },
    );
  return {
    crm: 'hubspot',
    label: 'HubSpot',
    url: hubspot.url,
    async account(id) {
      return view(
        await api<HubSpotObject>(
          `/crm/v3/objects/companies/${id}?properties=${COMPANY_PROPERTIES.join(',')}`,
        ),
      );
    },
    async topAccounts(limit) {
      const page = await search({
        sorts: [{ propertyName: 'abm_score', direction: 'DESCENDING' }],
        properties: COMPANY_PROPERTIES,
        limit,
      });
      return page.results.map(view);
    },
    async accountsWithRunningClocks() {
      const found: { id: string; ownerId: string | null }[] = [];
      let after: string | undefined;
      do {
        const page = await search({
          filterGroups: [{ filters: [{ propertyName: 'abm_next_sla_due', operator: 'HAS_PROPERTY' }] }],
          properties: ['hubspot_owner_id'],
          limit: 200,
          ...(after === undefined ? {} : { after }),
        });
        found.push(
          ...page.results.map((company) => ({
            id: company.id,
            ownerId: textOf(company.properties.hubspot_owner_id),
          })),
        );
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return found;
    },
    async alertTasks(accountId) {
      const company = await api<HubSpotObject>(`/crm/v3/objects/companies/${accountId}?associations=tasks`);
      const ids = (company.associations?.tasks?.results ?? []).map((task) => task.id);
      if (ids.length === 0) return [];
      const tasks = await api<{ results: HubSpotObject[] }>('/crm/v3/objects/tasks/batch/read', {
        method: 'POST',
        body: JSON.stringify({ inputs: ids.map((id) => ({ id })), properties: TASK_PROPERTIES }),
      });
      return tasks.results
        .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : 1))
        .map((task) => ({
          id: task.id,
          subject: task.properties.hs_task_subject ?? '',
          status: task.properties.hs_task_status ?? '',
          completed: task.properties.hs_task_status === 'COMPLETED',
          priority: task.properties.hs_task_priority ?? '',
          high: task.properties.hs_task_priority === 'HIGH',
          ownerId: textOf(task.properties.hubspot_owner_id),
          url: `${hubspot.url}/crm/v3/objects/tasks/${task.id}`,
        }));
    },
    async logCall(person, accountId, at) {
      const call = await api<HubSpotObject>('/crm/v3/objects/calls', {
        method: 'POST',
        body: JSON.stringify({
          properties: {
            hs_timestamp: new Date(at).toISOString(),
            hs_call_title: 'Follow-up call',
            hs_call_body: 'Called the champion: discovery meeting booked.',
            hs_call_direction: 'OUTBOUND',
            hs_call_status: 'COMPLETED',
            hubspot_owner_id: person.ownerId,
          },
          associations: [
            {
              to: { id: accountId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CALL_TO_COMPANY }],
            },
          ],
        }),
      });
      return `${hubspot.url}/crm/v3/objects/calls/${call.id}`;
    },
    // What HubSpot's signing proxy does for a card: the user and portal in the URL, the request signed.
    call: callerOf((person) => async (request) => {
      const pathAndQuery = pathAndQueryOf(request, {
        userId: person.signInId,
        portalId: String(hubspot.portalId),
      });
      const raw = request.body === undefined ? '' : JSON.stringify(request.body);
      const timestamp = String(clock());
      return fetch(`${abm.url}${pathAndQuery}`, {
        method: request.method,
        headers: {
          ...(request.body === undefined ? {} : json),
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': signV3(
            abm.appSecret,
            request.method,
            `${abm.publicUrl}${pathAndQuery}`,
            raw,
            timestamp,
          ).toString('base64'),
        },
        ...(request.body === undefined ? {} : { body: raw }),
      });
    }),
    curlOf: (accountId) =>
      `curl -H "Authorization: Bearer ${hubspot.privateAppToken}" "${hubspot.url}/crm/v3/objects/companies/${accountId}?properties=name,hs_ideal_customer_profile,abm_sla_status,abm_next_sla_due&associations=tasks"`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Salesforce

const F = SALESFORCE_ABM_ACCOUNT_FIELDS;
const TIER_OF_LABEL = new Map<string, Tier>(
  (Object.entries(SALESFORCE_TIER_PICKLIST) as [Tier, string][]).map(([tier, label]) => [label, tier]),
);

export function salesforceCrm(
  salesforce: Pick<SalesforceSandboxInfo, 'url' | 'clientId' | 'clientSecret'>,
  abm: { readonly url: string; readonly orgKey: string },
): DemoCrm {
  const data = `${salesforce.url}/services/data/v${SALESFORCE_API_VERSION}`;
  // Sessions expire on the sandbox's clock, which may run fast: every call asks for a fresh one.
  const adminSession = async (): Promise<string> => {
    const response = await fetch(`${salesforce.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: salesforce.clientId,
        client_secret: salesforce.clientSecret,
      }),
    });
    return ((await (await expectOk(response, 'Salesforce token')).json()) as { access_token: string })
      .access_token;
  };
  /** A session of the user, as if they had logged in: what they write is theirs. */
  const userSession = async (userId: string): Promise<string> => {
    const response = await fetch(`${salesforce.url}/__sandbox/tokens`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ userId }),
    });
    return ((await (await expectOk(response, 'Salesforce session')).json()) as { accessToken: string })
      .accessToken;
  };
  const query = async <T>(soql: string): Promise<T[]> => {
    const token = await adminSession();
    const records: T[] = [];
    let next: string | undefined = `${data}/query?q=${encodeURIComponent(soql)}`;
    while (next !== undefined) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const page = (await (await expectOk(response, `SOQL ${soql}`)).json()) as {
        records: T[];
        nextRecordsUrl?: string;
      };
      records.push(...page.records);
      next = page.nextRecordsUrl === undefined ? undefined : `${salesforce.url}${page.nextRecordsUrl}`;
    }
    return records;
  };
  type AccountRow = Record<string, unknown> & { Id: string; Name: string; OwnerId: string | null };
  const ACCOUNT_FIELDS = `Id, Name, OwnerId, ${F.tier}, ${F.score}, ${F.tierReason}, ${F.slaStatus}`;
  const view = (row: AccountRow): CrmAccountView => ({
    id: row.Id,
    name: row.Name,
    tier: typeof row[F.tier] === 'string' ? (TIER_OF_LABEL.get(row[F.tier] as string) ?? null) : null,
    score: numberOf(row[F.score]),
    tierReason: textOf(row[F.tierReason]),
    slaStatus: textOf(row[F.slaStatus]),
    ownerId: row.OwnerId,
  });
  return {
    crm: 'salesforce',
    label: 'Salesforce',
    url: salesforce.url,
    async account(id) {
      const [row] = await query<AccountRow>(`SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Id = '${id}'`);
      if (row === undefined) throw new Error(`Salesforce has no Account ${id}`);
      return view(row);
    },
    async topAccounts(limit) {
      const rows = await query<AccountRow>(
        `SELECT ${ACCOUNT_FIELDS} FROM Account ORDER BY ${F.score} DESC NULLS LAST LIMIT ${limit}`,
      );
      return rows.map(view);
    },
    async accountsWithRunningClocks() {
      const rows = await query<{ Id: string; OwnerId: string | null }>(
        `SELECT Id, OwnerId FROM Account WHERE ${F.nextSlaDueAt} != null`,
      );
      return rows.map((row) => ({ id: row.Id, ownerId: row.OwnerId }));
    },
    async alertTasks(accountId) {
      const rows = await query<{
        Id: string;
        Subject: string | null;
        Status: string;
        Priority: string;
        OwnerId: string | null;
      }>(
        `SELECT Id, Subject, Status, Priority, OwnerId FROM Task WHERE WhatId = '${accountId}' AND ${ALERT_KEY_FIELD} != null ORDER BY CreatedDate, Id`,
      );
      return rows.map((row) => ({
        id: row.Id,
        subject: row.Subject ?? '',
        status: row.Status,
        completed: row.Status === 'Completed',
        priority: row.Priority,
        high: row.Priority === 'High',
        ownerId: row.OwnerId,
        url: `${data}/sobjects/Task/${row.Id}`,
      }));
    },
    async logCall(person, accountId, at) {
      const response = await fetch(`${data}/sobjects/Task`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await userSession(person.ownerId)}`, ...json },
        body: JSON.stringify({
          Subject: 'Follow-up call',
          Description: 'Called the champion: discovery meeting booked.',
          TaskSubtype: 'Call',
          Type: 'Call',
          Status: 'Completed',
          ActivityDate: new Date(at).toISOString().slice(0, 10),
          WhatId: accountId,
          OwnerId: person.ownerId,
        }),
      });
      const { id } = (await (await expectOk(response, 'Salesforce call')).json()) as { id: string };
      return `${data}/sobjects/Task/${id}`;
    },
    // What the Apex bridge does for the LWC: the org key, and the Salesforce user who acts.
    call: callerOf(
      (person) => (request) =>
        fetch(`${abm.url}${pathAndQueryOf(request, { userId: person.signInId })}`, {
          method: request.method,
          headers: { authorization: `Bearer ${abm.orgKey}`, ...(request.body === undefined ? {} : json) },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        }),
    ),
    curlOf: (accountId) =>
      `curl -H "Authorization: Bearer $(curl -s -d grant_type=client_credentials -d client_id=${salesforce.clientId} -d client_secret=${salesforce.clientSecret} ${salesforce.url}/services/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')" "${data}/query?q=SELECT+Id,Subject,Status,Priority+FROM+Task+WHERE+WhatId='${accountId}'"`,
  };
}
