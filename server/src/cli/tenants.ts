import { instantToIso } from '@abm-pilot/shared';

import type { CliCommand } from './command.ts';
import { CliError, guarded, parseOptions, print, table } from './command.ts';
import { withOperatorStore } from './operator.ts';

// `abm-pilot tenants` and `abm-pilot log`: which portals and orgs the store serves, by the ids every other
// command takes; and what operators did, newest first.

const TENANTS_USAGE = `Usage: abm-pilot tenants [--json]

  The connected portals and orgs, with the id the other commands take as --tenant.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db).`;

export const tenantsCommand: CliCommand = {
  name: 'tenants',
  summary: 'the connected HubSpot portals and Salesforce orgs, by id',
  usage: TENANTS_USAGE,
  run: (args, io) =>
    guarded(io, TENANTS_USAGE, async () => {
      const { values, positionals } = parseOptions(args, {});
      if (values.help) {
        io.stdout(`${TENANTS_USAGE}\n`);
        return 0;
      }
      if (positionals.length > 0)
        throw new CliError('invalid_arguments', `unexpected '${positionals.join(' ')}'`, 2);
      return withOperatorStore(io, async ({ store }) => {
        const tenants = (await store.listTenants()).map((tenant) => ({
          id: tenant.id,
          crm: tenant.crm,
          name: tenant.name,
          language: tenant.language,
        }));
        print(io, values.json, tenants, () =>
          tenants.length === 0
            ? 'No tenant is connected yet.'
            : table([
                ['ID', 'CRM', 'NAME', 'LANGUAGE'],
                ...tenants.map((t) => [t.id, t.crm, t.name, t.language]),
              ]),
        );
        return 0;
      });
    }),
};

const LOG_USAGE = `Usage: abm-pilot log [--tenant <id>] [--limit <n>] [--json]

  What operators did with this CLI, newest first (default 50): credentials issued and revoked, roles
  granted, health checks. Never a secret.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db).`;

export const logCommand: CliCommand = {
  name: 'log',
  summary: "the operator's log: every command run against the store, newest first",
  usage: LOG_USAGE,
  run: (args, io) =>
    guarded(io, LOG_USAGE, async () => {
      const { values, positionals } = parseOptions(args, {
        tenant: { type: 'string' },
        limit: { type: 'string' },
      });
      if (values.help) {
        io.stdout(`${LOG_USAGE}\n`);
        return 0;
      }
      if (positionals.length > 0)
        throw new CliError('invalid_arguments', `unexpected '${positionals.join(' ')}'`, 2);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) {
        throw new CliError('invalid_limit', '--limit must be a whole number from 1 to 10000', 2);
      }
      return withOperatorStore(io, async (session) => {
        const tenantId = values.tenant === undefined ? null : (await session.tenant(values.tenant)).id;
        const entries = (await session.store.operatorLog(tenantId, limit)).map((entry) => ({
          ...entry,
          at: instantToIso(entry.at),
        }));
        print(io, values.json, entries, () =>
          table([
            ['AT', 'OPERATOR', 'TENANT', 'COMMAND', 'DETAIL'],
            ...entries.map((e) => [
              e.at,
              e.operator,
              e.tenantId ?? '',
              e.command,
              Object.entries(e.detail)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' '),
            ]),
          ]),
        );
        return 0;
      });
    }),
};
