import type { ConsoleSession } from '@abm-pilot/shared';
import { consoleLoginContract } from '@abm-pilot/shared';
import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';

import type { ApiFailure } from '../api.ts';
import { callContract } from '../api.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { fillNodes, useI18n } from '../i18n.tsx';

type LoginState =
  | { readonly status: 'editing' }
  | { readonly status: 'too_short' }
  | { readonly status: 'sending' }
  | { readonly status: 'refused'; readonly failure: ApiFailure };

/**
 * The token goes in the POST body only; the server answers with an HttpOnly cookie the page never sees, and
 * keeps the tokens of the tenants logged in to before beside it. `onCancel` when a session goes on behind.
 */
export function Login({
  onSignedIn,
  onCancel,
}: {
  readonly onSignedIn: (session: ConsoleSession) => void;
  readonly onCancel?: () => void;
}) {
  const { messages } = useI18n();
  const text = messages.login;
  const [state, setState] = useState<LoginState>({ status: 'editing' });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = new FormData(event.currentTarget).get('token');
    if (typeof token !== 'string' || token.trim().length < 10) {
      setState({ status: 'too_short' });
      return;
    }
    setState({ status: 'sending' });
    const result = await callContract(consoleLoginContract, { body: { token: token.trim() } });
    if (result.ok) onSignedIn(result.value);
    else {
      setState({ status: 'refused', failure: result.failure });
      input.current?.focus();
    }
  };

  return (
    <main className="login" id="main">
      <h1>{messages.common.documentTitle}</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby="token-help">
        <label htmlFor="token">{text.tokenLabel}</label>
        <input
          ref={input}
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          aria-invalid={state.status === 'refused' || state.status === 'too_short'}
        />
        <p id="token-help" className="help">
          {fillNodes(text.tokenHelp, { prefix: <code>abm_adm_</code> })}
        </p>
        <button type="submit" disabled={state.status === 'sending'}>
          {state.status === 'sending' ? text.loggingIn : text.logIn}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {text.cancel}
          </button>
        ) : null}
        {state.status === 'too_short' ? (
          <p className="error" role="alert">
            <strong>{text.tokenTooShort}</strong>
          </p>
        ) : state.status === 'refused' ? (
          <ErrorPanel
            failure={state.failure}
            // Refused credentials at login are a wrong token, not an ended session.
            {...(state.failure.kind === 'no_permission' ? { headline: text.tokenRefused } : {})}
          />
        ) : null}
      </form>
    </main>
  );
}
