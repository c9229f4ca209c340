/**
 * The demo organization tree: ministry → provinces → districts → schools. Ids are generated
 * here (crypto.randomUUID) rather than by the database, so each row's materialized path
 * ('/ministry/province/district/school/') is known before it is inserted.
 */
import { randomUUID } from 'node:crypto';
import type { Profile } from '../domain/profile.ts';
import type { Selectable } from 'kysely';
import type { Database, OrganizationLevel, OrganizationType } from '../db/schema.ts';

/** Schools the fixed accounts belong to; both in the same district, the home district. */
type Mark = 'schoolA' | 'schoolB' | 'homeDistrict';

type Spec = {
  name: string;
  type: OrganizationType;
  code?: string;
  /** Pupils' ages and, for single-sex schools (the rule in Iran), their gender. */
  ages?: readonly [number, number];
  pupils?: 'female' | 'male';
  mark?: Mark;
  children?: readonly Spec[];
};

/** An organizations row (as inserted) plus what the population builder needs to know of it. */
export type DemoOrganization = Omit<Selectable<Database['organizations']>, 'created_at'> & {
  ages: readonly [number, number];
  pupils: 'female' | 'male' | undefined;
};

export type DemoTree = {
  all: DemoOrganization[];
  /** The root of the tree, where the ministry administrator is appointed. */
  ministry: DemoOrganization;
  schools: DemoOrganization[];
  schoolA: DemoOrganization;
  schoolB: DemoOrganization;
  homeDistrict: DemoOrganization;
};

const primary = [7, 12] as const;
const secondary = [13, 18] as const;

const iran: Spec = {
  name: 'وزارت آموزش و پرورش', type: 'ministry', children: [
    { name: 'تهران', type: 'province', children: [
      { name: 'تهران منطقه ۶', type: 'district', mark: 'homeDistrict', children: [
        { name: 'دبستان پسرانه شهید بهشتی', type: 'public', code: '11060101', ages: primary, pupils: 'male', mark: 'schoolA' },
        { name: 'دبیرستان پسرانه البرز', type: 'public', code: '11060201', ages: secondary, pupils: 'male', mark: 'schoolB' },
      ] },
      { name: 'تهران منطقه ۲', type: 'district', children: [
        { name: 'دبستان غیردولتی دخترانه نیکان', type: 'non_public', code: '11020101', ages: primary, pupils: 'female' },
        { name: 'دبیرستان دخترانه تیزهوشان فرزانگان (سمپاد)', type: 'gifted', code: '11020301', ages: secondary, pupils: 'female' },
      ] },
    ] },
    { name: 'خراسان رضوی', type: 'province', children: [
      { name: 'مشهد ناحیه ۵', type: 'district', children: [
        { name: 'دبستان دخترانه کوثر', type: 'public', code: '93050101', ages: primary, pupils: 'female' },
        { name: 'دبیرستان پسرانه امام رضا', type: 'public', code: '93050201', ages: secondary, pupils: 'male' },
        { name: 'مدرسه استثنایی امید', type: 'special', code: '93050901', ages: [7, 18] },
      ] },
    ] },
  ],
};

const israel: Spec = {
  name: 'משרד החינוך', type: 'ministry', children: [
    { name: 'מחוז תל אביב', type: 'province', children: [
      { name: 'תל אביב-יפו', type: 'district', mark: 'homeDistrict', children: [
        { name: 'בית ספר יסודי ביאליק', type: 'public', code: '510101', ages: [6, 12], mark: 'schoolA' },
        { name: 'תיכון עירוני הרצל', type: 'public', code: '510201', ages: [15, 18], mark: 'schoolB' },
      ] },
      { name: 'רמת גן', type: 'district', children: [
        { name: 'בית ספר פרטי הדר', type: 'non_public', code: '520101', ages: [6, 12] },
        { name: 'תיכון למחוננים אופק', type: 'gifted', code: '520301', ages: [15, 18] },
      ] },
    ] },
    { name: 'מחוז ירושלים', type: 'province', children: [
      { name: 'ירושלים', type: 'district', children: [
        { name: 'בית ספר יסודי רחביה', type: 'public', code: '610101', ages: [6, 12] },
        { name: 'תיכון הגבעה', type: 'public', code: '610201', ages: [15, 18] },
        { name: 'בית ספר לחינוך מיוחד שלווה', type: 'special', code: '610901', ages: [6, 18] },
      ] },
    ] },
  ],
};

const LEVELS: readonly OrganizationLevel[] = ['ministry', 'province', 'district', 'school'];

export function demoOrganizations(profile: Profile): DemoTree {
  const all: DemoOrganization[] = [];
  const marked = new Map<Mark, DemoOrganization>();
  const visit = (spec: Spec, parent: DemoOrganization | undefined, depth: number) => {
    const id = randomUUID();
    const level = LEVELS[depth];
    if (level === undefined) throw new RangeError('the demo tree is deeper than its levels');
    const organization: DemoOrganization = {
      id,
      parent_id: parent?.id ?? null,
      level,
      type: spec.type,
      name: spec.name,
      code: spec.code ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      ages: spec.ages ?? [0, 0],
      pupils: spec.pupils,
    };
    all.push(organization);
    if (spec.mark) marked.set(spec.mark, organization);
    for (const child of spec.children ?? []) visit(child, organization, depth + 1);
  };
  visit(profile === 'ir' ? iran : israel, undefined, 0);
  const take = (mark: Mark) => {
    const found = marked.get(mark);
    if (!found) throw new Error(`demo tree has no ${mark}`);
    return found;
  };
  return {
    all,
    ministry: all[0]!, // the root: visited first
    schools: all.filter((organization) => organization.level === 'school'),
    schoolA: take('schoolA'),
    schoolB: take('schoolB'),
    homeDistrict: take('homeDistrict'),
  };
}
