/**
 * A SCIM PATCH request's body (RFC 7644 §3.5.2), checked before any operation is applied:
 * `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[…]}` with one to
 * 100 operations, each `op` add, replace or remove (any case, as Entra ID sends "Replace");
 * `path`, when given, a non-empty string; add and replace carry a `value` (§3.5.2.1, §3.5.2.3),
 * an object of attributes when there is no path; remove names its target with a path
 * (§3.5.2.2). Throws 400 `invalidSyntax`, `invalidValue` or `noTarget` (errors.ts) naming the
 * operation, so a client learns which of its operations was wrong.
 *
 * scim-patch walks a path, and each key of a value (`"name.givenName"` is a path too), by plain
 * property access, creating what is missing: `"__proto__.x"` or `"constructor.prototype.x"`
 * wrote onto every object of the process (an attacker review: one PATCH from any SCIM client
 * took the server down). No segment of a path or of a value's key may name `__proto__`,
 * `constructor` or `prototype`; a value nests at most MAX_DEPTH deep (deeper, the comparisons
 * after the patch ran out of stack: a 500).
 */
import { badRequest } from './errors.ts';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 100;
const MAX_DEPTH = 32;
/** What a path or a key is split into: attribute names, sub-attributes, the parts of a filter. */
const SEGMENTS = /[.:[\]\s"'()=]+/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const namesObjectInternals = (path: string) => path.split(SEGMENTS).some((segment) => FORBIDDEN.has(segment));

/** The first key of `value`, at any depth, that names an object's internals; or `depth` past MAX_DEPTH. */
function unsafeIn(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (!Array.isArray(value) && namesObjectInternals(key)) return `names "${key.slice(0, 100)}"`;
    const found = unsafeIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export type PatchOperation =
  | { op: 'add' | 'replace'; path?: string; value: unknown }
  | { op: 'remove'; path: string; value?: unknown };

/** The operations of a PATCH body, each as scim-patch takes it (`op` in lower case), or a ScimError (400). */
export function patchOperations(body: unknown): PatchOperation[] {
  const patch = body as { schemas?: unknown; Operations?: unknown } | null;
  if (typeof patch !== 'object' || patch === null || !Array.isArray(patch.schemas) || !patch.schemas.includes(PATCH_OP) || !Array.isArray(patch.Operations)) {
    throw badRequest('invalidSyntax', `a PATCH body is {"schemas":["${PATCH_OP}"],"Operations":[…]}`);
  }
  if (patch.Operations.length === 0 || patch.Operations.length > MAX_OPERATIONS) throw badRequest('invalidSyntax', `one to ${MAX_OPERATIONS} Operations`);
  return patch.Operations.map((raw: unknown, index) => operation(raw, `Operations[${index}]`));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function operation(raw: unknown, name: string): PatchOperation {
  if (!isObject(raw)) throw badRequest('invalidSyntax', `${name} must be an object with "op"`);
  const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') throw badRequest('invalidSyntax', `${name}.op must be "add", "replace" or "remove"`);
  const path = raw.path;
  if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) throw badRequest('invalidPath', `${name}.path must be a non-empty string when given`);
  if (path !== undefined && namesObjectInternals(path)) throw badRequest('invalidPath', `${name}.path names no attribute of a User`);
  const unsafe = unsafeIn(raw.value);
  if (unsafe) throw badRequest('invalidValue', `${name}.value ${unsafe}`);
  if (op === 'remove') {
    if (path === undefined) throw badRequest('noTarget', `${name}: "remove" needs a "path"`);
    return 'value' in raw ? { op, path, value: raw.value } : { op, path };
  }
  // A null value with a path is the attribute unassigned (RFC 7643 §2.5); without a path it is no object of attributes.
  if (!('value' in raw) || raw.value === undefined) throw badRequest('invalidValue', `${name}: "${op}" needs a "value"`);
  if (path === undefined && !isObject(raw.value)) throw badRequest('invalidValue', `${name}: without a "path", "value" must be an object of attributes`);
  return path === undefined ? { op, value: raw.value } : { op, path, value: raw.value };
}
