/**
 * What a SCIM client may write of a User (RFC 7644 §3.3, §3.5.1), read from a request body with
 * no I/O: the writable attributes, normalized as Kelid stores them (Latin digits, no invisible
 * marks, E.164 mobiles, lower-case addresses), or a ScimError 400 naming what is wrong.
 * `userName` is immutable and `name`, `displayName` and `id` are read-only (the civil registry's
 * and Kelid's): the callers compare them, this only reads.
 */
import type { Role } from '../db/schema.ts';
import { normalizeLine } from '../domain/digits.ts';
import { parseEmail } from '../domain/email.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import { parseNationalId } from '../domain/national-id.ts';
import { parseMobile } from '../domain/phone.ts';
import type { Profile } from '../domain/profile.ts';
import { isUuid } from '../domain/uuid.ts';
import { badRequest } from './errors.ts';
import { KELID_USER_SCHEMA, USER_SCHEMA, type ScimAppointment } from './users.ts';

/** The roles a school information system gives: school staff and students (no administrators; parents need a child, F25). */
export const SCIM_ROLES: readonly Role[] = ['student', 'teacher', 'staff', 'deputy'];
const MAX_APPOINTMENTS = 50;
const MAX_MULTI = 10;

/**
 * The writable state of a User; `undefined` leaves an attribute as it is. A PUT that leaves out
 * `emails`, `phoneNumbers` or the extension leaves them as they are (they are the person's too);
 * a PATCH that removed them gives `null` (`absent: 'cleared'`).
 */
export type Writable = {
  externalId: string | null;
  email: string | null | undefined;
  mobile: string | null | undefined;
  active: boolean | undefined;
  appointments: NewOrKept[] | undefined;
};
/** An appointment to keep (`value` given: its `endsOn` may change) or to make (no `value`). */
export type NewOrKept = { value?: string; role: Role; organization: string; startsOn?: string; endsOn?: string | null };

const invalid = (detail: string) => badRequest('invalidValue', detail);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body is a SCIM User: an object whose `schemas` name the core User schema. */
export function userBody(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'the body is a JSON object (RFC 7643 §4.1)');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(USER_SCHEMA)) throw badRequest('invalidSyntax', `"schemas" must include ${USER_SCHEMA}`);
  return body;
}

/** `userName` as Kelid keeps it: a national ID with Latin digits (Persian digits, marks and spaces removed). */
export function readUserName(value: unknown, profile: Profile): string {
  if (typeof value !== 'string') throw invalid('"userName" is the person\'s national ID, a string');
  const parsed = parseNationalId(value, profile);
  if (!parsed.ok) throw invalid(`"userName" is not a valid national ID (${parsed.code})`);
  return parsed.value;
}

/** The one value Kelid keeps of a multi-valued attribute; two different values are a 400 (Kelid keeps one: replace it). */
function oneValue(value: unknown, attribute: string): string | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > MAX_MULTI) throw invalid(`"${attribute}" is an array of at most ${MAX_MULTI} objects`);
  if (value.length === 0) return null;
  if (!value.every((entry) => isObject(entry) && typeof entry.value === 'string')) throw invalid(`each of "${attribute}" has a string "value"`);
  const values = new Set((value as { value: string }[]).map((entry) => entry.value.trim().toLowerCase()));
  if (values.size > 1) throw invalid(`Kelid keeps one of "${attribute}": replace it rather than add another`);
  return (value as { value: string }[])[0]!.value;
}

function readAppointment(value: unknown): NewOrKept {
  if (!isObject(value)) throw invalid('each appointment is an object');
  const { value: id, role, organization, startsOn, endsOn } = value;
  if (id !== undefined && (typeof id !== 'string' || !isUuid(id))) throw invalid('an appointment\'s "value" is the id Kelid gave it');
  if (typeof role !== 'string' || !(SCIM_ROLES as readonly string[]).includes(role)) throw invalid(`an appointment's "role" is one of ${SCIM_ROLES.join(', ')}`);
  if (typeof organization !== 'string' || !isUuid(organization)) throw invalid('an appointment\'s "organization" is a Group id');
  if (startsOn !== undefined && (typeof startsOn !== 'string' || !isIsoDate(startsOn))) throw invalid('"startsOn" is a date, YYYY-MM-DD');
  if (endsOn !== undefined && endsOn !== null && (typeof endsOn !== 'string' || !isIsoDate(endsOn))) throw invalid('"endsOn" is a date, YYYY-MM-DD, or null');
  return { ...(id === undefined ? {} : { value: id }), role: role as Role, organization, ...(startsOn === undefined ? {} : { startsOn }), ...(endsOn === undefined ? {} : { endsOn: endsOn as string | null }) };
}

/** The writable attributes of a User representation (a POST or PUT body, or a patched representation). */
export function readWritable(body: Record<string, unknown>, profile: Profile, absent: 'unchanged' | 'cleared' = 'unchanged'): Writable {
  const missing = absent === 'unchanged' ? undefined : null;
  let externalId: string | null = null;
  if (body.externalId !== undefined && body.externalId !== null) {
    if (typeof body.externalId !== 'string') throw invalid('"externalId" is a string');
    externalId = normalizeLine(body.externalId);
    if (externalId === '' || externalId.length > 255) throw invalid('"externalId" has 1 to 255 characters');
  }
  const emailText = oneValue(body.emails, 'emails');
  let email: string | null | undefined = body.emails === undefined ? missing : null;
  if (emailText !== null) {
    const parsed = parseEmail(emailText);
    if (!parsed.ok) throw invalid('"emails" holds an address that is not valid');
    email = parsed.value;
  }
  const mobileText = oneValue(body.phoneNumbers, 'phoneNumbers');
  let mobile: string | null | undefined = body.phoneNumbers === undefined ? missing : null;
  if (mobileText !== null) {
    const parsed = parseMobile(mobileText, profile);
    if (!parsed.ok) throw invalid('"phoneNumbers" holds a number that is not a mobile of this country');
    mobile = parsed.value;
  }
  if (body.active !== undefined && typeof body.active !== 'boolean') throw invalid('"active" is true or false');
  const extension = body[KELID_USER_SCHEMA];
  let appointments: NewOrKept[] | undefined;
  if (extension !== undefined && extension !== null) {
    if (!isObject(extension)) throw invalid(`"${KELID_USER_SCHEMA}" is an object`);
    const list = extension.appointments;
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list) || list.length > MAX_APPOINTMENTS) throw invalid(`"appointments" is an array of at most ${MAX_APPOINTMENTS}`);
      appointments = list.map(readAppointment);
    }
  }
  if (appointments === undefined && absent === 'cleared') appointments = [];
  return { externalId, email, mobile, active: body.active as boolean | undefined, appointments };
}

/** The appointments a representation already shows, as NewOrKept (for comparison with the written ones). */
export const keptFrom = (appointments: readonly ScimAppointment[]): NewOrKept[] => appointments.map((a) => ({ ...a }));
