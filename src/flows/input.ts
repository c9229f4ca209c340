/**
 * What a step receives, read against the step's own form (issue 11): the same reading for a
 * page's posted form and for the JSON API, so a generic client and a browser are held to one
 * rule. Values are strings; a checkbox also takes JSON `true` (its value) and `false` (not
 * ticked). Anything else (a number, a list, an object, a repeated form field) is refused by
 * name, as is text that cannot be stored (domain/text.ts) and a value longer than any field
 * takes: the step is not run, and the flow answers with the error beside that field.
 */
import { textProblem } from '../domain/text.ts';
import type { FieldErrors } from './flow.ts';
import type { FormModel } from './form.ts';

/** The longest value any field takes (a password is at most 1,024; the captcha's payload is longer). */
export const MAX_VALUE_LENGTH = 4096;
/** More names than any step has fields: a body with more is not a form of ours. */
export const MAX_VALUES = 64;

export type StepInput = { ok: true; input: Record<string, string> } | { ok: false; errors: FieldErrors; input: Record<string, string> };

/**
 * `body`: the parsed JSON or form body. Answers the values as strings, or the errors (each
 * naming its field) with the values that were good, to draw the form again without losing them.
 */
export function readStepInput(body: unknown, form: FormModel): StepInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ code: 'error.body_invalid' }], input: {} };
  }
  const entries = Object.entries(body);
  if (entries.length > MAX_VALUES) return { ok: false, errors: [{ code: 'error.body_invalid' }], input: {} };
  const input: Record<string, string> = {};
  const errors: FieldErrors = [];
  for (const [name, value] of entries) {
    const shown = name.isWellFormed() ? name : name.toWellFormed();
    if (textProblem(name)) {
      errors.push({ code: 'error.text_malformed', field: shown });
      continue;
    }
    const field = form.fields.find((f) => f.name === name);
    if (typeof value === 'boolean' && field?.type === 'checkbox') {
      if (value) input[name] = field.value;
      continue;
    }
    if (typeof value !== 'string') {
      errors.push({ code: 'error.field_invalid', field: name });
      continue;
    }
    const problem = textProblem(value);
    if (problem) errors.push({ code: problem === 'text.nul' ? 'error.field_invalid' : 'error.text_malformed', field: name });
    else if (value.length > MAX_VALUE_LENGTH) errors.push({ code: 'error.field_too_long', field: name });
    else input[name] = value;
  }
  return errors.length > 0 ? { ok: false, errors, input } : { ok: true, input };
}
