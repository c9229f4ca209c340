/**
 * Forms are data: a flow answers a form model, and the HTML page and the JSON API draw the
 * same model (Kratos's ui nodes). Texts are catalog keys, never prose.
 */
import type { TextKey } from '../i18n/catalogs.ts';

export type FieldType = 'text' | 'password' | 'hidden' | 'radio' | 'select' | 'checkbox' | 'tel' | 'email' | 'date' | 'captcha';

export type FieldError = { code: TextKey; params?: Record<string, string | number> };

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
};

/** A choice: its words are a catalog key (`label`), or text shown as it is (`text`: country names, say). */
export type Option = { value: string; hint?: string } & ({ label: TextKey; text?: never } | { text: string; label?: never });

export type Message = { kind: 'error' | 'info' | 'success'; code: TextKey; params?: Record<string, string | number> };

export type FormModel = { fields: Field[]; messages: Message[]; submit: TextKey };

export function field(name: string, type: FieldType, label: TextKey, extra: Partial<Field> = {}): Field {
  return { name, type, label, value: '', required: true, errors: [], ...extra };
}

/** Puts errors beside their fields; errors without a field become messages at the top. */
export function withErrors(form: FormModel, errors: readonly { code: TextKey; field?: string | undefined; params?: Record<string, string | number> | undefined }[]): FormModel {
  const fields = form.fields.map((f) => ({
    ...f,
    errors: [...f.errors, ...errors.filter((e) => e.field === f.name).map((e) => (e.params ? { code: e.code, params: e.params } : { code: e.code }))],
  }));
  const messages: Message[] = [
    ...form.messages,
    ...errors.filter((e) => e.field === undefined || !form.fields.some((f) => f.name === e.field))
      .map((e): Message => (e.params ? { kind: 'error', code: e.code, params: e.params } : { kind: 'error', code: e.code })),
  ];
  return { ...form, fields, messages };
}

export function withValues(form: FormModel, values: Record<string, string>): FormModel {
  return { ...form, fields: form.fields.map((f) => (f.type === 'password' ? f : { ...f, value: values[f.name] ?? f.value })) };
}
export const hasErrors = (form: FormModel) => form.messages.some((m) => m.kind === 'error') || form.fields.some((f) => f.errors.length > 0);
