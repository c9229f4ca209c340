/**
 * The user an admin page is about, looked up once for every console page that takes
 * `/admin/users/:id` (the user page, and the questions before reset, invitation, ending
 * sessions and unlocking), so that the question and its answer refuse alike.
 */
import type { FastifyRequest } from 'fastify';
import { userDetail, type UserDetail } from '../../admin/user-detail.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

/** A user the scope may see (any appointment in it, ended ones too); 404 as for one that does not exist. */
export async function visibleUser(db: Db, request: FastifyRequest, id: string): Promise<UserDetail> {
  const user = await userDetail(db, request.adminScope!, id);
  if (!user) throw new AppError(404, 'admin.user_not_found');
  return user;
}

/**
 * A user the scope may act on (scope.ts `actsOnAccount`: wholly theirs today). One it may only
 * see (an appointment ended, or another one elsewhere) is refused with 403 and why, before the
 * question is asked, rather than a question whose answer is "not found".
 */
export async function actedOnUser(db: Db, request: FastifyRequest, id: string): Promise<UserDetail> {
  const user = await visibleUser(db, request, id);
  if (!user.actedOn) throw new AppError(403, 'admin.not_acted_on');
  return user;
}
