import { CONSOLE_HEADER } from '@abm-pilot/shared';
import type { Request } from 'express';

// The console's session is the admin token itself, in a cookie scripts cannot read (HttpOnly), that no other
// site's page sends (SameSite=Strict) and that a cross-site form cannot pair with the console's own header.
// Revoking the token ends every session on it; logging out clears the cookie.

export const CONSOLE_COOKIE = 'abm_console';
/**
 * Every token this browser logged in with, one per tenant, `~`-separated, so the console switches tenants
 * without asking for a token again; as guarded as the session's own cookie.
 */
export const CONSOLE_TOKENS_COOKIE = 'abm_console_tenants';
/** Tenants one browser may hold at once: a cookie stays far below the 4 KB browsers keep. */
export const MAX_CONSOLE_TENANTS = 8;

/** How long the browser keeps a session: a working day, so a console left open on a shared screen expires. */
export const CONSOLE_SESSION_SECONDS = 12 * 60 * 60;

export type ConsoleCookie =
  | { readonly kind: 'none' }
  | { readonly kind: 'missing_header' }
  | { readonly kind: 'token'; readonly token: string };

/** The session token a request carries, and whether it came with the console's CSRF header. */
export function consoleCookieOf(req: Request): ConsoleCookie {
  const token = cookieValue(req.header('cookie'), CONSOLE_COOKIE);
  if (token === null) return { kind: 'none' };
  if (req.header(CONSOLE_HEADER) !== '1') return { kind: 'missing_header' };
  return { kind: 'token', token };
}

/** The tokens of every tenant this browser logged in to, most recent first; none without the header. */
export function consoleTokensOf(req: Request): string[] {
  if (req.header(CONSOLE_HEADER) !== '1') return [];
  const value = cookieValue(req.header('cookie'), CONSOLE_TOKENS_COOKIE, /^[A-Za-z0-9_.~-]{1,4096}$/);
  return value === null ? [] : value.split('~').filter((token) => TOKEN.test(token));
}

const TOKEN = /^[A-Za-z0-9_.-]{1,512}$/;

/** One cookie's value from a `Cookie` header; `null` when absent, empty or not a token's characters. */
export function cookieValue(header: string | undefined, name: string, valid: RegExp = TOKEN): string | null {
  if (header === undefined || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return valid.test(value) ? value : null;
  }
  return null;
}

/** `Set-Cookie` for a session; `token: null` clears it. */
export function sessionCookie(token: string | null, secure: boolean): string {
  return guardedCookie(CONSOLE_COOKIE, token, secure);
}

/** `Set-Cookie` for the tokens of every tenant logged in to; `null` clears it. */
export function tokensCookie(tokens: readonly string[] | null, secure: boolean): string {
  return guardedCookie(CONSOLE_TOKENS_COOKIE, tokens === null ? null : tokens.join('~'), secure);
}

function guardedCookie(name: string, token: string | null, secure: boolean): string {
  return [
    `${name}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token === null ? 0 : CONSOLE_SESSION_SECONDS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
