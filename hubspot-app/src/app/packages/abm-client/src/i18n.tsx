import type { CrmWriteStatus, Locale, Role, TierOrNone, Vocabulary } from '@abm-pilot/shared';
import {
  DEFAULT_LOCALE,
  fill,
  localeOf,
  reasonCodeLabelOf,
  tierLabelOf,
  vocabularyOf,
} from '@abm-pilot/shared';
import type { ApiFailure } from '@abm-pilot/shared/client';
import type { ReactNode } from 'react';
import { createContext, useContext, useMemo } from 'react';

import { failureText } from './failures.ts';
import type { Formats } from './format.ts';
import { formatsOf } from './format.ts';
import type { Messages } from './messages.ts';
import { MESSAGES } from './messages.ts';

// Each extension speaks the language of the HubSpot user who opens it (`context.user.locale`) and writes
// instants in the portal's time zone: decided once at the extension's root and handed to every section
// through one context, so a section never decides on its own and a screen never mixes two languages.

/** The programme's words that take more than a table lookup. */
export interface Words {
  readonly tier: (tier: TierOrNone) => string;
  /** "Marketer, ABM manager", or that the person holds no ABM role. */
  readonly roles: (roles: readonly Role[]) => string;
  /** Who may decide, as "A or B". */
  readonly approvers: (roles: readonly Role[]) => string;
  /** A person by name, or by id when the server knows no name. */
  readonly person: (person: { readonly name: string | null; readonly userId: string }) => string;
  readonly reasonCode: (code: string) => string;
  /** Where the HubSpot record stands after a decision; empty when the server did not say. */
  readonly crmWrite: (status: CrmWriteStatus | undefined) => string;
  readonly failure: (failure: ApiFailure) => string;
}

export interface I18n {
  readonly locale: Locale;
  /** The extensions' own sentences. */
  readonly messages: Messages;
  /** The programme's words, shared with the server, the Salesforce components and the console. */
  readonly vocabulary: Vocabulary;
  readonly format: Formats;
  readonly words: Words;
}

export function i18nOf(locale: Locale, timeZone: string): I18n {
  const messages = MESSAGES[locale];
  const vocabulary = vocabularyOf(locale);
  const format = formatsOf(locale, timeZone, messages);
  const roleNames = (roles: readonly Role[]) => roles.map((role) => vocabulary.role[role]);
  return {
    locale,
    messages,
    vocabulary,
    format,
    words: {
      tier: (tier) => tierLabelOf(vocabulary, tier),
      roles: (roles) => (roles.length === 0 ? vocabulary.noRole : roleNames(roles).join(', ')),
      approvers: (roles) => format.either(roleNames(roles)),
      person: ({ name, userId }) => name ?? fill(messages.common.userNamed, { id: userId }),
      reasonCode: (code) => reasonCodeLabelOf(vocabulary, code),
      crmWrite: (status) =>
        status === undefined ? '' : fill(vocabulary.crmWrite[status], { crm: messages.crmName }),
      failure: (failure) => failureText(messages, vocabulary, failure),
    },
  };
}

/** What an extension's context tells of its reader and portal. */
export interface ReaderContext {
  readonly user: { readonly locale?: string; readonly language?: string };
  readonly portal: { readonly timezone: string };
}

/** The HubSpot user's language as the extensions speak it: French for any French locale, else English. */
export const localeOfReader = (context: ReaderContext): Locale =>
  localeOf(context.user.locale ?? context.user.language);

const I18nContext = createContext<I18n>(i18nOf(DEFAULT_LOCALE, 'UTC'));

export const useI18n = (): I18n => useContext(I18nContext);

export function I18nProvider({
  context,
  children,
}: {
  readonly context: ReaderContext;
  readonly children: ReactNode;
}) {
  const locale = localeOfReader(context);
  const timeZone = context.portal.timezone;
  const i18n = useMemo(() => i18nOf(locale, timeZone), [locale, timeZone]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

/** Sentences joined as one text; an empty one (a note that does not apply) leaves no double space. */
export const sentences = (...parts: readonly string[]): string =>
  parts.filter((part) => part !== '').join(' ');
