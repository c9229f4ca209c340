/**
 * The outcome of a parse or check that can fail for a reason the user must see.
 * `code` is an i18n key (`national_id.checksum`), never prose: each parser names its codes as
 * a union of literals (no default of `string`), and the type checker matches them against the
 * catalogs where they reach a form or an error (the domain imports no catalog).
 */
export type Result<T, C extends string> = { ok: true; value: T } | { ok: false; code: C };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(code: C): { ok: false; code: C } {
  return { ok: false, code };
}
