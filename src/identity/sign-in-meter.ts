/**
 * What each sign-in came to, for the operators (kelid_sign_ins_total{method,outcome}). The
 * label values are these lists and nothing a client writes, so the series stay few.
 *
 *   method   password · otp (a one-time code by SMS or call) · qr (a slip's QR code)
 *   outcome  success · failure (wrong password or code, unknown identifier, spent QR code)
 *            · locked · delayed (asked to wait) · captcha_required · malformed (the form
 *            itself was refused) · shed (refused for load, unchecked: issue 12)
 */
export const SIGN_IN_METHODS = ['password', 'otp', 'qr'] as const;
export const SIGN_IN_OUTCOMES = ['success', 'failure', 'locked', 'delayed', 'captcha_required', 'malformed', 'shed'] as const;

export type SignInMethod = typeof SIGN_IN_METHODS[number];
export type SignInOutcome = typeof SIGN_IN_OUTCOMES[number];

/** Counts one sign-in (http/metrics.ts); tools and tests without metrics pass none. */
export type SignInMeter = (method: SignInMethod, outcome: SignInOutcome) => void;
