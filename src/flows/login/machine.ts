/**
 * Password sign-in as a flow (issue 10): the stored record that ties a sign-in to where it was
 * going (a page, or an app's OpenID interaction), so it can be left and resumed, and so the
 * pages, the JSON API and the provider drive one machine. The password check, the lockout and
 * the session are identity/sign-in.ts; the forced change of a temporary password and the role
 * choice are their own pages, reached from here with the way back kept.
 *
 *   identify ──identifier + password (+ captcha when asked)──▶ done
 *      ▲  │
 *      └──┘ wrong password, wait, captcha, lock (field errors; the typed identifier kept)
 */
import type { Locale } from '../../config.ts';
import type { Flow } from '../flow.ts';

export type LoginState = 'identify' | 'done';

export type LoginData = {
  locale: Locale;
  /** Where to go once signed in: a path on this site (an interaction, a page). */
  returnTo?: string;
  /** The staff entry (F4): only staff roles are offered afterwards. */
  staff?: boolean;
  /** What was typed, to draw the form again. */
  identifier: string;
  /** The next try will need a solved captcha: the form shows it. */
  captcha?: boolean;
  /** Set when done: the session made (never its token). */
  sessionId?: string;
};

export type LoginFlow = Flow<'login', LoginState, LoginData>;

export const loginActions: Record<LoginState, readonly string[]> = { identify: ['submit'], done: [] };
