/** Kysely's view of the tables in migrations/. Columns with defaults are `Generated`. */
import type { ColumnType, Generated } from 'kysely';
import type { SupportCategory } from '../domain/support-request.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `sql\`version + 1\`` and the like in updates. */
type RawVersion = import('kysely').RawBuilder<number>;
/** Dates travel as 'YYYY-MM-DD' strings (wire-types.ts: both drivers' date parser is turned off, postgres.ts and pglite.ts). */
type DateOnly = string;

export type Role =
  | 'student' | 'teacher' | 'staff' | 'deputy' | 'principal' | 'father' | 'mother' | 'guardian'
  | 'district_admin' | 'province_admin' | 'ministry_admin' | 'university_staff' | 'university_student';
export type OrganizationLevel = 'ministry' | 'province' | 'district' | 'school' | 'university';
export type OrganizationType =
  | 'ministry' | 'province' | 'district' | 'public' | 'non_public' | 'gifted' | 'special' | 'university';

export type BatchKind = 'passwords' | 'invitations';
/** What an invitation batch did for one person: sent, or skipped and why. */
export type InvitationOutcome = 'sent' | 'no_email' | 'no_national_id' | 'disabled';

/** Where a support request stands (F29); its categories are domain/support-request.ts's. */
export type SupportState = 'open' | 'answered' | 'closed';

export type Database = {
  people: {
    id: Generated<string>;
    /** Null only for non-citizens, who have a passport instead (F15). */
    national_id: string | null;
    passport_number: string | null;
    passport_country: string | null;
    first_name: string;
    last_name: string;
    birth_date: DateOnly | null;
    birth_serial_hmac: string | null;
    gender: 'female' | 'male' | null;
    registry_status: Generated<'registry' | 'self_declared'>;
    father_name: string | null;
    address: string | null;
    postal_code: string | null;
    created_at: Timestamp & Generated<Date>;
    updated_at: Timestamp & Generated<Date>;
  };
  accounts: {
    id: Generated<string>;
    person_id: string;
    user_code: string;
    status: Generated<'active' | 'pending' | 'disabled'>;
    mobile: string | null;
    email: string | null;
    /** When the email was proven (a code at registration, a link): only a proven address may get a recovery link. */
    email_verified_at: Timestamp | null;
    locale: string | null;
    created_at: Generated<Date>;
    profile_completed_at: Timestamp | null;
    registration_reminded_at: Timestamp | null;
  };
  credentials: {
    account_id: string;
    password_hash: string;
    must_change: Generated<boolean>;
    changed_at: Generated<Date>;
  };
  organizations: {
    id: Generated<string>;
    parent_id: string | null;
    level: OrganizationLevel;
    type: OrganizationType;
    name: string;
    code: string | null;
    path: string;
    created_at: Generated<Date>;
  };
  memberships: {
    id: Generated<string>;
    account_id: string;
    organization_id: string;
    role: Role;
    starts_on: DateOnly;
    ends_on: DateOnly | null;
    approved: Generated<boolean>;
    created_at: Generated<Date>;
    /** A student's grade (1–12) in this school. */
    grade: Generated<number | null>;
    /** When a SCIM client deleted the person (0022): ended, and out of the SCIM view. */
    deprovisioned_at: Generated<Date | null>;
  };
  guardianships: {
    parent_person_id: string;
    child_person_id: string;
    relation: 'father' | 'mother' | 'guardian';
    created_at: Generated<Date>;
  };
  sessions: {
    id: Generated<string>;
    token_hash: Buffer;
    account_id: string;
    membership_id: string | null;
    kind: 'browser' | 'api';
    ip: string | null;
    user_agent: string | null;
    created_at: Generated<Date>;
    last_seen_at: Generated<Date>;
    expires_at: Timestamp;
    mfa_at: Timestamp | null;
    webauthn_challenge: string | null;
    webauthn_challenge_at: Timestamp | null;
    /** How the session was signed in (RFC 8176 amr values). */
    amr: ColumnType<string[], string[] | undefined, string[]>;
  };
  sign_in_failures: {
    key: string;
    failures: number;
    last_failed_at: Timestamp;
    locked_until: Timestamp | null;
    previous_lock_until: Generated<Date | null>;
  };
  rate_counters: {
    bucket: string;
    key: string;
    window_start: Timestamp;
    hits: number;
  };
  flows: {
    id: Generated<string>;
    kind: string;
    state: string;
    data: ColumnType<unknown, string, string>;
    binding: Buffer | null;
    version: ColumnType<number, number | undefined, number | RawVersion>;
    expires_at: Timestamp;
    created_at: Generated<Date>;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
  verification_codes: {
    id: Generated<string>;
    flow_id: string;
    purpose: 'mobile' | 'email' | 'recovery' | 'sign_in' | 'recovery_link';
    target: string;
    code_hmac: string;
    tries: ColumnType<number, number | undefined, number | RawVersion>;
    sent_at: Timestamp;
    expires_at: Timestamp;
    used_at: Timestamp | null;
  };
  audit_events: {
    id: Generated<string>;
    at: Generated<Date>;
    type: string;
    actor_account_id: string | null;
    acting_membership_id: string | null;
    subject_account_id: string | null;
    ip: string | null;
    user_agent: string | null;
    data: ColumnType<Record<string, unknown>, string | undefined, string>;
    /** The request that caused the event (its X-Request-Id and log lines' reqId); null for background work. */
    request_id: ColumnType<string | null, string | null | undefined, never>;
  };
  mfa_totp: {
    account_id: string;
    secret_ciphertext: string;
    confirmed_at: Timestamp | null;
    pending_session_id: string | null;
    last_step: ColumnType<string, string | number | undefined, string | number>;
    created_at: Generated<Date>;
  };
  mfa_recovery_codes: {
    id: Generated<string>;
    account_id: string;
    code_hmac: string;
    used_at: Timestamp | null;
  };
  password_batches: {
    id: Generated<string>;
    actor_account_id: string;
    acting_membership_id: string | null;
    request_key: string;
    /** Temporary passwords (F21), or set-password invitations (F19). */
    kind: Generated<BatchKind>;
    state: 'running' | 'done' | 'shown' | 'failed';
    total: number;
    done: ColumnType<number, number | undefined, number | RawVersion>;
    /** An invitation batch's people with no email on record. */
    skipped: ColumnType<number, number | undefined, number | RawVersion>;
    created_at: Generated<Date>;
    finished_at: Timestamp | null;
  };
  announcements: {
    id: Generated<string>;
    organization_id: string;
    /** The roles it is for; empty: every role. */
    roles: ColumnType<Role[], Role[] | undefined, Role[]>;
    title: string;
    body: string;
    starts_on: DateOnly;
    /** Inclusive last day. */
    ends_on: DateOnly;
    public: Generated<boolean>;
    author_account_id: string | null;
    created_at: Generated<Date>;
    updated_at: Timestamp & Generated<Date>;
    withdrawn_at: Timestamp | null;
  };
  /** OneRoster import (0021): what an importer's sourcedId became (an organization, an account, an appointment). */
  oneroster_sources: {
    importer_organization_id: string;
    kind: 'org' | 'user' | 'appointment';
    sourced_id: string;
    entity_id: string;
    hash: string;
    updated_at: Generated<Date>;
  };
  /** A large user import run in the background (issue 13 §4, 0020-import-jobs.sql). */
  import_jobs: {
    id: Generated<string>;
    actor_account_id: string;
    acting_membership_id: string | null;
    organization_id: string;
    kind: 'csv' | 'xlsx';
    file: Buffer | null;
    send_invitations: Generated<boolean>;
    ip: ColumnType<string | null, string | null | undefined, string | null>;
    state: 'running' | 'done' | 'failed';
    total: number;
    done: ColumnType<number, number | undefined, number>;
    report: ColumnType<unknown, string | null | undefined, string | null>;
    failure: ColumnType<unknown, string | null | undefined, string | null>;
    created_at: Generated<Date>;
    finished_at: Timestamp | null;
  };
  password_batch_items: {
    batch_id: string;
    account_id: string;
    position: number;
    secret_ciphertext: string | null;
    done: Generated<boolean>;
    outcome: InvitationOutcome | null;
  };
  invitations: {
    id: Generated<string>;
    account_id: string;
    token_hash: Buffer;
    email: string;
    created_by: string | null;
    batch_id: string | null;
    created_at: Timestamp;
    expires_at: Timestamp;
    wrong_ids: ColumnType<number, number | undefined, number | RawVersion>;
    used_at: Timestamp | null;
    voided_at: Timestamp | null;
    void_reason: 'replaced' | 'wrong_ids' | null;
    /** When the account's password was last set as the link was sent (credentials.changed_at); null: none then. */
    password_set_at: ColumnType<Date | null, Date | null | import('kysely').RawBuilder<Date | null> | undefined, Date | null>;
  };
  identification_answers: {
    account_id: string;
    question: string;
    answer_hash: string;
    set_at: Timestamp;
  };
  sign_in_tokens: {
    token_hash: Buffer;
    account_id: string;
    expires_at: Timestamp;
    used_at: Timestamp | null;
  };
  mfa_passkeys: {
    id: Generated<string>;
    account_id: string;
    credential_id: string;
    public_key: Buffer;
    counter: ColumnType<string, string | number | undefined, string | number>;
    transports: ColumnType<string[], string[] | undefined, string[]>;
    created_at: Generated<Date>;
    last_used_at: Timestamp | null;
  };
  ended_sessions: {
    id: Generated<string>;
    account_id: string;
    /** null: every sign-in of the account that has no Kelid session any more (migration 0025). */
    signed_in_at: Date | null;
  };
  oidc_models: {
    model: string;
    id: string;
    payload: ColumnType<Record<string, unknown>, string, string>;
    grant_id: string | null;
    uid: string | null;
    user_code: string | null;
    expires_at: Timestamp | null;
    consumed_at: Timestamp | null;
  };
  oidc_keys: {
    kid: string;
    alg: 'RS256' | 'ES256';
    private_jwk: string;
    public_jwk: ColumnType<Record<string, unknown>, string, string>;
    created_at: Generated<Date>;
    activates_at: Timestamp;
    retired_at: Timestamp | null;
  };
  oidc_clients: {
    client_id: string;
    name: string;
    /** The name in other languages, by locale (ClientNames). */
    names: ColumnType<Partial<Record<string, string>>, string | undefined, string>;
    first_party: Generated<boolean>;
    secret_hmac: string | null;
    redirect_uris: ColumnType<string[], string[] | undefined, string[]>;
    post_logout_redirect_uris: ColumnType<string[], string[] | undefined, string[]>;
    grant_types: ColumnType<string[], string[] | undefined, string[]>;
    scopes: ColumnType<string[], string[] | undefined, string[]>;
    access_token_format: Generated<'opaque' | 'jwt'>;
    id_token_alg: Generated<'RS256' | 'ES256'>;
    backchannel_logout_uri: string | null;
    roles: ColumnType<Role[], Role[] | undefined, Role[]>;
    organization_id: string | null;
    /** A third-party app's pairwise sector (migration 0030); null: first party, or its redirect host (registered before). */
    pairwise_sector: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  scim_external_ids: {
    client_id: string;
    account_id: string;
    external_id: string;
  };
  oidc_acting: {
    grant_id: string;
    account_id: string;
    membership_id: string | null;
    session_id: string | null;
    chosen_at: Generated<Date>;
  };
  support_requests: {
    id: Generated<string>;
    reference: string;
    account_id: string | null;
    membership_id: string | null;
    /** Where the request is now: its administrators are those whose subtree holds it. */
    organization_id: string;
    origin_organization_id: string;
    category: SupportCategory;
    subject: string;
    body: string;
    from_path: string | null;
    contact_channel: 'sms' | 'email' | null;
    contact: string | null;
    locale: string;
    state: Generated<SupportState>;
    created_at: Timestamp;
    updated_at: Timestamp;
    closed_at: Timestamp | null;
  };
  support_screenshots: {
    request_id: string;
    content_type: 'image/png' | 'image/jpeg';
    bytes: Buffer;
  };
  support_replies: {
    id: Generated<string>;
    request_id: string;
    author_account_id: string | null;
    organization_id: string;
    body: string;
    created_at: Timestamp;
  };
};
