/**
 * The signed-in person, read from the ID token's and userinfo's claims (Kelid's contract in
 * DESIGN.md, "OpenID Connect"). Claims are outside input: each is checked for its shape, a
 * malformed entry is dropped rather than trusted, and a missing claim becomes null or [].
 * Field names stay those of the claims, so a reader can match them to the contract.
 */
export type RoleClaim = {
  role: string;
  organization: string;
  organization_type: string | null;
  district: string | null;
  province: string | null;
  starts_on: string | null;
  ends_on: string | null;
};

export type ChildClaim = {
  national_id: string;
  given_name: string;
  family_name: string;
  school: string | null;
  grade: string | null;
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
  acting_as: { role: string; organization: string } | null;
  children: ChildClaim[];
};

type Claims = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

const records = (value: unknown): Claims[] =>
  Array.isArray(value) ? value.filter((item): item is Claims => typeof item === 'object' && item !== null) : [];

function roleClaim(claim: Claims): RoleClaim | null {
  const role = text(claim['role']);
  const organization = text(claim['organization']);
  if (role === null || organization === null) return null;
  return {
    role, organization,
    organization_type: text(claim['organization_type']),
    district: text(claim['district']),
    province: text(claim['province']),
    starts_on: text(claim['starts_on']),
    ends_on: text(claim['ends_on']),
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
    grade: text(claim['grade']),
  };
}

function actingAs(value: unknown): Person['acting_as'] {
  if (typeof value !== 'object' || value === null) return null;
  const claim = value as Claims;
  const role = text(claim['role']);
  const organization = text(claim['organization']);
  return role !== null && organization !== null ? { role, organization } : null;
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
 * The organization the person acts for in one of `roles`: `acting_as` when it is one of them
 * (Kelid's role choice), otherwise the first such appointment, otherwise null.
 */
export function actingIn(person: Person, roles: readonly string[]): { role: string; organization: string } | null {
  if (person.acting_as && roles.includes(person.acting_as.role)) return person.acting_as;
  const role = person.roles.find((claim) => roles.includes(claim.role));
  return role ? { role: role.role, organization: role.organization } : null;
}
