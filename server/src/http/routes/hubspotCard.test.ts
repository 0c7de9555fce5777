import { AccountCardResponseSchema, ApiErrorSchema, TierChangeResponseSchema } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { owner, page } from '../../store/sqlite/testSupport.ts';
import { SIGNATURE_MAX_AGE_MS, signV3 } from '../hubspotSignature.ts';
import type { DatabaseDump, Harness } from './apiTestHarness.ts';
import {
  giveRoles,
  HUBSPOT,
  hubspotHeaders,
  NOW,
  openDatabaseDump,
  seedAccounts,
  startApi,
  TENANT_A,
  TENANT_C,
} from './apiTestHarness.ts';

// The HubSpot card path as HubSpot's proxy calls it: over real HTTP, signed v3 over the public URL the app
// is configured with, the portal and user in the signed query. Portal A (111) is the caller; portal C (222)
// is the neighbour whose data must never show.

let api: Harness;
let database: DatabaseDump;
beforeEach(async () => {
  api = await startApi();
  await seedAccounts(api, TENANT_A.id, { a1: {}, a2: {} });
  await seedAccounts(api, TENANT_C.id, { c1: {} });
  await giveRoles(api, TENANT_A.id, { u1: ['abm_manager'] });
  database = openDatabaseDump(api);
});
afterEach(async () => {
  database.close();
  await api.close();
});

const CALLER = 'portalId=111&userId=u1';
const cardPath = (crmId: string, caller = CALLER) => `/api/v1/accounts/${crmId}/card?${caller}`;
const tierChangePath = (crmId: string) => `/api/v1/accounts/${crmId}/tier-change?${CALLER}`;

interface Signed {
  readonly method: 'GET' | 'POST';
  readonly pathAndQuery: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** A request exactly as HubSpot would send it; sending the same value twice is HubSpot's retry. */
function signed(
  method: 'GET' | 'POST',
  pathAndQuery: string,
  body?: unknown,
  options: { timestamp?: number; secret?: string } = {},
): Signed {
  const raw = body === undefined ? undefined : JSON.stringify(body);
  return {
    method,
    pathAndQuery,
    headers: {
      ...hubspotHeaders(method, pathAndQuery, raw ?? '', options),
      ...(raw === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(raw === undefined ? {} : { body: raw }),
  };
}

async function send(request: Signed, pathAndQuery = request.pathAndQuery) {
  const response = await fetch(`${api.url}${pathAndQuery}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, text: await response.text() };
}

const errorCodeOf = (text: string) => ApiErrorSchema.parse(JSON.parse(text)).error.code;

const tierChanges = async (crmId: string) =>
  (await api.temp.store.accountAudit(TENANT_A.id, crmId, { limit: 100 })).entries.filter(
    (entry) => entry.action === 'tier_change',
  );

describe('the HubSpot card over signed HTTP', () => {
  it('serves the card of a signed request for its portal and user', async () => {
    const { status, text } = await send(signed('GET', cardPath('a1')));

    expect(status).toBe(200);
    expect(AccountCardResponseSchema.parse(JSON.parse(text))).toMatchObject({
      crm: { system: 'hubspot', tenantExternalId: '111', crmId: 'a1', name: 'Account a1' },
      viewer: { userId: 'u1', governanceRoles: ['abm_manager'] },
      tier: { assigned: 'tier_2' },
    });
  });

  it('acts as the owner the signed HubSpot user signs in as, with the roles mapped to that owner id', async () => {
    await api.temp.store.savePage(
      TENANT_A.id,
      page('owners', [owner('9001', { name: 'Olivia Owner', loginUserId: '777' })]),
      NOW,
    );
    await giveRoles(api, TENANT_A.id, { '9001': ['marketer'] });

    const { status, text } = await send(signed('GET', cardPath('a1', 'portalId=111&userId=777')));

    expect(status).toBe(200);
    expect(AccountCardResponseSchema.parse(JSON.parse(text)).viewer).toEqual({
      userId: '9001',
      name: 'Olivia Owner',
      governanceRoles: ['marketer'],
    });
  });

  it('checks the signature against the configured public URL, not the address the server listens on', async () => {
    const path = cardPath('a1');
    const overLocalUrl = signed('GET', path);
    const local = await fetch(`${api.url}${path}`, {
      headers: {
        ...overLocalUrl.headers,
        // Signed over http://127.0.0.1:port/... instead of the public https origin HubSpot called.
        'x-hubspot-signature-v3': signV3(
          HUBSPOT.clientSecret,
          'GET',
          `${api.url}${path}`,
          '',
          String(NOW),
        ).toString('base64'),
      },
    });

    expect(local.status).toBe(401);
    expect(errorCodeOf(await local.text())).toBe('unauthorized');
  });
});

describe('a tier change retried by HubSpot', () => {
  it('makes one change and one audit entry, and answers the retry exactly as the first call', async () => {
    const request = signed('POST', tierChangePath('a1'), {
      toTier: 'tier_3',
      reason: 'Went quiet after the pilot',
      idempotencyKey: 'hs-retry-0001',
    });

    const first = await send(request);
    const afterFirst = database.dump();
    const retry = await send(request);

    expect(first.status).toBe(200);
    expect(TierChangeResponseSchema.parse(JSON.parse(first.text))).toMatchObject({ outcome: 'applied' });
    expect(retry).toEqual(first);
    expect(database.dump()).toBe(afterFirst);
    expect(await tierChanges('a1')).toHaveLength(1);
    // No CRM is connected to this API: the change waits in the outbox, once.
    expect(await api.temp.store.pendingAccountWrites(TENANT_A.id, 10, ['a1'])).toMatchObject([
      { crmId: 'a1', fields: { tier: 'tier_3' } },
    ]);
    const card = AccountCardResponseSchema.parse(
      JSON.parse((await send(signed('GET', cardPath('a1')))).text),
    );
    expect(card.tier.assigned).toBe('tier_3');
  });

  it('makes one change when the retry arrives while the first call is still in flight', async () => {
    const request = signed('POST', tierChangePath('a2'), {
      toTier: 'tier_3',
      reason: 'Went quiet after the pilot',
      idempotencyKey: 'hs-retry-0003',
    });

    const [first, retry] = await Promise.all([send(request), send(request)]);

    expect(first.status).toBe(200);
    expect(retry).toEqual(first);
    expect(await tierChanges('a2')).toHaveLength(1);
  });

  it('refuses the same key with another body instead of replaying the first answer', async () => {
    const body = { toTier: 'tier_3', reason: 'Went quiet', idempotencyKey: 'hs-retry-0002' };
    expect((await send(signed('POST', tierChangePath('a1'), body))).status).toBe(200);
    const afterFirst = database.dump();

    const reused = await send(signed('POST', tierChangePath('a1'), { ...body, toTier: 'tier_1' }));

    expect(reused.status).toBe(422);
    expect(errorCodeOf(reused.text)).toBe('idempotency_key_reused');
    expect(database.dump()).toBe(afterFirst);
    expect(await tierChanges('a1')).toHaveLength(1);
  });
});

describe('replayed and forged signatures', () => {
  it('refuses with 401 a captured request replayed more than five minutes after it was signed', async () => {
    const atLimit = signed('GET', cardPath('a1'), undefined, { timestamp: NOW - SIGNATURE_MAX_AGE_MS });
    const replayed = signed('GET', cardPath('a1'), undefined, { timestamp: NOW - SIGNATURE_MAX_AGE_MS - 1 });

    expect((await send(atLimit)).status).toBe(200);
    const refused = await send(replayed);
    expect(refused.status).toBe(401);
    expect(errorCodeOf(refused.text)).toBe('unauthorized');
  });

  it('reads signature timestamps on HubSpot’s clock when the server runs on another (the demo’s)', async () => {
    const wallClock = NOW - 3 * 86_400_000;
    const ahead = await startApi({ hubspotClock: () => wallClock });
    try {
      await seedAccounts(ahead, TENANT_A.id, { a1: {} });
      const sendAt = async (timestamp: number) =>
        (
          await fetch(`${ahead.url}${cardPath('a1')}`, {
            headers: hubspotHeaders('GET', cardPath('a1'), '', { timestamp }),
          })
        ).status;
      expect(await sendAt(wallClock)).toBe(200);
      expect(await sendAt(NOW)).toBe(401);
    } finally {
      await ahead.close();
    }
  });

  it('writes nothing for a replayed tier change outside the window', async () => {
    const before = database.dump();
    const replayed = signed(
      'POST',
      tierChangePath('a1'),
      { toTier: 'tier_3', reason: 'Went quiet', idempotencyKey: 'hs-replay-0001' },
      { timestamp: NOW - 10 * 60_000 },
    );

    const refused = await send(replayed);

    expect(refused.status).toBe(401);
    expect(errorCodeOf(refused.text)).toBe('unauthorized');
    expect(database.dump()).toBe(before);
  });

  it("never shows another portal's data for a signature made over portal 111 and sent for portal 222", async () => {
    const forPortalA = signed('GET', cardPath('c1'));

    const swapped = await send(forPortalA, cardPath('c1', 'portalId=222&userId=u1'));
    const doubled = await send(signed('GET', cardPath('c1', 'portalId=111&userId=u1&portalId=222')));
    const otherApp = await send(
      signed('GET', cardPath('c1', 'portalId=222&userId=u1'), undefined, { secret: 'another-apps-secret' }),
    );

    for (const answer of [swapped, doubled, otherApp]) {
      expect(answer.status).toBe(401);
      expect(errorCodeOf(answer.text)).toBe('unauthorized');
      expect(answer.text).not.toContain('c1');
    }
  });

  it("answers 404 when portal 222's signed user asks for portal 111's account", async () => {
    const answer = await send(signed('GET', cardPath('a1', 'portalId=222&userId=u1')));

    expect(answer.status).toBe(404);
    expect(errorCodeOf(answer.text)).toBe('not_found');
    expect(answer.text).not.toContain('Account a1');
  });
});

describe("another tenant's account", () => {
  it('answers the card of a neighbour portal exactly as a missing one', async () => {
    const neighbours = await send(signed('GET', cardPath('c1')));
    const missing = await send(signed('GET', cardPath('zz9')));

    expect(neighbours.status).toBe(404);
    expect(neighbours).toEqual(missing);
    expect(errorCodeOf(neighbours.text)).toBe('not_found');
  });

  it("answers a tier change on a neighbour's account exactly as on a missing one, and changes nothing", async () => {
    const before = database.dump();
    const body = (key: string) => ({ toTier: 'tier_1', reason: 'Big deal', idempotencyKey: key });

    const neighbours = await send(signed('POST', tierChangePath('c1'), body('hs-cross-0001')));
    const missing = await send(signed('POST', tierChangePath('zz9'), body('hs-cross-0002')));

    expect(neighbours.status).toBe(404);
    expect(neighbours).toEqual(missing);
    expect(database.dump()).toBe(before);
  });
});

describe('oversize bodies', () => {
  it('answers 413 to a signed tier change above the body limit, and writes nothing', async () => {
    const before = database.dump();
    const huge = signed('POST', tierChangePath('a1'), {
      toTier: 'tier_3',
      reason: 'x'.repeat(300 * 1024),
      idempotencyKey: 'hs-huge-0001',
    });

    const answer = await send(huge);

    expect(answer.status).toBe(413);
    expect(errorCodeOf(answer.text)).toBe('payload_too_large');
    expect(database.dump()).toBe(before);
  });
});
