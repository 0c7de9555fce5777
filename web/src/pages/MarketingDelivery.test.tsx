// @vitest-environment jsdom
import type { MarketingDeliveryResponse } from '@abm-pilot/shared';
import { MarketingDeliveryResponseSchema } from '@abm-pilot/shared';
import { CONTRACT_EXAMPLES } from '@abm-pilot/shared/fixtures';
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { I18nProvider } from '../i18n.tsx';
import { MarketingDeliverySection, MarketingDeliveryView } from './MarketingDelivery.tsx';

// The dashboard's marketing-delivery section in a real React tree (jsdom), from the server's recorded
// answer: March 2026 closed short of tier 1 MQAs; April so far, tier 2 behind and under the acceptance minimum.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

const RECORDED: MarketingDeliveryResponse = MarketingDeliveryResponseSchema.parse(
  CONTRACT_EXAMPLES.getMarketingDelivery.response,
);

let container: HTMLElement;
let root: Root;
beforeEach(() => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function show(report: MarketingDeliveryResponse, language = 'en-US') {
  vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue([language]);
  await act(async () =>
    root.render(
      <I18nProvider>
        <MarketingDeliveryView report={report} />
      </I18nProvider>,
    ),
  );
}

/** The cells of each body row of the table captioned `caption` (French's no-break spaces as spaces). */
function rowsOf(caption: string): string[][] {
  const table = [...container.querySelectorAll('table')].find(
    (candidate) => candidate.querySelector('caption')?.textContent === caption,
  );
  if (table === undefined) throw new Error(`no table "${caption}"`);
  return [...table.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('td, th')].map((cell) =>
      (cell.textContent ?? '').replace(/[\u00a0\u202f]/g, ' '),
    ),
  );
}

describe('marketing delivery on the dashboard', () => {
  it('shows the month so far per tier: delivered against the prorated commitment, acceptance against the minimum', async () => {
    await show(RECORDED);
    expect(container.textContent).toContain('Apr 2026 so far');
    expect(rowsOf('Marketing delivery this month')).toEqual([
      ['Tier 1', '3', '3', '100.0%', '60.0%', 'On track'],
      ['Tier 2', '7', '8', '50.0%', '60.0%', 'Behind'],
      ['Tier 3', '20', '20', '75.0%', '60.0%', 'On track'],
    ]);
  });

  it('shows each closed month per tier, met or missed', async () => {
    await show(RECORDED);
    expect(rowsOf('Marketing delivery by closed month')).toEqual([
      ['Mar 2026', 'Tier 1', '4', '5', '75.0%', '60.0%', 'Missed'],
      ['Mar 2026', 'Tier 2', '16', '15', '66.7%', '60.0%', 'Met'],
      ['Mar 2026', 'Tier 3', '42', '40', '75.0%', '60.0%', 'Met'],
    ]);
    const missed = container.querySelector('.verdict.missed');
    expect(missed?.textContent).toBe('Missed');
  });

  it('says so when no month has closed yet, and when the month has only just begun', async () => {
    await show({ ...RECORDED, currentMonth: null, months: [] });
    expect(container.textContent).toContain('The month has only just begun');
    expect(container.textContent).toContain('No month has closed since ABM Pilot started measuring');
    expect(container.querySelectorAll('table')).toHaveLength(0);
  });

  it('reads in French with French numbers', async () => {
    await show(RECORDED, 'fr-FR');
    expect(rowsOf('Livraison marketing ce mois-ci')[1]).toEqual([
      'Tier 2',
      '7',
      '8',
      '50,0 %',
      '60,0 %',
      'En retard',
    ]);
    expect(rowsOf('Livraison marketing par mois clos')[0]).toEqual([
      'mars 2026',
      'Tier 1',
      '4',
      '5',
      '75,0 %',
      '60,0 %',
      'Manqué',
    ]);
    expect([...container.querySelectorAll('th')].map((cell) => cell.textContent)).toContain('MQA livrés');
  });

  it('reads the months from the server as the signed-in console user, and shows them', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(RECORDED), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['en-US']);
    await act(async () =>
      root.render(
        <I18nProvider>
          <MarketingDeliverySection userId="81234567" />
        </I18nProvider>,
      ),
    );
    const [url] = fetch.mock.calls[0] as unknown as [string];
    const asked = new URL(url, 'https://console.test');
    expect(asked.pathname).toBe('/api/v1/metrics/marketing-delivery');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ userId: '81234567', apiRevision: '4' });
    expect(rowsOf('Marketing delivery by closed month')).toHaveLength(3);
  });
});
