/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL, with no I/O: the text is parsed by
 * `scim2-parse-filter`, and its tree is translated over a whitelist of attributes, each with the
 * SQL expression of its value. Values only ever travel as bound parameters and operators come
 * from a fixed table, so no filter can write SQL; an attribute or operator outside the
 * whitelist is a 400 `invalidFilter`. The caller adds the result to a query already limited to
 * the client's subtree, so a filter can narrow what the client sees and never widen it.
 */
import { sql, type RawBuilder } from 'kysely';
import { parse, type Filter } from 'scim2-parse-filter';
import { stripInvisibles } from '../domain/digits.ts';
import { parseIsoInstant } from '../domain/iso-date.ts';
import { isUuid } from '../domain/uuid.ts';
import { badRequest } from './errors.ts';

/**
 * One filterable attribute. `string` compares case-insensitively unless `caseExact`; `id` is a
 * UUID column (eq and ne only); `boolean` eq and ne only; `dateTime` an ISO 8601 instant.
 */
export type Attribute = {
  type: 'string' | 'boolean' | 'dateTime' | 'id';
  expression: RawBuilder<unknown>;
  caseExact?: boolean;
  /** Makes a compared value comparable with the stored ones (national IDs: Latin digits). */
  normalize?: (value: string) => string;
};

/**
 * Attribute paths (lower-case, RFC 7644 §3.10: names are case-insensitive) to attributes.
 * A multi-valued attribute that Kelid holds one value of (emails, phoneNumbers) is listed by its
 * sub-attributes (`emails.value`, `emails.type`) and by itself (`emails`, its value); a
 * valuePath `emails[type eq "work"]` reads its inner filter over the sub-attributes.
 */
export type Whitelist = ReadonlyMap<string, Attribute>;

/** The longest filter text read, and the most comparisons in one: longer is refused, never partly read. */
export const MAX_FILTER_LENGTH = 1000;
export const MAX_FILTER_TERMS = 50;
const MAX_VALUE_LENGTH = 256;

const CORE_PREFIXES = ['urn:ietf:params:scim:schemas:core:2.0:user:', 'urn:ietf:params:scim:schemas:core:2.0:group:'];

const invalid = (detail: string) => badRequest('invalidFilter', detail);

/** `attrPath` as the whitelist names it: lower-case, without a core schema's URN. */
export function attributeKey(path: string): string {
  const lower = path.toLowerCase();
  const prefix = CORE_PREFIXES.find((p) => lower.startsWith(p));
  return prefix ? lower.slice(prefix.length) : lower;
}

function lookup(whitelist: Whitelist, path: string): Attribute {
  const attribute = whitelist.get(attributeKey(path));
  if (!attribute) throw invalid(`the attribute ${JSON.stringify(path.slice(0, 100))} cannot be filtered on`);
  return attribute;
}

const ORDER = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function compare(attribute: Attribute, op: string, value: unknown): RawBuilder<boolean> {
  if (value === null) throw invalid('null is compared with "pr" (present), not a value');
  if (attribute.type === 'boolean' || attribute.type === 'id') {
    if (op !== 'eq' && op !== 'ne') throw invalid(`"${op}" does not apply to this attribute`);
    if (attribute.type === 'boolean' && typeof value !== 'boolean') throw invalid('this attribute is compared with true or false');
    if (attribute.type === 'id' && (typeof value !== 'string' || !isUuid(value))) {
      // Not an id Kelid gives: nothing has it.
      return op === 'eq' ? sql<boolean>`false` : sql<boolean>`(${attribute.expression} is not null)`;
    }
    const bound = attribute.type === 'id' ? sql`${value}::uuid` : sql`${value}`;
    return op === 'eq' ? sql<boolean>`(${attribute.expression} = ${bound})` : sql<boolean>`(${attribute.expression} is distinct from ${bound})`;
  }
  if (typeof value !== 'string') throw invalid('this attribute is compared with a string');
  if (value.length > MAX_VALUE_LENGTH) throw invalid('the compared value is too long');
  if (attribute.type === 'dateTime') {
    const at = parseIsoInstant(value);
    if (at === undefined) throw invalid('a dateTime is compared with an RFC 3339 instant (2026-03-21T08:00:00Z), in years 1 to 9999');
    const operator = op === 'eq' ? '=' : op === 'ne' ? '<>' : ORDER[op as keyof typeof ORDER];
    if (!operator) throw invalid(`"${op}" does not apply to a dateTime`);
    return sql<boolean>`coalesce(${attribute.expression} ${sql.raw(operator)} ${at}::timestamptz, false)`;
  }
  const text = (attribute.normalize ?? ((v: string) => v))(stripInvisibles(value.normalize('NFC')));
  const left = attribute.caseExact ? sql`${attribute.expression}` : sql`lower(${attribute.expression})`;
  const right = attribute.caseExact ? sql`${text}::text` : sql`lower(${text}::text)`;
  switch (op) {
    case 'eq': return sql<boolean>`coalesce(${left} = ${right}, false)`;
    case 'ne': return sql<boolean>`(${left} is distinct from ${right})`;
    case 'co': return sql<boolean>`coalesce(strpos(${left}, ${right}) > 0, false)`;
    case 'sw': return sql<boolean>`coalesce(left(${left}, char_length(${right})) = ${right}, false)`;
    case 'ew': return sql<boolean>`coalesce(right(${left}, char_length(${right})) = ${right}, false)`;
    case 'gt': case 'ge': case 'lt': case 'le':
      return sql<boolean>`coalesce(${left} ${sql.raw(ORDER[op])} ${right}, false)`;
    default: throw invalid(`unknown operator "${op}"`);
  }
}

function translate(node: Filter, whitelist: Whitelist, prefix: string, terms: { count: number }): RawBuilder<boolean> {
  if (++terms.count > MAX_FILTER_TERMS) throw invalid(`a filter has at most ${MAX_FILTER_TERMS} terms`);
  switch (node.op) {
    case 'and': case 'or': {
      const parts = node.filters.map((f) => translate(f, whitelist, prefix, terms));
      return sql<boolean>`(${sql.join(parts, sql.raw(node.op === 'and' ? ' and ' : ' or '))})`;
    }
    case 'not': return sql<boolean>`(not ${translate(node.filter, whitelist, prefix, terms)})`;
    case '[]': {
      if (prefix !== '') throw invalid('value paths do not nest');
      const key = attributeKey(node.attrPath);
      if (![...whitelist.keys()].some((k) => k.startsWith(`${key}.`))) throw invalid(`${JSON.stringify(node.attrPath.slice(0, 100))} has no sub-attributes to filter`);
      return translate(node.valFilter, whitelist, `${key}.`, terms);
    }
    case 'pr': {
      const attribute = lookup(whitelist, prefix + node.attrPath);
      return attribute.type === 'string'
        ? sql<boolean>`coalesce(${attribute.expression} <> '', false)`
        : sql<boolean>`(${attribute.expression} is not null)`;
    }
    default:
      if (!('attrPath' in node) || !('compValue' in node)) throw invalid('unknown filter expression');
      return compare(lookup(whitelist, prefix + node.attrPath), node.op, node.compValue);
  }
}

/**
 * The filter text as a SQL condition over `whitelist`'s expressions (true, false, never null).
 * Throws ScimError 400 `invalidFilter` for text that does not parse, is over
 * MAX_FILTER_LENGTH or MAX_FILTER_TERMS, names an attribute outside the whitelist, or compares
 * with an operator or a value type the attribute does not take.
 */
export function filterCondition(text: string, whitelist: Whitelist): RawBuilder<boolean> {
  if (text.length > MAX_FILTER_LENGTH) throw invalid(`a filter has at most ${MAX_FILTER_LENGTH} characters`);
  let tree: Filter;
  try {
    tree = parse(text);
  } catch {
    throw invalid('the filter does not parse (RFC 7644 §3.4.2.2)');
  }
  return translate(tree, whitelist, '', { count: 0 });
}

/** `sortBy` (RFC 7644 §3.4.2.3) as the attribute's expression; an attribute outside the whitelist is a 400. */
export function sortExpression(sortBy: string, whitelist: Whitelist): RawBuilder<unknown> {
  const attribute = whitelist.get(attributeKey(sortBy));
  if (!attribute) throw badRequest('invalidValue', `cannot sort by ${JSON.stringify(sortBy.slice(0, 100))}`);
  return attribute.expression;
}
