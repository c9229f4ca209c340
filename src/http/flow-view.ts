/** A flow as JSON (DESIGN.md Contracts), its texts in the request's language. */
import type { FieldErrors, Flow } from '../flows/flow.ts';
import { errorText, withErrors, type FormModel } from '../flows/form.ts';
import type { Translate } from '../i18n/catalogs.ts';

export function flowJson(flow: Flow, form: FormModel, errors: FieldErrors, t: Translate) {
  const shown = withErrors(form, errors);
  return {
    id: flow.id,
    kind: flow.kind,
    state: flow.state,
    expiresAt: flow.expiresAt.toISOString(),
    form: {
      fields: shown.fields.map((f) => ({
        name: f.name, type: f.type, label: t(f.label, f.labelParams), value: f.value, required: f.required,
        ...(f.expiresAt !== undefined ? { expiresAt: f.expiresAt } : {}),
        ...(f.options ? {
          options: f.options.map((o) => ({
            value: o.value, label: o.text ?? t(o.label),
            // A button says whether it may be pressed now, and if not, for how long it waits.
            ...(o.available !== undefined ? { available: o.available } : {}),
            ...(o.waitSeconds !== undefined ? { waitSeconds: o.waitSeconds } : {}),
          })),
        } : {}),
        errors: f.errors.map((e) => ({ code: e.code, message: t(errorText(e), e.params) })),
      })),
      messages: shown.messages.map((m) => ({ kind: m.kind, code: m.code, message: t(m.code, m.params) })),
    },
  };
}
