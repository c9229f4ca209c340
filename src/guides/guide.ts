/**
 * What a guide is (F31): a short text per flow or console task, in every locale. Content is
 * plain text; a label the page shows (a button, a field, a message) is quoted by its catalog
 * key, never typed out, so the guide names it in the page's own words and a renamed or
 * misspelt label is a type error (`step`${'sign_in.submit'}`` only takes a TextKey).
 */
import type { TextKey } from '../i18n/catalogs.ts';

/** Every topic, in the order the index lists them: the person's own flows first, then the console's tasks. */
export const guideTopics = [
  'sign-in', 'one-time-code', 'registration', 'recovery', 'set-password', 'change-password', 'role-choice', 'support',
  'admin-new-user', 'admin-appointments', 'admin-reset', 'admin-bulk-passwords', 'admin-import', 'admin-oneroster', 'admin-invitations', 'admin-approvals', 'admin-announcements', 'admin-clients',
  'admin-support',
] as const;
export type GuideTopic = (typeof guideTopics)[number];

/** Topics for everyone, and the console's (the index shows them under two headings). */
export const isConsoleTopic = (topic: GuideTopic): boolean => topic.startsWith('admin-');

export const isGuideTopic = (value: unknown): value is GuideTopic => guideTopics.some((topic) => topic === value);

/** A label shown on the page, quoted by key: drawn as the page draws it, in the reader's language. */
export type Label = { readonly label: TextKey };
/** A sentence: plain text and quoted labels, in reading order. */
export type Line = readonly (string | Label)[];

export type Guide = {
  title: string;
  /** What the flow does, in a sentence or two. */
  intro: Line;
  /** What to have at hand before starting. */
  before: readonly Line[];
  /** The numbered steps, in the seeds' order and words. */
  steps: readonly Line[];
  /** What can go wrong, and what to do about it. */
  problems: readonly { problem: Line; fix: Line }[];
  /** Where to get help when the guide is not enough. */
  help: Line;
};

/**
 * A line written as a template: `` line`Press ${'sign_in.submit'}.` `` → the text with the
 * label quoted by key. Only catalog keys may be interpolated (the tag's parameter type).
 */
export function line(strings: TemplateStringsArray, ...labels: TextKey[]): Line {
  const out: (string | Label)[] = [];
  strings.forEach((text, i) => {
    if (text !== '') out.push(text);
    const key = labels[i];
    if (key !== undefined) out.push({ label: key });
  });
  return out;
}

/** The catalog keys a guide quotes (tests check each against the page it describes). */
export function quotedLabels(guide: Guide): TextKey[] {
  const lines: Line[] = [guide.intro, ...guide.before, ...guide.steps, ...guide.problems.flatMap((p) => [p.problem, p.fix]), guide.help];
  return [...new Set(lines.flat().flatMap((part) => (typeof part === 'string' ? [] : [part.label])))];
}
