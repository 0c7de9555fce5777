import { DAY_MS } from '@abm-pilot/shared';
import { afterEach, describe, expect, it } from 'vitest';

import { sweepSlas, syncTenant } from '../../server/src/usecases/runSync.ts';
import { metadataFieldName } from '../salesforce/metadata.ts';
import type { SalesforceWorld } from './support.ts';
import { salesforceWorld } from './support.ts';

// Field API names come from the SFDX package that deploys them (salesforce-lwc/), not from copies.
const TIER = metadataFieldName('Account', 'tier');
const TARGET = metadataFieldName('Account', 'target');
const SCORE = metadataFieldName('Account', 'score');
const SLA_STATUS = metadataFieldName('Account', 'slaStatus');
const LAST_SYNC = metadataFieldName('Account', 'lastSync');
const TIER_REASON = metadataFieldName('Account', 'tierReason');
const ALERT_KEY = metadataFieldName('Activity', 'alertKey');

let world: SalesforceWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('sync with Salesforce, end to end', () => {
  it('pulls a seeded org in full, scores every account and writes the ABM fields back', async () => {
    world = await salesforceWorld(200);
    expect(await world.deps.connector.prepare()).toMatchObject({ ok: true });

    const first = await syncTenant(world.deps);

    expect(first).toMatchObject({
      ok: true,
      value: { pulled: { accounts: 200 }, computed: 200, written: 200 },
    });
    const scored = await world.soql(
      `SELECT COUNT() FROM Account WHERE ${SCORE} != null AND ${LAST_SYNC} != null`,
    );
    expect(scored.totalSize).toBe(200);
    const tiered = await world.soql<Record<string, unknown>>(
      `SELECT ${TIER}, ${TARGET} FROM Account WHERE ${TIER} != null`,
    );
    expect(tiered.records.length).toBeGreaterThan(0);
    expect(tiered.records.every((account) => account[TARGET] === true)).toBe(true);
  });

  it('writes nothing again when nothing changed', async () => {
    world = await salesforceWorld(150);
    await syncTenant(world.deps);

    // The second run re-reads the accounts the first one wrote (their SystemModstamp moved) and must see
    // that the CRM already shows what it would write.
    const second = await syncTenant(world.deps);

    expect(second).toMatchObject({ ok: true, value: { written: 0, tasksSent: 0 } });
    if (second.ok) expect(second.value.pulled.accounts).toBeGreaterThan(0);
  });

  it('audits a tier edited in Salesforce, starts its SLA clock, and turns the breach into exactly one task per person', async () => {
    world = await salesforceWorld(150);
    await syncTenant(world.deps);
    const [account] = (
      await world.soql<{ Id: string; OwnerId: string }>(
        `SELECT Id, OwnerId FROM Account WHERE ${TIER} = null ORDER BY Id LIMIT 1`,
      )
    ).records;
    if (!account) throw new Error('seed has no untiered account');
    world.advance(60_000);
    await world.patch('Account', account.Id, { [TIER]: 'Tier 1' });
    world.advance(60_000);

    await syncTenant(world.deps);
    const audit = await world.store.accountAudit(world.tenant.id, account.Id, { limit: 10 });
    expect(audit.entries).toMatchObject([
      { action: 'out_of_app_edit', outcome: 'audited', toTier: 'tier_1' },
    ]);

    world.advance(10 * DAY_MS);
    const sweep = await sweepSlas(world.deps);
    expect(sweep).toMatchObject({ ok: true });
    const again = await sweepSlas(world.deps);
    expect(again).toMatchObject({ ok: true, value: { tasksSent: 0 } });

    const tasks = await world.soql<{ OwnerId: string; Subject: string; WhatId: string; Status: string }>(
      `SELECT OwnerId, Subject, WhatId, Status FROM Task WHERE WhatId = '${account.Id}' AND ${ALERT_KEY} != null`,
    );
    const owners = tasks.records.map((task) => task.OwnerId);
    expect(owners).toContain(account.OwnerId);
    expect(new Set(owners).size).toBe(owners.length);
    expect(tasks.records.find((task) => task.OwnerId === account.OwnerId)?.Subject).toMatch(
      /^SLA breached: log a first touch/,
    );
    const state = await world.soql<Record<string, unknown>>(
      `SELECT ${SLA_STATUS} FROM Account WHERE Id = '${account.Id}'`,
    );
    expect(state.records[0]?.[SLA_STATUS]).toBe('breached');
  });

  it("writes an SLA task in the language its Salesforce user works in, and the tier reason in the org's", async () => {
    world = await salesforceWorld(120);
    await syncTenant(world.deps);
    const [speaker] = (
      await world.soql<{ Id: string }>(
        `SELECT Id FROM User WHERE LanguageLocaleKey = 'fr' ORDER BY Id LIMIT 1`,
      )
    ).records;
    const [account] = (
      await world.soql<{ Id: string }>(`SELECT Id FROM Account WHERE ${TIER} = null ORDER BY Id LIMIT 1`)
    ).records;
    if (!speaker || !account) throw new Error('seed has no French-speaking user or no untiered account');
    // The account goes to a rep who works in French.
    await world.patch('Account', account.Id, { OwnerId: speaker.Id });
    world.advance(60_000);
    await world.patch('Account', account.Id, { [TIER]: 'Tier 1' });
    world.advance(60_000);
    await syncTenant(world.deps);
    world.advance(10 * DAY_MS);
    await sweepSlas(world.deps);

    const tasks = await world.soql<{ OwnerId: string; Subject: string }>(
      `SELECT OwnerId, Subject FROM Task WHERE WhatId = '${account.Id}' AND ${ALERT_KEY} != null`,
    );
    expect(tasks.records.find((task) => task.OwnerId === speaker.Id)?.Subject).toMatch(
      /^SLA dépassé : enregistrer un premier contact sur /,
    );
    const reason = await world.soql<Record<string, unknown>>(
      `SELECT ${TIER_REASON} FROM Account WHERE Id = '${account.Id}'`,
    );
    expect(reason.records[0]?.[TIER_REASON]).toMatch(/^Score \d+: /);
  });

  it('never runs two syncs of one tenant at once', async () => {
    world = await salesforceWorld(120);
    const [a, b] = await Promise.all([
      syncTenant(world.deps),
      syncTenant({ ...world.deps, holder: 'other' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((result) => !result.ok)).toMatchObject({ error: { code: 'sync_in_progress' } });
  });

  it('stops writing as soon as another process has taken the tenant over after its lease lapsed', async () => {
    world = await salesforceWorld(120);
    const w = world;
    let takenOver = false;
    const result = await syncTenant({
      ...w.deps,
      onProgress: () => {
        if (takenOver) return;
        takenOver = true;
        // Another process finds the lease expired (its clock is three minutes on) and takes the tenant.
        void w.store.tryAcquireLease(w.tenant.id, 'other-process', 120_000, w.now() + 180_000);
      },
    });

    expect(result).toMatchObject({ ok: false, error: { code: 'sync_in_progress' } });
    const [run] = await w.store.recentRuns(w.tenant.id, 1);
    expect(run).toMatchObject({ status: 'stopped', error: 'lease_lost' });
    expect(await w.store.tryAcquireLease(w.tenant.id, 'third-process', 1_000, w.now())).toBe(false);
  });
});
