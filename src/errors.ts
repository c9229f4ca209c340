/**
 * One error type for everything a user or client can cause. `code` is a catalog key
 * (`national_id.checksum`, `error.session_required`…), typed as one: the catalog turns it into
 * words, errors never carry prose, and a misspelt code does not compile. Anything that is not
 * an AppError is a bug and is answered as a bare 500 without details (see
 * http/plugins/error-pages.ts).
 */
import type { TextKey } from './i18n/catalogs.ts';

export class AppError extends Error {
  readonly code: TextKey;
  readonly status: number;
  readonly field: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(status: number, code: TextKey, options: { field?: string; params?: Record<string, string | number> } = {}) {
    super(code);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.params = options.params ?? {};
  }
}

export const unauthorized = (code: TextKey = 'error.session_required') => new AppError(401, code);
export const forbidden = (code: TextKey = 'error.access_denied') => new AppError(403, code);
export const notFound = (code: TextKey = 'error.not_found') => new AppError(404, code);

/**
 * The HTTP status of each refusal the identity layer answers with a domain code (the model:
 * oidc-provider's errors.js). Field errors (a malformed identifier, a missing password) are 400.
 */
const refusalStatus: { readonly [K in TextKey]?: number } = {
  'sign_in.invalid': 401,
  'sign_in.captcha_required': 428,
  'sign_in.wait': 429,
  'sign_in.locked': 429,
  'mfa.locked': 429,
  'mfa.invalid': 422,
};
export const statusOfRefusal = (code: TextKey): number => refusalStatus[code] ?? 400;
