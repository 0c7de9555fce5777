import { afterEach, describe, expect, it } from 'vitest';

import type { RunningSandbox } from './start.ts';
import { startSandbox } from './start.ts';

// The sandbox runs on the clock it is given, so a demo on a simulated clock gets CRM records stamped in
// the same time as ABM Pilot's own.

let sandbox: RunningSandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

describe('startSandbox', () => {
  it('stamps the records of both emulators with the clock it is given', async () => {
    let now = Date.parse('2031-06-02T08:00:00.000Z');
    sandbox = await startSandbox({
      crms: ['hubspot', 'salesforce'],
      accounts: 100,
      seed: 1,
      referenceDate: new Date(now).toISOString(),
      now: () => now,
    });
    const { hubspot, salesforce } = sandbox;
    now += 90_000;

    const company = await fetch(`${hubspot!.url}/crm/v3/objects/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hubspot!.privateAppToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name: 'Clockwork SA' } }),
    });
    const { createdAt } = (await company.json()) as { createdAt: string };
    expect(Date.parse(createdAt)).toBe(now);

    const token = salesforce!.emulator.issueAccessToken();
    const account = await fetch(`${salesforce!.url}/services/data/v66.0/sobjects/Account`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Clockwork SA' }),
    });
    const { id } = (await account.json()) as { id: string };
    const read = await fetch(`${salesforce!.url}/services/data/v66.0/sobjects/Account/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { CreatedDate } = (await read.json()) as { CreatedDate: string };
    expect(Date.parse(CreatedDate)).toBe(now);
  });
});
