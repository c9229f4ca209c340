/**
 * The demo's fixed people: the accounts DESIGN.md promises (Contracts → Demo data) and the
 * registry entries without an account, for trying registration. Iran's are the documented
 * ones; Israel's follow the same pattern (memorable prefixes completed with the check digit)
 * and are reported by loadDemoData so they can be documented too.
 */
import { ilCheckDigit } from '../domain/national-id.ts';
import type { Profile } from '../domain/profile.ts';

export type FixedRole = 'principalA' | 'principalB' | 'districtAdmin' | 'teacherA' | 'studentA' | 'fatherA' | 'ministryAdmin';

export type RegistryPerson = {
  nationalId: string;
  firstName: string;
  lastName: string;
  gender: 'female' | 'male';
  birthDate: string;
};

export type FixedPerson = RegistryPerson & {
  key: FixedRole;
  mobile?: string;
  email?: string;
  /** Birth-certificate serial in clear: it is stored only as an HMAC. */
  serial?: string;
  note: string;
};

export type FixedPeople = { accounts: FixedPerson[]; registryOnly: RegistryPerson[] };

const il = (first8: string) => first8 + String(ilCheckDigit(first8));

const iran: FixedPeople = {
  accounts: [
    { key: 'principalA', nationalId: '0012345679', firstName: 'علی', lastName: 'محمدی', gender: 'male', birthDate: '1978-03-25',
      mobile: '+989121234567', email: 'principal@example.org', serial: '123456',
      note: 'principal of school A and teacher at school B (role choice)' },
    { key: 'principalB', nationalId: '0034567895', firstName: 'زهرا', lastName: 'حسینی', gender: 'female', birthDate: '1981-10-02',
      note: 'principal of school B (same district as school A)' },
    { key: 'districtAdmin', nationalId: '0023456787', firstName: 'حسن', lastName: 'رحیمی', gender: 'male', birthDate: '1972-06-14',
      note: 'administrator of the district of schools A and B' },
    { key: 'teacherA', nationalId: '0067891233', firstName: 'فاطمه', lastName: 'کاظمی', gender: 'female', birthDate: '1988-01-30',
      note: 'teacher at school A and mother of a pupil there (payslips and the parents portal)' },
    { key: 'studentA', nationalId: '0045678911', firstName: 'امیر', lastName: 'نوری', gender: 'male', birthDate: '2014-04-12',
      note: 'student in grade 6 at school A (the gifted-school exam for grade 7)' },
    { key: 'fatherA', nationalId: '0056789122', firstName: 'محمد', lastName: 'نوری', gender: 'male', birthDate: '1983-08-09',
      mobile: '+989121112233', email: 'father@example.org',
      note: 'father of the student at school A (parents portal)' },
    { key: 'ministryAdmin', nationalId: '0098765434', firstName: 'مهدی', lastName: 'صادقی', gender: 'male', birthDate: '1975-12-01',
      note: 'ministry administrator: the whole tree, approvals and the system events' },
  ],
  registryOnly: [
    { nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', gender: 'female', birthDate: '2005-09-06' },
    { nationalId: '1583250689', firstName: 'رضا', lastName: 'کریمی', gender: 'male', birthDate: '2011-05-10' },
    { nationalId: '0011537027', firstName: 'مریم', lastName: 'رضایی', gender: 'female', birthDate: '2008-02-19' },
  ],
};

// Same memorable digit runs as Iran's codes, 8 digits + the Israeli check digit.
const israel: FixedPeople = {
  accounts: [
    { key: 'principalA', nationalId: il('01234567'), firstName: 'דוד', lastName: 'כהן', gender: 'male', birthDate: '1978-03-25',
      mobile: '+972521234567', email: 'principal@example.org',
      note: 'principal of school A and teacher at school B (role choice)' },
    { key: 'principalB', nationalId: il('03456789'), firstName: 'רחל', lastName: 'לוי', gender: 'female', birthDate: '1981-10-02',
      note: 'principal of school B (same district as school A)' },
    { key: 'districtAdmin', nationalId: il('02345678'), firstName: 'משה', lastName: 'פרץ', gender: 'male', birthDate: '1972-06-14',
      note: 'administrator of the district of schools A and B' },
    { key: 'teacherA', nationalId: il('06789123'), firstName: 'מיכל', lastName: 'מזרחי', gender: 'female', birthDate: '1988-01-30',
      note: 'teacher at school A and mother of a pupil there (payslips and the parents portal)' },
    { key: 'studentA', nationalId: il('04567891'), firstName: 'נועם', lastName: 'ביטון', gender: 'male', birthDate: '2014-04-12',
      note: 'student in grade 6 at school A' },
    { key: 'fatherA', nationalId: il('05678912'), firstName: 'יוסף', lastName: 'ביטון', gender: 'male', birthDate: '1983-08-09',
      mobile: '+972521112233', email: 'father@example.org',
      note: 'father of the student at school A (parents portal)' },
    { key: 'ministryAdmin', nationalId: il('09876543'), firstName: 'אבי', lastName: 'גולן', gender: 'male', birthDate: '1975-12-01',
      note: 'ministry administrator: the whole tree, approvals and the system events' },
  ],
  registryOnly: [
    { nationalId: '039337423', firstName: 'שרה', lastName: 'אברהם', gender: 'female', birthDate: '2005-09-06' },
    { nationalId: il('01583250'), firstName: 'אורי', lastName: 'פרידמן', gender: 'male', birthDate: '2011-05-10' },
    { nationalId: il('00115370'), firstName: 'תמר', lastName: 'שפירא', gender: 'female', birthDate: '2008-02-19' },
  ],
};

export function fixedPeople(profile: Profile): FixedPeople {
  return profile === 'ir' ? iran : israel;
}
