import {
  ApproveBodySchema,
  GovernanceMetricsQuerySchema,
  MarketingDeliveryQuerySchema,
  PortfolioReviewQuerySchema,
  RecordReviewBodySchema,
  RejectBodySchema,
} from '@abm-pilot/shared';
import {
  Alert,
  BarChart,
  Button,
  ErrorState,
  Flex,
  LineChart,
  LoadingButton,
  Select,
  StatisticsItem,
  Statistics,
  StatusTag,
  Table,
  TableCell,
  TableRow,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Answer, Route } from '../../../tests/recorded.ts';
import {
  answerHubSpotFetch,
  nextPortalId,
  apiErrorBody,
  fire,
  ok,
  recorded,
  textContent,
  variant,
} from '../../../tests/recorded.ts';
import { GovernanceHome } from './GovernanceHome.tsx';

// The app home against recorded server answers, through `hubspot.fetch`.

const METRICS = 'GET /api/v1/metrics/governance';
const REVIEW = 'GET /api/v1/portfolio/review';
const APPROVALS = 'GET /api/v1/approvals';
const OVERDUE_ID = '18230045611';
const RECORD_REVIEW = `POST /api/v1/accounts/${OVERDUE_ID}/review`;
const DELIVERY = 'GET /api/v1/metrics/marketing-delivery';
const APPROVAL_ID = 'apr_01HZX3K9T2';
const APPROVE = `POST /api/v1/approvals/${APPROVAL_ID}/approve`;
const REJECT = `POST /api/v1/approvals/${APPROVAL_ID}/reject`;
const NOW = Date.parse('2026-04-15T08:00:00.000Z');
const COMMITTEE_MEMBER = 81239999;

afterEach(() => {
  vi.restoreAllMocks();
});

const standardRoutes = (): Record<string, Route> => ({
  [METRICS]: () => ok(recorded('getGovernanceMetrics')),
  [REVIEW]: () => ok(recorded('getPortfolioReview')),
  [APPROVALS]: () => ok(recorded('listPendingApprovals')),
  [DELIVERY]: () => ok(recorded('getMarketingDelivery')),
});

/** `locale` is the HubSpot user's, as `context.user.locale` gives it; none reads as English. */
function renderHome(routes: Record<string, Route> = {}, userId = COMMITTEE_MEMBER, locale?: string) {
  const portalId = nextPortalId();
  const server = answerHubSpotFetch({ ...standardRoutes(), ...routes }, portalId);
  const renderer = createRenderer('home');
  renderer.mocks.context.portal = { id: portalId, timezone: 'Europe/Paris' };
  renderer.mocks.context.user = {
    ...renderer.mocks.context.user,
    id: userId,
    ...(locale === undefined ? {} : { locale }),
  };
  let keys = 0;
  renderer.render(
    <GovernanceHome context={renderer.mocks.context} now={() => NOW} newKey={() => `review-key-${++keys}`} />,
  );
  const calls = (route: string) => server.sent.filter((r) => `${r.method} ${r.url.pathname}` === route);
  const queryOf = (route: string, index = -1) =>
    Object.fromEntries(calls(route).at(index)?.url.searchParams ?? []);
  return { ...renderer, portalId, server, calls, queryOf };
}

const loaded = async (found: ReturnType<typeof renderHome>) => {
  await found.waitFor(() => {
    found.findByTestId(Statistics, 'headline');
    found.findByTestId(Table, 'drift');
    found.findByTestId(Tile, `approval-${APPROVAL_ID}`);
  });
};

describe('home: governance dashboard', () => {
  it('asks for last quarter of ABM accounts by default, as the contract reads it', async () => {
    const found = renderHome();
    await loaded(found);
    const query = GovernanceMetricsQuerySchema.parse(found.queryOf(METRICS));
    expect(query).toMatchObject({
      portalId: String(found.portalId),
      userId: String(COMMITTEE_MEMBER),
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      tier: 'abm',
    });
  });

  it('charts the portfolio against capacity and the deal size over quarters', async () => {
    const found = renderHome();
    await loaded(found);
    expect(found.findByTestId(BarChart, 'capacity-chart').props.data).toEqual([
      { tier: 'Tier 1', measure: 'Accounts', value: 24 },
      { tier: 'Tier 1', measure: 'Capacity', value: 25 },
      { tier: 'Tier 2', measure: 'Accounts', value: 103 },
      { tier: 'Tier 2', measure: 'Capacity', value: 100 },
      { tier: 'Tier 3', measure: 'Accounts', value: 311 },
      { tier: 'Tier 3', measure: 'Capacity', value: 500 },
    ]);
    const metrics = recorded('getGovernanceMetrics').metrics;
    const wonAbm = metrics.wonDealSizeByQuarter.flatMap((quarter) => {
      const size = quarter.bySegment.abm.averageWonDealSize.value;
      // The server's `2026-Q1` as people write it.
      const label = quarter.quarter.replace(/^(\d{4})-Q(\d)$/, 'Q$2 $1');
      return size === null ? [] : [{ quarter: label, segment: 'All ABM', size }];
    });
    expect(wonAbm.length).toBeGreaterThan(0);
    expect(found.findByTestId(LineChart, 'deal-size-chart').props.data).toEqual(
      expect.arrayContaining(wonAbm),
    );
  });

  it('shows SLA compliance, pipeline contribution, conversion and ROI at full cost', async () => {
    const found = renderHome();
    await loaded(found);
    const headline = found.findByTestId(Statistics, 'headline').findAll(StatisticsItem);
    expect(headline.map((item) => item.props.label)).toEqual([
      'SLA compliance',
      'Open pipeline (All ABM)',
      'Share of open pipeline',
      'ROI at full cost',
    ]);
    expect(headline[0]?.props.number).toBe('100.0%');
    const roi = recorded('getGovernanceMetrics').metrics.roi;
    expect(roi.wonAbmRevenue).toBe(120_000);
    expect(found.findByTestId(Statistics, 'roi').findAll(StatisticsItem)[0]?.props.number).toContain(
      '120,000',
    );
    expect(textContent(found.findByTestId(Table, 'sla-compliance'))).toContain('Sales follow-up');
    const conversion = textContent(found.findByTestId(Table, 'conversion'));
    for (const segment of ['Tier 1', 'Tier 2', 'Tier 3', 'All ABM', 'Non-ABM'])
      expect(conversion).toContain(segment);
  });

  it('re-reads the metrics and the review for the tier and period chosen', async () => {
    const found = renderHome();
    await loaded(found);
    fire(found.findByTestId(Select, 'segment-filter'), 'onChange', 'tier_1');
    await vi.waitFor(() => expect(found.calls(METRICS)).toHaveLength(2));
    expect(GovernanceMetricsQuerySchema.parse(found.queryOf(METRICS)).tier).toBe('tier_1');
    await vi.waitFor(() => expect(found.calls(REVIEW)).toHaveLength(2));
    expect(PortfolioReviewQuerySchema.parse(found.queryOf(REVIEW)).tier).toBe('tier_1');
    fire(found.findByTestId(Select, 'period-filter'), 'onChange', 'this_quarter');
    await vi.waitFor(() => expect(found.calls(METRICS)).toHaveLength(3));
    expect(found.queryOf(METRICS)).toMatchObject({
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-04-15T08:00:00.000Z',
    });
  });

  it('shows the answer to the latest filter even when an earlier answer arrives after it', async () => {
    const pending: ((answer: Answer) => void)[] = [];
    const found = renderHome({ [METRICS]: () => new Promise<Answer>((resolve) => pending.push(resolve)) });
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    fire(found.findByTestId(Select, 'segment-filter'), 'onChange', 'non_abm');
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    const withOpenPipeline = (openAmount: number) =>
      ok(
        variant('getGovernanceMetrics', (response) => ({
          ...response,
          metrics: {
            ...response.metrics,
            pipeline: {
              ...response.metrics.pipeline,
              non_abm: { ...response.metrics.pipeline.non_abm, openAmount },
            },
          },
        })),
      );
    const openPipeline = () =>
      found.findByTestId(Statistics, 'headline').findAll(StatisticsItem)[1]?.props.number;
    pending[1]?.(withOpenPipeline(111));
    await found.waitFor(() => expect(openPipeline()).toContain('111'));
    pending[0]?.(withOpenPipeline(999_999));
    // Let the stale answer run its course (fetch, json, state); the guard must drop it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openPipeline()).toContain('111');
    expect(openPipeline()).not.toContain('999');
  });

  it('explains a refused period in plain words and keeps the rest of the page', async () => {
    const found = renderHome({
      [METRICS]: () => ({
        status: 400,
        body: apiErrorBody('period_too_long', 'The period may span at most 400 quarters.'),
      }),
    });
    await found.waitFor(() => found.findByTestId(ErrorState, 'metrics-failed'));
    expect(textContent(found.findByTestId(ErrorState, 'metrics-failed'))).toContain('at most 400 quarters');
    await found.waitFor(() => found.findByTestId(Tile, `approval-${APPROVAL_ID}`));
  });
});

describe('home: approval queue', () => {
  it('approves in place with a comment and shows the tier applied', async () => {
    const found = renderHome({ [APPROVE]: () => ok(recorded('approveTierChange')) });
    await loaded(found);
    expect(textContent(found.findByTestId(Tile, `approval-${APPROVAL_ID}`))).toContain(
      'Company 18230045611: Tier 2 → Tier 1',
    );
    fire(
      found.findByTestId(TextArea, `approval-${APPROVAL_ID}-comment`),
      'onChange',
      'Renewal justifies 1:1',
    );
    found.findByTestId(Button, `approval-${APPROVAL_ID}-approve`).trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`));
    expect(textContent(found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`))).toBe(
      'The account is now Tier 1. The HubSpot record shows it now.',
    );
    expect(ApproveBodySchema.parse(found.calls(APPROVE)[0]?.body)).toEqual({
      comment: 'Renewal justifies 1:1',
    });
    await vi.waitFor(() => expect(found.calls(APPROVALS)).toHaveLength(2));
  });

  it('asks for a comment before a rejection, then rejects', async () => {
    const found = renderHome({ [REJECT]: () => ok(recorded('rejectTierChange')) });
    await loaded(found);
    found.findByTestId(Button, `approval-${APPROVAL_ID}-reject`).trigger('onClick');
    await found.waitFor(() =>
      expect(
        found.findByTestId(TextArea, `approval-${APPROVAL_ID}-comment`).props.validationMessage,
      ).toContain('needs a comment'),
    );
    expect(found.calls(REJECT)).toHaveLength(0);
    fire(found.findByTestId(TextArea, `approval-${APPROVAL_ID}-comment`), 'onChange', 'tier_1 is full');
    found.findByTestId(Button, `approval-${APPROVAL_ID}-reject`).trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`));
    expect(found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`).props.title).toBe('Rejected');
    expect(RejectBodySchema.parse(found.calls(REJECT)[0]?.body)).toEqual({ comment: 'tier_1 is full' });
  });

  it('shows why a decision was refused, and leaves it open', async () => {
    const found = renderHome({
      [APPROVE]: () => ({
        status: 409,
        body: apiErrorBody('approval_expired', 'This request expired on 28 Apr.'),
      }),
    });
    await loaded(found);
    found.findByTestId(Button, `approval-${APPROVAL_ID}-approve`).trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(TextArea, `approval-${APPROVAL_ID}-comment`).props.validationMessage).toBe(
        'This approval has expired: the change must be requested again. This request expired on 28 Apr.',
      ),
    );
    expect(found.findByTestId(Button, `approval-${APPROVAL_ID}-approve`).props.disabled).toBe(false);
  });

  it("does not offer to decide the viewer's own request", async () => {
    const found = renderHome({}, 81234567);
    await loaded(found);
    expect(found.findByTestId(Text, `approval-${APPROVAL_ID}-own`).text).toContain('another approver');
    expect(found.maybeFindByTestId(Button, `approval-${APPROVAL_ID}-approve`)).toBeNull();
  });

  it('says when nothing waits', async () => {
    const found = renderHome({
      [APPROVALS]: () => ok(variant('listPendingApprovals', () => ({ approvals: [] }))),
    });
    await found.waitFor(() => found.findByTestId(Text, 'no-approvals'));
  });

  it('shows no access to a user whose role may not see the queue', async () => {
    const found = renderHome({
      [APPROVALS]: () => ({ status: 403, body: apiErrorBody('forbidden', 'No.') }),
    });
    await found.waitFor(() => found.findByTestId(ErrorState, 'approvals-no-permission'));
  });
});

/** Intl separates French figures from their units with narrow no-break spaces. */
const spaced = (text: string | undefined) => (text ?? '').replace(/[\u202f\u00a0]/g, ' ');

/** The text of each cell, row by row, of the table with `testId` (header rows have no cells). */
const cellsOf = (found: ReturnType<typeof renderHome>, testId: string) =>
  found
    .findByTestId(Table, testId)
    .findAll(TableRow)
    .map((row) => row.findAll(TableCell).map((cell) => spaced(textContent(cell))))
    .filter((cells) => cells.length > 0);

const deliveryLoaded = (found: ReturnType<typeof renderHome>) =>
  found.waitFor(() => found.findByTestId(Table, 'delivery-months'));

describe('home: marketing delivery', () => {
  it('asks for the recent months as the contract reads it', async () => {
    const found = renderHome();
    await deliveryLoaded(found);
    expect(MarketingDeliveryQuerySchema.parse(found.queryOf(DELIVERY))).toMatchObject({
      portalId: String(found.portalId),
      userId: String(COMMITTEE_MEMBER),
      apiRevision: 4,
      months: 6,
    });
  });

  it('shows per tier the MQAs delivered against the commitment and the acceptance against the minimum, this month so far and each closed month', async () => {
    const found = renderHome();
    await deliveryLoaded(found);
    expect(textContent(found.findByTestId(Flex, 'marketing-delivery'))).toContain(
      'April 2026 so far: each tier’s monthly commitment prorated to the time gone (Europe/Paris calendar).',
    );
    expect(cellsOf(found, 'delivery-current')).toEqual([
      ['Tier 1', '3', '3', '100.0%', '60.0%', 'On track'],
      ['Tier 2', '7', '8', '50.0%', '60.0%', 'Behind'],
      ['Tier 3', '20', '20', '75.0%', '60.0%', 'On track'],
    ]);
    expect(cellsOf(found, 'delivery-months')).toEqual([
      ['March 2026', 'Tier 1', '4', '5', '75.0%', '60.0%', 'Missed'],
      ['March 2026', 'Tier 2', '16', '15', '66.7%', '60.0%', 'Met'],
      ['March 2026', 'Tier 3', '42', '40', '75.0%', '60.0%', 'Met'],
    ]);
    const tags = found.findByTestId(Table, 'delivery-months').findAll(StatusTag);
    expect(tags.map((tag) => tag.props.variant)).toEqual(['danger', 'success', 'success']);
  });

  it('says when no month has closed yet', async () => {
    const found = renderHome({
      [DELIVERY]: () => ok(variant('getMarketingDelivery', (response) => ({ ...response, months: [] }))),
    });
    await found.waitFor(() => found.findByTestId(Text, 'delivery-no-month'));
    expect(textContent(found.findByTestId(Text, 'delivery-no-month'))).toBe(
      'No month has closed since ABM Pilot started measuring marketing delivery.',
    );
  });

  it('explains a failure in its own section and keeps the rest of the page', async () => {
    const found = renderHome({
      [DELIVERY]: () => ({ status: 503, body: apiErrorBody('not_ready', 'Starting') }),
    });
    await found.waitFor(() => found.findByTestId(ErrorState, 'delivery-failed'));
    await loaded(found);
  });
});

describe('home: portfolio review', () => {
  it('lists drift and overdue reviews with their totals', async () => {
    const found = renderHome();
    await loaded(found);
    const drift = textContent(found.findByTestId(Table, 'drift'));
    expect(drift).toContain('Contoso Retail');
    expect(drift).toContain('2 tiers above');
    const overdue = textContent(found.findByTestId(Table, 'overdue'));
    expect(overdue).toContain('Northwind Logistics');
    expect(overdue).toContain('15 days');
  });

  it('records a review from the overdue list with a note, and the account leaves the list', async () => {
    let reads = 0;
    const reviewed = variant('getPortfolioReview', (response) => ({
      ...response,
      overdueReviews: [],
      totals: { ...response.totals, overdueReviews: 0 },
    }));
    const found = renderHome({
      [REVIEW]: () => ok(reads++ === 0 ? recorded('getPortfolioReview') : reviewed),
      [RECORD_REVIEW]: () => ok(recorded('recordAccountReview')),
    });
    await loaded(found);
    found.findByTestId(Button, `review-${OVERDUE_ID}`).trigger('onClick');
    await found.waitFor(() => found.findByTestId(Tile, 'review-form'));
    expect(textContent(found.findByTestId(Tile, 'review-form'))).toContain(
      'Record the review of Northwind Logistics',
    );
    fire(found.findByTestId(TextArea, 'review-note'), 'onChange', 'Sponsor met');
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');

    await found.waitFor(() => found.findByTestId(Alert, 'review-recorded'));
    expect(textContent(found.findByTestId(Alert, 'review-recorded'))).toBe(
      'Review recorded: the next one is due 14 Jun 2026, 12:05.',
    );
    expect(RecordReviewBodySchema.parse(found.calls(RECORD_REVIEW)[0]?.body)).toEqual({
      note: 'Sponsor met',
      idempotencyKey: 'review-key-1',
    });
    await found.waitFor(() => found.findByTestId(Text, 'no-overdue'));
  });

  it('retries a failed review under the same key, and offers none where the server does not allow it', async () => {
    let attempts = 0;
    const found = renderHome({
      [RECORD_REVIEW]: () =>
        attempts++ === 0
          ? { status: 409, body: apiErrorBody('conflict', 'The account kept changing.') }
          : ok(recorded('recordAccountReview')),
    });
    await loaded(found);
    found.findByTestId(Button, `review-${OVERDUE_ID}`).trigger('onClick');
    await found.waitFor(() => found.findByTestId(LoadingButton, 'review-submit'));
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'review-failure'));
    expect(textContent(found.findByTestId(Alert, 'review-failure'))).toContain('Something changed meanwhile');
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'review-recorded'));
    expect(found.calls(RECORD_REVIEW).map((sent) => RecordReviewBodySchema.parse(sent.body))).toEqual([
      { idempotencyKey: 'review-key-1' },
      { idempotencyKey: 'review-key-1' },
    ]);

    const refused = variant('getPortfolioReview', (response) => ({
      ...response,
      overdueReviews: response.overdueReviews.map((row) => ({ ...row, reviewAllowed: false })),
    }));
    const other = renderHome({ [REVIEW]: () => ok(refused) });
    await loaded(other);
    expect(other.maybeFindByTestId(Button, `review-${OVERDUE_ID}`)).toBeNull();
  });
});

describe('home: for a French-speaking HubSpot user', () => {
  const renderFrench = (routes: Record<string, Route> = {}) => renderHome(routes, COMMITTEE_MEMBER, 'fr-FR');

  it('shows the dashboard in French: filters, segments, figures and charts', async () => {
    const found = renderFrench();
    await loaded(found);
    expect(found.findByTestId(Select, 'period-filter').props.label).toBe('Période');
    expect(found.findByTestId(Select, 'segment-filter').props.options.map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 2',
      'Tier 3',
      'Tous les comptes ABM',
      'Hors ABM',
      'Tous les comptes',
    ]);
    const headline = found.findByTestId(Statistics, 'headline').findAll(StatisticsItem);
    expect(headline.map((item) => item.props.label)).toEqual([
      'Respect des SLA',
      'Pipeline ouvert (Tous les comptes ABM)',
      'Part du pipeline ouvert',
      'ROI à coût complet',
    ]);
    expect(spaced(String(headline[0]?.props.number))).toBe('100,0 %');
    expect(
      spaced(String(found.findByTestId(Statistics, 'roi').findAll(StatisticsItem)[0]?.props.number)),
    ).toContain('120 000');
    expect(found.findByTestId(BarChart, 'capacity-chart').props.data).toEqual(
      expect.arrayContaining([{ tier: 'Tier 1', measure: 'Capacité', value: 25 }]),
    );
    expect(textContent(found.findByTestId(Table, 'sla-compliance'))).toContain('Premier contact commercial');
    expect(textContent(found.findByTestId(Table, 'conversion'))).toContain('Hors ABM');
  });

  it('decides an approval in French and says, in French, that the HubSpot record holds it', async () => {
    const found = renderFrench({ [APPROVE]: () => ok(recorded('approveTierChange')) });
    await loaded(found);
    expect(textContent(found.findByTestId(Tile, `approval-${APPROVAL_ID}`))).toContain(
      'Entreprise 18230045611 : Tier 2 → Tier 1',
    );
    expect(found.findByTestId(Button, `approval-${APPROVAL_ID}-approve`).text).toBe('Approuver');
    found.findByTestId(Button, `approval-${APPROVAL_ID}-approve`).trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`));
    expect(found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`).props.title).toBe('Approuvée');
    expect(textContent(found.findByTestId(Alert, `approval-${APPROVAL_ID}-decided`))).toBe(
      "Le compte est désormais en Tier 1. L'enregistrement HubSpot l'affiche déjà.",
    );
  });

  it('asks in French for a comment before a rejection', async () => {
    const found = renderFrench();
    await loaded(found);
    found.findByTestId(Button, `approval-${APPROVAL_ID}-reject`).trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(TextArea, `approval-${APPROVAL_ID}-comment`).props.validationMessage).toBe(
        'Expliquez pourquoi au demandeur : un refus demande un commentaire.',
      ),
    );
  });

  it('shows marketing delivery in French', async () => {
    const found = renderFrench();
    await deliveryLoaded(found);
    expect(cellsOf(found, 'delivery-current')[1]).toEqual([
      'Tier 2',
      '7',
      '8',
      '50,0 %',
      '60,0 %',
      'En retard',
    ]);
    expect(cellsOf(found, 'delivery-months')[0]).toEqual([
      'mars 2026',
      'Tier 1',
      '4',
      '5',
      '75,0 %',
      '60,0 %',
      'Manqué',
    ]);
  });

  it('reviews the portfolio in French', async () => {
    const found = renderFrench();
    await loaded(found);
    expect(textContent(found.findByTestId(Table, 'drift'))).toContain('2 tiers au-dessus');
    expect(textContent(found.findByTestId(Table, 'overdue'))).toContain('15 jours');
    expect(found.findByTestId(Button, `review-${OVERDUE_ID}`).text).toBe('Enregistrer la revue');
  });
});
