/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes of a
 * resource an answer carries, with no I/O. `id`, `schemas` and `meta` are always returned;
 * a sub-attribute (`name.familyName`) keeps only that part of its complex attribute; an
 * extension's attributes are named by its URN (`urn:…:kelid:2.0:User:appointments`) or the
 * URN alone. Names are case-insensitive; names a resource does not have select nothing.
 */
const ALWAYS = new Set(['id', 'schemas', 'meta']);
const CORE = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i;

const names = (list: string | undefined) =>
  (list ?? '').split(',').map((n) => n.trim().replace(CORE, '').toLowerCase()).filter((n) => n !== '' && n.length <= 200).slice(0, 50);

/** The top-level key of `resource` a (lower-cased) name points at, and the rest of the name. */
function split(resource: Record<string, unknown>, name: string): [key: string, rest: string | undefined] | undefined {
  for (const key of Object.keys(resource)) {
    const lower = key.toLowerCase();
    if (name === lower) return [key, undefined];
    if (name.startsWith(`${lower}:`) || name.startsWith(`${lower}.`)) return [key, name.slice(lower.length + 1)];
  }
  return undefined;
}

/** A copy of `resource` with only the attributes asked for (`attributes`), or without those excluded. */
export function project(resource: object, attributes: string | undefined, excludedAttributes: string | undefined): Record<string, unknown> {
  const source = resource as Record<string, unknown>;
  const wanted = names(attributes);
  if (wanted.length > 0) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) if (ALWAYS.has(key)) out[key] = source[key];
    for (const name of wanted) {
      const found = split(source, name);
      if (!found) continue;
      const [key, rest] = found;
      const value = source[key];
      if (rest === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) { out[key] = value; continue; }
      const part = split(value as Record<string, unknown>, rest);
      if (part) out[key] = { ...(out[key] as object | undefined), [part[0]]: (value as Record<string, unknown>)[part[0]] };
    }
    return out;
  }
  const out: Record<string, unknown> = { ...source };
  for (const name of names(excludedAttributes)) {
    const found = split(source, name);
    if (found && found[1] === undefined && !ALWAYS.has(found[0])) delete out[found[0]];
  }
  return out;
}
