/**
 * One-time-code sign-in (F3, seed 3's "שלחו לי SMS"), the pure part: its states and what each
 * accepts. No I/O here: the lookup, the limits, the code and the session live in steps.ts.
 *
 *   identify ──identifier + send_sms | send_call──▶ verify ──right code──▶ done
 *      ▲                                              │  ▲
 *      └──────────────────edit────────────────────────┘  └─ send_sms | send_call (cooldown), wrong code
 *
 * The identify step always moves on to verify, whether or not the identifier names an account
 * with a mobile: the answer, the states and the work are the same, and only a match sends.
 */
import type { Locale } from '../../config.ts';
import type { Flow } from '../flow.ts';

export type OtpLoginState = 'identify' | 'verify' | 'done';

export type OtpChannel = 'sms' | 'call';

export type OtpLoginData = {
  locale: Locale;
  /** Where to go once signed in (a page, an app's interaction), and whether through the staff entry. */
  returnTo?: string;
  staff?: boolean;
  /** What was typed, to draw the form again. */
  identifier: string;
  /** How the last code went (or, with no match, would have gone), and when: the cooldown and the code's expiry. */
  channel?: OtpChannel;
  codeSentAt?: string;
  /** The account and its registered mobile, if the identifier named one. Never shown in any answer. */
  accountId?: string;
  mobile?: string;
  /** Set when done: the session made (never its token). */
  sessionId?: string;
};

export type OtpLoginFlow = Flow<'otp-login', OtpLoginState, OtpLoginData>;

/** The actions each state accepts; anything else is refused as `flow.action_not_allowed`. */
export const otpActions: Record<OtpLoginState, readonly string[]> = {
  identify: ['send_sms', 'send_call'],
  verify: ['verify', 'send_sms', 'send_call', 'edit'],
  done: [],
};

/** The channel a send button asks for. */
export const channelOf = (action: string): OtpChannel => (action === 'send_call' ? 'call' : 'sms');

/**
 * What the flow keeps once the person goes back to type another identifier: nothing of the
 * match; when its last code went (or would have gone), for the cooldown, which is the same
 * whatever was typed.
 */
export const forgetMatch = ({ accountId: _a, mobile: _m, channel: _c, ...rest }: OtpLoginData): OtpLoginData => rest;
