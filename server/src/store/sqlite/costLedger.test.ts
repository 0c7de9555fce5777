import type { MetricsCostLine } from '@abm-pilot/shared';
import { computeRoiAtFullCost, DEFAULT_GOVERNANCE_CONFIG } from '@abm-pilot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { TempStore } from './testSupport.ts';
import { openTempStore, T0, TENANT_A, TENANT_B } from './testSupport.ts';

const A = TENANT_A.id;
const B = TENANT_B.id;
const entry = { at: T0, by: 'admin-1' };

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('the cost ledger', () => {
  it('appends lines and lists them by month, keeping absent amounts, hours and notes absent', async () => {
    const saved = await temp.store.appendCostLines(
      A,
      [
        { period: '2026-02', category: 'content', amount: 5000, note: 'case studies' },
        { period: '2026-01', category: 'sales_time', hours: 120 },
        { period: '2026-01', category: 'programme_budget', amount: 20_000 },
      ],
      entry,
    );
    expect(saved.map((line) => line.id)).toEqual([...saved.map((line) => line.id)].sort((x, y) => x - y));
    expect(saved[1]).toEqual({
      id: saved[1]!.id,
      period: '2026-01',
      category: 'sales_time',
      hours: 120,
      enteredAt: T0,
      enteredBy: 'admin-1',
    });
    const listed = await temp.store.costLines(A);
    expect(listed.map((line) => [line.period, line.category])).toEqual([
      ['2026-01', 'programme_budget'],
      ['2026-01', 'sales_time'],
      ['2026-02', 'content'],
    ]);
    expect(listed).toEqual(expect.arrayContaining([...saved]));
    expect(Object.keys(listed[1]!)).not.toContain('amount');
  });

  it('lists an inclusive range of months, either bound open', async () => {
    const months = ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];
    await temp.store.appendCostLines(
      A,
      months.map((period) => ({ period, category: 'technology', amount: 100 })),
      entry,
    );
    const periods = async (range: { from?: string; to?: string }) =>
      (await temp.store.costLines(A, range)).map((line) => line.period);
    expect(await periods({ from: '2025-12', to: '2026-02' })).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(await periods({ from: '2026-02' })).toEqual(['2026-02', '2026-03']);
    expect(await periods({ to: '2025-11' })).toEqual(['2025-11']);
    expect(await periods({ from: '2026-04' })).toEqual([]);
  });

  it('supersedes the current lines of the same month and category in replace mode, keeping the others', async () => {
    await temp.store.appendCostLines(
      A,
      [
        { period: '2026-01', category: 'content', amount: 100 },
        { period: '2026-01', category: 'content', amount: 200 },
        { period: '2026-01', category: 'training', amount: 50 },
        { period: '2026-02', category: 'content', amount: 300 },
      ],
      entry,
    );
    await temp.store.appendCostLines(A, [{ period: '2026-01', category: 'content', amount: 250 }], {
      at: T0 + 1,
      by: 'admin-2',
      mode: 'replace',
    });
    const listed = await temp.store.costLines(A);
    expect(listed.map((line) => [line.period, line.category, line.amount])).toEqual([
      ['2026-01', 'content', 250],
      ['2026-01', 'training', 50],
      ['2026-02', 'content', 300],
    ]);
  });

  it('feeds the domain ROI as it is', async () => {
    await temp.store.appendCostLines(
      A,
      [
        { period: '2026-01', category: 'programme_budget', amount: 10_000 },
        { period: '2026-01', category: 'sales_time', hours: 10 },
      ],
      entry,
    );
    const ledger: readonly MetricsCostLine[] = await temp.store.costLines(A);
    const january = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) };
    const roi = computeRoiAtFullCost(0, ledger, january, DEFAULT_GOVERNANCE_CONFIG.costs);
    expect(roi.costByCategory.programme_budget).toBe(10_000);
    expect(roi.valuedSalesHours).toBe(10);
  });

  it('refuses a month not spelled YYYY-MM, saving none of the batch', async () => {
    await expect(
      temp.store.appendCostLines(
        A,
        [
          { period: '2026-01', category: 'content', amount: 1 },
          { period: '2026-1', category: 'content', amount: 1 },
        ],
        entry,
      ),
    ).rejects.toThrow(/YYYY-MM/);
    await expect(temp.store.costLines(A, { from: '2026-13' })).rejects.toThrow(/YYYY-MM/);
    expect(await temp.store.costLines(A)).toEqual([]);
  });

  it("keeps each tenant's ledger to itself", async () => {
    await temp.store.appendCostLines(A, [{ period: '2026-01', category: 'content', amount: 1 }], entry);
    await temp.store.appendCostLines(B, [{ period: '2026-01', category: 'content', amount: 2 }], {
      ...entry,
      mode: 'replace',
    });
    expect((await temp.store.costLines(A)).map((line) => line.amount)).toEqual([1]);
    expect((await temp.store.costLines(B)).map((line) => line.amount)).toEqual([2]);
  });
});
