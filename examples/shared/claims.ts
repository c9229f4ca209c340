/**
 * The signed-in person, read from the ID token's and userinfo's claims (Kelid's contract in
 * DESIGN.md, "OpenID Connect"). Claims are outside input: each is checked for its shape, a
 * malformed entry is dropped rather than trusted, and a missing claim becomes null or [].
 * Field names stay those of the claims, so a reader can match them to the contract.
 */
export type RoleClaim = {
  role: string;
  organization: string;
  /** Kelid's id of the organization: names repeat (two schools may share one), ids do not. */
  organization_id: string | null;
  organization_type: string | null;
  district: string | null;
  province: string | null;
  starts_on: string | null;
  ends_on: string | null;
  /** A student's grade (1–12) in this appointment; null for other roles or when Kelid has none. */
  grade: number | null;
};

/** The appointment Kelid's role choice picked for this app. */
export type ActingAs = { role: string; organization: string; organization_id: string | null };

export type ChildClaim = {
  national_id: string;
  given_name: string;
  family_name: string;
  school: string | null;
  /** The child's grade (1–12) as a student today; null when Kelid has none. */
  grade: number | null;
};

export type Person = {
  /** Kelid's subject: stable for this app, never the national ID. */
  sub: string;
  given_name: string;
  family_name: string;
  national_id: string | null;
  user_code: string | null;
  locale: string | null;
  roles: RoleClaim[];
  acting_as: ActingAs | null;
  children: ChildClaim[];
};

type Claims = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

/** A school grade, 1 to 12, as a number (or the digits of one); anything else is no grade. */
const grade = (value: unknown): number | null => {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(parsed) && parsed >= 1 && parsed <= 12 ? parsed : null;
};

const records = (value: unknown): Claims[] =>
  Array.isArray(value) ? value.filter((item): item is Claims => typeof item === 'object' && item !== null) : [];

function roleClaim(claim: Claims): RoleClaim | null {
  const role = text(claim['role']);
  const organization = text(claim['organization']);
  if (role === null || organization === null) return null;
  return {
    role, organization,
    organization_id: text(claim['organization_id']),
    organization_type: text(claim['organization_type']),
    district: text(claim['district']),
    province: text(claim['province']),
    starts_on: text(claim['starts_on']),
    ends_on: text(claim['ends_on']),
    grade: grade(claim['grade']),
  };
}

function childClaim(claim: Claims): ChildClaim | null {
  const nationalId = text(claim['national_id']);
  if (nationalId === null) return null;
  return {
    national_id: nationalId,
    given_name: text(claim['given_name']) ?? '',
    family_name: text(claim['family_name']) ?? '',
    school: text(claim['school']),
    grade: grade(claim['grade']),
  };
}

function actingAs(value: unknown): Person['acting_as'] {
  if (typeof value !== 'object' || value === null) return null;
  const claim = value as Claims;
  const role = text(claim['role']);
  const organization = text(claim['organization']);
  return role !== null && organization !== null ? { role, organization, organization_id: text(claim['organization_id']) } : null;
}

/** Throws when there is no subject: without it nothing else can be tied to the person. */
export function personFromClaims(claims: Claims): Person {
  const sub = text(claims['sub']);
  if (sub === null) throw new Error('claims without a sub');
  return {
    sub,
    given_name: text(claims['given_name']) ?? '',
    family_name: text(claims['family_name']) ?? '',
    national_id: text(claims['national_id']),
    user_code: text(claims['user_code']),
    locale: text(claims['locale']),
    roles: records(claims['roles']).map(roleClaim).filter((role) => role !== null),
    acting_as: actingAs(claims['acting_as']),
    children: records(claims['children']).map(childClaim).filter((child) => child !== null),
  };
}

export const fullName = (person: { given_name: string; family_name: string }) =>
  `${person.given_name} ${person.family_name}`.trim();

/**
 * The appointment through which the person uses an app serving `roles`: the one `acting_as`
 * names (Kelid's role choice for this app) when it is one of them, otherwise the first such
 * appointment, otherwise null. The whole appointment, so the app sees its grade too.
 */
export function actingIn(person: Person, roles: readonly string[]): RoleClaim | null {
  const acting = person.acting_as;
  if (acting && roles.includes(acting.role)) {
    // The same appointment in `roles`: by organization id when Kelid sends one (names repeat).
    const same = person.roles.find((claim) => claim.role === acting.role && (acting.organization_id !== null && claim.organization_id !== null
      ? claim.organization_id === acting.organization_id
      : claim.organization === acting.organization));
    return same ?? {
      ...acting, organization_type: null, district: null, province: null, starts_on: null, ends_on: null, grade: null,
    };
  }
  return person.roles.find((claim) => roles.includes(claim.role)) ?? null;
}
