/**
 * Forms are data: a flow answers a form model, and the HTML page and the JSON API draw the
 * same model (Kratos's ui nodes). Texts are catalog keys, never prose.
 */
import type { TextKey } from '../i18n/catalogs.ts';

/** `submit`: the buttons of a step, one field named `action` whose options are what may be pressed (issue 11). */
export type FieldType = 'text' | 'password' | 'hidden' | 'radio' | 'select' | 'checkbox' | 'tel' | 'email' | 'date' | 'captcha' | 'submit';

/**
 * An error beside a field: its stable `code` (DESIGN.md Contracts), and `text`, the catalog key
 * of its words when a flow says it its own way (registration's "activation code" for
 * `code.expired`); the code's own words otherwise.
 */
export type FieldError = { code: TextKey; text?: TextKey; params?: Record<string, string | number> };

/** The words of an error: its own text's, else its code's. */
export const errorText = (error: { code: TextKey; text?: TextKey | undefined }): TextKey => error.text ?? error.code;

export type Field = {
  name: string;
  type: FieldType;
  /** Catalog key of the label, and its parameters (a date field's example, say). */
  label: TextKey;
  labelParams?: Record<string, string>;
  value: string;
  required: boolean;
  errors: FieldError[];
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  maxLength?: number;
  options?: Option[];
  /** A code field: until when the code sent for it is good (ISO 8601). */
  expiresAt?: string;
  /** What the countdown says when that time has passed (default `code.expired`). */
  expiredText?: TextKey;
  /** A captcha field: the security image shown where the proof of work cannot run, and the sum asked instead of it. */
  image?: { id: string; src: string; question: { a: number; b: number } | null };
};

/**
 * A choice: its words are a catalog key (`label`), or text shown as it is (`text`: country
 * names, say). A button (an option of a `submit` field) says whether it may be pressed now,
 * and if not, in how many seconds (a resend's cooldown).
 */
export type Option = { value: string; hint?: string; available?: boolean; waitSeconds?: number } & ({ label: TextKey; text?: never } | { text: string; label?: never });

/** A button of a step. */
export type ActionOption = { value: string; label: TextKey; available: boolean; waitSeconds?: number };

export type Message = { kind: 'error' | 'info' | 'success'; code: TextKey; params?: Record<string, string | number> };

/**
 * A form: its fields (the buttons among them, as the `action` field), and its messages. A
 * form with no `action` field has nothing to press (a flow that is done).
 */
export type FormModel = { fields: Field[]; messages: Message[] };

export function field(name: string, type: FieldType, label: TextKey, extra: Partial<Field> = {}): Field {
  return { name, type, label, value: '', required: true, errors: [], ...extra };
}

/**
 * The buttons of a step: one `submit` field named `action` (DESIGN.md Contracts), in the
 * order drawn; the first is the main one (what Enter presses). A button that must wait says
 * for how long (`waitSeconds`), and is unavailable until then.
 */
export function actionsField(options: readonly ActionOption[]): Field {
  return field('action', 'submit', 'flow.actions', {
    required: false,
    options: options.map((o) => (o.waitSeconds !== undefined && o.waitSeconds > 0
      ? { value: o.value, label: o.label, available: false, waitSeconds: o.waitSeconds }
      : { value: o.value, label: o.label, available: o.available })),
  });
}

/** A step with one button: `value` is the action it sends. */
export const oneAction = (value: string, label: TextKey): Field => actionsField([{ value, label, available: true }]);

/** A button that may be pressed again `waitSeconds` from now (0: now). */
export const resendAction = (value: string, label: TextKey, waitSeconds: number): ActionOption =>
  ({ value, label, available: waitSeconds === 0, ...(waitSeconds > 0 ? { waitSeconds } : {}) });

/** Seconds left before something sent at `sentAt` (ISO) may be sent again (0: now). */
export function secondsUntil(sentAt: string | undefined, cooldownSeconds: number, now: Date): number {
  if (sentAt === undefined) return 0;
  const left = Date.parse(sentAt) + cooldownSeconds * 1000 - now.getTime();
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

/** Until when a code sent at `sentAt` is good (ISO), for the form to say. */
export const goodUntil = (sentAt: string | undefined, lifetimeMinutes: number): string | undefined =>
  sentAt === undefined ? undefined : new Date(Date.parse(sentAt) + lifetimeMinutes * 60_000).toISOString();

/** Puts errors beside their fields; errors without a field become messages at the top. */
export function withErrors(form: FormModel, errors: readonly { code: TextKey; text?: TextKey | undefined; field?: string | undefined; params?: Record<string, string | number> | undefined }[]): FormModel {
  const fields = form.fields.map((f) => ({
    ...f,
    errors: [...f.errors, ...errors.filter((e) => e.field === f.name).map((e): FieldError => ({
      code: e.code, ...(e.text ? { text: e.text } : {}), ...(e.params ? { params: e.params } : {}),
    }))],
  }));
  const messages: Message[] = [
    ...form.messages,
    ...errors.filter((e) => e.field === undefined || !form.fields.some((f) => f.name === e.field))
      .map((e): Message => (e.params ? { kind: 'error', code: e.code, params: e.params } : { kind: 'error', code: e.code })),
  ];
  return { ...form, fields, messages };
}

export function withValues(form: FormModel, values: Record<string, string>): FormModel {
  // Never a password; a checkbox's and a button's value is what they send, not what was typed.
  const kept = (f: Field) => f.type !== 'password' && f.type !== 'submit' && f.type !== 'checkbox';
  return { ...form, fields: form.fields.map((f) => (kept(f) ? { ...f, value: values[f.name] ?? f.value } : f)) };
}
export const hasErrors = (form: FormModel) => form.messages.some((m) => m.kind === 'error') || form.fields.some((f) => f.errors.length > 0);
