import type { ConsoleSession } from '@abm-pilot/shared';
import { consoleLoginContract } from '@abm-pilot/shared';
import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callApi } from '../api.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';

type LoginState =
  | { readonly status: 'editing' }
  | { readonly status: 'sending' }
  | { readonly status: 'refused'; readonly error: ApiFailure };

/** The token goes in the POST body only; the server answers with an HttpOnly cookie the page never sees. */
export function Login({ onSignedIn }: { readonly onSignedIn: (session: ConsoleSession) => void }) {
  const [state, setState] = useState<LoginState>({ status: 'editing' });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = new FormData(event.currentTarget).get('token');
    if (typeof token !== 'string' || token.trim().length < 10) {
      setState({
        status: 'refused',
        error: { code: 'invalid_request', message: 'Paste the whole token.', status: 400 },
      });
      return;
    }
    setState({ status: 'sending' });
    const result = await callApi(consoleLoginContract, { body: { token: token.trim() } });
    if (result.ok) onSignedIn(result.data);
    else {
      setState({ status: 'refused', error: result.error });
      input.current?.focus();
    }
  };

  return (
    <main className="login" id="main">
      <h1>ABM Pilot console</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby="token-help">
        <label htmlFor="token">Admin or viewer token</label>
        <input
          ref={input}
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          aria-invalid={state.status === 'refused'}
        />
        <p id="token-help" className="help">
          The token your ABM Pilot admin issued for this tenant (it starts with <code>abm_adm_</code>).
        </p>
        <button type="submit" disabled={state.status === 'sending'}>
          {state.status === 'sending' ? 'Logging in…' : 'Log in'}
        </button>
        {state.status === 'refused' ? <ErrorPanel error={state.error} /> : null}
      </form>
    </main>
  );
}
