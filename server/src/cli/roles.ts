import type { Role } from '@abm-pilot/shared';
import { RoleSchema, ROLES } from '@abm-pilot/shared';

import type { CrmOwner, Tenant } from '../model.ts';
import type { Store } from '../store/ports.ts';
import type { CliCommand } from './command.ts';
import { CliError, guarded, parseOptions, print, table } from './command.ts';
import { withOperatorStore } from './operator.ts';

// `abm-pilot role grant|revoke|list`: the programme's roles, given to CRM users. The first Chief ABM Officer
// comes from here (or from the HubSpot install); after that the Chief manages roles in the settings page
// too. The operator stands outside the decision rights: whoever holds the machine holds the store.

const USAGE = `Usage: abm-pilot role <grant|revoke|list> --tenant <hubspot:<portalId>|salesforce:<orgId>> [options]

  grant  --user <CRM user id> --role <role>   gives the user the role, keeping their others
  revoke --user <CRM user id> --role <role>   takes the role back
  list                                        who holds which roles

Roles: ${ROLES.join(', ')}.
The user is a HubSpot user id (Settings > Users) or owner id, or a Salesforce user id (005…); the role goes
to the CRM owner they act as. The user must have been seen by a sync.

Options: --json prints the result as JSON.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db).`;

export const roleCommand: CliCommand = {
  name: 'role',
  summary: 'grant, revoke and list the programme roles of CRM users (the first Chief ABM Officer)',
  usage: USAGE,
  run: (args, io) =>
    guarded(io, USAGE, async () => {
      const { values, positionals } = parseOptions(args, {
        tenant: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string' },
      });
      if (values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
      }
      const [action, ...extra] = positionals;
      if (extra.length > 0) throw new CliError('invalid_arguments', `unexpected '${extra.join(' ')}'`, 2);
      if (action !== 'grant' && action !== 'revoke' && action !== 'list') {
        throw new CliError('unknown_action', `expected grant, revoke or list, not '${action ?? ''}'`, 2);
      }
      let role: Role | null = null;
      if (action !== 'list') {
        const parsed = RoleSchema.safeParse(values.role);
        if (!parsed.success) {
          throw new CliError(
            'invalid_role',
            `--role must be one of ${ROLES.join(', ')}, not '${values.role ?? ''}'`,
            2,
          );
        }
        role = parsed.data;
        if (values.user === undefined || values.user.trim() === '') {
          throw new CliError('missing_user', 'name the CRM user with --user', 2);
        }
      }

      return withOperatorStore(io, async (session) => {
        const tenant = await session.tenant(values.tenant);
        const { store } = session;
        if (role !== null) {
          // Roles are held by the CRM owner a person acts as (in HubSpot, the owner behind their user).
          const user = (await requireKnownUser(store, tenant, values.user!.trim())).crmId;
          const current = (await store.userRoles(tenant.id)).users;
          const held = current.find((entry) => entry.crmUserId === user)?.roles ?? [];
          const roles = action === 'grant' ? [...new Set([...held, role])] : held.filter((r) => r !== role);
          const others = current.filter((entry) => entry.crmUserId !== user);
          await store.replaceUserRoles(tenant.id, [...others, { crmUserId: user, roles }], {
            at: session.now,
            by: `operator:${io.operator ?? 'unknown'}`,
          });
          await session.record(tenant.id, `role ${action}`, { user, role });
        } else {
          await session.record(tenant.id, 'role list', {});
        }
        const mapping = await store.userRoles(tenant.id);
        const rows = await Promise.all(
          mapping.users.map(async (entry) => ({
            user: entry.crmUserId,
            name: (await store.getOwner(tenant.id, entry.crmUserId))?.name ?? null,
            roles: [...entry.roles],
          })),
        );
        print(io, values.json, { tenant: tenant.id, users: rows }, () =>
          rows.length === 0
            ? `${tenant.id}: nobody holds a role yet. Grant the first Chief ABM Officer:\n  abm-pilot role grant --tenant ${tenant.id} --user <id> --role chief_abm_officer`
            : table([
                ['USER', 'NAME', 'ROLES'],
                ...rows.map((row) => [row.user, row.name ?? '', row.roles.join(', ')]),
              ]),
        );
        return 0;
      });
    }),
};

/** A role for an id no sync has seen is a typo waiting to lock the programme out: refuse it by name. */
async function requireKnownUser(store: Store, tenant: Tenant, user: string): Promise<CrmOwner> {
  const known =
    (tenant.crm === 'hubspot' ? await store.ownerOfLoginUser(tenant.id, user) : null) ??
    (await store.getOwner(tenant.id, user));
  if (known === null) {
    throw new CliError(
      'unknown_user',
      `${tenant.id} has no user '${user}' (run a sync first if the user is new; abm-pilot health shows the last one)`,
    );
  }
  return known;
}
