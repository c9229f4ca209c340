/**
 * One submission of the support form (F29), the same for the page and the JSON API: the
 * fields are checked and normalized, then (for someone signed out) the contact and the
 * captcha, which is checked last and only when the rest is valid, so a solved challenge is not
 * spent on a form that comes back for a typo; then the request is filed.
 */
import type { CaptchaAnswer } from '../captcha/captcha.ts';
import type { Locale } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Profile } from '../domain/profile.ts';
import { parseContact, parseSupportInput, type SupportFieldError } from '../domain/support-request.ts';
import type { MembershipView } from '../identity/memberships.ts';
import { fileRequest, screenshotProblem, type SupportLimits } from './file-request.ts';

export type SubmitDeps = {
  db: Db;
  profile: Profile;
  captcha: { check(answer: CaptchaAnswer, now?: Date): Promise<boolean> };
  limits?: SupportLimits | undefined;
};

/** The raw form: strings as sent (absent ones empty), the screenshot's bytes or null. */
export type SupportForm = {
  category: string; subject: string; text: string; from?: string | undefined;
  contact?: string | undefined; captcha?: string | undefined; captchaId?: string | undefined;
  screenshot: Buffer | null;
};

export type FieldError = { field: SupportFieldError['field'] | 'captcha'; code: SupportFieldError['code'] | 'captcha.invalid' };

export type Submitted =
  | { ok: true; id: string; reference: string }
  | { ok: false; status: 422; errors: FieldError[] }
  | { ok: false; status: 429; code: 'support.rate_limited' };

/** `asker`: the signed-in account and the membership it acts as (or none), or null for someone signed out. */
export async function submitSupportRequest(
  deps: SubmitDeps, asker: { accountId: string; acting: MembershipView | null } | null, form: SupportForm,
  context: { now: Date; ip: string | null; locale: Locale },
): Promise<Submitted> {
  const parsed = parseSupportInput(form);
  const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors];
  const shot = screenshotProblem(form.screenshot);
  if (shot) errors.push(shot);
  let contact: { channel: 'sms' | 'email'; to: string } | null = null;
  if (asker === null) {
    const read = parseContact(form.contact ?? '', deps.profile);
    if (read.ok) contact = read.value;
    else errors.push({ field: 'contact', code: read.code });
  }
  if (errors.length > 0 || !parsed.ok) return { ok: false, status: 422, errors };
  if (asker === null && !(await deps.captcha.check({ captcha: form.captcha, captchaId: form.captchaId, ip: context.ip }, context.now))) {
    return { ok: false, status: 422, errors: [{ field: 'captcha', code: 'captcha.invalid' }] };
  }
  const requester = asker !== null ? { kind: 'account' as const, ...asker } : { kind: 'anonymous' as const, contact: contact! };
  const filed = await fileRequest(deps.db, requester, { ...parsed.value, screenshot: form.screenshot, locale: context.locale }, {
    now: context.now, ip: context.ip, ...(deps.limits ? { limits: deps.limits } : {}),
  });
  if ('status' in filed) return filed.status === 429 ? { ok: false, status: 429, code: filed.code } : { ok: false, status: 422, errors: filed.errors };
  return { ok: true, ...filed };
}
