import {
  PostCostsBodySchema,
  PutConfigBodySchema,
  PutRolesBodySchema,
  TriggerSyncBodySchema,
} from '@abm-pilot/shared';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Input,
  LoadingButton,
  MultiSelect,
  NumberInput,
  Select,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Route } from '../../../tests/recorded.ts';
import {
  answerHubSpotFetch,
  nextPortalId,
  apiErrorBody,
  fire,
  ok,
  recorded,
  textContent,
} from '../../../tests/recorded.ts';
import { SettingsPage } from './SettingsPage.tsx';

// The settings page against recorded server answers, through `hubspot.fetch`.

const STATUS = 'GET /api/v1/admin/sync/status';
const SYNC = 'POST /api/v1/admin/sync';
const ROLES = 'GET /api/v1/admin/roles';
const PUT_ROLES = 'PUT /api/v1/admin/roles';
const CONFIG = 'GET /api/v1/admin/config';
const PUT_CONFIG = 'PUT /api/v1/admin/config';
const COSTS = 'POST /api/v1/admin/costs';
const ADMIN = 81239999;

afterEach(() => {
  vi.restoreAllMocks();
});

/** `locale` is the HubSpot user's, as `context.user.locale` gives it; none reads as English. */
function renderSettings(routes: Record<string, Route> = {}, locale?: string) {
  const portalId = nextPortalId();
  const server = answerHubSpotFetch(
    {
      [STATUS]: () => ok(recorded('getSyncStatus')),
      [ROLES]: () => ok(recorded('getRoles')),
      [CONFIG]: () => ok(recorded('getConfig')),
      ...routes,
    },
    portalId,
  );
  const renderer = createRenderer('settings');
  renderer.mocks.context.portal = { id: portalId, timezone: 'Europe/Paris' };
  renderer.mocks.context.user = {
    ...renderer.mocks.context.user,
    id: ADMIN,
    ...(locale === undefined ? {} : { locale }),
  };
  renderer.render(<SettingsPage context={renderer.mocks.context} />);
  const calls = (route: string) => server.sent.filter((r) => `${r.method} ${r.url.pathname}` === route);
  return { ...renderer, server, calls };
}

const loaded = async (found: ReturnType<typeof renderSettings>) => {
  await found.waitFor(() => {
    found.findByTestId(StatusTag, 'latest-run');
    found.findByTestId(LoadingButton, 'save-roles');
    found.findByTestId(LoadingButton, 'save-policy');
  });
};

describe('settings: connection', () => {
  it('shows the connected tenant, the last sync and the latest run, and starts a sync', async () => {
    const found = renderSettings({ [SYNC]: () => ({ status: 202, body: recorded('triggerSync') }) });
    await loaded(found);
    const connection = textContent(found.findByTestId(Flex, 'connection'));
    expect(connection).toContain('Northwind (Salesforce) (Salesforce org 00D5g000004ABCDEAA)');
    expect(connection).toContain('15 Apr 2026, 09:55');
    expect(found.findByTestId(StatusTag, 'latest-run').text).toBe('Running');
    found.findByTestId(LoadingButton, 'sync-now').trigger('onClick');
    await found.waitFor(() => expect(found.findByTestId(Text, 'sync-answer').text).toContain('Sync started'));
    expect(TriggerSyncBodySchema.parse(found.calls(SYNC)[0]?.body)).toEqual({ full: false });
    await vi.waitFor(() => expect(found.calls(STATUS)).toHaveLength(2));
  });

  it('shows no access to a user whose ABM role may not administer', async () => {
    const forbidden = () => ({
      status: 403,
      body: apiErrorBody('not_allowed_for_role', 'Your ABM role may not change the programme settings.'),
    });
    const found = renderSettings({ [STATUS]: forbidden, [ROLES]: forbidden, [CONFIG]: forbidden });
    await found.waitFor(() => {
      found.findByTestId(ErrorState, 'status-no-permission');
      found.findByTestId(ErrorState, 'roles-no-permission');
      found.findByTestId(ErrorState, 'config-no-permission');
    });
  });

  it('says the portal is not set up when it has no governance config yet', async () => {
    const found = renderSettings({
      [CONFIG]: () => ({ status: 409, body: apiErrorBody('not_configured', 'No config yet.') }),
    });
    await found.waitFor(() => found.findByTestId(EmptyState, 'config-not-configured'));
  });
});

describe('settings: role mapping', () => {
  it('edits, adds and removes users, and saves the whole mapping', async () => {
    const found = renderSettings({ [PUT_ROLES]: () => ok(recorded('putRoles')) });
    await loaded(found);
    expect(found.findByTestId(MultiSelect, 'roles-81239999').props.label).toBe(
      'HubSpot owner 81239999 (you)',
    );
    fire(found.findByTestId(MultiSelect, 'roles-81234567'), 'onChange', ['marketer', 'abm_manager']);
    fire(found.findByTestId(Input, 'new-user'), 'onChange', '81230001');
    found.findByTestId(Button, 'add-user').trigger('onClick');
    await found.waitFor(() => found.findByTestId(MultiSelect, 'roles-81230001'));
    fire(found.findByTestId(MultiSelect, 'roles-81230001'), 'onChange', ['sales_rep']);
    found.findByTestId(LoadingButton, 'save-roles').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Text, 'roles-saved'));
    expect(PutRolesBodySchema.parse(found.calls(PUT_ROLES)[0]?.body)).toEqual({
      users: {
        '81234567': ['marketer', 'abm_manager'],
        '81239999': ['abm_committee', 'abm_manager'],
        '81230001': ['sales_rep'],
      },
    });
  });

  it('refuses a user id the server would refuse, before sending', async () => {
    const found = renderSettings();
    await loaded(found);
    fire(found.findByTestId(Input, 'new-user'), 'onChange', 'not a user!');
    found.findByTestId(Button, 'add-user').trigger('onClick');
    await found.waitFor(() => found.findByTestId(Button, 'remove-not a user!'));
    found.findByTestId(LoadingButton, 'save-roles').trigger('onClick');
    await found.waitFor(() =>
      expect(textContent(found.findByTestId(Alert, 'roles-problems'))).toContain('not a user!'),
    );
    expect(found.calls(PUT_ROLES)).toHaveLength(0);
  });
});

describe('settings: SLA policy and scoring weights', () => {
  it('validates with the server schema and shows the problem at its field, sending nothing', async () => {
    const found = renderSettings();
    await loaded(found);
    fire(found.findByTestId(NumberInput, 'policy-sla.atRiskRatio'), 'onChange', 1.5);
    found.findByTestId(LoadingButton, 'save-policy').trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(NumberInput, 'policy-sla.atRiskRatio').props.error).toBe(true),
    );
    expect(found.findByTestId(NumberInput, 'policy-sla.atRiskRatio').props.validationMessage).toContain(
      'At risk after this share of the allowed time',
    );
    expect(found.calls(PUT_CONFIG)).toHaveLength(0);
  });

  it('catches a cross-field rule too: axis weights may not all be zero', async () => {
    const found = renderSettings();
    await loaded(found);
    for (const axis of ['revenue_potential', 'probability_of_success', 'strategic_alignment']) {
      fire(found.findByTestId(NumberInput, `policy-scoring.axes.${axis}.weight`), 'onChange', 0);
    }
    found.findByTestId(LoadingButton, 'save-policy').trigger('onClick');
    await found.waitFor(() =>
      expect(textContent(found.findByTestId(Alert, 'policy-problems'))).toContain(
        'axis weights must not all be zero',
      ),
    );
    expect(found.calls(PUT_CONFIG)).toHaveLength(0);
  });

  it('saves a valid edit on the version it started from', async () => {
    const found = renderSettings({ [PUT_CONFIG]: () => ok(recorded('putConfig')) });
    await loaded(found);
    fire(found.findByTestId(NumberInput, 'policy-sla.followUpBusinessHours.tier_1'), 'onChange', 4);
    fire(found.findByTestId(NumberInput, 'policy-scoring.criteria.engagement.weight'), 'onChange', 50);
    found.findByTestId(LoadingButton, 'save-policy').trigger('onClick');
    await vi.waitFor(() => expect(found.calls(PUT_CONFIG)).toHaveLength(1));
    const body = PutConfigBodySchema.parse(found.calls(PUT_CONFIG)[0]?.body);
    const current = recorded('getConfig').config;
    expect(body.basedOnVersion).toBe(3);
    expect(body.sla.followUpBusinessHours).toEqual({ ...current.sla.followUpBusinessHours, tier_1: 4 });
    expect(body.scoring.criteria.engagement.weight).toBe(50);
    expect(body.tiers).toEqual(current.tiers);
  });

  it('explains a save refused because someone saved first', async () => {
    const found = renderSettings({
      [PUT_CONFIG]: () => ({
        status: 409,
        body: apiErrorBody(
          'config_version_conflict',
          'Version 4 was saved since you started: reload and edit again.',
        ),
      }),
    });
    await loaded(found);
    found.findByTestId(LoadingButton, 'save-policy').trigger('onClick');
    await found.waitFor(() =>
      expect(textContent(found.findByTestId(Alert, 'policy-failure'))).toContain(
        'Version 4 was saved since you started',
      ),
    );
  });
});

describe('settings: cost ledger', () => {
  it('books sales time in hours', async () => {
    const found = renderSettings({ [COSTS]: () => ok(recorded('postCosts')) });
    await loaded(found);
    fire(found.findByTestId(Input, 'cost-month'), 'onChange', '2026-03');
    fire(found.findByTestId(Select, 'cost-category'), 'onChange', 'sales_time');
    await found.waitFor(() =>
      expect(found.findByTestId(NumberInput, 'cost-quantity').props.label).toBe('Sales hours'),
    );
    fire(found.findByTestId(NumberInput, 'cost-quantity'), 'onChange', 96);
    found.findByTestId(LoadingButton, 'book-cost').trigger('onClick');
    await found.waitFor(() =>
      expect(found.findByTestId(Text, 'cost-booked').text).toContain('Sales time for 2026-03'),
    );
    expect(PostCostsBodySchema.parse(found.calls(COSTS)[0]?.body)).toEqual({
      lines: [{ period: '2026-03', category: 'sales_time', hours: 96 }],
      mode: 'append',
    });
  });

  it('refuses a line the server would refuse, before sending', async () => {
    const found = renderSettings();
    await loaded(found);
    fire(found.findByTestId(Input, 'cost-month'), 'onChange', 'March');
    found.findByTestId(LoadingButton, 'book-cost').trigger('onClick');
    await found.waitFor(() => {
      const problems = textContent(found.findByTestId(Alert, 'cost-problems'));
      expect(problems).toContain('expected a month YYYY-MM');
      expect(problems).toContain('give either amount or hours');
    });
    expect(found.calls(COSTS)).toHaveLength(0);
  });
});

describe('settings: for a French-speaking HubSpot user', () => {
  it('shows the connection, the roles and the policy in French', async () => {
    const found = renderSettings({}, 'fr-FR');
    await loaded(found);
    const connection = textContent(found.findByTestId(Flex, 'connection'));
    expect(connection).toContain('Northwind (Salesforce) (org Salesforce 00D5g000004ABCDEAA)');
    expect(connection).toContain('15 avr. 2026, 09:55');
    expect(found.findByTestId(StatusTag, 'latest-run').text).toBe('En cours');
    expect(found.findByTestId(MultiSelect, 'roles-81239999').props.label).toBe(
      'Propriétaire HubSpot 81239999 (vous)',
    );
    expect(
      found.findByTestId(MultiSelect, 'roles-81239999').props.options.map((option) => option.label),
    ).toContain('Responsable ABM');
    expect(found.findByTestId(NumberInput, 'policy-sla.followUpBusinessHours.tier_1').props.label).toBe(
      'Premier contact commercial, Tier 1 (heures ouvrées)',
    );
    expect(found.findByTestId(Select, 'cost-category').props.options.map((option) => option.label)).toContain(
      'Temps commercial',
    );
  });
});
