/**
 * A flow is a stored record (id, kind, state, data, expiry) that changes only through its own
 * transitions (Kratos's selfservice flows are the model). Each kind keeps its pure states and
 * transitions in `machine.ts`, its I/O in `steps.ts`, its form model in `form.ts`, and its
 * diagram in `states.mermaid`.
 */
import type { TextKey } from '../i18n/catalogs.ts';
import type { FormModel } from './form.ts';

export type Flow<Kind extends string = string, State extends string = string, Data = unknown> = {
  id: string;
  kind: Kind;
  state: State;
  data: Data;
  version: number;
  expiresAt: Date;
};

/** Errors of a step's input: a stable code, the field it is about, and (FieldError) its own words' key. */
export type FieldErrors = { code: TextKey; text?: TextKey; field?: string; params?: Record<string, string | number> }[];

/** What a step answers: the flow as it now is, and the errors of the input it refused (if any). */
export type StepResult<F extends Flow> = { flow: F; errors: FieldErrors };

/** The one JSON shape of a flow (DESIGN.md Contracts), also what the HTML pages draw. */
export type FlowView = { id: string; kind: string; state: string; expiresAt: string; form: FormModel };
