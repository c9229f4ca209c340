/**
 * The outcome of a parse or check that can fail for a reason the user must see.
 * `code` is an i18n key (`national_id.checksum`), never prose.
 */
export type Result<T, C extends string = string> = { ok: true; value: T } | { ok: false; code: C };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(code: C): { ok: false; code: C } {
  return { ok: false, code };
}
