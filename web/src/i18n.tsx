import type { Locale, Vocabulary } from '@abm-pilot/shared';
import { DEFAULT_LOCALE, localeOf, vocabularyOf } from '@abm-pilot/shared';
import type { ReactNode } from 'react';
import { createContext, Fragment, useContext, useEffect, useMemo, useState } from 'react';

import type { Formats } from './format.ts';
import { formatsOf } from './format.ts';
import type { Messages } from './messages.ts';
import { MESSAGES } from './messages.ts';

// The console speaks the language of the browser it runs in: decided in one place, at the root, and handed
// to every page through one context, so no page decides it on its own and a screen never mixes two.

export interface I18n {
  readonly locale: Locale;
  /** The console's own sentences. */
  readonly messages: Messages;
  /** The programme's words, shared with the CRMs. */
  readonly vocabulary: Vocabulary;
  readonly format: Formats;
}

export const i18nOf = (locale: Locale): I18n => ({
  locale,
  messages: MESSAGES[locale],
  vocabulary: vocabularyOf(locale),
  format: formatsOf(locale),
});

/** The browser's first preferred language, as the console speaks it. */
export const browserLocale = (navigator: Pick<Navigator, 'languages' | 'language'>): Locale =>
  localeOf(navigator.languages[0] ?? navigator.language);

const I18nContext = createContext<I18n>(i18nOf(DEFAULT_LOCALE));

export const useI18n = (): I18n => useContext(I18nContext);

/**
 * Provides the browser's language (following it when the person changes it), and keeps `<html lang>` and
 * the window title in that language for screen readers and tabs.
 */
export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [locale, setLocale] = useState(() => browserLocale(window.navigator));
  useEffect(() => {
    const onChange = () => setLocale(browserLocale(window.navigator));
    window.addEventListener('languagechange', onChange);
    return () => window.removeEventListener('languagechange', onChange);
  }, []);
  const i18n = useMemo(() => i18nOf(locale), [locale]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.messages.common.documentTitle;
  }, [locale, i18n]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

/** `fill` for sentences holding links or markup: each `{name}` becomes the node given for it. */
export function fillNodes(template: string, values: Readonly<Record<string, ReactNode>>): ReactNode {
  return template.split(/\{(\w+)\}/).map((part, index) =>
    // Odd parts are the placeholders' names, as `split` returns the captured group between the texts.
    index % 2 === 0 ? (
      part
    ) : (
      <Fragment key={index}>{Object.hasOwn(values, part) ? values[part] : `{${part}}`}</Fragment>
    ),
  );
}
