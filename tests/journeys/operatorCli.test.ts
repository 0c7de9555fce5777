import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../server/src/cli.ts';
import type { CrmName, Journey } from './world.ts';
import { CRMS, startJourney } from './world.ts';

// The operator's journey: on the machine that runs ABM Pilot, with `npm run abm-pilot -- …` against the
// server's own store while it runs. The operator finds the tenant, issues the admin token the CRM admin
// opens the console with, grants the first Chief ABM Officer, checks health; in Salesforce issues the org
// key the Named Credential carries, and revokes it. Each mistake is refused by name and changes nothing.
// What people see is read where they see it: the admin API, the card API as Apex calls it, the log.

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const OPERATOR = 'ops-jo';

function operatorOf(world: Journey) {
  return async (...args: string[]): Promise<Ran> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      env: { ABM_DB_PATH: world.dbPath },
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      stderrIsTty: false,
      now: world.time.now,
      operator: OPERATOR,
    });
    return { code, stdout, stderr };
  };
}

const json = <T>(ran: Ran): T => {
  expect(ran.stderr).toBe('');
  expect(ran.code).toBe(0);
  return JSON.parse(ran.stdout) as T;
};

/** The admin API as the CRM admin's console calls it, with a token. */
async function adminApi(world: Journey, token: string, path: string) {
  const response = await fetch(`${world.abm.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(CRMS)('the operator installs ABM Pilot for a %s tenant from the CLI', (crm: CrmName) => {
  let world: Journey;
  let cli: ReturnType<typeof operatorOf>;
  beforeAll(async () => {
    world = await startJourney(crm, { accounts: 100 });
    cli = operatorOf(world);
  }, 60_000);
  afterAll(() => world.close());

  it('issues the admin token and grants the first Chief ABM Officer, both in effect at once, all logged without a secret', async () => {
    const tenants = json<{ id: string; crm: string }[]>(await cli('tenants', '--json'));
    expect(tenants).toContainEqual(expect.objectContaining({ id: world.tenantId, crm }));

    const issued = json<{ id: string; kind: string; secret: string }>(
      await cli(
        'credential',
        'issue',
        '--tenant',
        world.tenantId,
        '--kind',
        'admin',
        '--label',
        'CRM admin',
        '--json',
      ),
    );
    expect(issued).toMatchObject({ kind: 'admin', id: expect.stringMatching(/^abm_adm_/) });
    expect((await adminApi(world, issued.secret, '/admin/roles')).status).toBe(200);

    const newcomer = world.bystander;
    const granted = await cli(
      'role',
      'grant',
      '--tenant',
      world.tenantId,
      '--user',
      newcomer.signInId,
      '--role',
      'chief_abm_officer',
    );
    expect(granted.code).toBe(0);
    // The role goes to the CRM owner the newcomer acts as, named by the id they sign in with.
    expect(granted.stdout).toContain(newcomer.ownerId);
    const roles = await adminApi(world, issued.secret, '/admin/roles');
    expect((roles.body['users'] as Record<string, string[]>)[newcomer.ownerId]).toEqual([
      'chief_abm_officer',
    ]);
    // The newcomer opens a card in the CRM and is the programme's Chief.
    const [account] = await world.accounts(null, 1);
    expect((await world.card(newcomer, account!)).body).toMatchObject({
      viewer: { governanceRoles: ['chief_abm_officer'] },
    });

    expect(
      (
        await cli(
          'role',
          'revoke',
          '--tenant',
          world.tenantId,
          '--user',
          newcomer.signInId,
          '--role',
          'chief_abm_officer',
        )
      ).code,
    ).toBe(0);
    const after = await adminApi(world, issued.secret, '/admin/roles');
    expect((after.body['users'] as Record<string, string[]>)[newcomer.ownerId]).toBeUndefined();

    const log = await cli('log', '--tenant', world.tenantId, '--json');
    const commands = json<{ command: string; operator: string }[]>(log).map((entry) => entry.command);
    expect(commands.slice(0, 3)).toEqual(['role revoke', 'role grant', 'credential issue']);
    expect(log.stdout).toContain(OPERATOR);
    expect(log.stdout).not.toContain(issued.secret.split('.').at(-1)!);
  });

  it('shows the tenant healthy: its runs, cursors, an empty outbox and the API calls of the last run', async () => {
    const [health] = json<
      {
        tenant: string;
        healthy: boolean;
        runs: { kind: string; status: string }[];
        cursors: Record<string, string | null>;
        outbox: { accountWrites: number; tasks: number; failingTasks: number };
        api: { callsLastRun: number | null };
      }[]
    >(await cli('health', '--tenant', world.tenantId, '--json'));
    expect(health).toMatchObject({ tenant: world.tenantId, healthy: true });
    expect(health!.runs[0]).toMatchObject({ kind: 'sync', status: 'succeeded' });
    expect(health!.cursors['accounts']).not.toBeNull();
    expect(health!.outbox).toEqual({ accountWrites: 0, tasks: 0, failingTasks: 0 });
    expect(health!.api.callsLastRun).toBeGreaterThan(0);
    const text = await cli('health', '--tenant', world.tenantId);
    expect(text.stdout).toContain(`${world.tenantId}`);
    expect(text.stdout).toContain('healthy');
  });

  it('refuses each mistake by name and writes nothing', async () => {
    const before = {
      credentials: json<unknown[]>(await cli('credential', 'list', '--tenant', world.tenantId, '--json'))
        .length,
      roles: (await cli('role', 'list', '--tenant', world.tenantId, '--json')).stdout,
    };
    const refusals: [string[], number, string][] = [
      [['credential', 'issue', '--tenant', 'hubspot:999', '--kind', 'admin'], 2, 'unknown_tenant'],
      [['credential', 'issue', '--tenant', world.tenantId, '--kind', 'root'], 2, 'invalid_kind'],
      [['credential', 'issue', '--tenant', world.tenantId], 2, 'invalid_kind'],
      [
        ['credential', 'revoke', '--tenant', world.tenantId, '--id', 'abm_adm_0000000000000000'],
        1,
        'unknown_credential',
      ],
      [['credential', 'rotate', '--tenant', world.tenantId], 2, 'unknown_action'],
      [['credential', 'list', '--tenant', world.tenantId, '--colour'], 2, 'invalid_arguments'],
      [
        ['role', 'grant', '--tenant', world.tenantId, '--user', '9999999', '--role', 'chief_abm_officer'],
        1,
        'unknown_user',
      ],
      [
        ['role', 'grant', '--tenant', world.tenantId, '--user', world.people.rep.signInId, '--role', 'king'],
        2,
        'invalid_role',
      ],
      [['role', 'grant', '--tenant', world.tenantId, '--role', 'abm_manager'], 2, 'missing_user'],
      [['health', '--tenant', world.tenantId, '--runs', 'many'], 2, 'invalid_runs'],
      [['deploy'], 2, 'unknown_command'],
      ...(crm === 'hubspot'
        ? [
            [['credential', 'issue', '--tenant', world.tenantId, '--kind', 'org-key'], 2, 'wrong_crm'] as [
              string[],
              number,
              string,
            ],
          ]
        : []),
    ];
    for (const [args, code, error] of refusals) {
      const ran = await cli(...args);
      expect({ args, code: ran.code, error: ran.stderr.split('\n')[0] }).toEqual({
        args,
        code,
        error: expect.stringMatching(new RegExp(`^error ${error}: `)),
      });
    }
    expect(
      json<unknown[]>(await cli('credential', 'list', '--tenant', world.tenantId, '--json')),
    ).toHaveLength(before.credentials);
    expect((await cli('role', 'list', '--tenant', world.tenantId, '--json')).stdout).toBe(before.roles);
  });

  it('explains every command with --help', async () => {
    for (const command of ['tenants', 'credential', 'role', 'health', 'log', 'sync', 'sla']) {
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: abm-pilot ${command}`));
    }
    const all = await cli('--help');
    expect(all.stdout).toContain('credential');
  });

  // Only Salesforce orgs call with an org key (HubSpot signs its calls): the test exists for them alone.
  if (crm === 'salesforce')
    it('issues the org key the Named Credential carries: Apex calls work with it, and stop once it is revoked', async () => {
      const key = json<{ id: string; secret: string }>(
        await cli(
          'credential',
          'issue',
          '--tenant',
          world.tenantId,
          '--kind',
          'org-key',
          '--keep-others',
          '--json',
        ),
      );
      const [account] = await world.accounts(null, 1);
      // Exactly what AbmPilotController sends through the Named Credential: the key as a bearer token, the
      // running user and the package's API revision.
      const apex = () =>
        fetch(
          `${world.abm.url}/api/v1/accounts/${account}/card?userId=${world.people.rep.signInId}&apiRevision=3`,
          { headers: { authorization: `Bearer ${key.secret}`, accept: 'application/json' } },
        );
      expect((await apex()).status).toBe(200);

      expect((await cli('credential', 'revoke', '--tenant', world.tenantId, '--id', key.id)).code).toBe(0);
      // A key a process read a moment ago may serve it until the hot-read TTL (5 s) passes, no longer.
      await world.pass(6_000);
      const refused = await apex();
      expect(refused.status).toBe(401);
    });
});
