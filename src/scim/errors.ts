/**
 * SCIM's errors (RFC 7644 §3.12): a status, an optional `scimType` and a `detail` for the
 * client's developers (English: machine clients read `scimType`). Handlers throw ScimError;
 * http/scim.ts answers it as `application/scim+json`.
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 Table 9, the ones Kelid answers. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers';

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  /** Seconds to wait before trying again (Retry-After), for a refusal that passes. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, detail: string, scimType?: ScimType, retryAfterSeconds?: number) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The body of an error answer; `status` is a string, as the RFC's examples have it. */
export function errorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

export const badRequest = (scimType: ScimType, detail: string) => new ScimError(400, detail, scimType);
export const notFound = (what = 'resource') => new ScimError(404, `${what} not found`);

/**
 * The detail of one of Kelid's own refusals (a catalog text, already in English) for a SCIM
 * client: the field it is about first, as OAuth's descriptions have it ("filter: This value
 * contains characters that are not valid text; please type it again").
 */
export const refusalDetail = (message: string, field?: string): string => (field ? `${field}: ${message}` : message);
