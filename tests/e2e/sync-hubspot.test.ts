import { DAY_MS } from '@abm-pilot/shared';
import { afterEach, describe, expect, it } from 'vitest';

import { sweepSlas, syncTenant } from '../../server/src/usecases/runSync.ts';
import type { HubSpotWorld } from './support.ts';
import { hubspotWorld } from './support.ts';

let world: HubSpotWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

interface Company {
  id: string;
  properties: Record<string, string | null>;
}

const companyProperties =
  'hs_ideal_customer_profile,hs_is_target_account,abm_score,abm_sla_status,abm_tier_reason,abm_last_sync,hubspot_owner_id';

describe('sync with HubSpot, end to end', () => {
  it('prepares the portal, pulls it in full, and writes tier, target flag and ABM properties back', async () => {
    world = await hubspotWorld(200);
    expect(await world.deps.connector.prepare()).toMatchObject({ ok: true });

    const first = await syncTenant(world.deps);

    expect(first).toMatchObject({
      ok: true,
      value: { pulled: { accounts: 200 }, computed: 200, written: 200 },
    });
    const page = await world.api<{ results: Company[] }>(
      `/crm/v3/objects/companies?limit=100&properties=${companyProperties}`,
    );
    expect(
      page.results.every(
        (company) => company.properties.abm_score !== null && company.properties.abm_last_sync,
      ),
    ).toBe(true);
    for (const company of page.results) {
      expect(company.properties.hs_is_target_account).toBe(
        String(company.properties.hs_ideal_customer_profile !== null),
      );
    }
  });

  it('writes nothing again when nothing changed', async () => {
    world = await hubspotWorld(150);
    await world.deps.connector.prepare();
    await syncTenant(world.deps);
    const second = await syncTenant(world.deps);
    expect(second).toMatchObject({ ok: true, value: { written: 0, tasksSent: 0 } });
  });

  it('reflects a deleted and a merged company', async () => {
    world = await hubspotWorld(150);
    await world.deps.connector.prepare();
    await syncTenant(world.deps);
    const { results } = await world.api<{ results: Company[] }>('/crm/v3/objects/companies?limit=3');
    const [gone, survivor, merged] = results;
    if (!gone || !survivor || !merged) throw new Error('seed too small');
    world.advance(60_000);
    await world.api(`/crm/v3/objects/companies/${gone.id}`, { method: 'DELETE' });
    await world.api('/crm/v3/objects/companies/merge', {
      method: 'POST',
      body: { primaryObjectId: survivor.id, objectIdToMerge: merged.id },
    });
    world.advance(60_000);

    const second = await syncTenant(world.deps);

    expect(second.ok).toBe(true);
    const contexts = await world.store.loadAccountContexts(
      world.tenant.id,
      [gone.id, survivor.id, merged.id],
      0,
    );
    expect(contexts.map((context) => context.account.crmId)).toEqual([survivor.id]);
  });

  it('turns a tier set in HubSpot into an audited decision and its breached SLA into one task per person', async () => {
    world = await hubspotWorld(150);
    await world.deps.connector.prepare();
    await syncTenant(world.deps);
    const search = await world.api<{ results: Company[] }>('/crm/v3/objects/companies/search', {
      method: 'POST',
      body: {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_ideal_customer_profile', operator: 'NOT_HAS_PROPERTY' },
              { propertyName: 'hubspot_owner_id', operator: 'HAS_PROPERTY' },
            ],
          },
        ],
        properties: ['hubspot_owner_id'],
        limit: 1,
      },
    });
    const [company] = search.results;
    if (!company) throw new Error('no untiered company with an owner');
    world.advance(60_000);
    await world.api(`/crm/v3/objects/companies/${company.id}`, {
      method: 'PATCH',
      body: { properties: { hs_ideal_customer_profile: 'tier_2' } },
    });
    world.advance(60_000);
    await syncTenant(world.deps);

    world.advance(10 * DAY_MS);
    expect(await sweepSlas(world.deps)).toMatchObject({ ok: true });
    expect(await sweepSlas(world.deps)).toMatchObject({ ok: true, value: { tasksSent: 0 } });

    const tasks = await world.api<{ results: { id: string; properties: Record<string, string | null> }[] }>(
      '/crm/v3/objects/tasks?limit=100&properties=hs_task_subject,hubspot_owner_id,abm_alert_key',
    );
    const ours = tasks.results.filter((task) => task.properties.abm_alert_key?.includes(company.id));
    const assignees = ours.map((task) => task.properties.hubspot_owner_id);
    expect(assignees).toContain(company.properties.hubspot_owner_id);
    expect(new Set(assignees).size).toBe(assignees.length);
    const associations = await world.api<{ results: { toObjectId: string | number }[] }>(
      `/crm/v4/objects/tasks/${ours[0]?.id}/associations/companies`,
    );
    expect(associations.results.map((a) => String(a.toObjectId))).toEqual([company.id]);
  });
});
