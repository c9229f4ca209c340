/**
 * The data the parents portal "holds" about a child, made up from the child's national ID
 * (so every demo child has some, and the same every time): matriculation exams (Iran's
 * final exams, Israel's bagrut) with their dates and grades, and the decisions of
 * special-education committees. Pure: today's date and the country are passed in.
 *
 * Exams come from last year's summer session and this school year's winter and summer
 * sessions; one not yet held has no grade. About a third of the children have committee
 * decisions, from the last three years.
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

export function childRecord(nationalId: string, { today, profile }: { today: string; profile: Profile }): ChildRecord {
  const random = seeded(`parents-portal:${nationalId}`);
  const scale = profile === 'ir' ? 20 : 100;
  const grade = () => (profile === 'ir' ? random.int(40, 80) / 4 : random.int(55, 100));
  const periods = sessions(today);
  const exams = random.sample(subjectsOf[profile], random.int(5, 7)).map((subject) => {
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
