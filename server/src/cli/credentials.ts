import { instantToIso } from '@abm-pilot/shared';

import type { CredentialGrant, CredentialInfo } from '../store/ports.ts';
import type { CliCommand } from './command.ts';
import { CliError, guarded, parseOptions, print, table } from './command.ts';
import { withOperatorStore } from './operator.ts';

// `abm-pilot credential issue|list|revoke`: the keys people and CRMs call ABM Pilot with. An admin token
// opens the console and the admin API (a viewer token reads only); a Salesforce org key is what the org's
// Named Credential sends. The secret is printed once, at issue: only a hash of it is kept.

const USAGE = `Usage: abm-pilot credential <issue|list|revoke> --tenant <hubspot:<portalId>|salesforce:<orgId>> [options]

  issue  --kind admin|viewer|org-key [--label <text>] [--keep-others] [--grace-hours <n>]
         Prints the new credential's secret, once. By default the tenant's other live credentials of the
         same kind stop working after --grace-hours (168, a week: time to update a Named Credential);
         --keep-others leaves them working beside it.
  list   Every credential of the tenant, newest first: id, kind, label, created, expires, revoked.
  revoke --id <abm_…>
         Ends the credential now.

Options: --json prints the result as JSON.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db).`;

const KINDS = {
  admin: { kind: 'admin_token', role: 'admin' },
  viewer: { kind: 'admin_token', role: 'viewer' },
  'org-key': { kind: 'salesforce_api_key' },
} as const satisfies Record<string, CredentialGrant>;
type KindName = keyof typeof KINDS;

const kindName = (grant: CredentialGrant): KindName =>
  grant.kind === 'salesforce_api_key' ? 'org-key' : grant.role;

const iso = (instant: number | null) => (instant === null ? null : instantToIso(instant));

const toWire = (credential: CredentialInfo) => ({
  id: credential.id,
  kind: kindName(credential.grant),
  label: credential.label,
  createdAt: iso(credential.createdAt),
  expiresAt: iso(credential.expiresAt),
  revokedAt: iso(credential.revokedAt),
});

export const credentialCommand: CliCommand = {
  name: 'credential',
  summary: 'issue, list and revoke admin and viewer tokens and Salesforce org keys',
  usage: USAGE,
  run: (args, io) =>
    guarded(io, USAGE, async () => {
      const { values, positionals } = parseOptions(args, {
        tenant: { type: 'string' },
        kind: { type: 'string' },
        label: { type: 'string' },
        id: { type: 'string' },
        'keep-others': { type: 'boolean' },
        'grace-hours': { type: 'string' },
      });
      if (values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
      }
      const [action, ...extra] = positionals;
      if (extra.length > 0) throw new CliError('invalid_arguments', `unexpected '${extra.join(' ')}'`, 2);
      if (action !== 'issue' && action !== 'list' && action !== 'revoke') {
        throw new CliError('unknown_action', `expected issue, list or revoke, not '${action ?? ''}'`, 2);
      }
      // Every argument is checked before the store is touched: a wrong call changes nothing.
      const kind = values.kind;
      if (action === 'issue' && (kind === undefined || !(kind in KINDS))) {
        throw new CliError('invalid_kind', `--kind must be admin, viewer or org-key, not '${kind ?? ''}'`, 2);
      }
      const graceHours = values['grace-hours'] === undefined ? undefined : Number(values['grace-hours']);
      if (graceHours !== undefined && !(Number.isFinite(graceHours) && graceHours >= 0)) {
        throw new CliError('invalid_grace', '--grace-hours must be a number of hours, 0 or more', 2);
      }
      if (action === 'revoke' && values.id === undefined) {
        throw new CliError('missing_id', 'name the credential to revoke with --id', 2);
      }

      return withOperatorStore(io, async (session) => {
        const tenant = await session.tenant(values.tenant);
        if (action === 'list') {
          const credentials = (await session.store.listCredentials(tenant.id)).map(toWire);
          await session.record(tenant.id, 'credential list', { count: credentials.length });
          print(io, values.json, credentials, () =>
            credentials.length === 0
              ? `${tenant.id} has no credentials yet: abm-pilot credential issue --tenant ${tenant.id} --kind admin`
              : table([
                  ['ID', 'KIND', 'LABEL', 'CREATED', 'EXPIRES', 'REVOKED'],
                  ...credentials.map((c) => [
                    c.id,
                    c.kind,
                    c.label ?? '',
                    c.createdAt ?? '',
                    c.expiresAt ?? '',
                    c.revokedAt ?? '',
                  ]),
                ]),
          );
          return 0;
        }
        if (action === 'revoke') {
          const id = values.id!;
          const revoked = await session.store.revokeCredential(tenant.id, id, session.now);
          await session.record(tenant.id, 'credential revoke', { id, revoked });
          if (!revoked) {
            throw new CliError('unknown_credential', `${tenant.id} has no live credential '${id}'`);
          }
          print(
            io,
            values.json,
            { id, revokedAt: iso(session.now) },
            () => `${id} revoked: it stops working now.`,
          );
          return 0;
        }
        const name = kind as KindName;
        if (name === 'org-key' && tenant.crm !== 'salesforce') {
          throw new CliError(
            'wrong_crm',
            `org keys are for Salesforce orgs; ${tenant.id} is a HubSpot portal`,
            2,
          );
        }
        const issued = await session.store.issueCredential(tenant.id, {
          grant: KINDS[name],
          now: session.now,
          label: values.label ?? null,
          rotate: values['keep-others'] !== true,
          ...(graceHours === undefined ? {} : { graceMs: graceHours * 3_600_000 }),
        });
        await session.record(tenant.id, 'credential issue', {
          id: issued.id,
          kind: name,
          label: issued.label,
          keepOthers: values['keep-others'] === true,
        });
        print(io, values.json, { ...toWire(issued), secret: issued.plaintext }, () =>
          [
            `Issued ${name} credential ${issued.id} for ${tenant.id}.`,
            `Secret (shown this once; store it now): ${issued.plaintext}`,
            name === 'org-key'
              ? 'In the org: Setup > Named Credentials > External Credentials > ABM Pilot > principal AbmPilotOrg > Authentication Parameters: ApiKey = the secret.'
              : 'Sign in to the console with it, or send it as "Authorization: Bearer <secret>" to /api/v1/admin.',
          ].join('\n'),
        );
        return 0;
      });
    }),
};
