/**
 * The admin console's user pages (F20, F23–F26): the table, a user (with their sessions and
 * lock, B7), new user, reset with its confirmation, end an appointment. Thin: the scoped work is in src/admin/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addUser, registryPerson } from '../../admin/appointments.ts';
import { CSV_BOM, csvLine } from '../../admin/csv.ts';
import { lastResetSince, passwordVersion, RECENT_RESET_MINUTES, resetPassword } from '../../admin/password-reset.ts';
import { exportUsersXlsx } from '../../admin/user-export.ts';
import { can, consoleRoles, isAdminRole, rolesActedOn, type AdminAction } from '../../admin/permissions.ts';
import { inSubtree, type Scope } from '../../admin/scope.ts';
import { accessState } from '../../admin/user-access.ts';
import { isSortColumn, listUsers, nextCursor, PAGE_SIZE, parseCursor } from '../../admin/user-table.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import { appointmentDefaults } from '../../domain/school-year.ts';
import { AppError } from '../../errors.ts';
import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { dateExample, formatClock, formatDate, parseDate } from '../../i18n/format.ts';
import { newUserPage, type NewUserView } from '../../views/pages/admin/new-user.ts';
import { resetConfirmPage, temporaryPasswordPage, userPage } from '../../views/pages/admin/user.ts';
import { usersPage } from '../../views/pages/admin/users.ts';
import type { RouteContext } from '../context.ts';
import { formFields, frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { actedOnUser, visibleUser } from './admin-user-target.ts';
import { clip } from '../../domain/text.ts';


/** What the user page says after a change it redirected from (post, redirect, get). */
function userNotice(t: Translate, query: Record<string, string | undefined>, email: string | null): string | null {
  if (query.ended !== undefined) return t('admin.appointment_ended');
  if (query.saved !== undefined) return t('admin.saved');
  if (query.unlocked !== undefined) return t('sessions.admin_unlocked');
  if (query.invited !== undefined && email !== null) return t('invitation.sent', { email });
  const ended = query.sessions_ended;
  return ended !== undefined && /^\d{1,6}$/.test(ended) ? t('sessions.admin_ended', { count: Number(ended) }) : null;
}

export async function adminUserPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = (action: AdminAction) => requireAdminPage(ctx, action);
  const scopeOf = (request: FastifyRequest): Scope => request.adminScope!;
  const frame = (request: FastifyRequest, reply: FastifyReply, title: TextKey) => frameFor(request, reply, request.t(title));

  app.get('/admin', { preHandler: gate('users.read') }, async (_request, reply) => reply.redirect('/admin/users', 303));

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/users', { preHandler: gate('users.read') }, async (request, reply) => {
    const scope = scopeOf(request);
    const q = request.query;
    const nationalIdText = typeof q.nationalId === 'string' ? clip(q.nationalId, 20) : '';
    const parsedId = nationalIdText.trim() === '' ? undefined : parseNationalId(nationalIdText, ctx.config.profile);
    const role = consoleRoles.find((r) => r === q.role);
    const sort = typeof q.sort === 'string' && isSortColumn(q.sort) ? q.sort : 'last_name';
    const dir = q.dir === 'desc' ? 'desc' : 'asc';
    const page = Math.min(Math.max(1, Number.parseInt(String(q.page ?? '1'), 10) || 1), 100_000);
    // A malformed national ID searches for nothing rather than everything.
    const filter = {
      nationalId: parsedId?.ok ? parsedId.value : undefined, roles: role ? [role] : undefined, sort, descending: dir === 'desc', page, pageSize: PAGE_SIZE,
      after: parseCursor(q.after, sort),
    };
    const result = parsedId && !parsedId.ok ? { rows: [], total: 0, capped: false } : await listUsers(ctx.db, scope, filter);
    const notice = typeof q.saved === 'string' ? request.t('admin.saved')
      : typeof q.renewed === 'string' && /^\d{1,7}$/.test(q.renewed) ? request.t('admin.renewed', { count: Number(q.renewed) }) : null;
    return sendPage(noStore(reply), usersPage(frame(request, reply, 'admin.users_title'), {
      query: { nationalId: nationalIdText, role: role ?? '', sort, dir, page }, roles: consoleRoles.filter((r) => !isAdminRole(r) || rolesActedOn(scope.role).includes(r)),
      rows: result.rows, total: result.total, capped: result.capped, next: nextCursor(result.rows, filter), pageSize: PAGE_SIZE, canCreate: can(scope.role, 'users.create'), canReset: can(scope.role, 'users.reset_password'),
      resettable: (row) => row.accountId !== scope.accountId && rolesActedOn(scope.role).includes(row.role), canRenew: can(scope.role, 'memberships.renew'), notice,
    }));
  });

  // The table's filter of an export: a malformed national ID exports nothing rather than everything.
  const exportFilter = (query: Record<string, string | undefined>) => {
    const parsedId = typeof query.nationalId === 'string' && query.nationalId.trim() !== '' ? parseNationalId(clip(query.nationalId, 20), ctx.config.profile) : undefined;
    const role = consoleRoles.find((r) => r === query.role);
    return parsedId && !parsedId.ok ? undefined : { nationalId: parsedId?.ok ? parsedId.value : undefined, roles: role ? [role] : undefined };
  };

  // The table as CSV (F24 export): the same scope and filter, every matching row.
  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/users.csv', { preHandler: gate('users.read') }, async (request, reply) => {
    const scope = scopeOf(request);
    const filter = exportFilter(request.query);
    const { rows } = !filter ? { rows: [] } : await listUsers(ctx.db, scope, { ...filter, sort: 'last_name', descending: false, page: 1, pageSize: 1_000_000 });
    const t = request.t;
    const header = csvLine(['first_name', 'last_name', 'national_id', 'role', 'province', 'district', 'start', 'end', 'organization', 'organization_type', 'approved']);
    const lines = rows.map((r) => csvLine([r.firstName, r.lastName, r.nationalId, t(`role.${r.role}`), r.province, r.district, r.startsOn, r.endsOn, r.organization, t(`org_type.${r.organizationType}`), r.approved]));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="users.csv"')
      .header('cache-control', 'no-store').send(CSV_BOM + header + lines.join(''));
  });

  // The table as XLSX (issue 13 §4): the seed's columns in the reader's language, streamed, audited.
  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/users.xlsx', { preHandler: gate('users.read') }, async (request, reply) => {
    // A malformed national ID matches nobody ('-': IDs are digits): the header alone.
    const filter = exportFilter(request.query) ?? { nationalId: '-', roles: undefined };
    const file = await exportUsersXlsx(ctx.db, scopeOf(request), filter, { t: request.t, locale: request.locale, formatting: request.formatting, ip: request.ip });
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="users.xlsx"').header('cache-control', 'no-store').send(file);
  });

  const schoolsInScope = async (scope: Scope) => ctx.db.selectFrom('organizations as o').select(['o.id', 'o.name', 'o.type'])
    .where(inSubtree(scope, 'o')).where('o.level', '=', 'school').orderBy('o.name').limit(1000).execute();

  const newUserView = async (request: FastifyRequest, values: Partial<NewUserView['values']>, extra: Pick<NewUserView, 'errors' | 'registryName'>): Promise<NewUserView> => {
    const scope = scopeOf(request);
    const schools = await schoolsInScope(scope);
    const organizations = schools.length > 0 ? schools : [{ id: scope.organizationId, name: scope.organizationName, type: 'district' as const }];
    const organizationId = values.organizationId && organizations.some((o) => o.id === values.organizationId) ? values.organizationId : organizations[0]!.id;
    const defaults = appointmentDefaults(ctx.config.profile, organizations.find((o) => o.id === organizationId)!.type, ctx.today());
    return {
      values: {
        nationalId: values.nationalId ?? '', role: values.role ?? 'teacher', organizationId, childNationalId: values.childNationalId ?? '',
        start: values.start || formatDate(defaults.start, request.formatting), end: values.end || formatDate(defaults.end, request.formatting),
      },
      roles: rolesActedOn(scope.role), organizations, dateHint: request.t('admin.date_hint', { example: dateExample(request.formatting) }), ...extra,
    };
  };

  app.get('/admin/users/new', { preHandler: gate('users.create') }, async (request, reply) =>
    sendPage(reply, newUserPage(frame(request, reply, 'admin.new_user'), await newUserView(request, {}, { errors: [], registryName: null }))));

  app.post('/admin/users/new', { preHandler: [...gate('users.create'), app.csrfProtection] }, async (request, reply) => {
    const fields = formFields(request.body, ['action', 'nationalId', 'role', 'organizationId', 'start', 'end', 'childNationalId'] as const);
    if ('invalid' in fields) throw new AppError(400, fields.code, { field: fields.invalid });
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clip(v, 40)])) as typeof fields;
    const errors: NewUserView['errors'] = [];
    const nationalId = parseNationalId(values.nationalId, ctx.config.profile);
    if (!nationalId.ok) errors.push({ code: nationalId.code, field: 'nationalId' });
    const person = nationalId.ok ? await registryPerson(ctx.db, nationalId.value) : undefined;
    if (nationalId.ok && !person) errors.push({ code: 'registry.not_found', field: 'nationalId' });
    const registryName = person ? `${person.firstName} ${person.lastName}` : null;
    const render = (status: number) => newUserView(request, values, { errors, registryName }).then((view) => sendPage(reply, newUserPage(frame(request, reply, 'admin.new_user'), view), status));
    if (values.action !== 'save') return render(errors.length > 0 ? 422 : 200);

    const role = consoleRoles.find((r) => r === values.role);
    if (!role) errors.push({ code: 'admin.role_not_allowed', field: 'role' });
    const start = parseDate(values.start, request.formatting);
    if (!start.ok) errors.push({ code: start.code, field: 'start' });
    const end = parseDate(values.end, request.formatting);
    if (!end.ok) errors.push({ code: end.code, field: 'end' });
    const child = values.childNationalId.trim() === '' ? undefined : parseNationalId(values.childNationalId, ctx.config.profile);
    if (child && !child.ok) errors.push({ code: child.code, field: 'childNationalId' });
    if (errors.length > 0 || !nationalId.ok || !role || !start.ok || !end.ok || (child && !child.ok)) return render(422);
    const result = await addUser(ctx.db, scopeOf(request), {
      nationalId: nationalId.value, role, organizationId: values.organizationId || undefined, start: start.value, end: end.value, childNationalId: child?.value,
    }, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip });
    if ('status' in result) {
      errors.push({ code: result.code, field: result.field });
      return render(result.status === 404 ? 404 : 422);
    }
    return reply.redirect(`/admin/users?nationalId=${nationalId.value}&saved=1`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/admin/users/:id', { preHandler: gate('users.read') }, async (request, reply) => {
    const scope = scopeOf(request);
    const user = await visibleUser(ctx.db, request, request.params.id);
    const others = user.accountId !== scope.accountId && user.actedOn;
    const acts = (['users.reset_password', 'sessions.end', 'accounts.unlock', 'users.invite'] as const).some((action) => can(scope.role, action));
    return sendPage(noStore(reply), userPage(frame(request, reply, 'admin.users_title'), user, {
      canEnd: can(scope.role, 'memberships.end'), canEdit: can(scope.role, 'users.edit'), canReset: can(scope.role, 'users.reset_password') && others,
      canEndSessions: can(scope.role, 'sessions.end') && others, notActedOn: acts && !user.actedOn && user.accountId !== scope.accountId, canUnlock: can(scope.role, 'accounts.unlock') && others, canInvite: can(scope.role, 'users.invite') && others,
      access: await accessState(ctx.db, user.accountId, ctx.clock.now(), ctx.config.session),
      today: ctx.today(), timeZone: ctx.timeZone, notice: userNotice(request.t, request.query, user.email),
    }));
  });

  /** The reset's question: the password's version now, and when this administrator last reset it, if lately (Back from the password shown asks again). */
  const resetView = async (request: FastifyRequest, user: { accountId: string; firstName: string; lastName: string }) => {
    const now = ctx.clock.now();
    const [version, lastReset] = await Promise.all([passwordVersion(ctx.db, user.accountId), lastResetSince(ctx.db, user.accountId, scopeOf(request).accountId, new Date(now.getTime() - RECENT_RESET_MINUTES * 60_000))]);
    return {
      accountId: user.accountId, name: `${user.firstName} ${user.lastName}`, version,
      recentReset: lastReset && formatClock(lastReset, request.formatting, ctx.timeZone),
    };
  };

  app.get<{ Params: { id: string } }>('/admin/users/:id/reset', { preHandler: gate('users.reset_password') }, async (request, reply) => {
    const user = await actedOnUser(ctx.db, request, request.params.id);
    return sendPage(noStore(reply), resetConfirmPage(frame(request, reply, 'admin.reset'), await resetView(request, user)));
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/users/:id/reset', { preHandler: [...gate('users.reset_password'), app.csrfProtection] }, async (request, reply) => {
    const user = await actedOnUser(ctx.db, request, request.params.id);
    const form = formFields(request.body ?? {}, ['version']);
    if ('invalid' in form) throw new AppError(400, form.code, { field: form.invalid });
    const result = await resetPassword(ctx.db, ctx.hasher, scopeOf(request), user.accountId, { now: ctx.clock.now(), ip: request.ip, ifVersion: form.version });
    // A batch still holds this person, or the password changed since the page was drawn: the question again, with why.
    if ('status' in result && result.status === 409) {
      return sendPage(noStore(reply), resetConfirmPage(frame(request, reply, 'admin.reset'), await resetView(request, user), result), 409);
    }
    if ('status' in result) throw new AppError(result.status, result.code);
    // Shown once: the answer to the POST itself, never stored, never cached.
    return sendPage(noStore(reply), temporaryPasswordPage(frame(request, reply, 'admin.reset_done'), { name: `${user.firstName} ${user.lastName}`, nationalId: user.nationalId }, result.password));
  });
}
