import type { Result } from '@abm-pilot/shared';
import { SlaStatusSchema, VOCABULARIES, err, ok } from '@abm-pilot/shared';

import type { ConnectorError, PrepareReport } from '../ports.ts';
import { ConnectorFailure } from '../ports.ts';
import type { HubSpotHttp } from './http.ts';
import { ABM_GROUP, ALERT_KEY_PROPERTY } from './mapping.ts';
import { GroupListSchema, PropertyListSchema } from './wire.ts';

// What ABM Pilot needs in a portal: its property group and custom properties on companies (including the
// signals the score and the MQA rule read that HubSpot has no native property for), and the unique alert key
// on tasks that makes task creation idempotent. Reads the existing definitions first
// (two calls per object type) and creates only what is missing, so a second prepare creates nothing; a
// 409 from a concurrent prepare counts as "already there".

interface PropertySpec {
  readonly name: string;
  readonly label: string;
  readonly type: 'string' | 'number' | 'datetime' | 'enumeration' | 'bool';
  readonly fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';
  readonly description?: string;
  readonly options?: readonly {
    readonly label: string;
    readonly value: string;
    readonly displayOrder: number;
  }[];
  readonly hasUniqueValue?: boolean;
  /** A "HubSpot user" property: its values are owner ids, picked from the portal's users. */
  readonly externalOptions?: boolean;
  readonly referencedObjectType?: 'OWNER';
}

const userProperty = (name: string, label: string): PropertySpec => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  externalOptions: true,
  referencedObjectType: 'OWNER',
});

// The portal's property options are created once, for everyone: in English, as HubSpot's own are.
const SLA_LABELS = VOCABULARIES.en.slaStatus;

const PROPERTIES: Readonly<Record<'companies' | 'tasks', readonly PropertySpec[]>> = {
  companies: [
    { name: 'abm_score', label: 'ABM score', type: 'number', fieldType: 'number' },
    {
      name: 'abm_sla_status',
      label: 'ABM SLA status',
      type: 'enumeration',
      fieldType: 'select',
      options: SlaStatusSchema.options.map((value, displayOrder) => ({
        label: SLA_LABELS[value],
        value,
        displayOrder,
      })),
    },
    { name: 'abm_next_sla_due', label: 'ABM next SLA due', type: 'datetime', fieldType: 'date' },
    { name: 'abm_tier_reason', label: 'ABM tier reason', type: 'string', fieldType: 'textarea' },
    { name: 'abm_last_sync', label: 'ABM last sync', type: 'datetime', fieldType: 'date' },
    // Set by people, read by the sync: who runs the account's ABM plan, and who sponsors a tier 1 account.
    userProperty('abm_owner', 'ABM owner'),
    userProperty('abm_executive_sponsor', 'ABM executive sponsor'),
    // Read by the score and the MQA rule, and native to no portal. A portal that already has a property of the
    // same name keeps it as it is, wherever its group: its values are the ones to read.
    {
      name: 'region',
      label: 'Region',
      type: 'string',
      fieldType: 'text',
      description:
        'Sales region (e.g. EMEA, North America); ABM Pilot scores accounts in its ICP regions higher.',
    },
    {
      name: 'strategic_account',
      label: 'Strategic account',
      type: 'bool',
      fieldType: 'booleancheckbox',
      options: [
        { label: 'Yes', value: 'true', displayOrder: 0 },
        { label: 'No', value: 'false', displayOrder: 1 },
      ],
      description:
        'Set by the ABM committee for accounts of strategic importance; ABM Pilot scores them higher.',
    },
    {
      name: 'intent_score',
      label: 'Intent score',
      type: 'number',
      fieldType: 'number',
      description:
        'Buying intent from 0 to 100, from your intent provider; a surge makes a tiered account an MQA.',
    },
  ],
  tasks: [
    {
      name: ALERT_KEY_PROPERTY,
      label: 'ABM alert key',
      type: 'string',
      fieldType: 'text',
      hasUniqueValue: true,
    },
  ],
};

/** Native company properties the tier is written to; a portal without them cannot hold ABM tiers. */
const NATIVE_COMPANY_PROPERTIES = ['hs_ideal_customer_profile', 'hs_is_target_account'];

const created = async (http: HubSpotHttp, path: string, body: unknown): Promise<boolean> => {
  const request = { method: 'POST', path, body } as const;
  const response = await http.send(request);
  if (response.status === 201 || response.status === 200) return true;
  if (response.status === 409) return false;
  throw new ConnectorFailure({ code: 'invalid_request', message: http.describe(request, response) });
};

export const prepareAbmProperties = async (
  http: HubSpotHttp,
): Promise<Result<PrepareReport, ConnectorError>> => {
  try {
    const report: string[] = [];
    const missing: string[] = [];
    for (const type of ['companies', 'tasks'] as const) {
      const groups = await http.expect(
        { method: 'GET', path: `/crm/v3/properties/${type}/groups` },
        GroupListSchema,
      );
      const existing = await http.expect(
        { method: 'GET', path: `/crm/v3/properties/${type}` },
        PropertyListSchema,
      );
      const definitions = new Map(
        existing.results.filter((entry) => entry.archived !== true).map((entry) => [entry.name, entry]),
      );
      if (!groups.results.some((group) => group.name === ABM_GROUP && group.archived !== true)) {
        const body = { name: ABM_GROUP, label: 'ABM Pilot', displayOrder: -1 };
        if (await created(http, `/crm/v3/properties/${type}/groups`, body))
          report.push(`${type}:group:${ABM_GROUP}`);
      }
      for (const spec of PROPERTIES[type]) {
        const found = definitions.get(spec.name);
        if (found) {
          // An alert key that is not unique would let a retried alert make a second task.
          if (spec.hasUniqueValue && found.hasUniqueValue === false)
            missing.push(`${type}.${spec.name} (unique)`);
          continue;
        }
        const body = { ...spec, groupName: ABM_GROUP, hasUniqueValue: spec.hasUniqueValue ?? false };
        if (await created(http, `/crm/v3/properties/${type}`, body)) report.push(`${type}:${spec.name}`);
      }
      if (type === 'companies') {
        missing.push(
          ...NATIVE_COMPANY_PROPERTIES.filter((name) => !definitions.has(name)).map(
            (name) => `companies.${name}`,
          ),
        );
      }
    }
    if (missing.length > 0) {
      return err({
        code: 'missing_fields',
        message: `The portal lacks what ABM Pilot writes to: ${missing.join(', ')}`,
        missing,
      });
    }
    return ok({ created: report });
  } catch (caught) {
    if (caught instanceof ConnectorFailure) return err(caught.failure);
    throw caught;
  }
};
