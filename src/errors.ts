/**
 * One error type for everything a user or client can cause. `code` is an i18n key
 * (`national_id.checksum`, `session.required`…): the catalog turns it into words, so
 * errors never carry prose. Anything that is not an AppError is a bug and is answered
 * as a bare 500 without details (see http/plugins/error-pages.ts).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(status: number, code: string, options: { field?: string; params?: Record<string, string | number> } = {}) {
    super(code);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.params = options.params ?? {};
  }
}

export const unauthorized = (code = 'session.required') => new AppError(401, code);
export const forbidden = (code = 'access.denied') => new AppError(403, code);
export const notFound = (code = 'not_found') => new AppError(404, code);

/**
 * The HTTP status of each refusal the identity layer answers with a domain code (the model:
 * oidc-provider's errors.js). Field errors (a malformed identifier, a missing password) are 400.
 */
const refusalStatus: Readonly<Record<string, number>> = {
  'sign_in.invalid': 401,
  'sign_in.captcha_required': 428,
  'sign_in.wait': 429,
  'sign_in.locked': 429,
  'mfa.locked': 429,
  'mfa.invalid': 422,
};
export const statusOfRefusal = (code: string): number => refusalStatus[code] ?? 400;
