import { AccountCardResponseSchema } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../cli.ts';
import type { Harness } from '../http/routes/apiTestHarness.ts';
import { giveRoles, HUBSPOT, NOW, seedAccounts, startApi, TENANT_A } from '../http/routes/apiTestHarness.ts';
import { SIGNATURE_MAX_AGE_MS } from '../http/hubspotSignature.ts';
import type { CliIo } from './command.ts';
import type { SignedCall } from './signHubspot.ts';

// `abm-pilot sign-hubspot` against the API over real HTTP on port 0, configured with a HubSpot app: what
// it signs is what the server accepts, and a call changed after signing is refused.

let api: Harness;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {} });
  await giveRoles(api, TENANT_A.id, { u1: ['abm_manager'] });
});
afterEach(() => api.close());

function cli(env: Record<string, string> = { HUBSPOT_APP_CLIENT_SECRET: HUBSPOT.clientSecret }, now = NOW) {
  const captured = { stdout: '', stderr: '' };
  const io: CliIo = {
    env,
    stdout: (text) => void (captured.stdout += text),
    stderr: (text) => void (captured.stderr += text),
    stderrIsTty: false,
    now: () => now,
  };
  return { io, captured };
}

const cardCall = (...extra: string[]) => [
  'sign-hubspot',
  '--url',
  `${api.url}/api/v1/accounts/a1/card?apiRevision=3`,
  '--public-url',
  HUBSPOT.publicUrl,
  '--portal',
  TENANT_A.externalId,
  '--user',
  'u1',
  ...extra,
];

const sendAs = (call: SignedCall, changes: Partial<SignedCall> = {}) => {
  const sent = { ...call, ...changes };
  return fetch(sent.url, {
    method: sent.method,
    headers: sent.headers,
    ...(sent.body === null ? {} : { body: sent.body }),
  });
};

describe('abm-pilot sign-hubspot', () => {
  it('prints a card call the server accepts, with the proxy’s query and without the secret', async () => {
    const { io, captured } = cli();
    expect(await runCli([...cardCall('--email', 'u1@example.com', '--app-id', '42'), '--json'], io)).toBe(0);
    const call = JSON.parse(captured.stdout) as SignedCall & { curl: string };
    expect(new URL(call.url).search).toBe(
      `?apiRevision=3&userId=u1&userEmail=u1%40example.com&portalId=${TENANT_A.externalId}&appId=42`,
    );
    expect(call.curl).toContain(`'x-hubspot-signature-v3: ${call.headers['x-hubspot-signature-v3']}'`);
    expect(captured.stdout).not.toContain(HUBSPOT.clientSecret);

    const answer = await sendAs(call);
    expect(answer.status).toBe(200);
    expect(AccountCardResponseSchema.parse(await answer.json()).crm.crmId).toBe('a1');
  });

  it('is refused once tampered with: another user, another signature, or too old', async () => {
    const { io, captured } = cli();
    expect(await runCli([...cardCall(), '--json'], io)).toBe(0);
    const call = JSON.parse(captured.stdout) as SignedCall;

    const otherUser = await sendAs(call, { url: call.url.replace('userId=u1', 'userId=u2') });
    expect(otherUser.status).toBe(401);
    const otherSecret = cli({ HUBSPOT_APP_CLIENT_SECRET: 'not-the-app-secret' });
    await runCli([...cardCall(), '--json'], otherSecret.io);
    expect((await sendAs(JSON.parse(otherSecret.captured.stdout) as SignedCall)).status).toBe(401);
    const old = cli(undefined, NOW - SIGNATURE_MAX_AGE_MS - 1);
    await runCli([...cardCall(), '--json'], old.io);
    expect((await sendAs(JSON.parse(old.captured.stdout) as SignedCall)).status).toBe(401);
  });

  it('sends a signed call with a body and prints the answer', async () => {
    const { io, captured } = cli();
    const body = JSON.stringify({
      toTier: 'tier_1',
      reason: 'Signed from the CLI',
      idempotencyKey: 'cli-signed-1',
    });
    const args = cardCall('--method', 'post', '--body', body, '--send').map((arg) =>
      arg.endsWith('/card?apiRevision=3') ? arg.replace('/card', '/tier-change') : arg,
    );
    expect(await runCli(args, io)).toBe(0);
    expect(captured.stdout).toMatch(/^HTTP 20\d\n\{/);
  });

  it('exits 1 with a named error when the server refuses the call it sent', async () => {
    const { io, captured } = cli({ HUBSPOT_APP_CLIENT_SECRET: 'not-the-app-secret' });
    expect(await runCli([...cardCall(), '--send'], io)).toBe(1);
    expect(captured.stdout).toMatch(/^HTTP 401/);
    expect(captured.stderr).toBe('error call_refused: ABM Pilot answered HTTP 401\n');
  });

  it.each([
    [[], {}, 'missing_secret'],
    [['--method', 'TRACE'], undefined, 'invalid_method'],
    [['--body', '{nope'], undefined, 'invalid_body'],
    [['--portal', 'abc'], undefined, 'invalid_portal'],
    [['--public-url', 'ftp://x'], undefined, 'invalid_url'],
    [['--bogus'], undefined, 'invalid_arguments'],
  ] as const)('refuses a wrong call %j with a named error', async (extra, env, code) => {
    const { io, captured } = cli(env);
    expect(await runCli([...cardCall(), ...extra], io)).toBe(2);
    expect(captured.stderr).toMatch(new RegExp(`^error ${code}: `));
    expect(captured.stdout).toBe('');
  });

  it('names a missing option and explains itself with --help', async () => {
    const missing = cli();
    expect(await runCli(['sign-hubspot', '--url', `${api.url}/api/v1/accounts/a1/card`], missing.io)).toBe(2);
    expect(missing.captured.stderr).toMatch(/^error missing_option: --portal is required/);
    const help = cli();
    expect(await runCli(['sign-hubspot', '--help'], help.io)).toBe(0);
    expect(help.captured.stdout).toContain('Usage: abm-pilot sign-hubspot');
  });
});
