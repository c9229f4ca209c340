/**
 * The identification question of the set-password wizard (F19, seed 3: «בחרו שאלת זיהוי…
 * הקלידו תשובה תואמת לשאלה»): a question from a fixed list, and an answer that means the same
 * whatever keyboard typed it. Pure: no I/O.
 *
 * An answer is remembered, not composed like a password: a person types "Tehran" once and
 * "tehran " the next time, on a Persian phone keyboard once and a desktop the next. So beyond
 * what a password's normalization does (secret-text.ts: NFKC, Persian and Arabic-Indic digits
 * to Latin, Arabic letter forms, invisible marks), case is folded, any run of spaces (a
 * Persian half-space, ZWNJ, counts as one: A1 in GLOSSARY.md) becomes one space, trimmed, and
 * the marks written over and under letters that no letter absorbs go (Unicode's nonspacing
 * marks: Hebrew niqqud, Arabic harakat), as people write הֶרצל or הרצל, مَشهد or مشهد alike.
 */
import { normalizeSecret } from './secret-text.ts';

/** The questions, as values; their words are catalog keys `set_password.question_<value>`. */
export const IDENTIFICATION_QUESTIONS = ['first_school', 'first_teacher', 'childhood_friend', 'childhood_street', 'father_birth_city'] as const;
export type IdentificationQuestion = (typeof IDENTIFICATION_QUESTIONS)[number];

export const isIdentificationQuestion = (value: string): value is IdentificationQuestion =>
  (IDENTIFICATION_QUESTIONS as readonly string[]).includes(value);

/** Shorter answers are guessed in a few tries; longer ones are not remembered anyway. */
export const ANSWER_MIN_LENGTH = 2;
export const ANSWER_MAX_LENGTH = 100;

const NONSPACING_MARKS = /\p{Mn}/gu;

const fold = (answer: string, marks: 'kept' | 'dropped') => {
  // Marks go after the case is folded: a lower-cased İ is i and a combining dot above.
  const folded = normalizeSecret(answer).replace(/\u200c/g, ' ').toLowerCase();
  return (marks === 'kept' ? folded : folded.replace(NONSPACING_MARKS, '')).replace(/\s+/g, ' ').trim();
};

/** An answer as it is saved and compared. */
export const normalizeAnswer = (answer: string): string => fold(answer, 'dropped');

/**
 * The forms an answer is checked in: normalizeAnswer's, then, when it differs, the form answers
 * were saved in until 2026-12-03, marks kept (an answer saved with niqqud still matches as typed).
 */
export function answerForms(answer: string): string[] {
  const current = normalizeAnswer(answer);
  const before = fold(answer, 'kept');
  return before === current ? [current] : [current, before];
}

export type AnswerProblem = 'set_password.answer_required' | 'set_password.answer_too_short' | 'error.field_too_long';

/** What is wrong with an answer, if anything; judged in its normalized form, in code points. */
export function checkAnswer(answer: string): AnswerProblem | undefined {
  // Far over any limit in every form: refused before any work (as checkPassword does).
  if (answer.length > ANSWER_MAX_LENGTH * 8) return 'error.field_too_long';
  const length = [...normalizeAnswer(answer)].length;
  if (length === 0) return 'set_password.answer_required';
  if (length < ANSWER_MIN_LENGTH) return 'set_password.answer_too_short';
  if (length > ANSWER_MAX_LENGTH) return 'error.field_too_long';
  return undefined;
}
