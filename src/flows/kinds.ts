/**
 * Every kind of flow in one table (kind → start, step, form): the JSON API, the pages and the
 * OpenID provider's interaction all read it, so a new way in (one-time-code sign-in, set
 * password) is a folder under flows/ and a line in app.ts, not edits in three dispatchers.
 * Kratos's selfservice strategies are the model: each kind owns its states; callers see only
 * this interface.
 */
import type { Locale } from '../config.ts';
import type { CurrentSession } from '../identity/sessions.ts';
import type { FieldErrors, Flow } from './flow.ts';
import type { FormModel } from './form.ts';
import type { Formatting } from '../i18n/format.ts';

/** Who asks: the request's facts a kind may need (none of them trusted beyond what they are). */
export type FlowRequest = {
  locale: Locale;
  ip: string | null;
  userAgent: string | null;
  /** The signed-in session, if any (change-password needs one). */
  session: CurrentSession | null;
  /** The page's browser binding (flows/store.ts); null for the API. */
  binding: string | null;
  /** The device tokens the browser or app holds (sign-in: identity/devices.ts). */
  deviceTokens?: string | undefined;
};

/** What a step did besides moving the flow: a sign-in made a session (the caller sets its cookie or hands its token). */
export type SignedIn = {
  token: string; deviceCookie: string; deviceToken: string; mustChangePassword: boolean; memberships: number;
  /** Where the sign-in was going (a page, an app's interaction), and whether through the staff entry. */
  returnTo?: string | undefined; staff?: boolean | undefined;
};

export type StepOutcome<F extends Flow = Flow> = { flow: F; errors: FieldErrors; signedIn?: SignedIn };

export type FlowKind<F extends Flow = Flow> = {
  /** Starts a flow; `options` are the starter's (the API's query, a page's return_to). Undefined when the caller may not start one. */
  start(request: FlowRequest, options: Record<string, string | undefined>): Promise<F | undefined>;
  step(flow: F, input: Record<string, string>, request: FlowRequest): Promise<StepOutcome<F>>;
  /**
   * The step's form; `formatting`: the page's (or API answer's) language and digits, `now` for
   * what waits (a resend's cooldown) and what expires (a code).
   */
  form(flow: F, formatting: Formatting, now: Date): FormModel;
  /** A flow tied to a session (change password) is another session's business: it answers as not found. */
  belongsTo?(flow: F, request: FlowRequest): boolean;
};

export type FlowKinds = Record<string, FlowKind>;

/** Erases a kind's own flow type for the table (each kind checks its own input and state). */
export const kind = <F extends Flow>(k: FlowKind<F>): FlowKind => k as unknown as FlowKind;
