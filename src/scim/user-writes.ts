/**
 * SCIM changes to Users (RFC 7644 §3.3 create, §3.5 replace and modify, §3.6 delete), within
 * the client's subtree and in one transaction each, audited with the client as the actor
 * (`data.clientId`; no person acted). What Kelid lets a school information system change:
 * appointments in its subtree (add; end by leaving them out; move an end date), `active` (false
 * ends every appointment there that holds or is to come), `externalId`, and `emails` and
 * `phoneNumbers` of a person who has not completed their own profile (after that they are the
 * person's: a change is 400 `mutability`, and an address set here is never a proven one).
 * DELETE ends the appointments and takes the person out of the client's view; the person, the
 * account and the appointments' history stay.
 */
import { sql } from 'kysely';
import { registryPerson } from '../admin/appointments.ts';
import { roleFitsLevel } from '../admin/permissions.ts';
import type { Db } from '../db/database.ts';
import { lockUntilCommit } from '../db/transaction-lock.ts';
import { appointmentDefaults } from '../domain/school-year.ts';
import { accountFor } from '../identity/accounts.ts';
import { tryLockAppointments } from '../identity/memberships.ts';
import { auditRow, type AuditEventType, type Executor } from '../identity/audit.ts';
import { activeHere, inSubtree, type ScimContext } from './context.ts';
import { badRequest, notFound, ScimError } from './errors.ts';
import { readUserName, readWritable, SCIM_ROLES, userBody, type NewOrKept, type Writable } from './user-input.ts';
import { findUser, KELID_USER_SCHEMA, type ScimUser } from './users.ts';

const invalid = (detail: string) => badRequest('invalidValue', detail);
const conflict = (detail: string) => new ScimError(409, detail, 'uniqueness');

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** RFC 7644 §3.14: a write with If-Match goes ahead only on that version (or `*`); else 412. */
function checkVersion(current: ScimUser, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const wanted = ifMatch.split(',').map((v) => v.trim());
  if (!wanted.includes(current.meta.version)) throw new ScimError(412, 'the resource changed since that version (If-Match)');
}

async function audit(trx: Executor, c: ScimContext, type: AuditEventType, accountId: string, ip: string | null, data: Record<string, unknown>) {
  await trx.insertInto('audit_events').values(auditRow({ type, subjectAccountId: accountId, ip, data: { clientId: c.clientId, ...data } })).execute();
}

/** Seconds a SCIM client is told to wait while an import holds the organization. */
const BUSY_RETRY_SECONDS = 5;

/** Makes one appointment in the subtree; a ScimError for an organization outside it, a role that does not fit, or an overlap. */
async function addAppointment(c: ScimContext, accountId: string, a: NewOrKept): Promise<string> {
  const org = await c.db.selectFrom('organizations as o').select(['o.id', 'o.level', 'o.type'])
    .where('o.id', '=', a.organization).where(inSubtree(c, 'o')).executeTakeFirst();
  if (!org) throw invalid(`the organization ${a.organization} is not one of this client's Groups`);
  if (!roleFitsLevel(a.role, org.level)) throw invalid(`the role ${a.role} is not given at this organization`);
  const defaults = appointmentDefaults(c.profile, org.type, c.today);
  const start = a.startsOn ?? defaults.start;
  const end = a.endsOn === undefined ? defaults.end : a.endsOn;
  if (end !== null && end < start) throw invalid('"endsOn" is before "startsOn"');
  // The account's row is held (the write's lock, or its creation): an import of this organization that
  // reaches this person would wait for it while this waited for the import, so this does not wait.
  if (!(await tryLockAppointments(c.db, org.id, accountId))) {
    throw new ScimError(503, `the appointments of organization ${org.id} are being written (an import); try again in a few seconds`, undefined, BUSY_RETRY_SECONDS);
  }
  const overlapping = await c.db.selectFrom('memberships').select('id')
    .where('account_id', '=', accountId).where('organization_id', '=', org.id).where('role', '=', a.role).where('deprovisioned_at', 'is', null)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', start)]))
    .$call((q) => (end === null ? q : q.where('starts_on', '<=', end))).executeTakeFirst();
  if (overlapping) throw conflict(`an appointment as ${a.role} there overlaps those dates`);
  const row = await c.db.insertInto('memberships').values({ account_id: accountId, organization_id: org.id, role: a.role, starts_on: start, ends_on: end })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Ends the account's appointments in the subtree that hold or are to come (all, or those of
 * `ids`): their last day becomes yesterday. Only those of the roles a school system gives: an
 * administrator's appointment there is never ended (nor deprovisioned) by one.
 */
async function endAppointments(c: ScimContext, accountId: string, ids?: readonly string[]): Promise<number> {
  const yesterday = dayBefore(c.today);
  const result = await sql`update memberships m set ends_on = ${yesterday}::date, starts_on = least(m.starts_on, ${yesterday}::date)
    from organizations o where o.id = m.organization_id and m.account_id = ${accountId} and m.deprovisioned_at is null and ${inSubtree(c, 'o')}
      and m.role = any(${[...SCIM_ROLES]}::text[]) and (m.ends_on is null or m.ends_on >= ${c.today}::date) ${ids === undefined ? sql`` : sql`and m.id = any(${[...ids]}::uuid[])`}`.execute(c.db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The account's contact details are still for a school system to give: the person has not
 * completed their own profile, and is wholly this client's (every appointment that holds or is
 * to come is in the subtree and of a role SCIM gives). The mobile on record is where sign-in
 * and recovery codes go: a client must never set it for another school's person, or an
 * administrator's (as the imports, admin/scope.ts actsOnAccount).
 */
async function contactsWritable(c: ScimContext, accountId: string): Promise<boolean> {
  const row = await sql<{ writable: boolean }>`select (a.profile_completed_at is null and not exists (
      select 1 from memberships om join organizations oo on oo.id = om.organization_id
      where om.account_id = a.id and om.deprovisioned_at is null and (om.ends_on is null or om.ends_on >= ${c.today}::date)
        and (not ${inSubtree(c, 'oo')} or om.role <> all(${[...SCIM_ROLES]}::text[])))) as writable
    from accounts a where a.id = ${accountId}`.execute(c.db);
  return row.rows[0]?.writable === true;
}

/** Writes what differs between `current` and `wanted`; answers the names of what changed. */
async function applyChanges(c: ScimContext, current: ScimUser | undefined, accountId: string, wanted: Writable): Promise<string[]> {
  const changed: string[] = [];
  const before = current ?? { externalId: undefined, emails: undefined, phoneNumbers: undefined, active: false, [KELID_USER_SCHEMA]: { appointments: [] } };
  if (wanted.externalId !== (before.externalId ?? null)) {
    if (wanted.externalId === null) {
      await c.db.deleteFrom('scim_external_ids').where('client_id', '=', c.clientId).where('account_id', '=', accountId).execute();
    } else {
      const taken = await c.db.selectFrom('scim_external_ids').select('account_id')
        .where('client_id', '=', c.clientId).where('external_id', '=', wanted.externalId).where('account_id', '<>', accountId).executeTakeFirst();
      if (taken) throw conflict('another User has this externalId');
      await c.db.insertInto('scim_external_ids').values({ client_id: c.clientId, account_id: accountId, external_id: wanted.externalId })
        .onConflict((oc) => oc.columns(['client_id', 'account_id']).doUpdateSet({ external_id: wanted.externalId! })).execute();
    }
    changed.push('externalId');
  }
  const contacts = [
    { name: 'emails', column: 'email', wanted: wanted.email, now: before.emails?.[0]?.value ?? null },
    { name: 'phoneNumbers', column: 'mobile', wanted: wanted.mobile, now: before.phoneNumbers?.[0]?.value ?? null },
  ] as const;
  for (const contact of contacts) {
    if (contact.wanted === undefined || contact.wanted === contact.now) continue;
    if (!(await contactsWritable(c, accountId))) {
      // A new User's given contacts yield to the person's own (RFC 7644 §3.3 lets a provider set its own values); a change is refused.
      if (current === undefined) continue;
      throw badRequest('mutability', `the person keeps their own ${contact.name} once they completed their profile`);
    }
    await c.db.updateTable('accounts').set(contact.column === 'email' ? { email: contact.wanted, email_verified_at: null } : { mobile: contact.wanted })
      .where('id', '=', accountId).execute();
    changed.push(contact.name);
  }
  const existing = before[KELID_USER_SCHEMA].appointments;
  if (wanted.appointments !== undefined) {
    const kept = new Set<string>();
    for (const a of wanted.appointments.filter((w) => w.value !== undefined)) {
      const was = existing.find((e) => e.value === a.value);
      if (!was) throw invalid(`the appointment ${a.value} is not one of this User's`);
      if (was.role !== a.role || was.organization !== a.organization || (a.startsOn !== undefined && a.startsOn !== was.startsOn)) {
        throw badRequest('mutability', 'an appointment\'s role, organization and startsOn are fixed once it is made; end it and add another');
      }
      kept.add(was.value!);
      if (a.endsOn !== undefined && a.endsOn !== was.endsOn) {
        // An administrator's appointment (a principal's) is the console's: a school system neither gives nor moves nor ends it.
        if (!SCIM_ROLES.includes(was.role)) throw badRequest('mutability', `an appointment as ${was.role} is not a school system's to change`);
        if (a.endsOn !== null && a.endsOn < was.startsOn) throw invalid('"endsOn" is before "startsOn"');
        await c.db.updateTable('memberships').set({ ends_on: a.endsOn }).where('id', '=', was.value!).execute();
        changed.push('appointments');
      }
    }
    const ended = existing.filter((e) => !kept.has(e.value!)).map((e) => e.value!);
    if (ended.length > 0 && (await endAppointments(c, accountId, ended)) > 0) changed.push('appointments');
    const added = wanted.appointments.filter((w) => w.value === undefined);
    if (added.length > 0 && wanted.active === false) throw invalid('an inactive User gets no new appointment');
    for (const a of added) await addAppointment(c, accountId, a);
    if (added.length > 0) changed.push('appointments');
  }
  if (wanted.active === false && before.active && (await endAppointments(c, accountId)) > 0) changed.push('active');
  if (wanted.active === true) {
    const active = await sql<{ active: boolean }>`select ${activeHere(c, sql`a.id`, sql`a.status`)} as active from accounts a where a.id = ${accountId}`.execute(c.db);
    if (!active.rows[0]?.active) throw invalid('"active" is true only with an appointment that holds today (add one in the extension)');
  }
  return [...new Set(changed)];
}

type Write = { ip: string | null; ifMatch?: string | undefined };

/** RFC 7644 §3.3: the person of `userName` (in the civil registry) gets the appointments; 409 `uniqueness` when already a User here. */
export async function createUser(db: Db, c: ScimContext, body: unknown, write: Write): Promise<ScimUser> {
  const user = userBody(body);
  const nationalId = readUserName(user.userName, c.profile);
  const wanted = readWritable(user, c.profile);
  if (wanted.active === false) throw invalid('a new User is active');
  if (wanted.appointments?.some((a) => a.value !== undefined)) throw invalid('a new appointment has no "value"');
  const person = await registryPerson(db, nationalId);
  if (!person) throw invalid('no person has this national ID in the civil registry');
  const id = await db.transaction().execute(async (trx) => {
    const cx = { ...c, db: trx };
    // Two creates of one person at once: the second waits, then finds the first's User.
    await lockUntilCommit(trx, `scim:${person.id}`);
    const { accountId, newAccount } = await accountFor(trx, person);
    if (await findUser(cx, accountId)) throw conflict('this person is a User here already');
    if (wanted.appointments === undefined || wanted.appointments.length === 0) {
      const bound = await trx.selectFrom('organizations').select('level').where('id', '=', c.organizationId).executeTakeFirstOrThrow();
      if (bound.level !== 'school') throw invalid(`give the appointments (${KELID_USER_SCHEMA}): this client keeps more than one school`);
      wanted.appointments = [{ role: 'student', organization: c.organizationId }];
    }
    const changed = await applyChanges(cx, undefined, accountId, wanted);
    await audit(trx, c, 'scim.user_created', accountId, write.ip, { newAccount, changed });
    return accountId;
  });
  return (await findUser(c, id))!;
}

/** Runs a change of an existing User in a transaction, with the User re-read under a row lock and If-Match checked. */
async function changeUser(db: Db, c: ScimContext, id: string, write: Write, change: (cx: ScimContext, current: ScimUser) => Promise<string[] | 'deleted'>): Promise<ScimUser | undefined> {
  if (!(await findUser(c, id))) throw notFound('User');
  const outcome = await db.transaction().execute(async (trx) => {
    const cx = { ...c, db: trx };
    await trx.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().execute();
    const current = await findUser(cx, id);
    if (!current) throw notFound('User');
    checkVersion(current, write.ifMatch);
    const result = await change(cx, current);
    if (result === 'deleted') await audit(trx, c, 'scim.user_deleted', id, write.ip, {});
    else if (result.length > 0) await audit(trx, c, 'scim.user_updated', id, write.ip, { changed: result });
    return result;
  });
  return outcome === 'deleted' ? undefined : findUser(c, id);
}

/** RFC 7644 §3.5.1: the writable attributes become the body's; `userName` must stay (400 `mutability`); read-only ones are ignored. */
export async function replaceUser(db: Db, c: ScimContext, id: string, body: unknown, write: Write): Promise<ScimUser> {
  const user = userBody(body);
  return (await changeUser(db, c, id, write, async (cx, current) => {
    const same = current.userName.startsWith('passport:') ? user.userName === current.userName : readUserName(user.userName, c.profile) === current.userName;
    if (!same) throw badRequest('mutability', '"userName" is immutable');
    return applyChanges(cx, current, id, readWritable(user, c.profile));
  }))!;
}

/**
 * RFC 7644 §3.5.2: `patched` makes the new representation from the current one (scim-patch);
 * a change to a read-only or immutable attribute is 400 `mutability`; the rest is written.
 */
export async function patchUser(db: Db, c: ScimContext, id: string, patched: (current: ScimUser) => Record<string, unknown>, write: Write): Promise<ScimUser> {
  return (await changeUser(db, c, id, write, async (cx, current) => {
    const next = patched(current);
    for (const key of ['id', 'userName', 'name', 'displayName', 'meta'] as const) {
      if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) throw badRequest('mutability', `"${key}" is read-only`);
    }
    return applyChanges(cx, current, id, readWritable(next, c.profile, 'cleared'));
  }))!;
}

/** RFC 7644 §3.6: ends the User's appointments in the subtree and takes them out of the client's view (then 404). */
export async function deleteUser(db: Db, c: ScimContext, id: string, write: Write): Promise<void> {
  await changeUser(db, c, id, write, async (cx) => {
    await endAppointments(cx, id);
    await sql`update memberships m set deprovisioned_at = now() from organizations o
      where o.id = m.organization_id and m.account_id = ${id} and m.deprovisioned_at is null and ${inSubtree(cx, 'o')}
        and m.role = any(${[...SCIM_ROLES]}::text[])`.execute(cx.db);
    await cx.db.deleteFrom('scim_external_ids').where('client_id', '=', c.clientId).where('account_id', '=', id).execute();
    return 'deleted';
  });
}
