/** What route plugins receive: the narrow dependencies, built once in app.ts. */
import type { Captcha } from '../captcha/captcha.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PasswordPolicy } from '../domain/password-policy.ts';
import type { Clock } from '../identity/clock.ts';
import type { MfaKeys } from '../identity/mfa.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import type { SignInDeps } from '../identity/sign-in.ts';

export type RouteContext = {
  config: Config;
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  signIn: SignInDeps;
  timeZone: string;
  today(): string;
  secureCookies: boolean;
  /** Issues captcha challenges and checks (and spends) their solutions. */
  captcha: Captcha;
  /** Keys of the second factor (TOTP seeds sealed, recovery codes keyed). */
  mfaKeys: MfaKeys;
};
