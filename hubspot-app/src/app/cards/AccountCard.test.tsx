import {
  HandoverBodySchema,
  HandoverFeedbackBodySchema,
  RecordReviewBodySchema,
  TierChangeBodySchema,
} from '@abm-pilot/shared';
import {
  Alert,
  Button,
  DescriptionList,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  List,
  LoadingButton,
  LoadingSpinner,
  Select,
  StatisticsItem,
  StatusTag,
  Table,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Answer, Route } from '../../../tests/recorded.ts';
import {
  answerHubSpotFetch,
  nextPortalId,
  fire,
  apiErrorBody,
  ok,
  recorded,
  textContent,
  variant,
} from '../../../tests/recorded.ts';
import { AccountCard } from './AccountCard.tsx';

// The company card against recorded server answers, through `hubspot.fetch` as HubSpot's proxy serves it.

const CRM_ID = '18230045611';
const CARD = `GET /api/v1/accounts/${CRM_ID}/card`;
const TIER_CHANGE = `POST /api/v1/accounts/${CRM_ID}/tier-change`;
const HANDOVER = `POST /api/v1/accounts/${CRM_ID}/handover-feedback`;
const HAND_OVER = `POST /api/v1/accounts/${CRM_ID}/handover`;
const REVIEW = `POST /api/v1/accounts/${CRM_ID}/review`;
/** The server's clock in the recorded answers. */
const NOW = Date.parse('2026-04-15T08:00:00.000Z');

afterEach(() => {
  vi.restoreAllMocks();
});

/** `locale` is the HubSpot user's, as `context.user.locale` gives it; none reads as English. */
function renderCard(routes: Record<string, Route>, { locale }: { readonly locale?: string } = {}) {
  const portalId = nextPortalId();
  const server = answerHubSpotFetch(routes, portalId);
  const renderer = createRenderer('crm.record.tab');
  const { mocks } = renderer;
  mocks.context.crm = { objectId: Number(CRM_ID), objectTypeId: '0-2' };
  mocks.context.portal = { id: portalId, timezone: 'Europe/Paris' };
  mocks.context.user = { ...mocks.context.user, id: 81234567, ...(locale === undefined ? {} : { locale }) };
  let keys = 0;
  renderer.render(
    <AccountCard
      context={mocks.context}
      actions={mocks.actions}
      now={() => NOW}
      newKey={() => `attempt-key-${++keys}`}
    />,
  );
  return {
    ...renderer,
    portalId,
    server,
    calls: (route: string) => server.sent.filter((r) => `${r.method} ${r.url.pathname}` === route),
  };
}

const card = () => ok(recorded('getAccountCard'));
const withHandoverPending = () =>
  ok(
    variant('getAccountCard', (response) => ({
      ...response,
      actions: {
        ...response.actions,
        handoverFeedback: { ...response.actions.handoverFeedback, pending: true },
      },
    })),
  );

const withHandOverAllowed = () =>
  ok(
    variant('getAccountCard', (response) => ({
      ...response,
      actions: { ...response.actions, handover: { allowed: true } },
    })),
  );

const textsOf = (nodes: readonly { text: string | null }[]) => nodes.map((node) => node.text ?? '');

describe('company card: reading the account', () => {
  it('shows a spinner until the server answers, then the account', async () => {
    let answer: (value: Answer) => void = () => {};
    const { find, maybeFind, waitFor, server } = renderCard({
      [CARD]: () => new Promise<Answer>((resolve) => (answer = resolve)),
    });
    expect(find(LoadingSpinner).props.label).toBe('Loading the ABM account');
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    answer(card());
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
  });

  it('asks the server for this company as the signed-in user, with a timeout', async () => {
    const { server, waitFor, findByTestId, portalId } = renderCard({ [CARD]: card });
    await waitFor(() => findByTestId(Text, 'last-sync'));
    const [request] = server.sent;
    expect(request?.url.toString()).toBe(
      `https://abm.example.com/api/v1/accounts/${CRM_ID}/card?portalId=${portalId}&userId=81234567&apiRevision=4`,
    );
    expect(request?.timeout).toBe(15_000);
  });

  it('shows tier, recommendation, score with axes and reasons, SLAs, owners, approval and last sync', async () => {
    const { find, findAll, findByTestId, maybeFindByTestId, waitFor } = renderCard({ [CARD]: card });
    await waitFor(() => findByTestId(Text, 'last-sync'));
    expect(find(StatusTag).text).toBe('Tier 2');
    expect(maybeFindByTestId(Tag, 'drift')).toBeNull();
    expect(findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
      ['ABM score', '71.4'],
      ['Revenue potential', '78.2'],
      ['Probability of success', '64.9'],
      ['Strategic alignment', '70.0'],
    ]);
    expect(textsOf(findByTestId(List, 'top-reasons').findAll(Text))).toEqual([
      'Annual revenue: 13.1 of 16.0 points',
      'Engagement: 9.8 of 12.3 points',
      'ICP industry: 10.0 of 10.0 points',
    ]);
    const sla = findByTestId(Table, 'slas');
    expect(textContent(sla)).toContain('Sales follow-up');
    expect(sla.find(StatusTag).text).toBe('At risk');
    expect(sla.find(StatusTag).props.variant).toBe('warning');
    expect(textContent(sla)).toContain('8 h left');
    expect(textContent(findByTestId(DescriptionList, 'owners'))).toContain('Tom Becker (Sales rep)');
    expect(textContent(findByTestId(Alert, 'pending-approval'))).toContain(
      'ABM committee or Chief ABM Officer decide by 21 Apr 2026, 11:12',
    );
    expect(findByTestId(Text, 'last-sync').text).toBe('Last synced 15 Apr 2026, 09:55.');
  });

  it("names each criterion and signal the score had no data for, in the user's language", async () => {
    const noRegion = variant('getAccountCard', (response) => ({
      ...response,
      score: { ...response.score!, missing: ['icp_region', 'strategic_flag'], missingSignals: ['intent'] },
    }));
    const english = renderCard({ [CARD]: () => ok(noRegion) });
    await english.waitFor(() => english.findByTestId(Text, 'score-missing'));
    expect(english.findByTestId(Text, 'score-missing').text).toBe(
      'No data yet: ICP region, Strategic flag, Intent score. A criterion without data scores neutral.',
    );
    const french = renderCard({ [CARD]: () => ok(noRegion) }, { locale: 'fr-fr' });
    await french.waitFor(() => french.findByTestId(Text, 'score-missing'));
    expect(french.findByTestId(Text, 'score-missing').text).toBe(
      "Pas encore de données : Région ICP, Compte stratégique, Score d'intention. Un critère sans données est noté neutre.",
    );
  });

  it('names the criteria without data from a server that names no signals', async () => {
    const older = variant('getAccountCard', (response) => {
      const score = { ...response.score! };
      delete score.missingSignals;
      return { ...response, score };
    });
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok(older) });
    await waitFor(() => findByTestId(Text, 'score-missing'));
    expect(findByTestId(Text, 'score-missing').text).toBe(
      'No data yet: Win history. A criterion without data scores neutral.',
    );
  });
});

describe('company card: states', () => {
  it('says by how many tiers the assigned tier drifts from the recommendation', async () => {
    const drifted = variant('getAccountCard', (response) => ({
      ...response,
      tier: { assigned: 'tier_1', recommended: 'tier_3', drift: { steps: 2, direction: 'above' } },
    }));
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok(drifted) });
    await waitFor(() => expect(findByTestId(Tag, 'drift').text).toBe('2 tiers above the recommendation'));
  });

  it('offers a retry when the server cannot be reached, and loads on retry', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, server } = renderCard({ [CARD]: () => 'unreachable' });
    await waitFor(() => findByTestId(ErrorState, 'unreachable'));
    expect(textContent(findByTestId(ErrorState, 'unreachable'))).toContain('ABM Pilot did not answer');
    server.routes[CARD] = card;
    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Text, 'last-sync')).not.toBeNull());
  });

  it('says the portal is not set up yet when the server answers not_configured', async () => {
    const { findByTestId, waitFor } = renderCard({
      [CARD]: () => ({ status: 409, body: apiErrorBody('not_configured', 'No governance config yet.') }),
    });
    await waitFor(() => findByTestId(EmptyState, 'not-configured'));
    expect(textContent(findByTestId(EmptyState, 'not-configured'))).toContain('Ask your CRM admin');
  });

  it("reads HubSpot's proxy envelope around a non-2xx answer like the answer itself", async () => {
    const { findByTestId, waitFor } = renderCard({
      [CARD]: () =>
        ok({
          status: 'error',
          category: 'BAD_GATEWAY',
          message: 'Error returned from Request Uri',
          context: { appServerStatusCode: ['409'] },
          responseBody: JSON.stringify(apiErrorBody('not_configured', 'No governance config yet.')),
        }),
    });
    await waitFor(() => findByTestId(EmptyState, 'not-configured'));
  });

  it.each([
    [401, 'unauthorized', 'You do not have access'],
    [403, 'unknown_user', 'does not know your HubSpot user yet'],
  ])('shows no access on %i %s, in plain words', async (status, code, words) => {
    const { findByTestId, waitFor } = renderCard({
      [CARD]: () => ({ status, body: apiErrorBody(code, 'no') }),
    });
    await waitFor(() => findByTestId(ErrorState, 'no-permission'));
    expect(textContent(findByTestId(ErrorState, 'no-permission'))).toContain(words);
  });

  it('shows an untargeted account as such, with its recommendation and the way to target it', async () => {
    const untargeted = variant('getAccountCard', (response) => ({
      ...response,
      tier: { assigned: null, recommended: 'tier_2', drift: { steps: 2, direction: 'below' } },
      pendingApproval: null,
    }));
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok(untargeted) });
    await waitFor(() => findByTestId(EmptyState, 'not-targeted'));
    expect(textContent(findByTestId(EmptyState, 'not-targeted'))).toContain(
      'Northwind Logistics is not in the ABM programme. Its score recommends Tier 2.',
    );
    expect(findByTestId(Select, 'tier-select').props.options.map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 3',
      'Not targeted',
    ]);
  });

  it('says a company not synced yet will appear after the next sync', async () => {
    const { findByTestId, waitFor } = renderCard({
      [CARD]: () => ({ status: 404, body: apiErrorBody('not_found', 'No such account.') }),
    });
    await waitFor(() => findByTestId(EmptyState, 'not-found'));
    expect(textContent(findByTestId(EmptyState, 'not-found'))).toContain('after the next sync');
  });

  it('says the answer was not understood when it does not match the contract', async () => {
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok({ tier: 'tier_1' }) });
    await waitFor(() => findByTestId(ErrorState, 'failed'));
    expect(textContent(findByTestId(ErrorState, 'failed'))).toContain('does not understand');
  });

  it('explains a server-side failure in plain words, with a retry', async () => {
    const { findByTestId, waitFor } = renderCard({
      [CARD]: () => ({ status: 500, body: apiErrorBody('internal_error', 'boom') }),
    });
    await waitFor(() => findByTestId(ErrorState, 'failed'));
    expect(textContent(findByTestId(ErrorState, 'failed'))).toContain('had a problem on its side');
    expect(findByTestId(Button, 'retry')).toBeTruthy();
  });
});

describe('company card: changing the tier', () => {
  const chooseTier = (found: ReturnType<typeof renderCard>, value: string) =>
    fire(found.findByTestId(Select, 'tier-select'), 'onChange', value);
  const submit = (found: ReturnType<typeof renderCard>) =>
    found.findByTestId(LoadingButton, 'tier-submit').trigger('onClick');

  it('applies a change, says the HubSpot record holds it, refreshes the record properties and the card', async () => {
    const found = renderCard({
      [CARD]: card,
      [TIER_CHANGE]: () => ok({ outcome: 'applied', route: 'routine', tier: 'tier_1', crmWrite: 'done' }),
    });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'tier_1');
    submit(found);
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Tier changed'),
    );
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      'The account is now Tier 1. The HubSpot record shows it now.',
    );
    const [sent] = found.calls(TIER_CHANGE);
    expect(TierChangeBodySchema.parse(sent?.body)).toEqual({
      toTier: 'tier_1',
      idempotencyKey: 'attempt-key-1',
    });
    expect(found.mocks.actions.refreshObjectProperties.callCount).toBe(1);
    await vi.waitFor(() => expect(found.calls(CARD)).toHaveLength(2));
  });

  it("says so when HubSpot has not taken the change yet, and leaves the record's panel as it is", async () => {
    const found = renderCard({
      [CARD]: card,
      [TIER_CHANGE]: () => ok({ outcome: 'applied', route: 'routine', tier: 'tier_1', crmWrite: 'pending' }),
    });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'tier_1');
    submit(found);
    await found.waitFor(() => found.findByTestId(Alert, 'tier-answer'));
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      'The account is now Tier 1. HubSpot has not confirmed it yet: the record follows within a few minutes.',
    );
    expect(found.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it('asks for a reason when the rules require one, and sends it', async () => {
    const found = renderCard({
      [CARD]: card,
      [TIER_CHANGE]: () => ok({ outcome: 'applied', route: 'routine', tier: null }),
    });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'none');
    expect(found.findByTestId(TextArea, 'tier-reason').props.required).toBe(true);
    submit(found);
    expect(found.findByTestId(TextArea, 'tier-reason').props.error).toBe(true);
    expect(found.findByTestId(TextArea, 'tier-reason').props.validationMessage).toContain('ask for a reason');
    expect(found.calls(TIER_CHANGE)).toHaveLength(0);
    fire(found.findByTestId(TextArea, 'tier-reason'), 'onChange', '  Churned to a competitor  ');
    submit(found);
    await found.waitFor(() => found.findByTestId(Alert, 'tier-answer'));
    expect(TierChangeBodySchema.parse(found.calls(TIER_CHANGE)[0]?.body)).toEqual({
      toTier: null,
      reason: 'Churned to a competitor',
      idempotencyKey: 'attempt-key-1',
    });
  });

  it('shows who must approve and by when, without refreshing the record, after the card re-reads', async () => {
    let reads = 0;
    const awaiting = variant('getAccountCard', (response) => ({
      ...response,
      actions: { ...response.actions, tierChange: { allowed: false, targets: [] } },
    }));
    const found = renderCard({
      [CARD]: () => ok(reads++ === 0 ? recorded('getAccountCard') : awaiting),
      [TIER_CHANGE]: () => ok(recorded('requestTierChange')),
    });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'tier_1');
    submit(found);
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Sent for approval'),
    );
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      'ABM committee or Chief ABM Officer decide by 21 Apr 2026, 11:12. The request expires 28 Apr 2026, 11:12.',
    );
    expect(found.mocks.actions.refreshObjectProperties.callCount).toBe(0);
    await vi.waitFor(() => expect(reads).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Sent for approval');
  });

  it('shows a rejection with its reason', async () => {
    const found = renderCard({
      [CARD]: card,
      [TIER_CHANGE]: () =>
        ok({
          outcome: 'rejected',
          code: 'capacity_exceeded',
          message: 'Tier 1 is full: 25 of 25 seats used.',
        }),
    });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'tier_1');
    submit(found);
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Tier change refused'),
    );
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      'Tier 1 is full: 25 of 25 seats used.',
    );
  });

  it('retries a failed attempt with the same key, and a new attempt with a new one', async () => {
    const found = renderCard({ [CARD]: card, [TIER_CHANGE]: () => 'unreachable' });
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    chooseTier(found, 'tier_3');
    submit(found);
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('The tier change was not sent'),
    );
    found.findByTestId(Button, 'tier-retry').trigger('onClick');
    await vi.waitFor(() => expect(found.calls(TIER_CHANGE)).toHaveLength(2));
    await found.waitFor(() => found.findByTestId(Button, 'tier-again'));
    found.findByTestId(Button, 'tier-again').trigger('onClick');
    chooseTier(found, 'tier_3');
    submit(found);
    await vi.waitFor(() => expect(found.calls(TIER_CHANGE)).toHaveLength(3));
    expect(
      found.calls(TIER_CHANGE).map((sent) => TierChangeBodySchema.parse(sent.body).idempotencyKey),
    ).toEqual(['attempt-key-1', 'attempt-key-1', 'attempt-key-2']);
  });

  it('says a change already waits for approval instead of offering a second one', async () => {
    const awaiting = variant('getAccountCard', (response) => ({
      ...response,
      actions: { ...response.actions, tierChange: { allowed: false, targets: [] } },
    }));
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok(awaiting) });
    await waitFor(() =>
      expect(findByTestId(Text, 'tier-change-not-allowed').text).toContain('already waits'),
    );
  });

  it('tells a user whose role may not change tiers so, instead of a form', async () => {
    const readOnly = variant('getAccountCard', (response) => ({
      ...response,
      pendingApproval: null,
      actions: { ...response.actions, tierChange: { allowed: false, targets: [] } },
    }));
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard({ [CARD]: () => ok(readOnly) });
    await waitFor(() =>
      expect(findByTestId(Text, 'tier-change-not-allowed').text).toContain('Your ABM role cannot change'),
    );
    expect(maybeFindByTestId(Select, 'tier-select')).toBeNull();
  });
});

describe('company card: handover feedback', () => {
  it('records an acceptance with its reason code', async () => {
    const found = renderCard({
      [CARD]: withHandoverPending,
      [HANDOVER]: () => ok(recorded('giveHandoverFeedback')),
    });
    await found.waitFor(() => found.findByTestId(Select, 'handover-decision'));
    fire(found.findByTestId(Select, 'handover-decision'), 'onChange', 'accepted');
    expect(found.findByTestId(Select, 'handover-reason').props.options.map((option) => option.value)).toEqual(
      ['fit_confirmed', 'active_project'],
    );
    fire(found.findByTestId(Select, 'handover-reason'), 'onChange', 'fit_confirmed');
    found.findByTestId(LoadingButton, 'handover-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'handover-answer'));
    expect(textContent(found.findByTestId(Alert, 'handover-answer'))).toContain(
      // A portal's own reason code reads as written, as the shared vocabulary names codes it does not know.
      'You accepted the handover (fit confirmed).',
    );
    expect(HandoverFeedbackBodySchema.parse(found.calls(HANDOVER)[0]?.body)).toEqual({
      decision: 'accepted',
      reasonCode: 'fit_confirmed',
      idempotencyKey: 'attempt-key-1',
    });
  });

  it('offers the rejection codes for a rejection, and explains a refused answer', async () => {
    const found = renderCard({
      [CARD]: withHandoverPending,
      [HANDOVER]: () => ({
        status: 422,
        body: apiErrorBody('unknown_reason_code', 'That reason code is not in use.'),
      }),
    });
    await found.waitFor(() => found.findByTestId(Select, 'handover-decision'));
    fire(found.findByTestId(Select, 'handover-decision'), 'onChange', 'rejected');
    fire(found.findByTestId(Select, 'handover-reason'), 'onChange', 'no_budget');
    found.findByTestId(LoadingButton, 'handover-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'handover-failure'));
    expect(textContent(found.findByTestId(Alert, 'handover-failure'))).toContain(
      'That reason code is not in use.',
    );
    expect(HandoverFeedbackBodySchema.parse(found.calls(HANDOVER)[0]?.body).decision).toBe('rejected');
  });

  it('asks for a decision and a reason before sending', async () => {
    const found = renderCard({ [CARD]: withHandoverPending });
    await found.waitFor(() => found.findByTestId(Select, 'handover-decision'));
    found.findByTestId(LoadingButton, 'handover-submit').trigger('onClick');
    expect(found.findByTestId(Select, 'handover-reason').props.validationMessage).toBe(
      'Choose a decision and a reason.',
    );
    expect(found.calls(HANDOVER)).toHaveLength(0);
  });

  it('shows no handover form when no handover waits for this user', async () => {
    const { maybeFindByTestId, findByTestId, waitFor } = renderCard({ [CARD]: card });
    await waitFor(() => findByTestId(Text, 'last-sync'));
    expect(maybeFindByTestId(Select, 'handover-decision')).toBeNull();
  });
});

describe('company card: handing an account over to sales', () => {
  it('hands the account over and says when the first touch and the answer are due', async () => {
    const found = renderCard({
      [CARD]: withHandOverAllowed,
      [HAND_OVER]: () => ok(recorded('handOverAccount')),
    });
    await found.waitFor(() => found.findByTestId(LoadingButton, 'hand-over-submit'));
    found.findByTestId(LoadingButton, 'hand-over-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'hand-over-done'));
    expect(textContent(found.findByTestId(Alert, 'hand-over-done'))).toContain(
      'First touch due 13 Apr 2026, 12:00; answer due 14 Apr 2026, 12:00.',
    );
    expect(HandoverBodySchema.parse(found.calls(HAND_OVER)[0]?.body)).toEqual({
      idempotencyKey: 'attempt-key-1',
    });
    await found.waitFor(() => expect(found.calls(CARD)).toHaveLength(2));
  });

  it('retries a failed handover with the same key, explaining why it failed', async () => {
    let attempts = 0;
    const found = renderCard({
      [CARD]: withHandOverAllowed,
      [HAND_OVER]: () =>
        ++attempts === 1
          ? { status: 409, body: apiErrorBody('handover_pending', 'Already handed over.') }
          : ok(recorded('handOverAccount')),
    });
    await found.waitFor(() => found.findByTestId(LoadingButton, 'hand-over-submit'));
    found.findByTestId(LoadingButton, 'hand-over-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'hand-over-failure'));
    expect(textContent(found.findByTestId(Alert, 'hand-over-failure'))).toContain(
      'This account was already handed over: sales has not answered yet.',
    );
    found.findByTestId(Button, 'hand-over-retry').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'hand-over-done'));
    expect(found.calls(HAND_OVER).map((call) => HandoverBodySchema.parse(call.body).idempotencyKey)).toEqual([
      'attempt-key-1',
      'attempt-key-1',
    ]);
  });

  it('offers no handover to a user who may not, nor on a server that does not say', async () => {
    const { maybeFindByTestId, findByTestId, waitFor } = renderCard({ [CARD]: card });
    await waitFor(() => findByTestId(Text, 'last-sync'));
    expect(maybeFindByTestId(LoadingButton, 'hand-over-submit')).toBeNull();
  });
});

describe('company card: portfolio review', () => {
  const reviewed = () =>
    variant('getAccountCard', (response) => ({
      ...response,
      review: recorded('recordAccountReview').review,
    }));

  it('shows when the account was last reviewed, by whom, and that its review is overdue', async () => {
    const { findByTestId, waitFor } = renderCard({ [CARD]: card });
    await waitFor(() => findByTestId(Flex, 'review'));
    expect(findByTestId(StatusTag, 'review-overdue').text).toBe('Review overdue');
    expect(findByTestId(Text, 'review-last').text).toBe('Last reviewed 9 Feb 2026, 11:30 by Léa Martin.');
    expect(findByTestId(Text, 'review-due').text).toBe('Review overdue since 10 Apr 2026, 12:30.');
  });

  it('records a review with its note, says when the next is due, and re-reads the card', async () => {
    let reads = 0;
    const found = renderCard({
      [CARD]: () => ok(reads++ === 0 ? recorded('getAccountCard') : reviewed()),
      [REVIEW]: () => ok(recorded('recordAccountReview')),
    });
    await found.waitFor(() => found.findByTestId(TextArea, 'review-note'));
    fire(found.findByTestId(TextArea, 'review-note'), 'onChange', '  Renewal on track  ');
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');

    await found.waitFor(() => found.findByTestId(Alert, 'review-answer'));
    expect(textContent(found.findByTestId(Alert, 'review-answer'))).toBe(
      'Review recorded: the next one is due 14 Jun 2026, 12:05.',
    );
    expect(RecordReviewBodySchema.parse(found.calls(REVIEW)[0]?.body)).toEqual({
      note: 'Renewal on track',
      idempotencyKey: 'attempt-key-1',
    });
    await found.waitFor(() =>
      expect(found.findByTestId(Text, 'review-due').text).toBe('Next review due 14 Jun 2026, 12:05.'),
    );
    expect(found.maybeFindByTestId(StatusTag, 'review-overdue')).toBeNull();
  });

  it('retries a review that did not get through under the same key, so it is recorded once', async () => {
    let attempts = 0;
    const found = renderCard({
      [CARD]: card,
      [REVIEW]: () => (attempts++ === 0 ? 'unreachable' : ok(recorded('recordAccountReview'))),
    });
    await found.waitFor(() => found.findByTestId(LoadingButton, 'review-submit'));
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'review-failure'));
    expect(found.findByTestId(Alert, 'review-failure').props.title).toBe('The review was not recorded');
    expect(textContent(found.findByTestId(Alert, 'review-failure'))).toContain('ABM Pilot did not answer');

    found.findByTestId(Button, 'review-retry').trigger('onClick');

    await found.waitFor(() => found.findByTestId(Alert, 'review-answer'));
    expect(found.calls(REVIEW).map((sent) => RecordReviewBodySchema.parse(sent.body))).toEqual([
      { idempotencyKey: 'attempt-key-1' },
      { idempotencyKey: 'attempt-key-1' },
    ]);
  });

  it('offers no review to a user the server does not allow, and shows no review from an older server', async () => {
    const refused = variant('getAccountCard', (response) => ({
      ...response,
      actions: { ...response.actions, review: { allowed: false } },
    }));
    const first = renderCard({ [CARD]: () => ok(refused) });
    await first.waitFor(() => first.findByTestId(Flex, 'review'));
    expect(first.maybeFindByTestId(Flex, 'review-form')).toBeNull();

    // A server before revision 3 sends neither the review clock nor the review action.
    const older = variant('getAccountCard', (response) => {
      const actions: Record<string, unknown> = { ...response.actions };
      const answer: Record<string, unknown> = { ...response, actions };
      delete actions.review;
      delete answer.review;
      return answer;
    });
    const second = renderCard({ [CARD]: () => ok(older) });
    await second.waitFor(() => second.findByTestId(Text, 'last-sync'));
    expect(second.maybeFindByTestId(Flex, 'review')).toBeNull();
    expect(second.maybeFindByTestId(Flex, 'review-form')).toBeNull();
  });
});

describe('company card: for a French-speaking HubSpot user', () => {
  const FRENCH = { locale: 'fr-FR' };

  it('shows the account in French: score, axes, SLA status and time, owners, approval, last sync', async () => {
    const { find, findAll, findByTestId, waitFor } = renderCard({ [CARD]: card }, FRENCH);
    await waitFor(() => findByTestId(Text, 'last-sync'));
    expect(find(Heading).text).toBe('Tier ABM');
    expect(findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
      ['Score ABM', '71,4'],
      ['Potentiel de revenus', '78,2'],
      ['Probabilité de succès', '64,9'],
      ['Alignement stratégique', '70,0'],
    ]);
    expect(textsOf(findByTestId(List, 'top-reasons').findAll(Text))[0]).toBe(
      "Chiffre d'affaires annuel : 13,1 sur 16,0 points",
    );
    const sla = findByTestId(Table, 'slas');
    expect(textContent(sla)).toContain('Premier contact commercial');
    expect(sla.find(StatusTag).text).toBe('À risque');
    expect(textContent(sla)).toContain('encore 8 h');
    expect(textContent(findByTestId(DescriptionList, 'owners'))).toContain('Tom Becker (Commercial)');
    expect(textContent(findByTestId(Alert, 'pending-approval'))).toContain(
      'Décision attendue de : Comité ABM ou Chief ABM Officer, avant le 21 avr. 2026, 11:12.',
    );
    expect(findByTestId(Text, 'last-sync').text).toBe('Dernière synchronisation le 15 avr. 2026, 09:55.');
  });

  it('shows the portfolio review in French and records one', async () => {
    const found = renderCard({ [CARD]: card, [REVIEW]: () => ok(recorded('recordAccountReview')) }, FRENCH);
    await found.waitFor(() => found.findByTestId(Flex, 'review'));
    expect(found.findByTestId(StatusTag, 'review-overdue').text).toBe('Revue en retard');
    expect(found.findByTestId(Text, 'review-last').text).toBe(
      'Dernière revue le 9 févr. 2026, 11:30 par Léa Martin.',
    );
    expect(found.findByTestId(TextArea, 'review-note').props.label).toBe('Note de revue (facultative)');
    expect(found.findByTestId(LoadingButton, 'review-submit').text).toBe('Enregistrer la revue');
    found.findByTestId(LoadingButton, 'review-submit').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Alert, 'review-answer'));
    expect(textContent(found.findByTestId(Alert, 'review-answer'))).toBe(
      'Revue enregistrée : la prochaine est prévue le 14 juin 2026, 12:05.',
    );
  });

  it('names an untargeted account and the targets in French', async () => {
    const untargeted = variant('getAccountCard', (response) => ({
      ...response,
      tier: { assigned: null, recommended: 'tier_2', drift: { steps: 2, direction: 'below' } },
      pendingApproval: null,
    }));
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => ok(untargeted) }, FRENCH);
    await waitFor(() => findByTestId(EmptyState, 'not-targeted'));
    expect(findByTestId(EmptyState, 'not-targeted').props.title).toBe('Pas une cible ABM');
    expect(textContent(findByTestId(EmptyState, 'not-targeted'))).toContain(
      'Northwind Logistics ne fait pas partie du programme ABM. Son score recommande : Tier 2.',
    );
    expect(findByTestId(Select, 'tier-select').props.options.map((option) => option.label)).toEqual([
      'Tier 1',
      'Tier 3',
      'Non ciblé',
    ]);
    expect(findByTestId(Select, 'tier-select').props.label).toBe('Passer au tier');
  });

  it('answers a tier change in French, saying the HubSpot record holds it', async () => {
    const found = renderCard(
      {
        [CARD]: card,
        [TIER_CHANGE]: () => ok({ outcome: 'applied', route: 'routine', tier: 'tier_1', crmWrite: 'done' }),
      },
      FRENCH,
    );
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    fire(found.findByTestId(Select, 'tier-select'), 'onChange', 'tier_1');
    found.findByTestId(LoadingButton, 'tier-submit').trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Tier changé'),
    );
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      "Le compte est désormais en Tier 1. L'enregistrement HubSpot l'affiche déjà.",
    );
    expect(found.findByTestId(Button, 'tier-again').text).toBe('Changer à nouveau');
  });

  it('explains a refusal in French, with the server’s own figures beside it', async () => {
    const found = renderCard(
      {
        [CARD]: card,
        [TIER_CHANGE]: () =>
          ok({
            outcome: 'rejected',
            code: 'capacity_exceeded',
            message: 'Tier 1 is full: 25 of 25 seats used.',
          }),
      },
      FRENCH,
    );
    await found.waitFor(() => found.findByTestId(Select, 'tier-select'));
    fire(found.findByTestId(Select, 'tier-select'), 'onChange', 'tier_1');
    found.findByTestId(LoadingButton, 'tier-submit').trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(Alert, 'tier-answer').props.title).toBe('Changement de tier refusé'),
    );
    expect(textContent(found.findByTestId(Alert, 'tier-answer'))).toContain(
      'Tier 1 est plein au-delà de ce que quiconque peut autoriser.',
    );
  });

  it('says in French that ABM Pilot did not answer', async () => {
    const { findByTestId, waitFor } = renderCard({ [CARD]: () => 'unreachable' }, FRENCH);
    await waitFor(() => findByTestId(ErrorState, 'unreachable'));
    expect(findByTestId(ErrorState, 'unreachable').props.title).toBe('ABM Pilot est injoignable');
    expect(textContent(findByTestId(ErrorState, 'unreachable'))).toContain('ABM Pilot n’a pas répondu.');
    expect(findByTestId(Button, 'retry').text).toBe('Réessayer');
  });
});
