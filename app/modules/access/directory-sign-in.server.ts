import { and, eq, inArray, isNull } from "drizzle-orm";
import { type Database, type Queryable } from "../../../db/client.ts";
import { directoryConnections, directoryIdentities, memberships, organisations, people } from "../../../db/schema/access.ts";
import { AuditRecorder, recordNow, anonymousActor, type AuditActor } from "../audit/audit.server.ts";
import { peopleWithRoles, notify, toEach } from "../notifications/notify.server.ts";
import { audienceOf } from "./audience.server.ts";
import { directoryMark, endDirectoryRoles } from "./deprovision.server.ts";
import { DIRECTORY_CALLBACK_PATH } from "./directory-paths.ts";
import {
  authorizationUrl,
  directoryDidMfa,
  redeemCallback,
  type PendingDirectorySignIn,
  type ProviderSettings,
} from "./directory-oidc.server.ts";
import { isRole } from "./permissions.ts";
import { decrypt, type Secrets } from "./secrets.server.ts";
import { redeemSamlResponse, samlAuthorizationUrl } from "./directory-saml.server.ts";
import { isUuid } from "../context.server.ts";
import { createSession, liveMemberships, openCompleteSession } from "./sessions.server.ts";

/**
 * Signing in through an agency's own directory (issue 19, decision 0029). The person types their
 * e-mail address; its domain names the agency's directory; the directory authenticates them and
 * Custody checks its answer (directory-oidc.server.ts). Then, in one transaction:
 * - the person is matched by the e-mail the directory asserts, within the agency's allowed domains,
 *   and must already be known to the agency (a live role there, or provisioned by its directory):
 *   nobody gets an account by signing in;
 * - the directory's subject id is bound to the person at the first sign-in; a later answer naming
 *   the same address with another subject is refused (a recycled or spoofed address);
 * - roles follow the group claim when the agency mapped groups to roles;
 * - the session is complete when the directory did multi-factor (amr/acr); otherwise Custody asks for
 *   its own second factor, and a person who has none set up is refused with what to do.
 * Every outcome is audited with the provider and the assertion's id.
 */

type Client = { ip: string | null; userAgent: string | null };

export const PENDING_LIMIT_MS = 10 * 60 * 1000;

export type DirectoryRefusal =
  "no-directory" | "expired" | "refused" | "not-known" | "wrong-domain" | "no-second-factor" | "account-not-usable";

type Connection = typeof directoryConnections.$inferSelect;

function settingsOf(secrets: Secrets, c: Connection): ProviderSettings {
  return { issuer: c.issuer, clientId: c.clientId ?? "", clientSecret: c.clientSecret ? decrypt(secrets, c.clientSecret) : "" };
}

function actorFor(client: Client, person?: { id: string; email: string } | null, sessionId?: string | null): AuditActor {
  return {
    ...anonymousActor(client),
    personId: person?.id ?? null,
    label: person?.email ?? null,
    sessionId: sessionId ?? null,
  };
}

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1);

/** The live directory that vouches for this address's domain, in a live agency. */
async function connectionForEmail(db: Queryable, email: string) {
  const domain = domainOf(email);
  const rows = await db
    .select({ connection: directoryConnections })
    .from(directoryConnections)
    .innerJoin(organisations, eq(organisations.id, directoryConnections.organisationId))
    .where(and(eq(directoryConnections.enabled, true), eq(organisations.status, "active")));
  return rows.map((r) => r.connection).find((c) => c.emailDomains.includes(domain)) ?? null;
}

export async function startDirectorySignIn(
  db: Database,
  secrets: Secrets,
  input: { email: string; redirectTo: string; publicUrl: string; client: Client; now: Date },
): Promise<
  /** `pending` is what the browser keeps for an OpenID Connect return; a SAML request is remembered here instead. */
  | { ok: true; url: string; directory: string; pending: PendingDirectorySignIn | null }
  | { ok: false; reason: "no-directory" | "unreachable" }
> {
  const email = input.email.trim().toLowerCase();
  const connection = await connectionForEmail(db, email);
  if (!connection) return { ok: false, reason: "no-directory" };
  try {
    if (connection.protocol === "saml") {
      const url = await samlAuthorizationUrl(db, connection, input.publicUrl, input.redirectTo, input.now);
      return { ok: true, url, directory: connection.displayName, pending: null };
    }
    const { url, pending } = await authorizationUrl(settingsOf(secrets, connection), {
      callbackUrl: `${input.publicUrl.replace(/\/$/, "")}${DIRECTORY_CALLBACK_PATH}`,
      loginHint: email,
      connectionId: connection.id,
      redirectTo: input.redirectTo,
      now: input.now,
    });
    return { ok: true, url, directory: connection.displayName, pending };
  } catch (error) {
    await recordNow(
      db,
      anonymousActor(input.client),
      [
        {
          action: "auth.directory.unreachable",
          outcome: "failed",
          organisationId: connection.organisationId,
          details: { issuer: connection.issuer, error: (error as Error).message.slice(0, 300) },
        },
      ],
      input.now,
    );
    return { ok: false, reason: "unreachable" };
  }
}

export type DirectoryResult =
  | { ok: true; token: string; next: "done" | "second-factor"; redirectTo: string }
  | { ok: false; reason: DirectoryRefusal; directory?: string };

/** Record a refusal of the directory's answer, readable by the agency (and the person's organizations). */
async function refuse(
  db: Database,
  connection: Connection,
  input: { client: Client; now: Date },
  reason: DirectoryRefusal,
  why: string,
  extra: Record<string, unknown> = {},
) {
  await db.transaction(async (tx) => {
    const audit = new AuditRecorder(actorFor(input.client, null), () => input.now);
    audit.audience = [connection.organisationId];
    audit.record({
      action: "auth.directory.refused",
      outcome: reason === "refused" ? "failed" : "denied",
      organisationId: connection.organisationId,
      details: { issuer: connection.issuer, directory: connection.displayName, protocol: connection.protocol, why, ...extra },
    });
    await audit.flush(tx);
  });
  return { ok: false as const, reason, directory: connection.displayName };
}

/** What a directory asserted, whatever the protocol: the claims (or attributes), who, which assertion, and its strength. */
type Assertion = {
  claims: Record<string, unknown>;
  subject: string;
  assertionId: string;
  mfa: { mfa: boolean; amr: string[]; acr: string | null };
};

/** Come back from an OpenID Connect directory: check its answer, then admit the person. */
export async function finishDirectorySignIn(
  db: Database,
  secrets: Secrets,
  input: { pending: PendingDirectorySignIn | null; search: string; publicUrl: string; client: Client; now: Date },
): Promise<DirectoryResult> {
  const { pending, now } = input;
  if (!pending || now.getTime() - pending.startedAt > PENDING_LIMIT_MS) return { ok: false, reason: "expired" };
  const [connection] = await db.select().from(directoryConnections).where(eq(directoryConnections.id, pending.connectionId));
  if (!connection || !connection.enabled || connection.protocol !== "oidc") return { ok: false, reason: "no-directory" };
  const currentUrl = new URL(`${input.publicUrl.replace(/\/$/, "")}${DIRECTORY_CALLBACK_PATH}${input.search}`);
  let answer: Awaited<ReturnType<typeof redeemCallback>>;
  try {
    answer = await redeemCallback(settingsOf(secrets, connection), currentUrl, pending, [
      connection.emailClaim,
      "email_verified",
      ...(connection.groupClaim ? [connection.groupClaim] : []),
    ]);
  } catch (error) {
    const e = error as Error & { code?: string; error?: string; error_description?: string };
    // openid-client wraps the precise reason ("unexpected JWT "aud" (audience) claim value") in its cause.
    let inner: unknown = e;
    while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
    return refuse(db, connection, input, "refused", "the directory's answer failed a check", {
      check: (e.error_description ?? (inner as Error).message ?? e.message).slice(0, 300),
      code: e.code ?? e.error ?? null,
    });
  }
  const { claims, assertionId } = answer;
  return admit(db, secrets, connection, {
    assertion: { claims, subject: claims.sub, assertionId, mfa: directoryDidMfa(claims) },
    redirectTo: pending.redirectTo,
    client: input.client,
    now,
  });
}

/** Come back from a SAML directory (HTTP-POST binding): check the signed response, then admit the person. */
export async function finishSamlSignIn(
  db: Database,
  secrets: Secrets,
  input: { relayState: string; samlResponse: string; publicUrl: string; client: Client; now: Date },
): Promise<DirectoryResult> {
  const { now } = input;
  if (!isUuid(input.relayState)) return { ok: false, reason: "expired" };
  const [connection] = await db.select().from(directoryConnections).where(eq(directoryConnections.id, input.relayState));
  if (!connection || !connection.enabled || connection.protocol !== "saml") return { ok: false, reason: "no-directory" };
  let answer: Awaited<ReturnType<typeof redeemSamlResponse>>;
  try {
    answer = await redeemSamlResponse(db, connection, input.publicUrl, input.samlResponse, now);
  } catch (error) {
    return refuse(db, connection, input, "refused", "the directory's answer failed a check", {
      check: (error as Error).message.slice(0, 300),
    });
  }
  return admit(db, secrets, connection, {
    assertion: answer.assertion,
    redirectTo: answer.redirectTo,
    client: input.client,
    now,
  });
}

/**
 * Admit the person a directory vouched for: the address within the agency's domains, a person the agency
 * already knows, the subject bound, roles following mapped groups, and a session (complete when the
 * directory did multi-factor, else waiting for Custody's own second factor).
 */
async function admit(
  db: Database,
  secrets: Secrets,
  connection: Connection,
  input: { assertion: Assertion; redirectTo: string; client: Client; now: Date },
): Promise<DirectoryResult> {
  const { client, now } = input;
  const { claims, assertionId, subject, mfa } = input.assertion;
  const agencyId = connection.organisationId;
  const asserted = claims[connection.emailClaim];
  const email = typeof asserted === "string" ? asserted.trim().toLowerCase() : "";
  const ids = {
    issuer: connection.issuer,
    directory: connection.displayName,
    protocol: connection.protocol,
    assertionId,
    subject,
  };
  if (!email.includes("@") || !connection.emailDomains.includes(domainOf(email)) || claims.email_verified === false)
    return refuse(
      db,
      connection,
      input,
      "wrong-domain",
      "the address the directory gave is not one of the agency's allowed domains, or not verified",
      {
        ...ids,
        email: email || null,
        claim: connection.emailClaim,
      },
    );

  return db.transaction(async (tx) => {
    const [byEmail] = await tx.select().from(people).where(eq(people.email, email));
    const [bySubject] = await tx
      .select({ personId: directoryIdentities.personId })
      .from(directoryIdentities)
      .where(and(eq(directoryIdentities.organisationId, agencyId), eq(directoryIdentities.subject, subject)));
    const person = byEmail;
    const audit = new AuditRecorder(actorFor(client, person), () => now);
    audit.audience = [...new Set([agencyId, ...(await audienceOf(tx, person?.id, now))])];
    const deny = async (reason: DirectoryRefusal, why: string) => {
      audit.record({
        action: "auth.directory.refused",
        outcome: "denied",
        objectType: person ? "person" : undefined,
        objectId: person?.id,
        organisationId: agencyId,
        details: { ...ids, email, why },
      });
      await audit.flush(tx);
      return { ok: false as const, reason, directory: connection.displayName };
    };
    if (!person) return deny("not-known", "no account has this address");
    const [identity] = await tx
      .select()
      .from(directoryIdentities)
      .where(and(eq(directoryIdentities.organisationId, agencyId), eq(directoryIdentities.personId, person.id)));
    if (bySubject && bySubject.personId !== person.id)
      return deny("not-known", "this directory subject belongs to another person");
    if (identity?.subject && identity.subject !== subject)
      return deny("not-known", "the address is bound to another subject of this directory");
    if (identity && !identity.active) return deny("not-known", "the directory deactivated this person (SCIM)");
    const here = (await liveMemberships(tx, person.id, now)).filter((m) => m.organisationId === agencyId);
    if (here.length === 0 && !identity) return deny("not-known", "the person holds no role in this agency");
    if (person.disabledAt || person.lockedAt)
      return deny("account-not-usable", person.disabledAt ? "account disabled" : "account locked");

    await followGroups(tx, audit, connection, person.id, claims, now);
    const live = (await liveMemberships(tx, person.id, now)).filter((m) => m.organisationId === agencyId);
    if (live.length === 0) return deny("not-known", "no live role in this agency after the directory's groups");

    if (identity) {
      await tx.update(directoryIdentities).set({ subject, lastSeenAt: now }).where(eq(directoryIdentities.id, identity.id));
    } else {
      await tx.insert(directoryIdentities).values({
        organisationId: agencyId,
        personId: person.id,
        subject,
        createdAt: now,
        updatedAt: now,
        lastSeenAt: now,
      });
    }
    if (!mfa.mfa && !person.totpSecret)
      return deny("no-second-factor", "the directory did no multi-factor and the person has no Custody authenticator");
    const { token, id } = mfa.mfa
      ? await openCompleteSession(tx, secrets, { personId: person.id, now, client })
      : await createSession(tx, secrets, { personId: person.id, now, ip: client.ip, userAgent: client.userAgent, mfaAt: null });
    audit.actor.sessionId = id;
    audit.record({
      action: "auth.notice.acknowledged",
      objectType: "person",
      objectId: person.id,
      details: { notice: "system use (AC-8)", acknowledgedBefore: "directory sign-in" },
    });
    audit.record({
      action: mfa.mfa ? "auth.login.succeeded" : "auth.login.directory-accepted",
      objectType: "person",
      objectId: person.id,
      organisationId: agencyId,
      details: {
        method: "directory",
        ...ids,
        amr: mfa.amr,
        acr: mfa.acr,
        secondFactor: mfa.mfa ? "done by the directory" : "awaiting Custody's own",
      },
    });
    await audit.flush(tx);
    return {
      ok: true as const,
      token,
      next: mfa.mfa ? ("done" as const) : ("second-factor" as const),
      redirectTo: input.redirectTo,
    };
  });
}

/** Roles follow the directory's groups, when the agency mapped groups to roles: granted, or ended with a record. */
async function followGroups(
  tx: Queryable,
  audit: AuditRecorder,
  connection: Connection,
  personId: string,
  claims: Record<string, unknown>,
  now: Date,
) {
  const mapping = connection.groupRoles;
  if (!connection.groupClaim || Object.keys(mapping).length === 0) return;
  const raw = claims[connection.groupClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === "string")
    : typeof raw === "string"
      ? [raw]
      : [];
  const mapped = new Set(Object.values(mapping).filter(isRole));
  const wanted = new Set(groups.map((g) => mapping[g]).filter((r): r is string => !!r && isRole(r)));
  const agencyId = connection.organisationId;
  const held = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.personId, personId), eq(memberships.organisationId, agencyId), isNull(memberships.endedAt)));
  for (const role of wanted) {
    if (held.some((m) => m.role === role)) continue;
    const [m] = await tx
      .insert(memberships)
      .values({ personId, organisationId: agencyId, role, startsAt: now, createdAt: now })
      .returning();
    audit.record({
      action: "membership.grant",
      objectType: "membership",
      objectId: m!.id,
      organisationId: agencyId,
      details: { role, personId, source: "directory groups at sign-in", groups },
    });
  }
  const ending = held.filter((m) => mapped.has(m.role as never) && !wanted.has(m.role)).map((m) => m.role);
  if (ending.length === 0) return;
  await endDirectoryRoles(tx, audit, {
    agencyId,
    personId,
    roles: ending,
    why: "no longer in a directory group mapped to this role",
    source: "directory groups at sign-in",
    tokenId: null,
    now,
    mark: directoryMark(agencyId),
  });
}

/**
 * Whether a person's password may open a session: refused when an agency they hold a role in requires
 * directory sign-in, unless they are that agency's break-glass administrator. Returns the directories
 * that refuse, and the agencies where this sign-in is a break-glass use.
 */
async function passwordPolicyFor(db: Queryable, personId: string, now: Date) {
  const live = await liveMemberships(db, personId, now);
  const agencyIds = [...new Set(live.filter((m) => m.organisationKind === "agency").map((m) => m.organisationId))];
  if (agencyIds.length === 0) return { refusedBy: [] as string[], breakGlass: [] as { agencyId: string; agency: string }[] };
  const rows = await db
    .select({ connection: directoryConnections, agency: organisations.name })
    .from(directoryConnections)
    .innerJoin(organisations, eq(organisations.id, directoryConnections.organisationId))
    .where(
      and(
        inArray(directoryConnections.organisationId, agencyIds),
        eq(directoryConnections.enabled, true),
        eq(directoryConnections.requireDirectory, true),
      ),
    );
  return {
    refusedBy: rows.filter((r) => r.connection.breakGlassPersonId !== personId).map((r) => r.connection.displayName),
    breakGlass: rows
      .filter((r) => r.connection.breakGlassPersonId === personId)
      .map((r) => ({ agencyId: r.connection.organisationId, agency: r.agency })),
  };
}

/**
 * The same rule for a local credential (password or passkey) as it opens a session: when a directory
 * refuses it, the refusal is recorded here and its name returned; otherwise `refusedBy` is null and
 * `breakGlass` names the agencies where this sign-in is a break-glass use.
 */
export async function localSignInPolicy(
  db: Queryable,
  audit: AuditRecorder,
  personId: string,
  now: Date,
  details: Record<string, unknown>,
) {
  const policy = await passwordPolicyFor(db, personId, now);
  if (policy.refusedBy.length > 0)
    audit.record({
      action: "auth.login.directory-required",
      outcome: "denied",
      objectType: "person",
      objectId: personId,
      details: { ...details, directories: policy.refusedBy },
    });
  return { refusedBy: policy.refusedBy[0] ?? null, breakGlass: policy.breakGlass };
}

/** A break-glass sign-in is told at once to the agency's other administrators and its auditors, to review. */
export async function reportBreakGlass(
  db: Queryable,
  audit: AuditRecorder,
  person: { id: string; name: string; email: string },
  uses: { agencyId: string; agency: string }[],
  now: Date,
) {
  for (const use of uses) {
    audit.record({
      action: "auth.break-glass.used",
      objectType: "person",
      objectId: person.id,
      organisationId: use.agencyId,
      details: { agency: use.agency, why: "password sign-in while the agency requires its directory", review: "required" },
    });
    // The people who can read the audit trail of the agency review it.
    const reviewers = (await peopleWithRoles(db, [use.agencyId], ["agency-admin", "auditor"])).filter(
      (r) => r.personId !== person.id,
    );
    await notify(
      db,
      toEach(reviewers, {
        kind: "break-glass-used",
        subject: `Break-glass sign-in at ${use.agency}`,
        body: `${person.name} (${person.email}) signed in with the break-glass password on ${now.toISOString().slice(0, 16).replace("T", " ")} UTC, while ${use.agency} requires sign-in through its directory. Check in the audit trail what was done, and confirm the directory was really unavailable.`,
        link: `/audit?person=${person.id}`,
        dedupeKey: `break-glass:${person.id}:${now.toISOString()}`,
      }),
      now,
    );
  }
}

/** Whether any agency here signs in through its directory (the sign-in page offers the way only then). */
export async function anyDirectory(db: Queryable) {
  const [row] = await db
    .select({ id: directoryConnections.id })
    .from(directoryConnections)
    .where(eq(directoryConnections.enabled, true))
    .limit(1);
  return !!row;
}
