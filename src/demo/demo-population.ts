/**
 * Builds every demo row in memory (no I/O): the fixed people of DESIGN.md, then generated
 * staff, teachers, students and their fathers. Names, national IDs and birth dates come
 * from a seeded generator, so the same `today` always gives the same people.
 */
import { randomUUID } from 'node:crypto';
import { appointmentDefaults, nextSchoolYear, type Appointment, type OrgType } from '../domain/school-year.ts';
import type { Profile } from '../domain/profile.ts';
import type { Role } from '../db/schema.ts';
import { newUserCode } from '../identity/accounts.ts';
import { fixedPeople } from './fixed-people.ts';
import type { FixedRole, RegistryPerson } from './fixed-people.ts';
import { nameLists } from './names.ts';
import { nationalIdGenerator } from './national-ids.ts';
import { demoOrganizations } from './organizations.ts';
import type { DemoOrganization } from './organizations.ts';
import { seededRandom } from './random.ts';

export const DEMO_STUDENTS = 2000;
export const DEMO_TEACHERS = 100;
const SEED = 1405;

type Gender = 'female' | 'male';
export type PersonRow = {
  id: string; national_id: string; first_name: string; last_name: string;
  birth_date: string; birth_serial_hmac: string | null; gender: Gender;
};
export type AccountRow = { id: string; person_id: string; user_code: string; status: 'active'; mobile: string | null; email: string | null };
export type CredentialRow = { account_id: string; password_hash: string; must_change: boolean };
export type MembershipRow = { account_id: string; organization_id: string; role: Role; starts_on: string; ends_on: string; grade: number | null };
export type GuardianshipRow = { parent_person_id: string; child_person_id: string; relation: 'father' | 'mother' };

export type DemoPopulation = {
  organizations: Array<Omit<DemoOrganization, 'ages' | 'pupils'>>;
  people: PersonRow[];
  accounts: AccountRow[];
  credentials: CredentialRow[];
  memberships: MembershipRow[];
  guardianships: GuardianshipRow[];
  students: number;
  teachers: number;
  /** School A's id (the demo school information system is bound to its subtree). */
  schoolA: string;
  /** The principal of school A's account (the demo's identification answer is theirs). */
  principalAccountId: string;
};

export function buildDemoPopulation(options: {
  profile: Profile; today: string; passwordHash: string; serialHmac: (serial: string) => string;
}): DemoPopulation {
  const { profile, today } = options;
  const random = seededRandom(SEED);
  const names = nameLists(profile);
  const tree = demoOrganizations(profile);
  const fixed = fixedPeople(profile);
  const nextId = nationalIdGenerator(profile, random, new Set([...fixed.accounts, ...fixed.registryOnly].map((p) => p.nationalId)));
  const year = Number(today.slice(0, 4));
  const out: DemoPopulation = {
    organizations: tree.all.map(({ ages: _ages, pupils: _pupils, ...row }) => row),
    people: [], accounts: [], credentials: [], memberships: [], guardianships: [], students: 0, teachers: 0, schoolA: tree.schoolA.id, principalAccountId: '',
  };
  const userCodes = new Set<string>();
  const appointments = new Map<string, Appointment>();
  let contacts = 0;

  const addPerson = (person: RegistryPerson, serial?: string): string => {
    const id = randomUUID();
    out.people.push({
      id, national_id: person.nationalId, first_name: person.firstName, last_name: person.lastName,
      birth_date: person.birthDate, gender: person.gender,
      birth_serial_hmac: serial === undefined ? null : options.serialHmac(serial),
    });
    return id;
  };
  const addAccount = (personId: string, contact: { mobile?: string | undefined; email?: string | undefined } = {}): string => {
    const id = randomUUID();
    let code = newUserCode();
    while (userCodes.has(code)) code = newUserCode();
    userCodes.add(code);
    out.accounts.push({ id, person_id: personId, user_code: code, status: 'active', mobile: contact.mobile ?? null, email: contact.email ?? null });
    out.credentials.push({ account_id: id, password_hash: options.passwordHash, must_change: false });
    return id;
  };
  const appoint = (accountId: string, organization: DemoOrganization, role: Role, grade: number | null = null) => {
    let dates = appointments.get(organization.type);
    if (!dates) appointments.set(organization.type, dates = demoAppointment(profile, organization.type, today));
    out.memberships.push({ account_id: accountId, organization_id: organization.id, role, starts_on: dates.start, ends_on: dates.end, grade });
  };
  // A pupil's grade from the age this school year (grade 1 at 6 or 7 in both countries), within 1–12.
  const gradeOf = (birth: string) => Math.min(12, Math.max(1, year - Number(birth.slice(0, 4)) - 6));
  const birthDate = (birthYear: number) =>
    `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
  const generated = (gender: Gender, birthYear: number, lastName = random.pick(names.family)): RegistryPerson => ({
    nationalId: nextId(), gender, lastName, birthDate: birthDate(birthYear),
    firstName: random.pick(gender === 'male' ? names.male : names.female),
  });
  // Distinct, well-formed numbers for the few generated accounts that get contact details.
  const contact = (kind: string) => {
    contacts += 1;
    const serial = String(1_000_000 + contacts);
    return {
      mobile: profile === 'ir' ? `+98912${serial}` : `+97250${serial}`,
      email: `${kind}${contacts}@example.org`,
    };
  };
  const adult = (organization: DemoOrganization, role: Role, withContact: boolean) => {
    const gender = organization.pupils ?? random.pick(['female', 'male'] as const);
    const accountId = addAccount(addPerson(generated(gender, year - random.int(26, 60))), withContact ? contact(role) : {});
    appoint(accountId, organization, role);
  };

  // The fixed accounts of DESIGN.md.
  const fixedAccounts = new Map<FixedRole, { personId: string; accountId: string }>();
  for (const person of fixed.accounts) {
    const personId = addPerson(person, person.serial);
    fixedAccounts.set(person.key, { personId, accountId: addAccount(personId, { mobile: person.mobile, email: person.email }) });
  }
  const fixedAccount = (key: FixedRole) => {
    const found = fixedAccounts.get(key);
    if (!found) throw new Error(`fixed demo person ${key} is missing`);
    return found;
  };
  appoint(fixedAccount('principalA').accountId, tree.schoolA, 'principal');
  out.principalAccountId = fixedAccount('principalA').accountId;
  appoint(fixedAccount('principalA').accountId, tree.schoolB, 'teacher');
  appoint(fixedAccount('principalB').accountId, tree.schoolB, 'principal');
  appoint(fixedAccount('districtAdmin').accountId, tree.homeDistrict, 'district_admin');
  appoint(fixedAccount('teacherA').accountId, tree.schoolA, 'teacher');
  appoint(fixedAccount('studentA').accountId, tree.schoolA, 'student', 6);
  appoint(fixedAccount('fatherA').accountId, tree.schoolA, 'father');
  appoint(fixedAccount('ministryAdmin').accountId, tree.ministry, 'ministry_admin');
  out.guardianships.push({ parent_person_id: fixedAccount('fatherA').personId, child_person_id: fixedAccount('studentA').personId, relation: 'father' });
  out.students += 1;
  out.teachers += 2;
  for (const person of fixed.registryOnly) addPerson(person);

  // Every school gets a principal (A and B have theirs), a deputy and a member of staff.
  for (const school of tree.schools) {
    if (school !== tree.schoolA && school !== tree.schoolB) adult(school, 'principal', true);
    adult(school, 'deputy', true);
    adult(school, 'staff', false);
  }
  for (let i = 0; i < DEMO_TEACHERS; i++) {
    adult(tree.schools[i % tree.schools.length] as DemoOrganization, 'teacher', i % 5 === 0);
    out.teachers += 1;
  }

  // Students in proportion to school size (a special school is small), each with a father.
  const weight = (school: DemoOrganization) => (school.type === 'special' ? 0.4 : 1);
  const totalWeight = tree.schools.reduce((sum, school) => sum + weight(school), 0);
  let remaining = DEMO_STUDENTS;
  tree.schools.forEach((school, index) => {
    const count = index === tree.schools.length - 1 ? remaining : Math.round((DEMO_STUDENTS * weight(school)) / totalWeight);
    remaining -= count;
    for (let i = 0; i < count; i++) {
      const gender = school.pupils ?? random.pick(['female', 'male'] as const);
      const child = generated(gender, year - random.int(school.ages[0], school.ages[1]));
      const childId = addPerson(child);
      appoint(addAccount(childId), school, 'student', gradeOf(child.birthDate));
      // The demo teacher of school A is also the mother of its first pupil: one person, two apps (payslips, the parents portal).
      if (school === tree.schoolA && i === 0) {
        appoint(fixedAccount('teacherA').accountId, school, 'mother');
        out.guardianships.push({ parent_person_id: fixedAccount('teacherA').personId, child_person_id: childId, relation: 'mother' });
      }
      const fatherBirthYear = Number(child.birthDate.slice(0, 4)) - random.int(25, 45);
      const fatherId = addPerson(generated('male', fatherBirthYear, child.lastName));
      appoint(addAccount(fatherId, i % 10 === 0 ? contact('parent') : {}), school, 'father');
      out.guardianships.push({ parent_person_id: fatherId, child_person_id: childId, relation: 'father' });
      out.students += 1;
    }
  });
  return out;
}

/**
 * Demo appointments hold *today*, whenever the demo is loaded: the defaults point at the
 * coming school year in its last month (its start would lie ahead), and an appointment of a
 * non-public school ends before summer (its end would lie behind). A demo must show a role.
 */
function demoAppointment(profile: Profile, type: OrgType, today: string): Appointment {
  let dates = appointmentDefaults(profile, type, today);
  if (dates.end < today) dates = nextSchoolYear(profile, dates.start, dates.end);
  return dates.start > today ? { start: today, end: dates.end } : dates;
}
