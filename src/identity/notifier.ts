/**
 * The seam through which identity code sends messages: an outbox write in the caller's
 * transaction (src/notify/ implements it), so a message exists exactly when its change does.
 * A message names a template of notify's catalog (notify/templates.ts) and carries that
 * template's parameters: a misspelt template or a missing parameter does not compile. Only
 * the types cross the seam (`import type`); the outbox checks both again at run time.
 */
import type { Locale } from '../config.ts';
import type { MessageChannel, TemplateName, TemplateParams } from '../notify/templates.ts';
import type { Executor } from './audit.ts';

export type OutgoingMessage = {
  [T in TemplateName]: { channel: MessageChannel; to: string; template: T; locale: Locale; params: TemplateParams[T] };
}[TemplateName];

/**
 * `withheld`: the message is written but kept back, never sent (why: `no_account`, a send
 * limit's code). For steps that must cost the same whether or not a message was due.
 */
export type Notifier = { enqueue(db: Executor, message: OutgoingMessage, options?: { withheld?: string }): Promise<unknown> };
