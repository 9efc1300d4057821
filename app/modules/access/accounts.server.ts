import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Database, Queryable } from "../../../db/client.ts";
import { invitations, memberships, organisations, people, recoveryCodes, sessions } from "../../../db/schema/access.ts";
import { anonymousActor, AuditRecorder, recordNow, systemActor, type AuditActor } from "../audit/audit.server.ts";
import { invitationMessage, type Mailer } from "../notifications/mail.server.ts";
import { InvalidInput, isUuid, NotFound, type ModuleContext } from "../context.server.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.server.ts";
import { isRole, ROLES, type Role } from "./permissions.ts";
import { decrypt, encrypt, newToken, tokenHash, type Secrets } from "./secrets.server.ts";
import { enrolmentDetails, matchTotp, newTotpSecret } from "./totp.server.ts";
import { endOfDayIn, isDay } from "../dates.ts";
import { roleLabel } from "../format.ts";

/**
 * Accounts come into being only through invitations: an administrator invites
 * an e-mail address to a role in an organisation; the invitee sets a password
 * and enrols TOTP through a single-use link that expires in 72 hours. No
 * password is ever sent. The first platform administrator is invited by the
 * installation itself (the bootstrap link printed at first start).
 */
export const INVITATION_LIFETIME_MS = 72 * 60 * 60 * 1000;
export const RECOVERY_CODE_COUNT = 10;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function platformOrganisation(db: Queryable) {
  const [existing] = await db.select().from(organisations).where(eq(organisations.kind, "platform")).limit(1);
  if (existing) return existing;
  const [created] = await db.insert(organisations).values({ kind: "platform", name: "Custody installation" }).returning();
  return created!;
}

/**
 * Invite someone. The caller's own organisation only, unless they administer the platform. A
 * temporary role ends at the end of its last day (membershipEndsOn) on the calendar of the
 * organisation it is in, or at an exact instant (membershipEndsAt).
 */
export async function createInvitation(
  ctx: ModuleContext,
  input: {
    email: string;
    organisationId: string;
    role: string;
    membershipEndsAt?: Date | null;
    membershipEndsOn?: string | null;
  },
) {
  const email = input.email.trim().toLowerCase();
  const errors: Record<string, string> = {};
  if (!emailPattern.test(email) || email.length > 254) errors.email = "Enter an e-mail address like name@agency.gov.";
  if (!isRole(input.role)) errors.role = "Choose a role.";
  const crossOrganisation = ctx.actor.organisationKind === "platform";
  if (crossOrganisation && !isUuid(input.organisationId))
    throw new InvalidInput({ ...errors, organisationId: "Choose the organization and role from the list." });
  if (!crossOrganisation && input.organisationId !== ctx.actor.organisationId)
    throw new NotFound("organisation", input.organisationId);
  const [organisation] = await ctx.db.select().from(organisations).where(eq(organisations.id, input.organisationId));
  if (!organisation) throw new NotFound("organisation", input.organisationId);
  const endsOn = input.membershipEndsOn?.trim() || null;
  let membershipEndsAt = input.membershipEndsAt ?? null;
  if (endsOn && !isDay(endsOn)) errors.membershipEndsOn = "Enter a real end date: month, day and year.";
  else if (endsOn) membershipEndsAt = endOfDayIn(endsOn, organisation.timeZone);
  if (membershipEndsAt && membershipEndsAt.getTime() <= ctx.now.getTime()) {
    errors[endsOn ? "membershipEndsOn" : "membershipEndsAt"] = "The end date must be in the future.";
  }
  if (organisation.status !== "active") errors.organisationId = "This organization is decommissioned.";
  if (isRole(input.role) && ROLES[input.role].organisationKind !== organisation.kind) {
    errors.role = `A ${ROLES[input.role].label.toLowerCase()} cannot belong to ${organisation.kind === "vendor" ? "a vendor" : `an ${organisation.kind}`}.`;
  }
  if (isRole(input.role) && input.role === "platform-admin" && ctx.actor.role !== "platform-admin") {
    errors.role = "Only a platform administrator can invite another.";
  }
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  const token = newToken();
  const [invitation] = await ctx.db
    .insert(invitations)
    .values({
      tokenHash: tokenHash(token),
      email,
      organisationId: organisation.id,
      role: input.role,
      membershipEndsAt,
      invitedBy: ctx.actor.personId,
      createdAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + INVITATION_LIFETIME_MS),
    })
    .returning();
  ctx.audit.record({
    action: "invitation.create",
    objectType: "invitation",
    objectId: invitation!.id,
    organisationId: organisation.id,
    details: { email, role: input.role, membershipEndsAt: membershipEndsAt?.toISOString() ?? null },
  });
  return {
    token,
    invitation: invitation!,
    organisationName: organisation.name,
    roleLabel: ROLES[input.role as Role].label,
    timeZone: organisation.timeZone,
  };
}

/**
 * Whether an invitation sets up credentials on an existing record: only one made for that record
 * (import, directory, re-enrollment), and only while the record holds none and is not disabled. An
 * ordinary invitation to the same address is refused, so no one takes over a record by being invited.
 */
function enrols(
  invitation: { enrolsPersonId: string | null },
  person: { id: string; passwordHash: string | null; disabledAt: Date | null },
) {
  return invitation.enrolsPersonId === person.id && person.passwordHash === null && person.disabledAt === null;
}

/**
 * An invitation for a person whose record exists without credentials (brought in by an agency import
 * or by the agency's directory): accepting it sets up that same record. No one invites; the record of
 * why is the caller's audit event. Returns the link's token, shown or sent once.
 */
export async function inviteExistingRecord(
  db: Queryable,
  input: { personId: string; email: string; organisationId: string; role: string; membershipEndsAt?: Date | null; now: Date },
) {
  const token = newToken();
  const [invitation] = await db
    .insert(invitations)
    .values({
      tokenHash: tokenHash(token),
      enrolsPersonId: input.personId,
      email: input.email,
      organisationId: input.organisationId,
      role: input.role,
      membershipEndsAt: input.membershipEndsAt ?? null,
      invitedBy: null,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + INVITATION_LIFETIME_MS),
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  return { token, invitationId: invitation!.id, expiresAt: invitation!.expiresAt };
}

/**
 * On a start with no platform administrator, a fresh single-use link to create
 * one. Earlier unused bootstrap links are revoked, so only the latest works.
 */
export async function ensureBootstrapInvitation(db: Database, now: Date): Promise<string | null> {
  return db.transaction(async (tx) => {
    const platform = await platformOrganisation(tx);
    const admins = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(eq(memberships.organisationId, platform.id), eq(memberships.role, "platform-admin"), isNull(memberships.endedAt)),
      )
      .limit(1);
    if (admins.length > 0) return null;
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.organisationId, platform.id),
          isNull(invitations.invitedBy),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const token = newToken();
    const [invitation] = await tx
      .insert(invitations)
      .values({
        tokenHash: tokenHash(token),
        email: "",
        organisationId: platform.id,
        role: "platform-admin",
        invitedBy: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      })
      .returning();
    const audit = new AuditRecorder({ ...systemActor(), organisationId: platform.id }, () => now);
    audit.record({
      action: "invitation.bootstrap",
      objectType: "invitation",
      objectId: invitation!.id,
      details: { role: "platform-admin" },
    });
    await audit.flush(tx);
    return token;
  });
}

async function findUsableInvitation(db: Queryable, token: string, now: Date) {
  const [row] = await db
    .select({ invitation: invitations, organisation: organisations })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .where(eq(invitations.tokenHash, tokenHash(token)))
    .limit(1);
  if (!row) return { problem: "unknown" as const, id: undefined };
  const { invitation } = row;
  const id = invitation.id;
  if (invitation.acceptedAt) return { problem: "used" as const, id };
  if (invitation.revokedAt) return { problem: "revoked" as const, id };
  if (invitation.expiresAt.getTime() <= now.getTime()) return { problem: "expired" as const, id };
  if (row.organisation.status !== "active") return { problem: "revoked" as const, id };
  return { problem: null, ...row };
}

export type InvitationView =
  | { usable: false; problem: "unknown" | "used" | "revoked" | "expired" }
  | {
      usable: true;
      bootstrap: boolean;
      email: string;
      organisationName: string;
      roleLabel: string;
      existingAccount: boolean;
      expiresAt: Date;
      timeZone: string;
      enrolment: { qrDataUrl: string; manualKey: string; uri: string };
    };

/** What the invitee sees; prepares the TOTP secret they will enrol. Every opening is recorded. */
export async function openInvitation(
  db: Database,
  secrets: Secrets,
  token: string,
  now: Date,
  client: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): Promise<InvitationView> {
  const audit = new AuditRecorder(anonymousActor(client), () => now);
  return db.transaction(async (tx) => {
    const found = await findUsableInvitation(tx, token, now);
    if (found.problem) {
      audit.record({
        action: "invitation.open",
        outcome: "denied",
        objectType: "invitation",
        objectId: found.id,
        details: { problem: found.problem },
      });
      await audit.flush(tx);
      return { usable: false as const, problem: found.problem };
    }
    const { invitation, organisation } = found;
    audit.record({
      action: "invitation.open",
      objectType: "invitation",
      objectId: invitation.id,
      organisationId: organisation.id,
    });
    await audit.flush(tx);
    let secret = invitation.pendingTotpSecret ? decrypt(secrets, invitation.pendingTotpSecret) : null;
    if (!secret) {
      secret = newTotpSecret();
      await tx
        .update(invitations)
        .set({ pendingTotpSecret: encrypt(secrets, secret) })
        .where(eq(invitations.id, invitation.id));
    }
    const [existing] = invitation.email
      ? await tx
          .select({ id: people.id, passwordHash: people.passwordHash, disabledAt: people.disabledAt })
          .from(people)
          .where(eq(people.email, invitation.email))
      : [];
    return {
      usable: true as const,
      bootstrap: invitation.invitedBy === null,
      email: invitation.email,
      organisationName: organisation.name,
      roleLabel: roleLabel(invitation.role),
      // A person brought in by an agency import, with no credentials yet, sets them up through this link.
      existingAccount: Boolean(existing && !enrols(invitation, existing)),
      expiresAt: invitation.expiresAt,
      /** The inviting organisation's zone, to say when the link expires on its clock. */
      timeZone: organisation.timeZone,
      enrolment: await enrolmentDetails(secret, invitation.email || "administrator"),
    };
  });
}

export async function generateRecoveryCodes(db: Queryable, personId: string, now: Date): Promise<string[]> {
  await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString("hex").slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await db
    .insert(recoveryCodes)
    .values(codes.map((c) => ({ personId, codeHash: tokenHash(c.replace("-", "")), createdAt: now })));
  return codes;
}

export type AcceptInput = { email?: string; name: string; password: string; code: string };

/**
 * Accept an invitation: create the account with its password and TOTP, grant
 * the membership, and return the one-time recovery codes (shown once).
 */
export async function acceptInvitation(
  db: Database,
  secrets: Secrets,
  token: string,
  input: AcceptInput,
  client: { ip: string | null; userAgent: string | null },
  now: Date,
  /** The hash of input.password, when the caller (the demo) started computing it earlier. */
  prepared?: { passwordHash: Promise<string> },
): Promise<{ personId: string; email: string; recoveryCodes: string[] }> {
  // argon2 takes a fifth of a second on two cores: hash before the transaction, not while holding it.
  // A password the rules refuse outright is not hashed at all.
  const passwordHash = passwordProblem(input.password) ? null : await (prepared?.passwordHash ?? hashPassword(input.password));
  return db.transaction(async (tx) => {
    const found = await findUsableInvitation(tx, token, now);
    if (found.problem)
      throw new InvalidInput({ form: "This invitation link can no longer be used. Ask your administrator for a new one." });
    const { invitation } = found;
    const email = (invitation.email || input.email || "").trim().toLowerCase();
    const name = input.name.trim();
    const errors: Record<string, string> = {};
    if (!invitation.email && (!emailPattern.test(email) || email.length > 254))
      errors.email = "Enter your e-mail address, like name@agency.gov.";
    if (name.length < 2 || name.length > 200) errors.name = "Enter your full name.";
    const problem = passwordProblem(input.password, { email, name });
    if (problem) errors.password = problem;
    const secret = invitation.pendingTotpSecret ? decrypt(secrets, invitation.pendingTotpSecret) : null;
    const step = secret ? matchTotp(secret, input.code, now) : null;
    if (step === null) errors.code = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
    const [existing] = email
      ? await tx
          .select({ id: people.id, passwordHash: people.passwordHash, disabledAt: people.disabledAt })
          .from(people)
          .where(eq(people.email, email))
      : [];
    // An invitation made for an existing record without credentials (import, directory, re-enrollment) sets up
    // that same record, so everything it did keeps pointing at it. Anyone else already has an account.
    const enrolling = existing && enrols(invitation, existing) ? existing : null;
    if (existing && !enrolling)
      errors.email =
        "An account with this e-mail address already exists. Sign in, then ask your administrator to add the role to it.";
    if (Object.keys(errors).length > 0) throw new InvalidInput(errors);

    const credentials = {
      name,
      passwordHash: passwordHash ?? (await hashPassword(input.password)),
      passwordChangedAt: now,
      totpSecret: encrypt(secrets, secret!),
      totpLastStep: step,
      mfaEnrolledAt: now,
      lastActivityAt: now,
    };
    const [person] = enrolling
      ? await tx.update(people).set(credentials).where(eq(people.id, enrolling.id)).returning({ id: people.id })
      : await tx
          .insert(people)
          .values({ email, ...credentials, createdAt: now })
          .returning({ id: people.id });
    const role = invitation.role as Role;
    const [held] = enrolling
      ? await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(
            and(
              eq(memberships.personId, enrolling.id),
              eq(memberships.organisationId, invitation.organisationId),
              eq(memberships.role, role),
              isNull(memberships.endedAt),
            ),
          )
      : [];
    const [membership] = held
      ? [held]
      : await tx
          .insert(memberships)
          .values({
            personId: person!.id,
            organisationId: invitation.organisationId,
            role,
            startsAt: now,
            endsAt: invitation.membershipEndsAt,
            grantedBy: invitation.invitedBy,
            createdAt: now,
          })
          .returning({ id: memberships.id });
    await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: person!.id, pendingTotpSecret: null, ...(invitation.email ? {} : { email }) })
      .where(eq(invitations.id, invitation.id));
    const codes = await generateRecoveryCodes(tx, person!.id, now);
    const audit = new AuditRecorder(
      {
        personId: person!.id,
        sessionId: null,
        tokenId: null,
        label: email,
        organisationId: invitation.organisationId,
        ip: client.ip,
        userAgent: client.userAgent,
      },
      () => now,
    );
    audit.record({ action: "invitation.accept", objectType: "invitation", objectId: invitation.id });
    audit.record({
      action: enrolling ? "person.enrol" : "person.create",
      objectType: "person",
      objectId: person!.id,
      details: { email, name, ...(enrolling ? { imported: true } : {}) },
    });
    audit.record({
      action: "auth.mfa.enrol",
      objectType: "person",
      objectId: person!.id,
      details: { method: "totp", recoveryCodes: codes.length },
    });
    if (!held)
      audit.record({
        action: "membership.grant",
        objectType: "membership",
        objectId: membership!.id,
        details: {
          role,
          organisationId: invitation.organisationId,
          endsAt: invitation.membershipEndsAt?.toISOString() ?? null,
          grantedBy: invitation.invitedBy,
        },
      });
    await audit.flush(tx);
    return { personId: person!.id, email, recoveryCodes: codes };
  });
}

/** Change one's own password: the current one is checked, the new one must pass the rules. */
export async function changeOwnPassword(ctx: ModuleContext, input: { current: string; next: string }) {
  const personId = ctx.actor.personId;
  if (!personId) throw new NotFound("person", "self");
  const [person] = await ctx.db.select().from(people).where(eq(people.id, personId));
  if (!person?.passwordHash) throw new NotFound("person", personId);
  const errors: Record<string, string> = {};
  if (!(await verifyPassword(person.passwordHash, input.current))) errors.current = "That is not your current password.";
  const problem = passwordProblem(input.next, { email: person.email, name: person.name });
  if (problem) errors.next = problem;
  else if (input.next === input.current) errors.next = "Choose a password different from the current one.";
  if (Object.keys(errors).length > 0) {
    throw new InvalidInput(errors, {
      action: "person.password.change",
      outcome: "failed",
      objectType: "person",
      objectId: personId,
      details: { fields: Object.keys(errors) },
    });
  }
  await ctx.db
    .update(people)
    .set({ passwordHash: await hashPassword(input.next), passwordChangedAt: ctx.now })
    .where(eq(people.id, personId));
  ctx.audit.record({ action: "person.password.change", objectType: "person", objectId: personId });
}

/** One's own account, as the account page shows it; the read is recorded. */
export async function readOwnAccount(ctx: ModuleContext) {
  const personId = ctx.actor.personId;
  if (!personId) throw new NotFound("person", "self");
  const [person] = await ctx.db
    .select({ id: people.id, name: people.name, email: people.email, passwordChangedAt: people.passwordChangedAt })
    .from(people)
    .where(eq(people.id, personId));
  if (!person) throw new NotFound("person", personId);
  ctx.audit.record({ action: "person.read", objectType: "person", objectId: personId, details: { own: true } });
  return person;
}

/** Act for another of one's organisations. */
export async function switchActiveOrganisation(ctx: ModuleContext, organisationId: string, live: { organisationId: string }[]) {
  if (!ctx.actor.sessionId || !live.some((m) => m.organisationId === organisationId))
    throw new NotFound("organisation", organisationId);
  await ctx.db.update(sessions).set({ organisationId }).where(eq(sessions.id, ctx.actor.sessionId));
  ctx.audit.record({
    action: "session.organisation.switch",
    objectType: "organisation",
    objectId: organisationId,
    organisationId,
  });
}

/** Where the actor may invite people, and with which roles. */
export async function invitationTargets(ctx: ModuleContext) {
  const all = await ctx.db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.status, "active"))
    .orderBy(organisations.kind, organisations.name);
  const allowed = ctx.actor.organisationKind === "platform" ? all : all.filter((o) => o.id === ctx.actor.organisationId);
  ctx.audit.record({
    action: "organisation.list",
    objectType: "organisation",
    details: { count: allowed.length, purpose: "invitation" },
  });
  return allowed.map((o) => ({
    ...o,
    roles: (Object.keys(ROLES) as Role[])
      .filter((r) => ROLES[r].organisationKind === o.kind && (r !== "platform-admin" || ctx.actor.role === "platform-admin"))
      .map((r) => ({ value: r, label: ROLES[r].label })),
  }));
}

/**
 * E-mail an invitation link when SMTP is configured. Runs after the invitation
 * committed; the sending, or its failure, is recorded. Returns whether it went.
 */
export async function emailInvitation(
  db: Database,
  mailer: Mailer | null,
  actor: AuditActor,
  input: Parameters<typeof invitationMessage>[0] & { invitationId: string },
  now: Date,
) {
  if (!mailer) return false;
  const event = { action: "invitation.email.sent", objectType: "invitation", objectId: input.invitationId };
  try {
    await mailer.send(invitationMessage(input));
    await recordNow(db, actor, [{ ...event, details: { to: input.to } }], now);
    return true;
  } catch (error) {
    await recordNow(db, actor, [{ ...event, outcome: "failed", details: { to: input.to, error: String(error) } }], now);
    return false;
  }
}
