import type { ConsoleSession, ConsoleTenant } from '@abm-pilot/shared';
import {
  consoleLogoutContract,
  consoleSessionContract,
  consoleSwitchContract,
  fill,
} from '@abm-pilot/shared';
import { useEffect, useState } from 'react';

import type { ApiFailure } from './api.ts';
import { callContract } from './api.ts';
import { ErrorPanel, Loading } from './components/ErrorPanel.tsx';
import { sessionEnded } from './failures.ts';
import { useI18n } from './i18n.tsx';
import { Account } from './pages/Account.tsx';
import { Accounts } from './pages/Accounts.tsx';
import { Approvals } from './pages/Approvals.tsx';
import { Audit } from './pages/Audit.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { Login } from './pages/Login.tsx';
import { Review } from './pages/Review.tsx';
import type { Route } from './route.ts';
import { parseRoute } from './route.ts';

type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'signed_out' }
  | { readonly status: 'unreachable'; readonly failure: ApiFailure }
  | { readonly status: 'signed_in'; readonly session: ConsoleSession }
  /** Logging in to one more tenant, the session kept to go back to. */
  | { readonly status: 'adding_tenant'; readonly session: ConsoleSession };

const tenantKey = (tenant: ConsoleTenant) => `${tenant.system}:${tenant.externalId}`;

type NavPage = Exclude<Route['page'], 'account'>;

const NAV: readonly { readonly page: NavPage; readonly href: string }[] = [
  { page: 'dashboard', href: '#/dashboard' },
  { page: 'accounts', href: '#/accounts' },
  { page: 'approvals', href: '#/approvals' },
  { page: 'review', href: '#/review' },
  { page: 'audit', href: '#/audit' },
];

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const { messages, vocabulary } = useI18n();
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const route = useHashRoute();

  const check = () => {
    setState({ status: 'checking' });
    void callContract(consoleSessionContract).then((result) =>
      setState(
        result.ok
          ? { status: 'signed_in', session: result.value }
          : sessionEnded(result.failure)
            ? { status: 'signed_out' }
            : { status: 'unreachable', failure: result.failure },
      ),
    );
  };
  useEffect(check, []);

  const switchTo = async (key: string) => {
    const tenant =
      state.status === 'signed_in' ? state.session.tenants.find((t) => tenantKey(t) === key) : null;
    if (!tenant) return;
    const result = await callContract(consoleSwitchContract, {
      body: { system: tenant.system, externalId: tenant.externalId },
    });
    if (!result.ok) {
      setState(
        sessionEnded(result.failure)
          ? { status: 'signed_out' }
          : { status: 'unreachable', failure: result.failure },
      );
      return;
    }
    // An account of one tenant is not in the other: its page gives way to the list.
    if (route.page === 'account') window.location.hash = '#/accounts';
    setState({ status: 'signed_in', session: result.value });
  };

  const logout = async () => {
    await callContract(consoleLogoutContract, { body: {} });
    setState({ status: 'signed_out' });
  };

  if (state.status === 'checking') return <Loading text={messages.session.loading} />;
  if (state.status === 'unreachable') return <ErrorPanel failure={state.failure} onRetry={check} />;
  if (state.status === 'signed_out')
    return <Login onSignedIn={(session) => setState({ status: 'signed_in', session })} />;
  if (state.status === 'adding_tenant') {
    const { session } = state;
    return (
      <Login
        onSignedIn={(added) => setState({ status: 'signed_in', session: added })}
        onCancel={() => setState({ status: 'signed_in', session })}
      />
    );
  }

  const { session } = state;
  const current = route.page === 'account' ? 'accounts' : route.page;
  const sessionRole = session.role === 'admin' ? messages.session.admin : messages.session.viewer;
  const actingAs = session.actingAs;
  const who =
    actingAs === null
      ? fill(messages.session.unbound, { tenant: session.tenant.name, sessionRole })
      : fill(messages.session.actingAs, {
          tenant: session.tenant.name,
          sessionRole,
          person:
            actingAs.roles.length === 0
              ? (actingAs.name ?? actingAs.userId)
              : fill(messages.common.personWithRoles, {
                  person: actingAs.name ?? actingAs.userId,
                  roles: actingAs.roles.map((role) => vocabulary.role[role]).join(', '),
                }),
        });
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {messages.common.skipToContent}
      </a>
      <header className="top">
        <p className="brand">{messages.common.brand}</p>
        <nav aria-label={messages.nav.label}>
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a href={item.href} aria-current={current === item.page ? 'page' : undefined}>
                  {messages.nav[item.page]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who">{who}</p>
        {session.tenants.length > 1 ? (
          <label className="tenant">
            {messages.session.tenant}
            <select value={tenantKey(session.tenant)} onChange={(event) => void switchTo(event.target.value)}>
              {session.tenants.map((tenant) => (
                <option key={tenantKey(tenant)} value={tenantKey(tenant)}>
                  {fill(messages.session.tenantOption, {
                    tenant: tenant.name,
                    crm: messages.session.crm[tenant.system],
                  })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" onClick={() => setState({ status: 'adding_tenant', session })}>
          {messages.session.addTenant}
        </button>
        <button type="button" onClick={() => void logout()}>
          {messages.session.logOut}
        </button>
      </header>
      {/* Each tenant's pages start afresh: nothing read in one shows in the other. */}
      <Page key={tenantKey(session.tenant)} route={route} session={session} />
    </>
  );
}

function Page({ route, session }: { readonly route: Route; readonly session: ConsoleSession }) {
  switch (route.page) {
    case 'dashboard':
      return <Dashboard session={session} />;
    case 'accounts':
      return <Accounts filters={route.filters} />;
    case 'account':
      return <Account session={session} crmId={route.crmId} />;
    case 'approvals':
      return <Approvals session={session} />;
    case 'review':
      return <Review session={session} />;
    case 'audit':
      return <Audit session={session} />;
  }
}
