/**
 * The data the parents portal "holds" about a child, made up from the child's national ID
 * (so every demo child has some, and the same every time): matriculation exams (Iran's
 * final exams, Israel's bagrut) with their dates and grades, and the decisions of
 * special-education committees. Pure: today's date and the country are passed in.
 *
 * Matriculation exams are sat in the last years of secondary school only: from grade 11 in
 * Iran (the final exams of grades 11 and 12), from grade 10 in Israel (bagrut). A child in a
 * lower grade, or whose grade Kelid does not know, has none. A child in the first of those
 * grades has this school year's winter and summer sessions; a child further on, last year's
 * summer session too. One not yet held has no grade. About a third of the children have
 * committee decisions, from the last three years.
 */
import { addDays } from '../shared/format.ts';
import type { Profile } from '../shared/config.ts';
import { seeded } from '../shared/seeded.ts';

export const subjectsOf = {
  ir: ['math', 'physics', 'chemistry', 'biology', 'literature', 'arabic', 'english', 'religion', 'history'],
  il: ['math', 'english', 'hebrew', 'literature', 'history', 'civics', 'bible', 'physics', 'chemistry', 'biology'],
} as const;
export type Subject = (typeof subjectsOf)[Profile][number];

export const decisionKinds = ['inclusion', 'special_class', 'special_school', 'exam_accommodations', 'remedial_hours', 'not_eligible'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

/** The first grade that sits matriculation exams. */
export const firstExamGrade: Record<Profile, number> = { ir: 11, il: 10 };

export type ExamResult = { subject: Subject; date: string; grade: number | null };
export type CommitteeDecision = { date: string; kind: DecisionKind };
export type ChildRecord = {
  /** The highest grade: 20 in Iran, 100 in Israel. */
  scale: number;
  exams: ExamResult[];
  decisions: CommitteeDecision[];
};

/** The school year's sessions (winter: January, summer: late May to June), as first days and lengths. */
function sessions(today: string): { start: string; days: number }[] {
  const [year = 0, month = 0] = today.split('-').map(Number);
  const endYear = month >= 9 ? year + 1 : year;
  return [
    { start: `${endYear - 1}-05-27`, days: 35 },
    { start: `${endYear}-01-08`, days: 30 },
    { start: `${endYear}-05-27`, days: 35 },
  ];
}

/**
 * The record of the child with this national ID in `schoolGrade` (the `children` claim's
 * grade, 1 to 12, or null when unknown) on `today` (YYYY-MM-DD). The same arguments give
 * the same record.
 */
export function childRecord(
  nationalId: string, { today, profile, schoolGrade }: { today: string; profile: Profile; schoolGrade: number | null },
): ChildRecord {
  const random = seeded(`parents-portal:${nationalId}`);
  const scale = profile === 'ir' ? 20 : 100;
  const grade = () => (profile === 'ir' ? random.int(40, 80) / 4 : random.int(55, 100));
  const years = schoolGrade === null ? 0 : schoolGrade - firstExamGrade[profile] + 1;
  const periods = years >= 2 ? sessions(today) : sessions(today).slice(1);
  const sat = years >= 1 ? random.sample(subjectsOf[profile], random.int(5, 7)) : [];
  const exams = sat.map((subject) => {
    const session = random.pick(periods);
    const date = addDays(session.start, random.int(0, session.days - 1));
    const mark = grade();
    return { subject, date, grade: date < today ? mark : null };
  }).sort((a, b) => a.date.localeCompare(b.date));
  const decisions = random.chance(0.35)
    ? Array.from({ length: random.int(1, 2) }, () => ({ date: addDays(today, -random.int(30, 1000)), kind: random.pick(decisionKinds) }))
      .sort((a, b) => b.date.localeCompare(a.date))
    : [];
  return { scale, exams, decisions };
}
