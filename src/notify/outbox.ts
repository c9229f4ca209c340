/**
 * Writing a message: enqueue() renders the template and inserts the message into the outbox
 * through the caller's executor. Call it inside the transaction of the change that causes
 * the message (a registration, a code request): the message then exists exactly when the
 * change commits, and is never sent for a change that rolled back.
 *
 * Delivery starts after commit. The dispatcher polls, and is woken at once, so a code goes out
 * in milliseconds instead of at the next poll: on PostgreSQL every process's dispatcher by the
 * insert's own NOTIFY (wake-up.ts), on PGlite this process's through its Wake hook.
 * outboxNotifier() is the identity layer's seam (identity/notifier.ts): enqueue, then wake. A wake from inside a transaction comes before the commit; the dispatcher answers it
 * twice, at once and a moment later (dispatcher.ts), which covers both databases: PGlite
 * runs the claim only after the transaction ends, PostgreSQL commits within that moment.
 * commitAndNotify() wakes exactly after the commit, for callers that own the transaction.
 */
import type { Profile } from '../config.ts';
import { formattingFor, localeOf, type Formatting } from '../i18n/format.ts';
import type { Db } from '../db/database.ts';
import type { Executor } from '../identity/audit.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Notifier, OutgoingMessage } from '../identity/notifier.ts';
import { insertMessage } from './store.ts';
import { isTemplateName, renderTemplate, TemplateError, type MessageChannel, type TemplateName, type TemplateParams } from './templates.ts';

export type NewMessage<T extends TemplateName = TemplateName> = {
  channel: MessageChannel;
  /** E.164 mobile number (sms, voice) or a normalised email address. */
  to: string;
  template: T;
  /** The message's language and how its numbers and dates are written (Arabic: digits and calendar); the row stores the language. */
  locale: Formatting;
  params: TemplateParams[T];
};

/** Wakes the dispatcher (startDispatcher's answer is one). */
export type Wake = { notify(): void };

/**
 * Renders and stores one message; answers its id. Throws TemplateError for a bad channel or
 * parameter. `withheld` (why: `no_account`, a send limit's code) stores a message the rules
 * keep back: rendered all the same, stored without its text or parameters (its code goes
 * nowhere), never claimed by the dispatcher. A flow that must not tell whether a message was
 * due (a code to an account that may not exist) writes one either way, so both answers cost
 * the same work.
 */
export async function enqueue<T extends TemplateName>(executor: Executor, message: NewMessage<T>, withheld?: string): Promise<string> {
  const rendered = renderTemplate(message.template, message.channel, message.locale, message.params);
  const row = { channel: message.channel, recipient: message.to, template: message.template, locale: localeOf(message.locale), params: message.params, ...rendered };
  return withheld === undefined ? insertMessage(executor, row) : insertMessage(executor, { ...row, params: {}, text: '', subject: null, html: null }, withheld);
}

/** Runs `work` in a transaction and wakes the dispatcher once it has committed (not before: it would find nothing). */
export async function commitAndNotify<T>(db: Db, wake: Wake, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const result = await db.transaction().execute(work);
  wake.notify();
  return result;
}

/**
 * The identity layer's Notifier. Its messages are typed (a template of ours and its
 * parameters); a caller outside the type checker is still refused here with a TemplateError
 * (an unknown template) or by renderTemplate (a missing or malformed parameter). A message
 * in Arabic is written in `profile`'s digits and calendar (i18n/format.ts formattingFor).
 */
export function outboxNotifier(options: { profile: Profile; wake?: Wake }): Notifier {
  const { profile, wake } = options;
  return {
    async enqueue(executor: Executor, message: OutgoingMessage, sending?: { withheld?: string }) {
      const template: string = message.template;
      if (!isTemplateName(template)) throw new TemplateError(`unknown template ${template}`);
      const id = await enqueue(executor, { ...message, locale: formattingFor(message.locale, profile) }, sending?.withheld);
      // Withheld or not, the dispatcher is woken: the same work either way (it finds nothing to send).
      wake?.notify();
      return id;
    },
  };
}
