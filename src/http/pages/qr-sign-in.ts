/**
 * The slip's QR code (B5): `/q/{token}` signs its student in once, on a shared device. The
 * GET only asks (link previews and prefetchers must not spend the token); the POST spends
 * it, in one statement, and starts a session like a password sign-in would.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { hashQrToken } from '../../admin/password-batches.ts';
import { AppError } from '../../errors.ts';
import { auditRow } from '../../identity/audit.ts';
import { rememberDevice } from '../../identity/devices.ts';
import { newSessionValues } from '../../identity/sessions.ts';
import { insertSessionAndAudit } from '../../identity/sign-in-store.ts';
import { html } from '../../views/html.ts';
import { layout } from '../../views/layout.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { startBrowserSession } from './sign-in.ts';

const tokenParams = { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$' } } } as const;

export async function qrSignInPages(app: FastifyInstance, ctx: RouteContext) {
  const holder = (token: string) => ctx.db.selectFrom('sign_in_tokens as s').innerJoin('accounts as a', 'a.id', 's.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'p.first_name', 'p.last_name']).where('s.token_hash', '=', hashQrToken(token)).where('s.used_at', 'is', null)
    .where('s.expires_at', '>', ctx.clock.now()).where('a.status', '<>', 'disabled').executeTakeFirst();

  app.get<{ Params: { token: string } }>('/q/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const account = await holder(request.params.token);
    if (!account) throw new AppError(410, 'qr.spent');
    const frame = frameFor(request, reply, request.t('qr.title'));
    return sendPage(noStore(reply), layout(frame, html`<section class="card narrow">
      <h1>${request.t('qr.title')}</h1>
      <p>${request.t('qr.ask', { name: `${account.first_name} ${account.last_name}` })}</p>
      <form method="post" action="/q/${request.params.token}"><input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="primary">${request.t('sign_in.submit')}</button></form>
    </section>`));
  });

  app.post<{ Params: { token: string } }>('/q/:token', { schema: { params: tokenParams }, preValidation: app.csrfProtection }, async (request, reply) => {
    const now = ctx.clock.now();
    const userAgent = request.headers['user-agent'] ?? null;
    // The slip is spent with the session it opens, or not at all (a sign-in refused as too frequent leaves it for later).
    const opened = await ctx.db.transaction().execute(async (trx) => {
      const spent = await sql<{ account_id: string }>`
        update sign_in_tokens s set used_at = ${now} from accounts a
        where s.token_hash = ${hashQrToken(request.params.token)} and s.used_at is null and s.expires_at > ${now}
          and a.id = s.account_id and a.status <> 'disabled'
        returning s.account_id`.execute(trx);
      const accountId = spent.rows[0]?.account_id;
      if (accountId === undefined) return undefined;
      const { token, values } = newSessionValues({ accountId, kind: 'browser', ip: request.ip, userAgent, now, lifetimes: ctx.config.session });
      await insertSessionAndAudit(trx, values, auditRow({ type: 'sign_in.qr', actorAccountId: accountId, subjectAccountId: accountId, ip: request.ip, userAgent }), { failureKey: `account:${accountId}` });
      return { accountId, token };
    });
    ctx.signIn.meter?.('qr', opened === undefined ? 'failure' : 'success');
    if (opened === undefined) throw new AppError(410, 'qr.spent');
    const { accountId, token } = opened;
    // As after a password: the browser's session, and this device remembered.
    await startBrowserSession(ctx, request, reply, token, rememberDevice(ctx.signIn.deviceKey, request.cookies[request.server.siteCookies.device], accountId).cookie);
    return reply.redirect('/', 303);
  });
}
