import { readFileSync } from 'node:fs';

import { z } from 'zod';

import type { Connection } from '../config.ts';
import { ConnectionSchema } from '../config.ts';
import { tenantOf } from '../model.ts';
import type { ConnectionInfo } from '../store/ports.ts';
import type { CliCommand } from './command.ts';
import { CliError, guarded, parseOptions, print, table } from './command.ts';
import { withOperatorStore } from './operatorStore.ts';

// `abm-pilot connection …`: the CRM connections the server runs from, kept in the store with their
// secrets sealed under ABM_SECRET_KEY. Nothing here ever prints a secret, nor echoes a file's content.

const USAGE = `Usage: abm-pilot connection <add|list|remove|rekey|purge> [options]

  add --file <connection.json> [--replace]
      adds the connection (or the list of them) the file holds; an existing tenant's is refused unless
      --replace. All are checked before any is written. A running server picks them up within a sweep.
  list
      the connections: tenant, CRM, name, auth kind, the key their secrets are sealed under, status.
      Never prints a secret.
  remove --tenant hubspot:<portalId>|salesforce:<orgId>
      removes the tenant's connection (its data stays); a running server stops scheduling it.
  purge --tenant <id>
      deletes every record of a tenant whose connection is disabled (app uninstalled) or removed, now
      rather than after the 30-day retention; refused (tenant_connected) while it is enabled.
  rekey
      seals again under ABM_SECRET_KEY every secret sealed under ABM_SECRET_KEY_PREVIOUS (key rotation).

Options: --json (results as JSON), --help.
Environment: ABM_DB_PATH (default ./data/abm-pilot.db), ABM_SECRET_KEY (add, rekey, and to read sealed
connections), ABM_SECRET_KEY_PREVIOUS (rotation).`;

export const connectionCommand: CliCommand = {
  name: 'connection',
  summary: 'add, list, remove CRM connections; purge a tenant; re-seal secrets under a new key',
  usage: USAGE,
  run: (args, io) =>
    guarded(io, USAGE, async () => {
      const [sub, ...rest] = args;
      const { values } = parseOptions(rest, {
        file: { type: 'string' },
        replace: { type: 'boolean' },
        tenant: { type: 'string' },
      });
      if (values.help || sub === '--help' || sub === 'help') {
        io.stdout(`${USAGE}\n`);
        return 0;
      }
      const now = (io.now ?? Date.now)();
      switch (sub) {
        case 'add': {
          if (values.file === undefined) throw new CliError('invalid_arguments', 'add needs --file', 2);
          const connections = readConnectionFile(values.file);
          return withOperatorStore(io, async (store) => {
            const existing = new Set((await store.listConnections()).map((info) => info.tenantId));
            const ids = connections.map((connection) => tenantOf(connection).id);
            const twice = ids.find((id, i) => ids.indexOf(id) !== i);
            if (twice !== undefined)
              throw new CliError('duplicate_connection', `${twice} is in the file twice`);
            const taken = values.replace ? undefined : ids.find((id) => existing.has(id));
            if (taken !== undefined) {
              throw new CliError(
                'duplicate_connection',
                `${taken} has a connection already (--replace changes it)`,
              );
            }
            const saved: ConnectionInfo[] = [];
            for (const connection of connections) {
              const result = await store.saveConnection(connection, values.replace ? 'upsert' : 'add', now);
              if (!result.ok)
                throw new CliError(result.error.code, `${tenantOf(connection).id} has a connection already`);
              saved.push(result.value);
              await store.recordOperatorCommand({
                at: now,
                tenantId: result.value.tenantId,
                command: 'connection add',
                detail: { authKind: result.value.authKind, replace: values.replace === true },
                operator: io.operator ?? 'unknown',
              });
            }
            print(io, values.json, saved, () => saved.map((info) => `saved ${info.tenantId}`).join('\n'));
            return 0;
          });
        }
        case 'list':
          return withOperatorStore(io, async (store) => {
            const listed = await store.listConnections();
            print(io, values.json, listed, () => listText(listed));
            return 0;
          });
        case 'remove': {
          const tenant = values.tenant;
          if (tenant === undefined) throw new CliError('invalid_arguments', 'remove needs --tenant', 2);
          return withOperatorStore(io, async (store) => {
            if (!(await store.removeConnection(tenant))) {
              throw new CliError('unknown_tenant', `no connection for '${tenant}'`);
            }
            await store.recordOperatorCommand({
              at: now,
              tenantId: tenant,
              command: 'connection remove',
              detail: {},
              operator: io.operator ?? 'unknown',
            });
            print(io, values.json, { removed: tenant }, () => `removed ${tenant}`);
            return 0;
          });
        }
        case 'purge': {
          const tenant = values.tenant;
          if (tenant === undefined) throw new CliError('invalid_arguments', 'purge needs --tenant', 2);
          return withOperatorStore(io, async (store) => {
            const outcome = await store.purgeTenant(tenant);
            if (outcome === 'unknown') throw new CliError('unknown_tenant', `no tenant '${tenant}'`);
            if (outcome === 'connected') {
              throw new CliError(
                'tenant_connected',
                `${tenant} is connected: remove its connection first (connection remove --tenant ${tenant})`,
              );
            }
            print(io, values.json, { purged: tenant }, () => `purged ${tenant}`);
            return 0;
          });
        }
        case 'rekey':
          return withOperatorStore(io, async (store, config) => {
            if (config.secretKeys === null) {
              throw new CliError('secret_key_missing', 'set ABM_SECRET_KEY to the key to seal under', 2);
            }
            const resealed = await store.rekeyConnections(now);
            const keyId = config.secretKeys.current.id;
            await store.recordOperatorCommand({
              at: now,
              tenantId: null,
              command: 'connection rekey',
              detail: { resealed, keyId },
              operator: io.operator ?? 'unknown',
            });
            print(
              io,
              values.json,
              { resealed, keyId },
              () => `resealed ${resealed} connection(s) under key ${keyId}`,
            );
            return 0;
          });
        default:
          throw new CliError(
            'invalid_arguments',
            sub === undefined ? 'no subcommand given' : `unknown subcommand '${sub}'`,
            2,
          );
      }
    }),
};

/** The connection or connections a file holds, or `invalid_connection` naming where (never what). */
function readConnectionFile(path: string): Connection[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // JSON.parse quotes the text around a syntax error, which may be a token: say only that it is not JSON.
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as NodeJS.ErrnoException).code;
    throw new CliError('invalid_connection', `cannot read ${path}: ${reason ?? 'unreadable'}`, 2);
  }
  const parsed = Array.isArray(raw)
    ? z.array(ConnectionSchema).min(1).safeParse(raw)
    : ConnectionSchema.transform((one) => [one]).safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${['connection', ...issue.path].join('.')}: ${issue.message}`,
    );
    throw new CliError('invalid_connection', `${path}:\n  ${[...new Set(issues)].join('\n  ')}`, 2);
  }
  return parsed.data;
}

function listText(listed: readonly ConnectionInfo[]): string {
  if (listed.length === 0) return 'no connections';
  return table([
    ['TENANT', 'CRM', 'NAME', 'AUTH', 'KEY', 'STATUS'],
    ...listed.map((info) => [
      info.tenantId,
      info.crm,
      info.name,
      info.authKind,
      info.keyId ?? '-',
      info.disabledAt === null ? 'enabled' : `disabled ${new Date(info.disabledAt).toISOString()}`,
    ]),
  ]);
}
