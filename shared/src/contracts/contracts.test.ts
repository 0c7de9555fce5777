import { describe, expect, expectTypeOf, it } from 'vitest';

import { DEFAULT_GOVERNANCE_CONFIG } from '../config/defaults.ts';
import type { TierChangeBody, TierChangeResponse } from './accounts.ts';
import type { ApiContract, ContractBody, ContractQuery, ContractResponse } from './contract.ts';
import { pathParamNames } from './contract.ts';
import { API_CONTRACTS } from './catalog.ts';
import type { ApiOperationId } from './catalog.ts';
import { CONTRACT_EXAMPLES } from './fixtures.ts';
import { isIsoInstantLeaf, issuesOf, jsonLeaves, withExtraKey, withLeaf } from './testSupport.ts';
import {
  accountCardContract,
  approveContract,
  getCostsContract,
  governanceMetricsContract,
  hubspotWebhookContract,
  pendingApprovalsContract,
  postCostsContract,
  putConfigContract,
  putRolesContract,
  rejectContract,
  salesforceWebhookContract,
  tenantAuditContract,
  tierChangeContract,
  triggerSyncContract,
} from './index.ts';

const OPERATIONS = Object.entries(API_CONTRACTS) as [ApiOperationId, ApiContract][];
const anyIssue = (path: readonly (string | number)[]) => ({ path, message: expect.any(String) });
const exampleOf = (operationId: ApiOperationId) => CONTRACT_EXAMPLES[operationId];

/** Objects a schema deliberately leaves open (see their schemas). */
const OPEN_RESPONSES = new Set<ApiOperationId>(['getOpenApiDocument']);

describe.each(OPERATIONS)('%s', (operationId, contract) => {
  const example = exampleOf(operationId);

  it('parses its realistic request and response', () => {
    if (contract.params) expect(issuesOf(contract.params, example.params)).toEqual([]);
    if (contract.query) expect(issuesOf(contract.query, example.query)).toEqual([]);
    if (contract.body) expect(issuesOf(contract.body, example.body)).toEqual([]);
    expect(issuesOf(contract.response, example.response)).toEqual([]);
  });

  it('has an example for exactly the inputs it declares', () => {
    expect(example.params !== undefined).toBe(contract.params !== undefined);
    expect(example.query !== undefined).toBe(contract.query !== undefined);
    expect(example.body !== undefined).toBe(contract.body !== undefined);
  });

  it('declares in its params schema exactly the parameters of its path', () => {
    expect(Object.keys(contract.params?.shape ?? {}).sort()).toEqual(pathParamNames(contract.path).sort());
  });
});

describe.each(OPERATIONS.filter(([, contract]) => contract.params ?? contract.query))(
  '%s parameters',
  (operationId, contract) => {
    const example = exampleOf(operationId);

    it('refuses an unknown query or path parameter, naming it', () => {
      const inputs = [
        [contract.query, example.query],
        [contract.params, example.params],
      ] as const;
      for (const [schema, input] of inputs) {
        if (schema)
          expect(issuesOf(schema, { ...(input as object), debug: '1' })).toEqual([anyIssue(['debug'])]);
      }
    });
  },
);

const instantsOf = (operationId: ApiOperationId) =>
  jsonLeaves(exampleOf(operationId).response).filter(([, value]) => isIsoInstantLeaf(value));

describe.each(OPERATIONS.filter(([operationId]) => instantsOf(operationId).length > 0))(
  '%s instants',
  (operationId, contract) => {
    it('refuses every malformed instant of its response, naming its path', () => {
      const response = exampleOf(operationId).response;
      for (const [path] of instantsOf(operationId)) {
        for (const bad of ['2026-02-30T10:00:00Z', '2026-04-15', '1776244307945', 'yesterday']) {
          expect(issuesOf(contract.response, withLeaf(response, path, bad))).toContainEqual(anyIssue(path));
        }
      }
    });
  },
);

describe.each(OPERATIONS.filter(([operationId]) => !OPEN_RESPONSES.has(operationId)))(
  '%s response',
  (operationId, contract) => {
    it('refuses an unknown key in every object of its response, naming it', () => {
      const response = exampleOf(operationId).response;
      const objectPaths = new Set<string>();
      for (const [path] of jsonLeaves(response)) {
        for (let depth = 0; depth < path.length; depth += 1)
          objectPaths.add(JSON.stringify(path.slice(0, depth)));
      }
      for (const encoded of objectPaths) {
        const path = JSON.parse(encoded) as (string | number)[];
        const container = path.reduce<unknown>(
          (value, key) => (value as Record<string, unknown>)[key],
          response,
        );
        if (Array.isArray(container) || isFreeKeyed(operationId, path)) continue;
        expect(issuesOf(contract.response, withExtraKey(response, path, 'zzUnknown'))).toContainEqual(
          anyIssue([...path, 'zzUnknown']),
        );
      }
    });
  },
);

/** Maps keyed by ids or names (role assignments, run counts, readiness checks) take any key. */
function isFreeKeyed(operationId: ApiOperationId, path: readonly (string | number)[]): boolean {
  const last = path[path.length - 1];
  return (
    ((operationId === 'getRoles' || operationId === 'putRoles') && last === 'users') ||
    (operationId === 'getSyncStatus' && last === 'counts') ||
    (operationId === 'readyz' && last === 'checks')
  );
}

describe('the contract catalogue', () => {
  it('gives routes the parsed types of each contract', () => {
    const query = pendingApprovalsContract.query.parse({ userId: '81239999' });
    expect(query.limit).toBe(50);
    expectTypeOf<ContractQuery<typeof pendingApprovalsContract>['limit']>().toEqualTypeOf<number>();
    expectTypeOf<ContractBody<typeof tierChangeContract>>().toEqualTypeOf<TierChangeBody>();
    expectTypeOf<ContractResponse<typeof tierChangeContract>>().toEqualTypeOf<TierChangeResponse>();
  });

  it('gives every operation a distinct method and path, under /api/v1 except the health checks', () => {
    const routes = OPERATIONS.map(([, contract]) => `${contract.method} ${contract.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    for (const [, contract] of OPERATIONS) {
      if (contract.path !== '/healthz' && contract.path !== '/readyz')
        expect(contract.path).toMatch(/^\/api\/v1\//);
    }
  });

  it('lets every authenticated endpoint answer unauthorized, and every input-taking one invalid_request', () => {
    for (const [, contract] of OPERATIONS) {
      if (contract.auth !== 'public') expect(contract.errors).toContain('unauthorized');
      if (contract.params || contract.query || contract.body)
        expect(contract.errors).toContain('invalid_request');
      if (contract.body) expect(contract.errors).toContain('payload_too_large');
    }
  });
});

describe('inputs', () => {
  it('names the path of a wrong enum value', () => {
    const body = { toTier: 'tier_4', idempotencyKey: 'key-00000001' };
    expect(issuesOf(tierChangeContract.body, body)).toEqual([anyIssue(['toTier'])]);
    const query = { userId: '81239999', role: 'ceo' };
    expect(issuesOf(pendingApprovalsContract.query, query)).toEqual([anyIssue(['role'])]);
    const card = withLeaf(CONTRACT_EXAMPLES.getAccountCard.response, ['slas', 0, 'status'], 'late');
    expect(issuesOf(accountCardContract.response, card)).toEqual([anyIssue(['slas', 0, 'status'])]);
  });

  it('takes null as the untargeted tier and refuses a missing target', () => {
    expect(tierChangeContract.body.parse({ toTier: null, idempotencyKey: 'key-00000001' }).toTier).toBeNull();
    expect(issuesOf(tierChangeContract.body, { idempotencyKey: 'key-00000001' })).toEqual([
      anyIssue(['toTier']),
    ]);
  });

  it('trims reasons and comments, and refuses a rejection whose comment is blank', () => {
    const parsed = tierChangeContract.body.parse({
      toTier: 'tier_3',
      reason: '  why not  ',
      idempotencyKey: 'key-00000001',
    });
    expect(parsed.reason).toBe('why not');
    expect(issuesOf(rejectContract.body, { comment: '   ' })).toEqual([anyIssue(['comment'])]);
    expect(issuesOf(rejectContract.body, {})).toEqual([anyIssue(['comment'])]);
    expect(approveContract.body.parse({})).toEqual({});
  });

  it('refuses an idempotency key too short to be unique', () => {
    expect(issuesOf(tierChangeContract.body, { toTier: 'tier_2', idempotencyKey: 'abc' })).toEqual([
      anyIssue(['idempotencyKey']),
    ]);
  });

  it('reads query integers from digits only, with their default and bounds', () => {
    const base = { userId: '81239999' };
    expect(pendingApprovalsContract.query.parse({ ...base, limit: '20' }).limit).toBe(20);
    expect(pendingApprovalsContract.query.parse(base).limit).toBe(50);
    for (const limit of ['0', '201', '1e2', '', '-1', '2.5']) {
      expect(issuesOf(pendingApprovalsContract.query, { ...base, limit })).toEqual([anyIssue(['limit'])]);
    }
    // Express reads a repeated parameter as an array.
    expect(issuesOf(pendingApprovalsContract.query, { ...base, limit: ['1', '2'] })).toEqual([
      anyIssue(['limit']),
    ]);
  });

  it('requires the acting user on card calls and refuses a malformed one', () => {
    expect(issuesOf(tenantAuditContract.query, {})).toEqual([anyIssue(['userId'])]);
    expect(issuesOf(tenantAuditContract.query, { userId: '../admin' })).toEqual([anyIssue(['userId'])]);
    expect(issuesOf(accountCardContract.params, { crmId: 'a'.repeat(65) })).toEqual([anyIssue(['crmId'])]);
  });

  it('refuses a metrics period that ends before it starts, or a malformed bound', () => {
    const query = { userId: '81239999', from: '2026-04-01T00:00:00Z', to: '2026-01-01T00:00:00+01:00' };
    expect(issuesOf(governanceMetricsContract.query, query)).toEqual([anyIssue(['to'])]);
    expect(issuesOf(governanceMetricsContract.query, { ...query, from: '2026-01-01' })).toEqual([
      anyIssue(['from']),
    ]);
    expect(issuesOf(governanceMetricsContract.query, { ...query, to: '2026-04-01T02:00:00+02:00' })).toEqual(
      [],
    );
  });

  it('takes a cost line with either an amount or, for sales time, hours', () => {
    const line = (extra: object) => ({ lines: [{ period: '2026-03', category: 'content', ...extra }] });
    const both = { lines: [{ period: '2026-03', category: 'sales_time', amount: 10, hours: 2 }] };
    expect(issuesOf(postCostsContract.body, both)).toEqual([anyIssue(['lines', 0, 'amount'])]);
    expect(
      issuesOf(postCostsContract.body, { lines: [{ period: '2026-03', category: 'sales_time', hours: 2 }] }),
    ).toEqual([]);
    expect(issuesOf(postCostsContract.body, line({}))).toEqual([anyIssue(['lines', 0, 'amount'])]);
    expect(issuesOf(postCostsContract.body, line({ hours: 2 }))).toEqual([anyIssue(['lines', 0, 'hours'])]);
    expect(issuesOf(postCostsContract.body, line({ amount: -1 }))).toEqual([
      anyIssue(['lines', 0, 'amount']),
    ]);
    expect(issuesOf(postCostsContract.body, line({ amount: 1, period: '2026-13' }))).toEqual([
      anyIssue(['lines', 0, 'period']),
    ]);
    expect(issuesOf(postCostsContract.body, { lines: [] })).toEqual([anyIssue(['lines'])]);
    expect(issuesOf(getCostsContract.query, { from: 'March' })).toEqual([anyIssue(['from'])]);
  });

  it('maps users to distinct roles, by CRM user id', () => {
    expect(issuesOf(putRolesContract.body, { users: { '81234567': ['marketer', 'marketer'] } })).toEqual([
      anyIssue(['users', '81234567']),
    ]);
    expect(issuesOf(putRolesContract.body, { users: { 'not an id': ['marketer'] } })).toEqual([
      anyIssue(['users', 'not an id']),
    ]);
    expect(issuesOf(putRolesContract.body, { users: { '81234567': ['intern'] } })).toEqual([
      anyIssue(['users', '81234567', 0]),
    ]);
  });

  it('validates a new config with the domain schema, without a version of its own', () => {
    const body = CONTRACT_EXAMPLES.putConfig.body as Record<string, unknown>;
    expect(issuesOf(putConfigContract.body, { ...body, version: 7 })).toEqual([anyIssue(['version'])]);
    const inverted = {
      ...body,
      tiers: { ...DEFAULT_GOVERNANCE_CONFIG.tiers, thresholds: { tier_1: 30, tier_2: 55, tier_3: 75 } },
    };
    expect(issuesOf(putConfigContract.body, inverted)).toContainEqual(anyIssue(['tiers', 'thresholds']));
    expect(issuesOf(putConfigContract.body, withLeaf(body, ['basedOnVersion'], undefined))).toEqual([
      anyIssue(['basedOnVersion']),
    ]);
    expect(putConfigContract.body.parse({ ...body, basedOnVersion: null }).basedOnVersion).toBeNull();
  });

  it('takes an empty sync trigger and refuses unknown options', () => {
    expect(triggerSyncContract.body.parse({})).toEqual({});
    expect(issuesOf(triggerSyncContract.body, { everything: true })).toEqual([anyIssue(['everything'])]);
  });

  it('keeps fields HubSpot adds to webhook events, and refuses events without the ones the server reads', () => {
    const [event] = CONTRACT_EXAMPLES.receiveHubSpotWebhook.body as Record<string, unknown>[];
    const withNewField = [{ ...event, sourceId: 'userId:81234567', isSensitive: false }];
    expect(hubspotWebhookContract.body.parse(withNewField)[0]).toMatchObject({ sourceId: 'userId:81234567' });
    const withoutObject = withLeaf(event, ['objectId'], undefined);
    expect(issuesOf(hubspotWebhookContract.body, [event, withoutObject])).toEqual([
      anyIssue([1, 'objectId']),
    ]);
    expect(issuesOf(hubspotWebhookContract.body, [{ ...event, occurredAt: '2026-04-15T10:00:00Z' }])).toEqual(
      [anyIssue([0, 'occurredAt'])],
    );
    expect(issuesOf(hubspotWebhookContract.body, [])).toEqual([anyIssue([])]);
    expect(issuesOf(hubspotWebhookContract.body, event)).toEqual([anyIssue([])]);
  });

  it('takes Salesforce hints with 15- or 18-character ids of known objects only', () => {
    const hint = (sobject: string, id: string) => ({ records: [{ sobject, id }] });
    expect(issuesOf(salesforceWebhookContract.body, hint('Account', '0015g00000XyZab'))).toEqual([]);
    expect(issuesOf(salesforceWebhookContract.body, hint('Account', '0015g00000XyZabAA'))).toEqual([
      anyIssue(['records', 0, 'id']),
    ]);
    expect(issuesOf(salesforceWebhookContract.body, hint('Lead', '00Q5g00000XyZab'))).toEqual([
      anyIssue(['records', 0, 'sobject']),
    ]);
  });
});
