import { afterEach, describe, expect, it } from 'vitest';

import type { TestEmulator } from './testSupport.ts';
import { connectWithClientCredentials, failureOf, insertAccounts, startTestEmulator } from './testSupport.ts';

// The /__sandbox controls that tests, benchmarks and the demo drive over HTTP, and the replication
// resources (getUpdated / getDeleted) the sync server can use for deletions.

let emulator: TestEmulator | undefined;

async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  emulator = await startTestEmulator(options);
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function admin(emu: TestEmulator, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${emu.url}/__sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('/__sandbox controls', () => {
  it('lists each org with the credentials a client needs', async () => {
    const emu = await start({ orgs: [{ name: 'EU' }, { name: 'US', clientId: 'us-app' }] });
    const orgs = (await (await admin(emu, '/orgs', undefined, 'GET')).json()) as Record<string, unknown>[];
    expect(orgs.map((org) => [org['name'], org['clientId']])).toEqual([
      ['EU', 'sandbox-sf-client-1'],
      ['US', 'us-app'],
    ]);
    expect(orgs[1]).toMatchObject({ orgId: emu.orgs[1]!.orgId, counts: { User: 1, Account: 0 } });
  });

  it('loads a seed over HTTP, then resets the org to empty', async () => {
    const emu = await start();
    const seeded = await admin(emu, '/seed', {
      seed: 3,
      accounts: 150,
      referenceDate: '2026-07-01T00:00:00Z',
    });
    expect(seeded.status).toBe(200);
    expect(((await seeded.json()) as { counts: Record<string, number> }).counts.Account).toBe(150);
    const conn = await connectWithClientCredentials(emu);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(150);
    await admin(emu, '/reset', {});
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
  });

  it('rejects bad admin bodies with 400 and unknown orgs with 404', async () => {
    const emu = await start();
    expect((await admin(emu, '/seed', { seed: 'x' })).status).toBe(400);
    expect((await admin(emu, '/budget', { orgId: '00Dnope', limit: 5 })).status).toBe(404);
    expect((await admin(emu, '/faults', { kind: 'status', status: 200, path: '/x' })).status).toBe(400);
  });

  it('refuses a fault rule whose path is not a regular expression with 400, and keeps serving', async () => {
    const emu = await start();
    const response = await admin(emu, '/faults', { kind: 'reset', path: '(' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /path must be a valid regular expression/,
    );
    expect(emu.faults.list()).toEqual([]);
    const conn = await connectWithClientCredentials(emu);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
  });

  it('sets the API budget and expires tokens', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    await admin(emu, '/budget', { limit: 10, used: 10 });
    expect((await failureOf(conn.query('SELECT Id FROM Account'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    await admin(emu, '/budget', { used: 0 });
    const token = emu.issueAccessToken();
    await admin(emu, '/tokens/expire', {});
    const response = await fetch(`${emu.url}/services/data/v66.0/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('installs fault rules with headers and removes them', async () => {
    const emu = await start();
    const token = emu.issueAccessToken();
    await admin(emu, '/faults', {
      kind: 'status',
      status: 429,
      path: '/limits$',
      headers: { 'Retry-After': '2' },
      count: 1,
    });
    const limited = await fetch(`${emu.url}/services/data/v66.0/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    await admin(emu, '/faults', { kind: 'slow', delayMs: 5, path: '/limits$' });
    expect(((await (await admin(emu, '/faults', undefined, 'GET')).json()) as unknown[]).length).toBe(2);
    expect((await admin(emu, '/faults', undefined, 'DELETE')).status).toBe(204);
    expect(((await (await admin(emu, '/faults', undefined, 'GET')).json()) as unknown[]).length).toBe(0);
  });

  it('merges accounts: the loser is deleted with MasterRecordId and its contacts move to the master', async () => {
    const emu = await start();
    const [master, loser] = insertAccounts(emu.org, 2, emu.now());
    const conn = await connectWithClientCredentials(emu);
    await conn.sobject('Contact').create({ LastName: 'Moved', AccountId: loser! });
    emu.advance(1_000);
    const merged = await admin(emu, '/merge', { type: 'Account', masterId: master, mergedIds: [loser] });
    expect(merged.status).toBe(200);
    const all = await conn.query<{ Id: string; IsDeleted: boolean; MasterRecordId: string | null }>(
      'SELECT Id, IsDeleted, MasterRecordId FROM Account',
      { scanAll: true },
    );
    expect(all.records.find((record) => record.Id === loser)).toMatchObject({
      IsDeleted: true,
      MasterRecordId: master,
    });
    const contact = await conn.query<{ AccountId: string }>('SELECT AccountId FROM Contact');
    expect(contact.records[0]?.AccountId).toBe(master);
  });
});

describe('getUpdated and getDeleted', () => {
  it('lists ids changed and deleted in a window, with latestDateCovered', async () => {
    const emu = await start();
    const conn = await connectWithClientCredentials(emu);
    const start_ = new Date(emu.now()).toISOString();
    const [kept, removed] = insertAccounts(emu.org, 2, emu.now());
    emu.advance(120_000);
    await conn.sobject('Account').update({ Id: kept!, ABM_Score__c: 40 });
    await conn.sobject('Account').destroy(removed!);
    emu.advance(60_000);
    const end = new Date(emu.now()).toISOString();
    const updated = await conn.sobject('Account').updated(start_, end);
    expect(updated.ids).toEqual([kept]);
    expect(updated.latestDateCovered).toBe('2026-07-01T12:03:00.000+0000');
    const deleted = await conn.sobject('Account').deleted(start_, end);
    expect(deleted.deletedRecords).toEqual([{ id: removed, deletedDate: '2026-07-01T12:02:00.000+0000' }]);
    const tooOld = await failureOf(conn.sobject('Account').deleted('2026-01-01T00:00:00Z', end));
    expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
