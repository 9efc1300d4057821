import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Who is who: organisations (the platform itself, agencies, vendors), people,
 * their memberships (person × organisation × role, with dates), and everything
 * that proves or ends their access: credentials, sessions, invitations, API
 * tokens, access reviews and deprovisioning records.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const ORGANISATION_KINDS = ["platform", "agency", "vendor"] as const;
export const ORGANISATION_STATUSES = ["active", "decommissioned"] as const;

export const organisations = pgTable(
  "organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ORGANISATION_KINDS }).notNull(),
    name: text("name").notNull(),
    /** Two-letter state or territory code, for agencies. */
    state: text("state"),
    /** ORI-style identifier of an agency (e.g. "VA0010000"). */
    ori: text("ori"),
    /** The IANA zone the organisation keeps time in: its "today" for due, expiry and renewal days. */
    timeZone: text("time_zone").notNull().default("America/New_York"),
    status: text("status", { enum: ORGANISATION_STATUSES }).notNull().default("active"),
    decommissionedAt: ts("decommissioned_at"),
    decommissionedBy: uuid("decommissioned_by"),
    decommissionedReason: text("decommissioned_reason"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("organisations_ori").on(t.ori),
    uniqueIndex("organisations_one_platform")
      .on(t.kind)
      .where(sql`${t.kind} = 'platform'`),
  ],
);

export const people = pgTable(
  "people",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased; one identity per address. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    passwordChangedAt: ts("password_changed_at"),
    /** TOTP secret, encrypted with ENCRYPTION_KEY (AES-256-GCM). */
    totpSecret: text("totp_secret"),
    /** Last TOTP time step accepted: a code at or before it is refused (replay). */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    mfaEnrolledAt: ts("mfa_enrolled_at"),
    failedLogins: integer("failed_logins").notNull().default(0),
    firstFailedLoginAt: ts("first_failed_login_at"),
    lockedAt: ts("locked_at"),
    disabledAt: ts("disabled_at"),
    disabledReason: text("disabled_reason"),
    /** "sweep" when the stale-account sweep disabled the person, else the administrator's id. */
    disabledBy: text("disabled_by"),
    lastActivityAt: ts("last_activity_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("people_email").on(t.email)],
);

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("recovery_codes_person").on(t.personId)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    role: text("role").notNull(),
    startsAt: ts("starts_at").notNull().defaultNow(),
    /** Planned end (task-force assignment); the sweep ends the membership once it passes. */
    endsAt: ts("ends_at"),
    /** When the membership actually ended, and why. */
    endedAt: ts("ended_at"),
    endedReason: text("ended_reason"),
    grantedBy: uuid("granted_by").references(() => people.id),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("memberships_person").on(t.personId),
    index("memberships_organisation").on(t.organisationId),
    uniqueIndex("memberships_one_live_role")
      .on(t.personId, t.organisationId, t.role)
      .where(sql`${t.endedAt} is null`),
  ],
);

/**
 * A person as the agency's directory knows them (SCIM provisioning): the directory's own id for them,
 * whether it holds them active, and when it last spoke about them. A person with such a row is
 * directory-managed in that agency; removing them there ends their roles here. Issue 19.
 */
export const directoryIdentities = pgTable(
  "directory_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    externalId: text("external_id"),
    /** The directory's own stable id for the person at sign-in (OpenID Connect "sub"), bound at the first sign-in. */
    subject: text("subject"),
    active: boolean("active").notNull().default(true),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    /** Raised on every write the directory makes; the SCIM resource's version (ETag). */
    version: integer("version").notNull().default(1),
    lastSeenAt: ts("last_seen_at").notNull(),
  },
  (t) => [
    uniqueIndex("directory_identities_person").on(t.organisationId, t.personId),
    uniqueIndex("directory_identities_subject").on(t.organisationId, t.subject),
  ],
);

/**
 * An agency's own directory, through which its people sign in (OpenID Connect; issue 19). One per
 * agency. The client secret is sealed with ENCRYPTION_KEY. A person is matched by the e-mail the
 * directory asserts, only within the listed domains, and only if they already hold a role here.
 */
export const DIRECTORY_PROTOCOLS = ["oidc", "saml"] as const;
export const directoryConnections = pgTable(
  "directory_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    protocol: text("protocol", { enum: DIRECTORY_PROTOCOLS }).notNull().default("oidc"),
    /** What people see on the sign-in button ("Riverside County Entra ID"). */
    displayName: text("display_name").notNull(),
    /** Lower-cased domains whose addresses this directory may vouch for. */
    emailDomains: text("email_domains").array().notNull(),
    /** OpenID Connect: the issuer URL. SAML: the identity provider's entity ID (the Issuer of its responses). */
    issuer: text("issuer").notNull(),
    /** OpenID Connect only: the client id Custody was given. */
    clientId: text("client_id"),
    /** AES-256-GCM under ENCRYPTION_KEY; never exported, never shown again. */
    clientSecret: text("client_secret"),
    /** SAML: where the browser is sent with the authentication request (HTTP-Redirect binding). */
    samlEntryPoint: text("saml_entry_point"),
    /** SAML: the identity provider's signing certificate (PEM); responses must be signed with its key. */
    samlCertificate: text("saml_certificate"),
    /** The id token claim (SAML: attribute) that carries the e-mail address ("email", "upn", "preferred_username"). */
    emailClaim: text("email_claim").notNull().default("email"),
    /** An optional claim listing the person's directory groups; with groupRoles, roles follow it at each sign-in. */
    groupClaim: text("group_claim"),
    /** Directory group → agency role. */
    groupRoles: jsonb("group_roles").$type<Record<string, string>>().notNull().default({}),
    enabled: boolean("enabled").notNull().default(true),
    /** Local passwords are refused for the agency's people; only the break-glass administrator keeps one. */
    requireDirectory: boolean("require_directory").notNull().default(false),
    breakGlassPersonId: uuid("break_glass_person_id").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    updatedBy: uuid("updated_by"),
  },
  (t) => [uniqueIndex("directory_connections_organisation").on(t.organisationId)],
);

/** A passkey or security key (WebAuthn): a second factor, or a phishing-resistant first one. */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    /** The credential id, base64url. */
    credentialId: text("credential_id").notNull(),
    /** The COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter: one that goes backwards is a cloned key and is refused. */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** "singleDevice" (a security key) or "multiDevice" (a synced passkey). */
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull().default(false),
    aaguid: text("aaguid"),
    /** The attestation statement's format ("packed", "tpm", "none"): whether the authenticator vouched for its make. */
    attestationFormat: text("attestation_format"),
    name: text("name").notNull(),
    createdAt: ts("created_at").notNull(),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential").on(t.credentialId), index("passkeys_person").on(t.personId)],
);

/**
 * A WebAuthn challenge an answer has spent (challenges are minted signed, not stored; passkeys.server.ts).
 * A second answer over the same challenge finds it here and is refused, so a captured answer cannot be
 * replayed (CJIS Security Policy IA-2(8)), even for a synced passkey whose signature counter stays at zero.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    challenge: text("challenge").notNull(),
    /** "register", "sign-in" (first factor) or "second-factor". */
    purpose: text("purpose").notNull(),
    /** Whose ceremony it is: the signed-in or half-signed-in person; null for a first-factor sign-in. */
    personId: uuid("person_id").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [uniqueIndex("webauthn_challenges_challenge").on(t.challenge)],
);

/**
 * A SAML authentication request Custody sent, answered at most once and within 10 minutes: the
 * response's InResponseTo must name one (no unsolicited or replayed responses).
 */
export const directoryRequests = pgTable("directory_requests", {
  /** The request's ID attribute, as the identity provider echoes it in InResponseTo. */
  id: text("id").primaryKey(),
  connectionId: uuid("connection_id")
    .notNull()
    .references(() => directoryConnections.id),
  redirectTo: text("redirect_to").notNull(),
  createdAt: ts("created_at").notNull(),
  usedAt: ts("used_at"),
});

export const sessions = pgTable(
  "sessions",
  {
    /** HMAC-SHA256 of the cookie token under SESSION_SECRET; the token itself is never stored. */
    id: text("id").primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    createdAt: ts("created_at").notNull(),
    /** When the password was accepted; second factor pending until mfa_at is set. */
    authenticatedAt: ts("authenticated_at").notNull(),
    mfaAt: ts("mfa_at"),
    lastSeenAt: ts("last_seen_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** A message for the next page this session loads ("The vendor is registered."): shown once, then cleared. */
    flash: text("flash"),
  },
  (t) => [index("sessions_person").on(t.personId)],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: ts("at").notNull(),
    ip: text("ip").notNull(),
    /** The address typed, lower-cased (null on attempts recorded before migration 0016). */
    email: text("email"),
    succeeded: boolean("succeeded").notNull(),
  },
  (t) => [index("login_attempts_ip_at").on(t.ip, t.at), index("login_attempts_email_at").on(t.email, t.at)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    role: text("role").notNull(),
    membershipEndsAt: ts("membership_ends_at"),
    /** Null for the installation's bootstrap invitation. */
    invitedBy: uuid("invited_by").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    /** TOTP secret offered while the invitation is being accepted, encrypted like people.totp_secret. */
    pendingTotpSecret: text("pending_totp_secret"),
    acceptedAt: ts("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => people.id),
    revokedAt: ts("revoked_at"),
    /**
     * The existing record (imported, provisioned by a directory, or re-enrolled) this invitation sets up
     * credentials for. Only such an invitation may; any other for the same address is refused.
     */
    enrolsPersonId: uuid("enrols_person_id").references(() => people.id),
  },
  (t) => [uniqueIndex("invitations_token_hash").on(t.tokenHash)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    permissions: text("permissions").array().notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, shown so a person can tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => people.id),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [
    uniqueIndex("api_tokens_token_hash").on(t.tokenHash),
    check("api_tokens_expiry_at_most_90_days", sql`${t.expiresAt} <= ${t.createdAt} + interval '90 days'`),
  ],
);

export const DEPROVISIONING_KINDS = ["person-disabled", "person-enabled", "agency-decommissioned", "membership-ended"] as const;

export const deprovisioningRecords = pgTable(
  "deprovisioning_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: DEPROVISIONING_KINDS }).notNull(),
    personId: uuid("person_id").references(() => people.id),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    reason: text("reason").notNull(),
    /** Null when the stale-account sweep acted. */
    actorId: uuid("actor_id").references(() => people.id),
    at: ts("at").notNull(),
    /** What was cut: sessions, tokens, memberships. */
    details: jsonb("details").notNull().default({}),
  },
  (t) => [index("deprovisioning_records_at").on(t.at)],
);

export const accessReviews = pgTable("access_reviews", {
  id: uuid("id").primaryKey().defaultRandom(),
  organisationId: uuid("organisation_id")
    .notNull()
    .references(() => organisations.id),
  startedBy: uuid("started_by")
    .notNull()
    .references(() => people.id),
  startedAt: ts("started_at").notNull(),
  completedAt: ts("completed_at"),
});

export const accessReviewItems = pgTable(
  "access_review_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => accessReviews.id),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id),
    decision: text("decision", { enum: ["certify", "revoke"] }),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedAt: ts("decided_at"),
    note: text("note"),
  },
  (t) => [unique("access_review_items_once").on(t.reviewId, t.membershipId)],
);

export type Organisation = typeof organisations.$inferSelect;
export type Person = typeof people.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
