// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { browserLocale, fillNodes, I18nProvider, useI18n } from './i18n.tsx';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

describe('the browser’s language', () => {
  it('is its first preferred language, or its language when it lists none', () => {
    expect(browserLocale({ languages: ['fr-FR', 'en-US'], language: 'en-US' })).toBe('fr');
    expect(browserLocale({ languages: ['en-GB', 'fr-FR'], language: 'fr-FR' })).toBe('en');
    expect(browserLocale({ languages: [], language: 'fr-CA' })).toBe('fr');
    expect(browserLocale({ languages: [], language: 'de-DE' })).toBe('en');
  });
});

describe('the language provider', () => {
  let root: Root;
  let container: HTMLElement;

  beforeEach(() => {
    globalThis.IS_REACT_ACT_ENVIRONMENT = true;
    container = document.createElement('div');
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    vi.restoreAllMocks();
  });

  function Heading() {
    const { messages, vocabulary } = useI18n();
    return (
      <p>
        {messages.dashboard.title} / {vocabulary.segment.non_abm}
      </p>
    );
  }

  it('gives every page the browser’s language and sets the document’s language and title', async () => {
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['fr-FR']);
    await act(async () =>
      root.render(
        <I18nProvider>
          <Heading />
        </I18nProvider>,
      ),
    );
    expect(container.textContent).toBe('Tableau de bord de la gouvernance / Hors ABM');
    expect(document.documentElement.lang).toBe('fr');
    expect(document.title).toBe('Console ABM Pilot');
  });

  it('follows the browser when its language changes', async () => {
    const languages = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['en-US']);
    await act(async () =>
      root.render(
        <I18nProvider>
          <Heading />
        </I18nProvider>,
      ),
    );
    expect(container.textContent).toBe('Governance dashboard / Non-ABM');
    expect(document.documentElement.lang).toBe('en');
    languages.mockReturnValue(['fr']);
    await act(async () => window.dispatchEvent(new Event('languagechange')));
    expect(container.textContent).toBe('Tableau de bord de la gouvernance / Hors ABM');
    expect(document.documentElement.lang).toBe('fr');
  });
});

describe('fillNodes', () => {
  it('puts links and markup where the placeholders are, and leaves an unknown one visible', () => {
    const sentence = fillNodes('Browse the {accounts}, or {missing}.', {
      accounts: <a href="#/accounts">accounts</a>,
    });
    expect(renderToStaticMarkup(<p>{sentence}</p>)).toBe(
      '<p>Browse the <a href="#/accounts">accounts</a>, or {missing}.</p>',
    );
  });
});
