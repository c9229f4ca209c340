/**
 * Who registered for which exam, in memory (a demo: a restart forgets them), keyed by
 * Kelid's `sub` for this app. One registration per student: the page checks `find` first
 * and shows an existing registration instead of adding a second.
 */
import { randomInt } from 'node:crypto';

export const exams = ['sampad7', 'sampad10'] as const;
export type Exam = (typeof exams)[number];

export const parseExam = (value: unknown): Exam | null => exams.find((exam) => exam === value) ?? null;

/**
 * The exam a pupil of this grade may sit: SAMPAD 7th is the entrance exam to grade 7, taken in
 * grade 6; SAMPAD 10th the entrance to grade 10, taken in grade 9. Any other grade: none.
 */
export function examFor(grade: number | null): Exam | null {
  if (grade === 6) return 'sampad7';
  if (grade === 9) return 'sampad10';
  return null;
}

export type Registration = { exam: Exam; school: string; trackingCode: string; registeredAt: Date };

export class Registrations {
  readonly #bySub = new Map<string, Registration>();

  find(sub: string): Registration | null {
    return this.#bySub.get(sub) ?? null;
  }

  add(sub: string, choice: { exam: Exam; school: string }, now: Date): Registration {
    if (this.#bySub.has(sub)) throw new Error('already registered');
    const registration = { ...choice, trackingCode: String(randomInt(1e9, 1e10)), registeredAt: now };
    this.#bySub.set(sub, registration);
    return registration;
  }
}
