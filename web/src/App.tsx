import type { ConsoleSession } from '@abm-pilot/shared';
import { consoleLogoutContract, consoleSessionContract } from '@abm-pilot/shared';
import { useEffect, useState } from 'react';

import type { ApiFailure } from './api.ts';
import { callApi } from './api.ts';
import { ErrorPanel, Loading } from './components/ErrorPanel.tsx';
import { roleLabel } from './format.ts';
import { Account } from './pages/Account.tsx';
import { Accounts } from './pages/Accounts.tsx';
import { Approvals } from './pages/Approvals.tsx';
import { Audit } from './pages/Audit.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { Login } from './pages/Login.tsx';
import type { Route } from './route.ts';
import { parseRoute } from './route.ts';

type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'signed_out' }
  | { readonly status: 'unreachable'; readonly error: ApiFailure }
  | { readonly status: 'signed_in'; readonly session: ConsoleSession };

const NAV: readonly { readonly page: Route['page']; readonly href: string; readonly label: string }[] = [
  { page: 'dashboard', href: '#/dashboard', label: 'Dashboard' },
  { page: 'accounts', href: '#/accounts', label: 'Accounts' },
  { page: 'approvals', href: '#/approvals', label: 'Approvals' },
  { page: 'audit', href: '#/audit', label: 'Audit log' },
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
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const route = useHashRoute();

  const check = () => {
    setState({ status: 'checking' });
    void callApi(consoleSessionContract).then((result) =>
      setState(
        result.ok
          ? { status: 'signed_in', session: result.data }
          : result.error.code === 'unauthorized'
            ? { status: 'signed_out' }
            : { status: 'unreachable', error: result.error },
      ),
    );
  };
  useEffect(check, []);

  const logout = async () => {
    await callApi(consoleLogoutContract, { body: {} });
    setState({ status: 'signed_out' });
  };

  if (state.status === 'checking') return <Loading what="the console" />;
  if (state.status === 'unreachable') return <ErrorPanel error={state.error} onRetry={check} />;
  if (state.status === 'signed_out')
    return <Login onSignedIn={(session) => setState({ status: 'signed_in', session })} />;

  const { session } = state;
  const current = route.page === 'account' ? 'accounts' : route.page;
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
        Skip to content
      </a>
      <header className="top">
        <p className="brand">ABM Pilot</p>
        <nav aria-label="Console">
          <ul>
            {NAV.map((item) => (
              <li key={item.page}>
                <a href={item.href} aria-current={current === item.page ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who">
          {session.tenant.name} · {session.role === 'admin' ? 'Admin' : 'Viewer'}
          {session.actingAs
            ? ` as ${session.actingAs.name ?? session.actingAs.userId}${session.actingAs.roles.length > 0 ? ` (${session.actingAs.roles.map(roleLabel).join(', ')})` : ''}`
            : ' (bound to no CRM user)'}
        </p>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <Page route={route} session={session} />
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
    case 'audit':
      return <Audit session={session} />;
  }
}
