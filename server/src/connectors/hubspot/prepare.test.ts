import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { PULL_PROPERTIES } from './mapping.ts';
import type { TestPortal } from './testKit.ts';
import { startPortal } from './testKit.ts';

let portal: TestPortal;

beforeEach(async () => {
  portal = await startPortal();
});

afterEach(async () => {
  await portal.close();
});

const property = async (type: string, name: string) => {
  const response = await portal.api(`/crm/v3/properties/${type}/${name}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    type: string;
    groupName: string;
    hasUniqueValue: boolean;
    options: { value: string }[];
  };
};

describe('prepare', () => {
  it('creates the ABM group and properties on companies and the unique alert key on tasks', async () => {
    const outcome = await portal.connector().prepare();
    expect(outcome).toEqual({
      ok: true,
      value: {
        created: [
          'companies:group:abm_pilot',
          'companies:abm_score',
          'companies:abm_sla_status',
          'companies:abm_next_sla_due',
          'companies:abm_tier_reason',
          'companies:abm_last_sync',
          'companies:abm_owner',
          'companies:abm_executive_sponsor',
          'tasks:group:abm_pilot',
          'tasks:abm_alert_key',
        ],
      },
    });
    expect(await property('companies', 'abm_score')).toMatchObject({
      type: 'number',
      groupName: 'abm_pilot',
    });
    expect((await property('companies', 'abm_sla_status')).options.map((option) => option.value)).toEqual([
      'on_track',
      'at_risk',
      'breached',
      'met',
    ]);
    expect(await property('companies', 'abm_next_sla_due')).toMatchObject({ type: 'datetime' });
    expect(await property('companies', 'abm_last_sync')).toMatchObject({ type: 'datetime' });
    expect(await property('companies', 'abm_tier_reason')).toMatchObject({ type: 'string' });
    expect(await property('tasks', 'abm_alert_key')).toMatchObject({ type: 'string', hasUniqueValue: true });
  });

  it('creates nothing the second time, reading the definitions in four calls', async () => {
    await portal.connector().prepare();
    const again = portal.connector();
    expect(await again.prepare()).toEqual({ ok: true, value: { created: [] } });
    expect(again.usage().calls).toBe(4);
  });

  it('creates the properties the score reads that the portal lacks, in the ABM group', async () => {
    // A real portal has no region, strategic flag or intent score; the sandbox's seeded one does.
    for (const name of ['region', 'strategic_account', 'intent_score']) {
      const response = await portal.api(`/crm/v3/properties/companies/${name}`, { method: 'DELETE' });
      expect(response.status).toBe(204);
    }

    const outcome = await portal.connector().prepare();

    expect(outcome.ok && outcome.value.created).toEqual(
      expect.arrayContaining(['companies:region', 'companies:strategic_account', 'companies:intent_score']),
    );
    expect(await property('companies', 'region')).toMatchObject({ type: 'string', groupName: 'abm_pilot' });
    expect(await property('companies', 'strategic_account')).toMatchObject({
      type: 'bool',
      groupName: 'abm_pilot',
    });
    expect(await property('companies', 'intent_score')).toMatchObject({
      type: 'number',
      groupName: 'abm_pilot',
    });
    // Every company property the pull asks for now exists: none is read from nothing.
    const listed = (await (await portal.api('/crm/v3/properties/companies')).json()) as {
      results: { name: string }[];
    };
    const names = new Set(listed.results.map((entry) => entry.name));
    expect(PULL_PROPERTIES.companies.filter((name) => !names.has(name))).toEqual([]);
    expect(await portal.connector().prepare()).toEqual({ ok: true, value: { created: [] } });
  });

  it("leaves the portal's own region, strategic flag and intent score as they are", async () => {
    const before = await Promise.all(
      ['region', 'strategic_account', 'intent_score'].map((name) => property('companies', name)),
    );

    const outcome = await portal.connector().prepare();

    expect(outcome.ok && outcome.value.created).not.toContain('companies:region');
    const after = await Promise.all(
      ['region', 'strategic_account', 'intent_score'].map((name) => property('companies', name)),
    );
    expect(after).toEqual(before);
    expect(after.map((entry) => entry.groupName)).toEqual([
      'sandbox_signals',
      'sandbox_signals',
      'sandbox_signals',
    ]);
  });

  it('refuses an alert key that is not unique, since it could not stop duplicate tasks', async () => {
    const response = await portal.api('/crm/v3/properties/tasks', {
      method: 'POST',
      body: { name: 'abm_alert_key', label: 'Key', type: 'string', fieldType: 'text', groupName: 'task' },
    });
    expect(response.status).toBe(201);
    const outcome = await portal.connector().prepare();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('missing_fields');
    expect(outcome.error.missing).toEqual(['tasks.abm_alert_key (unique)']);
  });

  it('answers a bad token with auth_failed instead of throwing, without echoing the token', async () => {
    const secret = 'pat-na1-not-a-real-token-000000';
    const outcome = await portal.connector({ auth: { kind: 'private_app', token: secret } }).prepare();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('auth_failed');
    expect(outcome.error.message).not.toContain(secret);
  });
});
