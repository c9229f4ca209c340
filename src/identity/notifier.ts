/**
 * The seam through which identity code sends messages: an outbox write in the caller's
 * transaction (src/notify/ implements it), so a message exists exactly when its change does.
 */
import type { Executor } from './audit.ts';

export type OutgoingMessage = { channel: 'sms' | 'voice' | 'email'; to: string; template: string; locale: 'fa' | 'he' | 'en'; params: Record<string, string> };

export type Notifier = { enqueue(db: Executor, message: OutgoingMessage): Promise<unknown> };
