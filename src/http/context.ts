/** What route plugins receive: the narrow dependencies, built once in app.ts. */
import type { BatchRunner } from '../admin/batch-runner.ts';
import type { Captcha } from '../captcha/captcha.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PasswordPolicy } from '../domain/password-policy.ts';
import type { Clock } from '../identity/clock.ts';
import type { MfaKeys } from '../identity/mfa.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import type { SignInDeps } from '../identity/sign-in.ts';
import type { Federation } from '../federation/provider.ts';
import type { FlowKinds } from '../flows/kinds.ts';
import type { InvitationSender } from '../identity/invitations.ts';
import type { Notifier } from '../identity/notifier.ts';

export type RouteContext = {
  config: Config;
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  signIn: SignInDeps;
  timeZone: string;
  today(): string;
  /** Issues captcha challenges and checks (and spends) their solutions. */
  captcha: Captcha;
  /** Sealing small secrets (TOTP seeds, a batch's passwords until shown) and keying codes. */
  keys: MfaKeys & { federation: Buffer };
  /** Works password batches in the background (F21). */
  batches: BatchRunner;
  /** Every kind of flow (flows/kinds.ts): pages, the API and the provider's interaction read it. */
  kinds: FlowKinds;
  /** The OpenID provider (federation/provider.ts). */
  federation: Federation;
  /** Makes and emails set-password links (F19). */
  invitations: InvitationSender;
  /** Writes messages to the outbox in the caller's transaction (support answers, F29). */
  notifier: Notifier;
};
