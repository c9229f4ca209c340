/**
 * Loads the demo data (DESIGN.md, Contracts → Demo data) into an empty database, in one
 * transaction: either the whole demo is there or none of it.
 */
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { DatabaseHandle, Db } from '../db/database.ts';
import type { Database, Role } from '../db/schema.ts';
import type { Profile } from '../domain/profile.ts';
import type { IdentificationQuestion } from '../domain/identification-answer.ts';
import { hashIdentificationAnswer, saveIdentificationAnswer } from '../identity/identification-answers.ts';
import { recordAudit } from '../identity/audit.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import { hmacHex } from '../secrets.ts';
import { clientNames } from '../domain/oidc-client.ts';
import { clientSecretKey, hashClientSecret } from '../federation/client-secrets.ts';
import type { Keys } from '../secrets.ts';
import { demoAnnouncements } from './announcements.ts';
import { demoClients } from './clients.ts';
import { buildDemoPopulation } from './demo-population.ts';
import type { DemoPopulation } from './demo-population.ts';
import { fixedPeople } from './fixed-people.ts';
import type { FixedRole } from './fixed-people.ts';

export type DemoOptions = {
  profile: Profile;
  password: string;
  hasher: PasswordHasher;
  /** The profile's civil date (YYYY-MM-DD): appointments run over the school year around it. */
  today: string;
  personalDataKey: Buffer;
  /** The HMAC key of client secrets (federation/clients.ts clientSecretKey): the demo clients' secrets are stored like any. */
  clientSecretKey: Buffer;
};

export type DemoCounts = {
  organizations: number;
  schools: number;
  people: number;
  accounts: number;
  memberships: number;
  guardianships: number;
  students: number;
  teachers: number;
};

export type DemoSummary = {
  /** False when the database already had people: then nothing was written and every count is 0. */
  loaded: boolean;
  profile: Profile;
  counts: DemoCounts;
  /** The fixed accounts (DESIGN.md for ir; generated the same way for il), to print or document. */
  fixedAccounts: Array<{ nationalId: string; role: Role; note: string }>;
  /** People in the registry with no account, for trying registration. */
  registryOnly: Array<{ nationalId: string; name: string; birthDate: string }>;
  milliseconds: number;
};

// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters, few round trips.
const CHUNK = 500;
// Two processes starting on one empty database must not both load the demo.
const DEMO_LOCK = 4_242_002;

/** The demo principal's identification question and answer (README: recovery in Israel's profile). */
export const DEMO_IDENTIFICATION = {
  ir: { question: 'first_school', answer: 'البرز' },
  il: { question: 'first_school', answer: 'הרצל' },
} as const satisfies Record<Profile, { question: IdentificationQuestion; answer: string }>;

/** The keys the demo data needs, from the app's. */
export const demoKeys = (keys: Keys) => ({ personalDataKey: keys.personalData, clientSecretKey: clientSecretKey(keys.federation) });

export async function loadDemoData(target: DatabaseHandle | Db, options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const db = 'withScriptSession' in target ? target.db : target;
  // Every demo account shares one password, so one argon2 hash serves them all: hashing
  // ~4,000 times would cost 30 s or more at OWASP cost, for identical results. Each account
  // still gets its own credential row, and a changed password gets its own salt.
  const passwordHash = await options.hasher.hash(options.password);
  const population = buildDemoPopulation({
    profile: options.profile,
    today: options.today,
    passwordHash,
    serialHmac: (serial) => hmacHex(options.personalDataKey, serial),
  });
  return db.transaction().execute(async (trx): Promise<DemoSummary> => {
    await sql`select pg_advisory_xact_lock(${DEMO_LOCK})`.execute(trx);
    const anyone = await trx.selectFrom('people').select('id').limit(1).executeTakeFirst();
    if (anyone) return summarize(options.profile, undefined, started);
    // Parents before children: the tree's rows come ordered from the root.
    await insertChunks(trx, 'organizations', population.organizations);
    await insertChunks(trx, 'people', population.people);
    await insertChunks(trx, 'accounts', population.accounts);
    await insertChunks(trx, 'credentials', population.credentials);
    await insertChunks(trx, 'memberships', population.memberships);
    await insertChunks(trx, 'guardianships', population.guardianships);
    // Recovery in Israel's profile asks the identification question: the principal has one to try.
    const demoAnswer = DEMO_IDENTIFICATION[options.profile];
    await saveIdentificationAnswer(trx, population.principalAccountId, demoAnswer.question, await hashIdentificationAnswer(options.hasher, demoAnswer.answer), new Date());
    await trx.insertInto('oidc_clients').values(demoClients(options.profile).map(({ secret, boundToSchoolA, ...client }) => ({
      client_id: client.clientId, name: client.name, names: JSON.stringify(clientNames(client.names)), first_party: client.firstParty,
      secret_hmac: hashClientSecret(options.clientSecretKey, secret),
      redirect_uris: client.redirectUris, post_logout_redirect_uris: client.postLogoutRedirectUris, grant_types: client.grantTypes,
      scopes: client.scopes, access_token_format: client.accessTokenFormat, backchannel_logout_uri: client.backchannelLogoutUri, roles: client.roles,
      organization_id: boundToSchoolA ? population.schoolA : null,
    }))).onConflict((oc) => oc.column('client_id').doNothing()).execute();
    const schoolA = population.organizations.find((o) => o.id === population.schoolA);
    const ministry = population.organizations.find((o) => o.level === 'ministry');
    if (schoolA?.parent_id && ministry) {
      await trx.insertInto('announcements').values(demoAnnouncements(options.profile, { ministry: ministry.id, district: schoolA.parent_id }, options.today)).execute();
    }
    const summary = summarize(options.profile, population, started);
    await recordAudit(trx, { type: 'demo.loaded', data: { profile: options.profile, ...summary.counts } });
    return summary;
  });
}

type Insertable = 'organizations' | 'people' | 'accounts' | 'credentials' | 'memberships' | 'guardianships';

async function insertChunks<T extends Insertable>(trx: Transaction<Database>, table: T, rows: ReadonlyArray<object>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // The row types are built to match the table (demo-population.ts); Kysely's generic
    // insert type cannot follow a table name held in a type parameter.
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as never).execute();
  }
}

const ROLE_OF: Record<FixedRole, Role> = {
  principalA: 'principal', principalB: 'principal', districtAdmin: 'district_admin',
  teacherA: 'teacher', studentA: 'student', fatherA: 'father', ministryAdmin: 'ministry_admin',
};

function summarize(profile: Profile, population: DemoPopulation | undefined, started: number): DemoSummary {
  const fixed = fixedPeople(profile);
  const organizations = population?.organizations ?? [];
  return {
    loaded: population !== undefined,
    profile,
    counts: {
      organizations: organizations.length,
      schools: organizations.filter((organization) => organization.level === 'school').length,
      people: population?.people.length ?? 0,
      accounts: population?.accounts.length ?? 0,
      memberships: population?.memberships.length ?? 0,
      guardianships: population?.guardianships.length ?? 0,
      students: population?.students ?? 0,
      teachers: population?.teachers ?? 0,
    },
    fixedAccounts: fixed.accounts.map((person) => ({ nationalId: person.nationalId, role: ROLE_OF[person.key], note: person.note })),
    registryOnly: fixed.registryOnly.map((person) => ({
      nationalId: person.nationalId, name: `${person.firstName} ${person.lastName}`, birthDate: person.birthDate,
    })),
    milliseconds: Math.round(performance.now() - started),
  };
}
